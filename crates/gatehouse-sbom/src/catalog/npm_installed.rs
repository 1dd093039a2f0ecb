//! Installed npm packages: `node_modules/[@scope/]name/package.json` (read from images only;
//! directory walks do not enter `node_modules`). The manifest gives name, version and
//! licence; nothing about scope or how the package was reached.

use serde_json::Value;

use super::Sibling;
use crate::error::CatalogError;
use crate::model::{Component, Ecosystem};
use crate::purl::npm_name;

/// `…/node_modules/name/package.json` or `…/node_modules/@scope/name/package.json`.
pub fn matches(path: &str) -> bool {
    let Some(rest) = path.strip_suffix("/package.json") else {
        return false;
    };
    let Some((before, pkg)) = rest.rsplit_once("node_modules/") else {
        return false;
    };
    (before.is_empty() || before.ends_with('/'))
        && match pkg.split_once('/') {
            Some((scope, name)) => {
                scope.starts_with('@') && !name.is_empty() && !name.contains('/')
            }
            None => !pkg.is_empty(),
        }
}

/// Parses an installed package's package.json.
pub fn parse(path: &str, bytes: &[u8], _: Sibling<'_>) -> Result<Vec<Component>, CatalogError> {
    let text = super::text(path, bytes)?;
    let doc: Value = serde_json::from_str(text).map_err(|e| CatalogError::json(path, &e))?;
    let (Some(name), Some(version)) = (
        doc.get("name").and_then(Value::as_str),
        doc.get("version").and_then(Value::as_str),
    ) else {
        return Ok(Vec::new()); // fixtures and stubs inside packages have no name/version
    };
    let (ns, base) = npm_name(name);
    let mut c = Component::new(Ecosystem::Npm, base, version).with_namespace(ns);
    match doc.get("license") {
        Some(Value::String(l)) => {
            c.licenses.insert(l.clone());
        }
        Some(Value::Object(o)) => {
            if let Some(l) = o.get("type").and_then(Value::as_str) {
                c.licenses.insert(l.to_owned());
            }
        }
        _ => {}
    }
    Ok(vec![c])
}
