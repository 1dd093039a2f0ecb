//! Typed errors of the policy crate. Each one names the file (and position where known) and,
//! where it helps, what to do next.

use std::path::PathBuf;

use crate::parser::ParseError;

/// A position in a Rego module, extracted from regorus's `--> file:line:col` diagnostics.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegoPosition {
    pub file: String,
    pub line: usize,
    pub column: usize,
}

impl std::fmt::Display for RegoPosition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PolicyError {
    #[error("{}: {}", path.display(), io_message(error))]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error(transparent)]
    Parse(#[from] ParseError),
    #[error("{}", match position { Some(p) => format!("{p}: {message}"), None => format!("{file}: {message}") })]
    Rego {
        file: String,
        position: Option<RegoPosition>,
        message: String,
    },
    #[error("no policies found in [{}]", paths.join(" "))]
    NoPolicies { paths: Vec<String> },
    #[error("no files found")]
    NoFiles,
    #[error(
        "unknown parser for {path}: pass --parser to choose one (json, yaml, hcl2, dockerfile, toml, ini, xml, ...)"
    )]
    UnknownParser { path: String },
    #[error("{file}: evaluating {query}: {message}")]
    Eval {
        file: String,
        query: String,
        message: String,
    },
    #[error(
        "{file}: evaluating {query} exceeded the time limit of {limit_ms} ms; raise it with --timeout or simplify the policy"
    )]
    Timeout {
        file: String,
        query: String,
        limit_ms: u128,
    },
    #[error(
        "{file}: evaluating {query} exceeded the memory limit of {limit_mb} MiB; raise it with --memory-limit"
    )]
    Memory {
        file: String,
        query: String,
        limit_mb: u64,
    },
    #[error(
        "{file}: rule {rule} returned an object without a string \"msg\" field: \"msg\" field must be present and a string"
    )]
    BadResult { file: String, rule: String },
    #[error("{0}")]
    Usage(String),
    /// Several independent problems found by one check (e.g. `--strict`), reported together.
    #[error("{} errors occurred:\n{}", .0.len(), .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Many(Vec<PolicyError>),
}

/// Go-style wording for the common cases ("no such file or directory"), without the OS code.
fn io_message(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        std::io::ErrorKind::IsADirectory => "is a directory".to_string(),
        _ => error.to_string(),
    }
}

impl PolicyError {
    /// One error as itself, several as `Many`; `None` when there are none.
    pub fn collect(mut errors: Vec<PolicyError>) -> Option<PolicyError> {
        match errors.len() {
            0 => None,
            1 => errors.pop(),
            _ => Some(PolicyError::Many(errors)),
        }
    }

    /// A one-line hint for the user, where there is an obvious next step.
    pub fn help(&self) -> Option<String> {
        match self {
            PolicyError::Parse(e) => e.help.clone(),
            PolicyError::Rego { message, .. } if message.contains("`if` keyword is required") => Some(
                "this module uses Rego v0 syntax: run with --rego-version v0, or migrate it (`opa fmt --v0-v1`)"
                    .to_string(),
            ),
            PolicyError::NoPolicies { .. } => {
                Some("point --policy at a directory or file containing .rego modules".to_string())
            }
            _ => None,
        }
    }
}

/// Splits a regorus diagnostic ("\n--> file:3:11\n  |\n3 | ...\nerror: message") into position
/// and message.
pub(crate) fn rego_error(file: &str, err: &dyn std::fmt::Display) -> PolicyError {
    let text = err.to_string();
    let mut position = None;
    let mut message = String::new();
    for line in text.lines() {
        let line = line.trim_end();
        if let Some(rest) = line.trim_start().strip_prefix("--> ") {
            if position.is_none() {
                position = parse_position(rest);
            }
        } else if let Some(rest) = line.strip_prefix("error: ") {
            message = rest.to_string();
        }
    }
    if message.is_empty() {
        message = text.trim().to_string();
    }
    PolicyError::Rego {
        file: position
            .as_ref()
            .map_or_else(|| file.to_string(), |p: &RegoPosition| p.file.clone()),
        position,
        message,
    }
}

fn parse_position(text: &str) -> Option<RegoPosition> {
    let mut parts = text.rsplitn(3, ':');
    let column = parts.next()?.trim().parse().ok()?;
    let line = parts.next()?.trim().parse().ok()?;
    let file = parts.next()?.to_string();
    Some(RegoPosition { file, line, column })
}
