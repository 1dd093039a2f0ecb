//! `Generic Findings Import`: DefectDojo's own generic format, as JSON (`{"findings": [...]}`)
//! or CSV (`Date,Title,CweId,Url,Severity,Description,…`).
//!
//! DefectDojo picks JSON or CSV by the file name; we look at the first byte (`{` is JSON).
//! As in DefectDojo: JSON findings need `title`, `severity` and `description` and may only use
//! DefectDojo's finding fields; CSV rows with the same severity, title and description are one
//! finding with `nb_occurences` counted.

use gatehouse_model::Finding;
use serde_json::{Map, Value};

use crate::dojo::{self, DojoFinding, Dupes};
use crate::json::{self, ValueExt};
use crate::{IngestError, Parser, csv};

/// The `Generic Findings Import` scan type.
#[derive(Debug, Clone, Copy, Default)]
pub struct Generic;

const JSON_HINT: &str = "is this DefectDojo's generic findings JSON (`{\"findings\": [...]}`)?";
const CSV_HINT: &str =
    "is this DefectDojo's generic findings CSV (header `Date,Title,…,Severity,Description`)?";

impl Parser for Generic {
    fn parse(&self, bytes: &[u8]) -> Result<Vec<Finding>, IngestError> {
        let start = bytes
            .iter()
            .position(|b| !b.is_ascii_whitespace() && *b != 0xEF && *b != 0xBB && *b != 0xBF);
        match start.and_then(|i| bytes.get(i)) {
            Some(b'{') => parse_json(bytes),
            _ => parse_csv(bytes),
        }
    }
}

/// The JSON keys DefectDojo accepts on a finding (besides the required three).
const ALLOWED: &[&str] = &[
    "date",
    "cwe",
    "cve",
    "epss_score",
    "epss_percentile",
    "cvssv3",
    "cvssv3_score",
    "cvssv4",
    "cvssv4_score",
    "mitigation",
    "impact",
    "steps_to_reproduce",
    "severity_justification",
    "references",
    "active",
    "verified",
    "false_p",
    "out_of_scope",
    "risk_accepted",
    "under_review",
    "is_mitigated",
    "thread_id",
    "mitigated",
    "numerical_severity",
    "param",
    "payload",
    "line",
    "file_path",
    "component_name",
    "component_version",
    "static_finding",
    "dynamic_finding",
    "scanner_confidence",
    "unique_id_from_tool",
    "vuln_id_from_tool",
    "sast_source_object",
    "sast_sink_object",
    "sast_source_line",
    "sast_source_file_path",
    "nb_occurences",
    "publish_date",
    "service",
    "planned_remediation_date",
    "planned_remediation_version",
    "effort_for_fixing",
    "tags",
    "kev_date",
    "known_exploited",
    "ransomware_used",
    "fix_available",
    "fix_version",
    "endpoints",
    "files",
    "vulnerability_ids",
    "cwes",
];

/// Numeric DefectDojo fields: placeholders such as `"N/A"` are dropped, numeric strings read.
const NUMERIC: &[&str] = &[
    "nb_occurences",
    "sast_source_line",
    "scanner_confidence",
    "thread_id",
    "cvssv3_score",
    "cvssv4_score",
    "epss_percentile",
    "epss_score",
];

fn parse_json(bytes: &[u8]) -> Result<Vec<Finding>, IngestError> {
    let report = json::parse(bytes, JSON_HINT)?;
    let tool = report.text_of("type").or_else(|| report.text_of("name"));
    let version = report.text_of("version");
    let mut out = Vec::new();
    for (index, item) in report.arr("findings").iter().enumerate() {
        let path = format!("$.findings[{index}]");
        let Some(item) = item.as_object() else {
            return Err(IngestError::shape(path, "expected a finding object"));
        };
        out.push(json_finding(item, &path)?);
    }
    let tool = tool.unwrap_or_else(|| "Generic Findings Import".to_owned());
    Ok(dojo::finish(out, &tool, version.as_deref()))
}

