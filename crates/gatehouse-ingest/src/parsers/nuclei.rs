//! `Nuclei Scan`: nuclei's JSON Lines (`-jsonl`) or JSON array (`-json-export`) output.
//!
//! As in DefectDojo: severity title-cased (unknown → Low); repeats of template+type+matcher+host
//! raise `nb_occurences`; CVE and CWE ids, CVSS from the template's classification; the matcher
//! name is the component.

use gatehouse_model::{Finding, Severity};
use serde_json::Value;

use crate::dojo::{self, DojoFinding, Dupes};
use crate::json::{self, ValueExt};
use crate::{IngestError, Parser};

/// The `Nuclei Scan` scan type.
#[derive(Debug, Clone, Copy, Default)]
pub struct Nuclei;

const HINT: &str = "is this nuclei's `-jsonl` or `-json-export` output?";

impl Parser for Nuclei {
    fn parse(&self, bytes: &[u8]) -> Result<Vec<Finding>, IngestError> {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let items = match bytes.first() {
            None => return Ok(Vec::new()),
            Some(b'[') => match json::parse(bytes, HINT)? {
                Value::Array(items) => items,
                _ => Vec::new(),
            },
            Some(b'{') => json::parse_lines(bytes, HINT)?,
            Some(_) if bytes.iter().all(u8::is_ascii_whitespace) => return Ok(Vec::new()),
            Some(_) => {
                return Err(IngestError::Syntax {
                    line: 1,
                    column: 1,
                    message: "expected `[` or `{`".to_owned(),
                    hint: Some(HINT.to_owned()),
                });
            }
        };
        let mut dupes = Dupes::default();
        for (index, item) in items.iter().enumerate() {
            let (key, finding) = item_finding(item).ok_or_else(|| {
                IngestError::shape(
                    format!("[{index}]"),
                    "expected an object with `info.name` and `info.severity`",
                )
            })?;
            // A repeat adds its endpoint to the kept finding, as DefectDojo does.
            if let Some(kept) = dupes.get_mut(&key)
                && let Some(Value::Array(new)) = finding.extra.get(dojo::ENDPOINTS)
            {
                let mut endpoints = match kept.extra.get(dojo::ENDPOINTS) {
                    Some(Value::Array(old)) => old.clone(),
                    _ => Vec::new(),
                };
                for endpoint in new {
                    if !endpoints.contains(endpoint) {
                        endpoints.push(endpoint.clone());
                    }
                }
                kept.set(dojo::ENDPOINTS, endpoints);
            }
            dupes.add(key, finding);
        }
        Ok(dojo::finish(dupes.into_vec(), "nuclei", None))
    }
}

/// The host of a URL or `host:port` (DefectDojo's endpoint host).
fn host_of(matched: &str) -> String {
    let rest = matched.split_once("://").map_or(matched, |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let authority = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    if let Some(v6) = authority.strip_prefix('[') {
        return v6.split(']').next().unwrap_or_default().to_owned();
    }
    authority.split(':').next().unwrap_or_default().to_owned()
}

fn item_finding(item: &Value) -> Option<(String, DojoFinding)> {
    let info = item.get("info")?;
    let template_id = item
        .text_of("templateID")
        .or_else(|| item.text_of("template-id"))
        .unwrap_or_default();
    let word = info.text_of("severity")?;
    let severity = dojo::severity_exact(&word).unwrap_or(Severity::Low);
    let mut finding = DojoFinding::new(info.text_of("name")?, severity);
    finding.tool_severity = Some(word);
    finding.vuln_id_from_tool = Some(template_id.clone());
    if let Some(timestamp) = item.str_of("timestamp") {
        finding.set(
            dojo::DATE,
            dojo::iso_datetime(timestamp).unwrap_or_else(|| timestamp.to_owned()),
        );
    }
    finding.description = info.text_of("description").unwrap_or_default();
    let extracted: Vec<String> = item
        .arr("extracted-results")
        .iter()
        .filter_map(json::as_text)
        .collect();
    if !extracted.is_empty() {
        finding.description += &format!("\n**Results:**\n{}", extracted.join("\n"));
    }
    finding.tags = match info.get("tags") {
        Some(Value::Array(tags)) => tags.iter().filter_map(json::as_text).collect(),
        Some(Value::String(tags)) => tags
            .split(',')
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty())
            .collect(),
        _ => Vec::new(),
    };
    finding.references = match info.get("reference") {
        Some(Value::Array(refs)) => Some(
            refs.iter()
                .filter_map(json::as_text)
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        Some(other) => json::as_text(other),
        None => None,
    };
    if let Some(classification) = info.get("classification").filter(|c| c.is_object()) {
        let list = |key: &str| -> Vec<String> {
            match classification.get(key) {
                Some(Value::Array(items)) => items.iter().filter_map(json::as_text).collect(),
                Some(Value::String(one)) => vec![one.clone()],
                _ => Vec::new(),
            }
        };
        for cve in list("cve-id") {
            finding.add_vulnerability_id(cve.to_uppercase());
        }
        for cwe in list("cwe-id") {
            if let Some(number) = dojo::cwe_number(&cwe) {
                finding.add_cwe(number);
            }
        }
        finding.set_opt(
            dojo::CVSSV3,
            classification
                .text_of("cvss-metrics")
                .filter(|v| v.starts_with("CVSS:3")),
        );
        finding.set_opt(dojo::CVSSV3_SCORE, classification.float_of("cvss-score"));
    }
    let matcher = item
        .text_of("matcher-name")
        .or_else(|| item.text_of("matcher_name"))
        .unwrap_or_default();
    if !matcher.is_empty() {
        finding.component_name = Some(matcher.clone());
    }
    finding.mitigation = info.text_of("remediation");
    if let Some(curl) = item.text_of("curl-command") {
        finding.set(
            "steps_to_reproduce",
            format!("curl command to reproduce the request:\n`{curl}`"),
        );
    }
    let matched = item
        .text_of("matched")
        .or_else(|| item.text_of("matched-at"))
        .unwrap_or_default();
    if !matched.is_empty() {
        finding.set(dojo::ENDPOINTS, vec![matched.clone()]);
    }
    finding.set(dojo::STATIC_FINDING, false);
    finding.set(dojo::DYNAMIC_FINDING, true);
    let key = format!(
        "{template_id}\u{0}{}\u{0}{matcher}\u{0}{}",
        item.text_of("type").unwrap_or_default(),
        host_of(&matched)
    );
    Some((key, finding))
}
