//! Packagist (Composer) versions: Composer's normalization, then PHP's `version_compare`.
//!
//! A leading `v` is dropped and the leading numeric part is padded to four numbers (Composer
//! normalizes `1.0` to `1.0.0.0`). `version_compare` then splits at every character that is not
//! a letter or digit and at every digit/letter change, and ranks words by prefix: `dev` <
//! `alpha`/`a` < `beta`/`b` < `RC`/`rc` < a number < `pl`/`p`; any other word sorts before
//! `dev`. When one version runs out, a further number makes the other newer, a further word is
//! ranked against a number. Every string parses.
//!
//! One departure, for strings Composer rejects: PHP keeps a leading non-alphanumeric character
//! and ranks a word starting with `#` equal to every number, which is not transitive (`1.3` <
//! `3` < `#3` < `1.3`). Here leading separators are dropped and no word ranks as a number.

use std::cmp::Ordering;

use super::{cmp_digits, split_run};

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
    let (ta, tb) = (tokens(a), tokens(b));
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
