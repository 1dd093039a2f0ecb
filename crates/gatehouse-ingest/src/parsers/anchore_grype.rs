//! `Anchore Grype`: Grype's JSON report (`grype … -o json`).
//!
//! As in DefectDojo: one finding per `<id> in <package>:<version>` (repeats raise
//! `nb_occurences`); severity title-cased with `Unknown`/`Negligible` → Info; the related
//! vulnerabilities' ids (usually the CVE of a GHSA) are kept as aliases.

use gatehouse_model::{Finding, Severity};
use serde_json::Value;

use crate::dojo::{self, DojoFinding, Dupes};
use crate::json::{self, ValueExt};
use crate::{IngestError, Parser};

/// The `Anchore Grype` scan type.
#[derive(Debug, Clone, Copy, Default)]
pub struct AnchoreGrype;

const HINT: &str = "is this the output of `grype … -o json`?";

impl Parser for AnchoreGrype {
    fn parse(&self, bytes: &[u8]) -> Result<Vec<Finding>, IngestError> {
        let report = json::parse(bytes, HINT)?;
        if !report.is_object() {
            return Err(IngestError::shape(
                "$",
                format!("expected an object with `matches`; {HINT}"),
            ));
        }
        let version = report
            .at(&["descriptor", "version"])
            .and_then(json::as_text);
        let mut dupes = Dupes::default();
        for (index, item) in report.arr("matches").iter().enumerate() {
            let finding = match_finding(item).ok_or_else(|| {
                IngestError::shape(
                    format!("$.matches[{index}]"),
                    "expected `vulnerability.id` and `artifact`",
                )
            })?;
            dupes.add(finding.title.clone(), finding);
        }
        Ok(dojo::finish(dupes.into_vec(), "grype", version.as_deref()))
    }
}

fn severity(word: &str) -> Severity {
    match word {
        "Unknown" | "Negligible" => Severity::Info,
        other => dojo::severity_sanitized(other).unwrap_or(Severity::Info),
    }
}

fn match_finding(item: &Value) -> Option<DojoFinding> {
    let vulnerability = item.get("vulnerability")?;
    let id = vulnerability.text_of("id")?;
    let artifact = item.get("artifact")?;
    let name = artifact.text_of("name").unwrap_or_default();
    let version = artifact
        .text_of("version")
        .unwrap_or_default()
        .replace('\0', "");
    let severity_word = vulnerability
        .text_of("severity")
        .unwrap_or_else(|| "Info".to_owned());
    let mut finding = DojoFinding::new(
        format!("{id} in {name}:{version}").replace('\0', ""),
        severity(&severity_word),
    );
    finding.tool_severity = Some(severity_word);

    let related = item.arr("relatedVulnerabilities");
    let first_related = related.first();
    let description_text = vulnerability.text_of("description");
    let mut description = String::new();
    if let Some(namespace) = vulnerability.text_of("namespace") {
        description += &format!("**Vulnerability Namespace:** {namespace}");
    }
    if let Some(text) = &description_text {
        description += &format!("\n**Vulnerability Description:** {text}");
    }
    if let Some(text) = first_related.and_then(|r| r.text_of("description"))
        && Some(&text) != description_text.as_ref()
    {
        description += &format!("\n**Related Vulnerability Description:** {text}");
    }
    let matchers: Vec<String> = match item.get("matchDetails") {
        Some(Value::Object(_)) => item
            .at(&["matchDetails", "matcher"])
            .and_then(json::as_text)
            .into_iter()
            .collect(),
        Some(Value::Array(details)) => details
            .iter()
            .filter_map(|d| d.text_of("matcher"))
            .collect(),
        _ => Vec::new(),
    };
    match matchers.as_slice() {
        [] => {}
        [one] => description += &format!("\n**Matcher:** {one}"),
        many => {
            description += "\n**Matchers:**";
            for matcher in many {
                description += &format!("\n- {matcher}");
            }
        }
    }
    for matcher in &matchers {
        let tag = matcher.replace("-matcher", "");
        if !finding.tags.contains(&tag) {
            finding.tags.push(tag);
        }
    }
    let purl = artifact.text_of("purl").filter(|p| !p.is_empty());
    if let Some(purl) = &purl {
        description += &format!("\n**Package URL:** {purl}");
    }
    finding.description = description;

    let fixes: Vec<String> = vulnerability
        .get("fix")
        .map(|fix| fix.arr("versions"))
        .unwrap_or_default()
        .iter()
        .filter_map(json::as_text)
        .collect();
    finding.mitigation = match fixes.as_slice() {
        [] => None,
        [one] => Some(format!("Upgrade to version: {one}")),
        many => Some(format!("Upgrade to version:\n- {}", many.join("\n- "))),
    };
    finding.set(dojo::FIX_AVAILABLE, !fixes.is_empty());
    if !fixes.is_empty() {
        finding.set(dojo::FIX_VERSION, fixes.join(", "));
    }
    finding.references = Some(references(vulnerability, first_related));
    if let Some(vector) = cvss3(vulnerability).or_else(|| first_related.and_then(cvss3)) {
        finding.set(dojo::CVSSV3, vector);
    }
    finding.file_path = artifact
        .arr("locations")
        .first()
        .and_then(|l| l.text_of("path"))
        .filter(|p| !p.is_empty());
    finding.vuln_id_from_tool = Some(id.clone());
    // As DefectDojo: the id, then every related id, repeats kept (a GHSA's related CVE, or the
    // NVD record of the same CVE, appears as a second entry).
    finding.vulnerability_ids.push(id);
    finding
        .vulnerability_ids
        .extend(related.iter().filter_map(|r| r.text_of("id")));
    finding.set(dojo::STATIC_FINDING, true);
    finding.set(dojo::DYNAMIC_FINDING, false);
    finding.purl = purl;
    finding.component_name = Some(name);
    finding.component_version = Some(version);
    Some(finding)
}

/// The first CVSS v3 vector of a vulnerability.
fn cvss3(vulnerability: &Value) -> Option<String> {
    vulnerability
        .arr("cvss")
        .iter()
        .filter_map(|c| c.text_of("vector"))
        .find(|vector| vector.starts_with("CVSS:3"))
}

fn references(vulnerability: &Value, related: Option<&Value>) -> String {
    let mut out = String::new();
    let mut section = |label: &str, source: &Value| {
        let datasource = source.text_of("dataSource");
        if let Some(ds) = &datasource {
            out += &format!("**{label} Datasource:** {ds}\n");
        }
        let urls: Vec<String> = source
            .arr("urls")
            .iter()
            .filter_map(json::as_text)
            .collect();
        match urls.as_slice() {
            [] => {}
            [one] => {
                if Some(one) != datasource.as_ref() {
                    out += &format!("**{label} URL:** {one}\n");
                }
            }
            many => {
                out += &format!("**{label} URLs:**\n");
                for url in many.iter().filter(|u| Some(*u) != datasource.as_ref()) {
                    out += &format!("- {url}\n");
                }
            }
        }
    };
    section("Vulnerability", vulnerability);
    if let Some(related) = related {
        section("Related Vulnerability", related);
    }
    out.strip_suffix('\n').map(str::to_owned).unwrap_or(out)
}
