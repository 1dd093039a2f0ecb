//! Plain-text table: aligned columns, no colours, one row per finding, a summary line last.
//!
//! ```text
//! SEVERITY  RULE          LOCATION          STATUS  MESSAGE
//! high      GH-TF-S3-001  infra/main.tf:12  open    bucket `logs` is public
//!
//! 1 finding: 1 high
//! ```
//!
//! Columns are padded by character count (no Unicode width tables); the message column shows
//! the first line only. Control characters (including terminal escape sequences' ESC) in
//! untrusted text become `�`, so a scanner's output cannot restyle or rewrite the terminal.

use crate::report::{Summary, sorted};
use crate::{Finding, SuppressionSource};

const HEADER: [&str; 5] = ["SEVERITY", "RULE", "LOCATION", "STATUS", "MESSAGE"];

/// The table for `findings`, ending in a newline.
pub fn render(findings: &[Finding]) -> String {
    let summary = Summary::of(findings);
    if findings.is_empty() {
        return format!("{summary}\n");
    }
    let rows: Vec<[String; 5]> = sorted(findings).into_iter().map(row).collect();
    let mut out = grid(HEADER, &rows);
    out.push('\n');
    out.push_str(&summary.to_string());
    out.push('\n');
    out
}

fn row(finding: &Finding) -> [String; 5] {
    let status = match finding.suppressed.as_ref().map(|s| s.source) {
        None => "open",
        Some(SuppressionSource::Waiver) => "waived",
        Some(SuppressionSource::InSource) => "suppressed",
    };
    let message = if finding.message.is_empty() {
        finding.display_title()
    } else {
        &finding.message
    };
    let first_line = message.lines().next().unwrap_or_default();
    [
        finding.severity.as_str().to_owned(),
        clean(&finding.rule_id),
        clean(&finding.location.display_short()),
        status.to_owned(),
        clean(first_line),
    ]
}

/// Aligned columns (two spaces apart, padded by character count, trailing blanks trimmed): the
/// header line, then one line per row. Cells are written as given; pass them through
/// [`clean`] when they hold untrusted text.
pub fn grid<const N: usize>(header: [&str; N], rows: &[[String; N]]) -> String {
    let mut widths = header.map(|h| h.chars().count());
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let header = header.map(str::to_owned);
    for cells in std::iter::once(&header).chain(rows) {
        let mut line = String::new();
        for (index, (cell, width)) in cells.iter().zip(widths).enumerate() {
            if index > 0 {
                line.push_str("  ");
            }
            line.push_str(cell);
            let padding = width.saturating_sub(cell.chars().count());
            line.extend(std::iter::repeat_n(' ', padding));
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Replaces control characters with U+FFFD.
pub fn clean(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { '\u{fffd}' } else { c })
        .collect()
}
