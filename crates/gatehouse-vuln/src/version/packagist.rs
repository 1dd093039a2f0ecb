//! Packagist (Composer) versions: Composer's normalization, then PHP's `version_compare`.
//!
//! A version Composer accepts is first normalized as Composer's `VersionParser::normalize` does
//! it: build metadata (`+…`) and a leading `v` are dropped, the numbers padded to four (`1.0` is
//! `1.0.0.0`), the stability suffix spelled out (`-b2`, `.BETA2`, `beta.2` are `-beta2`; `a` is
//! `alpha`, `p`/`pl` `patch`, `rc` `RC`; `stable` is dropped), and a numeric branch (`2.x-dev`)
//! becomes `2.9999999.9999999.9999999-dev`. Other strings only lose a leading `v` and are
//! padded the same way. `version_compare` then splits at every character that is not a letter
//! or digit and at every digit/letter change, and ranks words by prefix: `dev` < `alpha`/`a` <
//! `beta`/`b` < `RC`/`rc` < a number < `pl`/`p`; any other word sorts before `dev`. When one
//! version runs out, a further number makes the other newer, a further word is ranked against a
//! number. Every string parses.
//!
//! One departure, for strings Composer rejects: PHP keeps a leading non-alphanumeric character
//! and ranks a word starting with `#` equal to every number, which is not transitive (`1.3` <
//! `3` < `#3` < `1.3`). Here leading separators are dropped and no word ranks as a number.

use std::cmp::Ordering;
use std::sync::OnceLock;

use regex::Regex;

use super::{cmp_digits, split_run};

/// Composer's `normalizeBranch` for a numeric branch with `-dev` (`2.x-dev` is
/// `2.9999999.9999999.9999999-dev`, above every `2.*` release).
fn composer_branch(version: &str) -> Option<String> {
    static DEV: OnceLock<Option<Regex>> = OnceLock::new();
    static BRANCH: OnceLock<Option<Regex>> = OnceLock::new();
    let dev = DEV.get_or_init(|| Regex::new(r"(?i)^(.*?)[.-]?dev$").ok());
    let branch = BRANCH.get_or_init(|| {
        Regex::new(r"(?i)^v?(\d+)(\.(?:\d+|[x*]))?(\.(?:\d+|[x*]))?(\.(?:\d+|[x*]))?$").ok()
    });
    let (dev, branch) = (dev.as_ref()?, branch.as_ref()?);
    let name = dev.captures(version)?.get(1)?.as_str().trim();
    let c = branch.captures(name)?;
    let mut out = String::new();
    for i in 1..=4 {
        let part = c.get(i).map_or(".x", |m| m.as_str());
        out.push_str(&part.replace(['*', 'X', 'x'], "9999999"));
    }
    out.push_str("-dev");
    Some(out)
}

/// Composer's `VersionParser::normalize` for classical versions (`1.2.3.4` with an optional
/// stability suffix and `-dev`), or `None` where Composer would not read the string that way.
fn composer_normalize(version: &str) -> Option<String> {
    static BUILD: OnceLock<Option<Regex>> = OnceLock::new();
    static CLASSICAL: OnceLock<Option<Regex>> = OnceLock::new();
    let build = BUILD.get_or_init(|| Regex::new(r"^([^,\s+]+)\+\S+$").ok());
    let classical = CLASSICAL.get_or_init(|| {
        Regex::new(
            r"(?i)^v?(\d{1,5})(\.\d+)?(\.\d+)?(\.\d+)?[._-]?(?:(stable|beta|b|RC|alpha|a|patch|pl|p)((?:[.-]?\d+)*)?)?([.-]?dev)?$",
        )
        .ok()
    });
    let (build, classical) = (build.as_ref()?, classical.as_ref()?);
    let v = version.trim();
    let v = build
        .captures(v)
        .and_then(|c| c.get(1))
        .map_or(v, |m| m.as_str());
    let Some(c) = classical.captures(v) else {
        return composer_branch(v);
    };
    let mut out = c.get(1)?.as_str().to_owned();
    for i in 2..=4 {
        out.push_str(c.get(i).map_or(".0", |m| m.as_str()));
    }
    if let Some(stability) = c.get(5) {
        if stability.as_str() == "stable" {
            return Some(out);
        }
        let lower = stability.as_str().to_ascii_lowercase();
        let word = match lower.as_str() {
            "a" => "alpha",
            "b" => "beta",
            "p" | "pl" => "patch",
            "rc" => "RC",
            other => other,
        };
        out.push('-');
        out.push_str(word);
        out.push_str(
            c.get(6)
                .map_or("", |m| m.as_str())
                .trim_start_matches(['.', '-']),
        );
    }
    if c.get(7).is_some() {
        out.push_str("-dev");
    }
    Some(out)
}

