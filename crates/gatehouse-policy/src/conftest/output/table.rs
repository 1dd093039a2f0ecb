//! The `table` format (Conftest's `output/table.go`): a box-drawn table with RESULT, FILE,
//! NAMESPACE and MESSAGE columns, laid out as Conftest's table library (tablewriter v1) does by
//! default: centred upper-case headers, left-aligned cells padded by one space, multi-line cells
//! split into lines, no wrapping, nothing at all when there are no rows.

use super::shown_name;
use crate::conftest::result::CheckResult;

const HEADERS: [&str; 4] = ["RESULT", "FILE", "NAMESPACE", "MESSAGE"];

pub(super) fn render(results: &[CheckResult]) -> String {
    let rows = rows(results);
    if rows.is_empty() {
        return String::new();
    }

    // Each cell is a list of lines, trimmed of surrounding spaces.
    let cells: Vec<[Vec<&str>; 4]> = rows
        .iter()
        .map(|row| {
            row.each_ref()
                .map(|cell| cell.split('\n').map(str::trim).collect())
        })
        .collect();
    let mut widths = HEADERS.map(width);
    for row in &cells {
        for (column, lines) in row.iter().enumerate() {
            for line in lines {
                widths[column] = widths[column].max(width(line));
            }
        }
    }

    let mut out = String::new();
    rule(&mut out, &widths, ('┌', '┬', '┐'));
    out.push('│');
    for (header, &w) in HEADERS.iter().zip(&widths) {
        let spare = w - width(header);
        let left = spare / 2;
        out.push_str(&format!(
            " {}{header}{} │",
            " ".repeat(left),
            " ".repeat(spare - left)
        ));
    }
    out.push('\n');
    rule(&mut out, &widths, ('├', '┼', '┤'));
    for row in &cells {
        let height = row.iter().map(Vec::len).max().unwrap_or(1);
        for i in 0..height {
            out.push('│');
            for (lines, &w) in row.iter().zip(&widths) {
                let line = lines.get(i).copied().unwrap_or("");
                out.push_str(&format!(" {line}{} │", " ".repeat(w - width(line))));
            }
            out.push('\n');
        }
    }
    rule(&mut out, &widths, ('└', '┴', '┘'));
    out
}

/// One row per test, in Conftest's order within a result: successes, exceptions, warnings,
/// skipped, failures.
fn rows(results: &[CheckResult]) -> Vec<[String; 4]> {
    let mut rows = Vec::new();
    for result in results {
        let row = |kind: &str, message: &str| {
            [
                kind.to_owned(),
                shown_name(&result.filename).to_owned(),
                result.namespace.clone(),
                message.to_owned(),
            ]
        };
        rows.extend((0..result.successes).map(|_| row("success", "SUCCESS")));
        rows.extend(
            result
                .exceptions
                .iter()
                .map(|o| row("exception", &o.message)),
        );
        rows.extend(result.warnings.iter().map(|o| row("warning", &o.message)));
        rows.extend(result.skipped.iter().map(|o| row("skipped", &o.message)));
        rows.extend(result.failures.iter().map(|o| row("failure", &o.message)));
    }
    rows
}

fn rule(out: &mut String, widths: &[usize; 4], (left, middle, right): (char, char, char)) {
    out.push(left);
    for (i, w) in widths.iter().enumerate() {
        if i > 0 {
            out.push(middle);
        }
        out.push_str(&"─".repeat(w + 2));
    }
    out.push(right);
    out.push('\n');
}

/// Display width in terminal columns. Counts characters: wide (CJK) characters and combining
/// marks are measured as one column each.
fn width(text: &str) -> usize {
    text.chars().count()
}
