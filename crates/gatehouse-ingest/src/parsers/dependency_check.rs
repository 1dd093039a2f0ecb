//! `Dependency Check Scan`: OWASP Dependency-Check's XML report.
//!
//! As in DefectDojo: one finding per vulnerability of each dependency (and each related
//! dependency with a file name), deduplicated on CVE+CWE+file; the component from the package
//! purl, else the Maven identifier, else the CPE, else the collected evidence; severity from the
//! text (`moderate`→Medium), else CVSS v3 / v2 severity, else Medium; CWE-1035 when none.
//! Suppressed vulnerabilities are kept as mitigated and inactive.

use gatehouse_model::{Finding, Severity};

use crate::dojo::{self, DojoFinding};
use crate::xml::{self, Element};
use crate::{IngestError, Parser};

/// The `Dependency Check Scan` scan type.
#[derive(Debug, Clone, Copy, Default)]
pub struct DependencyCheck;

const HINT: &str = "is this Dependency-Check's XML report (`--format XML`)?";

impl Parser for DependencyCheck {
    fn parse(&self, bytes: &[u8]) -> Result<Vec<Finding>, IngestError> {
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(Vec::new());
        }
        let root = xml::parse(bytes, HINT)?;
        if root.name != "analysis" {
            return Err(IngestError::shape(
                format!("<{}>", root.name),
                format!("expected <analysis>; {HINT}"),
            ));
        }
        let date = root
            .text_at(&["projectInfo", "reportDate"])
            .and_then(|d| report_date(&d));
        let version = root.text_at(&["scanInfo", "engineVersion"]);
        let mut out: Vec<DojoFinding> = Vec::new();
        let mut keys: Vec<String> = Vec::new();
        for dependency in root
            .child("dependencies")
            .into_iter()
            .flat_map(|d| d.children("dependency"))
        {
            let related: Vec<&Element> = dependency
                .child("relatedDependencies")
                .into_iter()
                .flat_map(|r| r.children("relatedDependency"))
                .collect();
            let vulnerabilities = dependency.child("vulnerabilities");
            let active = vulnerabilities
                .into_iter()
                .flat_map(|v| v.children("vulnerability"))
                .map(|v| (v, false));
            let suppressed = vulnerabilities
                .into_iter()
                .flat_map(|v| v.children("suppressedVulnerability"))
                .map(|v| (v, true));
            for (vulnerability, is_suppressed) in active.chain(suppressed) {
                let targets = std::iter::once(None).chain(related.iter().map(|r| Some(*r)));
                for target in targets {
                    let Some(mut finding) =
                        vulnerability_finding(dependency, target, vulnerability, is_suppressed)
                    else {
                        continue;
                    };
                    let key = format!(
                        "{}|{:?}|{}",
                        finding
                            .vulnerability_ids
                            .first()
                            .cloned()
                            .unwrap_or_default(),
                        finding.cwes.first(),
                        finding
                            .file_path
                            .as_deref()
                            .unwrap_or_default()
                            .to_lowercase()
                    );
                    if keys.contains(&key) {
                        continue;
                    }
                    keys.push(key);
                    finding.set_opt(dojo::DATE, date.clone());
                    out.push(finding);
                }
            }
        }
        Ok(dojo::finish(out, "Dependency-Check", version.as_deref()))
    }
}

/// `2022-01-15T14:31:13.042600508Z` or `2016-11-05T14:52:15.748-0400`, in DefectDojo's form.
fn report_date(raw: &str) -> Option<String> {
    dojo::iso_datetime(raw).or_else(|| {
        let parsed = chrono::DateTime::parse_from_str(raw.trim(), "%Y-%m-%dT%H:%M:%S%.f%z").ok()?;
        dojo::iso_datetime(&parsed.to_rfc3339())
    })
}

