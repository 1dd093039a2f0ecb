//! Input loaders: bytes of one configuration file → `serde_json::Value` in Conftest's shape.
//!
//! Each format lives in its own module and is registered once in [`Parser`]. The shapes follow
//! open-policy-agent/conftest's `parser/` package because users' Rego policies depend on them;
//! deliberate deviations are documented on the module that makes them.
// Loaders read untrusted input: a panic here is a denial of service, so none of these may slip in.
#![deny(
    clippy::unwrap_used,   // malformed input must become a ParseError, never a panic
    clippy::expect_used,   // same reason as unwrap_used
    clippy::panic,         // same reason as unwrap_used
    clippy::indexing_slicing  // out-of-range indices on attacker-controlled data panic
)]

mod cyclonedx;
mod dockerfile;
mod dockerfile_args;
mod dotenv;
mod error;
mod hcl2;
mod ignore;
mod ini;
mod json;
mod json_map;
mod jsonc;
mod properties;
mod source_map;
mod spdx;
mod text;
mod toml;
mod xml;
mod yaml;
mod yaml_resolve;

use std::path::Path;

pub use error::{ParseError, UnknownParser};
pub use source_map::SourceMap;

/// Maximum nesting depth of arrays/objects accepted by every loader.
///
/// Matches serde_json's recursion limit, so JSON and the other formats agree.
pub const MAX_DEPTH: usize = 128;

/// One input format, selected by `--parser NAME` or detected from a file name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Parser {
    Json,
    Jsonc,
    Yaml,
    Hcl2,
    Dockerfile,
    Toml,
    Ini,
    Xml,
    Properties,
    Dotenv,
    Ignore,
    CycloneDx,
    Spdx,
    /// Conftest parsers gatehouse does not implement: cue, jsonnet, edn, hocon, vcl, textproto,
    /// groovy, nginx, hcl1.
    Unsupported(&'static str),
}

/// Every `--parser` name, in the order they are listed to users.
const NAMES: &[(&str, Parser)] = &[
    ("cue", Parser::Unsupported("cue")),
    ("cyclonedx", Parser::CycloneDx),
    ("dockerfile", Parser::Dockerfile),
    ("dotenv", Parser::Dotenv),
    ("edn", Parser::Unsupported("edn")),
    ("groovy", Parser::Unsupported("groovy")),
    ("hcl1", Parser::Unsupported("hcl1")),
    ("hcl2", Parser::Hcl2),
    ("hocon", Parser::Unsupported("hocon")),
    ("ignore", Parser::Ignore),
    ("ini", Parser::Ini),
    ("json", Parser::Json),
    ("jsonc", Parser::Jsonc),
    ("jsonnet", Parser::Unsupported("jsonnet")),
    ("nginx", Parser::Unsupported("nginx")),
    ("properties", Parser::Properties),
    ("spdx", Parser::Spdx),
    ("textproto", Parser::Unsupported("textproto")),
    ("toml", Parser::Toml),
    ("vcl", Parser::Unsupported("vcl")),
    ("xml", Parser::Xml),
    ("yaml", Parser::Yaml),
];

impl Parser {
    /// `--parser NAME` (case-insensitive). Unknown → [`UnknownParser`], whose message lists the
    /// valid names.
    pub fn from_name(name: &str) -> Result<Parser, UnknownParser> {
        let lower = name.trim().to_ascii_lowercase();
        NAMES
            .iter()
            .find(|(n, _)| *n == lower)
            .map(|(_, p)| *p)
            .ok_or_else(|| UnknownParser {
                name: name.to_string(),
            })
    }

