//! The Conftest result model: one `CheckResult` per (file, namespace), as Conftest reports it.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Where a result came from in its input, from a rule's `_loc: {file, line}` object.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultLocation {
    pub file: String,
    pub line: u64,
}

/// One rule outcome: a failure, warning, exception or skipped test.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    /// The message (`msg`), or for exceptions the exception query text.
    #[serde(rename = "msg")]
    pub message: String,
    #[serde(rename = "loc", skip_serializing_if = "Option::is_none", default)]
    pub location: Option<ResultLocation>,
    /// Every other key of an object result, plus `query = "data.<ns>.<rule>"`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub metadata: Option<Map<String, Value>>,
    /// `print()` output gathered while evaluating the query that produced this result.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub outputs: Vec<String>,
}

/// Results of evaluating one namespace against one input file (or `Combined`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CheckResult {
    /// The file name as the user gave it; `""` for stdin without `--stdin-filename`.
    pub filename: String,
    pub namespace: String,
    pub successes: usize,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub skipped: Vec<Outcome>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub warnings: Vec<Outcome>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub failures: Vec<Outcome>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub exceptions: Vec<Outcome>,
    /// `print()` output gathered while evaluating this file and namespace, as `file:line: text`
    /// lines in evaluation order (the stdout format shows them first as `PRNT` lines). Not serialized.
    #[serde(skip)]
    pub outputs: Vec<String>,
    /// Trace lines (`--trace`), printed to stderr by the stdout format. Not serialized.
    #[serde(skip)]
    pub traces: Vec<String>,
}

/// Totals across results, as Conftest's summary line counts them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    pub tests: usize,
    pub passed: usize,
    pub warnings: usize,
    pub failures: usize,
    pub exceptions: usize,
    pub skipped: usize,
}

impl Totals {
    pub fn of(results: &[CheckResult]) -> Self {
        let mut t = Totals::default();
        for r in results {
            t.passed += r.successes;
            t.warnings += r.warnings.len();
            t.failures += r.failures.len();
            t.exceptions += r.exceptions.len();
            t.skipped += r.skipped.len();
        }
        t.tests = t.passed + t.warnings + t.failures + t.exceptions + t.skipped;
        t
    }
}
