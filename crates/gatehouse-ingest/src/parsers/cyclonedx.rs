//! `CycloneDX Scan`: vulnerabilities in a CycloneDX BOM, JSON or XML (sniffed), including the
//! legacy XML vulnerability extension (`v:vulnerabilities`, schema ext/vulnerability/1.0).
//!
//! As in DefectDojo: one finding per vulnerability and affected component, titled
//! `<name>:<version> | <id>`; severity from the first rating (`unknown`/`none` → Info, no rating →
//! Medium), overridden by a CVSS v3 rating (its severity, else computed from the vector); the
//! analysis state `resolved`/`not_affected` marks it mitigated, `false_positive` a false positive.

use std::collections::HashMap;

use gatehouse_model::{Finding, Severity};
use serde_json::Value;

use crate::dojo::{self, DojoFinding};
use crate::json::{self, ValueExt};
use crate::xml::{self, Element};
use crate::{IngestError, Parser, cvss};

/// The `CycloneDX Scan` scan type.
#[derive(Debug, Clone, Copy, Default)]
pub struct CycloneDx;

const HINT: &str = "is this a CycloneDX BOM with vulnerabilities (JSON or XML)?";

impl Parser for CycloneDx {
    fn parse(&self, bytes: &[u8]) -> Result<Vec<Finding>, IngestError> {
        let first = bytes
            .iter()
            .find(|b| !b.is_ascii_whitespace() && !matches!(**b, 0xEF | 0xBB | 0xBF));
        let findings = if first == Some(&b'<') {
            parse_xml(bytes)?
        } else {
            parse_json(bytes)?
        };
        Ok(dojo::finish(findings, "CycloneDX", None))
    }
}

/// A component as the findings need it.
#[derive(Debug, Clone, Default)]
struct Component {
    name: Option<String>,
    version: Option<String>,
    purl: Option<String>,
}

/// DefectDojo's `fix_severity`: capitalized, `Unknown`/`None` → Info.
fn fix_severity(word: Option<&str>) -> Severity {
    match word {
        None => Severity::Medium,
        Some(word) => dojo::severity_sanitized(word).unwrap_or(Severity::Info),
    }
}

/// Applies a CVSS v3 rating: the vector (prefixed `CVSS:3.1/` when bare) and its severity,
/// else the severity computed from the vector.
fn apply_cvss3(finding: &mut DojoFinding, vector: Option<&str>, severity: Option<&str>) {
    let Some(vector) = vector.filter(|v| !v.is_empty()) else {
        return;
    };
    let vector = if vector.starts_with("CVSS:3") {
        vector.to_owned()
    } else {
        format!("CVSS:3.1/{vector}")
    };
    let Some(score) = cvss::base_score_v3(&vector) else {
        return;
    };
    finding.set(dojo::CVSSV3, vector);
    finding.severity = match severity {
        Some(word) => fix_severity(Some(word)),
        None => Severity::from_cvss(score),
    };
}

fn base_finding(id: Option<&str>, component: &Component, severity: Severity) -> DojoFinding {
    let shown = |v: &Option<String>| v.clone().unwrap_or_else(|| "None".to_owned());
    let mut finding = DojoFinding::new(
        format!(
            "{}:{} | {}",
            shown(&component.name),
            shown(&component.version),
            id.unwrap_or("None")
        ),
        severity,
    );
    finding.vuln_id_from_tool = id.map(str::to_owned);
    finding.component_name = component.name.clone();
    finding.component_version = component.version.clone();
    finding.purl = component.purl.clone();
    finding.set(dojo::STATIC_FINDING, true);
    finding.set(dojo::DYNAMIC_FINDING, false);
    finding.set(dojo::NB_OCCURENCES, 1);
    finding
}

fn apply_analysis(finding: &mut DojoFinding, state: Option<&str>, detail: Option<&str>) {
    let inactive = match state {
        Some("resolved" | "resolved_with_pedigree" | "not_affected") => {
            finding.set(dojo::IS_MITIGATED, true);
            true
        }
        Some("false_positive") => {
            finding.set(dojo::FALSE_P, true);
            true
        }
        _ => false,
    };
    if inactive {
        finding.set(dojo::ACTIVE, false);
        if let Some(detail) = detail.filter(|d| !d.is_empty()) {
            let mitigation = finding.mitigation.take().unwrap_or_default();
            finding.mitigation = Some(format!(
                "{mitigation}\n**This vulnerability is mitigated and/or suppressed:** {detail}\n"
            ));
        }
    }
}