    /// All valid `--parser` names, sorted.
    pub fn names() -> impl Iterator<Item = &'static str> {
        NAMES.iter().map(|(n, _)| *n)
    }

    /// Conftest's detection by file name (case-insensitive); `None` if undetectable.
    ///
    /// `Dockerfile`, `Dockerfile.*`, `*.dockerfile` → dockerfile; `.yml/.yaml` → yaml;
    /// `.hcl/.tf/.tfvars` → hcl2; `.gitignore/.dockerignore` → ignore; `.env`, `.env.*`, `*.env`
    /// → dotenv; `nginx.conf` → nginx; `Jenkinsfile(.*)` → groovy; `.textproto/.textpb` →
    /// textproto; otherwise an extension equal to a parser name selects that parser.
    pub fn detect(path: &Path) -> Option<Parser> {
        let base = path.file_name()?.to_string_lossy().to_lowercase();
        // Like Go's filepath.Ext: the suffix from the last dot, so ".gitignore" has extension
        // "gitignore" (Rust's Path::extension would say none).
        let ext = base.rfind('.').map(|i| base.get(i + 1..).unwrap_or(""));
        let ext = ext.unwrap_or("");
        if base == "dockerfile" || base.starts_with("dockerfile.") || ext == "dockerfile" {
            return Some(Parser::Dockerfile);
        }
        if base == "nginx.conf" {
            return Some(Parser::Unsupported("nginx"));
        }
        if base == "jenkinsfile" || base.starts_with("jenkinsfile.") {
            return Some(Parser::Unsupported("groovy"));
        }
        if base == ".env" || base.starts_with(".env.") || ext == "env" {
            return Some(Parser::Dotenv);
        }
        match ext {
            "" => None,
            "yml" | "yaml" => Some(Parser::Yaml),
            "hcl" | "tf" | "tfvars" => Some(Parser::Hcl2),
            "gitignore" | "dockerignore" => Some(Parser::Ignore),
            "textproto" | "textpb" => Some(Parser::Unsupported("textproto")),
            other => Parser::from_name(other).ok(),
        }
    }

    /// The `--parser` name of this parser.
    pub fn name(&self) -> &'static str {
        match self {
            Parser::Json => "json",
            Parser::Jsonc => "jsonc",
            Parser::Yaml => "yaml",
            Parser::Hcl2 => "hcl2",
            Parser::Dockerfile => "dockerfile",
            Parser::Toml => "toml",
            Parser::Ini => "ini",
            Parser::Xml => "xml",
            Parser::Properties => "properties",
            Parser::Dotenv => "dotenv",
            Parser::Ignore => "ignore",
            Parser::CycloneDx => "cyclonedx",
            Parser::Spdx => "spdx",
            Parser::Unsupported(name) => name,
        }
    }
}

impl std::fmt::Display for Parser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Parse one file. `file` is the display name used in errors.
pub fn parse(parser: Parser, file: &str, bytes: &[u8]) -> Result<serde_json::Value, ParseError> {
    load(parser, file, bytes, None)
}

/// Same as [`parse`], plus a map from JSON pointer (`/resource/0/aws_s3_bucket/b/0`) to the
/// 1-based source line, so findings can point at `file:line`.
///
/// Maps are filled for json, jsonc, yaml, hcl2 and dockerfile; other formats return an empty map.
pub fn parse_with_source_map(
    parser: Parser,
    file: &str,
    bytes: &[u8],
) -> Result<(serde_json::Value, SourceMap), ParseError> {
    let mut map = SourceMap::default();
    let value = load(parser, file, bytes, Some(&mut map))?;
    Ok((value, map))
}

fn load(
    parser: Parser,
    file: &str,
    bytes: &[u8],
    map: Option<&mut SourceMap>,
) -> Result<serde_json::Value, ParseError> {
    match parser {
        Parser::Json => json::parse(file, bytes, map),
        Parser::Jsonc => jsonc::parse(file, bytes, map),
        Parser::Yaml => yaml::parse(file, bytes, map),
        Parser::Hcl2 => hcl2::parse(file, bytes, map),
        Parser::Dockerfile => dockerfile::parse(file, bytes, map),
        Parser::Toml => toml::parse(file, bytes),
        Parser::Ini => ini::parse(file, bytes),
        Parser::Xml => xml::parse(file, bytes),
        Parser::Properties => properties::parse(file, bytes),
        Parser::Dotenv => dotenv::parse(file, bytes),
        Parser::Ignore => ignore::parse(file, bytes),
        Parser::CycloneDx => cyclonedx::parse(file, bytes),
        Parser::Spdx => spdx::parse(file, bytes),
        Parser::Unsupported(name) => Err(ParseError::new(
            file,
            format!("the {name} parser is not supported by gatehouse"),
        )
        .with_help(format!(
            "convert the file to JSON or YAML first (for example with the {name} tool's own \
             exporter), or pick a supported format with `--parser` (one of: {})",
            supported_names()
        ))),
    }
}

fn supported_names() -> String {
    NAMES
        .iter()
        .filter(|(_, p)| !matches!(p, Parser::Unsupported(_)))
        .map(|(n, _)| *n)
        .collect::<Vec<_>>()
        .join(", ")
}
