//! `requirements*.txt` (pip): `name[extras]==version ; marker` pins with `--hash` options,
//! line continuations, comments, and `-r other.txt` includes (siblings only, no cycles).
//! Unpinned requirements (`>=`, bare names) are components without a version; `-e`, URLs,
//! paths and `-c` constraints files are not packages and are skipped.

use super::Sibling;
use crate::error::CatalogError;
use crate::model::{Component, Ecosystem, Hash};

/// Whether `path` looks like a pip requirements file.
pub fn matches(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.starts_with("requirements") && name.ends_with(".txt")
        || path.contains("/requirements/") && name.ends_with(".txt")
}

/// Parses a requirements file.
pub fn parse(
    path: &str,
    bytes: &[u8],
    sibling: Sibling<'_>,
) -> Result<Vec<Component>, CatalogError> {
    let mut seen = vec![path.rsplit('/').next().unwrap_or(path).to_owned()];
    parse_inner(path, bytes, sibling, &mut seen)
}

fn parse_inner(
    path: &str,
    bytes: &[u8],
    sibling: Sibling<'_>,
    seen: &mut Vec<String>,
) -> Result<Vec<Component>, CatalogError> {
    let text = super::text(path, bytes)?;
    let mut out = Vec::new();
    let mut logical = String::new();
    let mut start_line = 1;
    for (i, raw) in text.lines().enumerate() {
        if logical.is_empty() {
            start_line = i + 1;
        }
        let line = strip_comment(raw);
        if let Some(cont) = line.strip_suffix('\\') {
            logical.push_str(cont);
            logical.push(' ');
            continue;
        }
        logical.push_str(line);
        let full = std::mem::take(&mut logical);
        if let Some(c) = requirement(path, start_line, full.trim(), sibling, seen, &mut out)? {
            out.push(c);
        }
    }
    Ok(out)
}

fn strip_comment(line: &str) -> &str {
    if line.trim_start().starts_with('#') {
        return "";
    }
    match line.find(" #").or_else(|| line.find("\t#")) {
        Some(i) => line.get(..i).unwrap_or(line),
        None => line,
    }
}

fn requirement(
    path: &str,
    line: usize,
    text: &str,
    sibling: Sibling<'_>,
    seen: &mut Vec<String>,
    out: &mut Vec<Component>,
) -> Result<Option<Component>, CatalogError> {
    if text.is_empty() {
        return Ok(None);
    }
    if let Some(rest) = text
        .strip_prefix("-r ")
        .or_else(|| text.strip_prefix("--requirement "))
        .or_else(|| text.strip_prefix("--requirement="))
    {
        let name = rest.trim();
        if !seen.iter().any(|s| s == name) && !name.contains("..") {
            seen.push(name.to_owned());
            if let Some(b) = sibling(name) {
                let included = format!("{}/{name}", path.rsplit_once('/').map_or("", |(d, _)| d));
                out.extend(parse_inner(
                    included.trim_start_matches('/'),
                    &b,
                    sibling,
                    seen,
                )?);
            }
        }
        return Ok(None);
    }
    // PEP 508 direct references (`name @ https://…`) name a package without a version.
    if let Some((name, url)) = text.split_once(" @ ") {
        let name = name.split('[').next().unwrap_or(name).trim();
        if !name.is_empty() && !name.contains(char::is_whitespace) {
            let mut c = Component::new(Ecosystem::Pypi, name, "");
            let url = url.split([';', ' ']).next().unwrap_or(url);
            c.properties
                .insert("gatehouse:resolved".into(), url.to_owned());
            return Ok(Some(c));
        }
    }
    if text.starts_with('-')
        || text.contains("://")
        || text.starts_with('.')
        || text.starts_with('/')
    {
        return Ok(None);
    }
    let mut tokens = text.split_whitespace();
    let spec_end = text.find(" --").unwrap_or(text.len());
    let spec = text.get(..spec_end).unwrap_or(text);
    let spec = spec.split(';').next().unwrap_or(spec).trim();
    let name_end = spec
        .find(|ch: char| !(ch.is_ascii_alphanumeric() || matches!(ch, '-' | '_' | '.')))
        .unwrap_or(spec.len());
    let name = spec.get(..name_end).unwrap_or_default();
    if name.is_empty() {
        return Err(CatalogError::at_line(
            path,
            line,
            format!("cannot read a package name from `{text}`"),
        ));
    }
    let rest = spec.get(name_end..).unwrap_or_default();
    let rest = match rest.strip_prefix('[') {
        Some(r) => r.split_once(']').map_or("", |(_, after)| after),
        None => rest,
    }
    .trim();
    let version = rest
        .strip_prefix("===")
        .or_else(|| rest.strip_prefix("=="))
        .map(str::trim)
        .filter(|v| !v.contains([',', '*', '<', '>']))
        .unwrap_or_default();
    let mut c = Component::new(Ecosystem::Pypi, name, version);
    if version.is_empty() && !rest.is_empty() {
        c.properties
            .insert("gatehouse:constraint".into(), rest.to_owned());
    }
    while let Some(tok) = tokens.next() {
        let value = if tok == "--hash" {
            tokens.next()
        } else {
            tok.strip_prefix("--hash=")
        };
        if let Some(h) = value.and_then(Hash::prefixed) {
            c.hashes.insert(h);
        }
    }
    Ok(Some(c))
}
