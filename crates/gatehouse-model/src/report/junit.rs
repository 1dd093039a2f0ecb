//! JUnit XML: one `<testsuite>` per tool, one `<testcase>` per finding, for CI test-report views.
//!
//! Open findings are `<failure>`s (`type` is the severity label, the body lists everything
//! known about the finding); suppressed findings are `<skipped>` with the waiver's reason. Text
//! is escaped with `quick-xml`; attribute values also encode tab, CR and LF so they survive
//! attribute-value normalization; characters XML 1.0 cannot carry become U+FFFD.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::report::sorted;
use crate::{Finding, SuppressionSource};

/// The JUnit document for `findings`.
pub fn render(findings: &[Finding]) -> String {
    let mut by_tool: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for finding in sorted(findings) {
        let tool = if finding.tool.name.is_empty() {
            "gatehouse"
        } else {
            &finding.tool.name
        };
        by_tool.entry(tool).or_default().push(finding);
    }
    if by_tool.is_empty() {
        by_tool.insert("gatehouse", Vec::new());
    }

    let all: Vec<&Finding> = by_tool.values().flatten().copied().collect();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(out, "<testsuites name=\"gatehouse\" {}>", counts(&all));
    for (tool, findings) in &by_tool {
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" {}>",
            attr(tool),
            counts(findings)
        );
        for finding in findings {
            testcase(&mut out, finding);
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

fn counts(findings: &[&Finding]) -> String {
    let skipped = findings.iter().filter(|f| f.is_suppressed()).count();
    let failures = findings.len() - skipped;
    format!(
        "tests=\"{}\" failures=\"{failures}\" errors=\"0\" skipped=\"{skipped}\"",
        findings.len()
    )
}

fn testcase(out: &mut String, finding: &Finding) {
    let location = finding.location.display_short();
    let classname = if location.is_empty() {
        finding.tool.name.clone()
    } else {
        location
    };
    let name = format!(
        "[{}] {}: {}",
        finding.severity.label(),
        finding.rule_id,
        finding.display_title()
    );
    let _ = write!(
        out,
        "    <testcase name=\"{}\" classname=\"{}\"",
        attr(&name),
        attr(&classname)
    );
    if let Some(path) = &finding.location.path {
        let _ = write!(out, " file=\"{}\"", attr(path));
    }
    if let Some(line) = finding.location.start_line {
        let _ = write!(out, " line=\"{line}\"");
    }
    out.push_str(">\n");
    match &finding.suppressed {
        Some(suppressed) => {
            let mut reason = match suppressed.source {
                SuppressionSource::Waiver => format!("waived: {}", suppressed.justification),
                SuppressionSource::InSource => {
                    format!("suppressed in source: {}", suppressed.justification)
                }
            };
            if let Some(approver) = &suppressed.approver {
                let _ = write!(reason, " (approved by {approver}");
                if let Some(expires) = suppressed.expires {
                    let _ = write!(reason, ", expires {expires}");
                }
                reason.push(')');
            }
            let _ = writeln!(out, "      <skipped message=\"{}\"/>", attr(&reason));
        }
        None => {
            let message = if finding.message.is_empty() {
                finding.display_title()
            } else {
                &finding.message
            };
            let _ = writeln!(
                out,
                "      <failure message=\"{}\" type=\"{}\">{}</failure>",
                attr(message),
                finding.severity.label(),
                text(&details(finding))
            );
        }
    }
    out.push_str("    </testcase>\n");
}

/// The failure body: one `Label: value` line per known fact.
fn details(finding: &Finding) -> String {
    let loc = &finding.location;
    let mut lines = vec![format!("{} {}", finding.severity.label(), finding.rule_id)];
    if !finding.message.is_empty() {
        lines.push(finding.message.clone());
    }
    let mut fact = |label: &str, value: Option<String>| {
        if let Some(value) = value.filter(|v| !v.is_empty()) {
            lines.push(format!("{label}: {value}"));
        }
    };
    let position = loc.path.as_ref().map(|_| loc.display_short());
    fact("Location", position);
    fact("Resource", loc.resource.clone());
    fact("Package", loc.purl.clone());
    fact("Version", loc.package_version.clone());
    fact("Image", loc.image_digest.clone());
    fact("Tool severity", finding.tool_severity.clone());
    let cwes: Vec<String> = finding.cwe_ids.iter().map(|c| format!("CWE-{c}")).collect();
    fact("CWE", Some(cwes.join(", ")));
    fact(
        "Vulnerabilities",
        Some(finding.vulnerability_ids.join(", ")),
    );
    fact("Owners", Some(finding.owners.join(", ")));
    fact("Remediation", finding.remediation.clone());
    fact("References", Some(finding.references.join(" ")));
    fact(
        "Fingerprint",
        Some(finding.fingerprint_or_compute().to_string()),
    );
    lines.join("\n")
}

/// Escaped element text.
fn text(value: &str) -> String {
    quick_xml::escape::escape(xml_chars(value).as_str()).into_owned()
}

/// Escaped attribute value (quotes, and whitespace that attribute normalization would eat).
fn attr(value: &str) -> String {
    text(value)
        .replace('\t', "&#9;")
        .replace('\n', "&#10;")
        .replace('\r', "&#13;")
}

/// Replaces characters XML 1.0 cannot represent with U+FFFD.
fn xml_chars(value: &str) -> String {
    value
        .chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => c,
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => '\u{fffd}',
            c => c,
        })
        .collect()
}
