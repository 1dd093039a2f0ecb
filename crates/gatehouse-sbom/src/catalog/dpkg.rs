//! dpkg's `var/lib/dpkg/status` and distroless `var/lib/dpkg/status.d/*`: one component per
//! paragraph whose `Status` ends in `installed`. `Source` becomes `gatehouse:source-package`
//! (and its version `gatehouse:source-version`): advisories name source packages. Edges from
//! `Depends`/`Pre-Depends` (first installed alternative, `Provides` honoured).

use std::collections::BTreeMap;

use super::Sibling;
use crate::error::CatalogError;
use crate::model::{Component, Ecosystem};

/// Whether `path` is a dpkg status database.
pub fn matches(path: &str) -> bool {
    path.ends_with("var/lib/dpkg/status")
        || path.rsplit_once('/').is_some_and(|(dir, name)| {
            dir.ends_with("var/lib/dpkg/status.d") && !name.ends_with(".md5sums")
        })
}

/// A paragraph: its first line and its fields.
pub(crate) type Paragraph = (usize, BTreeMap<String, String>);

/// Paragraphs of `Key: value` fields (continuation lines appended), with their first line.
pub(crate) fn paragraphs(path: &str, text: &str) -> Result<Vec<Paragraph>, CatalogError> {
    let mut out = Vec::new();
    let mut cur: BTreeMap<String, String> = BTreeMap::new();
    let mut start = 1;
    let mut last_key: Option<String> = None;
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            if !cur.is_empty() {
                out.push((start, std::mem::take(&mut cur)));
            }
            last_key = None;
            continue;
        }
        if cur.is_empty() {
            start = i + 1;
        }
        if line.starts_with([' ', '\t']) {
            let Some(k) = &last_key else {
                return Err(CatalogError::at_line(
                    path,
                    i + 1,
                    "continuation line before any field",
                ));
            };
            if let Some(v) = cur.get_mut(k) {
                v.push('\n');
                v.push_str(line.trim());
            }
            continue;
        }
        let Some((k, v)) = line.split_once(':') else {
            return Err(CatalogError::at_line(
                path,
                i + 1,
                format!("expected `Field: value`, found `{line}`"),
            ));
        };
        cur.insert(k.to_owned(), v.trim().to_owned());
        last_key = Some(k.to_owned());
    }
    if !cur.is_empty() {
        out.push((start, cur));
    }
    Ok(out)
}

/// Parses a dpkg status file.
pub fn parse(path: &str, bytes: &[u8], _: Sibling<'_>) -> Result<Vec<Component>, CatalogError> {
    let text = super::text(path, bytes)?;
    let mut comps = Vec::new();
    let mut depends = Vec::new();
    let mut provides: BTreeMap<String, String> = BTreeMap::new();
    let distroless = path.contains("status.d/");
    for (line, p) in paragraphs(path, text)? {
        let status = p
            .get("Status")
            .map(String::as_str)
            .unwrap_or(if distroless {
                "install ok installed"
            } else {
                ""
            });
        if !status.ends_with(" installed") {
            continue;
        }
        let (Some(name), Some(version)) = (p.get("Package"), p.get("Version")) else {
            return Err(CatalogError::at_line(
                path,
                line,
                "installed package without `Package` or `Version`",
            ));
        };
        let mut c =
            Component::new(Ecosystem::Deb, name, version).with_namespace(Some("debian".into()));
        if let Some(a) = p.get("Architecture") {
            c.qualifiers.insert("arch".into(), a.clone());
        }
        if let Some(src) = p.get("Source") {
            let (sname, sver) = match src.split_once(" (") {
                Some((n, v)) => (n.to_owned(), v.trim_end_matches(')').to_owned()),
                None => (src.clone(), version.clone()),
            };
            c.properties
                .insert("gatehouse:source-package".into(), sname);
            c.properties.insert("gatehouse:source-version".into(), sver);
        }
        let purl = c.purl();
        provides.insert(name.clone(), purl.clone());
        for prov in p.get("Provides").into_iter().flat_map(|v| v.split(',')) {
            let pn = prov.trim().split([' ', ':']).next().unwrap_or_default();
            provides.entry(pn.to_owned()).or_insert(purl.clone());
        }
        let deps: Vec<Vec<String>> = ["Pre-Depends", "Depends"]
            .iter()
            .filter_map(|f| p.get(*f))
            .flat_map(|v| v.split(','))
            .map(|alts| {
                alts.split('|')
                    .map(|a| {
                        a.trim()
                            .split([' ', ':', '('])
                            .next()
                            .unwrap_or_default()
                            .to_owned()
                    })
                    .collect()
            })
            .collect();
        comps.push(c);
        depends.push(deps);
    }
    for (c, deps) in comps.iter_mut().zip(depends) {
        for alts in deps {
            if let Some(p) = alts.iter().find_map(|a| provides.get(a)) {
                c.dependencies.insert(p.clone());
            }
        }
    }
    Ok(comps)
}
