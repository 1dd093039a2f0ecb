//! `Trivy Scan`: Trivy's JSON report (`trivy … --format json`): schema 2 (`Results`), the legacy
//! top-level list, and the Kubernetes cluster report (`ClusterName`); vulnerabilities,
//! misconfigurations, secrets and licences.
//!
//! As in DefectDojo: severity is Trivy's `Severity` (`UNKNOWN`→Info); the CVSS vector and score
//! come from the `SeveritySource` vendor, else NVD; the title is `<id> <package> <version>`.

use gatehouse_model::{Finding, Severity};
use serde_json::Value;

use crate::dojo::{self, DojoFinding};
use crate::json::{self, ValueExt};
use crate::{IngestError, Parser};

/// The `Trivy Scan` scan type.
#[derive(Debug, Clone, Copy, Default)]
pub struct Trivy;

const HINT: &str = "is this the output of `trivy … --format json`?";

impl Parser for Trivy {
    fn parse(&self, bytes: &[u8]) -> Result<Vec<Finding>, IngestError> {
        let report = json::parse(bytes, HINT)?;
        let version = report.at(&["Trivy", "Version"]).and_then(json::as_text);
        let mut out = Vec::new();
        match &report {
            Value::Null => {}
            Value::Array(results) => results_into(results, None, &mut out),
            Value::Object(_) if report.int_of("SchemaVersion") == Some(2) => {
                results_into(report.arr("Results"), None, &mut out);
            }
            Value::Object(_) if report.get("ClusterName").is_some() => {
                for key in ["Vulnerabilities", "Misconfigurations", "Resources"] {
                    for service in report.arr(key) {
                        let name = service_name(service);
                        results_into(service.arr("Results"), Some(&name), &mut out);
                    }
                }
            }
            _ => {
                return Err(IngestError::shape(
                    "$",
                    format!(
                        "unsupported Trivy report: expected `SchemaVersion: 2`, a `ClusterName` \
                         report or a list of results; {HINT}"
                    ),
                ));
            }
        }
        Ok(out
            .into_iter()
            .map(|f| f.into_finding("Trivy", version.as_deref()))
            .collect())
    }
}

/// `namespace / kind / name`, skipping absent parts.
fn service_name(service: &Value) -> String {
    ["Namespace", "Kind", "Name"]
        .iter()
        .filter_map(|key| service.str_of(key).filter(|s| !s.is_empty()))
        .collect::<Vec<_>>()
        .join(" / ")
}

fn severity(word: Option<&str>) -> Option<Severity> {
    match word? {
        "CRITICAL" => Some(Severity::Critical),
        "HIGH" => Some(Severity::High),
        "MEDIUM" => Some(Severity::Medium),
        "LOW" => Some(Severity::Low),
        "UNKNOWN" => Some(Severity::Info),
        _ => None,
    }
}

