//! `NPM Audit Scan` (npm 6 and older, `advisories`) and `NPM Audit v7+ Scan` (`npm audit --json`
//! from npm 7, `auditReportVersion` 2, `vulnerabilities`).
//!
//! As in DefectDojo: severity `moderate`→Medium, the other npm words 1:1, anything else Info;
//! CWE-1035 (vulnerable third-party component) when the report names none. A report carrying an
//! npm `error` object, or the other npm generation's format, is rejected.

use gatehouse_model::{Finding, Severity};
use serde_json::{Map, Value};

use crate::dojo::{self, DojoFinding};
use crate::json::{self, ValueExt};
use crate::{IngestError, Parser};

/// The `NPM Audit Scan` scan type (npm ≤ 6).
#[derive(Debug, Clone, Copy, Default)]
pub struct NpmAudit;

/// The `NPM Audit v7+ Scan` scan type.
#[derive(Debug, Clone, Copy, Default)]
pub struct NpmAudit7Plus;

const HINT: &str = "is this the output of `npm audit --json`?";

fn severity(word: &str) -> Severity {
    match word {
        "low" => Severity::Low,
        "moderate" => Severity::Medium,
        "high" => Severity::High,
        "critical" => Severity::Critical,
        _ => Severity::Info,
    }
}

/// `npm audit` reports every vulnerable package under its npm name.
fn npm_purl(name: &str, version: Option<&str>) -> String {
    dojo::purl("npm", name, version)
}

impl Parser for NpmAudit {
    fn parse(&self, bytes: &[u8]) -> Result<Vec<Finding>, IngestError> {
        let tree = json::parse(bytes, HINT)?;
        if tree.get("auditReportVersion").is_some_and(|v| !v.is_null()) {
            return Err(IngestError::shape(
                "$.auditReportVersion",
                "this is an npm 7+ report: import it as `NPM Audit v7+ Scan`",
            ));
        }
        if let Some(error) = tree.get("error").filter(|e| !e.is_null()) {
            return Err(IngestError::ReportedError(format!(
                "npm audit report contains errors: {}, {}",
                error.text_of("code").unwrap_or_default(),
                error.text_of("summary").unwrap_or_default()
            )));
        }
        let mut out: Vec<(String, DojoFinding)> = Vec::new();
        let advisories = tree.get("advisories").and_then(Value::as_object);
        for (key, node) in advisories.into_iter().flatten() {
            let finding = advisory(node).ok_or_else(|| {
                IngestError::shape(
                    format!("$.advisories.{key}"),
                    "expected `id`, `title`, `module_name` and `findings`",
                )
            })?;
            let unique = format!(
                "{}{}",
                node.text_of("id").unwrap_or_default(),
                node.text_of("module_name").unwrap_or_default()
            );
            match out.iter_mut().find(|(k, _)| *k == unique) {
                Some(slot) => slot.1 = finding,
                None => out.push((unique, finding)),
            }
        }
        Ok(dojo::finish(
            out.into_iter().map(|(_, f)| f).collect(),
            "npm audit",
            None,
        ))
    }
}

/// DefectDojo's `get_npm_cwe`: the first CWE of a list, `"CWE-n"`, or `"['CWE-n', …]"`; else 1035.
fn npm_cwe(node: &Value) -> u32 {
    let first = match node.get("cwe") {
        Some(Value::Array(items)) => items.first().and_then(json::as_text),
        Some(Value::String(text)) => Some(text.clone()),
        _ => None,
    };
    first
        .and_then(|text| dojo::cwe_number(&text))
        .unwrap_or(1035)
}

/// npm's random 64-hex names for git dependencies change every run.
fn censor_path_hashes(path: &str) -> String {
    let mut out = String::new();
    let mut run = String::new();
    for c in path.chars() {
        if c.is_ascii_digit() || ('a'..='f').contains(&c) {
            run.push(c);
            if run.len() == 64 {
                out += "censored_by_npm_audit";
                run.clear();
            }
        } else {
            out += &run;
            run.clear();
            out.push(c);
        }
    }
    out + &run
}

