//! The default human-readable format (Conftest's `output/standard.go`): `PRNT` lines, then
//! `WARN`/`FAIL`/`EXCP` lines per result, a blank line and the coloured summary.

use std::fmt::Write as _;

use super::{RenderOptions, shown_name, summary};
use crate::conftest::result::{CheckResult, Outcome, Totals};

/// ANSI foreground colours, as Conftest's colouring library writes them.
const RED: u8 = 31;
const GREEN: u8 = 32;
const YELLOW: u8 = 33;
const BLUE: u8 = 34;
const CYAN: u8 = 36;

pub(super) fn render(results: &[CheckResult], options: &RenderOptions) -> String {
    // With `--trace` Conftest's standard outputter prints the trace and nothing else.
    if options.trace {
        return render_trace(results, options);
    }
    let paint = Painter(options.color);
    let mut out = String::new();

    for result in results {
        for lines in printed_blocks(result) {
            for line in lines {
                // Conftest prints the tag `PRNT ` and an empty operand, each space-separated.
                let _ = writeln!(out, "{}  {line}", paint.fg(BLUE, "PRNT "));
            }
        }
    }

    for result in results {
        let file = match shown_name(&result.filename) {
            "-" => "-".to_owned(),
            name => format!("- {name}"),
        };
        let namespace = match result.namespace.as_str() {
            "-" => "-".to_owned(),
            ns => format!("- {ns} -"),
        };
        let mut line = |tag: &str, color: u8, outcome: &Outcome| {
            let tag = paint.fg(color, tag);
            let _ = writeln!(out, "{tag} {file} {namespace} {}", outcome.message);
        };
        result.warnings.iter().for_each(|o| line("WARN", YELLOW, o));
        result.failures.iter().for_each(|o| line("FAIL", RED, o));
        if !options.suppress_exceptions {
            result.exceptions.iter().for_each(|o| line("EXCP", CYAN, o));
        }
    }

    let totals = Totals::of(results);
    let color = if totals.failures > 0 {
        RED
    } else if totals.warnings > 0 {
        YELLOW
    } else if totals.exceptions > 0 {
        CYAN
    } else {
        GREEN
    };
    out.push('\n');
    out.push_str(&paint.fg(color, &summary(&totals, options.verify)));
    out.push('\n');
    out
}

/// `TRAC` lines for every result, Conftest's `--trace` block.
pub(super) fn render_trace(results: &[CheckResult], options: &RenderOptions) -> String {
    let paint = Painter(options.color);
    let mut out = String::new();
    for line in results.iter().flat_map(|r| &r.traces) {
        let _ = writeln!(out, "{}  {line}", paint.fg(BLUE, "TRAC "));
    }
    out
}

/// The `print()` output gathered while evaluating `result`'s file and namespace.
fn printed_blocks(result: &CheckResult) -> Vec<&[String]> {
    if result.outputs.is_empty() {
        Vec::new()
    } else {
        vec![result.outputs.as_slice()]
    }
}

/// Wraps text in an ANSI colour when colours are on.
#[derive(Clone, Copy)]
struct Painter(bool);

impl Painter {
    fn fg(self, color: u8, text: &str) -> String {
        if self.0 {
            format!("\x1b[{color}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }
}
