//! Terraform plan semantics: `terraform show -json` → the normalized resource list rules read,
//! and resource addresses → the `.tf` file and line that declared them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value as Json, json};

/// True for a `terraform show -json` plan document.
pub fn is_plan(value: &Json) -> bool {
    value.get("resource_changes").is_some()
        || (value.get("planned_values").is_some() && value.get("format_version").is_some())
}

/// The rule input for a plan: `{"resources": [...]}`. Managed resources from `resource_changes`
/// whose action is not a pure delete (create, update, replace and no-op count), with planned values
/// and `after_unknown`; when a plan has no `resource_changes`, `planned_values` modules are walked.
/// `configured` lists the attributes the resource's configuration block sets (a constant or an
/// expression), so a rule can tell "unknown because it references something new" from "unknown
/// because the provider computes a default".
pub fn normalize(mut plan: Json) -> Json {
    let mut configured = BTreeMap::new();
    collect_configured(&plan["configuration"]["root_module"], "", &mut configured);
    let configured_of = |module: &Json, ty: &Json, name: &Json| -> Json {
        let key = (
            module.as_str().map(strip_indexes).unwrap_or_default(),
            format!(
                "{}.{}",
                ty.as_str().unwrap_or(""),
                name.as_str().unwrap_or("")
            ),
        );
        configured.get(&key).cloned().unwrap_or_else(|| json!([]))
    };
    let mut resources = Vec::new();
    if let Some(changes) = plan
        .get_mut("resource_changes")
        .and_then(Json::as_array_mut)
    {
        for rc in changes.iter_mut() {
            if rc["mode"].as_str().unwrap_or("managed") != "managed" {
                continue;
            }
            let actions: Vec<String> = rc["change"]["actions"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(Json::as_str)
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default();
            if actions == ["delete"] {
                continue;
            }
            // Planned values are moved, not copied: plans reach tens of megabytes.
            let after = rc["change"]["after"].take();
            let after_unknown = rc["change"]["after_unknown"].take();
            resources.push(json!({
                "address": rc["address"],
                "type": rc["type"],
                "name": rc["name"],
                "module": rc.get("module_address").cloned().unwrap_or(Json::Null),
                "provider": rc["provider_name"],
                "actions": actions,
                "values": owned_object_or_empty(after),
                "unknown": owned_object_or_empty(after_unknown),
                "configured": configured_of(
                    rc.get("module_address").unwrap_or(&Json::Null),
                    &rc["type"],
                    &rc["name"],
                ),
            }));
        }
    } else {
        walk_module(&plan["planned_values"]["root_module"], &mut resources);
    }
    json!({ "resources": resources })
}

/// `(module path, "type.name")` → names of the attributes its configuration block sets.
fn collect_configured(module: &Json, prefix: &str, out: &mut BTreeMap<(String, String), Json>) {
    for r in module["resources"].as_array().into_iter().flatten() {
        let (Some(address), Some(expressions)) =
            (r["address"].as_str(), r["expressions"].as_object())
        else {
            continue;
        };
        let keys: Vec<Json> = expressions.keys().cloned().map(Json::String).collect();
        out.insert((prefix.to_string(), address.to_string()), Json::Array(keys));
    }
    for (name, call) in module["module_calls"].as_object().into_iter().flatten() {
        let path = if prefix.is_empty() {
            format!("module.{name}")
        } else {
            format!("{prefix}.module.{name}")
        };
        collect_configured(&call["module"], &path, out);
    }
}

fn owned_object_or_empty(v: Json) -> Json {
    if v.is_object() {
        v
    } else {
        Json::Object(Map::new())
    }
}

fn object_or_empty(v: &Json) -> Json {
    if v.is_object() {
        v.clone()
    } else {
        Json::Object(Map::new())
    }
}

fn walk_module(module: &Json, out: &mut Vec<Json>) {
    for r in module["resources"].as_array().into_iter().flatten() {
        if r["mode"].as_str().unwrap_or("managed") != "managed" {
            continue;
        }
        out.push(json!({
            "address": r["address"],
            "type": r["type"],
            "name": r["name"],
            "module": module.get("address").cloned().unwrap_or(Json::Null),
            "provider": r["provider_name"],
            "actions": [],
            "values": object_or_empty(&r["values"]),
            "unknown": {},
        }));
    }
    for child in module["child_modules"].as_array().into_iter().flatten() {
        walk_module(child, out);
    }
}

/// Where each resource block is declared: `(module path, type, name)` → `(.tf file, line)`.
#[derive(Default)]
pub struct Declarations {
    by_key: BTreeMap<(String, String, String), (PathBuf, usize)>,
}

impl Declarations {
    /// Scans `.tf` files under `root` (recursively) for `resource "TYPE" "NAME"` blocks, and uses the
    /// plan's `configuration.module_calls` to know which directory each module comes from.
    pub fn scan(root: &Path, plan: &Json) -> Self {
        let mut module_dirs: Vec<(String, PathBuf)> = vec![(String::new(), root.to_path_buf())];
        collect_module_dirs(
            &plan["configuration"]["root_module"],
            "",
            root,
            &mut module_dirs,
        );
        let mut by_key = BTreeMap::new();
        for (module, dir) in module_dirs {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            let mut files: Vec<PathBuf> = entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "tf"))
                .collect();
            files.sort();
            for file in files {
                let Ok(text) = std::fs::read_to_string(&file) else {
                    continue;
                };
                for (i, line) in text.lines().enumerate() {
                    if let Some((ty, name)) = resource_header(line) {
                        by_key
                            .entry((module.clone(), ty, name))
                            .or_insert((file.clone(), i + 1));
                    }
                }
            }
        }
        Declarations { by_key }
    }

    /// True when no `.tf` file was found (findings then point into the plan).
    pub fn is_empty(&self) -> bool {
        self.by_key.is_empty()
    }

    /// The declaration of a resource address such as `module.a.aws_s3_bucket.b["x"]`.
    pub fn find(&self, module: Option<&str>, ty: &str, name: &str) -> Option<&(PathBuf, usize)> {
        let module = module.map(strip_indexes).unwrap_or_default();
        self.by_key.get(&(module, ty.to_string(), name.to_string()))
    }
}

