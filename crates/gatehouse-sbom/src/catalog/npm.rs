//! npm `package-lock.json` / `npm-shrinkwrap.json`, lockfileVersion 1, 2 and 3.
//!
//! v2/v3: every `packages` entry under `node_modules/` is an installed package (links to
//! workspace folders are skipped; the folder entries themselves are the project's own code).
//! Scope comes from `dev` / `optional` / `devOptional`; direct = a top-level `node_modules/x`
//! entry named in the root's dependency lists; edges follow Node's resolution (nearest
//! `node_modules` upwards). v1: the nested `dependencies` tree, edges from `requires`.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::Sibling;
use crate::error::CatalogError;
use crate::model::{Component, Ecosystem, Hash, Scope};
use crate::purl::npm_name;

/// Parses a package-lock.json.
pub fn parse(path: &str, bytes: &[u8], _: Sibling<'_>) -> Result<Vec<Component>, CatalogError> {
    let text = super::text(path, bytes)?;
    let doc: Value = serde_json::from_str(text).map_err(|e| CatalogError::json(path, &e))?;
    let Some(obj) = doc.as_object() else {
        return Err(CatalogError::at(
            path,
            1,
            1,
            "expected a JSON object; is this a package-lock.json?",
        ));
    };
    if let Some(packages) = obj.get("packages").and_then(Value::as_object) {
        Ok(parse_packages(packages))
    } else if let Some(deps) = obj.get("dependencies").and_then(Value::as_object) {
        let mut out = Vec::new();
        walk_v1(deps, &[], &mut out);
        resolve_v1(deps, &mut out);
        Ok(out.into_iter().map(|(_, c)| c).collect())
    } else {
        Ok(Vec::new())
    }
}

fn s<'a>(v: &'a Value, k: &str) -> Option<&'a str> {
    v.get(k).and_then(Value::as_str)
}

fn flag(v: &Value, k: &str) -> bool {
    v.get(k).and_then(Value::as_bool).unwrap_or(false)
}

fn scope_of(v: &Value) -> Scope {
    if flag(v, "dev") || flag(v, "devOptional") {
        Scope::Dev
    } else if flag(v, "optional") {
        Scope::Optional
    } else {
        Scope::Required
    }
}

fn dep_names(v: &Value) -> BTreeSet<String> {
    [
        "dependencies",
        "optionalDependencies",
        "peerDependencies",
        "devDependencies",
    ]
    .iter()
    .filter_map(|k| v.get(*k).and_then(Value::as_object))
    .flat_map(|m| m.keys().cloned())
    .collect()
}

fn component(name: &str, v: &Value) -> Option<Component> {
    let version = s(v, "version")?;
    let (ns, base) = npm_name(name);
    let mut c = Component::new(Ecosystem::Npm, base, version).with_namespace(ns);
    c.scope = scope_of(v);
    if let Some(i) = s(v, "integrity") {
        c.hashes.extend(Hash::sri(i));
    }
    if let Some(r) = s(v, "resolved") {
        c.properties
            .insert("gatehouse:resolved".into(), r.to_owned());
    }
    if let Some(l) = s(v, "license") {
        c.licenses.insert(l.to_owned());
    }
    Some(c)
}