/// `(component name, version, purl)` of a dependency, as DefectDojo derives it.
fn component(dependency: &Element) -> (Option<String>, Option<String>, Option<String>) {
    let identifiers = dependency.child("identifiers");
    if let Some(id) = identifiers.and_then(|i| i.text_at(&["package", "id"])) {
        if let Some((name, version)) = purl_parts(&id) {
            return (Some(name), Some(version), Some(id));
        }
    }
    for identifier in identifiers
        .into_iter()
        .flat_map(|i| i.children("identifier"))
    {
        let name = identifier.text_at(&["name"]).unwrap_or_default();
        match identifier.attr("type") {
            Some("maven") => {
                let parts: Vec<&str> = name.split(':').collect();
                if let [group, artifact, version] = parts.as_slice() {
                    let purl = format!("pkg:maven/{group}/{artifact}@{version}");
                    return (
                        Some(format!("{group}:{artifact}")),
                        Some((*version).to_owned()),
                        Some(purl),
                    );
                }
            }
            Some("cpe") => {
                // cpe:/a:vendor:product:version or cpe:2.3:a:vendor:product:version:…
                let fields: Vec<&str> = name
                    .trim_start_matches("cpe:2.3:")
                    .trim_start_matches("cpe:/")
                    .split(':')
                    .collect();
                let vendor = fields.get(1).copied().unwrap_or_default();
                let product = fields.get(2).copied().unwrap_or_default();
                let version = fields.get(3).map(|v| (*v).to_owned());
                return (Some(format!("{vendor}:{product}")), version, None);
            }
            _ => {}
        }
    }
    let evidence = dependency.child("evidenceCollected");
    let of_type = |kind: &str| {
        evidence
            .into_iter()
            .flat_map(|e| e.children("evidence"))
            .find(|e| e.attr("type") == Some(kind))
            .and_then(|e| e.text_at(&["value"]))
    };
    match of_type("product") {
        Some(product) => (Some(product), of_type("version"), None),
        None => (None, None, None),
    }
}

/// `pkg:maven/group/artifact@1.0` → `("group:artifact", "1.0")`.
fn purl_parts(purl: &str) -> Option<(String, String)> {
    let rest = purl.strip_prefix("pkg:")?;
    let rest = rest.split(['?', '#']).next().unwrap_or(rest);
    let (_, path) = rest.split_once('/')?;
    let (path, version) = path.rsplit_once('@').unwrap_or((path, ""));
    let decoded = path.replace("%40", "@");
    let name = match decoded.rsplit_once('/') {
        Some((namespace, name)) => format!("{namespace}:{name}"),
        None => decoded,
    };
    Some((name, version.to_owned()))
}

fn severity_of(vulnerability: &Element) -> (Severity, Option<String>) {
    let word = vulnerability
        .text_at(&["severity"])
        .or_else(|| vulnerability.text_at(&["cvssV3", "baseSeverity"]))
        .or_else(|| vulnerability.text_at(&["cvssV2", "severity"]));
    let severity = match word.as_deref().map(str::to_ascii_lowercase).as_deref() {
        Some("moderate") => Severity::Medium,
        Some(other) => dojo::severity_exact(other).unwrap_or(Severity::Medium),
        None => Severity::Medium,
    };
    (severity, word)
}

/// The CVSS v3 vector from Dependency-Check's spelled-out metrics.
fn cvss3_vector(node: &Element) -> Option<String> {
    let metric = |name: &str| node.text_at(&[name]).map(|v| v.to_ascii_uppercase());
    let letter = |value: Option<String>| -> Option<&'static str> {
        Some(match value?.as_str() {
            "NETWORK" => "N",
            "ADJACENT_NETWORK" | "ADJACENT" => "A",
            "LOCAL" | "LOW" => "L",
            "PHYSICAL" => "P",
            "HIGH" => "H",
            "NONE" => "N",
            "REQUIRED" => "R",
            "UNCHANGED" => "U",
            "CHANGED" => "C",
            _ => return None,
        })
    };
    let version = node
        .text_at(&["version"])
        .unwrap_or_else(|| "3.1".to_owned());
    Some(format!(
        "CVSS:{version}/AV:{}/AC:{}/PR:{}/UI:{}/S:{}/C:{}/I:{}/A:{}",
        letter(metric("attackVector"))?,
        letter(metric("attackComplexity"))?,
        letter(metric("privilegesRequired"))?,
        letter(metric("userInteraction"))?,
        letter(metric("scope"))?,
        letter(metric("confidentialityImpact"))?,
        letter(metric("integrityImpact"))?,
        letter(metric("availabilityImpact"))?,
    ))
}

