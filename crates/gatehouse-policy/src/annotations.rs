//! OPA's `# METADATA` annotations: YAML in comment blocks directly above a rule. regorus neither
//! reads them nor implements `rego.metadata.rule()`, so gatehouse parses the blocks itself and
//! inlines each rule's annotations where its body calls `rego.metadata.rule()` or
//! `rego.metadata.chain()` (on the same line, so positions in errors stay right).

use std::borrow::Cow;

use serde_json::Value as Json;

use crate::parser::{self, ParseError, Parser};

/// One annotation block and the rule it annotates.
pub struct Block {
    /// 1-based line of the `# METADATA` marker.
    pub line: usize,
    /// 1-based line of the annotated rule's head.
    pub rule_line: usize,
    /// The rule's name (the identifier at the start of the head).
    pub rule: String,
    /// The YAML text of the block, comment markers removed.
    pub yaml: String,
}

impl Block {
    /// The block parsed as YAML. Errors carry the line in the module.
    pub fn parse(&self, file: &str) -> Result<Json, ParseError> {
        parser::parse(Parser::Yaml, file, self.yaml.as_bytes()).map_err(|mut e| {
            e.line = Some(self.line + e.line.unwrap_or(1));
            e
        })
    }
}

/// Every annotation block of a module, in order. Blocks not followed by a rule are skipped.
pub fn blocks(source: &str) -> Vec<Block> {
    let lines: Vec<&str> = source.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines.get(i).map(|l| l.trim()) != Some("# METADATA") {
            i += 1;
            continue;
        }
        let line = i + 1;
        let mut yaml = String::new();
        i += 1;
        while let Some(l) = lines.get(i).filter(|l| l.trim_start().starts_with('#')) {
            let text = l.trim_start().trim_start_matches('#');
            yaml.push_str(text.strip_prefix(' ').unwrap_or(text));
            yaml.push('\n');
            i += 1;
        }
        let rule = lines
            .get(i)
            .and_then(|l| l.split(|c: char| !(c.is_alphanumeric() || c == '_')).next())
            .unwrap_or_default()
            .to_string();
        if !rule.is_empty() && rule != "package" {
            out.push(Block {
                line,
                rule_line: i + 1,
                rule,
                yaml,
            });
        }
    }
    out
}

/// Replaces `rego.metadata.rule()` / `rego.metadata.chain()` in annotated rules' bodies with the
/// annotations as a literal object. Rules without annotations get `{}`, as in OPA.
pub fn inline<'a>(file: &str, source: &'a str) -> Cow<'a, str> {
    if !source.contains("rego.metadata.") {
        return Cow::Borrowed(source);
    }
    let package = source
        .lines()
        .find_map(|l| l.trim().strip_prefix("package "))
        .unwrap_or_default()
        .trim()
        .to_string();
    let annotated: Vec<(usize, Json)> = blocks(source)
        .iter()
        .map(|b| {
            let mut value = b.parse(file).unwrap_or(Json::Null);
            if let Some(obj) = value.as_object_mut() {
                obj.entry("scope").or_insert(Json::String("rule".into()));
            }
            (b.rule_line, value)
        })
        .collect();
    let mut current = Json::Object(Default::default());
    let mut current_rule = String::new();
    let mut out = String::with_capacity(source.len());
    for (i, line) in source.lines().enumerate() {
        let starts_rule = line
            .chars()
            .next()
            .is_some_and(|c| c.is_alphabetic() || c == '_')
            && !line.starts_with("package")
            && !line.starts_with("import");
        if starts_rule {
            current = annotated
                .iter()
                .find(|(l, _)| *l == i + 1)
                .map(|(_, v)| v.clone())
                .unwrap_or_else(|| Json::Object(Default::default()));
            current_rule = line
                .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .next()
                .unwrap_or_default()
                .to_string();
        }
        let rule_value = current.to_string();
        let chain = serde_json::json!([{
            "path": ["data", package.as_str(), current_rule.as_str()],
            "annotations": current,
        }])
        .to_string();
        out.push_str(
            &line
                .replace("rego.metadata.rule()", &rule_value)
                .replace("rego.metadata.chain()", &chain),
        );
        out.push('\n');
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_annotations_are_inlined_on_the_same_line() {
        let src = "package main\n\n# METADATA\n# title: T\n# custom:\n#   template: 'x %v'\ndeny contains msg if {\n\tm := rego.metadata.rule()\n\tmsg := m.title\n}\n\nplain := rego.metadata.rule()\n";
        let out = inline("p.rego", src);
        assert_eq!(out.lines().count(), src.lines().count());
        assert!(
            out.contains(r#"m := {"custom":{"template":"x %v"},"scope":"rule","title":"T"}"#),
            "{out}"
        );
        assert!(out.contains("plain := {}"), "{out}");
    }
}
