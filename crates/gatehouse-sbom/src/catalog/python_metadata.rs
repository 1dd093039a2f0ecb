//! Installed Python distributions: `*.dist-info/METADATA` and `*.egg-info/PKG-INFO` (email
//! header format). Licence from `License-Expression`, else `License`, else the
//! `License :: OSI Approved :: …` classifiers (as free text). Dependency names are recorded
//! as `gatehouse:requires-dist`; edges need the whole site-packages and are not drawn here.

use super::Sibling;
use crate::error::CatalogError;
use crate::model::{Component, Ecosystem};

/// Whether `path` is a distribution metadata file.
pub fn matches(path: &str) -> bool {
    path.ends_with(".dist-info/METADATA") || path.ends_with(".egg-info/PKG-INFO")
}

/// Parses a METADATA / PKG-INFO file.
pub fn parse(path: &str, bytes: &[u8], _: Sibling<'_>) -> Result<Vec<Component>, CatalogError> {
    let text = String::from_utf8_lossy(bytes);
    let mut fields: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        if line.is_empty() {
            break; // the body (long description) starts here
        }
        if line.starts_with([' ', '\t']) {
            if let Some((_, v)) = fields.last_mut() {
                v.push(' ');
                v.push_str(line.trim());
            }
            continue;
        }
        if let Some((k, v)) = line.split_once(':') {
            fields.push((k.trim().to_owned(), v.trim().to_owned()));
        }
    }
    let get = |k: &str| {
        fields
            .iter()
            .find(|(f, _)| f.eq_ignore_ascii_case(k))
            .map(|(_, v)| v.clone())
    };
    let (Some(name), Some(version)) = (get("Name"), get("Version")) else {
        return Err(CatalogError::new(
            path,
            "no `Name:` or `Version:` header; is this a dist-info METADATA file?",
        ));
    };
    let mut c = Component::new(Ecosystem::Pypi, name, version);
    if let Some(l) = get("License-Expression")
        .or_else(|| get("License").filter(|l| !l.is_empty() && l != "UNKNOWN" && l.len() < 100))
    {
        c.licenses.insert(l);
    } else {
        for (_, v) in fields.iter().filter(|(k, _)| k == "Classifier") {
            if let Some(l) = v
                .strip_prefix("License :: OSI Approved :: ")
                .or_else(|| v.strip_prefix("License :: "))
            {
                c.licenses.insert(l.to_owned());
            }
        }
    }
    let requires: Vec<String> = fields
        .iter()
        .filter(|(k, v)| k == "Requires-Dist" && !v.contains("extra =="))
        .filter_map(|(_, v)| {
            v.split([' ', ';', '(', '[', '<', '>', '=', '!', '~'])
                .next()
                .map(super::pep503)
        })
        .collect();
    if !requires.is_empty() {
        c.properties
            .insert("gatehouse:requires-dist".into(), requires.join(","));
    }
    Ok(vec![c])
}