fn vulnerability_finding(
    dependency: &Element,
    related: Option<&Element>,
    vulnerability: &Element,
    suppressed: bool,
) -> Option<DojoFinding> {
    let (file_name, file_path) = match related {
        Some(related) => (
            related.text_at(&["fileName"])?,
            related.text_at(&["filePath"]),
        ),
        None => (
            dependency.text_at(&["fileName"]).unwrap_or_default(),
            dependency.text_at(&["filePath"]),
        ),
    };
    let (name, version, purl) = match related.map(component) {
        Some((Some(name), version, purl)) => (Some(name), version, purl),
        _ => component(dependency),
    };
    let vulnerability_name = vulnerability.text_at(&["name"]).unwrap_or_default();
    let cwe_text = vulnerability
        .text_at(&["cwes", "cwe"])
        .or_else(|| vulnerability.text_at(&["cwe"]))
        .unwrap_or_default();
    let cwe = cwe_text
        .trim_start_matches("CWE-")
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse::<u32>()
        .ok()
        .filter(|c| *c != 0)
        .unwrap_or(1035);
    let (severity, word) = severity_of(vulnerability);
    let title = match (&name, &version) {
        (Some(name), Some(version)) => format!("{name}:{version} | {vulnerability_name}"),
        (Some(name), None) => format!("{name} | {vulnerability_name}"),
        _ => format!("{file_name} | {vulnerability_name}"),
    };
    let mut finding = DojoFinding::new(title, severity);
    finding.tool_severity = word;
    let mut description = vulnerability.text_at(&["description"]).unwrap_or_default();
    if let Some(source) = vulnerability.attr("source") {
        description += &format!("\n**Source:** {source}");
    }
    if let Some(path) = &file_path {
        description += &format!("\n**Filepath:** {path}");
    }
    finding.description = description;
    finding.file_path = Some(file_name);
    finding.add_cwe(cwe);
    for extra in vulnerability
        .child("cwes")
        .into_iter()
        .flat_map(|c| c.children("cwe"))
    {
        if let Some(number) = dojo::cwe_number(&extra.text) {
            finding.add_cwe(number);
        }
    }
    if vulnerability_name.starts_with("CVE") {
        finding.add_vulnerability_id(vulnerability_name.chars().take(28).collect::<String>());
    } else if vulnerability_name.starts_with("GHSA-") {
        finding.add_vulnerability_id(vulnerability_name.clone());
    }
    finding.vuln_id_from_tool = Some(vulnerability_name).filter(|n| !n.is_empty());
    if let Some(cvss3) = vulnerability.child("cvssV3") {
        finding.set_opt(dojo::CVSSV3, cvss3_vector(cvss3));
        finding.set_opt(
            dojo::CVSSV3_SCORE,
            cvss3
                .text_at(&["baseScore"])
                .and_then(|s| s.parse::<f64>().ok()),
        );
    }
    let references: String = vulnerability
        .child("references")
        .into_iter()
        .flat_map(|r| r.children("reference"))
        .map(|r| {
            format!(
                "name: {}\nsource: {}\nurl: {}\n\n",
                r.text_at(&["name"]).unwrap_or_default(),
                r.text_at(&["source"]).unwrap_or_default(),
                r.text_at(&["url"]).unwrap_or_default()
            )
        })
        .collect();
    finding.references = Some(references).filter(|r| !r.is_empty());
    let shown = match (&name, &version) {
        (Some(name), Some(version)) => format!("{name}:{version}"),
        (Some(name), None) => name.clone(),
        _ => finding.file_path.clone().unwrap_or_default(),
    };
    finding.mitigation = Some(format!(
        "Update {shown} to at least the version recommended in the description"
    ));
    if related.is_some() {
        finding.tags.push("related".to_owned());
    }
    if suppressed {
        let notes = vulnerability.text_at(&["notes"]);
        finding.tags.push("suppressed".to_owned());
        if notes.is_none() {
            finding.tags.push("no_suppression_document".to_owned());
        }
        let notes = notes.unwrap_or_else(|| {
            "Document on why we are suppressing this vulnerability is missing!".to_owned()
        });
        finding.mitigation = Some(format!(
            "**This vulnerability is mitigated and/or suppressed:** {notes}\n{}",
            finding.mitigation.take().unwrap_or_default()
        ));
        finding.set(dojo::IS_MITIGATED, true);
        finding.set(dojo::ACTIVE, false);
    }
    finding.set(dojo::STATIC_FINDING, true);
    finding.set(dojo::DYNAMIC_FINDING, false);
    finding.purl = purl;
    finding.component_name = name;
    finding.component_version = version;
    Some(finding)
}
