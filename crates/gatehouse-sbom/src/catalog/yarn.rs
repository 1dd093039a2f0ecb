//! `yarn.lock`: the v1 custom format and berry (v2+, YAML with `__metadata`).
//!
//! Each entry lists the descriptors (`name@range`) it satisfies; dependency edges resolve a
//! `name` + `range` to the entry listing that descriptor. Berry `workspace:`/`link:`/`portal:`
//! entries are the project's own code and skipped; `patch:` entries resolve to the same
//! name@version as the package they patch. The lockfile records neither directness nor dev
//! scope: with a `package.json` beside it, its `dependencies` / `devDependencies` mark direct
//! packages and scopes follow by reachability.

use std::collections::{BTreeMap, BTreeSet};

use yaml_rust2::{Yaml, YamlLoader};

use super::{Sibling, reach_scopes};
use crate::error::CatalogError;
use crate::model::{Component, Ecosystem, Hash};
use crate::purl::npm_name;

struct Entry {
    line: usize,
    descriptors: Vec<String>,
    name: String,
    version: String,
    integrity: Option<String>,
    resolved: Option<String>,
    deps: Vec<(String, String)>,
    skip: bool,
}

/// Parses a yarn.lock (v1 or berry).
pub fn parse(
    path: &str,
    bytes: &[u8],
    sibling: Sibling<'_>,
) -> Result<Vec<Component>, CatalogError> {
    let text = super::text(path, bytes)?;
    let berry = text.lines().any(|l| l.starts_with("__metadata:"));
    let entries = if berry {
        parse_berry(path, text)?
    } else {
        parse_v1(path, text)?
    };
    Ok(build(entries, berry, sibling))
}

/// Splits `name@range` at the `@` that ends the (possibly scoped) name.
fn split_descriptor(d: &str) -> Option<(&str, &str)> {
    let from = usize::from(d.starts_with('@'));
    let at = d.get(from..)?.find('@')? + from;
    Some((d.get(..at)?, d.get(at + 1..)?))
}

fn unquote(s: &str) -> &str {
    let s = s.trim();
    s.strip_prefix('"')
        .and_then(|x| x.strip_suffix('"'))
        .unwrap_or(s)
}

fn parse_v1(path: &str, text: &str) -> Result<Vec<Entry>, CatalogError> {
    let mut entries: Vec<Entry> = Vec::new();
    let mut in_deps = false;
    for (i, raw) in text.lines().enumerate() {
        let lineno = i + 1;
        if raw.trim().is_empty() || raw.trim_start().starts_with('#') {
            continue;
        }
        let indent = raw.len() - raw.trim_start().len();
        let line = raw.trim();
        if indent == 0 {
            let Some(head) = line.strip_suffix(':') else {
                return Err(CatalogError::at_line(
                    path,
                    lineno,
                    "expected `descriptor, …:` starting an entry; is this a yarn v1 lockfile?",
                ));
            };
            let descriptors: Vec<String> =
                head.split(", ").map(|d| unquote(d).to_owned()).collect();
            let name = descriptors
                .first()
                .and_then(|d| split_descriptor(d))
                .map(|(n, _)| n.to_owned())
                .ok_or_else(|| {
                    CatalogError::at_line(
                        path,
                        lineno,
                        format!("cannot read a package name from `{head}`"),
                    )
                })?;
            entries.push(Entry {
                line: lineno,
                descriptors,
                name,
                version: String::new(),
                integrity: None,
                resolved: None,
                deps: Vec::new(),
                skip: false,
            });
            in_deps = false;
            continue;
        }
        let Some(entry) = entries.last_mut() else {
            return Err(CatalogError::at_line(
                path,
                lineno,
                "indented line before any entry",
            ));
        };
        if indent <= 2 {
            in_deps = line.ends_with(':');
            if in_deps {
                continue;
            }
            let (key, value) = line.split_once(' ').unwrap_or((line, ""));
            let value = unquote(value).to_owned();
            match key {
                "version" => entry.version = value,
                "resolved" => entry.resolved = Some(value),
                "integrity" => entry.integrity = Some(value),
                _ => {}
            }
        } else if in_deps {
            let (k, v) = line.split_once(' ').unwrap_or((line, ""));
            entry
                .deps
                .push((unquote(k).to_owned(), unquote(v).to_owned()));
        }
    }
    if let Some(e) = entries.iter().find(|e| e.version.is_empty()) {
        return Err(CatalogError::at_line(
            path,
            e.line,
            format!("entry `{}` has no `version`", e.name),
        ));
    }
    Ok(entries)
}

