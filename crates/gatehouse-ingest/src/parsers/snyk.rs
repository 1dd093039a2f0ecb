//! `Snyk Scan`: Snyk Open Source's JSON (`snyk test --json`), one project or a list of them
//! (`--all-projects`); a SARIF report (Snyk Code) goes to the SARIF parser, as DefectDojo
//! delegates it.
//!
//! As in DefectDojo: severity from `cvssScore` bands when present, else Snyk's own word; the
//! file path is the dependency path without versions; title `<from[0]>: <title>`.

use gatehouse_model::{Finding, Severity};
use serde_json::Value;

use crate::dojo::{self, DojoFinding};
use crate::json::{self, ValueExt};
use crate::{IngestError, Parser};

/// The `Snyk Scan` scan type.
#[derive(Debug, Clone, Copy, Default)]
pub struct Snyk;

const HINT: &str = "is this the output of `snyk test --json`?";

impl Parser for Snyk {
    fn parse(&self, bytes: &[u8]) -> Result<Vec<Finding>, IngestError> {
        let report = json::parse(bytes, HINT)?;
        let trees: Vec<&Value> = match &report {
            Value::Array(trees) => trees.iter().collect(),
            other => vec![other],
        };
        let mut out = Vec::new();
        for (tree_index, tree) in trees.into_iter().enumerate() {
            if tree.get("runs").is_some() && tree.get("vulnerabilities").is_none() {
                let bytes = serde_json::to_vec(tree).unwrap_or_default();
                out.extend(crate::parsers::sarif::Sarif.parse(&bytes)?);
                continue;
            }
            let target = tree.text_of("displayTargetFile");
            let upgrades = tree
                .at(&["remediation", "upgrade"])
                .and_then(Value::as_object);
            for (index, vulnerability) in tree.arr("vulnerabilities").iter().enumerate() {
                let finding = vulnerability_finding(vulnerability, target.as_deref(), upgrades).ok_or_else(|| {
                    IngestError::shape(
                        format!("$[{tree_index}].vulnerabilities[{index}]"),
                        "expected `id`, `title`, `packageName`, `version` and a non-empty `from`",
                    )
                })?;
                out.push(finding.into_finding("Snyk", None));
            }
        }
        Ok(out)
    }
}

