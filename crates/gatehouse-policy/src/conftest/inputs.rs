//! Which files `policy test` and `policy parse` read, and with which parser, as Conftest decides:
//! explicit files need a known parser, directories are walked keeping detectable files, `-` is stdin.

use std::io::Read;
use std::path::{Path, PathBuf};

use regex::Regex;
use serde_json::Value as Json;

use crate::error::PolicyError;
use crate::parser::{self, Parser};

/// One input to evaluate.
#[derive(Clone, Debug)]
pub struct InputFile {
    /// The name results are reported under: the path as given or found, `""` for stdin.
    pub name: String,
    /// `None` for stdin.
    pub path: Option<PathBuf>,
    pub parser: Parser,
    pub bytes: Vec<u8>,
}

impl InputFile {
    /// Parses the file with its parser.
    pub fn parse(&self) -> Result<Json, PolicyError> {
        let display = if self.name.is_empty() {
            "-"
        } else {
            &self.name
        };
        Ok(parser::parse(self.parser, display, &self.bytes)?)
    }

    /// Parses the file straight into the engine's value type. JSON (Terraform plans can be tens
    /// of megabytes) is deserialized in one pass without an intermediate `serde_json::Value`;
    /// on a syntax error the regular loader runs to report it with its position and hint.
    pub fn load(&self) -> Result<regorus::Value, PolicyError> {
        if self.parser == Parser::Json {
            let data = self
                .bytes
                .strip_prefix(b"\xEF\xBB\xBF")
                .unwrap_or(&self.bytes);
            if let Ok(value) = serde_json::from_slice::<regorus::Value>(data) {
                return Ok(value);
            }
        }
        Ok(regorus::Value::from(self.parse()?))
    }

    /// `data.conftest.file.name` and `.dir`: base name and absolute directory.
    pub fn conftest_file(&self) -> (String, String) {
        match &self.path {
            Some(p) => {
                let name = p
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let abs = std::path::absolute(p).unwrap_or_else(|_| p.clone());
                let dir = abs
                    .parent()
                    .map(|d| d.display().to_string())
                    .unwrap_or_default();
                (name, dir)
            }
            None => (self.name.clone(), String::new()),
        }
    }
}

/// How inputs are chosen.
#[derive(Clone, Debug, Default)]
pub struct InputOptions {
    /// `--parser`: one parser for every input.
    pub parser: Option<Parser>,
    /// `--ignore`: skip paths matching this regex during directory walks.
    pub ignore: Option<Regex>,
    /// `--stdin-filename`: the name reported for `-`.
    pub stdin_filename: Option<String>,
}

/// Resolves positional arguments to input files, in the order given (directories sorted).
pub fn collect(args: &[String], options: &InputOptions) -> Result<Vec<InputFile>, PolicyError> {
    let mut out = Vec::new();
    for arg in args {
        if arg.is_empty() {
            continue;
        }
        if arg == "-" {
            let mut bytes = Vec::new();
            std::io::stdin()
                .read_to_end(&mut bytes)
                .map_err(|source| PolicyError::Io {
                    path: PathBuf::from("-"),
                    error: source,
                })?;
            let name = options.stdin_filename.clone().unwrap_or_default();
            let parser = options
                .parser
                .or_else(|| {
                    options
                        .stdin_filename
                        .as_deref()
                        .and_then(|n| Parser::detect(Path::new(n)))
                })
                .unwrap_or(Parser::Yaml);
            out.push(InputFile {
                name,
                path: None,
                parser,
                bytes,
            });
            continue;
        }
        let path = PathBuf::from(arg);
        let meta = std::fs::metadata(&path).map_err(|source| PolicyError::Io {
            path: path.clone(),
            error: source,
        })?;
        if meta.is_dir() {
            for entry in walkdir::WalkDir::new(&path)
                .follow_links(true)
                .sort_by_file_name()
            {
                let entry = entry.map_err(|e| PolicyError::Usage(format!("{arg}: {e}")))?;
                if !entry.file_type().is_file() {
                    continue;
                }
                let p = entry.path();
                let shown = p.display().to_string();
                if options
                    .ignore
                    .as_ref()
                    .is_some_and(|re| re.is_match(&shown))
                {
                    continue;
                }
                let Some(parser) = options.parser.or_else(|| Parser::detect(p)) else {
                    continue;
                };
                if matches!(parser, Parser::Unsupported(_)) && options.parser.is_none() {
                    continue;
                }
                out.push(read(p, shown, parser)?);
            }
        } else {
            let parser = options
                .parser
                .or_else(|| Parser::detect(&path))
                .ok_or_else(|| PolicyError::UnknownParser { path: arg.clone() })?;
            out.push(read(&path, arg.clone(), parser)?);
        }
    }
    if out.is_empty() {
        return Err(PolicyError::NoFiles);
    }
    Ok(out)
}

fn read(path: &Path, name: String, parser: Parser) -> Result<InputFile, PolicyError> {
    let bytes = std::fs::read(path).map_err(|source| PolicyError::Io {
        path: path.to_path_buf(),
        error: source,
    })?;
    Ok(InputFile {
        name,
        path: Some(path.to_path_buf()),
        parser,
        bytes,
    })
}

/// Conftest's `--combine` input: `[{path, contents}]` sorted by path, multi-document files
/// expanded into one entry per document.
pub fn combine(parsed: Vec<(String, Json)>) -> Json {
    let mut entries: Vec<(String, Json)> = Vec::new();
    for (path, value) in parsed {
        match value {
            Json::Array(docs) => {
                entries.extend(docs.into_iter().map(|d| (path.clone(), d)));
            }
            other => entries.push((path, other)),
        }
    }
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    Json::Array(
        entries
            .into_iter()
            .map(|(path, contents)| serde_json::json!({"path": path, "contents": contents}))
            .collect(),
    )
}
