//! Parsed [`Finding`]s → rows ready to store: DefectDojo's fields, status flags, `hash_code`,
//! cross-scanner keys and SLA due date. Pure; no database.

use chrono::{Days, NaiveDate};
use gatehouse_ingest::dojo;
use gatehouse_model::{Finding, Severity};
use serde_json::Value;

use crate::dedupe::{self, HashInput};

/// DefectDojo's severity words, most severe first (`numerical_severity` S0..S4 is the index).
pub const SEVERITIES: [&str; 5] = ["Critical", "High", "Medium", "Low", "Info"];

/// DefectDojo's word for a severity.
pub fn severity_word(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "Critical",
        Severity::High => "High",
        Severity::Medium => "Medium",
        Severity::Low => "Low",
        Severity::Info => "Info",
    }
}

/// `0` for Critical … `4` for Info.
pub fn numerical_severity(word: &str) -> i64 {
    SEVERITIES.iter().position(|s| *s == word).unwrap_or(4) as i64
}

/// A product's SLA: days per severity, `None` where the severity is not enforced (DefectDojo's
/// `SLA_Configuration`; the default is 7/30/90/120, Info never has an SLA).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sla {
    pub critical: Option<i64>,
    pub high: Option<i64>,
    pub medium: Option<i64>,
    pub low: Option<i64>,
    /// Reimport reactivation restarts the clock (DefectDojo's `restart_sla_on_reactivation`).
    pub restart_on_reactivation: bool,
}

impl Default for Sla {
    fn default() -> Self {
        Sla {
            critical: Some(7),
            high: Some(30),
            medium: Some(90),
            low: Some(120),
            restart_on_reactivation: false,
        }
    }
}

impl Sla {
    /// `start + days[severity]`; `None` for Info and for severities not enforced.
    pub fn due(&self, severity: &str, start: NaiveDate) -> Option<NaiveDate> {
        let days = match severity {
            "Critical" => self.critical,
            "High" => self.high,
            "Medium" => self.medium,
            "Low" => self.low,
            _ => None,
        }?;
        start.checked_add_days(Days::new(u64::try_from(days).ok()?))
    }
}

/// What the request forces on every finding (DefectDojo: applied only when sent).
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub active: Option<bool>,
    pub verified: Option<bool>,
    pub scan_date: Option<NaiveDate>,
    pub service: Option<String>,
    pub minimum_severity: Option<String>,
}

/// One report item, ready to insert.
#[derive(Debug, Clone)]
pub struct NewFinding {
    /// Position in the report (after the minimum-severity filter).
    pub report_pos: i64,
    pub title: String,
    pub description: String,
    pub severity: &'static str,
    pub date: NaiveDate,
    pub file_path: Option<String>,
    pub line: Option<i64>,
    pub component_name: Option<String>,
    pub component_version: Option<String>,
    pub vulnerability_ids: Vec<String>,
    pub cwe: i64,
    pub rule_id: String,
    pub vuln_id_from_tool: Option<String>,
    pub unique_id_from_tool: Option<String>,
    pub hash_code: String,
    pub fingerprint: String,
    pub cross_cve_key: Option<String>,
    pub cross_loc_key: Option<String>,
    pub service: Option<String>,
    pub active: bool,
    pub verified: bool,
    pub false_p: bool,
    pub risk_accepted: bool,
    pub is_mitigated: bool,
    /// The parsed finding as JSON, without what the columns above hold verbatim (title,
    /// message, fingerprint), so nothing the parser found is lost.
    pub detail: String,
}

/// PostgreSQL text cannot hold NUL; scanners occasionally emit it.
fn clean(text: String) -> String {
    if text.contains('\0') {
        text.replace('\0', "")
    } else {
        text
    }
}

/// The text for its column, moved out of the finding unless NUL had to be cut from it.
fn take_clean(text: &mut String) -> String {
    if text.contains('\0') {
        text.replace('\0', "")
    } else {
        std::mem::take(text)
    }
}

fn prop_str(finding: &Finding, key: &str) -> Option<String> {
    match finding.properties.get(key) {
        Some(Value::String(s)) if !s.is_empty() => Some(clean(s.clone())),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    }
}

