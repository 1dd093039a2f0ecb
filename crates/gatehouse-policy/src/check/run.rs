//! Loading the rule library (built-in plus custom modules) and evaluating it over targets.

use std::collections::BTreeMap;
use std::path::PathBuf;

use gatehouse_model::{Finding, Location};
use rayon::prelude::*;
use serde_json::Value as Json;

use super::library;
use super::metadata::{self, RuleMeta};
use super::target::{LineIndex, Target};
use crate::engine::{EngineOptions, Policies};
use crate::error::PolicyError;

/// Compiled rules and their documentation.
pub struct Library {
    policies: Policies,
    rules: Vec<RuleMeta>,
}

impl Library {
    /// The built-in rules plus every annotated rule in `custom` directories (custom modules follow
    /// the same METADATA conventions). Duplicate rule ids are an error.
    pub fn load(custom: &[PathBuf], options: &EngineOptions) -> Result<Self, PolicyError> {
        let mut sources: Vec<(String, String)> = library::MODULES
            .iter()
            .map(|(path, text)| (format!("builtin/{path}"), (*text).to_string()))
            .collect();
        for dir in custom {
            for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
                let entry =
                    entry.map_err(|e| PolicyError::Usage(format!("{}: {e}", dir.display())))?;
                let p = entry.path();
                let name = p.to_string_lossy();
                if entry.file_type().is_file()
                    && name.ends_with(".rego")
                    && !name.ends_with("_test.rego")
                {
                    let text = std::fs::read_to_string(p).map_err(|error| PolicyError::Io {
                        path: p.to_path_buf(),
                        error,
                    })?;
                    sources.push((name.into_owned(), text));
                }
            }
        }
        let mut rules = Vec::new();
        for (file, text) in &sources {
            rules.extend(metadata::read(file, text)?);
        }
        let mut seen: BTreeMap<&str, &RuleMeta> = BTreeMap::new();
        for r in &rules {
            if let Some(first) = seen.insert(&r.id, r) {
                return Err(PolicyError::Usage(format!(
                    "{}:{}: rule id {} is already used by {} ({}:{}); rule ids are public and must be unique",
                    r.file, r.line, r.id, first.query, first.file, first.line
                )));
            }
        }
        rules.sort_by(|a, b| a.id.cmp(&b.id));
        let options = EngineOptions {
            rego_version: crate::RegoVersion::V1,
            ..options.clone()
        };
        let policies = Policies::from_sources(sources, &[], &options)?;
        Ok(Library { policies, rules })
    }

    /// Every rule, sorted by id.
    pub fn rules(&self) -> &[RuleMeta] {
        &self.rules
    }

    /// One rule by id (case-insensitive) or by Checkov id.
    pub fn rule(&self, id: &str) -> Option<&RuleMeta> {
        self.rules.iter().find(|r| {
            r.id.eq_ignore_ascii_case(id)
                || r.checkov
                    .as_deref()
                    .is_some_and(|c| c.eq_ignore_ascii_case(id))
        })
    }

    /// Evaluates every rule of the matching kind against each target. Work is split by
    /// (target, rule) so one large plan still uses every core; targets are shared by the threads.
    pub fn check(&self, targets: &[Target]) -> Result<Vec<Finding>, PolicyError> {
        let work: Vec<(usize, &RuleMeta)> = targets
            .iter()
            .enumerate()
            .flat_map(|(i, t)| {
                self.rules
                    .iter()
                    .filter(move |r| r.input == t.kind)
                    .map(move |r| (i, r))
            })
            .collect();
        let per_item = work
            .par_iter()
            .map_init(
                || (self.policies.evaluator(), usize::MAX),
                |(ev, current), &(i, rule)| {
                    let Some(target) = targets.get(i) else {
                        return Ok(Vec::new());
                    };
                    if *current != i {
                        ev.set_input_value(target.input.clone());
                        *current = i;
                    }
                    let Some(value) = ev.eval_rule(&target.path, &rule.query)? else {
                        return Ok(Vec::new());
                    };
                    Ok(value
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(|item| finding(rule, target, item))
                        .collect::<Vec<_>>())
                },
            )
            .collect::<Result<Vec<_>, PolicyError>>()?;
        let mut findings: Vec<Finding> = per_item.into_iter().flatten().collect();
        for f in &mut findings {
            f.ensure_fingerprint();
        }
        Ok(findings)
    }
}

fn finding(rule: &RuleMeta, target: &Target, item: &Json) -> Finding {
    let (message, resource, attribute, pointer, line) = match item {
        Json::String(s) => (s.clone(), None, None, None, None),
        other => (
            other["msg"].as_str().unwrap_or(&rule.title).to_string(),
            other["resource"].as_str().map(str::to_string),
            other["attribute"].as_str().map(str::to_string),
            other["path"].as_str().map(str::to_string),
            other["line"].as_u64().map(|l| l as u32),
        ),
    };
    let mut location = locate(target, resource.as_deref(), pointer.as_deref(), line);
    if let Some(r) = &resource {
        location = location.with_resource(r.clone());
    }
    let mut f = Finding::new(rule.id.clone(), rule.severity, message)
        .with_title(rule.title.clone())
        .with_remediation(rule.remediation.clone())
        .with_tool("gatehouse", Some(env!("CARGO_PKG_VERSION")))
        .with_location(location)
        .with_property("query", rule.query.clone());
    if !rule.description.is_empty() {
        f = f.with_description(rule.description.clone());
    }
    if let Some(c) = &rule.checkov {
        f = f
            .with_property("checkov", c.clone())
            .with_property("rule", serde_json::json!({"checkov": c}));
    }
    if let Some(a) = attribute {
        f = f.with_property("attribute", a);
    }
    for r in &rule.references {
        f = f.with_reference(r.clone());
    }
    f
}

fn locate(
    target: &Target,
    resource: Option<&str>,
    pointer: Option<&str>,
    line: Option<u32>,
) -> Location {
    let in_file = |path: &str, line: Option<u32>| {
        let l = Location::file(path);
        match line {
            Some(n) => l.with_line(n),
            None => l,
        }
    };
    match &target.lines {
        LineIndex::Plan {
            lines,
            names,
            declarations,
        } => {
            let Some(address) = resource else {
                return in_file(&target.path, None);
            };
            let declared = names
                .get(address)
                .and_then(|(module, ty, name)| declarations.find(module.as_deref(), ty, name));
            if let Some((file, decl_line)) = declared {
                return in_file(
                    &file.display().to_string().replace('\\', "/"),
                    Some(*decl_line as u32),
                );
            }
            in_file(&target.path, lines.get(address).copied())
        }
        LineIndex::Document { map, prefix } => {
            let pointer = format!("{prefix}{}", pointer.unwrap_or_default());
            in_file(&target.path, map.line_of(&pointer))
        }
        LineIndex::None => in_file(&target.path, line),
    }
}
