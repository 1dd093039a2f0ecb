//! `pnpm-lock.yaml`, lockfileVersion 5.x, 6.x and 9.x.
//!
//! Package keys: v5 `/name/1.2.3_peer@x`, v6 `/name@1.2.3(peer@x)`, v9 `name@1.2.3` (with the
//! dependency graph under `snapshots`, keyed like v6 without the slash). Peer suffixes are
//! stripped for the version; packages resolved from tarballs or git carry `name`/`version`
//! fields, which win. Direct dependencies come from `importers` (or the top-level
//! `dependencies`/`devDependencies` of single-project v5/v6 files); scope follows by
//! reachability, with v5/v6's `dev:` flag used when the graph says nothing.

use std::collections::{BTreeMap, BTreeSet};

use yaml_rust2::{Yaml, YamlLoader};

use super::{Sibling, reach_scopes};
use crate::error::CatalogError;
use crate::model::{Component, Ecosystem, Hash, Scope};
use crate::purl::npm_name;

fn yaml_str(y: &Yaml) -> Option<String> {
    match y {
        Yaml::String(s) | Yaml::Real(s) => Some(s.clone()),
        Yaml::Integer(i) => Some(i.to_string()),
        _ => None,
    }
}

/// Parses a pnpm-lock.yaml.
pub fn parse(path: &str, bytes: &[u8], _: Sibling<'_>) -> Result<Vec<Component>, CatalogError> {
    let text = super::text(path, bytes)?;
    let docs = YamlLoader::load_from_str(text).map_err(|e| CatalogError::yaml(path, text, &e))?;
    let Some(doc) = docs.into_iter().next() else {
        return Ok(Vec::new());
    };
    if doc.as_hash().is_none() {
        return Err(CatalogError::new(
            path,
            "expected a YAML mapping; is this a pnpm-lock.yaml?",
        ));
    }
    let version_text = yaml_str(&doc["lockfileVersion"]).unwrap_or_default();
    let major: u32 = version_text
        .split('.')
        .next()
        .and_then(|m| m.parse().ok())
        .unwrap_or(0);
    let slash_keys = major < 6;
    let Some(packages) = doc["packages"].as_hash() else {
        return Ok(Vec::new());
    };

    let mut comps: BTreeMap<String, Component> = BTreeMap::new(); // key (no peers) → component
    let mut dev_flags: BTreeMap<String, bool> = BTreeMap::new();
    for (k, v) in packages {
        let Some(key) = k.as_str() else { continue };
        let Some((name, version)) = split_key(key, slash_keys) else {
            return Err(CatalogError::new(
                path,
                format!("package key `{key}` is not `name@version`"),
            ));
        };
        let name = v["name"].as_str().map_or(name, str::to_owned);
        let version = yaml_str(&v["version"]).unwrap_or(version);
        let (ns, base) = npm_name(&name);
        let mut c = Component::new(Ecosystem::Npm, base, version).with_namespace(ns);
        if let Some(i) = v["resolution"]["integrity"].as_str() {
            c.hashes.extend(Hash::sri(i));
        }
        if let Some(t) = v["resolution"]["tarball"].as_str() {
            c.properties
                .insert("gatehouse:resolved".into(), t.to_owned());
        }
        if v["optional"].as_bool() == Some(true) {
            c.scope = Scope::Optional;
        }
        if let Some(d) = v["dev"].as_bool() {
            dev_flags.insert(node_id(key), d);
        }
        comps.insert(node_id(key), c);
    }
    // Graph: v9 keeps dependencies under `snapshots`, older versions under `packages`.
    let graph_src = doc["snapshots"].as_hash().unwrap_or(packages);
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut node_to_pkg: BTreeMap<String, String> = BTreeMap::new();
    for (k, v) in graph_src {
        let Some(key) = k.as_str() else { continue };
        let node = node_id(key);
        node_to_pkg.insert(node.clone(), pkg_id(key, slash_keys));
        for field in ["dependencies", "optionalDependencies"] {
            for (dn, dv) in v[field].as_hash().into_iter().flatten() {
                if let (Some(n), Some(r)) = (dn.as_str(), yaml_str(dv)) {
                    if let Some(target) = reference(n, &r, slash_keys, major) {
                        edges.entry(node.clone()).or_default().insert(target);
                    }
                }
            }
        }
    }
    // Importers: v5.3+/v6/v9 multi-project, or top-level for single-project files.
    let mut prod_roots = Vec::new();
    let mut dev_roots = Vec::new();
    let mut collect = |importer: &Yaml| {
        for (field, dev) in [
            ("dependencies", false),
            ("optionalDependencies", false),
            ("devDependencies", true),
        ] {
            for (dn, dv) in importer[field].as_hash().into_iter().flatten() {
                let r = match dv {
                    Yaml::Hash(_) => yaml_str(&dv["version"]),
                    other => yaml_str(other),
                };
                if let (Some(n), Some(r)) = (dn.as_str(), r) {
                    if let Some(t) = reference(n, &r, slash_keys, major) {
                        if dev {
                            dev_roots.push(t)
                        } else {
                            prod_roots.push(t)
                        }
                    }
                }
            }
        }
    };
    match doc["importers"].as_hash() {
        Some(importers) => importers.values().for_each(&mut collect),
        None => collect(&doc),
    }
    let scopes = reach_scopes(prod_roots.clone(), dev_roots.clone(), &edges);
    let direct: BTreeSet<String> = prod_roots
        .iter()
        .chain(&dev_roots)
        .map(|n| pkg_of(&node_to_pkg, n))
        .collect();
    let purls: BTreeMap<String, String> =
        comps.iter().map(|(k, c)| (k.clone(), c.purl())).collect();
    // Fold node-level facts (peer variants) onto packages.
    let mut pkg_scope: BTreeMap<String, Scope> = BTreeMap::new();
    for (node, s) in &scopes {
        let p = pkg_of(&node_to_pkg, node);
        let e = pkg_scope.entry(p).or_insert(*s);
        *e = e.merge(*s);
    }
    let mut pkg_edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (from, tos) in &edges {
        let f = pkg_of(&node_to_pkg, from);
        for t in tos {
            if let Some(p) = purls.get(&pkg_of(&node_to_pkg, t)) {
                pkg_edges.entry(f.clone()).or_default().insert(p.clone());
            }
        }
    }
    let mut out = Vec::with_capacity(comps.len());
    for (key, mut c) in comps {
        let pkg = pkg_of(&node_to_pkg, &key);
        if let Some(s) = pkg_scope.get(&pkg).or_else(|| pkg_scope.get(&key)) {
            if c.scope != Scope::Optional || *s == Scope::Dev {
                c.scope = *s;
            }
        } else if let Some(d) = dev_flags.get(&key) {
            c.scope = if *d { Scope::Dev } else { Scope::Required };
        }
        c.direct = Some(direct.contains(&pkg) || direct.contains(&key));
        if let Some(e) = pkg_edges.get(&pkg) {
            c.dependencies.extend(e.iter().cloned());
        }
        out.push(c);
    }
    Ok(out)
}

