//! `Semgrep JSON Report`: Semgrep's `--json` output (code `results`, and the supply-chain
//! `vulns` form).
//!
//! As in DefectDojo: severity CRITICAL→Critical, ERROR/HIGH→High, WARNING/MEDIUM→Medium,
//! LOW/INFO→Low, anything else rejected; repeats of rule+path+line raise `nb_occurences`;
//! `extra.fingerprint` is the tool's unique id (except the placeholder `requires login`).

use gatehouse_model::{Finding, Severity};
use serde_json::Value;

use crate::dojo::{self, DojoFinding, Dupes};
use crate::json::{self, ValueExt};
use crate::{IngestError, Parser};

/// The `Semgrep JSON Report` scan type.
#[derive(Debug, Clone, Copy, Default)]
pub struct Semgrep;

const HINT: &str = "is this the output of `semgrep --json`?";

impl Parser for Semgrep {
    fn parse(&self, bytes: &[u8]) -> Result<Vec<Finding>, IngestError> {
        let report = json::parse(bytes, HINT)?;
        if !report.is_object() {
            return Err(IngestError::shape(
                "$",
                format!("expected an object with `results`; {HINT}"),
            ));
        }
        let version = report.text_of("version");
        let mut dupes = Dupes::default();
        if report.get("results").is_some() {
            for (index, item) in report.arr("results").iter().enumerate() {
                let path = format!("$.results[{index}]");
                let finding = result_finding(item, &path)?;
                dupes.add(dupe_key(&finding), finding);
            }
        } else {
            for (index, item) in report.arr("vulns").iter().enumerate() {
                let path = format!("$.vulns[{index}]");
                let finding = vuln_finding(item, &path)?;
                dupes.add(dupe_key(&finding), finding);
            }
        }
        Ok(dojo::finish(
            dupes.into_vec(),
            "Semgrep",
            version.as_deref(),
        ))
    }
}

fn dupe_key(finding: &DojoFinding) -> String {
    format!(
        "{}\u{0}{}\u{0}{:?}",
        finding.title,
        finding.file_path.as_deref().unwrap_or_default(),
        finding.line
    )
}

fn severity(word: &str, path: &str) -> Result<Severity, IngestError> {
    match word.to_ascii_uppercase().as_str() {
        "CRITICAL" => Ok(Severity::Critical),
        "WARNING" | "MEDIUM" => Ok(Severity::Medium),
        "ERROR" | "HIGH" => Ok(Severity::High),
        "LOW" | "INFO" => Ok(Severity::Low),
        _ => Err(IngestError::shape(
            format!("{path}.extra.severity"),
            format!(
                "unknown severity `{word}`: expected CRITICAL, ERROR, HIGH, WARNING, MEDIUM, LOW or INFO"
            ),
        )),
    }
}

fn line(value: Option<&Value>) -> Option<u32> {
    value
        .and_then(json::as_int)
        .and_then(|l| u32::try_from(l).ok())
}

/// `CWE-79: Improper …` → 79, from a string or each string of a list.
fn cwes(value: Option<&Value>) -> Vec<u32> {
    let items: Vec<&Value> = match value {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(other) => vec![other],
        None => Vec::new(),
    };
    items
        .into_iter()
        .filter_map(json::as_text)
        .filter_map(|text| dojo::cwe_number(&text))
        .collect()
}

fn unique_id(item: &Value) -> Option<String> {
    item.at(&["extra", "fingerprint"])
        .and_then(json::as_text)
        .filter(|f| f != "requires login" && !f.is_empty())
}

fn result_finding(item: &Value, path: &str) -> Result<DojoFinding, IngestError> {
    let extra = item.get("extra");
    let word = extra
        .and_then(|e| e.text_of("severity"))
        .unwrap_or_default();
    let check_id = item.text_of("check_id");
    let mut finding =
        DojoFinding::new(check_id.clone().unwrap_or_default(), severity(&word, path)?);
    finding.tool_severity = Some(word);
    let message = extra.and_then(|e| e.text_of("message")).unwrap_or_default();
    let mut description = format!("**Result message:** {message}\n");
    if let Some(snippet) = extra.and_then(|e| e.text_of("lines")) {
        if snippet.contains("<![") {
            description += &format!(
                "**Snippet:** ***Caution:*** Please remove the space between `!` and `[` to have \
                 the real value due to a workaround to circumvent \
                 [#8435](https://github.com/DefectDojo/django-DefectDojo/issues/8435).\n```{}```\n",
                snippet.replace("<![", "<! [")
            );
        } else {
            description += &format!("**Snippet:**\n```{snippet}```\n");
        }
    }
    finding.description = description;
    finding.file_path = item.text_of("path");
    finding.line = line(item.at(&["start", "line"]));
    finding.vuln_id_from_tool = check_id;
    finding.unique_id_from_tool = unique_id(item);
    let metadata = extra.and_then(|e| e.get("metadata"));
    for cwe in cwes(metadata.and_then(|m| m.get("cwe"))) {
        finding.add_cwe(cwe);
    }
    if let Some(references) = metadata
        .and_then(|m| m.get("references"))
        .and_then(Value::as_array)
    {
        finding.references = Some(
            references
                .iter()
                .filter_map(json::as_text)
                .collect::<Vec<_>>()
                .join("\n"),
        );
    }
    if let Some(fix) = extra.and_then(|e| e.text_of("fix")) {
        finding.mitigation = Some(fix);
    } else if let Some(regex) = extra.and_then(|e| e.get("fix_regex")) {
        finding.mitigation = Some(format!(
            "**You can automaticaly apply this regex:**\n\n```\n\n{regex}\n\n```\n"
        ));
    }
    finding.set(dojo::STATIC_FINDING, true);
    finding.set(dojo::DYNAMIC_FINDING, false);
    Ok(finding)
}

fn vuln_finding(item: &Value, path: &str) -> Result<DojoFinding, IngestError> {
    let advisory = item.get("advisory");
    let word = advisory
        .and_then(|a| a.text_of("severity"))
        .unwrap_or_default();
    let mut finding = DojoFinding::new(
        item.text_of("title").unwrap_or_default(),
        severity(&word, path)?,
    );
    finding.tool_severity = Some(word);
    finding.description = advisory
        .and_then(|a| a.text_of("description"))
        .unwrap_or_default();
    let location = item.get("dependencyFileLocation");
    finding.file_path = location.and_then(|l| l.text_of("path"));
    finding.line = line(location.and_then(|l| l.get("startLine")));
    finding.vuln_id_from_tool = item.text_of("repositoryId");
    finding.unique_id_from_tool = unique_id(item);
    for cwe in cwes(advisory.and_then(|a| a.at(&["references", "cweIds"]))) {
        finding.add_cwe(cwe);
    }
    finding.set(dojo::STATIC_FINDING, true);
    finding.set(dojo::DYNAMIC_FINDING, false);
    Ok(finding)
}