fn parse_packages(packages: &Map<String, Value>) -> Vec<Component> {
    let root = packages.get("").cloned().unwrap_or(Value::Null);
    let root_deps = dep_names(&root);
    let mut by_key: BTreeMap<&str, Component> = BTreeMap::new();
    for (key, v) in packages {
        let Some(idx) = key.rfind("node_modules/") else {
            continue;
        };
        if flag(v, "link") {
            continue;
        }
        let dir_name = key.get(idx + "node_modules/".len()..).unwrap_or_default();
        let name = s(v, "name").unwrap_or(dir_name);
        let Some(mut c) = component(name, v) else {
            continue;
        };
        let top = idx == 0;
        c.direct = Some(top && root_deps.contains(dir_name));
        by_key.insert(key.as_str(), c);
    }
    // Node's resolution: from `a/node_modules/b`, dependency `d` is
    // `a/node_modules/b/node_modules/d`, else `a/node_modules/d`, else `node_modules/d`.
    let purls: BTreeMap<&str, String> = by_key.iter().map(|(k, c)| (*k, c.purl())).collect();
    let mut edges: Vec<(&str, String)> = Vec::new();
    for (key, v) in packages {
        if !by_key.contains_key(key.as_str()) {
            continue;
        }
        for dep in dep_names_runtime(v) {
            let mut base: &str = key;
            loop {
                let candidate = format!("{base}/node_modules/{dep}");
                if let Some(p) = purls.get(candidate.as_str()) {
                    edges.push((key.as_str(), p.clone()));
                    break;
                }
                match base.rfind("/node_modules/") {
                    Some(i) => base = base.get(..i).unwrap_or_default(),
                    None => {
                        if let Some(p) = purls.get(format!("node_modules/{dep}").as_str()) {
                            edges.push((key.as_str(), p.clone()));
                        }
                        break;
                    }
                }
            }
        }
    }
    for (from, to) in edges {
        if let Some(c) = by_key.get_mut(from) {
            c.dependencies.insert(to);
        }
    }
    by_key.into_values().collect()
}

fn dep_names_runtime(v: &Value) -> BTreeSet<String> {
    ["dependencies", "optionalDependencies", "peerDependencies"]
        .iter()
        .filter_map(|k| v.get(*k).and_then(Value::as_object))
        .flat_map(|m| m.keys().cloned())
        .collect()
}

/// v1: `dependencies` nest; every entry is recorded with its path of names.
fn walk_v1(deps: &Map<String, Value>, prefix: &[String], out: &mut Vec<(Vec<String>, Component)>) {
    for (name, v) in deps {
        let version = s(v, "version").unwrap_or_default();
        // Aliases: "npm:real-name@1.2.3".
        let (real, version) = match version
            .strip_prefix("npm:")
            .and_then(|r| r.rsplit_once('@'))
        {
            Some((n, ver)) => (n.to_owned(), ver.to_owned()),
            None => (name.clone(), version.to_owned()),
        };
        let mut vv = v.clone();
        if let Some(o) = vv.as_object_mut() {
            o.insert("version".into(), Value::String(version));
            o.remove("dependencies");
        }
        let mut path = prefix.to_vec();
        path.push(name.clone());
        if let Some(c) = component(&real, &vv) {
            out.push((path.clone(), c));
        }
        if let Some(children) = v.get("dependencies").and_then(Value::as_object) {
            walk_v1(children, &path, out);
        }
    }
}

/// Resolves `requires` for the whole v1 tree once it is flattened: an entry at path
/// `[a, b]` requiring `d` resolves to `[a, b, d]`, else `[a, d]`, else `[d]`.
fn resolve_v1(top: &Map<String, Value>, out: &mut [(Vec<String>, Component)]) {
    let index: BTreeMap<Vec<String>, String> =
        out.iter().map(|(p, c)| (p.clone(), c.purl())).collect();
    let mut requires: Vec<(usize, Vec<String>)> = Vec::new();
    for (i, (path, _)) in out.iter().enumerate() {
        let mut node = top.get(path.first().map_or("", String::as_str));
        for seg in path.iter().skip(1) {
            node = node
                .and_then(|n| n.get("dependencies"))
                .and_then(|d| d.get(seg.as_str()));
        }
        let names: Vec<String> = node
            .and_then(|n| n.get("requires"))
            .and_then(Value::as_object)
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default();
        requires.push((i, names));
    }
    for (i, names) in requires {
        let Some((path, _)) = out.get(i) else {
            continue;
        };
        let path = path.clone();
        let mut targets = Vec::new();
        for dep in names {
            for cut in (0..=path.len()).rev() {
                let mut candidate: Vec<String> = path.get(..cut).unwrap_or_default().to_vec();
                candidate.push(dep.clone());
                if let Some(p) = index.get(&candidate) {
                    targets.push(p.clone());
                    break;
                }
            }
        }
        if let Some((_, c)) = out.get_mut(i) {
            c.dependencies.extend(targets);
        }
    }
}