/// Node id: the key without a leading `/`.
fn node_id(key: &str) -> String {
    key.strip_prefix('/').unwrap_or(key).to_owned()
}

/// Package id: the node id without the peer suffix.
fn pkg_id(key: &str, slash_keys: bool) -> String {
    let k = node_id(key);
    let k = k.split('(').next().unwrap_or(&k).to_owned();
    if slash_keys {
        // v5: `name/1.2.3_peer@1` → cut at the first `_` after the version's slash.
        if let Some(slash) = k.rfind('/') {
            if let Some(us) = k.get(slash..).and_then(|t| t.find('_')) {
                return k.get(..slash + us).unwrap_or(&k).to_owned();
            }
        }
    }
    k
}

fn pkg_of(map: &BTreeMap<String, String>, node: &str) -> String {
    map.get(node)
        .cloned()
        .unwrap_or_else(|| node.split('(').next().unwrap_or(node).to_owned())
}

/// (name, version) from a package key.
fn split_key(key: &str, slash_keys: bool) -> Option<(String, String)> {
    let id = pkg_id(key, slash_keys);
    if slash_keys {
        // Registry keys may be `registry.example.com/name/1.0.0`; the last two (three with a
        // scope) segments are name and version.
        let (rest, version) = id.rsplit_once('/')?;
        let name = match rest.rsplit_once('/') {
            Some((pre, last)) => match pre.rsplit('/').next() {
                Some(scope) if scope.starts_with('@') => format!("{scope}/{last}"),
                _ => last.to_owned(),
            },
            None => rest.to_owned(),
        };
        Some((name, version.to_owned()))
    } else {
        let from = usize::from(id.starts_with('@'));
        let at = id.get(from..)?.find('@')? + from;
        Some((id.get(..at)?.to_owned(), id.get(at + 1..)?.to_owned()))
    }
}

/// The node id a dependency reference points to: `1.2.3(peer)` → `name@1.2.3(peer)`; a
/// reference that is itself a key (`/other@1.0.0`, aliases) is used as is; `link:` is not a
/// package.
fn reference(name: &str, r: &str, slash_keys: bool, major: u32) -> Option<String> {
    if r.starts_with("link:") || r.starts_with("file:") && major < 9 && !r.contains('@') {
        return None;
    }
    if let Some(k) = r.strip_prefix('/') {
        return Some(k.to_owned());
    }
    if slash_keys {
        if r.contains('/') {
            return Some(r.to_owned());
        }
        return Some(format!("{name}/{r}"));
    }
    // v9 aliases: `npm:real@1.0.0` is not written; `real@1.0.0` is (a key by itself).
    let from = usize::from(r.starts_with('@'));
    if r.get(from..)
        .is_some_and(|t| t.split('(').next().is_some_and(|h| h.contains('@')))
    {
        return Some(r.to_owned());
    }
    Some(format!("{name}@{r}"))
}