fn prop_bool(finding: &Finding, key: &str) -> Option<bool> {
    match finding.properties.get(key) {
        Some(Value::Bool(b)) => Some(*b),
        Some(Value::String(s)) => match s.to_ascii_lowercase().as_str() {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// Turns a parsed report into rows: drops findings below `minimum_severity`, applies the
/// request's overrides and computes identity keys. `today` dates findings without a scan date.
pub fn prepare(
    scan_type: &str,
    findings: Vec<Finding>,
    overrides: &Overrides,
    today: NaiveDate,
) -> Vec<NewFinding> {
    let minimum = overrides
        .minimum_severity
        .as_deref()
        .map_or(4, numerical_severity);
    let mut rows = Vec::with_capacity(findings.len());
    for mut finding in findings {
        let severity = severity_word(finding.severity);
        if numerical_severity(severity) > minimum {
            continue;
        }
        let file_path = prop_str(&finding, dojo::FILE_PATH)
            .or_else(|| finding.location.path.clone().map(clean));
        let line = finding.location.start_line;
        let component_name = prop_str(&finding, dojo::COMPONENT_NAME);
        let component_version = prop_str(&finding, dojo::COMPONENT_VERSION)
            .or_else(|| finding.location.package_version.clone());
        let vuln_id_from_tool = prop_str(&finding, dojo::VULN_ID_FROM_TOOL);
        let unique_id_from_tool = prop_str(&finding, dojo::UNIQUE_ID_FROM_TOOL);
        let service = overrides
            .service
            .clone()
            .or_else(|| prop_str(&finding, dojo::SERVICE));
        let cwe = finding.cwe_ids.first().copied().unwrap_or(0);
        let hash_code = dedupe::hash_code(
            scan_type,
            &HashInput {
                title: &finding.title,
                cwe,
                line,
                file_path: file_path.as_deref(),
                description: &finding.message,
                severity,
                vulnerability_ids: &finding.vulnerability_ids,
                component_name: component_name.as_deref(),
                component_version: component_version.as_deref(),
                vuln_id_from_tool: vuln_id_from_tool.as_deref(),
                unique_id_from_tool: unique_id_from_tool.as_deref(),
                service: service.as_deref(),
            },
        );
        let date = overrides.scan_date.unwrap_or_else(|| {
            prop_str(&finding, dojo::DATE)
                .and_then(|d| NaiveDate::parse_from_str(d.get(..10).unwrap_or(&d), "%Y-%m-%d").ok())
                .unwrap_or(today)
        });
        let false_p =
            prop_bool(&finding, dojo::FALSE_P).unwrap_or(false) || finding.suppressed.is_some();
        let is_mitigated = prop_bool(&finding, dojo::IS_MITIGATED).unwrap_or(false);
        let parsed_active =
            prop_bool(&finding, dojo::ACTIVE).unwrap_or(true) && !false_p && !is_mitigated;
        let active = overrides.active.unwrap_or(parsed_active) && !false_p && !is_mitigated;
        let verified = overrides
            .verified
            .unwrap_or_else(|| prop_bool(&finding, dojo::VERIFIED).unwrap_or(false))
            && !false_p;
        let fingerprint = finding.ensure_fingerprint().as_str().to_owned();
        // `detail` keeps what has no column of its own: the title, message and fingerprint are
        // the `title`, `description` and `fingerprint` columns (a text with NUL, which the
        // columns cannot hold, stays in `detail` too). Half the bytes of a SARIF finding.
        let title = take_clean(&mut finding.title);
        let description = take_clean(&mut finding.message);
        finding.fingerprint = None;
        let detail = serde_json::to_string(&finding).unwrap_or_default();
        rows.push(NewFinding {
            report_pos: rows.len() as i64,
            cross_cve_key: dedupe::cross_cve_key(
                &finding.vulnerability_ids,
                component_name.as_deref(),
                component_version.as_deref(),
            ),
            cross_loc_key: dedupe::cross_loc_key(cwe, file_path.as_deref(), line),
            title,
            description,
            severity,
            date,
            file_path,
            line: line.map(i64::from),
            component_name,
            component_version,
            vulnerability_ids: finding.vulnerability_ids,
            cwe: i64::from(cwe),
            rule_id: clean(finding.rule_id),
            vuln_id_from_tool,
            unique_id_from_tool,
            hash_code,
            fingerprint,
            service,
            active,
            verified,
            false_p,
            risk_accepted: false,
            is_mitigated,
            detail,
        });
    }
    rows
}