fn advisory(node: &Value) -> Option<DojoFinding> {
    let text = |key: &str| {
        node.get(key)
            .map(|v| json::as_text(v).unwrap_or_else(|| "None".to_owned()))
            .unwrap_or_default()
    };
    let module = node.text_of("module_name")?;
    let title = node.text_of("title")?;
    let word = node.text_of("severity").unwrap_or_default();
    let mut finding = DojoFinding::new(
        format!("{title} - ({module}, {})", text("vulnerable_versions")),
        severity(&word),
    );
    finding.tool_severity = Some(word);
    let mut paths = String::new();
    let mut version: Option<String> = None;
    for found in node.arr("findings") {
        let found_version = found
            .text_of("version")
            .unwrap_or_else(|| "None".to_owned());
        version.get_or_insert_with(|| found_version.clone());
        let all: Vec<String> = found
            .arr("paths")
            .iter()
            .filter_map(json::as_text)
            .collect();
        paths += &format!(
            "\n  - {found_version}:{}",
            all.iter().take(25).cloned().collect::<Vec<_>>().join(",")
        );
        if all.len() > 25 {
            paths += "\n  - ..... (list of paths truncated after 25 paths)";
        }
    }
    finding.file_path = Some(
        node.arr("findings")
            .first()
            .and_then(|f| f.arr("paths").first())
            .and_then(json::as_text)
            .map(|p| censor_path_hashes(&p))
            .unwrap_or_default(),
    );
    finding.description = format!(
        "{}\n{}\n Vulnerable Module: {module}\n Vulnerable Versions: {}\n Patched Version: {}\n \
         Vulnerable Paths: {paths}\n CWE: {}\n Access: {}",
        text("url"),
        text("overview"),
        text("vulnerable_versions"),
        text("patched_versions"),
        text("cwe"),
        text("access"),
    );
    finding.add_cwe(npm_cwe(node));
    finding.mitigation = node.text_of("recommendation");
    finding.references = node.text_of("url");
    finding.set(dojo::IMPACT, "No impact provided");
    finding.set(dojo::STATIC_FINDING, true);
    finding.set(dojo::DYNAMIC_FINDING, false);
    for cve in node.arr("cves").iter().filter_map(json::as_text) {
        finding.add_vulnerability_id(cve);
    }
    finding.vuln_id_from_tool = node.text_of("id");
    finding.purl = Some(npm_purl(&module, version.as_deref()));
    finding.component_name = Some(module);
    finding.component_version = version;
    Some(finding)
}

impl Parser for NpmAudit7Plus {
    fn parse(&self, bytes: &[u8]) -> Result<Vec<Finding>, IngestError> {
        let tree = json::parse(bytes, HINT)?;
        let (report, path) = match tree.get("audit").filter(|a| a.is_object()) {
            Some(audit) => (audit, "$.audit"),
            None => (&tree, "$"),
        };
        if report.get("auditReportVersion").is_none_or(Value::is_null) {
            if let Some(error) = tree.get("error").filter(|e| !e.is_null()) {
                return Err(IngestError::ReportedError(format!(
                    "npm audit report contains errors: {}, {}",
                    error.text_of("code").unwrap_or_default(),
                    error.text_of("summary").unwrap_or_default()
                )));
            }
            return Err(IngestError::shape(
                format!("{path}.auditReportVersion"),
                "missing: this parser only supports output from npm audit version 7 and above \
                 (import older reports as `NPM Audit Scan`)",
            ));
        }
        let empty = Map::new();
        let vulnerabilities = report
            .get("vulnerabilities")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let mut out: Vec<(String, DojoFinding)> = Vec::new();
        for (key, node) in vulnerabilities {
            let finding = vulnerability(node, vulnerabilities).ok_or_else(|| {
                IngestError::shape(
                    format!("{path}.vulnerabilities.{key}"),
                    "expected `name`, `severity` and `via`",
                )
            })?;
            let unique = format!("{}{}", finding.title, dojo::severity_name(finding.severity));
            match out.iter_mut().find(|(k, _)| *k == unique) {
                Some(slot) => slot.1 = finding,
                None => out.push((unique, finding)),
            }
        }
        Ok(dojo::finish(
            out.into_iter().map(|(_, f)| f).collect(),
            "npm audit",
            None,
        ))
    }
}

