//! Errors of the input loaders: every one names the file and, where the format allows, the
//! line and column, plus an optional hint on what to do next.

use std::fmt;

/// A file could not be loaded. Display: `{file}:{line}:{column}: {message}` (missing parts
/// omitted); `help` is kept apart so the CLI can print it as `help: ...`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", Located(self))]
pub struct ParseError {
    /// The display name of the file (as given to [`super::parse`]).
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column (in characters), when known.
    pub column: Option<usize>,
    /// What went wrong.
    pub message: String,
    /// What the user can do about it.
    pub help: Option<String>,
}

struct Located<'a>(&'a ParseError);

impl fmt::Display for Located<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let e = self.0;
        f.write_str(&e.file)?;
        if let Some(line) = e.line {
            write!(f, ":{line}")?;
            if let Some(column) = e.column {
                write!(f, ":{column}")?;
            }
        }
        write!(f, ": {}", e.message)
    }
}

impl ParseError {
    /// An error without a position.
    pub fn new(file: &str, message: impl Into<String>) -> ParseError {
        ParseError {
            file: file.to_string(),
            line: None,
            column: None,
            message: message.into(),
            help: None,
        }
    }

    /// An error at a 1-based line and column.
    pub fn at(file: &str, line: usize, column: usize, message: impl Into<String>) -> ParseError {
        ParseError::new(file, message).with_position(line, column)
    }

    /// An error at a 1-based line only.
    pub fn at_line(file: &str, line: usize, message: impl Into<String>) -> ParseError {
        let mut e = ParseError::new(file, message);
        e.line = Some(line);
        e
    }

    /// An error at a byte offset of `text`.
    pub(crate) fn at_offset(
        file: &str,
        text: &[u8],
        offset: usize,
        message: impl Into<String>,
    ) -> ParseError {
        let (line, column) = super::text::line_col(text, offset);
        ParseError::at(file, line, column, message)
    }

    /// Sets the position (1-based line and column).
    pub fn with_position(mut self, line: usize, column: usize) -> ParseError {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    /// Adds a hint on what to do next.
    pub fn with_help(mut self, help: impl Into<String>) -> ParseError {
        self.help = Some(help.into());
        self
    }
}

/// `--parser NAME` named no known parser.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown parser `{name}` (valid parsers: {})", valid_names())]
pub struct UnknownParser {
    /// The name as the user gave it.
    pub name: String,
}

fn valid_names() -> String {
    super::Parser::names().collect::<Vec<_>>().join(", ")
}
