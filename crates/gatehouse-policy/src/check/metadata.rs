//! Rule documentation from `# METADATA` comment blocks (OPA's annotation syntax, YAML inside
//! comments) placed directly above each rule. regorus does not read annotations, so we do.

use serde::Serialize;
use serde_json::Value as Json;

use gatehouse_model::Severity;

use crate::error::PolicyError;

/// Which normalized input a rule reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum InputKind {
    Terraform,
    Kubernetes,
    Dockerfile,
}

impl InputKind {
    fn parse(word: &str) -> Option<Self> {
        match word {
            "terraform" => Some(InputKind::Terraform),
            "kubernetes" => Some(InputKind::Kubernetes),
            "dockerfile" => Some(InputKind::Dockerfile),
            _ => None,
        }
    }
}

/// Everything a rule documents about itself.
#[derive(Clone, Debug, Serialize)]
pub struct RuleMeta {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    pub description: String,
    pub remediation: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub references: Vec<String>,
    /// The Checkov check this rule mirrors, if any.
    pub checkov: Option<String>,
    pub input: InputKind,
    /// `data.<package>.<rule>`.
    pub query: String,
    /// Module file and line of the rule head.
    pub file: String,
    pub line: usize,
}

/// Reads every annotated rule of one module. A `# METADATA` block must be followed by a rule and
/// carry `custom.id`, `custom.severity`, `custom.input`, a title and a remediation.
pub fn read(file: &str, source: &str) -> Result<Vec<RuleMeta>, PolicyError> {
    let package = source
        .lines()
        .find_map(|l| l.trim().strip_prefix("package "))
        .map(|p| p.trim().to_string())
        .ok_or_else(|| bad(file, 1, "module has no package".to_string()))?;
    let mut out = Vec::new();
    for block in crate::annotations::blocks(source) {
        let doc = block
            .parse(file)
            .map_err(|e| bad(file, e.line.unwrap_or(block.line), e.message))?;
        out.push(meta(file, block.rule_line, &package, &block.rule, &doc)?);
    }
    Ok(out)
}

fn meta(
    file: &str,
    line: usize,
    package: &str,
    rule: &str,
    doc: &Json,
) -> Result<RuleMeta, PolicyError> {
    let custom = &doc["custom"];
    let text = |v: &Json| v.as_str().map(|s| s.trim_end().to_string());
    let required = |v: &Json, what: &str| {
        text(v).ok_or_else(|| bad(file, line, format!("rule {rule}: METADATA lacks {what}")))
    };
    let severity_word = required(&custom["severity"], "custom.severity")?;
    let severity = severity_word
        .parse::<Severity>()
        .map_err(|e| bad(file, line, format!("rule {rule}: {e}")))?;
    let input_word = required(&custom["input"], "custom.input")?;
    let input = InputKind::parse(&input_word).ok_or_else(|| {
        bad(
            file,
            line,
            format!("rule {rule}: custom.input must be terraform, kubernetes or dockerfile, not {input_word}"),
        )
    })?;
    Ok(RuleMeta {
        id: required(&custom["id"], "custom.id")?,
        title: required(&doc["title"], "title")?,
        severity,
        description: text(&doc["description"]).unwrap_or_default(),
        remediation: required(&custom["remediation"], "custom.remediation")?,
        before: text(&custom["before"]),
        after: text(&custom["after"]),
        references: custom["references"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default(),
        checkov: text(&custom["checkov"]),
        input,
        query: format!("data.{package}.{rule}"),
        file: file.to_string(),
        line,
    })
}

fn bad(file: &str, line: usize, message: String) -> PolicyError {
    PolicyError::Rego {
        file: file.to_string(),
        position: Some(crate::error::RegoPosition {
            file: file.to_string(),
            line,
            column: 1,
        }),
        message,
    }
}

/// Markdown documentation of one rule (`gatehouse policy doc ID`).
pub fn render_doc(rule: &RuleMeta) -> String {
    let mut out = format!("# {}: {}\n\n", rule.id, rule.title);
    out.push_str(&format!(
        "- Severity: {}\n- Input: {:?}\n",
        rule.severity, rule.input
    ));
    if let Some(c) = &rule.checkov {
        out.push_str(&format!("- Mirrors Checkov: {c}\n"));
    }
    out.push_str(&format!(
        "- Query: `{}` ({}:{})\n\n",
        rule.query, rule.file, rule.line
    ));
    if !rule.description.is_empty() {
        out.push_str(&format!("{}\n\n", rule.description.trim_end()));
    }
    out.push_str(&format!("## Remediation\n\n{}\n", rule.remediation));
    let lang = match rule.input {
        InputKind::Terraform => "hcl",
        InputKind::Kubernetes => "yaml",
        InputKind::Dockerfile => "dockerfile",
    };
    if let Some(before) = &rule.before {
        out.push_str(&format!("\nBefore:\n\n```{lang}\n{before}\n```\n"));
    }
    if let Some(after) = &rule.after {
        out.push_str(&format!("\nAfter:\n\n```{lang}\n{after}\n```\n"));
    }
    if !rule.references.is_empty() {
        out.push_str("\n## References\n\n");
        for r in &rule.references {
            out.push_str(&format!("- {r}\n"));
        }
    }
    out
}
