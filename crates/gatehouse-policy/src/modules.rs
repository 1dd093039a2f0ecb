//! What the loaded Rego modules contain (packages, rules and their lines), read from regorus's
//! AST, and the load-time checks regorus does not make: Conftest's `deny if` check, OPA's strict
//! mode and capabilities files.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value as Json;

use crate::error::{PolicyError, RegoPosition};

/// One loaded module.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModuleInfo {
    pub file: String,
    /// Package path without the `data.` prefix, e.g. `main` or `kubernetes.admission`.
    pub package: String,
    pub rules: Vec<RuleInfo>,
    /// Import paths, e.g. `data.lib.k8s` or `rego.v1`.
    pub imports: Vec<String>,
}

/// One rule definition (a module may define a rule name several times).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleInfo {
    pub name: String,
    pub line: usize,
    pub column: usize,
    pub kind: RuleKind,
    /// The head assigns a value (`:=`/`=`), e.g. `deny := x if {...}`.
    pub has_value: bool,
    /// The head is `name[key]` with a variable key and no `contains` (a Rego v1 object rule).
    pub variable_key: bool,
    pub bodies: usize,
    /// First and last line of the whole definition.
    pub end_line: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleKind {
    /// `name contains x` / v0 `name[x]`.
    Set,
    /// `name`, `name := v`, `name[k] := v`.
    Complete,
    Function,
    Default,
}

/// Explicit `--rego-version v0`: like OPA, `if` and `contains` are keywords only in modules that
/// import `future.keywords` or `rego.v1`.
pub(crate) fn check_v0_keywords(
    modules: &[ModuleInfo],
    sources: &[(String, String)],
) -> Result<(), PolicyError> {
    let keyword = regex::Regex::new(r"(^|[\s\]\)])(if|contains)(\s|\{|$)")
        .map_err(|e| PolicyError::Usage(e.to_string()))?;
    let mut errors = Vec::new();
    for m in modules {
        if m.imports
            .iter()
            .any(|i| i == "rego.v1" || i.starts_with("future.keywords"))
        {
            continue;
        }
        let Some((_, text)) = sources.iter().find(|(f, _)| f == &m.file) else {
            continue;
        };
        for (i, line) in text.lines().enumerate() {
            let code = line.split('#').next().unwrap_or_default();
            let code = strip_strings(code);
            if let Some(found) = keyword.captures(&code).and_then(|c| c.get(2)) {
                errors.push(PolicyError::Rego {
                    file: m.file.clone(),
                    position: Some(RegoPosition {
                        file: m.file.clone(),
                        line: i + 1,
                        column: found.start() + 1,
                    }),
                    message: format!(
                        "rego_parse_error: `{}` is a keyword only with `import rego.v1` or `import future.keywords` in Rego v0 (this module looks like Rego v1: drop --rego-version v0)",
                        found.as_str()
                    ),
                });
                break;
            }
        }
    }
    PolicyError::collect(errors).map_or(Ok(()), Err)
}

/// Blanks the contents of string literals so keywords inside them are not matched.
fn strip_strings(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut in_string = false;
    let mut escaped = false;
    for c in code.chars() {
        if in_string {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
            out.push(' ');
        } else {
            if c == '"' {
                in_string = true;
            }
            out.push(c);
        }
    }
    out
}

/// Files that parse only as Rego v0 (and do parse as v0).
pub(crate) fn v0_only_files(sources: &[(String, String)]) -> Vec<String> {
    sources
        .iter()
        .filter(|(file, text)| {
            let mut v1 = regorus::Engine::new();
            if v1.add_policy(file.clone(), text.clone()).is_ok() {
                return false;
            }
            let mut v0 = regorus::Engine::new();
            v0.set_rego_v0(true);
            v0.add_policy(file.clone(), text.clone()).is_ok()
        })
        .map(|(f, _)| f.clone())
        .collect()
}

fn ast(engine: &regorus::Engine) -> Result<Vec<Json>, PolicyError> {
    let text = engine
        .get_ast_as_json()
        .map_err(|e| PolicyError::Usage(format!("reading the policy AST: {e}")))?;
    match serde_json::from_str(&text) {
        Ok(Json::Array(items)) => Ok(items),
        _ => Err(PolicyError::Usage(
            "reading the policy AST: unexpected shape".to_string(),
        )),
    }
}