/// The rank of a number among the special forms (between `RC` and `pl`).
const NUMBER_RANK: i8 = 4;

fn special_rank(word: &str) -> i8 {
    const FORMS: [(&str, i8); 9] = [
        ("dev", 0),
        ("alpha", 1),
        ("a", 1),
        ("beta", 2),
        ("b", 2),
        ("RC", 3),
        ("rc", 3),
        ("pl", 5),
        ("p", 5),
    ];
    FORMS
        .iter()
        .find(|(form, _)| word.starts_with(form))
        .map_or(-6, |(_, rank)| *rank)
}

fn tokens(version: &str) -> Vec<String> {
    let v = version.trim_start_matches(|c: char| !c.is_ascii_alphanumeric());
    let v = v
        .strip_prefix(['v', 'V'])
        .filter(|r| r.starts_with(|c: char| c.is_ascii_digit()))
        .unwrap_or(v);
    let (numeric, rest) = split_run(v, |c| c.is_ascii_digit() || c == '.');
    let mut out: Vec<String> = Vec::new();
    if !numeric.is_empty() {
        let trimmed = numeric.trim_end_matches('.');
        let mut nums: Vec<String> = trimmed
            .split('.')
            .filter(|n| !n.is_empty()) // PHP collapses repeated separators
            .map(str::to_owned)
            .collect();
        while nums.len() < 4 {
            nums.push("0".to_owned());
        }
        out.extend(nums);
    }
    let mut cur = String::new();
    let mut prev_digit: Option<bool> = None;
    for c in rest.chars() {
        if !c.is_ascii_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            prev_digit = None;
            continue;
        }
        let digit = c.is_ascii_digit();
        if prev_digit.is_some_and(|p| p != digit) && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        cur.push(c);
        prev_digit = Some(digit);
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn is_num(t: &str) -> bool {
    t.starts_with(|c: char| c.is_ascii_digit())
}

fn cmp_token(a: &str, b: &str) -> Ordering {
    match (is_num(a), is_num(b)) {
        (true, true) => cmp_digits(a, b),
        (false, false) => special_rank(a).cmp(&special_rank(b)),
        (true, false) => NUMBER_RANK.cmp(&special_rank(b)),
        (false, true) => special_rank(a).cmp(&NUMBER_RANK),
    }
}

/// Composer/PHP ordering of two version strings.
pub fn compare(a: &str, b: &str) -> Ordering {
    let (na, nb) = (composer_normalize(a), composer_normalize(b));
    let (ta, tb) = (
        tokens(na.as_deref().unwrap_or(a)),
        tokens(nb.as_deref().unwrap_or(b)),
    );
    for i in 0..ta.len().max(tb.len()) {
        let o = match (ta.get(i), tb.get(i)) {
            (Some(x), Some(y)) => cmp_token(x, y),
            (Some(x), None) if is_num(x) => Ordering::Greater,
            (Some(x), None) => special_rank(x).cmp(&NUMBER_RANK),
            (None, Some(y)) if is_num(y) => Ordering::Less,
            (None, Some(y)) => NUMBER_RANK.cmp(&special_rank(y)),
            (None, None) => Ordering::Equal,
        };
        if o.is_ne() {
            return o;
        }
    }
    Ordering::Equal
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::version::testutil::{check, check_sorted};

    #[test]
    fn php_version_compare_and_composer() {
        check(
            "packagist",
            compare,
            &[
                ("1.0", "=", "1.0.0"),
                ("v1.0.0", "=", "1.0.0"),
                ("1.0.0.0", "=", "1.0.0"),
                ("1.0.0-dev", "<", "1.0.0-alpha"),
                ("1.0.0-alpha1", "<", "1.0.0-alpha2"),
                ("1.0.0-alpha", "=", "1.0.0-a"),
                ("1.0.0-beta", "=", "1.0.0-b"),
                ("1.0.0-RC1", "=", "1.0.0-rc1"),
                ("1.0.0-RC1", "<", "1.0.0"),
                ("1.0.0", "<", "1.0.0-pl1"),
                ("1.0.0", "<", "1.0.0-p1"),
                ("1.0.0", "<", "1.0.0.1"),
                ("1.0.0-foo", "<", "1.0.0-dev"),
                ("1.0.0beta2", "=", "1.0.0-beta.2"),
                ("1.0.0-beta2", "<", "1.0.0-RC1"),
                ("7.4.33", "<", "7.10.0"),
                ("10.2.6", ">", "10.2.5"),
                ("8.9.20", "<", "9.0.0-alpha1"),
                ("1.0.0-patch1", ">", "1.0.0"),
                ("v6.0.0+ea2", "<", "v6.1.0-rc1"),
                ("1.2.0rc", "<", "1.2.0"),
                ("8.2.0RC2", "<", "8.2.0"),
                ("1.0.0alpha2", "<", "1.0.0-alpha3"),
                ("6.3.5.4", "<", "6.4.0.0-RC1"),
                ("1.22.01", "<", "1.23"),
                ("0.9.346", "<", "0.93"),
                // Composer's normalization of the stability suffix (checked against
                // composer/semver's VersionParser and Comparator).
                ("1.0.0-BETA1", "=", "1.0.0-beta1"),
                ("1.0.0-Alpha", ">", "1.0.0-dev"),
                ("10-a.1", "<", "10-BETA1"),
                ("V10.1", "=", "V10.1-stable2"),
                ("2stable1", "=", "2"),
                ("1.0.0-patch1", "=", "1.0.0-pl1"),
                ("1.0.0_RC2", "=", "1.0.0-rc.2"),
                ("1.0.0-beta.1.2", ">", "1.0.0-beta.1"),
                ("1.0.0-beta2-dev", "<", "1.0.0-beta2"),
                ("1.x-dev", ">", "v1.17.2"),
                ("1.x-dev", "<", "2.0.0-alpha1"),
                ("0.0.x-dev", ">", "v0"),
                ("2.1.*-dev", ">", "2.1.99"),
            ],
        );
        check_sorted(
            "packagist sorted",
            compare,
            &[
                "1.0.0-dev",
                "1.0.0-alpha1",
                "1.0.0-beta1",
                "1.0.0-RC1",
                "1.0.0",
                "1.0.0-p1",
                "1.0.1",
            ],
        );
    }

    #[test]
    fn strings_composer_rejects_still_order_totally() {
        // PHP: `1.3` < `3` < `#3` (`#` ranks as a number) but `#3` < `1.3`.
        check_sorted("packagist #", compare, &["1.3", "3", "4"]);
        check(
            "packagist separators",
            compare,
            &[
                ("#3", "=", "3"),
                ("1.0~beta", "=", "1.0-beta"),
                ("1..2", "=", "1.2"),
                ("1.0#", "=", "1.0"),
            ],
        );
    }
}