fn parse_json(bytes: &[u8]) -> Result<Vec<DojoFinding>, IngestError> {
    let bom = json::parse(bytes, HINT)?;
    if !bom.is_object() {
        return Err(IngestError::shape(
            "$",
            format!("expected a BOM object; {HINT}"),
        ));
    }
    let date = bom
        .at(&["metadata", "timestamp"])
        .and_then(Value::as_str)
        .and_then(dojo::iso_datetime);
    let mut components = HashMap::new();
    flatten_json(bom.arr("components"), &mut components, 0);
    let mut out = Vec::new();
    for vulnerability in bom.arr("vulnerabilities") {
        let id = vulnerability.text_of("id");
        let mut description = vulnerability.text_of("description");
        if let Some(detail) = vulnerability.text_of("detail") {
            description = Some(format!("{}\n{detail}", description.unwrap_or_default()));
        }
        let ratings = vulnerability.arr("ratings");
        let severity = match ratings.first() {
            Some(rating) => fix_severity(rating.str_of("severity").or(Some("None"))),
            None => Severity::Medium,
        };
        let references: String = vulnerability
            .arr("advisories")
            .iter()
            .map(|advisory| {
                let mut text = String::new();
                if let Some(title) = advisory.text_of("title") {
                    text += &format!("**Title:** {title}\n");
                }
                if let Some(url) = advisory.text_of("url") {
                    text += &format!("**URL:** {url}\n");
                }
                text + "\n"
            })
            .collect();
        for affect in vulnerability.arr("affects") {
            let reference = affect.text_of("ref").unwrap_or_default();
            let component = components.get(&reference).cloned().unwrap_or_default();
            let mut finding = base_finding(id.as_deref(), &component, severity);
            finding.description = description
                .clone()
                .filter(|d| !d.is_empty())
                .unwrap_or_else(|| "Description was not provided.".to_owned());
            finding.mitigation = Some(vulnerability.text_of("recommendation").unwrap_or_default());
            finding.references = Some(references.clone()).filter(|r| !r.is_empty());
            finding.set_opt(dojo::DATE, date.clone());
            for rating in ratings {
                if matches!(rating.str_of("method"), Some("CVSSv3" | "CVSSv31")) {
                    apply_cvss3(
                        &mut finding,
                        rating.str_of("vector"),
                        rating.str_of("severity"),
                    );
                }
            }
            // As DefectDojo lists them: the id, then each reference's id, repeats kept.
            finding.vulnerability_ids.extend(id.clone());
            finding.vulnerability_ids.extend(
                vulnerability
                    .arr("references")
                    .iter()
                    .filter_map(|r| r.text_of("id")),
            );
            for cwe in vulnerability.arr("cwes").iter().filter_map(json::as_int) {
                finding.add_cwe(u32::try_from(cwe).unwrap_or(0));
            }
            let analysis = vulnerability.get("analysis");
            apply_analysis(
                &mut finding,
                analysis.and_then(|a| a.str_of("state")),
                analysis.and_then(|a| a.str_of("detail")),
            );
            out.push(finding);
        }
    }
    Ok(out)
}

fn flatten_json(components: &[Value], out: &mut HashMap<String, Component>, depth: usize) {
    if depth > 64 {
        return;
    }
    for component in components {
        flatten_json(component.arr("components"), out, depth + 1);
        if let Some(reference) = component.text_of("bom-ref") {
            out.insert(
                reference,
                Component {
                    name: component.text_of("name"),
                    version: component.text_of("version"),
                    purl: component.text_of("purl"),
                },
            );
        }
    }
}

fn parse_xml(bytes: &[u8]) -> Result<Vec<DojoFinding>, IngestError> {
    let root = xml::parse(bytes, HINT)?;
    let namespace = root.attr("xmlns").unwrap_or_default();
    if root.name != "bom" || !namespace.starts_with("http://cyclonedx.org/schema/bom/") {
        return Err(IngestError::shape(
            format!("<{}>", root.name),
            format!(
                "this doesn't seem to be a valid CycloneDX BOM XML file (namespace `{namespace}`)"
            ),
        ));
    }
    let date = root
        .text_at(&["metadata", "timestamp"])
        .and_then(|t| dojo::iso_datetime(&t));
    let mut references = HashMap::new();
    let mut out = Vec::new();
    for component in root
        .child("components")
        .into_iter()
        .flat_map(|c| c.children("component"))
    {
        let entry = Component {
            name: component.text_at(&["name"]),
            version: component.text_at(&["version"]),
            purl: component.text_at(&["purl"]),
        };
        if let Some(reference) = component.attr("bom-ref") {
            references.insert(reference.to_owned(), entry.clone());
        }
        for vulnerability in component
            .child("vulnerabilities")
            .into_iter()
            .flat_map(|v| v.children("vulnerability"))
        {
            out.push(legacy_xml(
                vulnerability,
                Some(&entry),
                &references,
                date.as_deref(),
            ));
        }
    }
    for vulnerability in root
        .child("vulnerabilities")
        .into_iter()
        .flat_map(|v| v.children("vulnerability"))
    {
        if vulnerability.child("affects").is_some() {
            out.extend(spec_xml(vulnerability, &references, date.as_deref()));
        } else {
            out.push(legacy_xml(
                vulnerability,
                None,
                &references,
                date.as_deref(),
            ));
        }
    }
    Ok(out)
}

fn xml_cwes(vulnerability: &Element) -> Vec<u32> {
    vulnerability
        .child("cwes")
        .into_iter()
        .flat_map(|c| c.children("cwe"))
        .filter_map(|c| c.text.trim().parse().ok())
        .collect()
}

