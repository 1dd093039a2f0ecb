//! GitHub Actions workflow commands: one `::error`/`::warning`/`::notice` annotation per open
//! finding.
//!
//! ```text
//! ::error file=infra/main.tf,line=12,endLine=14,title=[HIGH] GH-TF-S3-001%3A S3 bucket…::bucket is public
//! ```
//!
//! Critical and High are `error`, Medium `warning`, Low and Info `notice`. Suppressed findings
//! are left out (they do not fail the gate). Escaping follows `@actions/core`: in the message
//! (data) `%`, CR and LF become `%25`, `%0D`, `%0A`; in property values `:` and `,` also become
//! `%3A` and `%2C`. So untrusted scanner text can neither end the command early nor start a new
//! one; other control characters (ESC) become U+FFFD.

use std::fmt::Write as _;

use crate::report::sorted;
use crate::{Finding, Severity};

/// One workflow command per open finding, each ending in a newline.
pub fn render(findings: &[Finding]) -> String {
    let mut out = String::new();
    for finding in sorted(findings).into_iter().filter(|f| !f.is_suppressed()) {
        out.push_str(&annotation(finding));
        out.push('\n');
    }
    out
}

/// The workflow command for one finding (without the trailing newline).
pub fn annotation(finding: &Finding) -> String {
    let command = match finding.severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "notice",
    };
    let loc = &finding.location;
    let mut properties: Vec<(&str, String)> = Vec::new();
    if let Some(path) = &loc.path {
        properties.push(("file", path.clone()));
        if let Some(line) = loc.start_line {
            properties.push(("line", line.to_string()));
            if let Some(end) = loc.end_line.filter(|end| *end >= line) {
                properties.push(("endLine", end.to_string()));
            }
            if let Some(col) = loc.start_column {
                properties.push(("col", col.to_string()));
                if let Some(end) = loc.end_column {
                    properties.push(("endColumn", end.to_string()));
                }
            }
        }
    }
    let title = format!(
        "[{}] {}: {}",
        finding.severity.label(),
        finding.rule_id,
        finding.display_title()
    );
    properties.push(("title", title));

    let mut command_line = format!("::{command} ");
    let rendered: Vec<String> = properties
        .iter()
        .map(|(key, value)| format!("{key}={}", escape_property(value)))
        .collect();
    command_line.push_str(&rendered.join(","));
    command_line.push_str("::");
    command_line.push_str(&escape_data(&clean(&message(finding))));
    command_line
}

/// Replaces control characters other than CR, LF and tab (which escaping or the log keep
/// harmless) with U+FFFD, so ESC sequences cannot restyle the job log.
fn clean(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() && !matches!(c, '\r' | '\n' | '\t') {
                '\u{fffd}'
            } else {
                c
            }
        })
        .collect()
}

/// The message plus the facts a reviewer needs without opening the report.
fn message(finding: &Finding) -> String {
    let loc = &finding.location;
    let mut text = if finding.message.is_empty() {
        finding.display_title().to_owned()
    } else {
        finding.message.clone()
    };
    if let Some(resource) = &loc.resource {
        let _ = write!(text, "\nResource: {resource}");
    }
    if loc.purl.is_some() {
        let _ = write!(text, "\nPackage: {}", loc.display_short_package());
    }
    if !finding.vulnerability_ids.is_empty() {
        let _ = write!(
            text,
            "\nVulnerabilities: {}",
            finding.vulnerability_ids.join(", ")
        );
    }
    if let Some(remediation) = &finding.remediation {
        let _ = write!(text, "\nRemediation: {remediation}");
    }
    if !finding.owners.is_empty() {
        let _ = write!(text, "\nOwners: {}", finding.owners.join(" "));
    }
    text
}

/// Escapes a command's data (the message) as `@actions/core` `escapeData` does.
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value as `@actions/core` `escapeProperty` does.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}
