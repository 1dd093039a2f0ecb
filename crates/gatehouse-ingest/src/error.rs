//! `IngestError`: why a report could not be turned into findings, with the position when known.

/// A report that cannot be parsed. The message names the position (line and column, or the
/// JSON path of the offending value) and, where it helps, what the parser expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IngestError {
    /// The bytes are not well-formed JSON/XML/CSV.
    #[error("line {line}, column {column}: {message}{}", hint_suffix(.hint))]
    Syntax {
        line: usize,
        column: usize,
        message: String,
        /// What the user should check, e.g. which tool output is expected.
        hint: Option<String>,
    },
    /// Well-formed, but not the shape this scan type expects.
    #[error("{path}: {message}")]
    Shape {
        /// JSON path (`$.runs[0].results`) or XML element path of the offending value.
        path: String,
        message: String,
    },
    /// The report itself says the scan failed (DefectDojo rejects these too).
    #[error("the report carries an error instead of results: {0}")]
    ReportedError(String),
}

fn hint_suffix(hint: &Option<String>) -> String {
    hint.as_ref().map(|h| format!(" — {h}")).unwrap_or_default()
}

impl IngestError {
    pub(crate) fn shape(path: impl Into<String>, message: impl Into<String>) -> Self {
        IngestError::Shape {
            path: path.into(),
            message: message.into(),
        }
    }
}
