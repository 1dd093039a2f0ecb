//! Package URLs: built from and parsed into [`Component`]s with the `packageurl` crate, which
//! applies each type's canonical form (lowercase npm/PyPI names, `_` → `-` for PyPI…).

use std::str::FromStr;

use packageurl::PackageUrl;

use crate::model::{Component, Ecosystem};

/// The canonical purl of `c` (`pkg:type/namespace/name@version?qualifiers#subpath`).
pub fn build(c: &Component) -> String {
    if let Some(raw) = &c.raw_purl {
        return raw.clone();
    }
    let ty = c.ecosystem.map_or("generic", Ecosystem::purl_type);
    // Go module paths are case-sensitive (`github.com/BurntSushi/toml`) and advisories name
    // them exactly; the crate lowercases golang namespaces, so Go purls are encoded by hand.
    if c.ecosystem == Some(Ecosystem::Golang) {
        return fallback(ty, c);
    }
    try_build(ty, c).unwrap_or_else(|| fallback(ty, c))
}

fn try_build(ty: &str, c: &Component) -> Option<String> {
    let mut purl = PackageUrl::new(ty, c.name.as_str()).ok()?;
    if let Some(ns) = &c.namespace {
        purl.with_namespace(ns.as_str()).ok()?;
    }
    if !c.version.is_empty() {
        purl.with_version(c.version.as_str()).ok()?;
    }
    // An empty value is no qualifier (purl spec), and reads back as none.
    for (k, v) in c.qualifiers.iter().filter(|(_, v)| !v.is_empty()) {
        purl.add_qualifier(k.as_str(), v.as_str()).ok()?;
    }
    if let Some(sub) = &c.subpath {
        purl.with_subpath(sub.as_str()).ok()?;
    }
    let text = purl.to_string();
    // The crate leaves `/` in a version unencoded, so `pkg:npm/a@1.0/3` (a pnpm tarball or git
    // version) reads back as another package; such a purl is encoded by hand, from the crate's
    // normalized parts.
    let reads_back = PackageUrl::from_str(&text).is_ok_and(|back| {
        back.namespace() == purl.namespace()
            && back.name() == purl.name()
            && back.version() == purl.version()
            && back.qualifiers() == purl.qualifiers()
            && back.subpath() == purl.subpath()
    });
    if reads_back {
        return Some(text);
    }
    let normalized = Component {
        namespace: purl.namespace().map(str::to_owned),
        name: purl.name().to_owned(),
        version: purl.version().unwrap_or_default().to_owned(),
        qualifiers: purl
            .qualifiers()
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        ..Component::default()
    };
    Some(fallback(ty, &normalized))
}

