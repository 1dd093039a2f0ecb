//! Go modules: `go.mod` (`require` lines; `// indirect` marks transitive ones; `replace`
//! directives applied) with `go.sum` beside it supplying `h1:` hashes. A `go.sum` alone lists
//! every module@version whose zip hash it records (`/go.mod`-only lines are not downloads).

use std::collections::BTreeMap;

use super::Sibling;
use crate::error::CatalogError;
use crate::model::{Component, Ecosystem};
use crate::purl::go_name;

struct Require {
    module: String,
    version: String,
    indirect: bool,
}

/// Parses a go.mod.
pub fn parse_mod(
    path: &str,
    bytes: &[u8],
    sibling: Sibling<'_>,
) -> Result<Vec<Component>, CatalogError> {
    let text = super::text(path, bytes)?;
    let mut requires = Vec::new();
    let mut replaces: BTreeMap<(String, Option<String>), (String, String)> = BTreeMap::new();
    let mut block: Option<&str> = None;
    for (i, raw) in text.lines().enumerate() {
        let (code, comment) = match raw.split_once("//") {
            Some((c, m)) => (c.trim(), m.trim()),
            None => (raw.trim(), ""),
        };
        if code.is_empty() {
            continue;
        }
        if code == ")" {
            block = None;
            continue;
        }
        let (verb, rest) = match block {
            Some(b) => (b, code),
            None => {
                let (v, r) = code.split_once(char::is_whitespace).unwrap_or((code, ""));
                let r = r.trim();
                if r == "(" {
                    block = Some(match v {
                        "require" => "require",
                        "replace" => "replace",
                        _ => "other",
                    });
                    continue;
                }
                (v, r)
            }
        };
        let fields: Vec<&str> = rest
            .split_whitespace()
            .map(|f| f.trim_matches('"'))
            .collect();
        match verb {
            "require" => {
                let (Some(m), Some(v)) = (fields.first(), fields.get(1)) else {
                    return Err(CatalogError::at_line(
                        path,
                        i + 1,
                        format!("`require {rest}` needs a module path and a version"),
                    ));
                };
                requires.push(Require {
                    module: (*m).to_owned(),
                    version: (*v).to_owned(),
                    indirect: comment.split(';').any(|c| c.trim() == "indirect"),
                });
            }
            "replace" => {
                let Some(arrow) = fields.iter().position(|f| *f == "=>") else {
                    return Err(CatalogError::at_line(path, i + 1, "`replace` without `=>`"));
                };
                let old = fields.first().map(|s| (*s).to_owned()).unwrap_or_default();
                let old_v = (arrow == 2)
                    .then(|| fields.get(1).map(|s| (*s).to_owned()))
                    .flatten();
                let new = fields
                    .get(arrow + 1)
                    .map(|s| (*s).to_owned())
                    .unwrap_or_default();
                let new_v = fields
                    .get(arrow + 2)
                    .map(|s| (*s).to_owned())
                    .unwrap_or_default();
                replaces.insert((old, old_v), (new, new_v));
            }
            _ => {}
        }
    }
    let sums = sibling("go.sum").map(|b| sum_lines(&b)).unwrap_or_default();
    let mut out = Vec::new();
    for r in requires {
        let replaced = replaces
            .get(&(r.module.clone(), Some(r.version.clone())))
            .or_else(|| replaces.get(&(r.module.clone(), None)));
        // Local path replacements have no version: keep the required one, note the path.
        let (module, note) = match replaced {
            Some((new, v)) if v.is_empty() => {
                ((r.module.clone(), r.version.clone()), Some(new.clone()))
            }
            Some((new, v)) => ((new.clone(), v.clone()), None),
            None => ((r.module.clone(), r.version.clone()), None),
        };
        let (ns, name) = go_name(&module.0);
        let mut c = Component::new(Ecosystem::Golang, name, module.1.clone()).with_namespace(ns);
        c.direct = Some(!r.indirect);
        if let Some(p) = note {
            c.properties.insert("gatehouse:replaced-by".into(), p);
        }
        if let Some(h) = sums.get(&(module.0.clone(), module.1.clone())) {
            c.properties.insert("gatehouse:go-sum".into(), h.clone());
        }
        out.push(c);
    }
    Ok(out)
}

/// `(module, version)` → `h1:` hash of the module zip.
fn sum_lines(bytes: &[u8]) -> BTreeMap<(String, String), String> {
    let text = String::from_utf8_lossy(bytes);
    text.lines()
        .filter_map(|l| {
            let mut f = l.split_whitespace();
            let (m, v, h) = (f.next()?, f.next()?, f.next()?);
            (!v.ends_with("/go.mod")).then(|| ((m.to_owned(), v.to_owned()), h.to_owned()))
        })
        .collect()
}

/// Parses a go.sum; empty when a go.mod is beside it (the go.mod cataloger reads it then).
pub fn parse_sum(
    path: &str,
    bytes: &[u8],
    sibling: Sibling<'_>,
) -> Result<Vec<Component>, CatalogError> {
    if sibling("go.mod").is_some() {
        return Ok(Vec::new());
    }
    let text = super::text(path, bytes)?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split_whitespace().collect();
        let (Some(m), Some(v), Some(h)) = (f.first(), f.get(1), f.get(2)) else {
            return Err(CatalogError::at_line(
                path,
                i + 1,
                "expected `module version hash`",
            ));
        };
        if v.ends_with("/go.mod") {
            continue;
        }
        let (ns, name) = go_name(m);
        let mut c = Component::new(Ecosystem::Golang, name, *v).with_namespace(ns);
        c.properties
            .insert("gatehouse:go-sum".into(), (*h).to_owned());
        out.push(c);
    }
    Ok(out)
}
