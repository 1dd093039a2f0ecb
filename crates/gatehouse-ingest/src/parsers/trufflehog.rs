//! `Trufflehog Scan` (TruffleHog v2 and v3 JSON Lines) and `Trufflehog3 Scan` (the truffleHog3
//! fork's JSON list, legacy and current forms).
//!
//! As in DefectDojo: CWE-798, the vault mitigation; v3 findings are Critical unless unverified
//! (PrivateKey → High, Generic Secret → Medium); v2 and legacy by reason (High Entropy → Info,
//! OAuth/AWS/Heroku → Critical, Generic Secret → Medium, else High); repeats raise
//! `nb_occurences` and append their description.

use gatehouse_model::{Finding, Severity};
use serde_json::Value;

use crate::dojo::{self, DojoFinding, Dupes};
use crate::json::{self, ValueExt};
use crate::{IngestError, Parser};

/// The `Trufflehog Scan` scan type.
#[derive(Debug, Clone, Copy, Default)]
pub struct Trufflehog;

/// The `Trufflehog3 Scan` scan type.
#[derive(Debug, Clone, Copy, Default)]
pub struct Trufflehog3;

const HINT: &str = "is this the output of `trufflehog … --json`?";
const HINT3: &str = "is this the output of `trufflehog3 --format json`?";
const MITIGATION: &str =
    "Secrets and passwords should be stored in a secure vault and/or secure storage.";
const IMPACT: &str = "This weakness can lead to the exposure of resources or functionality to \
unintended actors, possibly providing attackers with sensitive information or even execute \
arbitrary code.";

/// Adds to `dupes`, appending the description of a repeat to the kept finding.
fn add(dupes: &mut Dupes, key: String, finding: DojoFinding, separator: &str) {
    if let Some(kept) = dupes.get_mut(&key) {
        kept.description = format!("{}{separator}{}", kept.description, finding.description);
    }
    dupes.add(key, finding);
}

fn secret_finding(
    title: String,
    severity: Severity,
    description: String,
    file: String,
    line: Option<u32>,
) -> DojoFinding {
    let mut finding = DojoFinding::new(title, severity);
    finding.description = description;
    finding.add_cwe(798);
    finding.mitigation = Some(MITIGATION.to_owned());
    finding.set(dojo::IMPACT, IMPACT);
    finding.file_path = Some(file);
    finding.line = line;
    finding.set(dojo::STATIC_FINDING, true);
    finding.set(dojo::DYNAMIC_FINDING, false);
    finding
}

/// Severity of a v2 / truffleHog3-legacy `reason`.
fn reason_severity(reason: &str) -> Severity {
    if reason == "High Entropy" {
        Severity::Info
    } else if ["Oauth", "AWS", "Heroku"]
        .iter()
        .any(|s| reason.contains(s))
    {
        Severity::Critical
    } else if reason == "Generic Secret" {
        Severity::Medium
    } else {
        Severity::High
    }
}

impl Parser for Trufflehog {
    fn parse(&self, bytes: &[u8]) -> Result<Vec<Finding>, IngestError> {
        let lines = json::parse_lines(bytes, HINT)?;
        let Some(first) = lines.first() else {
            return Ok(Vec::new());
        };
        let mut dupes = Dupes::default();
        if first.get("SourceMetadata").is_some() {
            for item in &lines {
                v3(item, &mut dupes);
            }
        } else if first.get("path").is_some() {
            for item in &lines {
                v2(item, &mut dupes);
            }
        }
        Ok(dojo::finish(dupes.into_vec(), "TruffleHog", None))
    }
}

fn v2(item: &Value, dupes: &mut Dupes) {
    let text = |key: &str| item.text_of(key).unwrap_or_else(|| "None".to_owned());
    let file = text("path");
    let reason = text("reason");
    let commit = text("commit");
    let strings: String = item
        .arr("stringsFound")
        .iter()
        .filter_map(json::as_text)
        .map(|s| s + "\n")
        .collect();
    let description = format!(
        "**Commit:** {}\n```\n{}\n```\n**Commit Hash:** {}\n**Commit Date:** {}\n**Branch:** {}\n\
         **Reason:** {reason}\n**Path:** {file}\n\n**Strings Found:**\n```{strings}```\n",
        commit.split('\n').next().unwrap_or_default(),
        commit.replace("```", "\\`\\`\\`"),
        text("commitHash"),
        text("date"),
        text("branch"),
    );
    let mut finding = secret_finding(
        format!("Hard Coded {reason} in: {file}"),
        reason_severity(&reason),
        description,
        file.clone(),
        None,
    );
    finding.vuln_id_from_tool = Some(reason.clone());
    add(dupes, format!("{file}\u{0}{reason}"), finding, "");
}