/// A purl for names the crate rejects (it validates per-type rules): percent-encode by hand.
fn fallback(ty: &str, c: &Component) -> String {
    let enc = |s: &str| {
        s.bytes()
            .map(|b| match b {
                b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'.' | b'-' | b'_' | b'~' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect::<String>()
    };
    let mut out = format!("pkg:{ty}/");
    if let Some(ns) = &c.namespace {
        out.push_str(&ns.split('/').map(enc).collect::<Vec<_>>().join("/"));
        out.push('/');
    }
    out.push_str(&enc(&c.name));
    if !c.version.is_empty() {
        out.push('@');
        out.push_str(&enc(&c.version));
    }
    let q: Vec<String> = c
        .qualifiers
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{}={}", k, enc(v)))
        .collect();
    if !q.is_empty() {
        out.push('?');
        out.push_str(&q.join("&"));
    }
    out
}

/// Parses a purl into a component (ecosystem, namespace, name, version, qualifiers). Unknown
/// types keep the purl verbatim in `raw_purl`.
pub fn parse(text: &str) -> Option<Component> {
    let purl = PackageUrl::from_str(text).ok()?;
    let ecosystem = Ecosystem::from_purl_type(purl.ty());
    let mut c = Component {
        ecosystem,
        namespace: purl.namespace().map(str::to_owned),
        name: purl.name().to_owned(),
        version: purl.version().unwrap_or_default().to_owned(),
        qualifiers: purl
            .qualifiers()
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        subpath: purl.subpath().map(str::to_owned),
        ..Component::default()
    };
    if ecosystem.is_none() {
        c.raw_purl = Some(text.to_owned());
    }
    if ecosystem == Some(Ecosystem::Golang) {
        // Keep the module path's case (the crate lowercases golang namespaces).
        let rest = text.get("pkg:golang/".len()..).unwrap_or_default();
        let path = rest.split(['@', '?', '#']).next().unwrap_or_default();
        if let Some((ns, _)) = path.rsplit_once('/') {
            c.namespace = Some(percent_decode(ns));
        }
    }
    Some(c)
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (b, hex) {
            (b'%', Some(v)) => {
                out.push(v);
                i += 3;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Splits an npm package name into (scope, name): `@babel/core` → (`@babel`, `core`).
pub fn npm_name(full: &str) -> (Option<String>, String) {
    match full.strip_prefix('@').and_then(|rest| rest.split_once('/')) {
        Some((scope, name)) => (Some(format!("@{scope}")), name.to_owned()),
        None => (None, full.to_owned()),
    }
}

/// Splits a Go module path into (namespace, name) at the last `/`.
pub fn go_name(module: &str) -> (Option<String>, String) {
    match module.rsplit_once('/') {
        Some((ns, name)) => (Some(ns.to_owned()), name.to_owned()),
        None => (None, module.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn npm_scoped_and_pypi_normalized() {
        let (ns, name) = npm_name("@babel/core");
        let c = Component::new(Ecosystem::Npm, name, "7.0.0").with_namespace(ns);
        assert_eq!(c.purl(), "pkg:npm/%40babel/core@7.0.0");
        let p = Component::new(Ecosystem::Pypi, "Charset_Normalizer", "3.4.4");
        assert_eq!(p.purl(), "pkg:pypi/charset-normalizer@3.4.4");
        let back = parse("pkg:npm/%40babel/core@7.0.0");
        assert_eq!(back.map(|c| c.full_name()), Some("@babel/core".to_owned()));
    }

    /// Found by `fuzz_lockfiles` (CycloneDX write + read round trip): a version with `/` came
    /// out unencoded and read back as another package.
    #[test]
    fn versions_with_slashes_read_back() {
        for (ecosystem, ns, name, version) in [
            (Ecosystem::Npm, Some("@andrewbranch"), "untar.js", "1.0/3"),
            (Ecosystem::Npm, None, "a", "github.com/o/r/0b7368f"),
            (Ecosystem::Gem, None, "uri", "1pkg:gem/faraday@2.14.3.1.1"),
            (Ecosystem::Pypi, None, "Foo_Bar", "1.0/x"),
        ] {
            let c = Component::new(ecosystem, name, version).with_namespace(ns.map(str::to_owned));
            let purl = c.purl();
            let back = parse(&purl);
            assert!(back.is_some(), "{purl} does not parse");
            let Some(back) = back else { continue };
            assert_eq!(back.version, version, "{purl}");
            assert_eq!(back.purl(), purl);
        }
        // Found by `fuzz_lockfiles` (a Gemfile.lock spec with an empty platform): an empty
        // qualifier value is dropped, as reading the purl back drops it.
        let mut c = Component::new(Ecosystem::Gem, "eventmachine", "1.2.7");
        c.qualifiers.insert("platform".into(), String::new());
        assert_eq!(c.purl(), "pkg:gem/eventmachine@1.2.7");
        // Ordinary versions keep the crate's spelling.
        let c = Component::new(Ecosystem::Npm, "a", "1.0.0-rc.1+build.5");
        assert_eq!(parse(&c.purl()).map(|b| b.version), Some(c.version));
    }
}