fn results_into(results: &[Value], service: Option<&str>, out: &mut Vec<DojoFinding>) {
    for result in results {
        let Some(target) = result.text_of("Target") else {
            continue;
        };
        let class = result.str_of("Class").unwrap_or_default();
        let kind = result.str_of("Type").unwrap_or_default();
        let common = |finding: &mut DojoFinding, tags: Vec<&str>| {
            finding.set(dojo::STATIC_FINDING, true);
            finding.set(dojo::DYNAMIC_FINDING, false);
            finding.tags = tags.into_iter().map(str::to_owned).collect();
            if let Some(service) = service {
                finding.set(dojo::SERVICE, service);
            }
        };
        for vulnerability in result.arr("Vulnerabilities") {
            if let Some(mut finding) = vulnerability_finding(vulnerability, &target, class, kind) {
                common(&mut finding, vec![kind, class]);
                out.push(finding);
            }
        }
        for misconfiguration in result.arr("Misconfigurations") {
            if let Some(mut finding) = misconfiguration_finding(misconfiguration, &target) {
                common(&mut finding, vec![kind, class]);
                out.push(finding);
            }
        }
        for secret in result.arr("Secrets") {
            let Some(severity) = severity(secret.str_of("Severity")) else {
                continue;
            };
            let title = secret.text_of("Title").unwrap_or_default();
            let mut finding =
                DojoFinding::new(format!("Secret detected in {target} - {title}"), severity);
            finding.tool_severity = secret.text_of("Severity");
            finding.description = format!(
                "{title}\n**Category:** {}\n**Match:** {}\n",
                secret.text_of("Category").unwrap_or_default(),
                secret.text_of("Match").unwrap_or_default()
            );
            finding.file_path = Some(target.clone());
            finding.line = secret
                .int_of("StartLine")
                .and_then(|l| u32::try_from(l).ok());
            finding.vuln_id_from_tool = secret.text_of("RuleID");
            common(&mut finding, vec![class]);
            out.push(finding);
        }
        for license in result.arr("Licenses") {
            let Some(severity) = severity(license.str_of("Severity")) else {
                continue;
            };
            let name = license.text_of("Name").unwrap_or_default();
            let mut finding =
                DojoFinding::new(format!("License detected in {target} - {name}"), severity);
            finding.tool_severity = license.text_of("Severity");
            finding.description = format!(
                "{name}\n**Category:** {}\n**Package:** {}\n",
                license.text_of("Category").unwrap_or_default(),
                license.text_of("PkgName").unwrap_or_default()
            );
            finding.file_path = license.text_of("FilePath");
            finding.references = license.text_of("Link");
            common(&mut finding, vec![class]);
            out.push(finding);
        }
    }
}

fn vulnerability_finding(
    vulnerability: &Value,
    target: &str,
    class: &str,
    kind: &str,
) -> Option<DojoFinding> {
    let id = vulnerability
        .text_of("VulnerabilityID")
        .unwrap_or_else(|| "0".to_owned());
    let package = vulnerability.text_of("PkgName")?;
    let severity = severity(vulnerability.str_of("Severity"))?;
    let version = vulnerability
        .text_of("InstalledVersion")
        .unwrap_or_default();
    let fixed = vulnerability.text_of("FixedVersion").unwrap_or_default();

    let mut finding = DojoFinding::new(format!("{id} {package} {version}"), severity);
    finding.tool_severity = vulnerability.text_of("Severity");
    finding.description = format!(
        "{}\n**Target:** {target}\n**Type:** {kind}\n**Fixed version:** {fixed}\n\n{}\n",
        vulnerability.text_of("Title").unwrap_or_default(),
        vulnerability.text_of("Description").unwrap_or_default()
    );
    finding.file_path = match class {
        "os-pkgs" | "lang-pkgs" => vulnerability
            .text_of("PkgPath")
            .or_else(|| Some(target.to_owned())),
        "config" => Some(target.to_owned()),
        _ => None,
    };
    finding.references = Some(
        vulnerability
            .arr("References")
            .iter()
            .filter_map(json::as_text)
            .collect::<Vec<_>>()
            .join("\n"),
    );
    if let Some(cwe) = vulnerability
        .arr("CweIDs")
        .first()
        .and_then(Value::as_str)
        .and_then(dojo::cwe_number)
    {
        finding.add_cwe(cwe);
    }
    let cvss = vulnerability.get("CVSS");
    let vendor = vulnerability
        .str_of("SeveritySource")
        .and_then(|source| cvss?.get(source))
        .or_else(|| cvss?.get("nvd"))
        .or_else(|| {
            cvss?
                .as_object()?
                .values()
                .find(|vendor| vendor.get("V3Vector").is_some())
        });
    if let Some(vendor) = vendor {
        finding.set_opt(dojo::CVSSV3, vendor.text_of("V3Vector"));
        finding.set_opt(dojo::CVSSV3_SCORE, vendor.float_of("V3Score"));
    }
    finding.set(dojo::FIX_AVAILABLE, !fixed.is_empty());
    if !fixed.is_empty() {
        finding.set(dojo::FIX_VERSION, fixed.clone());
    }
    finding.mitigation = Some(fixed);
    finding.purl = vulnerability
        .at(&["PkgIdentifier", "PURL"])
        .and_then(json::as_text)
        .or_else(|| {
            vulnerability
                .text_of("Ref")
                .filter(|r| r.starts_with("pkg:"))
        })
        .or_else(|| derive_purl(kind, &package, &version));
    finding.component_name = Some(package);
    finding.component_version = Some(version);
    finding.vuln_id_from_tool = Some(id.clone());
    if !id.is_empty() {
        finding.add_vulnerability_id(id);
    }
    Some(finding)
}