/// `module.a["x"].module.b[0]` → `module.a.module.b`.
fn strip_indexes(address: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for c in address.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

fn collect_module_dirs(module: &Json, prefix: &str, dir: &Path, out: &mut Vec<(String, PathBuf)>) {
    let Some(calls) = module["module_calls"].as_object() else {
        return;
    };
    for (name, call) in calls {
        let Some(source) = call["source"].as_str() else {
            continue;
        };
        if !(source.starts_with("./") || source.starts_with("../")) {
            continue;
        }
        let path = if prefix.is_empty() {
            format!("module.{name}")
        } else {
            format!("{prefix}.module.{name}")
        };
        let child = dir.join(source);
        out.push((path.clone(), child.clone()));
        collect_module_dirs(&call["module"], &path, &child, out);
    }
}

/// `resource "aws_s3_bucket" "logs" {` → `("aws_s3_bucket", "logs")`.
fn resource_header(line: &str) -> Option<(String, String)> {
    let rest = line.trim_start().strip_prefix("resource")?;
    let mut parts = rest.split('"').skip(1).step_by(2);
    let ty = parts.next()?;
    let name = parts.next()?;
    Some((ty.to_string(), name.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pure_deletes_and_data_sources_are_skipped_replacements_count() {
        let plan = json!({"resource_changes": [
            {"address": "a.x", "type": "a", "name": "x", "mode": "managed", "change": {"actions": ["delete"], "after": null}},
            {"address": "a.y", "type": "a", "name": "y", "mode": "managed", "change": {"actions": ["delete", "create"], "after": {"k": 1}, "after_unknown": {"id": true}}},
            {"address": "data.a.z", "type": "a", "name": "z", "mode": "data", "change": {"actions": ["read"], "after": {}}},
            {"address": "module.m.a.w", "module_address": "module.m", "type": "a", "name": "w", "mode": "managed", "change": {"actions": ["no-op"], "after": {"k": 2}}},
        ]});
        let r = normalize(plan.clone());
        let addresses: Vec<&str> = r["resources"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|x| x["address"].as_str())
            .collect();
        assert_eq!(addresses, vec!["a.y", "module.m.a.w"]);
        assert_eq!(r["resources"][0]["unknown"]["id"], true);
    }

    #[test]
    fn configured_attributes_come_from_the_configuration_block() {
        let plan = json!({
            "resource_changes": [
                {"address": "module.m[0].a.x", "module_address": "module.m[0]", "type": "a", "name": "x", "mode": "managed", "change": {"actions": ["create"], "after": {}}},
            ],
            "configuration": {"root_module": {"module_calls": {"m": {"module": {"resources": [
                {"address": "a.x", "expressions": {"kms_key_id": {"references": ["aws_kms_key.k.arn"]}}}
            ]}}}}}
        });
        assert_eq!(
            normalize(plan.clone())["resources"][0]["configured"],
            json!(["kms_key_id"])
        );
    }

    #[test]
    fn planned_values_modules_are_walked_without_resource_changes() {
        let plan = json!({"format_version": "1.2", "planned_values": {"root_module": {
            "resources": [{"address": "a.x", "type": "a", "name": "x", "mode": "managed", "values": {}}],
            "child_modules": [{"address": "module.c", "resources": [{"address": "module.c.a.y", "type": "a", "name": "y", "mode": "managed", "values": {}}]}]
        }}});
        assert_eq!(
            normalize(plan.clone())["resources"]
                .as_array()
                .map(Vec::len),
            Some(2)
        );
    }

    #[test]
    fn module_indexes_are_ignored_when_finding_declarations() {
        assert_eq!(
            strip_indexes("module.a[\"x\"].module.b[0]"),
            "module.a.module.b"
        );
        assert_eq!(
            resource_header("resource \"aws_s3_bucket\" \"logs\" {"),
            Some(("aws_s3_bucket".into(), "logs".into()))
        );
    }
}
