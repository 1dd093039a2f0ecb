//! PEP 440 (PyPI), with the pre-PEP 440 "legacy" fallback for everything else.
//!
//! Valid versions are parsed with the grammar of PEP 440 Appendix B (case-insensitive, `v`
//! prefix, `-`/`_`/`.` separators, implicit numbers) and ordered as the spec says: epoch, release
//! (trailing zeros ignored), `.devN` before pre-releases before the release before `.postN`,
//! then local labels (numeric segments above alphanumeric ones, absence lowest). Strings that are
//! not PEP 440 order the way `packaging` < 22's `LegacyVersion` ordered them, all *before* every
//! valid version (legacy epoch -1): PyPI still serves such versions and OSV lists them.

use std::cmp::Ordering;
use std::sync::LazyLock;

use regex::Regex;

use super::cmp_digits;

static PEP440: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?x)^\s*v?
        (?:(?P<epoch>[0-9]+)!)?
        (?P<release>[0-9]+(?:\.[0-9]+)*)
        (?P<pre>[-_.]?(?P<pre_l>alpha|a|beta|b|preview|pre|c|rc)[-_.]?(?P<pre_n>[0-9]+)?)?
        (?P<post>(?:-(?P<post_n1>[0-9]+))|(?:[-_.]?(?P<post_l>post|rev|r)[-_.]?(?P<post_n2>[0-9]+)?))?
        (?P<dev>[-_.]?dev[-_.]?(?P<dev_n>[0-9]+)?)?
        (?:\+(?P<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?
        \s*$",
    )
    .ok()
});

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Local {
    Str(String),
    Num(String),
}

/// A parsed PEP 440 version, reduced to what ordering needs.
#[derive(Debug, Clone)]
struct Pep440 {
    epoch: String,
    release: Vec<String>,
    /// (rank a=0 b=1 rc=2, number)
    pre: Option<(u8, String)>,
    post: Option<String>,
    dev: Option<String>,
    local: Option<Vec<Local>>,
}

fn parse(input: &str) -> Option<Pep440> {
    let lower = input.to_ascii_lowercase();
    let caps = PEP440.as_ref()?.captures(&lower)?;
    let text = |name: &str| caps.name(name).map(|m| m.as_str().to_owned());
    let num = |name: &str| text(name).unwrap_or_else(|| "0".to_owned());
    let mut release: Vec<String> = text("release")?
        .split('.')
        .map(|p| p.trim_start_matches('0').to_owned())
        .collect();
    while release.last().is_some_and(String::is_empty) {
        release.pop();
    }
    let pre = caps.name("pre_l").map(|l| {
        let rank = match l.as_str() {
            "a" | "alpha" => 0,
            "b" | "beta" => 1,
            _ => 2,
        };
        (rank, num("pre_n"))
    });
    let post = if caps.name("post").is_some() {
        Some(
            text("post_n1")
                .or_else(|| text("post_n2"))
                .unwrap_or_else(|| "0".to_owned()),
        )
    } else {
        None
    };
    let dev = caps.name("dev").map(|_| num("dev_n"));
    let local = text("local").map(|l| {
        l.split(['-', '_', '.'])
            .map(|seg| {
                if seg.bytes().all(|b| b.is_ascii_digit()) {
                    Local::Num(seg.to_owned())
                } else {
                    Local::Str(seg.to_owned())
                }
            })
            .collect()
    });
    Some(Pep440 {
        epoch: text("epoch").unwrap_or_default(),
        release,
        pre,
        post,
        dev,
        local,
    })
}

/// Whether `version` is a valid PEP 440 version.
pub fn is_valid(version: &str) -> bool {
    parse(version).is_some()
}

fn cmp_release(a: &[String], b: &[String]) -> Ordering {
    a.iter()
        .zip(b)
        .map(|(x, y)| cmp_digits(x, y))
        .find(|o| o.is_ne())
        .unwrap_or_else(|| a.len().cmp(&b.len()))
}

/// `-inf < value < +inf` helper for the optional parts of the sort key.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
enum Bound<T> {
    NegInf,
    Value(T),
    PosInf,
}

