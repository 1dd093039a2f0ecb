//! Typed errors: every parse error names the file and, where the format has one, the position.

use std::fmt;

/// A lockfile or package database that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct CatalogError {
    /// The file, as a path relative to the scanned root (or inside the image).
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub column: Option<usize>,
    /// What went wrong, and what the user can do about it.
    pub message: String,
}

impl CatalogError {
    /// An error without a position.
    pub fn new(file: &str, message: impl Into<String>) -> Self {
        Self {
            file: file.to_owned(),
            line: None,
            column: None,
            message: message.into(),
        }
    }

    /// An error at `line` (1-based), column unknown.
    pub fn at_line(file: &str, line: usize, message: impl Into<String>) -> Self {
        Self {
            file: file.to_owned(),
            line: Some(line),
            column: None,
            message: message.into(),
        }
    }

    /// An error at `line:column` (1-based).
    pub fn at(file: &str, line: usize, column: usize, message: impl Into<String>) -> Self {
        Self {
            file: file.to_owned(),
            line: Some(line),
            column: Some(column),
            message: message.into(),
        }
    }

    /// From a serde_json error (which carries line and column).
    pub fn json(file: &str, err: &serde_json::Error) -> Self {
        let msg = err.to_string();
        // serde_json appends " at line L column C"; keep the message short.
        let msg = msg.split(" at line ").next().unwrap_or(&msg).to_owned();
        // serde_json says column 0 for a position before a line's first character (the end of
        // input right after a newline); columns here are 1-based.
        Self::at(file, err.line().max(1), err.column().max(1), msg)
    }

    /// From a TOML error (which carries a byte span into `text`).
    pub fn toml(file: &str, text: &str, err: &toml::de::Error) -> Self {
        let message = err.message().to_owned();
        match err.span() {
            Some(span) => {
                let (line, column) = line_col(text, span.start);
                Self::at(file, line, column, message)
            }
            None => Self::new(file, message),
        }
    }

    /// From a YAML scan error on `text`.
    pub fn yaml(file: &str, text: &str, err: &yaml_rust2::ScanError) -> Self {
        let m = err.marker();
        let (line, column) = (m.line().max(1), m.col() + 1);
        // At the end of input without a final newline the scanner's marker is on the line after
        // the last one; point at the end of the last line instead.
        let (last_line, last_column) = line_col(text, text.len());
        if (line, column) > (last_line, last_column) {
            return Self::at(file, last_line, last_column, err.info().to_owned());
        }
        Self::at(file, line, column, err.info().to_owned())
    }
}

impl fmt::Display for CatalogError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(l), Some(c)) => {
                write!(f, "`{}`: line {l}, column {c}: {}", self.file, self.message)
            }
            (Some(l), None) => write!(f, "`{}`: line {l}: {}", self.file, self.message),
            _ => write!(f, "`{}`: {}", self.file, self.message),
        }
    }
}

/// 1-based line and column of byte `offset` in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// Everything that can go wrong producing or reading an SBOM.
#[derive(Debug, thiserror::Error)]
pub enum SbomError {
    /// A lockfile or package database is malformed.
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    /// Reading the source failed.
    #[error("`{path}`: {error}")]
    Io {
        /// The file or directory.
        path: String,
        /// The I/O error.
        error: std::io::Error,
    },
    /// A container image (tarball or OCI layout) is malformed.
    #[error("`{path}`: {message}")]
    Image {
        /// The image path (and entry inside it).
        path: String,
        /// What is wrong.
        message: String,
    },
    /// A registry could not be reached, refused us, or served content that fails its digest.
    #[cfg(feature = "registry")]
    #[error(transparent)]
    Registry(#[from] gatehouse_oci::OciError),
    /// An SBOM document could not be read back.
    #[error("{format} document: {message}")]
    Document {
        /// `CycloneDX` or `SPDX`.
        format: &'static str,
        /// What is wrong (with line and column for JSON errors).
        message: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by `fuzz_lockfiles`: serde_json's column 0 at the start of a line.
    #[test]
    fn json_columns_are_one_based() {
        let err = serde_json::from_str::<serde_json::Value>("{\"a\":\n").err();
        let e = err.map(|err| CatalogError::json("f.json", &err));
        assert_eq!(e.as_ref().and_then(|e| e.line), Some(2));
        assert_eq!(e.as_ref().and_then(|e| e.column), Some(1));
    }

    /// Found by `fuzz_lockfiles`: yaml-rust2 put an error at the end of input without a final
    /// newline on the line after the last one (line 4 of a 3-line file).
    #[test]
    fn yaml_errors_stay_inside_the_file() {
        let text = "lockfileVersion: '9.0'\n\nset\u{e}# x";
        let err = yaml_rust2::YamlLoader::load_from_str(text).err();
        let e = err.map(|err| CatalogError::yaml("pnpm-lock.yaml", text, &err));
        assert_eq!(e.as_ref().and_then(|e| e.line), Some(3));
        assert_eq!(e.as_ref().and_then(|e| e.column), Some(8));
        // A position inside the file is kept.
        let text = "a: [\nb";
        let err = yaml_rust2::YamlLoader::load_from_str(text).err();
        let e = err.map(|err| CatalogError::yaml("x.yaml", text, &err));
        assert!(e.is_some_and(|e| e.line.is_some_and(|l| l <= 2)));
    }
}