/// DefectDojo's `walk_dict`: `key: value` lines, nested objects one tab deeper.
fn walk(value: &Value, depth: usize) -> String {
    let mut out = String::new();
    if let Some(object) = value.as_object() {
        for (key, inner) in object {
            if inner.is_object() {
                out += &walk(inner, depth + 1);
            } else {
                let shown = json::as_text(inner).unwrap_or_else(|| inner.to_string());
                out += &format!("{}{key}: {shown}\n", "\t".repeat(depth));
            }
        }
    }
    out
}

fn v3(item: &Value, dupes: &mut Dupes) {
    let source = item
        .at(&["SourceMetadata", "Data"])
        .and_then(Value::as_object)
        .and_then(|data| data.values().next());
    let field = |key: &str| source.and_then(|s| s.text_of(key)).unwrap_or_default();
    let file = field("file");
    let commit = field("commit");
    let link = field("link");
    let line = source.and_then(|s| s.int_of("line")).unwrap_or(0);
    let detector = item.text_of("DetectorName").unwrap_or_default();
    let verified = item
        .get("Verified")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let mut mitigation = MITIGATION.to_owned();
    if !link.is_empty() {
        mitigation += &format!("\nSee the commit here: {link}");
    }
    let mut description = format!(
        "**Repository:** {}\n**Link:** {link}\n**Commit Hash:** {commit}\n**Commit Date:** {}\n\
         **Committer:** {}\n**Reason:** {detector}\n**Path:** {file}\n**Contents:** {}\n",
        field("repository"),
        field("timestamp"),
        field("email"),
        item.text_of("Redacted").unwrap_or_default(),
    );
    for (key, label) in [
        ("StructuredData", "Structured Data"),
        ("ExtraData", "Extra Data"),
    ] {
        if let Some(data) = item
            .get(key)
            .filter(|d| d.as_object().is_some_and(|o| !o.is_empty()))
        {
            description += &format!("**{label}:**\n{}\n", walk(data, 1));
        }
    }
    let severity = if verified
        || ["Oauth", "AWS", "Heroku"]
            .iter()
            .any(|s| detector.contains(s))
    {
        Severity::Critical
    } else if detector == "PrivateKey" {
        Severity::High
    } else if detector == "Generic Secret" {
        Severity::Medium
    } else {
        Severity::Critical
    };
    let mut finding = secret_finding(
        format!("Hard Coded {detector} secret in: {file}"),
        severity,
        description,
        file.clone(),
        u32::try_from(line).ok(),
    );
    finding.mitigation = Some(mitigation);
    finding.vuln_id_from_tool = Some(detector.clone());
    finding.set(dojo::VERIFIED, verified);
    let key = format!(
        "{file}\u{0}{detector}\u{0}{line}\u{0}{commit}\u{0}{}{}",
        item.text_of("Raw").unwrap_or_default(),
        item.text_of("RawV2").unwrap_or_default()
    );
    add(dupes, key, finding, "");
}

impl Parser for Trufflehog3 {
    fn parse(&self, bytes: &[u8]) -> Result<Vec<Finding>, IngestError> {
        let report = json::parse(bytes, HINT3)?;
        let items = match &report {
            Value::Array(items) => items.as_slice(),
            Value::Null => &[],
            _ => {
                return Err(IngestError::shape(
                    "$",
                    format!("expected a list of findings; {HINT3}"),
                ));
            }
        };
        let mut dupes = Dupes::default();
        for (index, item) in items.iter().enumerate() {
            let truthy = |key: &str| {
                item.get(key)
                    .is_some_and(|v| !v.is_null() && v != &Value::Bool(false) && v != "")
            };
            if truthy("reason") {
                legacy3(item, &mut dupes);
            } else if truthy("rule") {
                current3(item, &mut dupes);
            } else {
                return Err(IngestError::shape(
                    format!("$[{index}]"),
                    "format is not recognized for Trufflehog3: expected `reason` (legacy) or `rule`",
                ));
            }
        }
        Ok(dojo::finish(dupes.into_vec(), "truffleHog3", None))
    }
}