/// The legacy vulnerability extension (`v:vulnerability ref="…"`).
fn legacy_xml(
    vulnerability: &Element,
    component: Option<&Component>,
    references: &HashMap<String, Component>,
    date: Option<&str>,
) -> DojoFinding {
    let reference = vulnerability.attr("ref").unwrap_or_default();
    let id = vulnerability.text_at(&["id"]);
    let severity_word = vulnerability.text_at(&["ratings", "rating", "severity"]);
    let component = component
        .cloned()
        .or_else(|| references.get(reference).cloned())
        .unwrap_or_default();
    let mut finding = base_finding(
        id.as_deref(),
        &component,
        fix_severity(severity_word.as_deref()),
    );
    finding.description = vulnerability.text_at(&["description"]).unwrap_or_else(|| {
        format!(
            "**Ref:** {reference}\n**Id:** {}\n**Severity:** {}",
            id.clone().unwrap_or_else(|| "None".to_owned()),
            severity_word.clone().unwrap_or_else(|| "None".to_owned())
        )
    });
    let advisories: String = vulnerability
        .child("advisories")
        .into_iter()
        .flat_map(|a| a.children("advisory"))
        .map(|a| format!("{}\n", a.text.trim()))
        .collect();
    finding.references = Some(advisories).filter(|r| !r.is_empty());
    let mitigation: String = vulnerability
        .child("recommendations")
        .into_iter()
        .flat_map(|r| r.children("recommendation"))
        .map(|r| format!("{}\n", r.text.trim()))
        .collect();
    finding.mitigation = Some(mitigation).filter(|m| !m.is_empty());
    finding.set_opt(dojo::DATE, date);
    for rating in vulnerability
        .child("ratings")
        .into_iter()
        .flat_map(|r| r.children("rating"))
    {
        if rating.text_at(&["method"]).as_deref() == Some("CVSSv3") {
            apply_cvss3(
                &mut finding,
                rating.text_at(&["vector"]).as_deref(),
                rating.text_at(&["severity"]).as_deref(),
            );
        }
    }
    for cwe in xml_cwes(vulnerability) {
        finding.add_cwe(cwe);
    }
    if let Some(id) = id {
        finding.add_vulnerability_id(id);
    }
    finding
}

/// The CycloneDX 1.4+ `vulnerabilities` element.
fn spec_xml(
    vulnerability: &Element,
    references: &HashMap<String, Component>,
    date: Option<&str>,
) -> Vec<DojoFinding> {
    let id = vulnerability.text_at(&["id"]);
    let mut description = vulnerability.text_at(&["description"]);
    if let Some(detail) = vulnerability.text_at(&["detail"]) {
        description = Some(format!("{}\n{detail}", description.unwrap_or_default()));
    }
    let severity = fix_severity(
        vulnerability
            .text_at(&["ratings", "rating", "severity"])
            .as_deref(),
    );
    let advisories: String = vulnerability
        .child("advisories")
        .into_iter()
        .flat_map(|a| a.children("advisory"))
        .map(|advisory| {
            let mut text = String::new();
            if let Some(title) = advisory.text_at(&["title"]) {
                text += &format!("**Title:** {title}\n");
            }
            if let Some(url) = advisory.text_at(&["url"]) {
                text += &format!("**URL:** {url}\n");
            }
            text + "\n"
        })
        .collect();
    let mut ids: Vec<String> = id.iter().cloned().collect();
    ids.extend(
        vulnerability
            .child("references")
            .into_iter()
            .flat_map(|r| r.children("reference"))
            .filter_map(|r| r.text_at(&["id"])),
    );
    let analysis = vulnerability.child("analysis");
    let mut out = Vec::new();
    for target in vulnerability
        .child("affects")
        .into_iter()
        .flat_map(|a| a.children("target"))
    {
        let reference = target.text_at(&["ref"]).unwrap_or_default();
        let component = references.get(&reference).cloned().unwrap_or_default();
        let mut finding = base_finding(id.as_deref(), &component, severity);
        finding.description = description.clone().unwrap_or_default();
        finding.mitigation = vulnerability.text_at(&["recommendation"]);
        finding.references = Some(advisories.clone()).filter(|r| !r.is_empty());
        finding.vulnerability_ids.extend(ids.iter().cloned());
        finding.set_opt(dojo::DATE, date);
        for rating in vulnerability
            .child("ratings")
            .into_iter()
            .flat_map(|r| r.children("rating"))
        {
            if matches!(
                rating.text_at(&["method"]).as_deref(),
                Some("CVSSv3" | "CVSSv31")
            ) {
                apply_cvss3(
                    &mut finding,
                    rating.text_at(&["vector"]).as_deref(),
                    rating.text_at(&["severity"]).as_deref(),
                );
            }
        }
        for cwe in xml_cwes(vulnerability) {
            finding.add_cwe(cwe);
        }
        apply_analysis(
            &mut finding,
            analysis.and_then(|a| a.text_at(&["state"])).as_deref(),
            analysis.and_then(|a| a.text_at(&["detail"])).as_deref(),
        );
        out.push(finding);
    }
    out
}
