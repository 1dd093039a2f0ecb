//! Terraform plan semantics: `terraform show -json` → the normalized resource list rules read,
//! and resource addresses → the `.tf` file and line that declared them.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde_json::value::RawValue;
use serde_json::{Map, Value as Json, json};

/// The parts of `terraform show -json` output that checks read, deserialized straight from the
/// bytes: `resource_changes` entries without `before`/`*_sensitive` (planned values go straight
/// into engine values, never through a `serde_json::Value`), and `configuration`.
/// `prior_state`, `planned_values` (unless there are no `resource_changes`), `resource_drift`,
/// `variables`, `output_changes`… are skipped by the parser, never built: on a 10,000-resource
/// plan they are most of the bytes.
#[derive(serde::Deserialize)]
struct PlanView<'a> {
    #[serde(default, borrow)]
    format_version: Option<&'a RawValue>,
    #[serde(default)]
    resource_changes: Option<Vec<ResourceChange>>,
    #[serde(default, borrow)]
    planned_values: Option<&'a RawValue>,
    #[serde(default, borrow)]
    configuration: Option<&'a RawValue>,
}

#[derive(serde::Deserialize)]
struct ResourceChange {
    #[serde(default)]
    address: Json,
    #[serde(default)]
    mode: Json,
    #[serde(default, rename = "type")]
    ty: Json,
    #[serde(default)]
    name: Json,
    #[serde(default)]
    module_address: Option<Json>,
    #[serde(default)]
    provider_name: Json,
    #[serde(default)]
    change: Change,
}

#[derive(serde::Deserialize, Default)]
struct Change {
    #[serde(default)]
    actions: Json,
    #[serde(default)]
    after: Option<regorus::Value>,
    #[serde(default)]
    after_unknown: Option<regorus::Value>,
}

/// The `configuration` block, reduced to what checks read: resource addresses with the names of
/// their expressions, and module calls with their source. A 10,000-resource plan's configuration
/// is megabytes of expression trees that would otherwise be built and thrown away.
#[derive(serde::Deserialize, Default)]
struct ConfigView {
    #[serde(default)]
    root_module: Option<ConfigModule>,
}

#[derive(serde::Deserialize, Default)]
struct ConfigModule {
    #[serde(default)]
    resources: Vec<ConfigResource>,
    #[serde(default)]
    module_calls: BTreeMap<String, ModuleCall>,
}

#[derive(serde::Deserialize)]
struct ConfigResource {
    #[serde(default)]
    address: Option<String>,
    #[serde(default)]
    expressions: Option<BTreeMap<String, Expression>>,
}

/// One top-level expression: its `references` when it is a plain expression, nothing for
/// nested blocks (arrays of expression maps).
#[derive(serde::Deserialize)]
#[serde(untagged)]
enum Expression {
    Plain {
        #[serde(default)]
        references: Vec<Json>,
    },
    Other(serde::de::IgnoredAny),
}

#[derive(serde::Deserialize)]
struct ModuleCall {
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    module: ConfigModule,
}

impl ConfigModule {
    fn into_json(self) -> Json {
        let resources: Vec<Json> = self
            .resources
            .into_iter()
            .map(|r| {
                let expressions: Option<Map<String, Json>> = r.expressions.map(|e| {
                    e.into_iter()
                        .map(|(k, v)| match v {
                            Expression::Plain { references } if !references.is_empty() => {
                                (k, json!({ "references": references }))
                            }
                            _ => (k, Json::Null),
                        })
                        .collect()
                });
                json!({"address": r.address, "expressions": expressions})
            })
            .collect();
        let calls: Map<String, Json> = self
            .module_calls
            .into_iter()
            .map(|(name, call)| {
                (
                    name,
                    json!({"source": call.source, "module": call.module.into_json()}),
                )
            })
            .collect();
        json!({"resources": resources, "module_calls": calls})
    }
}