/// Lists packages and rules of every module loaded into `engine`.
pub(crate) fn describe(engine: &regorus::Engine) -> Result<Vec<ModuleInfo>, PolicyError> {
    let mut out = Vec::new();
    for item in ast(engine)? {
        let file = item["source"]["file"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let contents = item["source"]["contents"].as_str().unwrap_or_default();
        let module = &item["ast"];
        let package = ref_name(&module["package"]["refr"]).unwrap_or_default();
        let imports = module["imports"]
            .as_array()
            .map(|a| a.iter().filter_map(|i| ref_name(&i["refr"])).collect())
            .unwrap_or_default();
        let rules = module["rules"]
            .as_array()
            .map(|rules| {
                rules
                    .iter()
                    .filter_map(|r| rule_info(contents, r))
                    .collect()
            })
            .unwrap_or_default();
        out.push(ModuleInfo {
            file,
            package,
            rules,
            imports,
        });
    }
    Ok(out)
}

fn span_of(node: &Json) -> (usize, usize) {
    let line = node["span"]["line"].as_u64().unwrap_or(0) as usize;
    let col = node["span"]["col"].as_u64().unwrap_or(0) as usize;
    (line, col)
}

/// Last line of a node, from its byte span in the module source.
fn end_line(contents: &str, node: &Json) -> usize {
    let (line, _) = span_of(node);
    let start = node["span"]["start"].as_u64().unwrap_or(0) as usize;
    let end = node["span"]["end"].as_u64().unwrap_or(0) as usize;
    line + contents
        .get(start..end)
        .map_or(0, |text| text.matches('\n').count())
}

fn rule_info(contents: &str, rule: &Json) -> Option<RuleInfo> {
    if let Some(spec) = rule.get("Spec") {
        let (kind, head) = if let Some(h) = spec["head"].get("Set") {
            (RuleKind::Set, h)
        } else if let Some(h) = spec["head"].get("Compr") {
            (RuleKind::Complete, h)
        } else if let Some(h) = spec["head"].get("Func") {
            (RuleKind::Function, h)
        } else {
            return None;
        };
        let (line, column) = span_of(spec);
        let (name, variable_key) = match ref_name(&head["refr"]) {
            Some(name) => (name, false),
            None => (ref_name(&head["refr"].get("RefBrack")?["refr"])?, true),
        };
        return Some(RuleInfo {
            name,
            line,
            column,
            kind,
            variable_key,
            has_value: head.get("assign").is_some_and(|a| !a.is_null()),
            bodies: spec["bodies"].as_array().map_or(0, Vec::len),
            end_line: end_line(contents, spec),
        });
    }
    let def = rule.get("Default")?;
    let (line, column) = span_of(def);
    Some(RuleInfo {
        name: ref_name(&def["refr"])?,
        line,
        column,
        kind: RuleKind::Default,
        variable_key: false,
        has_value: true,
        bodies: 0,
        end_line: line,
    })
}

/// Flattens a reference expression (`Var`, `RefDot`, `RefBrack` with a string index) to `a.b.c`.
pub(crate) fn ref_name(expr: &Json) -> Option<String> {
    if let Some(var) = expr.get("Var") {
        return var["value"].as_str().map(str::to_string);
    }
    if let Some(dot) = expr.get("RefDot") {
        let base = ref_name(&dot["refr"])?;
        let field = dot["field"].get(1)?.as_str()?;
        return Some(format!("{base}.{field}"));
    }
    if let Some(brack) = expr.get("RefBrack") {
        let base = ref_name(&brack["refr"])?;
        let index = brack["index"].get("String")?["value"].as_str()?;
        return Some(format!("{base}.{index}"));
    }
    None
}

/// Conftest rejects `deny[msg] if {...}` in Rego v1: without `contains` it defines an object,
/// not the set of messages Conftest reads.
pub(crate) fn check_problematic_if(modules: &[ModuleInfo]) -> Result<(), PolicyError> {
    for m in modules {
        for r in &m.rules {
            if r.kind == RuleKind::Complete
                && r.variable_key
                && !r.has_value
                && crate::conftest::rules::is_result_rule(&r.name)
            {
                return Err(PolicyError::Rego {
                    file: m.file.clone(),
                    position: Some(RegoPosition {
                        file: m.file.clone(),
                        line: r.line,
                        column: r.column,
                    }),
                    message: format!(
                        "rule {} is using 'if' keyword without 'contains' keyword: write `{} contains msg if {{ ... }}`",
                        r.name, r.name
                    ),
                });
            }
        }
    }
    Ok(())
}

/// Visits every JSON object node of `node`.
fn walk<'a>(node: &'a Json, f: &mut impl FnMut(&'a Json)) {
    match node {
        Json::Object(map) => {
            f(node);
            for v in map.values() {
                walk(v, f);
            }
        }
        Json::Array(items) => {
            for v in items {
                walk(v, f);
            }
        }
        _ => {}
    }
}

/// OPA strict mode: unused `:=` variables and unused function arguments are compile errors.
pub(crate) fn check_strict(engine: &regorus::Engine) -> Result<(), PolicyError> {
    let mut errors = Vec::new();
    for item in ast(engine)? {
        let file = item["source"]["file"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let Some(rules) = item["ast"]["rules"].as_array() else {
            continue;
        };
        for rule in rules {
            let mut uses: BTreeMap<String, usize> = BTreeMap::new();
            walk(rule, &mut |n| {
                if let Some(name) = n.get("Var").and_then(|v| v["value"].as_str()) {
                    *uses.entry(name.to_string()).or_default() += 1;
                }
            });
            let mut problems: Vec<(usize, usize, String)> = Vec::new();
            walk(rule, &mut |n| {
                if let Some(assign) = n.get("AssignExpr")
                    && assign["op"] == "ColEq"
                    && let Some(var) = assign["lhs"].get("Var")
                    && let Some(name) = var["value"].as_str()
                    && name != "_"
                    && uses.get(name).copied().unwrap_or(0) <= 1
                {
                    let (l, c) = span_of(var);
                    problems.push((l, c, format!("assigned var {name} unused")));
                }
            });
            if let Some(func) = rule.get("Spec").and_then(|s| s["head"].get("Func"))
                && let Some(args) = func["args"].as_array()
            {
                for arg in args {
                    if let Some(var) = arg.get("Var")
                        && let Some(name) = var["value"].as_str()
                        && name != "_"
                        && uses.get(name).copied().unwrap_or(0) <= 1
                    {
                        let (l, c) = span_of(var);
                        problems.push((l, c, format!("unused argument {name}")));
                    }
                }
            }
            problems.sort();
            for (line, column, what) in problems {
                errors.push(PolicyError::Rego {
                    file: file.clone(),
                    position: Some(RegoPosition {
                        file: file.clone(),
                        line,
                        column,
                    }),
                    message: format!("rego_compile_error: {what}"),
                });
            }
        }
    }
    PolicyError::collect(errors).map_or(Ok(()), Err)
}

/// Builtins gatehouse itself provides; always allowed.
const CONFTEST_BUILTINS: &[&str] = &[
    "parse_config",
    "parse_config_file",
    "parse_combined_config_files",
];

/// Restricts calls to the builtins named in an OPA capabilities file (`{"builtins":[{"name":..}]}`).
pub(crate) fn check_capabilities(
    engine: &regorus::Engine,
    modules: &[ModuleInfo],
    caps_path: &Path,
) -> Result<(), PolicyError> {
    let text = std::fs::read_to_string(caps_path).map_err(|source| PolicyError::Io {
        path: caps_path.to_path_buf(),
        error: source,
    })?;
    let caps: Json = serde_json::from_str(&text).map_err(|e| {
        PolicyError::Usage(format!(
            "{}:{}:{}: invalid capabilities file: {e}",
            caps_path.display(),
            e.line(),
            e.column()
        ))
    })?;
    let allowed: BTreeSet<&str> = caps["builtins"]
        .as_array()
        .map(|b| b.iter().filter_map(|x| x["name"].as_str()).collect())
        .unwrap_or_default();
    let defined: BTreeSet<String> = modules
        .iter()
        .flat_map(|m| m.rules.iter().map(|r| r.name.clone()))
        .collect();
    let mut errors = Vec::new();
    for item in ast(engine)? {
        let file = item["source"]["file"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let aliases: BTreeSet<String> = item["ast"]["imports"]
            .as_array()
            .map(|imports| {
                imports
                    .iter()
                    .filter_map(|i| ref_name(&i["refr"]))
                    .filter_map(|r| r.rsplit('.').next().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        let mut bad: Vec<(usize, usize, String)> = Vec::new();
        walk(&item["ast"], &mut |n| {
            let Some(call) = n.get("Call") else { return };
            let Some(name) = ref_name(&call["fcn"]) else {
                return;
            };
            let first = name.split('.').next().unwrap_or_default();
            let user_defined = name.starts_with("data.")
                || defined.contains(&name)
                || aliases.contains(first)
                || CONFTEST_BUILTINS.contains(&name.as_str());
            if !user_defined && !allowed.contains(name.as_str()) {
                let (l, c) = span_of(call);
                bad.push((l, c, name));
            }
        });
        bad.sort();
        for (line, column, name) in bad {
            errors.push(PolicyError::Rego {
                file: file.clone(),
                position: Some(RegoPosition {
                    file: file.clone(),
                    line,
                    column,
                }),
                message: format!("rego_type_error: undefined function {name}"),
            });
        }
    }
    PolicyError::collect(errors).map_or(Ok(()), Err)
}
