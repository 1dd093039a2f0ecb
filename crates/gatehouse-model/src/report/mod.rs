//! Report writers: one module per output format, all rendering the same `&[Finding]`.
//!
//! Every writer orders findings the same way ([`compare`]): severity (worst first), then path,
//! line, rule id, and further tie-breakers down to the fingerprint, so output is byte-for-byte
//! deterministic for a given set of findings whatever order they arrived in.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use crate::Finding;

pub mod github;
pub mod json;
pub mod junit;
pub mod sarif;
pub mod table;

/// The output formats, one writer each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// SARIF 2.1.0 JSON ([`sarif`]).
    Sarif,
    /// Gatehouse's own JSON ([`json`]).
    Json,
    /// JUnit XML ([`junit`]).
    Junit,
    /// GitHub Actions workflow commands ([`github`]).
    Github,
    /// Plain-text table ([`table`]).
    Table,
}

impl Format {
    /// Every format, in documentation order.
    pub const ALL: [Format; 5] = [
        Format::Table,
        Format::Json,
        Format::Sarif,
        Format::Junit,
        Format::Github,
    ];

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Format::Sarif => "sarif",
            Format::Json => "json",
            Format::Junit => "junit",
            Format::Github => "github",
            Format::Table => "table",
        }
    }

    /// Renders `findings` with the format's default options.
    pub fn render(self, findings: &[Finding]) -> String {
        match self {
            Format::Sarif => sarif::render(findings, &sarif::SarifOptions::default()),
            Format::Json => json::render(findings),
            Format::Junit => junit::render(findings),
            Format::Github => github::render(findings),
            Format::Table => table::render(findings),
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A format name that is not one of [`Format::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown report format `{0}`: expected one of table, json, sarif, junit, github")]
pub struct UnknownFormat(pub String);

impl FromStr for Format {
    type Err = UnknownFormat;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Format::ALL
            .into_iter()
            .find(|format| format.name().eq_ignore_ascii_case(name.trim()))
            .ok_or_else(|| UnknownFormat(name.to_owned()))
    }
}

/// The report order: severity descending, then path, start line, rule id (findings without a
/// path or line after those with one), then column, resource, purl, message and fingerprint.
pub fn compare(a: &Finding, b: &Finding) -> Ordering {
    let (la, lb) = (&a.location, &b.location);
    b.severity
        .cmp(&a.severity)
        .then_with(|| (la.path.is_none(), &la.path).cmp(&(lb.path.is_none(), &lb.path)))
        .then_with(|| {
            (la.start_line.is_none(), la.start_line).cmp(&(lb.start_line.is_none(), lb.start_line))
        })
        .then_with(|| a.rule_id.cmp(&b.rule_id))
        .then_with(|| la.start_column.cmp(&lb.start_column))
        .then_with(|| la.resource.cmp(&lb.resource))
        .then_with(|| la.purl.cmp(&lb.purl))
        .then_with(|| a.message.cmp(&b.message))
        .then_with(|| a.fingerprint_or_compute().cmp(&b.fingerprint_or_compute()))
}

/// The findings in report order ([`compare`]).
pub fn sorted(findings: &[Finding]) -> Vec<&Finding> {
    let mut sorted: Vec<&Finding> = findings.iter().collect();
    sorted.sort_by(|a, b| compare(a, b));
    sorted
}

/// Counts of unsuppressed findings per severity, worst first, plus the suppressed count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Summary {
    pub critical: usize,
    pub high: usize,
    pub medium: usize,
    pub low: usize,
    pub info: usize,
    pub suppressed: usize,
}

impl Summary {
    /// Tallies findings; suppressed ones count only in `suppressed`.
    pub fn of(findings: &[Finding]) -> Self {
        let mut summary = Summary::default();
        for finding in findings {
            if finding.is_suppressed() {
                summary.suppressed += 1;
                continue;
            }
            *match finding.severity {
                crate::Severity::Critical => &mut summary.critical,
                crate::Severity::High => &mut summary.high,
                crate::Severity::Medium => &mut summary.medium,
                crate::Severity::Low => &mut summary.low,
                crate::Severity::Info => &mut summary.info,
            } += 1;
        }
        summary
    }

    /// Unsuppressed findings.
    pub fn open(&self) -> usize {
        self.critical + self.high + self.medium + self.low + self.info
    }
}

impl fmt::Display for Summary {
    /// `3 findings: 1 critical, 2 high (1 suppressed)`; `no findings` when empty.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let open = self.open();
        if open == 0 && self.suppressed == 0 {
            return f.write_str("no findings");
        }
        let noun = if open == 1 { "finding" } else { "findings" };
        write!(f, "{open} {noun}")?;
        let parts: Vec<String> = [
            (self.critical, "critical"),
            (self.high, "high"),
            (self.medium, "medium"),
            (self.low, "low"),
            (self.info, "info"),
        ]
        .iter()
        .filter(|(count, _)| *count > 0)
        .map(|(count, name)| format!("{count} {name}"))
        .collect();
        if !parts.is_empty() {
            write!(f, ": {}", parts.join(", "))?;
        }
        if self.suppressed > 0 {
            write!(f, " ({} suppressed)", self.suppressed)?;
        }
        Ok(())
    }
}