/// A purl from Trivy's target `Type` when the report carries none.
fn derive_purl(kind: &str, name: &str, version: &str) -> Option<String> {
    let purl_type = match kind {
        "npm" | "yarn" | "pnpm" | "node-pkg" => "npm",
        "pip" | "pipenv" | "poetry" | "python-pkg" => "pypi",
        "gomod" | "gobinary" => "golang",
        "cargo" | "rustbinary" => "cargo",
        "composer" => "composer",
        "bundler" | "gemspec" => "gem",
        "nuget" | "dotnet-core" => "nuget",
        "jar" | "pom" | "gradle" => {
            let (group, artifact) = name.split_once(':')?;
            return Some(format!("pkg:maven/{group}/{artifact}@{version}"));
        }
        "debian" | "ubuntu" => return Some(format!("pkg:deb/{kind}/{name}@{version}")),
        "alpine" => return Some(format!("pkg:apk/alpine/{name}@{version}")),
        "redhat" | "centos" | "rocky" | "alma" | "amazon" | "oracle" | "fedora" => {
            return Some(format!("pkg:rpm/{kind}/{name}@{version}"));
        }
        _ => return None,
    };
    Some(dojo::purl(purl_type, name, Some(version)))
}

fn misconfiguration_finding(misconfiguration: &Value, target: &str) -> Option<DojoFinding> {
    let severity = severity(misconfiguration.str_of("Severity"))?;
    let id = misconfiguration.text_of("ID").unwrap_or_default();
    let title = misconfiguration.text_of("Title").unwrap_or_default();
    let mut message = misconfiguration.text_of("Message").unwrap_or_default();
    let lines = misconfiguration
        .at(&["CauseMetadata", "Code", "Lines"])
        .and_then(Value::as_array);
    if let Some(lines) = lines {
        let mut table = "Number\tContent\n".to_owned();
        for line in lines {
            table += &format!(
                "{}\t{}\n",
                line.text_of("Number").unwrap_or_default(),
                line.text_of("Content").unwrap_or_default()
            );
        }
        message += &format!("\n{table}");
    }
    let mut finding = DojoFinding::new(format!("{id} - {title}"), severity);
    finding.tool_severity = misconfiguration.text_of("Severity");
    finding.description = format!(
        "**Target:** {target}\n**Type:** {}\n\n{}\n{message}\n",
        misconfiguration.text_of("Type").unwrap_or_default(),
        misconfiguration.text_of("Description").unwrap_or_default()
    );
    let primary = misconfiguration.text_of("PrimaryURL");
    let others: Vec<String> = misconfiguration
        .arr("References")
        .iter()
        .filter_map(json::as_text)
        .filter(|r| Some(r) != primary.as_ref())
        .collect();
    finding.references = Some(match &primary {
        Some(primary) => format!("{primary}\n{}", others.join("\n")),
        None => others.join("\n"),
    });
    finding.mitigation = misconfiguration.text_of("Resolution");
    finding.add_vulnerability_id(id.clone());
    finding.vuln_id_from_tool = Some(id);
    Some(finding)
}
