//! Conftest's output formats, one module each, all rendering the same `CheckResult`s.
//!
//! Every module mirrors one file of Conftest's `output/` package (`standard.go`, `json.go`, ...)
//! and reproduces its bytes, including the quirks CI scripts depend on. Two differences in input
//! shape are bridged here rather than in each format: stdin is `""` in our results (Conftest
//! carries `-`), and results arrive sorted, so output is deterministic where Conftest's order
//! follows Go map iteration.

mod azuredevops;
mod github;
mod json;
mod junit;
mod sarif;
mod stdout;
mod table;
mod tap;

use std::path::PathBuf;

use super::result::{CheckResult, Totals};

/// `-o/--output` values. Unknown names fall back to `Stdout`, as Conftest does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    Stdout,
    Json,
    Tap,
    Table,
    Junit,
    Github,
    AzureDevops,
    Sarif,
}

impl OutputFormat {
    /// Every format, in the order Conftest lists them in `--help`.
    pub const ALL: [OutputFormat; 8] = [
        OutputFormat::Stdout,
        OutputFormat::Json,
        OutputFormat::Tap,
        OutputFormat::Table,
        OutputFormat::Junit,
        OutputFormat::Github,
        OutputFormat::AzureDevops,
        OutputFormat::Sarif,
    ];

    /// The format called `name` (exact, case-sensitive match); anything else is `Stdout`.
    pub fn from_name(name: &str) -> Self {
        Self::ALL
            .into_iter()
            .find(|format| format.name() == name)
            .unwrap_or(OutputFormat::Stdout)
    }

    /// The `-o` value that selects this format.
    pub fn name(self) -> &'static str {
        match self {
            OutputFormat::Stdout => "stdout",
            OutputFormat::Json => "json",
            OutputFormat::Tap => "tap",
            OutputFormat::Table => "table",
            OutputFormat::Junit => "junit",
            OutputFormat::Github => "github",
            OutputFormat::AzureDevops => "azuredevops",
            OutputFormat::Sarif => "sarif",
        }
    }
}

/// Rendering switches shared by `test` and `verify`.
#[derive(Clone, Debug, Default)]
pub struct RenderOptions {
    pub color: bool,
    pub suppress_exceptions: bool,
    pub junit_hide_message: bool,
    pub github_hide_passed: bool,
    /// `verify` output: the summary also counts skipped tests.
    pub verify: bool,
    /// `--trace` with the stdout format: print only trace lines (Conftest's quirk).
    pub trace: bool,
    /// Exit code reported inside SARIF's invocation. Conftest reports 1 when any failure was
    /// found and 0 otherwise, whatever `--fail-on-warn`/`--no-fail` say.
    pub exit_code: i32,
    /// SARIF `tool.driver.version`; omitted when empty (Conftest writes its own version).
    pub tool_version: String,
    /// Value of JUnit's `go.version` suite property. Conftest writes the Go runtime it was built
    /// with (`go1.x.y`); the property is always present, so an empty value is written as `""`.
    pub junit_go_version: String,
    /// Directory absolute `_loc` files are made relative to in GitHub output (Conftest uses the
    /// process's working directory). `None` leaves them as they are.
    pub working_dir: Option<PathBuf>,
}

/// Renders results in the chosen format; the text ends with a newline when non-empty.
pub fn render(format: OutputFormat, results: &[CheckResult], options: &RenderOptions) -> String {
    match format {
        OutputFormat::Stdout => stdout::render(results, options),
        OutputFormat::Json => json::render(results),
        OutputFormat::Tap => tap::render(results),
        OutputFormat::Table => table::render(results),
        OutputFormat::Junit => junit::render(results, options),
        OutputFormat::Github => github::render(results, options),
        OutputFormat::AzureDevops => azuredevops::render(results),
        OutputFormat::Sarif => sarif::render(results, options),
    }
}

/// The `--trace` lines Conftest writes to stderr whatever the output format.
pub fn render_trace(results: &[CheckResult], options: &RenderOptions) -> String {
    stdout::render_trace(results, options)
}

/// The file name Conftest shows: stdin (`""` here) is `-` there.
fn shown_name(filename: &str) -> &str {
    if filename.is_empty() { "-" } else { filename }
}

/// Conftest's summary line, `N tests, P passed, W warnings, F failures, E exceptions`
/// (singular when the count is 1), with `, S skipped` appended for `verify`.
fn summary(totals: &Totals, with_skipped: bool) -> String {
    let mut line = format!(
        "{} test{}, {} passed, {} warning{}, {} failure{}, {} exception{}",
        totals.tests,
        plural(totals.tests),
        totals.passed,
        totals.warnings,
        plural(totals.warnings),
        totals.failures,
        plural(totals.failures),
        totals.exceptions,
        plural(totals.exceptions),
    );
    if with_skipped {
        line.push_str(&format!(", {} skipped", totals.skipped));
    }
    line
}

fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}

/// Tests in one result, as Conftest counts them for `1..N` and "against N policies".
fn test_count(result: &CheckResult) -> usize {
    result.successes
        + result.failures.len()
        + result.warnings.len()
        + result.exceptions.len()
        + result.skipped.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_format_names_fall_back_to_stdout() {
        for format in OutputFormat::ALL {
            assert_eq!(OutputFormat::from_name(format.name()), format);
        }
        assert_eq!(OutputFormat::from_name("JSON"), OutputFormat::Stdout);
        assert_eq!(OutputFormat::from_name("xml"), OutputFormat::Stdout);
        assert_eq!(OutputFormat::from_name(""), OutputFormat::Stdout);
    }

    #[test]
    fn summary_uses_singular_only_for_one() {
        let totals = Totals {
            tests: 1,
            passed: 0,
            warnings: 1,
            failures: 0,
            exceptions: 2,
            skipped: 1,
        };
        assert_eq!(
            summary(&totals, false),
            "1 test, 0 passed, 1 warning, 0 failures, 2 exceptions"
        );
        assert_eq!(
            summary(&totals, true),
            "1 test, 0 passed, 1 warning, 0 failures, 2 exceptions, 1 skipped"
        );
    }
}
