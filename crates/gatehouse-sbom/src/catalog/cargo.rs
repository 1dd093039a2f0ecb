//! `Cargo.lock`, v1–v4.
//!
//! Every `[[package]]` is a component, the workspace's own crates (no `source`) included and
//! marked `gatehouse:source = local`. The file records no dev/prod split, so scope stays
//! unknown; direct = a dependency of a local crate. `checksum` (v2+) or v1's `[metadata]`
//! checksum lines give the SHA-256 of the `.crate`. Edges: `dependencies` entries are `name`,
//! `name version` or `name version (source)`.

use std::collections::BTreeMap;

use toml::{Table, Value};

use super::Sibling;
use crate::error::CatalogError;
use crate::model::{Component, Ecosystem, Hash, HashAlg};

/// Parses a Cargo.lock.
pub fn parse(path: &str, bytes: &[u8], _: Sibling<'_>) -> Result<Vec<Component>, CatalogError> {
    let text = super::text(path, bytes)?;
    let doc: Table = toml::from_str(text).map_err(|e| CatalogError::toml(path, text, &e))?;
    let packages = doc
        .get("package")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let v1_sums: BTreeMap<String, String> = doc
        .get("metadata")
        .and_then(Value::as_table)
        .into_iter()
        .flatten()
        .filter_map(|(k, v)| {
            Some((
                k.strip_prefix("checksum ")?.to_owned(),
                v.as_str()?.to_owned(),
            ))
        })
        .collect();
    let mut comps: Vec<(Component, Vec<String>, bool)> = Vec::new();
    for (i, p) in packages.iter().enumerate() {
        let get = |k: &str| p.get(k).and_then(Value::as_str);
        let (Some(name), Some(version)) = (get("name"), get("version")) else {
            return Err(CatalogError::new(
                path,
                format!("[[package]] number {} has no name or version", i + 1),
            ));
        };
        let mut c = Component::new(Ecosystem::Cargo, name, version);
        let local = get("source").is_none();
        match get("source") {
            Some(src) => {
                c.properties
                    .insert("gatehouse:source".into(), src.to_owned());
                let sum = get("checksum")
                    .map(str::to_owned)
                    .or_else(|| v1_sums.get(&format!("{name} {version} ({src})")).cloned());
                if let Some(h) = sum.and_then(|s| Hash::hex(HashAlg::Sha256, &s)) {
                    c.hashes.insert(h);
                }
            }
            None => {
                c.properties
                    .insert("gatehouse:source".into(), "local".into());
            }
        }
        let deps: Vec<String> = p
            .get("dependencies")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect();
        comps.push((c, deps, local));
    }
    // name → versions → purl
    let mut by_name: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for (c, _, _) in &comps {
        by_name
            .entry(c.name.clone())
            .or_default()
            .push((c.version.clone(), c.purl()));
    }
    let resolve = |dep: &str| -> Option<String> {
        let mut parts = dep.split(' ');
        let name = parts.next()?;
        let candidates = by_name.get(name)?;
        match parts.next() {
            Some(v) => candidates
                .iter()
                .find(|(ver, _)| ver == v)
                .map(|(_, p)| p.clone()),
            None => candidates.first().map(|(_, p)| p.clone()),
        }
    };
    let mut direct: Vec<String> = Vec::new();
    let mut out = Vec::with_capacity(comps.len());
    for (mut c, deps, local) in comps {
        for d in &deps {
            if let Some(p) = resolve(d) {
                if local {
                    direct.push(p.clone());
                }
                c.dependencies.insert(p);
            }
        }
        out.push(c);
    }
    for c in &mut out {
        c.direct = Some(direct.contains(&c.purl()));
    }
    Ok(out)
}
