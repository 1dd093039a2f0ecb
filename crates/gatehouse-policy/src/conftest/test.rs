//! `policy test`: evaluate every namespace's `deny`/`violation`/`warn` rules against each input,
//! with exceptions, Conftest's success counting and element-wise evaluation of top-level arrays.
//! Inputs are evaluated in parallel; results come back sorted by file, then namespace.

use rayon::prelude::*;
use serde_json::{Map, Value as Json};

use super::inputs::{self, InputFile};
use super::result::{CheckResult, Outcome, ResultLocation};
use super::rules;
use crate::engine::{Evaluator, Policies};
use crate::error::PolicyError;
use crate::modules::RuleKind;

/// Which namespaces to query and how.
#[derive(Clone, Debug)]
pub struct TestOptions {
    /// `-n/--namespace` values, literal or glob. Default `["main"]`.
    pub namespaces: Vec<String>,
    pub all_namespaces: bool,
    pub combine: bool,
    /// Collect synthesized trace lines (`--trace`).
    pub trace: bool,
}

impl Default for TestOptions {
    fn default() -> Self {
        TestOptions {
            namespaces: vec!["main".to_string()],
            all_namespaces: false,
            combine: false,
            trace: false,
        }
    }
}

/// The rules of one namespace that Conftest evaluates.
struct Namespace {
    name: String,
    /// Distinct failure/warning rule names, sorted.
    rules: Vec<String>,
    /// Number of failure/warning rule definitions.
    definitions: usize,
    has_exception: bool,
}

/// Resolves `-n` values (literal or glob) and `--all-namespaces` against the loaded packages.
pub fn resolve_namespaces(policies: &Policies, options: &TestOptions) -> Vec<String> {
    let packages = policies.packages();
    if options.all_namespaces {
        return packages;
    }
    let mut out: Vec<String> = Vec::new();
    for ns in &options.namespaces {
        if rules::is_glob(ns) {
            out.extend(
                packages
                    .iter()
                    .filter(|p| rules::glob_match(ns, p))
                    .cloned(),
            );
        } else {
            out.push(ns.clone());
        }
    }
    out.sort();
    out.dedup();
    out
}

fn namespaces(policies: &Policies, options: &TestOptions) -> Vec<Namespace> {
    resolve_namespaces(policies, options)
        .into_iter()
        .map(|name| {
            let defs: Vec<&str> = policies
                .modules
                .iter()
                .filter(|m| m.package == name)
                .flat_map(|m| m.rules.iter())
                .filter(|r| r.kind != RuleKind::Function && rules::is_result_rule(&r.name))
                .map(|r| r.name.as_str())
                .collect();
            let mut names: Vec<String> = defs.iter().map(|s| s.to_string()).collect();
            names.sort();
            names.dedup();
            let has_exception = policies
                .modules
                .iter()
                .filter(|m| m.package == name)
                .any(|m| m.rules.iter().any(|r| r.name == "exception"));
            Namespace {
                name,
                rules: names,
                definitions: defs.len(),
                has_exception,
            }
        })
        .collect()
}

/// Runs `policy test` over `files`.
pub fn run(
    policies: &Policies,
    files: &[InputFile],
    options: &TestOptions,
) -> Result<Vec<CheckResult>, PolicyError> {
    let namespaces = namespaces(policies, options);
    let mut results = if options.combine {
        let parsed = files
            .par_iter()
            .map(|f| Ok((f.name.clone(), f.parse()?)))
            .collect::<Result<Vec<_>, PolicyError>>()?;
        let input = regorus::Value::from(inputs::combine(parsed));
        let mut ev = policies.evaluator();
        if options.trace {
            ev.enable_coverage();
        }
        let mut out = Vec::new();
        for ns in &namespaces {
            let mut r = check(&mut ev, policies, "Combined", ns, &input, options)?;
            r.filename = "Combined".to_string();
            out.push(r);
        }
        out
    } else {
        let per_file = files
            .par_iter()
            .map_init(
                || {
                    let mut ev = policies.evaluator();
                    if options.trace {
                        ev.enable_coverage();
                    }
                    ev
                },
                |ev, file| check_file(ev, policies, file, &namespaces, options),
            )
            .collect::<Result<Vec<_>, PolicyError>>()?;
        per_file.into_iter().flatten().collect()
    };
    results.sort_by(|a, b| {
        (a.filename.as_str(), a.namespace.as_str())
            .cmp(&(b.filename.as_str(), b.namespace.as_str()))
    });
    Ok(results)
}