fn json_finding(item: &Map<String, Value>, path: &str) -> Result<DojoFinding, IngestError> {
    let missing: Vec<&str> = ["description", "severity", "title"]
        .into_iter()
        .filter(|key| !item.contains_key(*key))
        .collect();
    if !missing.is_empty() {
        return Err(IngestError::shape(
            path,
            format!("required fields are missing: {}", missing.join(", ")),
        ));
    }
    let mut not_allowed: Vec<&str> = item
        .keys()
        .map(String::as_str)
        .filter(|key| !["title", "severity", "description"].contains(key) && !ALLOWED.contains(key))
        .collect();
    not_allowed.sort_unstable();
    if !not_allowed.is_empty() {
        return Err(IngestError::shape(
            path,
            format!(
                "fields DefectDojo does not allow: {}",
                not_allowed.join(", ")
            ),
        ));
    }
    let text = |key: &str| item.get(key).and_then(json::as_text);
    let word = text("severity").unwrap_or_default();
    let severity = dojo::severity_sanitized(&word).ok_or_else(|| {
        IngestError::shape(
            format!("{path}.severity"),
            format!("unknown severity `{word}`: expected Critical, High, Medium, Low or Info"),
        )
    })?;
    let mut finding = DojoFinding::new(text("title").unwrap_or_default(), severity);
    finding.tool_severity = Some(word);
    finding.description = text("description").unwrap_or_default();
    finding.mitigation = text("mitigation");
    finding.references = text("references");
    finding.file_path = text("file_path");
    finding.line = item
        .get("line")
        .and_then(json::as_int)
        .and_then(|l| u32::try_from(l).ok());
    finding.component_name = text("component_name");
    finding.component_version = text("component_version");
    finding.unique_id_from_tool = text("unique_id_from_tool");
    finding.vuln_id_from_tool = text("vuln_id_from_tool");
    if let Some(cwe) = item.get("cwe").and_then(cwe_of) {
        finding.add_cwe(cwe);
    }
    for cwe in item
        .get("cwes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(cwe_of)
    {
        finding.add_cwe(cwe);
    }
    if let Some(cve) = text("cve") {
        finding.add_vulnerability_id(cve);
    }
    for id in item
        .get("vulnerability_ids")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(id) =
            json::as_text(id).or_else(|| id.get("vulnerability_id").and_then(json::as_text))
        {
            finding.add_vulnerability_id(id);
        }
    }
    finding.tags = match item.get("tags") {
        Some(Value::Array(tags)) => tags.iter().filter_map(json::as_text).collect(),
        Some(Value::String(tag)) => vec![tag.clone()],
        _ => Vec::new(),
    };
    for (key, value) in item {
        let handled = [
            "title",
            "severity",
            "description",
            "mitigation",
            "references",
            "file_path",
            "line",
            "component_name",
            "component_version",
            "unique_id_from_tool",
            "vuln_id_from_tool",
            "cwe",
            "cwes",
            "cve",
            "vulnerability_ids",
            "tags",
            "files",
        ];
        if handled.contains(&key.as_str()) || value.is_null() {
            continue;
        }
        if NUMERIC.contains(&key.as_str()) {
            let number = match value {
                Value::Number(_) => Some(value.clone()),
                Value::String(s) => s.trim().parse::<f64>().ok().map(Value::from),
                _ => None,
            };
            finding.set_opt(key, number);
        } else if key == "date" {
            let raw = json::as_text(value).unwrap_or_default();
            finding.set(key, parse_date(&raw).unwrap_or(raw));
        } else {
            finding.set(key, value.clone());
        }
    }
    Ok(finding)
}

/// A CWE from `79`, `"79"`, `"CWE-79"`; placeholders such as `"N/A"` give none.
fn cwe_of(value: &Value) -> Option<u32> {
    match value {
        Value::Number(n) => n.as_u64().and_then(|n| u32::try_from(n).ok()),
        Value::String(s) => s.trim().parse().ok().or_else(|| dojo::cwe_number(s)),
        _ => None,
    }
}

