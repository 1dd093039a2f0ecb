//! CycloneDX 1.6 JSON: writer and reader.
//!
//! Mapping: scope `Required` → `required`, `Optional` → `optional`, `Dev` → `excluded` (the
//! spec's word for test/build-only use), `Unknown` → absent. Locations, layers, directness and
//! the dev flag are `gatehouse:*` properties. `dependencies` lists every component (an empty
//! `dependsOn` means "no dependencies recorded"), plus the subject depending on the direct ones.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};

use super::{TOOL_NAME, TOOL_VERSION, WriteOptions, content_uuid, licenses};
use crate::error::SbomError;
use crate::model::{Component, Hash, HashAlg, Sbom, Scope, Subject};

/// `bom-ref` of the subject (metadata.component).
pub const SUBJECT_REF: &str = "gatehouse:subject";

/// Writes `sbom` as a CycloneDX 1.6 JSON value.
pub fn to_value(sbom: &Sbom, opts: &WriteOptions) -> Value {
    let components: Vec<Value> = sbom.components.iter().map(component).collect();
    let mut deps: Vec<Value> = Vec::with_capacity(sbom.components.len() + 1);
    let direct: Vec<String> = sbom
        .components
        .iter()
        .filter(|c| c.direct == Some(true))
        .map(Component::purl)
        .collect();
    deps.push(json!({ "ref": SUBJECT_REF, "dependsOn": direct }));
    for c in &sbom.components {
        deps.push(json!({ "ref": c.purl(), "dependsOn": c.dependencies }));
    }
    let mut metadata = Map::new();
    if let Some(ts) = &opts.timestamp {
        metadata.insert("timestamp".into(), json!(ts));
    }
    metadata.insert(
        "tools".into(),
        json!({ "components": [{ "type": "application", "name": TOOL_NAME, "version": TOOL_VERSION }] }),
    );
    metadata.insert("component".into(), subject(&sbom.subject));
    let mut doc = json!({
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "version": 1,
        "metadata": metadata,
        "components": components,
        "dependencies": deps,
    });
    let serial = format!("urn:uuid:{}", content_uuid(doc.to_string().as_bytes()));
    if let Some(obj) = doc.as_object_mut() {
        obj.insert("serialNumber".into(), json!(serial));
    }
    doc
}

/// Writes `sbom` as pretty CycloneDX 1.6 JSON text.
pub fn to_string(sbom: &Sbom, opts: &WriteOptions) -> String {
    let mut s = serde_json::to_string_pretty(&to_value(sbom, opts)).unwrap_or_default();
    s.push('\n');
    s
}

fn subject(s: &Subject) -> Value {
    let ty = match s.kind.as_str() {
        "container" => "container",
        "file" => "file",
        _ => "application",
    };
    let mut v = json!({ "type": ty, "bom-ref": SUBJECT_REF, "name": s.name });
    let mut props = Vec::new();
    if let Some(d) = &s.digest {
        if let Some(h) = Hash::prefixed(d) {
            super::set(
                &mut v,
                "hashes",
                json!([{ "alg": h.alg.cyclonedx(), "content": h.value }]),
            );
        }
        props.push(json!({ "name": "gatehouse:image:digest", "value": d }));
    }
    if let Some(d) = &s.distro {
        props.push(json!({ "name": "gatehouse:distro", "value": d }));
    }
    if !props.is_empty() {
        super::set(&mut v, "properties", json!(props));
    }
    v
}

fn component(c: &Component) -> Value {
    let purl = c.purl();
    let mut v = Map::new();
    v.insert("type".into(), json!("library"));
    v.insert("bom-ref".into(), json!(purl));
    if let Some(ns) = &c.namespace {
        v.insert("group".into(), json!(ns));
    }
    v.insert("name".into(), json!(c.name));
    if !c.version.is_empty() {
        v.insert("version".into(), json!(c.version));
    }
    match c.scope {
        Scope::Required => {
            v.insert("scope".into(), json!("required"));
        }
        Scope::Optional => {
            v.insert("scope".into(), json!("optional"));
        }
        Scope::Dev => {
            v.insert("scope".into(), json!("excluded"));
        }
        Scope::Unknown => {}
    }
    if !c.hashes.is_empty() {
        let hashes: Vec<Value> = c
            .hashes
            .iter()
            .map(|h| json!({ "alg": h.alg.cyclonedx(), "content": h.value }))
            .collect();
        v.insert("hashes".into(), json!(hashes));
    }
    if let Some(l) = license_choice(&c.licenses) {
        v.insert("licenses".into(), l);
    }
    v.insert("purl".into(), json!(purl));
    let props = properties(c);
    if !props.is_empty() {
        v.insert("properties".into(), json!(props));
    }
    Value::Object(v)
}

fn properties(c: &Component) -> Vec<Value> {
    let mut props = Vec::new();
    if let Some(d) = c.direct {
        props.push(json!({ "name": "gatehouse:direct", "value": d.to_string() }));
    }
    for l in &c.layers {
        props.push(json!({ "name": "gatehouse:layer", "value": l }));
    }
    for l in &c.locations {
        props.push(json!({ "name": "gatehouse:location", "value": l }));
    }
    for (k, val) in &c.properties {
        props.push(json!({ "name": k, "value": val }));
    }
    props
}

