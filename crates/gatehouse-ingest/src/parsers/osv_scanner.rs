//! `OSV Scan`: osv-scanner's JSON report (`osv-scanner --format json`).
//!
//! As in DefectDojo: one finding per vulnerability per package, titled `<id>_<package>`;
//! severity from `database_specific.severity` (MODERATE→Medium, missing→Low); CWEs and fixed
//! versions from the first `affected` entry. A file that is not JSON gives no findings, as in
//! DefectDojo.

use gatehouse_model::{Finding, Severity};
use serde_json::Value;

use crate::dojo::{self, DojoFinding};
use crate::json::{self, ValueExt};
use crate::{IngestError, Parser};

/// The `OSV Scan` scan type.
#[derive(Debug, Clone, Copy, Default)]
pub struct OsvScanner;

const HINT: &str = "is this the output of `osv-scanner --format json`?";

impl Parser for OsvScanner {
    fn parse(&self, bytes: &[u8]) -> Result<Vec<Finding>, IngestError> {
        // DefectDojo reads an empty file as "no findings".
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(Vec::new());
        }
        let report = json::parse(bytes, HINT)?;
        let mut out = Vec::new();
        for result in report.arr("results") {
            let source = result.get("source");
            let source_path = source.and_then(|s| s.text_of("path")).unwrap_or_default();
            let source_type = source.and_then(|s| s.text_of("type")).unwrap_or_default();
            for package in result.arr("packages") {
                let info = package.get("package");
                let name = info.and_then(|p| p.text_of("name"));
                let version = info.and_then(|p| p.text_of("version"));
                let ecosystem = info
                    .and_then(|p| p.text_of("ecosystem"))
                    .unwrap_or_default();
                for vulnerability in package.arr("vulnerabilities") {
                    let mut finding = vulnerability_finding(
                        vulnerability,
                        &source_type,
                        &ecosystem,
                        name.as_deref(),
                    );
                    finding.file_path = Some(source_path.clone());
                    finding.purl = name.as_deref().and_then(|n| {
                        purl_type(&ecosystem).map(|t| dojo::purl(t, n, version.as_deref()))
                    });
                    finding.component_name = name.clone();
                    finding.component_version = version.clone();
                    out.push(finding);
                }
            }
        }
        Ok(dojo::finish(out, "osv-scanner", None))
    }
}

fn purl_type(ecosystem: &str) -> Option<&'static str> {
    Some(match ecosystem.to_ascii_lowercase().as_str() {
        "npm" => "npm",
        "pypi" => "pypi",
        "go" => "golang",
        "maven" => "maven",
        "crates.io" => "cargo",
        "rubygems" => "gem",
        "nuget" => "nuget",
        "packagist" => "composer",
        "hex" => "hex",
        "pub" => "pub",
        "cocoapods" => "cocoapods",
        "swifturl" => "swift",
        "alpine" => "apk",
        "debian" => "deb",
        _ => return None,
    })
}

fn vulnerability_finding(
    vulnerability: &Value,
    source_type: &str,
    ecosystem: &str,
    name: Option<&str>,
) -> DojoFinding {
    let id = vulnerability.text_of("id").unwrap_or_default();
    let word = vulnerability
        .at(&["database_specific", "severity"])
        .and_then(json::as_text);
    let severity = match word.as_deref() {
        None | Some("") => Severity::Low,
        Some("MODERATE") => Severity::Medium,
        Some(other) => dojo::severity_sanitized(other).unwrap_or(Severity::Info),
    };
    let mut finding = DojoFinding::new(format!("{id}_{}", name.unwrap_or("None")), severity);
    finding.tool_severity = word;
    let affected = vulnerability.arr("affected").first();
    let package_purl = affected
        .and_then(|a| a.at(&["package", "purl"]))
        .and_then(json::as_text)
        .unwrap_or_default();
    if let Some(cwes) = affected
        .and_then(|a| a.at(&["database_specific", "cwes"]))
        .and_then(Value::as_array)
    {
        for cwe in cwes {
            if let Some(number) = cwe.text_of("cweId").as_deref().and_then(dojo::cwe_number) {
                finding.add_cwe(number);
            }
        }
    }
    let mut by_type: Vec<(String, Vec<String>)> = Vec::new();
    for range in affected.map(|a| a.arr("ranges")).unwrap_or_default() {
        let kind = range.text_of("type").unwrap_or_default();
        let repo = range.text_of("repo").unwrap_or_default();
        for event in range.arr("events") {
            let Some(fixed) = event.text_of("fixed") else {
                continue;
            };
            let value = if kind == "GIT" && !repo.is_empty() {
                format!("{repo}/commit/{fixed}")
            } else {
                fixed
            };
            match by_type.iter_mut().find(|(k, _)| *k == kind) {
                Some((_, versions)) => versions.push(value),
                None => by_type.push((kind.clone(), vec![value])),
            }
        }
    }
    if !by_type.is_empty() {
        let mut text = "**Upgrade to versions**:\n".to_owned();
        for (kind, versions) in &by_type {
            text += &format!("\t{kind} :\n");
            for version in versions {
                text += &format!("\t\t- {version}\n");
            }
        }
        finding.mitigation = Some(text);
    }
    finding.references = Some(
        vulnerability
            .arr("references")
            .iter()
            .filter_map(|r| r.text_of("url"))
            .map(|url| url + "\n")
            .collect(),
    );
    finding.description = format!(
        "{}\n**Source type**: {source_type}\n**Package ecosystem**: {ecosystem}\n\
         **Vulnerability details**: {}\n**Vulnerability package purl**: {package_purl}\n",
        vulnerability.text_of("summary").unwrap_or_default(),
        vulnerability.text_of("details").unwrap_or_default(),
    );
    if !id.is_empty() {
        finding.add_vulnerability_id(id.clone());
    }
    for alias in vulnerability
        .arr("aliases")
        .iter()
        .filter_map(json::as_text)
    {
        finding.set("aliases", alias.clone());
    }
    finding.vuln_id_from_tool = Some(id).filter(|i| !i.is_empty());
    finding.set(dojo::STATIC_FINDING, true);
    finding.set(dojo::DYNAMIC_FINDING, false);
    finding
}
