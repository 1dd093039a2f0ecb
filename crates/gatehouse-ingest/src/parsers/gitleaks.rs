//! `Gitleaks Scan`: Gitleaks' JSON report, both the legacy (v7: `rule`, `offender`) and the
//! current (v8: `RuleID`, `Secret`) forms.
//!
//! As in DefectDojo: CWE-798; legacy findings are High, Critical when the rule names Github, AWS
//! or Heroku, deduplicated on offender+file+line; current findings are High, deduplicated on
//! title+secret+line with repeats raising `nb_occurences`.

use gatehouse_model::{Finding, Severity};
use serde_json::Value;

use crate::dojo::{self, DojoFinding, Dupes};
use crate::json::{self, ValueExt};
use crate::{IngestError, Parser};

/// The `Gitleaks Scan` scan type.
#[derive(Debug, Clone, Copy, Default)]
pub struct Gitleaks;

const HINT: &str = "is this the output of `gitleaks detect --report-format json`?";
const MITIGATION: &str =
    "Secrets and passwords should be stored in a secure vault and/or secure storage.";
const IMPACT: &str = "This weakness can lead to the exposure of resources or functionality to \
unintended actors, possibly providing attackers with sensitive information or even execute \
arbitrary code.";

impl Parser for Gitleaks {
    fn parse(&self, bytes: &[u8]) -> Result<Vec<Finding>, IngestError> {
        let report = json::parse(bytes, HINT)?;
        let issues = match &report {
            Value::Null => return Ok(Vec::new()),
            Value::Array(issues) => issues,
            _ => {
                return Err(IngestError::shape(
                    "$",
                    format!("expected a list of leaks; {HINT}"),
                ));
            }
        };
        let mut dupes = Dupes::default();
        for issue in issues {
            if issue.get("rule").is_some() {
                legacy(issue, &mut dupes);
            } else {
                current(issue, &mut dupes);
            }
        }
        let mut findings = dupes.into_vec();
        for finding in &mut findings {
            finding.add_cwe(798);
            finding.set(dojo::STATIC_FINDING, true);
            finding.set(dojo::DYNAMIC_FINDING, false);
        }
        Ok(dojo::finish(findings, "Gitleaks", None))
    }
}

fn legacy(issue: &Value, dupes: &mut Dupes) {
    let text = |key: &str| issue.text_of(key).unwrap_or_default();
    let file_path = text("file");
    let reason = text("rule");
    let line = issue
        .int_of("lineNumber")
        .and_then(|l| u32::try_from(l).ok());
    let mut description = format!(
        "**Commit:** {}\n**Commit Hash:** {}\n**Commit Date:** {}\n**Author:** {} <{}>\n\
         **Reason:** {reason}\n**Path:** {file_path}\n",
        text("commitMessage").trim_end_matches('\n'),
        text("commit"),
        text("date"),
        text("author"),
        text("email"),
    );
    if let Some(line) = line {
        description += &format!("**Line:** {line}\n");
    }
    if let Some(operation) = issue.text_of("operation") {
        description += &format!("**Operation:** {operation}\n");
    }
    if let Some(url) = issue.text_of("leakURL") {
        description += &format!("**Leak URL:** [{url}]({url})\n");
    }
    let offender = text("offender");
    let found = if offender.is_empty() {
        text("line")
    } else {
        text("line").replace(&offender, "REDACTED")
    };
    description += &format!("\n**String Found:**\n{found}\n");
    let severity = if ["Github", "AWS", "Heroku"]
        .iter()
        .any(|s| reason.contains(s))
    {
        Severity::Critical
    } else {
        Severity::High
    };
    let mut finding = DojoFinding::new(format!("Hard Coded {reason}"), severity);
    finding.description = description;
    finding.mitigation = Some(MITIGATION.to_owned());
    finding.set(dojo::IMPACT, IMPACT);
    finding.file_path = Some(file_path.clone());
    finding.line = line;
    finding.vuln_id_from_tool = Some(reason);
    finding.tags = text("tags")
        .split(", ")
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect();
    let key = format!("{offender}\u{0}{file_path}\u{0}{line:?}");
    dupes.add(key, finding);
}

fn current(issue: &Value, dupes: &mut Dupes) {
    let text = |key: &str| issue.text_of(key).unwrap_or_default();
    let reason = text("Description");
    let file_path = text("File");
    let line = issue
        .int_of("StartLine")
        .and_then(|l| u32::try_from(l).ok())
        .unwrap_or(0);
    let secret = text("Secret");
    let title = format!("Hard coded {reason} found in {file_path}");
    let mut description = format!("**Secret:** {secret}\n**Match:** {}\n", text("Match"));
    if let Some(message) = issue.text_of("Message").filter(|m| !m.is_empty()) {
        if message.contains('\n') {
            description += &format!(
                "**Commit message:**\n```\n{}\n```\n",
                message.replace("```", "\\`\\`\\`")
            );
        } else {
            description += &format!("**Commit message:** {message}\n");
        }
    }
    if let Some(commit) = issue.text_of("Commit").filter(|c| !c.is_empty()) {
        description += &format!("**Commit hash:** {commit}\n");
    }
    if let Some(date) = issue.text_of("Date").filter(|d| !d.is_empty()) {
        description += &format!("**Commit date:** {date}\n");
    }
    if let Some(rule) = issue.text_of("RuleID").filter(|r| !r.is_empty()) {
        description += &format!("**Rule Id:** {rule}");
    }
    let description = description
        .strip_suffix('\n')
        .unwrap_or(&description)
        .to_owned();
    let key = format!("{title}\u{0}{secret}\u{0}{line}");
    if let Some(kept) = dupes.get_mut(&key) {
        kept.description = format!("{}\n\n***\n\n{description}", kept.description);
    }
    let mut finding = DojoFinding::new(title, Severity::High);
    finding.description = description;
    finding.file_path = Some(file_path);
    finding.line = Some(line);
    finding.vuln_id_from_tool = issue.text_of("RuleID");
    finding.unique_id_from_tool = issue.text_of("Fingerprint");
    finding.tags = issue.arr("Tags").iter().filter_map(json::as_text).collect();
    dupes.add(key, finding);
}
