//! The terminal view of a scan: one row per (package, advisory), worst first, and of a
//! re-scan: what changed.
//!
//! ```text
//! SEVERITY  ADVISORY             ALIASES         PACKAGE  VERSION  FIXED IN  STATUS  LOCATION
//! high      GHSA-35jh-r3h4-6jhm  CVE-2021-23337  lodash   4.17.20  4.17.21   open    package-lock.json
//! ```

use gatehouse_model::Finding;
use gatehouse_model::report::Summary;
use gatehouse_model::report::table::{clean, grid};
use serde_json::Value;

use crate::scan::{Changes, is_unknown_severity};

const HEADER: [&str; 8] = [
    "SEVERITY", "ADVISORY", "ALIASES", "PACKAGE", "VERSION", "FIXED IN", "STATUS", "LOCATION",
];

fn severity(f: &Finding) -> String {
    if is_unknown_severity(f) {
        "unknown".to_owned()
    } else {
        f.severity.as_str().to_owned()
    }
}

fn row(f: &Finding, status: &str) -> [String; 8] {
    let prop = |k: &str| {
        f.properties
            .get(k)
            .and_then(Value::as_str)
            .map(clean)
            .unwrap_or_default()
    };
    let aliases: Vec<&str> = f
        .vulnerability_ids
        .iter()
        .filter(|id| **id != f.rule_id)
        .map(String::as_str)
        .collect();
    let status = match (&f.suppressed, status) {
        (Some(_), _) => "waived".to_owned(),
        (None, s) => s.to_owned(),
    };
    let location = match (&f.location.path, prop("target")) {
        (Some(p), _) => clean(p),
        (None, t) => t,
    };
    [
        severity(f),
        clean(&f.rule_id),
        clean(&aliases.join(",")),
        prop("package"),
        clean(f.location.package_version.as_deref().unwrap_or_default()),
        prop("fixed_version"),
        status,
        location,
    ]
}

/// The table of a scan's findings, with a summary line.
pub fn render(findings: &[Finding]) -> String {
    let summary = Summary::of(findings);
    if findings.is_empty() {
        return "no known vulnerabilities\n".to_owned();
    }
    let rows: Vec<[String; 8]> = findings.iter().map(|f| row(f, "open")).collect();
    let mut out = grid(HEADER, &rows);
    out.push('\n');
    out.push_str(&summary.to_string());
    out.push('\n');
    out
}

/// The table of what a re-scan changed: new matches, severity changes, fixed matches.
pub fn render_changes(changes: &Changes) -> String {
    if changes.is_empty() {
        return "no changes since the previous advisory import\n".to_owned();
    }
    let mut rows: Vec<[String; 8]> = Vec::new();
    rows.extend(changes.new.iter().map(|f| row(f, "new")));
    rows.extend(changes.severity_changed.iter().map(|c| {
        let before = if c.before_unknown {
            "unknown"
        } else {
            c.before.as_str()
        };
        row(&c.finding, &format!("was {before}"))
    }));
    rows.extend(changes.fixed.iter().map(|f| row(f, "gone")));
    let mut out = grid(HEADER, &rows);
    out.push_str(&format!(
        "\n{} new, {} severity changed, {} no longer affected\n",
        changes.new.len(),
        changes.severity_changed.len(),
        changes.fixed.len()
    ));
    out
}
