//! RPM package versions (Red Hat, Rocky, AlmaLinux, SUSE, openSUSE, Mageia), ordered as rpm's
//! `rpmvercmp` orders them.
//!
//! `[epoch:]version[-release]`: epoch (missing = 0), then version, then release (missing first).
//! `rpmvercmp` skips separators (anything not alphanumeric, `~` or `^`), compares alternating
//! digit and letter segments (numbers numerically and above letters, letters bytewise), `~`
//! sorts before everything including the end (`1.0~rc1` < `1.0`), `^` after the end but before
//! more segments (`1.0` < `1.0^git1` < `1.0.1`). Every string parses.

use std::cmp::Ordering;

use super::cmp_digits;

fn is_sep(c: u8) -> bool {
    !c.is_ascii_alphanumeric() && c != b'~' && c != b'^'
}

/// rpm's `rpmvercmp` on one version or release string.
pub fn rpmvercmp(a: &str, b: &str) -> Ordering {
    if a == b {
        return Ordering::Equal;
    }
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j) = (0usize, 0usize);
    loop {
        while a.get(i).is_some_and(|c| is_sep(*c)) {
            i += 1;
        }
        while b.get(j).is_some_and(|c| is_sep(*c)) {
            j += 1;
        }
        let (ca, cb) = (a.get(i).copied(), b.get(j).copied());
        if ca.is_none() && cb.is_none() {
            return Ordering::Equal;
        }
        if ca == Some(b'~') || cb == Some(b'~') {
            if ca != Some(b'~') {
                return Ordering::Greater;
            }
            if cb != Some(b'~') {
                return Ordering::Less;
            }
            i += 1;
            j += 1;
            continue;
        }
        if ca == Some(b'^') || cb == Some(b'^') {
            if ca.is_none() {
                return Ordering::Less;
            }
            if cb.is_none() {
                return Ordering::Greater;
            }
            if ca != Some(b'^') {
                return Ordering::Greater;
            }
            if cb != Some(b'^') {
                return Ordering::Less;
            }
            i += 1;
            j += 1;
            continue;
        }
        let (Some(ca), Some(_)) = (ca, cb) else {
            break;
        };
        let numeric = ca.is_ascii_digit();
        let class = |c: &u8| {
            if numeric {
                c.is_ascii_digit()
            } else {
                c.is_ascii_alphabetic()
            }
        };
        let (sa, sb) = (i, j);
        while a.get(i).is_some_and(class) {
            i += 1;
        }
        while b.get(j).is_some_and(class) {
            j += 1;
        }
        let seg_a = std::str::from_utf8(a.get(sa..i).unwrap_or_default()).unwrap_or("");
        let seg_b = std::str::from_utf8(b.get(sb..j).unwrap_or_default()).unwrap_or("");
        if seg_b.is_empty() {
            // Different segment types: a number is newer than letters.
            return if numeric {
                Ordering::Greater
            } else {
                Ordering::Less
            };
        }
        let o = if numeric {
            cmp_digits(seg_a, seg_b)
        } else {
            seg_a.cmp(seg_b)
        };
        if o.is_ne() {
            return o;
        }
    }
    // One side ran out of segments: the one with more left is newer.
    match (i < a.len(), j < b.len()) {
        (false, false) => Ordering::Equal,
        (true, _) => Ordering::Greater,
        (false, true) => Ordering::Less,
    }
}

fn split(v: &str) -> (&str, &str, Option<&str>) {
    let v = v.trim();
    let (epoch, rest) = v.split_once(':').unwrap_or(("0", v));
    let (version, release) = match rest.rsplit_once('-') {
        Some((version, release)) => (version, Some(release)),
        None => (rest, None),
    };
    (epoch, version, release)
}

/// rpm's ordering of two `[epoch:]version[-release]` strings. Epochs compare with `rpmvercmp`
/// too (missing = `0`); a missing release sorts before any release, even an empty one.
pub fn compare(a: &str, b: &str) -> Ordering {
    let (ea, va, ra) = split(a);
    let (eb, vb, rb) = split(b);
    rpmvercmp(ea, eb)
        .then_with(|| rpmvercmp(va, vb))
        .then_with(|| match (ra, rb) {
            (Some(x), Some(y)) => rpmvercmp(x, y),
            (x, y) => x.is_some().cmp(&y.is_some()),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::version::testutil::check;

    #[test]
    fn rpmvercmp_cases() {
        // The behaviour rpm's own rpmvercmp test table pins down.
        check(
            "rpmvercmp",
            rpmvercmp,
            &[
                ("1.0", "=", "1.0"),
                ("1.0", "<", "2.0"),
                ("2.0.1", ">", "2.0"),
                ("2.0.1a", ">", "2.0.1"),
                ("5.5p1", "<", "5.5p2"),
                ("5.5p10", ">", "5.5p1"),
                ("10xyz", "<", "10.1xyz"),
                ("xyz10", "<", "xyz10.1"),
                ("xyz.4", "=", "xyz.4"),
                ("xyz.4", "<", "8"),
                ("xyz.4", "<", "2"),
                ("5.5p2", "<", "5.6p1"),
                ("5.6p1", "<", "6.5p1"),
                ("6.0.rc1", ">", "6.0"),
                ("10b2", ">", "10a1"),
                ("1.0aa", ">", "1.0a"),
                ("10.0001", "=", "10.1"),
                ("10.0001", "<", "10.0039"),
                ("4.999.9", "<", "5.0"),
                ("20101121", ">", "20101120"),
                ("1.0~rc1", "<", "1.0"),
                ("1.0~rc1", "<", "1.0~rc2"),
                ("1.0~rc1~git123", "<", "1.0~rc1"),
                ("1.0^", ">", "1.0"),
                ("1.0^git1", ">", "1.0"),
                ("1.0^git1", "<", "1.01"),
                ("1.0^git1", "<", "1.0^git2"),
                ("1.0^20160101", "<", "1.0.1"),
                ("1.0~rc1^git1", ">", "1.0~rc1"),
                ("1.0~rc1^git1", "<", "1.0"),
                ("2_0", "=", "2.0"),
                ("a+", "=", "a_"),
            ],
        );
        check(
            "rpm evr",
            compare,
            &[
                ("1:1.0-1", ">", "2.0-1"),
                ("0:1.0-1", "=", "1.0-1"),
                ("2.4.37-51.el8", "<", "2.4.37-56.el8"),
                ("2.4.37-51.el8_7.1", ">", "2.4.37-51.el8"),
                ("1.1.1k-7.el8_6", "<", "1.1.1k-12.el8_9"),
                ("3", "<", "1:2"),
                ("13:5", ">", "004:2"),
                ("01:2", "=", "1:2"),
                ("a:1", "<", "a1:1"),
                ("1", "<", "1-0"),
                ("1", "<", "1-"),
                ("1-1.", "=", "1-1"),
                ("1-1.ael7b", "<", "1-1.el7"),
                ("0:2.4.21-9.EL", "<", "0:2.4.21-9.0.1.EL"),
                ("1.1.α", "=", "1.1.β"),
                ("1.1.α", "<", "1.1.a"),
                ("1.0^git1~pre", "<", "1.0^git1"),
                ("1.0~rc1", "<", "1.0arc1"),
            ],
        );
    }
}
