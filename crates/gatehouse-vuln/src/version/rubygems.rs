//! RubyGems versions, ordered as `Gem::Version#<=>` orders them.
//!
//! `-` means `.pre.`; segments are runs of digits (numbers) or letters (strings); trailing zeros
//! are dropped from the numeric part and from the part after the first string, so `1.0` = `1` and
//! `1.0.a` = `1.a`; a string segment sorts before any number (so `1.0.a` is a pre-release of `1.0`);
//! strings compare bytewise (case-sensitive, as Ruby does). Every string parses.

use std::cmp::Ordering;

use super::cmp_digits;

#[derive(Debug, PartialEq, Eq)]
enum Seg {
    Num(String),
    Str(String),
}

fn zero(s: &Seg) -> bool {
    matches!(s, Seg::Num(n) if n.trim_start_matches('0').is_empty())
}

fn canonical_segments(version: &str) -> Vec<Seg> {
    let v = version.trim().replace('-', ".pre.");
    let mut segs = Vec::new();
    let mut cur = String::new();
    let mut kind = 0u8; // 0 none, 1 digits, 2 letters
    for c in v.chars().chain(std::iter::once(' ')) {
        let k = if c.is_ascii_digit() {
            1
        } else if c.is_ascii_alphabetic() {
            2
        } else {
            0
        };
        if k != kind && !cur.is_empty() {
            let run = std::mem::take(&mut cur);
            segs.push(if kind == 1 {
                Seg::Num(run)
            } else {
                Seg::Str(run)
            });
        }
        if k != 0 {
            cur.push(c);
        }
        kind = k;
    }
    let string_start = segs
        .iter()
        .position(|s| matches!(s, Seg::Str(_)))
        .unwrap_or(segs.len());
    let tail = segs.split_off(string_start);
    let mut out = Vec::new();
    for mut part in [segs, tail] {
        while part.last().is_some_and(zero) {
            part.pop();
        }
        out.extend(part);
    }
    out
}

/// `Gem::Version` ordering of two version strings.
pub fn compare(a: &str, b: &str) -> Ordering {
    let (a, b) = (canonical_segments(a), canonical_segments(b));
    let zero = Seg::Num("0".to_owned());
    for i in 0..a.len().max(b.len()) {
        let l = a.get(i).unwrap_or(&zero);
        let r = b.get(i).unwrap_or(&zero);
        let o = match (l, r) {
            (Seg::Num(x), Seg::Num(y)) => cmp_digits(x, y),
            (Seg::Str(_), Seg::Num(_)) => Ordering::Less,
            (Seg::Num(_), Seg::Str(_)) => Ordering::Greater,
            (Seg::Str(x), Seg::Str(y)) => x.cmp(y),
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
    fn gem_version_spaceship() {
        // Cases in the spirit of RubyGems' test_gem_version.rb `test_spaceship`.
        check(
            "rubygems",
            compare,
            &[
                ("1.0", "=", "1.0.0"),
                ("1.0", "=", "1"),
                ("1.0", ">", "1.0.a"),
                ("1.8.2", ">", "0.0.0"),
                ("1.8.2", ">", "1.8.2.a"),
                ("1.8.2.b", ">", "1.8.2.a"),
                ("1.8.2.a", "<", "1.8.2"),
                ("1.8.2.a10", ">", "1.8.2.a9"),
                ("", "=", "0"),
                ("0.beta.1", "<", "0.0.beta.2"),
                ("0.beta.1", "<", "0.0.beta.1.0.0.1"),
                ("1.0.a", "=", "1.a"),
                ("1.0.0.a.0", "=", "1.a"),
                ("5.a", "<", "5.0.0.rc2"),
                ("5.x", ">", "5.0.0.rc2"),
                ("1.0-rc1", "=", "1.0.pre.rc1"),
                ("1.0-rc1", "<", "1.0"),
                ("1.9.3", "<", "1.9.3.1"),
                ("1.A", "<", "1.a"),
                ("2.0.0.rc1", ">", "2.0.0.beta2"),
                ("3.5.1.beta1", "<", "3.5.1.14.beta"),
                ("3.5.1.14.beta", "<", "3.5.1.14"),
                ("3.2.0.pre.rc.1", "<", "3.2.0rc2"),
                ("3.0.0.alpha.3", "<", "3.0.0.alpha.3.1.pre"),
                ("3.1.0.0.pre", "<", "3.1.0"),
                ("2.6.1", "<", "3.0.0.pre.alpha.pre.2"),
                ("0.10.0a3", "<", "0.10.0"),
                ("3.1.0.alpha.37", "<", "3.1.0.alpha.141"),
            ],
        );
        check_sorted(
            "rubygems sorted",
            compare,
            &[
                "0.9",
                "1.0.0.alpha",
                "1.0.0.beta",
                "1.0.0.rc1",
                "1.0.0",
                "1.0.1",
                "1.10",
                "10.0",
            ],
        );
    }
}
