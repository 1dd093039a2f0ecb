//! The terminal view of a scan: one row per (package, advisory), worst first, and of a
//! re-scan: what changed.
//!
//! ```text
//! SEVERITY  ADVISORY             ALIASES         PACKAGE  VERSION  FIXED IN  STATUS  LOCATION
//! high      GHSA-35jh-r3h4-6jhm  CVE-2021-23337  lodash   4.17.20  4.17.21   open    package-lock.json
//! ```

use gatehouse_model::Finding;
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
    if findings.is_empty() {
        return "no known vulnerabilities\n".to_owned();
    }
    let rows: Vec<[String; 8]> = findings.iter().map(|f| row(f, "open")).collect();
    let mut out = grid(HEADER, &rows);
    out.push('\n');
    out.push_str(&summary(findings));
    out.push('\n');
    out
}

/// `27 findings: 11 high, 2 medium, 14 unknown (1 waived)`: open findings per severity, with
/// advisories without severity data counted apart from `info`.
pub fn summary(findings: &[Finding]) -> String {
    let open: Vec<&Finding> = findings.iter().filter(|f| !f.is_suppressed()).collect();
    let mut counts: Vec<(String, usize)> = Vec::new();
    for f in &open {
        let word = severity(f);
        match counts.iter_mut().find(|(w, _)| *w == word) {
            Some((_, n)) => *n += 1,
            None => counts.push((word, 1)),
        }
    }
    let rank = |w: &str| {
        ["critical", "high", "unknown", "medium", "low", "info"]
            .iter()
            .position(|x| *x == w)
            .unwrap_or(usize::MAX)
    };
    counts.sort_by_key(|(w, _)| rank(w));
    let noun = if open.len() == 1 {
        "finding"
    } else {
        "findings"
    };
    let mut out = format!("{} {noun}", open.len());
    if !counts.is_empty() {
        let parts: Vec<String> = counts.iter().map(|(w, n)| format!("{n} {w}")).collect();
        out.push_str(&format!(": {}", parts.join(", ")));
    }
    let waived = findings.len() - open.len();
    if waived > 0 {
        out.push_str(&format!(" ({waived} waived)"));
    }
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