/// A date as `YYYY-MM-DD` from the forms the generic format meets: ISO, `MM/DD/YYYY`
/// (dateutil's month-first default) and `DD/MM/YYYY` when the first number cannot be a month.
fn parse_date(raw: &str) -> Option<String> {
    let raw = raw.trim();
    let date_part = raw.split([' ', 'T']).next().unwrap_or(raw);
    // `11/7/16`: a two-digit year is this century's, as dateutil reads it.
    let two_digit_year = date_part.contains('/')
        && date_part
            .rsplit('/')
            .next()
            .is_some_and(|year| year.len() == 2);
    let formats: &[&str] = if two_digit_year {
        &["%m/%d/%y", "%d/%m/%y"]
    } else {
        &["%Y-%m-%d", "%m/%d/%Y", "%d/%m/%Y"]
    };
    formats
        .iter()
        .find_map(|format| chrono::NaiveDate::parse_from_str(date_part, format).ok())
        .map(|date| date.format("%Y-%m-%d").to_string())
}

fn parse_csv(bytes: &[u8]) -> Result<Vec<Finding>, IngestError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|error| {
        let offset = error.valid_up_to();
        let prefix = bytes.get(..offset).unwrap_or_default();
        IngestError::Syntax {
            line: prefix.iter().filter(|b| **b == b'\n').count() + 1,
            column: prefix.iter().rev().take_while(|b| **b != b'\n').count() + 1,
            message: "invalid UTF-8".to_owned(),
            hint: Some(CSV_HINT.to_owned()),
        }
    })?;
    let mut records = csv::records(text, CSV_HINT)?.into_iter().peekable();
    let Some(header) = records.next() else {
        return Ok(Vec::new());
    };
    // A header alone is fine, whatever its columns (DefectDojo only reads them per row).
    if records.peek().is_none() {
        return Ok(Vec::new());
    }
    for required in ["Title", "Description", "Date", "Severity"] {
        if !header.fields.iter().any(|h| h == required) {
            return Err(IngestError::Syntax {
                line: header.line,
                column: 1,
                message: format!("the header has no `{required}` column"),
                hint: Some(CSV_HINT.to_owned()),
            });
        }
    }
    let mut dupes = Dupes::default();
    for record in records {
        let row = Row {
            header: &header.fields,
            fields: &record.fields,
        };
        let finding = csv_finding(&row, record.line)?;
        let key = format!(
            "{}|{}|{}",
            dojo::severity_name(finding.severity),
            finding.title,
            finding.description
        );
        if let Some(kept) = dupes.get_mut(&key) {
            for id in finding.vulnerability_ids.clone() {
                kept.add_vulnerability_id(id);
            }
            for cwe in finding.cwes.clone() {
                kept.add_cwe(cwe);
            }
            // Repeated rows add their URL as another endpoint, as in DefectDojo.
            if let Some(Value::Array(new)) = finding.extra.get(dojo::ENDPOINTS) {
                let mut endpoints = match kept.extra.get(dojo::ENDPOINTS) {
                    Some(Value::Array(old)) => old.clone(),
                    _ => Vec::new(),
                };
                endpoints.extend(new.iter().cloned());
                kept.set(dojo::ENDPOINTS, endpoints);
            }
        }
        dupes.add(key, finding);
    }
    Ok(dojo::finish(
        dupes.into_vec(),
        "Generic Findings Import",
        None,
    ))
}

/// A CSV row read by column name.
struct Row<'a> {
    header: &'a [String],
    fields: &'a [String],
}

impl<'a> Row<'a> {
    /// The cell under `name`; `None` without such a column, `""` for a short row.
    fn get(&self, name: &str) -> Option<&'a str> {
        let index = self.header.iter().position(|h| h == name)?;
        Some(self.fields.get(index).map_or("", String::as_str))
    }
}

