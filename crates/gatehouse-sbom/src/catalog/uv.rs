//! `uv.lock`.
//!
//! Every `[[package]]` is a component; the project itself (`source = { virtual | editable = "." }`)
//! is marked `gatehouse:source = local`. Direct = the project's `dependencies` (prod) and
//! `dev-dependencies` groups (dev); scope follows by reachability. Hashes from `sdist` and
//! `wheels`. Edges from `dependencies` and `optional-dependencies`.

use std::collections::{BTreeMap, BTreeSet};

use toml::{Table, Value};

use super::{Sibling, pep503, reach_scopes};
use crate::error::CatalogError;
use crate::model::{Component, Ecosystem, Hash};

fn dep_names(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|d| d.get("name").and_then(Value::as_str))
        .map(pep503)
        .collect()
}

fn grouped(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_table)
        .into_iter()
        .flatten()
        .flat_map(|(_, g)| dep_names(Some(g)))
        .collect()
}

/// Parses a uv.lock.
pub fn parse(path: &str, bytes: &[u8], _: Sibling<'_>) -> Result<Vec<Component>, CatalogError> {
    let text = super::text(path, bytes)?;
    let doc: Table = toml::from_str(text).map_err(|e| CatalogError::toml(path, text, &e))?;
    let packages = doc
        .get("package")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut comps: BTreeMap<String, Component> = BTreeMap::new();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let (mut prod, mut dev) = (Vec::new(), Vec::new());
    let mut names: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (i, p) in packages.iter().enumerate() {
        let name = p.get("name").and_then(Value::as_str);
        let Some(name) = name else {
            return Err(CatalogError::new(
                path,
                format!("[[package]] number {} has no name", i + 1),
            ));
        };
        let version = p.get("version").and_then(Value::as_str).unwrap_or_default();
        let mut c = Component::new(Ecosystem::Pypi, name, version);
        let source = p.get("source").and_then(Value::as_table);
        let local = source.is_some_and(|s| {
            s.contains_key("virtual") || s.contains_key("editable") || s.contains_key("directory")
        });
        if local {
            c.properties
                .insert("gatehouse:source".into(), "local".into());
        }
        let mut hashes: Vec<&Value> = p.get("sdist").into_iter().collect();
        hashes.extend(
            p.get("wheels")
                .and_then(Value::as_array)
                .into_iter()
                .flatten(),
        );
        for h in hashes {
            if let Some(h) = h
                .get("hash")
                .and_then(Value::as_str)
                .and_then(Hash::prefixed)
            {
                c.hashes.insert(h);
            }
        }
        let key = format!("{}@{version}", pep503(name));
        names.entry(pep503(name)).or_default().push(key.clone());
        let mut deps = dep_names(p.get("dependencies"));
        deps.extend(grouped(p.get("optional-dependencies")));
        if local {
            prod.extend(dep_names(p.get("dependencies")));
            prod.extend(grouped(p.get("optional-dependencies")));
            dev.extend(grouped(p.get("dev-dependencies")));
        }
        edges.entry(key.clone()).or_default().extend(deps);
        comps.insert(key, c);
    }
    // Dependencies name packages, not versions: a name locked at several versions (resolution
    // forks by marker) links to each of them.
    let expand = |names_list: Vec<String>| -> Vec<String> {
        names_list
            .iter()
            .flat_map(|n| names.get(n).cloned().unwrap_or_default())
            .collect()
    };
    let edges: BTreeMap<String, BTreeSet<String>> = edges
        .into_iter()
        .map(|(k, v)| (k, expand(v.into_iter().collect()).into_iter().collect()))
        .collect();
    let (prod, dev) = (expand(prod), expand(dev));
    let scopes = reach_scopes(prod.clone(), dev.clone(), &edges);
    let purls: BTreeMap<String, String> =
        comps.iter().map(|(k, c)| (k.clone(), c.purl())).collect();
    Ok(comps
        .into_iter()
        .map(|(k, mut c)| {
            if let Some(s) = scopes.get(&k) {
                c.scope = *s;
            }
            c.direct = Some(prod.contains(&k) || dev.contains(&k));
            c.dependencies.extend(
                edges
                    .get(&k)
                    .into_iter()
                    .flatten()
                    .filter_map(|d| purls.get(d).cloned()),
            );
            c
        })
        .collect())
}