fn check_file(
    ev: &mut Evaluator,
    policies: &Policies,
    file: &InputFile,
    namespaces: &[Namespace],
    options: &TestOptions,
) -> Result<Vec<CheckResult>, PolicyError> {
    let value = file.load()?;
    let (name, dir) = file.conftest_file();
    ev.set_file(&name, &dir)?;
    let shown = if file.name.is_empty() {
        "-"
    } else {
        file.name.as_str()
    };
    let documents: Vec<regorus::Value> = match &value {
        regorus::Value::Array(items) => items.iter().cloned().collect(),
        _ => vec![value],
    };
    let mut out = Vec::new();
    for ns in namespaces {
        let mut merged = CheckResult {
            filename: file.name.clone(),
            namespace: ns.name.clone(),
            ..CheckResult::default()
        };
        for doc in &documents {
            let r = check(ev, policies, shown, ns, doc, options)?;
            merged.successes += r.successes;
            merged.warnings.extend(r.warnings);
            merged.failures.extend(r.failures);
            merged.exceptions.extend(r.exceptions);
            merged.outputs.extend(r.outputs);
            merged.traces.extend(r.traces);
        }
        out.push(merged);
    }
    Ok(out)
}

/// Evaluates one namespace against one input document.
fn check(
    ev: &mut Evaluator,
    policies: &Policies,
    file: &str,
    ns: &Namespace,
    input: &regorus::Value,
    options: &TestOptions,
) -> Result<CheckResult, PolicyError> {
    ev.set_input_value(input.clone());
    let mut result = CheckResult {
        filename: file.to_string(),
        namespace: ns.name.clone(),
        ..CheckResult::default()
    };
    for rule in &ns.rules {
        let exceptions = if ns.has_exception {
            let query = format!(
                "data.{}.exception[_][_] == {}",
                ns.name,
                serde_json::to_string(rules::exception_suffix(rule)).unwrap_or_default()
            );
            let n = ev.count_true(file, &query)?;
            collect_side_output(ev, policies, file, &query, options, &mut result);
            result.exceptions.extend((0..n).map(|_| Outcome {
                message: query.clone(),
                ..Outcome::default()
            }));
            n
        } else {
            0
        };
        let query = format!("data.{}.{}", ns.name, rule);
        let value = ev.eval_rule(file, &query)?;
        collect_side_output(ev, policies, file, &query, options, &mut result);
        if exceptions > 0 {
            continue;
        }
        for outcome in outcomes(file, rule, &query, value)? {
            match outcome {
                None => result.successes += 1,
                Some(o) if rules::is_failure(rule) => result.failures.push(o),
                Some(o) => result.warnings.push(o),
            }
        }
    }
    let counted =
        result.failures.len() + result.warnings.len() + result.exceptions.len() + result.successes;
    if counted < ns.definitions {
        result.successes += ns.definitions - counted;
    }
    Ok(result)
}

/// Conftest's reading of a rule's value: a non-empty array/set yields one outcome per string or
/// object element (`None` = passed, i.e. empty message); anything else is one success; undefined
/// is nothing.
fn outcomes(
    file: &str,
    rule: &str,
    query: &str,
    value: Option<Json>,
) -> Result<Vec<Option<Outcome>>, PolicyError> {
    let items = match value {
        None => return Ok(Vec::new()),
        Some(Json::Array(items)) if !items.is_empty() => items,
        Some(_) => return Ok(vec![None]),
    };
    let mut out = Vec::new();
    for item in items {
        let outcome = match item {
            Json::String(message) => Outcome {
                message,
                metadata: Some(query_metadata(query, Map::new())),
                ..Outcome::default()
            },
            Json::Object(mut map) => {
                let Some(Json::String(message)) = map.remove("msg") else {
                    return Err(PolicyError::BadResult {
                        file: file.to_string(),
                        rule: query.to_string(),
                    });
                };
                let location = map.remove("_loc").and_then(|loc| {
                    Some(ResultLocation {
                        file: loc.get("file")?.as_str()?.to_string(),
                        line: loc.get("line")?.as_u64()?,
                    })
                });
                Outcome {
                    message,
                    location,
                    metadata: Some(query_metadata(query, map)),
                    ..Outcome::default()
                }
            }
            _ => continue,
        };
        let _ = rule;
        out.push(if outcome.message.is_empty() {
            None
        } else {
            Some(outcome)
        });
    }
    Ok(out)
}

fn query_metadata(query: &str, mut map: Map<String, Json>) -> Map<String, Json> {
    map.insert("query".to_string(), Json::String(query.to_string()));
    map
}

/// Gathers `print` output and, with `--trace`, a synthesized trace of the rules the query entered.
fn collect_side_output(
    ev: &mut Evaluator,
    policies: &Policies,
    file: &str,
    query: &str,
    options: &TestOptions,
    result: &mut CheckResult,
) {
    result.outputs.extend(ev.take_prints());
    if !options.trace {
        return;
    }
    result.traces.push(format!("file: {file} | query: {query}"));
    let coverage = ev.take_coverage();
    result.traces.extend(
        crate::trace::synthesize(policies, &coverage)
            .iter()
            .map(ToString::to_string),
    );
}