fn csv_finding(row: &Row<'_>, line: usize) -> Result<DojoFinding, IngestError> {
    let get = |name: &str| row.get(name);
    let flag = |value: &str| value.to_ascii_lowercase().starts_with('t');
    let word = get("Severity").unwrap_or_default();
    let severity = match word {
        "Info" | "Low" | "Medium" | "High" | "Critical" => {
            dojo::severity_exact(word).unwrap_or_default()
        }
        _ => gatehouse_model::Severity::Info,
    };
    let mut finding = DojoFinding::new(get("Title").unwrap_or_default(), severity);
    finding.tool_severity = Some(word.to_owned());
    finding.description = get("Description").unwrap_or_default().to_owned();
    let date = get("Date").unwrap_or_default();
    let date = parse_date(date).ok_or_else(|| IngestError::Syntax {
        line,
        column: 1,
        message: format!("`Date` is not a date: `{date}`"),
        hint: Some(CSV_HINT.to_owned()),
    })?;
    finding.set(dojo::DATE, date);
    finding.set("duplicate", get("Duplicate").is_some_and(flag));
    for (column, field) in [
        ("Active", dojo::ACTIVE),
        ("IsMitigated", dojo::IS_MITIGATED),
        ("Verified", dojo::VERIFIED),
        ("FalsePositive", dojo::FALSE_P),
        ("known_exploited", "known_exploited"),
        ("ransomware_used", "ransomware_used"),
        ("fix_available", dojo::FIX_AVAILABLE),
    ] {
        if let Some(value) = get(column) {
            finding.set(field, flag(value));
        }
    }
    finding.mitigation = get("Mitigation").map(str::to_owned);
    finding.set_opt(dojo::IMPACT, get("Impact"));
    finding.references = get("References").map(str::to_owned);
    if let Some(cve) = get("CVE") {
        finding.add_vulnerability_id(cve);
    }
    if let Some(id) = get("Vulnerability Id") {
        finding.add_vulnerability_id(id);
    }
    if let Some(cwe) = get("CweId") {
        let cwe = cwe.trim();
        let number: u32 = cwe.parse().map_err(|_| IngestError::Syntax {
            line,
            column: 1,
            message: format!("`CweId` is not a number: `{cwe}`"),
            hint: Some(CSV_HINT.to_owned()),
        })?;
        finding.add_cwe(number);
    }
    for cwe in get("CweIds")
        .unwrap_or_default()
        .split([',', ' '])
        .filter_map(|c| {
            let c = c.trim();
            c.parse().ok().or_else(|| dojo::cwe_number(c))
        })
    {
        finding.add_cwe(cwe);
    }
    for (column, field) in [
        ("epss_score", "epss_score"),
        ("epss_percentile", "epss_percentile"),
        ("CVSSV4_score", "cvssv4_score"),
    ] {
        finding.set_opt(
            field,
            get(column).and_then(|v| v.trim().parse::<f64>().ok()),
        );
    }
    finding.set_opt(dojo::CVSSV3, get("CVSSV3").and_then(cvss_vector));
    finding.set_opt("cvssv4", get("CVSSV4").and_then(cvss_vector));
    finding.set_opt("kev_date", get("kev_date").and_then(parse_date));
    finding.set_opt(
        dojo::FIX_VERSION,
        get("fix_version").filter(|v| !v.is_empty()),
    );
    if let Some(url) = get("Url").filter(|u| !u.is_empty()) {
        finding.set(dojo::ENDPOINTS, vec![url.to_owned()]);
    }
    Ok(finding)
}

/// The `CVSS:…` vector in a cell (cells sometimes carry stray quotes).
fn cvss_vector(cell: &str) -> Option<String> {
    let start = cell.find("CVSS:")?;
    let vector: String = cell
        .get(start..)?
        .chars()
        .take_while(|c| !c.is_whitespace() && *c != '"')
        .collect();
    Some(vector)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_as_dateutil_reads_them() {
        assert_eq!(parse_date("11/7/16").as_deref(), Some("2016-11-07"));
        assert_eq!(parse_date("11/7/2015").as_deref(), Some("2015-11-07"));
        assert_eq!(parse_date("28/02/2021").as_deref(), Some("2021-02-28"));
        assert_eq!(
            parse_date("2021-03-04T10:00:00Z").as_deref(),
            Some("2021-03-04")
        );
        assert_eq!(parse_date("soon"), None);
    }

    #[test]
    fn csv_repeats_merge_endpoints() {
        let csv = "Date,Title,Url,Severity,Description\n1/2/2020,T,https://a/x,High,D\n1/2/2020,T,https://a/y,High,D\n";
        let findings = Generic.parse(csv.as_bytes()).unwrap_or_default();
        assert_eq!(findings.len(), 1);
        let endpoints = findings
            .first()
            .and_then(|f| f.properties.get(dojo::ENDPOINTS))
            .cloned();
        assert_eq!(
            endpoints,
            Some(serde_json::json!(["https://a/x", "https://a/y"]))
        );
    }
}
