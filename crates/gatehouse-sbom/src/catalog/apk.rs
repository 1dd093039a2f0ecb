//! Alpine's `lib/apk/db/installed`: records of single-letter fields. `P` name, `V` version,
//! `A` arch, `L` licence, `o` origin (source package), `C` checksum (`Q1` + base64 SHA-1 of
//! the control data), `D` dependencies resolved through `P` names and `p` provides.

use std::collections::BTreeMap;

use super::Sibling;
use crate::error::CatalogError;
use crate::model::{Component, Ecosystem, Hash, HashAlg};

/// Parses an apk installed database.
pub fn parse(path: &str, bytes: &[u8], _: Sibling<'_>) -> Result<Vec<Component>, CatalogError> {
    use base64::Engine as _;
    let text = super::text(path, bytes)?;
    let mut comps = Vec::new();
    let mut deps_of: Vec<Vec<String>> = Vec::new();
    let mut provides: BTreeMap<String, String> = BTreeMap::new();
    let mut record: Vec<(char, String)> = Vec::new();
    let mut start = 1;
    let lines: Vec<&str> = text.lines().chain(std::iter::once("")).collect();
    for (i, line) in lines.iter().enumerate() {
        if line.is_empty() {
            if record.is_empty() {
                continue;
            }
            let rec = std::mem::take(&mut record);
            let get = |k: char| rec.iter().find(|(f, _)| *f == k).map(|(_, v)| v.clone());
            let (Some(name), Some(version)) = (get('P'), get('V')) else {
                return Err(CatalogError::at_line(
                    path,
                    start,
                    "record without `P:` (name) or `V:` (version)",
                ));
            };
            let mut c = Component::new(Ecosystem::Apk, name.clone(), version)
                .with_namespace(Some("alpine".into()));
            if let Some(a) = get('A') {
                c.qualifiers.insert("arch".into(), a);
            }
            if let Some(l) = get('L') {
                c.licenses.insert(l);
            }
            if let Some(o) = get('o') {
                c.properties.insert("gatehouse:source-package".into(), o);
            }
            if let Some(sum) = get('C').and_then(|s| s.strip_prefix("Q1").map(str::to_owned)) {
                if let Some(h) = base64::engine::general_purpose::STANDARD
                    .decode(sum)
                    .ok()
                    .and_then(|b| Hash::bytes(HashAlg::Sha1, &b))
                {
                    c.hashes.insert(h);
                }
            }
            let purl = c.purl();
            provides.insert(name, purl.clone());
            for p in get('p').unwrap_or_default().split_whitespace() {
                let key = p.split(['=', '>', '<', '~']).next().unwrap_or(p);
                provides.entry(key.to_owned()).or_insert(purl.clone());
            }
            let deps = get('D')
                .unwrap_or_default()
                .split_whitespace()
                .filter(|d| !d.starts_with('!'))
                .map(|d| d.split(['=', '>', '<', '~']).next().unwrap_or(d).to_owned())
                .collect();
            comps.push(c);
            deps_of.push(deps);
            continue;
        }
        if record.is_empty() {
            start = i + 1;
        }
        let mut chars = line.chars();
        let (Some(k), Some(':')) = (chars.next(), chars.next()) else {
            return Err(CatalogError::at_line(
                path,
                i + 1,
                format!("expected `X:value`, found `{line}`"),
            ));
        };
        record.push((k, chars.as_str().to_owned()));
    }
    for (c, deps) in comps.iter_mut().zip(deps_of) {
        c.dependencies
            .extend(deps.iter().filter_map(|d| provides.get(d).cloned()));
    }
    Ok(comps)
}
