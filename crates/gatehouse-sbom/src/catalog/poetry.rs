//! `poetry.lock` (Poetry 1.x `category`, 2.x `groups`).
//!
//! Scope: `category = "dev"` or `groups` without `main` → dev; `optional = true` → optional.
//! Hashes: every distribution file's hash (`files`, or 1.x `[metadata.files]`). Edges from
//! `[package.dependencies]` by normalized name. Poetry does not record direct dependencies in
//! the lock (they are in pyproject.toml), so directness stays unknown.

use std::collections::BTreeMap;

use toml::{Table, Value};

use super::{Sibling, pep503};
use crate::error::CatalogError;
use crate::model::{Component, Ecosystem, Hash, Scope};

/// Parses a poetry.lock.
pub fn parse(path: &str, bytes: &[u8], _: Sibling<'_>) -> Result<Vec<Component>, CatalogError> {
    let text = super::text(path, bytes)?;
    let doc: Table = toml::from_str(text).map_err(|e| CatalogError::toml(path, text, &e))?;
    let packages = doc
        .get("package")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let legacy_files = doc
        .get("metadata")
        .and_then(|m| m.get("files"))
        .and_then(Value::as_table);
    let mut comps = Vec::new();
    let mut deps_of = Vec::new();
    for (i, p) in packages.iter().enumerate() {
        let get = |k: &str| p.get(k).and_then(Value::as_str);
        let (Some(name), Some(version)) = (get("name"), get("version")) else {
            return Err(CatalogError::new(
                path,
                format!("[[package]] number {} has no name or version", i + 1),
            ));
        };
        let mut c = Component::new(Ecosystem::Pypi, name, version);
        let groups: Vec<&str> = p
            .get("groups")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        c.scope = if get("category") == Some("dev")
            || (!groups.is_empty() && !groups.contains(&"main"))
        {
            Scope::Dev
        } else if p.get("optional").and_then(Value::as_bool) == Some(true) {
            Scope::Optional
        } else {
            Scope::Required
        };
        let files = p.get("files").and_then(Value::as_array).or_else(|| {
            legacy_files?
                .iter()
                .find(|(k, _)| pep503(k) == pep503(name))
                .and_then(|(_, v)| v.as_array())
        });
        for f in files.into_iter().flatten() {
            if let Some(h) = f
                .get("hash")
                .and_then(Value::as_str)
                .and_then(Hash::prefixed)
            {
                c.hashes.insert(h);
            }
        }
        let deps: Vec<String> = p
            .get("dependencies")
            .and_then(Value::as_table)
            .map(|t| t.keys().map(|k| pep503(k)).collect())
            .unwrap_or_default();
        comps.push(c);
        deps_of.push(deps);
    }
    let by_name: BTreeMap<String, String> =
        comps.iter().map(|c| (pep503(&c.name), c.purl())).collect();
    for (c, deps) in comps.iter_mut().zip(deps_of) {
        c.dependencies
            .extend(deps.iter().filter_map(|d| by_name.get(d).cloned()));
    }
    Ok(comps)
}
