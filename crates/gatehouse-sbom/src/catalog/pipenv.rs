//! `Pipfile.lock`: `default` (runtime) and `develop` (dev) sections, `==` pins, `sha256:`
//! hashes. The lock records no edges and no directness.

use serde_json::Value;

use super::Sibling;
use crate::error::CatalogError;
use crate::model::{Component, Ecosystem, Hash, Scope};

/// Parses a Pipfile.lock.
pub fn parse(path: &str, bytes: &[u8], _: Sibling<'_>) -> Result<Vec<Component>, CatalogError> {
    let text = super::text(path, bytes)?;
    let doc: Value = serde_json::from_str(text).map_err(|e| CatalogError::json(path, &e))?;
    let mut out = Vec::new();
    for (section, scope) in [("default", Scope::Required), ("develop", Scope::Dev)] {
        for (name, v) in doc
            .get(section)
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let version = v.get("version").and_then(Value::as_str).unwrap_or_default();
            let version = version.trim_start_matches("===").trim_start_matches("==");
            let mut c = Component::new(Ecosystem::Pypi, name, version);
            c.scope = scope;
            for h in v
                .get("hashes")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if let Some(h) = h.as_str().and_then(Hash::prefixed) {
                    c.hashes.insert(h);
                }
            }
            if version.is_empty() {
                if let Some(git) = v.get("git").and_then(Value::as_str) {
                    c.properties
                        .insert("gatehouse:resolved".into(), git.to_owned());
                }
            }
            out.push(c);
        }
    }
    Ok(out)
}