/// A plan read by [`read_plan`].
pub struct Plan {
    /// The rule input, `{"resources": [...]}`: managed resources from `resource_changes` whose
    /// action is not a pure delete (create, update, replace and no-op count), with planned values
    /// (`values`), `after_unknown` (`unknown`), the attributes the configuration block sets
    /// (`configured`: "unknown because it references something new" vs "a provider default"),
    /// the resources each attribute references (`references`) and the `key` references name
    /// this resource by; without `resource_changes`, the `planned_values` modules.
    pub input: regorus::Value,
    /// Address → (module address, type, name) of every resource in `input`.
    pub names: HashMap<String, (Option<String>, String, String)>,
    /// The address of every `resource_changes` entry, in file order (for line numbers).
    pub change_addresses: Vec<Option<String>>,
    /// The plan's `configuration` block, reduced to resource addresses with their expression
    /// names and module calls with their sources (`Json::Null` when absent or malformed).
    pub configuration: Json,
}

/// Reads a Terraform plan from JSON bytes, keeping only what checks read. `None` when the
/// bytes are not a JSON object shaped like a plan (the caller then parses them as ordinary
/// JSON, with full error reporting).
pub fn read_plan(bytes: &[u8]) -> Option<Plan> {
    let view: PlanView = serde_json::from_slice(bytes).ok()?;
    let parse = |raw: Option<&RawValue>| -> Option<Json> {
        raw.and_then(|r| serde_json::from_str(r.get()).ok())
    };
    let configuration = view
        .configuration
        .and_then(|raw| serde_json::from_str::<ConfigView>(raw.get()).ok())
        .and_then(|c| c.root_module)
        .map_or(Json::Null, |m| json!({"root_module": m.into_json()}));
    let Some(changes) = view.resource_changes else {
        // Without `resource_changes`: a plan only if it has planned values and a format version.
        let (Some(planned), true) = (parse(view.planned_values), view.format_version.is_some())
        else {
            return None;
        };
        let input = planned_values_input(&planned);
        let names = resource_names(&input);
        return Some(Plan {
            input: regorus::Value::from(input),
            names,
            change_addresses: Vec::new(),
            configuration,
        });
    };
    let mut configured = BTreeMap::new();
    collect_configured(&configuration["root_module"], "", &mut configured);
    let mut names = HashMap::new();
    let mut change_addresses = Vec::with_capacity(changes.len());
    let mut resources = Vec::new();
    for rc in changes {
        change_addresses.push(rc.address.as_str().map(str::to_string));
        if rc.mode.as_str().unwrap_or("managed") != "managed" {
            continue;
        }
        let actions: Vec<Json> = rc
            .change
            .actions
            .as_array()
            .map(|a| a.iter().filter(|v| v.is_string()).cloned().collect())
            .unwrap_or_default();
        if matches!(actions.as_slice(), [only] if only == "delete") {
            continue;
        }
        let module = rc.module_address.unwrap_or(Json::Null);
        let key = (
            module.as_str().map(strip_indexes).unwrap_or_default(),
            format!(
                "{}.{}",
                rc.ty.as_str().unwrap_or(""),
                rc.name.as_str().unwrap_or("")
            ),
        );
        let config = configured
            .get(&key)
            .cloned()
            .unwrap_or_else(Configured::none);
        let key = ref_key(&module, &rc.ty, &rc.name);
        if let (Some(address), Some(ty), Some(name)) =
            (rc.address.as_str(), rc.ty.as_str(), rc.name.as_str())
        {
            names.insert(
                address.to_string(),
                (
                    module.as_str().map(str::to_string),
                    ty.to_string(),
                    name.to_string(),
                ),
            );
        }
        let object_or_empty = |v: Option<regorus::Value>| match v {
            Some(v @ regorus::Value::Object(_)) => v,
            _ => regorus::Value::new_object(),
        };
        let mut r: BTreeMap<regorus::Value, regorus::Value> = BTreeMap::new();
        let mut put = |k: &str, v: regorus::Value| {
            r.insert(regorus::Value::from(k), v);
        };
        put("address", regorus::Value::from(rc.address));
        put("type", regorus::Value::from(rc.ty));
        put("name", regorus::Value::from(rc.name));
        put("module", regorus::Value::from(module));
        put("provider", regorus::Value::from(rc.provider_name));
        put("actions", regorus::Value::from(Json::Array(actions)));
        put("values", object_or_empty(rc.change.after));
        put("unknown", object_or_empty(rc.change.after_unknown));
        put("configured", regorus::Value::from(config.attributes));
        put("references", regorus::Value::from(config.references));
        put("key", regorus::Value::from(key));
        resources.push(regorus::Value::from(r));
    }
    let mut top = BTreeMap::new();
    top.insert(
        regorus::Value::from("resources"),
        regorus::Value::from(resources),
    );
    Some(Plan {
        input: regorus::Value::from(top),
        names,
        change_addresses,
        configuration,
    })
}

