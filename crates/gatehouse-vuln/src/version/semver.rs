//! SemVer 2.0 precedence (npm, crates.io, OSV `SEMVER` ranges).
//!
//! Precedence as in the spec (§11) and `semver::Version::cmp_precedence`: numeric core, then a
//! pre-release sorts before its release, identifiers compared dot by dot (numeric < alphanumeric,
//! numbers numerically, others in ASCII order, a shorter prefix first); build metadata (`+…`) is
//! ignored. Parsing is loose the way node-semver's `loose` mode and OSV data need: a leading `v`
//! or `=`, missing minor/patch (`1.2` = `1.2.0`), a pre-release without the `-` (`0.12.0rc0`),
//! numbers of any size. A string with no numeric core sorts as `0.0.0-<string>`.

use std::cmp::Ordering;

use super::{cmp_digits, split_run};

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Ident<'a> {
    Num(&'a str),
    Alpha(&'a str),
}

/// A parsed version: numeric core and pre-release identifiers (build metadata dropped).
#[derive(Debug, Clone)]
pub(crate) struct Version<'a> {
    pub core: Vec<&'a str>,
    pub pre: Vec<Ident<'a>>,
}

pub(crate) fn parse(input: &str) -> Version<'_> {
    let s = input
        .trim()
        .trim_start_matches(['v', 'V', '='])
        .trim_start();
    let s = s.split_once('+').map_or(s, |(head, _build)| head);
    let (core, mut rest) = split_run(s, |c| c.is_ascii_digit() || c == '.');
    // `1.2.3.beta`: a trailing dot belongs to the pre-release separator, not to the core.
    let core = core.trim_end_matches('.');
    if rest.is_empty() && core.len() < s.len() {
        rest = s.get(core.len()..).unwrap_or("");
    }
    // One separator: `-` is also an identifier character (`1.0.0--.-` has the identifiers
    // `-` and `-`).
    let rest = rest.strip_prefix(['-', '.']).unwrap_or(rest);
    let core = if core.is_empty() {
        Vec::new()
    } else {
        core.split('.').collect()
    };
    let pre = if rest.is_empty() {
        Vec::new()
    } else {
        rest.split('.')
            .map(|id| {
                if !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()) {
                    Ident::Num(id)
                } else {
                    Ident::Alpha(id)
                }
            })
            .collect()
    };
    Version { core, pre }
}

pub(crate) fn cmp_core(a: &[&str], b: &[&str]) -> Ordering {
    let len = a.len().max(b.len()).max(3);
    (0..len)
        .map(|i| {
            cmp_digits(
                a.get(i).copied().unwrap_or("0"),
                b.get(i).copied().unwrap_or("0"),
            )
        })
        .find(|o| o.is_ne())
        .unwrap_or(Ordering::Equal)
}

pub(crate) fn cmp_ident(a: &Ident<'_>, b: &Ident<'_>) -> Ordering {
    match (a, b) {
        (Ident::Num(x), Ident::Num(y)) => cmp_digits(x, y),
        (Ident::Num(_), Ident::Alpha(_)) => Ordering::Less,
        (Ident::Alpha(_), Ident::Num(_)) => Ordering::Greater,
        (Ident::Alpha(x), Ident::Alpha(y)) => x.cmp(y),
    }
}

pub(crate) fn cmp_pre(a: &[Ident<'_>], b: &[Ident<'_>]) -> Ordering {
    match (a.is_empty(), b.is_empty()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        (false, false) => a
            .iter()
            .zip(b)
            .map(|(x, y)| cmp_ident(x, y))
            .find(|o| o.is_ne())
            .unwrap_or_else(|| a.len().cmp(&b.len())),
    }
}

/// SemVer precedence of two version strings.
pub fn compare(a: &str, b: &str) -> Ordering {
    let (a, b) = (parse(a), parse(b));
    cmp_core(&a.core, &b.core).then_with(|| cmp_pre(&a.pre, &b.pre))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::version::testutil::{check, check_sorted};

    #[test]
    fn spec_precedence_example() {
        // SemVer 2.0 §11.4, in order.
        check_sorted(
            "semver §11",
            compare,
            &[
                "1.0.0-alpha",
                "1.0.0-alpha.1",
                "1.0.0-alpha.beta",
                "1.0.0-beta",
                "1.0.0-beta.2",
                "1.0.0-beta.11",
                "1.0.0-rc.1",
                "1.0.0",
                "2.0.0",
                "2.1.0",
                "2.1.1",
            ],
        );
    }

    #[test]
    fn build_metadata_and_loose_forms() {
        check(
            "semver",
            compare,
            &[
                ("1.2.3+build", "=", "1.2.3+other"),
                ("1.2.3+build", "=", "1.2.3"),
                ("1.0.0-rc.1+build.1", "<", "1.0.0"),
                ("v1.2.3", "=", "1.2.3"),
                ("=1.2.3", "=", "1.2.3"),
                ("1.2", "=", "1.2.0"),
                ("1", "=", "1.0.0"),
                ("0.12.0rc0", "<", "0.12.0"),
                ("0.12.0rc0", ">", "0.11.99"),
                ("1.0.0-alpha", "<", "1.0.0-alpha.0"),
                ("1.0.0-2", "<", "1.0.0-10"),
                ("1.0.0-a10", "<", "1.0.0-a9"),
                ("1.0.0-Alpha", "<", "1.0.0-alpha"),
                ("1.0.0-0", "<", "1.0.0-a"),
                ("10.0.0", ">", "9.99.99"),
                ("18446744073709551616.0.0", ">", "18446744073709551615.0.0"),
                ("0.0.0-0", "<", "0.0.0"),
                ("1.2.3", "<", "1.2.3.1"),
                ("1.2.3.0", "=", "1.2.3"),
                ("not-a-version", "<", "0.0.0"),
                // Hyphens are identifier characters (node-semver agrees).
                ("11.10.1--.-", "<", "11.10.1"),
                ("0.1.1---.1.x-y", ">", "0.1.1-11"),
                ("1.0.0--", ">", "1.0.0-1"),
                ("1.0.0--", "<", "1.0.0-a"),
            ],
        );
    }
}
