//! `Gemfile.lock` (Bundler 1–4): specs under `GEM`, `GIT` and `PATH`; platform gems
//! (`nokogiri (1.19.4-x86_64-linux-gnu)`) are separate components with a `platform`
//! qualifier; `DEPENDENCIES` marks direct gems; Bundler 4's `CHECKSUMS` section gives SHA-256
//! hashes; edges from the 6-space-indented dependency lines under each spec.

use std::collections::{BTreeMap, BTreeSet};

use super::Sibling;
use crate::error::CatalogError;
use crate::model::{Component, Ecosystem, Hash};

/// `name (version[-platform])` → (name, version, platform).
fn spec(line: &str) -> Option<(&str, &str, Option<&str>)> {
    let (name, rest) = line.trim().split_once(" (")?;
    let inner = rest.strip_suffix(')')?;
    match inner.split_once('-') {
        Some((v, p)) => Some((name, v, Some(p))),
        None => Some((name, inner, None)),
    }
}

/// Parses a Gemfile.lock.
pub fn parse(path: &str, bytes: &[u8], _: Sibling<'_>) -> Result<Vec<Component>, CatalogError> {
    let text = super::text(path, bytes)?;
    let mut section = "";
    let mut in_specs = false;
    let mut comps: Vec<Component> = Vec::new();
    let mut deps_of: Vec<Vec<String>> = Vec::new();
    let mut direct: BTreeSet<String> = BTreeSet::new();
    let mut sums: BTreeMap<String, Hash> = BTreeMap::new();
    for (i, raw) in text.lines().enumerate() {
        if raw.trim().is_empty() {
            continue;
        }
        let indent = raw.len() - raw.trim_start().len();
        if indent == 0 {
            section = raw.trim();
            in_specs = false;
            continue;
        }
        match section {
            "GEM" | "GIT" | "PATH" => {
                if indent == 2 {
                    in_specs = raw.trim() == "specs:";
                } else if in_specs && indent == 4 {
                    let Some((name, version, platform)) = spec(raw) else {
                        return Err(CatalogError::at_line(
                            path,
                            i + 1,
                            format!("expected `name (version)`, found `{}`", raw.trim()),
                        ));
                    };
                    let mut c = Component::new(Ecosystem::Gem, name, version);
                    if let Some(p) = platform {
                        c.qualifiers.insert("platform".into(), p.to_owned());
                    }
                    c.properties
                        .insert("gatehouse:source".into(), section.to_ascii_lowercase());
                    c.direct = Some(false);
                    comps.push(c);
                    deps_of.push(Vec::new());
                } else if in_specs && indent == 6 {
                    if let Some(d) = deps_of.last_mut() {
                        d.push(raw.trim().split(' ').next().unwrap_or_default().to_owned());
                    }
                }
            }
            "DEPENDENCIES" => {
                let name = raw.trim().split([' ', '!']).next().unwrap_or_default();
                direct.insert(name.to_owned());
            }
            "CHECKSUMS" => {
                let line = raw.trim();
                if let Some((key, hash)) = line.rsplit_once(") ") {
                    if let Some(h) = hash.split(',').find_map(Hash::prefixed) {
                        sums.insert(format!("{key})"), h);
                    }
                }
            }
            _ => {}
        }
    }
    let mut by_name: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for c in &comps {
        by_name.entry(c.name.clone()).or_default().push(c.purl());
    }
    for (c, deps) in comps.iter_mut().zip(deps_of) {
        let key = match c.qualifiers.get("platform") {
            Some(p) => format!("{} ({}-{p})", c.name, c.version),
            None => format!("{} ({})", c.name, c.version),
        };
        if let Some(h) = sums.get(&key) {
            c.hashes.insert(h.clone());
        }
        c.direct = Some(direct.contains(&c.name));
        for d in deps {
            c.dependencies
                .extend(by_name.get(&d).into_iter().flatten().cloned());
        }
    }
    Ok(comps)
}
