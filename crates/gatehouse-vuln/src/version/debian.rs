//! Debian package versions, ordered as dpkg orders them (Debian Policy §5.6.12).
//!
//! `[epoch:]upstream[-revision]`: epochs compare numerically first (missing = 0), then upstream,
//! then revision, each with dpkg's `verrevcmp`: alternating non-digit and digit runs; in non-digit
//! runs `~` sorts before everything (even the end of the string), then the end, then letters,
//! then other characters; digit runs compare numerically. So `1.0~rc1` < `1.0` < `1.0+b1` <
//! `1.0a`, and `1:0.1` > `2.0`. Every string parses (a non-numeric epoch is part of upstream).

use std::cmp::Ordering;

use super::cmp_digits;

struct Parts<'a> {
    epoch: &'a str,
    upstream: &'a str,
    revision: &'a str,
}

fn split(version: &str) -> Parts<'_> {
    let v = version.trim();
    let (epoch, rest) = match v.split_once(':') {
        Some((e, r)) if !e.is_empty() && e.bytes().all(|b| b.is_ascii_digit()) => (e, r),
        _ => ("0", v),
    };
    let (upstream, revision) = rest.rsplit_once('-').unwrap_or((rest, ""));
    Parts {
        epoch,
        upstream,
        revision,
    }
}

fn order(c: Option<u8>) -> i32 {
    match c {
        None => 0,
        Some(b'~') => -1,
        Some(c) if c.is_ascii_digit() => 0,
        Some(c) if c.is_ascii_alphabetic() => i32::from(c),
        Some(c) => i32::from(c) + 256,
    }
}

/// dpkg's `verrevcmp` on one version part.
pub(crate) fn verrevcmp(a: &str, b: &str) -> Ordering {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j) = (0, 0);
    let digit = |s: &[u8], k: usize| s.get(k).is_some_and(u8::is_ascii_digit);
    while i < a.len() || j < b.len() {
        while (i < a.len() && !digit(a, i)) || (j < b.len() && !digit(b, j)) {
            let (ac, bc) = (order(a.get(i).copied()), order(b.get(j).copied()));
            if ac != bc {
                return ac.cmp(&bc);
            }
            i += 1;
            j += 1;
        }
        let start_a = i;
        while digit(a, i) {
            i += 1;
        }
        let start_b = j;
        while digit(b, j) {
            j += 1;
        }
        let na = std::str::from_utf8(a.get(start_a..i).unwrap_or_default()).unwrap_or("");
        let nb = std::str::from_utf8(b.get(start_b..j).unwrap_or_default()).unwrap_or("");
        let o = cmp_digits(na, nb);
        if o.is_ne() {
            return o;
        }
    }
    Ordering::Equal
}

/// dpkg's ordering of two version strings.
pub fn compare(a: &str, b: &str) -> Ordering {
    let (a, b) = (split(a), split(b));
    cmp_digits(a.epoch, b.epoch)
        .then_with(|| verrevcmp(a.upstream, b.upstream))
        .then_with(|| verrevcmp(a.revision, b.revision))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::version::testutil::{check, check_sorted};

    #[test]
    fn dpkg_ordering() {
        check_sorted(
            "debian policy example",
            compare,
            &["~~", "~~a", "~", "", "a"],
        );
        check(
            "debian",
            compare,
            &[
                ("1:0.1", ">", "2.0"),
                ("0:1.0", "=", "1.0"),
                ("1.0-0", "=", "1.0"),
                ("1.0~rc1", "<", "1.0"),
                ("1.0~rc1-1", "<", "1.0-1"),
                ("1.0~~", "<", "1.0~"),
                ("1.0", "<", "1.0+b1"),
                ("1.0a", "<", "1.0+b1"),
                ("1.0+b1", "<", "1.0.1"),
                ("1.0-1", "<", "1.0-1.1"),
                ("1.0-1", "<", "1.0-1+deb12u1"),
                ("2.36.1-8", ">", "2.36.1-8~deb12u1"),
                ("1.2.3-1ubuntu1", ">", "1.2.3-1"),
                ("7.88.1-10+deb12u5", "<", "7.88.1-10+deb12u12"),
                ("1.001", "=", "1.1"),
                ("1.18.1-5+deb12u1", ">", "1.18.1-5"),
                ("2:1.0", ">", "1:9.9"),
                ("10:1", ">", "9:1"),
                ("1.0-a-1", ">", "1.0-a"),
                ("3.0.11-1~deb12u2", "<", "3.0.11-1~deb12u3"),
                ("1.2-3-4", "=", "1.2-3-4"),
                ("a:1.0", ">", "1.0"),
            ],
        );
    }
}