/// A `licenses` array: ids when every entry is an id, one expression when there is exactly one
/// valid compound expression, otherwise ids and names.
fn license_choice(ls: &BTreeSet<String>) -> Option<Value> {
    if ls.is_empty() {
        return None;
    }
    if let [only] = ls.iter().collect::<Vec<_>>().as_slice() {
        if let Some(expr) = licenses::expression(only) {
            if expr.contains(' ') {
                return Some(json!([{ "expression": expr }]));
            }
        }
    }
    let entries: Vec<Value> = ls
        .iter()
        .map(|l| match licenses::canonical_id(l) {
            Some(id) => json!({ "license": { "id": id } }),
            None => json!({ "license": { "name": l } }),
        })
        .collect();
    Some(json!(entries))
}

/// Reads a CycloneDX JSON document (1.4–1.6) back into an [`Sbom`]. Nested components are
/// flattened; components without a purl keep their name and version with no ecosystem.
pub fn from_str(text: &str) -> Result<Sbom, SbomError> {
    let doc: Value = serde_json::from_str(text).map_err(|e| SbomError::Document {
        format: "CycloneDX",
        message: format!("line {}, column {}: {e}", e.line(), e.column()),
    })?;
    if doc.get("bomFormat").and_then(Value::as_str) != Some("CycloneDX") {
        return Err(SbomError::Document {
            format: "CycloneDX",
            message: "`bomFormat` is not \"CycloneDX\"; is this a CycloneDX JSON SBOM?".into(),
        });
    }
    let mut by_ref: BTreeMap<String, Component> = BTreeMap::new();
    let mut stack: Vec<&Value> = doc
        .get("components")
        .and_then(Value::as_array)
        .map(|a| a.iter().collect())
        .unwrap_or_default();
    while let Some(v) = stack.pop() {
        if let Some(children) = v.get("components").and_then(Value::as_array) {
            stack.extend(children.iter());
        }
        let c = read_component(v);
        let key = v
            .get("bom-ref")
            .and_then(Value::as_str)
            .map_or_else(|| c.purl(), str::to_owned);
        by_ref.insert(key, c);
    }
    let refs: BTreeMap<String, String> =
        by_ref.iter().map(|(k, c)| (k.clone(), c.purl())).collect();
    for d in doc
        .get("dependencies")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let Some(from) = d.get("ref").and_then(Value::as_str) else {
            continue;
        };
        let targets: Vec<String> = d
            .get("dependsOn")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .filter_map(|t| refs.get(t).cloned())
            .collect();
        if let Some(c) = by_ref.get_mut(from) {
            c.dependencies.extend(targets);
        } else if from == SUBJECT_REF
            || doc
                .pointer("/metadata/component/bom-ref")
                .and_then(Value::as_str)
                == Some(from)
        {
            for t in d
                .get("dependsOn")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if let Some(c) = t.as_str().and_then(|t| by_ref.get_mut(t)) {
                    c.direct = Some(true);
                }
            }
        }
    }
    let meta = doc.pointer("/metadata/component");
    let subject = Subject {
        name: meta
            .and_then(|m| m.get("name"))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
        kind: meta
            .and_then(|m| m.get("type"))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
        digest: prop(meta, "gatehouse:image:digest"),
        distro: prop(meta, "gatehouse:distro"),
    };
    Ok(Sbom::new(subject, by_ref.into_values().collect()))
}

fn prop(v: Option<&Value>, name: &str) -> Option<String> {
    v?.get("properties")?
        .as_array()?
        .iter()
        .find(|p| p.get("name").and_then(Value::as_str) == Some(name))?
        .get("value")?
        .as_str()
        .map(str::to_owned)
}

fn read_component(v: &Value) -> Component {
    let s = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
    let mut c = s("purl")
        .and_then(|p| crate::purl::parse(&p))
        .unwrap_or_else(|| Component {
            namespace: s("group"),
            name: s("name").unwrap_or_default(),
            version: s("version").unwrap_or_default(),
            ..Component::default()
        });
    c.scope = match s("scope").as_deref() {
        Some("required") => Scope::Required,
        Some("optional") => Scope::Optional,
        Some("excluded") => Scope::Dev,
        _ => Scope::Unknown,
    };
    for h in v
        .get("hashes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let alg = h
            .get("alg")
            .and_then(Value::as_str)
            .and_then(HashAlg::parse);
        let content = h.get("content").and_then(Value::as_str);
        if let Some(h) = alg.zip(content).and_then(|(a, c)| Hash::hex(a, c)) {
            c.hashes.insert(h);
        }
    }
    for l in v
        .get("licenses")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let text = l
            .get("expression")
            .or_else(|| l.pointer("/license/id"))
            .or_else(|| l.pointer("/license/name"))
            .and_then(Value::as_str);
        if let Some(t) = text {
            c.licenses.insert(t.to_owned());
        }
    }
    for p in v
        .get("properties")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let (Some(name), Some(value)) = (
            p.get("name").and_then(Value::as_str),
            p.get("value").and_then(Value::as_str),
        ) else {
            continue;
        };
        match name {
            "gatehouse:location" => {
                c.locations.insert(value.to_owned());
            }
            "gatehouse:layer" => {
                c.layers.insert(value.to_owned());
            }
            "gatehouse:direct" => c.direct = Some(value == "true"),
            _ => {
                c.properties.insert(name.to_owned(), value.to_owned());
            }
        }
    }
    c
}
