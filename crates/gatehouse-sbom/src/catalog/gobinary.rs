//! Go binaries' embedded build info (Go 1.18+, the `\xff Go buildinf:` header with inline
//! strings): the toolchain version becomes `pkg:golang/stdlib`, the main module and every
//! `dep` line are components (`=>` replacements applied), `h1:` sums kept as properties.
//! Binaries are recognised by content (ELF magic plus the header), not by name, so sources
//! keep only [`extract`]'s small slice of each executable.

use crate::error::CatalogError;
use crate::model::{Component, Ecosystem};
use crate::purl::go_name;

const MAGIC: &[u8] = b"\xff Go buildinf:";

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn uvarint(b: &[u8], mut at: usize) -> Option<(usize, usize)> {
    let mut x: u64 = 0;
    for shift in (0..64).step_by(7) {
        let byte = *b.get(at)?;
        at += 1;
        x |= u64::from(byte & 0x7f) << shift;
        if byte < 0x80 {
            return Some((usize::try_from(x).ok()?, at));
        }
    }
    None
}

/// The Go version and module info of a Go ≥1.18 binary, if `bytes` is one.
pub fn buildinfo(bytes: &[u8]) -> Option<(String, String)> {
    let start = find(bytes, MAGIC)?;
    let flags = *bytes.get(start + 15)?;
    if flags & 2 == 0 {
        return None; // pre-1.18 pointer-based layout: not supported
    }
    let (n, at) = uvarint(bytes, start + 32)?;
    let version = String::from_utf8_lossy(bytes.get(at..at.checked_add(n)?)?).into_owned();
    let (m, at2) = uvarint(bytes, at + n)?;
    let raw = bytes.get(at2..at2.checked_add(m)?)?;
    // Module info is wrapped in 16-byte sentinels.
    let modinfo = if raw.len() >= 33 && raw.get(raw.len() - 17) == Some(&b'\n') {
        raw.get(16..raw.len() - 16).unwrap_or_default()
    } else {
        raw
    };
    Some((version, String::from_utf8_lossy(modinfo).into_owned()))
}

/// The part of `bytes` holding the build info (header and both strings), for sources to keep
/// instead of the whole executable; `None` when `bytes` is not an ELF Go binary.
pub fn extract(bytes: &[u8]) -> Option<Vec<u8>> {
    if !bytes.starts_with(b"\x7fELF") {
        return None;
    }
    let start = find(bytes, MAGIC)?;
    buildinfo(bytes)?;
    let (n, at) = uvarint(bytes, start + 32)?;
    let (m, at2) = uvarint(bytes, at + n)?;
    bytes.get(start..at2 + m).map(<[u8]>::to_vec)
}

fn module(path: &str, version: &str) -> Component {
    let (ns, name) = go_name(path);
    Component::new(Ecosystem::Golang, name, version).with_namespace(ns)
}

/// Parses a Go binary (or the slice [`extract`] kept). Not a Go binary → no components.
pub fn parse(path: &str, bytes: &[u8]) -> Result<Vec<Component>, CatalogError> {
    let Some((go, modinfo)) = buildinfo(bytes) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    // `go1.24.2`, or `go1.22-20231128-RC02 cl/586117301 X:boringcrypto` for vendor toolchains:
    // the first word without `go` is the version; the whole string stays a property.
    let version = go
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .trim_start_matches("go");
    let mut stdlib = module("stdlib", version);
    stdlib
        .properties
        .insert("gatehouse:go:toolchain".into(), go.clone());
    out.push(stdlib);
    for line in modinfo.lines() {
        let f: Vec<&str> = line.split('\t').collect();
        match f.as_slice() {
            // A `(devel)` main module was built from a checkout: no version to report.
            ["mod", p, v, rest @ ..] if *v != "(devel)" && !v.is_empty() => {
                let mut c = module(p, v);
                c.properties
                    .insert("gatehouse:go:main-module".into(), "true".into());
                if let Some(sum) = rest.first().filter(|s| !s.is_empty()) {
                    c.properties
                        .insert("gatehouse:go-sum".into(), (*sum).to_owned());
                }
                out.push(c);
            }
            ["dep", p, v, rest @ ..] => {
                let mut c = module(p, v);
                if let Some(sum) = rest.first().filter(|s| !s.is_empty()) {
                    c.properties
                        .insert("gatehouse:go-sum".into(), (*sum).to_owned());
                }
                c.direct = None;
                out.push(c);
            }
            ["=>", p, v, rest @ ..] => {
                let Some(mut last) = out.pop() else {
                    return Err(CatalogError::new(
                        path,
                        "build info has `=>` before any `dep`",
                    ));
                };
                if *v == "(devel)" || v.is_empty() {
                    // A local directory replacement: the code is the project's copy of the
                    // required module; keep the requirement and note the path.
                    last.properties
                        .insert("gatehouse:replaced-by".into(), (*p).to_owned());
                    out.push(last);
                    continue;
                }
                let mut c = module(p, v);
                c.properties
                    .insert("gatehouse:replaces".into(), last.full_name());
                if let Some(sum) = rest.first().filter(|s| !s.is_empty()) {
                    c.properties
                        .insert("gatehouse:go-sum".into(), (*sum).to_owned());
                }
                out.push(c);
            }
            _ => {}
        }
    }
    Ok(out)
}