#[derive(PartialEq, Eq)]
struct Num(String);
impl PartialOrd for Num {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Num {
    fn cmp(&self, other: &Self) -> Ordering {
        cmp_digits(&self.0, &other.0)
    }
}

fn cmp_local(a: &[Local], b: &[Local]) -> Ordering {
    a.iter()
        .zip(b)
        .map(|(x, y)| match (x, y) {
            (Local::Num(p), Local::Num(q)) => cmp_digits(p, q),
            _ => x.cmp(y),
        })
        .find(|o| o.is_ne())
        .unwrap_or_else(|| a.len().cmp(&b.len()))
}

fn cmp_valid(a: &Pep440, b: &Pep440) -> Ordering {
    let pre_key = |v: &Pep440| match (&v.pre, &v.post, &v.dev) {
        (None, None, Some(_)) => Bound::NegInf,
        (None, _, _) => Bound::PosInf,
        (Some((rank, n)), _, _) => Bound::Value((*rank, Num(n.clone()))),
    };
    let post_key = |v: &Pep440| {
        v.post
            .clone()
            .map_or(Bound::NegInf, |n| Bound::Value(Num(n)))
    };
    let dev_key = |v: &Pep440| {
        v.dev
            .clone()
            .map_or(Bound::PosInf, |n| Bound::Value(Num(n)))
    };
    cmp_digits(&a.epoch, &b.epoch)
        .then_with(|| cmp_release(&a.release, &b.release))
        .then_with(|| pre_key(a).cmp(&pre_key(b)))
        .then_with(|| post_key(a).cmp(&post_key(b)))
        .then_with(|| dev_key(a).cmp(&dev_key(b)))
        .then_with(|| match (&a.local, &b.local) {
            (None, None) => Ordering::Equal,
            (None, Some(_)) => Ordering::Less,
            (Some(_), None) => Ordering::Greater,
            (Some(x), Some(y)) => cmp_local(x, y),
        })
}

/// `LegacyVersion`'s key: lowercase parts, numbers zero-padded to 8, words prefixed `*`.
fn legacy_key(input: &str) -> Vec<String> {
    let lower = input.to_lowercase();
    let mut raw: Vec<String> = Vec::new();
    let mut chars = lower.chars().peekable();
    let mut other = String::new();
    while let Some(&c) = chars.peek() {
        let class = |c: char| {
            if c.is_ascii_digit() {
                1
            } else if c.is_ascii_lowercase() {
                2
            } else if c == '.' || c == '-' {
                3
            } else {
                0
            }
        };
        match class(c) {
            0 => {
                other.push(c);
                chars.next();
            }
            3 => {
                raw.push(std::mem::take(&mut other));
                raw.push(c.to_string());
                chars.next();
            }
            k => {
                raw.push(std::mem::take(&mut other));
                let mut run = String::new();
                while let Some(&d) = chars.peek() {
                    if class(d) != k {
                        break;
                    }
                    run.push(d);
                    chars.next();
                }
                raw.push(run);
            }
        }
    }
    raw.push(other);
    let mut parts: Vec<String> = Vec::new();
    let mapped = raw
        .into_iter()
        .map(|p| match p.as_str() {
            "pre" | "preview" | "rc" => "c".to_owned(),
            "-" => "final-".to_owned(),
            "dev" => "@".to_owned(),
            _ => p,
        })
        .filter(|p| !p.is_empty() && p != ".")
        .map(|p| {
            if p.starts_with(|c: char| c.is_ascii_digit()) {
                format!("{p:0>8}")
            } else {
                format!("*{p}")
            }
        })
        .chain(std::iter::once("*final".to_owned()));
    for part in mapped {
        if part.starts_with('*') {
            if part.as_str() < "*final" {
                while parts.last().is_some_and(|p| p == "*final-") {
                    parts.pop();
                }
            }
            while parts.last().is_some_and(|p| p == "00000000") {
                parts.pop();
            }
        }
        parts.push(part);
    }
    parts
}

/// PEP 440 ordering of two version strings (legacy strings first, in legacy order).
pub fn compare(a: &str, b: &str) -> Ordering {
    match (parse(a), parse(b)) {
        (Some(x), Some(y)) => cmp_valid(&x, &y),
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (None, None) => legacy_key(a).cmp(&legacy_key(b)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::version::testutil::{check, check_sorted};

    #[test]
    fn pep440_spec_order() {
        // The ordering example of PEP 440 ("Summary of permitted suffixes and relative ordering").
        check_sorted(
            "pep440",
            compare,
            &[
                "1.dev0",
                "1.0.dev456",
                "1.0a1",
                "1.0a2.dev456",
                "1.0a12.dev456",
                "1.0a12",
                "1.0b1.dev456",
                "1.0b2",
                "1.0b2.post345.dev456",
                "1.0b2.post345",
                "1.0rc1.dev456",
                "1.0rc1",
                "1.0",
                "1.0+abc.5",
                "1.0+abc.7",
                "1.0+5",
                "1.0.post456.dev34",
                "1.0.post456",
                "1.0.15",
                "1.1.dev1",
            ],
        );
    }

    #[test]
    fn normalization_and_edge_cases() {
        check(
            "pep440",
            compare,
            &[
                ("1.0", "=", "1.0.0"),
                ("1.0", "=", "v1.0"),
                ("1.0", "=", "0!1.0"),
                ("1!1.0", ">", "2.0"),
                ("0!1.0", "=", "1.0"),
                ("1.0a1", "=", "1.0-alpha-1"),
                ("1.0b", "=", "1.0beta0"),
                ("1.0c1", "=", "1.0rc1"),
                ("1.0pre1", "=", "1.0rc1"),
                ("1.0preview1", "=", "1.0rc1"),
                ("1.0-1", "=", "1.0.post1"),
                ("1.0r", "=", "1.0.post0"),
                ("1.0rev1", "=", "1.0.post1"),
                ("1.0.DEV", "=", "1.0.dev0"),
                ("1.0RC1", "=", "1.0rc1"),
                ("1.0+ABC", "=", "1.0+abc"),
                ("1.0+1-2", "=", "1.0+1.2"),
                ("1.0+1.a", "<", "1.0+1.0"),
                ("1.0+1", "<", "1.0+1.0"),
                ("1.0.post1.dev1", "<", "1.0.post1"),
                ("1.0.post1.dev1", ">", "1.0"),
                ("1.0a1.post1", ">", "1.0a1"),
                ("1.0a1.post1", "<", "1.0a2"),
                ("1.0.dev1", "<", "1.0a1"),
                ("1.10", ">", "1.9"),
                ("2.0.0", "=", "2"),
                (" 1.0 ", "=", "1.0"),
                ("1.0.0000001", "=", "1.0.1"),
                ("99999999999999999999.0", ">", "9999999999999999999.0"),
            ],
        );
    }

    #[test]
    fn legacy_versions_sort_before_pep440() {
        assert!(!is_valid("1.0-SNAPSHOT-foo"));
        assert!(!is_valid("french toast"));
        check(
            "legacy",
            compare,
            &[
                ("french toast", "<", "0.0.dev0"),
                ("1.0-SNAPSHOT-foo", "<", "0.1"),
                ("1.0-snapshot", "<", "0.0.1"),
                ("1.0-foo", "<", "1.0-foo.1"),
                ("1.0.x", ">", "1.0.w"),
                ("1.0.x", "<", "1.0.a"),
                ("1.0-Foo", "=", "1.0-foo"),
                ("0.9-beta3-dev", "<", "0.9-beta3"),
                ("0.1-bulbasaur", "<", "0.1-charmander"),
                ("0.1-charmander", "<", "0.9-doduo"),
                ("0.9-ivysaur", "<", "1.0"),
                ("-class.-jw.util.version.version-pre", "<", "1.0"),
                ("0.9.rev", "<", "1.0"),
                ("1.2.post3.dev4", ">", "1.2b3.dev4"),
            ],
        );
    }
}
