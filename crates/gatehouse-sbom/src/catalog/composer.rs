//! `composer.lock`: `packages` (runtime) and `packages-dev` (dev), licences, `dist.shasum`
//! (SHA-1 when present), edges from `require` (platform requirements `php`, `ext-*` skipped).

use std::collections::BTreeMap;

use serde_json::Value;

use super::Sibling;
use crate::error::CatalogError;
use crate::model::{Component, Ecosystem, Hash, HashAlg, Scope};

/// Parses a composer.lock.
pub fn parse(path: &str, bytes: &[u8], _: Sibling<'_>) -> Result<Vec<Component>, CatalogError> {
    let text = super::text(path, bytes)?;
    let doc: Value = serde_json::from_str(text).map_err(|e| CatalogError::json(path, &e))?;
    let mut comps = Vec::new();
    let mut reqs = Vec::new();
    for (section, scope) in [("packages", Scope::Required), ("packages-dev", Scope::Dev)] {
        for p in doc
            .get(section)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let get = |k: &str| p.get(k).and_then(Value::as_str);
            let (Some(full), Some(version)) = (get("name"), get("version")) else {
                return Err(CatalogError::new(
                    path,
                    format!("an entry in `{section}` has no name or version"),
                ));
            };
            let (ns, name) = match full.split_once('/') {
                Some((v, n)) => (Some(v.to_owned()), n.to_owned()),
                None => (None, full.to_owned()),
            };
            let mut c = Component::new(Ecosystem::Composer, name, version).with_namespace(ns);
            c.scope = scope;
            for l in p
                .get("license")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
            {
                c.licenses.insert(l.to_owned());
            }
            if let Some(h) = p
                .pointer("/dist/shasum")
                .and_then(Value::as_str)
                .and_then(|s| Hash::hex(HashAlg::Sha1, s))
            {
                c.hashes.insert(h);
            }
            if let Some(u) = p.pointer("/dist/url").and_then(Value::as_str) {
                c.properties
                    .insert("gatehouse:resolved".into(), u.to_owned());
            }
            let r: Vec<String> = p
                .get("require")
                .and_then(Value::as_object)
                .map(|m| m.keys().map(|k| k.to_ascii_lowercase()).collect())
                .unwrap_or_default();
            comps.push(c);
            reqs.push(r);
        }
    }
    let by_name: BTreeMap<String, String> = comps
        .iter()
        .map(|c| (c.full_name().to_ascii_lowercase(), c.purl()))
        .collect();
    for (c, r) in comps.iter_mut().zip(reqs) {
        c.dependencies
            .extend(r.iter().filter_map(|n| by_name.get(n).cloned()));
    }
    Ok(comps)
}