fn parse_berry(path: &str, text: &str) -> Result<Vec<Entry>, CatalogError> {
    let docs = YamlLoader::load_from_str(text).map_err(|e| CatalogError::yaml(path, text, &e))?;
    let Some(Yaml::Hash(map)) = docs.into_iter().next() else {
        return Err(CatalogError::new(
            path,
            "expected a YAML mapping; is this a yarn berry lockfile?",
        ));
    };
    let mut entries = Vec::new();
    for (k, v) in map {
        let Some(key) = k.as_str() else { continue };
        if key == "__metadata" {
            continue;
        }
        let get = |f: &str| v[f].as_str().map(str::to_owned);
        let resolution = get("resolution").unwrap_or_default();
        let Some((name, reference)) = split_descriptor(&resolution) else {
            return Err(CatalogError::new(
                path,
                format!("entry `{key}` has no `resolution`"),
            ));
        };
        let protocol = reference.split(':').next().unwrap_or_default();
        let skip = matches!(protocol, "workspace" | "link" | "portal")
            || get("linkType").as_deref() == Some("soft");
        let mut deps = Vec::new();
        for field in ["dependencies", "optionalDependencies", "peerDependencies"] {
            if let Yaml::Hash(d) = &v[field] {
                for (dk, dv) in d {
                    let range = match dv {
                        Yaml::String(s) => s.clone(),
                        Yaml::Integer(i) => i.to_string(),
                        Yaml::Real(r) => r.clone(),
                        _ => continue,
                    };
                    if let Some(n) = dk.as_str() {
                        deps.push((n.to_owned(), range));
                    }
                }
            }
        }
        let version = match &v["version"] {
            Yaml::String(s) => s.clone(),
            Yaml::Real(r) => r.clone(),
            Yaml::Integer(i) => i.to_string(),
            _ => String::new(),
        };
        entries.push(Entry {
            line: 0,
            descriptors: key.split(", ").map(|d| unquote(d).to_owned()).collect(),
            name: name.to_owned(),
            version,
            integrity: None,
            resolved: Some(resolution.clone()),
            deps,
            skip,
        });
    }
    Ok(entries)
}

fn build(entries: Vec<Entry>, berry: bool, sibling: Sibling<'_>) -> Vec<Component> {
    let mut by_descriptor: BTreeMap<String, String> = BTreeMap::new();
    let mut comps: BTreeMap<String, Component> = BTreeMap::new();
    let mut raw_edges: Vec<(String, String, String)> = Vec::new();
    // Berry records each workspace's dependencies (dev ones included) on its entry.
    let mut workspace_deps: Vec<(String, String)> = Vec::new();
    for e in entries {
        if e.resolved
            .as_deref()
            .is_some_and(|r| r.contains("@workspace:"))
        {
            workspace_deps.extend(e.deps);
            continue;
        }
        if e.skip || e.version.is_empty() {
            continue;
        }
        let (ns, base) = npm_name(&e.name);
        let mut c = Component::new(Ecosystem::Npm, base, e.version).with_namespace(ns);
        if let Some(i) = &e.integrity {
            c.hashes.extend(Hash::sri(i));
        } else if let Some(sha1) = e
            .resolved
            .as_deref()
            .and_then(|r| r.rsplit_once('#'))
            .filter(|(url, _)| url.ends_with(".tgz"))
        {
            // Old v1 entries: no `integrity`, the tarball's SHA-1 after `#` in `resolved` (a git
            // URL's `#` is a commit, not a digest of a tarball).
            c.hashes
                .extend(crate::model::Hash::hex(crate::model::HashAlg::Sha1, sha1.1));
        }
        if let Some(r) = e.resolved.filter(|r| r.starts_with("http")) {
            c.properties.insert("gatehouse:resolved".into(), r);
        }
        let purl = c.purl();
        for d in e.descriptors {
            by_descriptor.insert(d, purl.clone());
        }
        for (n, r) in e.deps {
            raw_edges.push((purl.clone(), n, r));
        }
        comps
            .entry(purl)
            .and_modify(|x| x.merge(c.clone()))
            .or_insert(c);
    }
    let lookup = |name: &str, range: &str| -> Option<String> {
        by_descriptor
            .get(&format!("{name}@{range}"))
            .cloned()
            .or_else(|| {
                (berry && !range.contains(':'))
                    .then(|| by_descriptor.get(&format!("{name}@npm:{range}")).cloned())
                    .flatten()
            })
    };
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (from, n, r) in raw_edges {
        if let Some(to) = lookup(&n, &r) {
            edges.entry(from).or_default().insert(to);
        }
    }
    for (purl, c) in &mut comps {
        if let Some(e) = edges.get(purl) {
            c.dependencies.extend(e.iter().cloned());
        }
    }
    let workspace_direct: BTreeSet<String> = workspace_deps
        .iter()
        .filter_map(|(n, r)| lookup(n, r))
        .collect();
    if !workspace_direct.is_empty() {
        for (purl, c) in &mut comps {
            c.direct = Some(workspace_direct.contains(purl));
        }
    }
    if let Some(manifest) =
        sibling("package.json").and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
    {
        let roots = |field: &str| -> Vec<String> {
            manifest
                .get(field)
                .and_then(serde_json::Value::as_object)
                .into_iter()
                .flatten()
                .filter_map(|(n, r)| lookup(n, r.as_str()?))
                .collect()
        };
        let prod: Vec<String> = [
            roots("dependencies"),
            roots("optionalDependencies"),
            roots("peerDependencies"),
        ]
        .concat();
        let dev = roots("devDependencies");
        let scopes = reach_scopes(prod.clone(), dev.clone(), &edges);
        for (purl, c) in &mut comps {
            c.direct =
                Some(prod.contains(purl) || dev.contains(purl) || workspace_direct.contains(purl));
            if let Some(s) = scopes.get(purl) {
                c.scope = *s;
            }
        }
    }
    comps.into_values().collect()
}