fn legacy3(item: &Value, dupes: &mut Dupes) {
    let text = |key: &str| item.text_of(key).unwrap_or_else(|| "None".to_owned());
    let file = text("path");
    let reason = text("reason");
    let commit = text("commit");
    let strings: String = item
        .arr("stringsFound")
        .iter()
        .filter_map(json::as_text)
        .map(|s| s + "\n")
        .collect();
    let description = format!(
        "**Commit:** {}\n\n```\n{}\n```\n**Commit Hash:** {}\n**Commit Date:** {}\n**Branch:** {}\n\
         **Reason:** {reason}\n**Path:** {file}\n\n**Strings Found:**\n```\n{strings}\n```\n",
        commit.split('\n').next().unwrap_or_default(),
        commit.replace("```", "\\`\\`\\`"),
        text("commitHash"),
        text("date"),
        text("branch"),
    );
    let mut finding = secret_finding(
        format!("Hard Coded {reason} in: {file}"),
        reason_severity(&reason),
        description,
        file.clone(),
        None,
    );
    finding.vuln_id_from_tool = Some(reason.clone());
    add(dupes, format!("{file}\u{0}{reason}"), finding, "");
}

fn current3(item: &Value, dupes: &mut Dupes) {
    let rule = item.get("rule");
    let message = rule.and_then(|r| r.text_of("message")).unwrap_or_default();
    let word = rule.and_then(|r| r.text_of("severity"));
    let severity = word
        .as_deref()
        .and_then(dojo::severity_sanitized)
        .unwrap_or(Severity::Info);
    let file = item.text_of("path").unwrap_or_default();
    let line = item.int_of("line").unwrap_or(0);
    let secret = item.text_of("secret").unwrap_or_default();
    let title = format!("{message} found in {file}");
    let mut description = format!("**Secret:** {secret}\n");
    if let Some(context) = item
        .get("context")
        .and_then(Value::as_object)
        .filter(|c| !c.is_empty())
    {
        description += "**Context:**\n";
        for (key, value) in context {
            description += &format!(
                "    {key}: {}\n",
                json::as_text(value).unwrap_or_else(|| value.to_string())
            );
        }
    }
    if let Some(branch) = item.text_of("branch").filter(|b| !b.is_empty()) {
        description += &format!("**Branch:** {branch}\n");
    }
    if let Some(commit_message) = item.text_of("message").filter(|m| !m.is_empty()) {
        if commit_message.contains('\n') {
            description += &format!(
                "**Commit message:** \n```\n{}\n```\n",
                commit_message.replace("```", "\\`\\`\\`")
            );
        } else {
            description += &format!("**Commit message:** {commit_message}\n");
        }
    }
    if let Some(commit) = item.text_of("commit").filter(|c| !c.is_empty()) {
        description += &format!("**Commit hash:** {commit}\n");
    }
    if let Some(date) = item.text_of("date").filter(|d| !d.is_empty()) {
        description += &format!("**Commit date:** {date}\n");
    }
    let description = description
        .strip_suffix('\n')
        .unwrap_or(&description)
        .replace('\0', "\u{FFFD}");
    let mut finding = secret_finding(
        title.clone(),
        severity,
        description,
        file,
        u32::try_from(line).ok(),
    );
    finding.tool_severity = word.clone();
    finding.mitigation = Some(
        "Secrets and passwords should be stored in a secure vault or secure storage.".to_owned(),
    );
    finding.vuln_id_from_tool = rule.and_then(|r| r.text_of("id"));
    let key = format!(
        "{title}\u{0}{secret}\u{0}{}\u{0}{line}",
        word.unwrap_or_default()
    );
    add(dupes, key, finding, "\n\n***\n\n");
}