/// Address → (module address, type, name) of the resources of a normalized input.
fn resource_names(input: &Json) -> HashMap<String, (Option<String>, String, String)> {
    input["resources"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| {
            Some((
                r["address"].as_str()?.to_string(),
                (
                    r["module"].as_str().map(str::to_string),
                    r["type"].as_str()?.to_string(),
                    r["name"].as_str()?.to_string(),
                ),
            ))
        })
        .collect()
}

/// The rule input for a plan without `resource_changes`: `{"resources": [...]}` from the
/// `planned_values` modules, walked recursively ([`read_plan`] builds the input of a plan with
/// `resource_changes`).
fn planned_values_input(planned: &Json) -> Json {
    let mut resources = Vec::new();
    walk_module(&planned["root_module"], &mut resources);
    json!({ "resources": resources })
}

/// What a resource's configuration block says: the attributes it sets (a constant or an
/// expression) and, per attribute, the resources its expression references (as [`ref_key`]s).
#[derive(Clone)]
struct Configured {
    attributes: Json,
    references: Json,
}

impl Configured {
    fn none() -> Self {
        Configured {
            attributes: json!([]),
            references: json!({}),
        }
    }
}

/// `(module path, "type.name")` → what the resource's configuration block sets.
fn collect_configured(
    module: &Json,
    prefix: &str,
    out: &mut BTreeMap<(String, String), Configured>,
) {
    for r in module["resources"].as_array().into_iter().flatten() {
        let (Some(address), Some(expressions)) =
            (r["address"].as_str(), r["expressions"].as_object())
        else {
            continue;
        };
        let keys: Vec<Json> = expressions.keys().cloned().map(Json::String).collect();
        let mut references = Map::new();
        for (attr, e) in expressions {
            let mut targets: Vec<Json> = e["references"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Json::as_str)
                .filter_map(|reference| reference_key(prefix, reference))
                .map(Json::String)
                .collect();
            targets.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
            targets.dedup();
            if !targets.is_empty() {
                references.insert(attr.clone(), Json::Array(targets));
            }
        }
        out.insert(
            (prefix.to_string(), address.to_string()),
            Configured {
                attributes: Json::Array(keys),
                references: Json::Object(references),
            },
        );
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

/// The resource a configuration reference points at, as the [`ref_key`] of that resource:
/// `aws_s3_bucket.b[0].id` inside `module.m` → `module.m.aws_s3_bucket.b`;
/// `data.aws_iam_policy_document.p.json` → `data.aws_iam_policy_document.p`. References to
/// variables, locals, module outputs, `each`, `count`, `path`, `self` and `terraform` name no
/// resource (`None`).
fn reference_key(prefix: &str, reference: &str) -> Option<String> {
    let mut parts = reference.split('.');
    let first = parts.next()?;
    let ty = match first {
        "var" | "local" | "module" | "each" | "count" | "path" | "self" | "terraform" => {
            return None;
        }
        "data" => format!("data.{}", parts.next()?),
        ty => ty.to_string(),
    };
    let name = parts.next()?.split('[').next()?;
    if name.is_empty() || ty.is_empty() {
        return None;
    }
    Some(if prefix.is_empty() {
        format!("{ty}.{name}")
    } else {
        format!("{prefix}.{ty}.{name}")
    })
}

/// The key other resources' references name a resource by: its module path without instance
/// keys, type and name (`module.m.aws_s3_bucket.b` for `module.m["x"].aws_s3_bucket.b[0]`).
fn ref_key(module: &Json, ty: &Json, name: &Json) -> Json {
    let module = module.as_str().map(strip_indexes).unwrap_or_default();
    let local = format!(
        "{}.{}",
        ty.as_str().unwrap_or(""),
        name.as_str().unwrap_or("")
    );
    Json::String(if module.is_empty() {
        local
    } else {
        format!("{module}.{local}")
    })
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
        let module_address = module.get("address").cloned().unwrap_or(Json::Null);
        out.push(json!({
            "address": r["address"],
            "key": ref_key(&module_address, &r["type"], &r["name"]),
            "type": r["type"],
            "name": r["name"],
            "module": module_address,
            "references": {},
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
    /// plan's `configuration` (its `module_calls`) to know which directory each module comes from.
    pub fn scan(root: &Path, configuration: &Json) -> Self {
        let mut module_dirs: Vec<(String, PathBuf)> = vec![(String::new(), root.to_path_buf())];
        collect_module_dirs(&configuration["root_module"], "", root, &mut module_dirs);
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

    /// The rule input `read_plan` builds for `plan`, as JSON.
    fn normalize(plan: Json) -> Json {
        let bytes = serde_json::to_vec(&plan).unwrap();
        serde_json::to_value(read_plan(&bytes).expect("a plan").input).unwrap()
    }

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

    /// What `read_plan` keeps and drops: pure deletes and data sources out, odd shapes tolerated,
    /// `before`/`prior_state` ignored, configuration reduced to what checks read.
    #[test]
    fn reading_from_bytes_keeps_what_rules_read() {
        let plan = json!({"resource_changes": [
            {"address": "a.x", "type": "a", "name": "x", "mode": "managed", "change": {"actions": ["delete"], "after": null}},
            {"address": "a.y", "type": "a", "name": "y", "mode": "managed", "change": {"actions": ["delete", "create"], "after": {"k": [1, {"n": null}]}, "after_unknown": {"id": true}, "before": {"k": 0}}},
            {"address": "data.a.z", "type": "a", "name": "z", "mode": "data", "change": {"actions": ["read"], "after": {}}},
            {"address": "module.m[0].a.w", "module_address": "module.m[0]", "type": "a", "name": "w", "change": {"actions": ["no-op", 7], "after": "not an object"}},
            {"change": {}},
        ],
        "prior_state": {"values": {"root_module": {}}},
        "configuration": {"root_module": {"module_calls": {"m": {"source": "./m", "module": {"resources": [
            {"address": "a.w", "expressions": {"kms_key_id": {"references": ["aws_kms_key.k.arn", "aws_kms_key.k"]}, "tags": [{"x": {}}]}}
        ]}}}}}});
        let bytes = serde_json::to_vec_pretty(&plan).unwrap();
        let read = read_plan(&bytes).expect("a plan");
        let input = serde_json::to_value(&read.input).unwrap();
        assert_eq!(
            input["resources"],
            json!([
                {"address": "a.y", "key": "a.y", "type": "a", "name": "y", "module": null, "provider": null,
                 "actions": ["delete", "create"], "values": {"k": [1, {"n": null}]}, "unknown": {"id": true},
                 "configured": [], "references": {}},
                {"address": "module.m[0].a.w", "key": "module.m.a.w", "type": "a", "name": "w", "module": "module.m[0]",
                 "provider": null, "actions": ["no-op"], "values": {}, "unknown": {},
                 "configured": ["kms_key_id", "tags"], "references": {"kms_key_id": ["module.m.aws_kms_key.k"]}},
                // An entry without mode or address is kept as a managed resource with nulls.
                {"address": null, "key": ".", "type": null, "name": null, "module": null, "provider": null,
                 "actions": [], "values": {}, "unknown": {}, "configured": [], "references": {}},
            ])
        );
        assert_eq!(read.change_addresses.len(), 5);
        let mut dirs = Vec::new();
        collect_module_dirs(
            &read.configuration["root_module"],
            "",
            Path::new("r"),
            &mut dirs,
        );
        assert_eq!(
            dirs,
            vec![("module.m".to_string(), Path::new("r").join("./m"))]
        );
        // The example plan reads, with the same resources as its `resource_changes`.
        let example = std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/tfplan.json"),
        )
        .unwrap();
        let read = read_plan(&example).expect("the example plan");
        let doc: Json = serde_json::from_slice(&example).unwrap();
        assert_eq!(
            read.change_addresses.len(),
            doc["resource_changes"].as_array().unwrap().len()
        );
        // Not plans: other JSON documents, arrays, malformed bytes.
        for other in [
            &b"{\"kind\": \"Pod\"}"[..],
            b"[1, 2]",
            b"{\"planned_values\": {}}",
            b"{",
        ] {
            assert!(read_plan(other).is_none());
        }
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