fn vulnerability(node: &Value, tree: &Map<String, Value>) -> Option<DojoFinding> {
    let name = node.text_of("name")?;
    let word = node.text_of("severity")?;
    let via = node.arr("via");
    let mut finding = DojoFinding::new(String::new(), severity(&word));
    finding.tool_severity = Some(word);
    let mut references = Vec::new();
    let component = match via.first() {
        Some(Value::String(_)) => {
            finding.title = name.clone();
            finding.add_cwe(1035);
            name.clone()
        }
        Some(first @ Value::Object(_)) => {
            finding.title = first.text_of("title").unwrap_or_default();
            for cwe in first.arr("cwe").iter().filter_map(json::as_text) {
                if let Some(number) = dojo::cwe_number(&cwe) {
                    finding.add_cwe(number);
                }
            }
            references.extend(first.text_of("url"));
            finding.vuln_id_from_tool = first.text_of("source");
            finding.set_opt(
                dojo::CVSSV3,
                first
                    .at(&["cvss", "vectorString"])
                    .and_then(json::as_text)
                    .filter(|v| !v.is_empty()),
            );
            node.arr("nodes")
                .first()
                .and_then(json::as_text)
                .unwrap_or_default()
        }
        _ => String::new(),
    };
    if via.first().is_some_and(Value::is_object) {
        references.extend(via.iter().skip(1).filter_map(|v| v.text_of("url")));
    }
    let fix = node.get("fixAvailable").filter(|f| f.is_object());
    let fix_text = fix.map(|f| {
        format!(
            "Update {} to version {}",
            f.text_of("name").unwrap_or_default(),
            f.text_of("version").unwrap_or_default()
        )
    });
    finding.mitigation = Some(
        fix_text
            .clone()
            .unwrap_or_else(|| "No specific mitigation provided by tool.".to_owned()),
    );
    finding.set(
        dojo::FIX_AVAILABLE,
        node.get("fixAvailable")
            .is_some_and(|f| f.is_object() || f == &Value::Bool(true)),
    );
    finding.description = description(node, tree, fix_text.as_deref());
    finding.references = Some(references.join(", "));
    finding.set(dojo::IMPACT, "No impact provided");
    finding.set(dojo::STATIC_FINDING, true);
    finding.set(dojo::DYNAMIC_FINDING, false);
    finding.purl = Some(npm_purl(&name, None));
    finding.component_name = Some(component);
    Some(finding)
}

fn description(node: &Value, tree: &Map<String, Value>, fix: Option<&str>) -> String {
    let text = |value: &Value, key: &str| value.text_of(key).unwrap_or_default();
    let mut out = format!(
        "{} {}\nSeverity: {}\n",
        text(node, "name"),
        text(node, "range"),
        text(node, "severity")
    );
    for via in node.arr("via") {
        match via {
            Value::String(name) => out += &format!("Depends on vulnerable versions of {name}\n"),
            other => out += &format!("{} - {}\n", text(other, "title"), text(other, "url")),
        }
    }
    match fix {
        Some(fix) => out += &format!("Fix Available: {fix}\n"),
        None => out += "No specific mitigation provided by tool.\n",
    }
    for path in node.arr("nodes").iter().filter_map(json::as_text) {
        out += &format!("{path}\n");
    }
    let mut handled: Vec<String> = Vec::new();
    for effect in node.arr("effects").iter().filter_map(json::as_text) {
        let Some(entry) = tree.get(&effect) else {
            continue;
        };
        let effect_name = text(entry, "name");
        out += &format!("  {effect_name} {}\n", text(entry, "range"));
        handled.push(effect_name.clone());
        for ev in entry.arr("via") {
            let via_name = match ev {
                Value::String(name) => name.clone(),
                other => text(other, "name"),
            };
            if via_name != effect_name {
                out += &format!("  Depends on vulnerable versions of {via_name}\n");
            }
        }
        let nodes: Vec<String> = entry
            .arr("nodes")
            .iter()
            .filter_map(json::as_text)
            .collect();
        for path in &nodes {
            out += &format!("  {path}\n");
        }
        for nested in entry.arr("effects").iter().filter_map(json::as_text) {
            if handled.contains(&nested) {
                continue;
            }
            if let Some(nested_entry) = tree.get(&nested) {
                out += &format!(
                    "    {} {}\n",
                    text(nested_entry, "name"),
                    text(nested_entry, "range")
                );
                for path in &nodes {
                    out += &format!("    {path}\n");
                }
            }
        }
    }
    out
}
