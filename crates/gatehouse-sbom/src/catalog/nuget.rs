//! NuGet `packages.lock.json`: per target framework, `Direct`, `Transitive` and
//! `CentralTransitive` packages (`Project` references are the solution's own code and
//! skipped); `contentHash` is the SHA-512 of the `.nupkg`; edges from `dependencies`.

use std::collections::BTreeMap;

use serde_json::Value;

use super::Sibling;
use crate::error::CatalogError;
use crate::model::{Component, Ecosystem, Hash, HashAlg};

/// Parses a packages.lock.json.
pub fn parse(path: &str, bytes: &[u8], _: Sibling<'_>) -> Result<Vec<Component>, CatalogError> {
    use base64::Engine as _;
    let text = super::text(path, bytes)?;
    let doc: Value = serde_json::from_str(text).map_err(|e| CatalogError::json(path, &e))?;
    let mut out = Vec::new();
    for (tfm, pkgs) in doc
        .get("dependencies")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let Some(pkgs) = pkgs.as_object() else {
            continue;
        };
        let mut comps: Vec<(Component, Vec<String>)> = Vec::new();
        for (name, p) in pkgs {
            let ty = p.get("type").and_then(Value::as_str).unwrap_or_default();
            if ty == "Project" {
                continue;
            }
            let Some(version) = p.get("resolved").and_then(Value::as_str) else {
                return Err(CatalogError::new(
                    path,
                    format!("`{tfm}` › `{name}` has no `resolved` version"),
                ));
            };
            let mut c = Component::new(Ecosystem::Nuget, name, version);
            c.direct = Some(ty == "Direct");
            if let Some(h) = p.get("contentHash").and_then(Value::as_str) {
                if let Some(h) = base64::engine::general_purpose::STANDARD
                    .decode(h)
                    .ok()
                    .and_then(|b| Hash::bytes(HashAlg::Sha512, &b))
                {
                    c.hashes.insert(h);
                }
            }
            c.properties
                .insert(format!("gatehouse:nuget:tfm:{tfm}"), ty.to_owned());
            let deps = p
                .get("dependencies")
                .and_then(Value::as_object)
                .map(|m| m.keys().map(|k| k.to_ascii_lowercase()).collect())
                .unwrap_or_default();
            comps.push((c, deps));
        }
        let by_name: BTreeMap<String, String> = comps
            .iter()
            .map(|(c, _)| (c.name.to_ascii_lowercase(), c.purl()))
            .collect();
        for (mut c, deps) in comps {
            c.dependencies
                .extend(deps.iter().filter_map(|d| by_name.get(d).cloned()));
            out.push(c);
        }
    }
    Ok(out)
}