fn vulnerability_finding(
    vulnerability: &Value,
    target: Option<&str>,
    upgrades: Option<&serde_json::Map<String, Value>>,
) -> Option<DojoFinding> {
    let from: Vec<String> = vulnerability
        .arr("from")
        .iter()
        .filter_map(json::as_text)
        .collect();
    let first = from.first()?;
    let word = vulnerability.text_of("severity").unwrap_or_default();
    let score = vulnerability.get("cvssScore");
    let severity = match score.and_then(Value::as_f64) {
        Some(score) if score <= 3.9 => Severity::Low,
        Some(score) if score <= 6.9 => Severity::Medium,
        Some(score) if score <= 8.9 => Severity::High,
        Some(_) => Severity::Critical,
        None => dojo::severity_sanitized(&word).unwrap_or(Severity::Info),
    };
    let vulnerable = match vulnerability.at(&["semver", "vulnerable"]) {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(json::as_text)
            .collect::<Vec<_>>()
            .join(", "),
        Some(other) => json::as_text(other).unwrap_or_default(),
        None => String::new(),
    };
    let without_version = |item: &String| match item.rsplit_once('@') {
        Some((name, _)) => name.to_owned(),
        None => String::new(),
    };
    let path = from
        .iter()
        .map(without_version)
        .collect::<Vec<_>>()
        .join(" > ");
    let name = vulnerability.text_of("packageName").unwrap_or_default();
    let version = vulnerability.text_of("version").unwrap_or_default();
    let title = vulnerability.text_of("title").unwrap_or_default();
    let score_text = match score {
        Some(Value::Null) | None => "None".to_owned(),
        Some(other) => json::as_text(other).unwrap_or_default(),
    };
    let severity_name = dojo::severity_name(severity);

    let mut finding = DojoFinding::new(format!("{first}: {title}"), severity);
    finding.tool_severity = Some(word);
    finding.set(
        dojo::SEVERITY_JUSTIFICATION,
        format!(
            "Issue severity of: **{severity_name}** from a base CVSS score of: **{score_text}**"
        ),
    );
    let description = format!(
        "## Component Details\n - **Vulnerable Package**: {name}\n- **Current Version**: {version}\n\
         - **Vulnerable Version(s)**: {vulnerable}\n- **Vulnerable Path**: {}\n{}",
        from.join(" > "),
        vulnerability.text_of("description").unwrap_or_default()
    );
    let description = description.trim().to_owned();
    let mut mitigation = "A fix (if available) will be provided in the description.".to_owned();
    if let (Some(start), Some(end)) = (
        description.find("## Remediation"),
        description.find("## References"),
    ) && start < end
    {
        mitigation = description.get(start..end).unwrap_or_default().to_owned();
    }
    finding.description = description;
    if let Some(target) = target {
        finding.tags.push(format!("target_file:{target}"));
        mitigation += &format!("\nUpgrade Location: {target}");
    }
    for (current, meta) in upgrades.into_iter().flatten() {
        let upgrade_to = meta.text_of("upgradeTo").unwrap_or_default();
        let list: Vec<String> = meta
            .arr("upgrades")
            .iter()
            .filter_map(json::as_text)
            .collect();
        if list
            .iter()
            .any(|lib| mitigation.contains(lib.split('@').next().unwrap_or_default()))
        {
            finding.tags.push(format!("upgrade_to:{upgrade_to}"));
            mitigation += &format!(
                "\nUpgrade from {current} to {upgrade_to} to fix this issue, as well as updating the following:\n - {}",
                list.join("\n - ")
            );
        }
    }
    finding.mitigation = Some(mitigation);
    finding.set(dojo::IMPACT, severity_name);
    finding.set(dojo::STATIC_FINDING, true);
    finding.set(dojo::DYNAMIC_FINDING, false);
    finding.file_path = Some(path);
    let id = vulnerability.text_of("id");
    finding.vuln_id_from_tool = id.clone();
    finding.set_opt(
        dojo::CVSSV3,
        vulnerability.text_of("CVSSv3").filter(|v| !v.is_empty()),
    );
    if let Some(epss) = vulnerability.get("epssDetails").filter(|e| !e.is_null()) {
        finding.set_opt("epss_score", epss.get("probability").cloned());
        finding.set_opt("epss_percentile", epss.get("percentile").cloned());
    }
    let identifiers = vulnerability.get("identifiers");
    for cve in identifiers
        .map(|i| i.arr("CVE"))
        .unwrap_or_default()
        .iter()
        .filter_map(json::as_text)
    {
        finding.add_vulnerability_id(cve);
    }
    let cwes: Vec<String> = identifiers
        .map(|i| i.arr("CWE"))
        .unwrap_or_default()
        .iter()
        .filter_map(json::as_text)
        .collect();
    let mut cwe_references = String::new();
    if identifiers.and_then(|i| i.get("CWE")).is_some() {
        match cwes.first().and_then(|c| dojo::cwe_number(c)) {
            Some(cwe) => finding.add_cwe(cwe),
            None if cwes.is_empty() => finding.add_cwe(1035),
            None => {}
        }
        if cwes.len() > 1 {
            cwe_references = cwes.join(", ");
        }
    }
    let mut references = id
        .as_ref()
        .map(|id| format!("**SNYK ID**: https://app.snyk.io/vuln/{id}\n\n"))
        .unwrap_or_default();
    if !cwe_references.is_empty() {
        references += &format!("Several CWEs were reported: \n\n{cwe_references}\n");
    }
    for reference in vulnerability.arr("references") {
        references += &format!(
            "**{}**: {}\n",
            reference.text_of("title").unwrap_or_default(),
            reference.text_of("url").unwrap_or_default()
        );
    }
    finding.references = Some(references);
    finding.purl = vulnerability
        .text_of("packageManager")
        .and_then(|manager| purl_type(&manager))
        .map(|kind| purl_for(kind, &name, &version));
    finding.component_name = Some(name);
    finding.component_version = Some(version);
    Some(finding)
}

fn purl_type(manager: &str) -> Option<&'static str> {
    Some(match manager {
        "npm" | "yarn" | "pnpm" => "npm",
        "pip" | "poetry" | "pipenv" => "pypi",
        "maven" | "gradle" | "sbt" => "maven",
        "golang" | "gomodules" | "golangdep" => "golang",
        "nuget" | "paket" => "nuget",
        "rubygems" => "gem",
        "composer" => "composer",
        "cargo" => "cargo",
        "cocoapods" => "cocoapods",
        _ => return None,
    })
}

fn purl_for(kind: &str, name: &str, version: &str) -> String {
    match (kind, name.split_once(':')) {
        ("maven", Some((group, artifact))) => format!("pkg:maven/{group}/{artifact}@{version}"),
        _ => dojo::purl(kind, name, Some(version)),
    }
}
