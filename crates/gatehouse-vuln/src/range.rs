//! OSV range evaluation: is a version inside an `affected` entry's `ranges` or `versions`?
//!
//! Follows the evaluation in the OSV schema: events are sorted by version with the range's
//! ordering (`introduced: "0"` first), then read as intervals `[introduced, fixed)` and
//! `[introduced, last_affected]`; an `introduced` with no later end is open-ended, capped by any
//! `limit` (`*` = no cap). `SEMVER` ranges use SemVer precedence, `ECOSYSTEM` ranges the
//! ecosystem's scheme; `GIT` ranges (commit hashes) and ecosystems without a known ordering are
//! *unresolvable* and reported as such, never guessed. An explicit `versions` list matches by
//! equality under the ecosystem's ordering (so PyPI `1.0` matches a listed `1.0.0`).

use std::cmp::Ordering;

use crate::ecosystem::{Ecosystem, Scheme};
use crate::osv::{Affected, EventKind, Range};

/// Why a version is affected: the interval it fell into, or the listed version it equals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    /// `SEMVER`, `ECOSYSTEM`, or `versions` for an explicit list.
    pub source: String,
    pub introduced: Option<String>,
    pub fixed: Option<String>,
    pub last_affected: Option<String>,
    /// The `versions` entry that equals the version, when the list matched.
    pub listed: Option<String>,
}

impl Evidence {
    /// `>= 1.0, < 1.2.3` style text for messages.
    pub fn describe(&self) -> String {
        if let Some(listed) = &self.listed {
            return format!("listed as affected version {listed}");
        }
        let mut parts = Vec::new();
        match self.introduced.as_deref() {
            Some("0") | None => {}
            Some(i) => parts.push(format!(">= {i}")),
        }
        if let Some(f) = &self.fixed {
            parts.push(format!("< {f}"));
        }
        if let Some(l) = &self.last_affected {
            parts.push(format!("<= {l}"));
        }
        if parts.is_empty() {
            format!("{} range: all versions", self.source)
        } else {
            format!("{} range {}", self.source, parts.join(", "))
        }
    }
}

/// The outcome for one `affected` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Affected(Evidence),
    NotAffected,
    /// Nothing in the entry could be evaluated (only `GIT` ranges, or an unknown ordering).
    Unresolvable(String),
}

fn cmp_event(scheme: Scheme, a: &str, b: &str) -> Ordering {
    match (a == "0", b == "0") {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
        // Callers only pass known schemes.
        (false, false) => scheme.compare(a, b).unwrap_or(Ordering::Equal),
    }
}

fn rank(kind: &EventKind<'_>) -> u8 {
    match kind {
        EventKind::Introduced(_) => 0,
        EventKind::LastAffected(_) => 1,
        EventKind::Fixed(_) => 2,
        EventKind::Limit(_) => 3,
    }
}

fn version_of<'a>(kind: &EventKind<'a>) -> &'a str {
    match kind {
        EventKind::Introduced(v)
        | EventKind::Fixed(v)
        | EventKind::LastAffected(v)
        | EventKind::Limit(v) => v,
    }
}

/// A stable merge sort that does not trust `cmp`. Every scheme is meant to be a total order
/// (`fuzz_versions` checks it), but `slice::sort_by` panics on a comparison that is not (it did
/// on ranges of 21 or more events while Maven's ordering had cycles): a bug in one scheme, or a
/// hostile OSV record, must give some order, not abort the scan.
fn merge_sort_by<T>(items: Vec<T>, cmp: &impl Fn(&T, &T) -> Ordering) -> Vec<T> {
    if items.len() < 2 {
        return items;
    }
    let mut left = items;
    let right = left.split_off(left.len() / 2);
    let mut left = merge_sort_by(left, cmp).into_iter().peekable();
    let mut right = merge_sort_by(right, cmp).into_iter().peekable();
    let mut out = Vec::with_capacity(left.len() + right.len());
    while let (Some(a), Some(b)) = (left.peek(), right.peek()) {
        // Ties take the left item: stable.
        let next = if cmp(b, a).is_lt() {
            right.next()
        } else {
            left.next()
        };
        out.extend(next);
    }
    out.extend(left);
    out.extend(right);
    out
}

/// Evaluates one `SEMVER`/`ECOSYSTEM` range with `scheme` (which must not be `Unknown`).
pub fn in_range(scheme: Scheme, range: &Range, version: &str) -> Option<Evidence> {
    let events: Vec<EventKind<'_>> = range.events.iter().filter_map(|e| e.kind()).collect();
    let events = merge_sort_by(events, &|a, b| {
        cmp_event(scheme, version_of(a), version_of(b)).then_with(|| rank(a).cmp(&rank(b)))
    });
    let ge = |v: &str, bound: &str| bound == "0" || cmp_event(scheme, v, bound).is_ge();
    let limited = events.iter().any(|e| match e {
        EventKind::Limit(l) => *l != "*" && ge(version, l),
        _ => false,
    });
    if limited {
        return None;
    }
    let mut open: Option<&str> = None;
    for event in &events {
        match (*event, open) {
            (EventKind::Introduced(i), None) => open = Some(i),
            (EventKind::Fixed(f), Some(i)) => {
                if ge(version, i) && !ge(version, f) {
                    return Some(evidence(range, Some(i), Some(f), None));
                }
                open = None;
            }
            (EventKind::LastAffected(l), Some(i)) => {
                if ge(version, i) && cmp_event(scheme, version, l).is_le() {
                    return Some(evidence(range, Some(i), None, Some(l)));
                }
                open = None;
            }
            _ => {}
        }
    }
    match open {
        Some(i) if ge(version, i) => Some(evidence(range, Some(i), None, None)),
        _ => None,
    }
}

fn evidence(
    range: &Range,
    introduced: Option<&str>,
    fixed: Option<&str>,
    last_affected: Option<&str>,
) -> Evidence {
    Evidence {
        source: range.kind.clone(),
        introduced: introduced.map(str::to_owned),
        fixed: fixed.map(str::to_owned),
        last_affected: last_affected.map(str::to_owned),
        listed: None,
    }
}

/// The ordering for a `SEMVER` range: SemVer precedence, read with Go's spellings (`go1.21rc2`,
/// `v` prefixes) in the Go ecosystem.
fn semver_scheme(ecosystem: Scheme) -> Scheme {
    if ecosystem == Scheme::Go {
        Scheme::Go
    } else {
        Scheme::SemVer
    }
}

/// Evaluates `version` against one `affected` entry of `ecosystem`.
pub fn evaluate(ecosystem: &Ecosystem, affected: &Affected, version: &str) -> Verdict {
    let scheme = ecosystem.scheme();
    let mut evaluable = !affected.versions.is_empty();
    let listed = affected.versions.iter().find(|listed| match scheme {
        Scheme::Unknown => listed.as_str() == version,
        s => listed.as_str() == version || s.compare(listed, version) == Some(Ordering::Equal),
    });
    if let Some(listed) = listed {
        return Verdict::Affected(Evidence {
            source: "versions".to_owned(),
            introduced: None,
            fixed: None,
            last_affected: None,
            listed: Some(listed.clone()),
        });
    }
    let mut unresolvable = Vec::new();
    for range in &affected.ranges {
        let range_scheme = match range.kind.as_str() {
            "SEMVER" => semver_scheme(scheme),
            "ECOSYSTEM" if scheme != Scheme::Unknown => scheme,
            "ECOSYSTEM" => {
                unresolvable.push(format!("no version ordering for ecosystem {ecosystem}"));
                continue;
            }
            "GIT" => {
                unresolvable.push(format!(
                    "GIT range on {} needs commit data",
                    range.repo.as_deref().unwrap_or("an unnamed repository")
                ));
                continue;
            }
            other => {
                unresolvable.push(format!("unknown range type {other}"));
                continue;
            }
        };
        evaluable = true;
        if let Some(e) = in_range(range_scheme, range, version) {
            return Verdict::Affected(e);
        }
    }
    if evaluable || unresolvable.is_empty() {
        Verdict::NotAffected
    } else {
        Verdict::Unresolvable(unresolvable.join("; "))
    }
}

/// The lowest `fixed` version above `version` across the entry's evaluable ranges, if any:
/// the upgrade target to suggest.
pub fn fixed_after(ecosystem: &Ecosystem, affected: &Affected, version: &str) -> Option<String> {
    let scheme = ecosystem.scheme();
    let mut best: Option<(&str, Scheme)> = None;
    for range in &affected.ranges {
        let s = match range.kind.as_str() {
            "SEMVER" => semver_scheme(scheme),
            "ECOSYSTEM" if scheme != Scheme::Unknown => scheme,
            _ => continue,
        };
        for fixed in range.events.iter().filter_map(|e| e.fixed.as_deref()) {
            if s.compare(fixed, version) != Some(Ordering::Greater) {
                continue;
            }
            if best.is_none_or(|(b, bs)| bs.compare(fixed, b) == Some(Ordering::Less)) {
                best = Some((fixed, s));
            }
        }
    }
    best.map(|(f, _)| f.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::osv::{Event, Package};

    fn ev(kind: &str, v: &str) -> Event {
        let mut e = Event::default();
        let v = Some(v.to_owned());
        match kind {
            "introduced" => e.introduced = v,
            "fixed" => e.fixed = v,
            "last_affected" => e.last_affected = v,
            _ => e.limit = v,
        }
        e
    }

    fn affected(kind: &str, events: &[(&str, &str)], versions: &[&str]) -> Affected {
        Affected {
            package: Some(Package {
                ecosystem: "PyPI".into(),
                name: "x".into(),
                purl: None,
            }),
            severity: vec![],
            ranges: vec![Range {
                kind: kind.into(),
                repo: Some("https://example.invalid/repo".into()),
                events: events.iter().map(|(k, v)| ev(k, v)).collect(),
                database_specific: None,
            }],
            versions: versions.iter().map(|s| (*s).to_owned()).collect(),
            ecosystem_specific: None,
            database_specific: None,
        }
    }

    fn hit(eco: &str, a: &Affected, v: &str) -> bool {
        matches!(evaluate(&Ecosystem::parse(eco), a, v), Verdict::Affected(_))
    }

    #[test]
    fn osv_schema_examples() {
        // "introduced 0, fixed 1.0.0-3.4.5": every version before the fix.
        let a = affected(
            "SEMVER",
            &[("introduced", "0"), ("fixed", "1.0.0-3.4.5")],
            &[],
        );
        assert!(hit("npm", &a, "0.0.1"));
        assert!(hit("npm", &a, "1.0.0-3.4.4"));
        assert!(!hit("npm", &a, "1.0.0-3.4.5"));
        assert!(!hit("npm", &a, "1.0.0"));
        // Several introduced/fixed pairs: [1.0, 1.2), [2.0, 2.1.3).
        let a = affected(
            "ECOSYSTEM",
            &[
                ("fixed", "2.1.3"),
                ("introduced", "2.0"),
                ("introduced", "1.0"),
                ("fixed", "1.2"),
            ],
            &[],
        );
        for (v, want) in [
            ("0.9", false),
            ("1.0", true),
            ("1.1.9", true),
            ("1.2", false),
            ("1.9", false),
            ("2.0.0", true),
            ("2.1.2", true),
            ("2.1.3", false),
            ("3", false),
        ] {
            assert_eq!(hit("PyPI", &a, v), want, "{v}");
        }
        // last_affected is inclusive; introduced without end is open.
        let a = affected(
            "ECOSYSTEM",
            &[
                ("introduced", "0"),
                ("last_affected", "1.4"),
                ("introduced", "3.0"),
            ],
            &[],
        );
        assert!(hit("PyPI", &a, "1.4"));
        assert!(!hit("PyPI", &a, "1.4.1"));
        assert!(hit("PyPI", &a, "99"));
        // limit caps an open range.
        let a = affected(
            "SEMVER",
            &[("introduced", "1.0.0"), ("limit", "2.0.0")],
            &[],
        );
        assert!(hit("crates.io", &a, "1.5.0"));
        assert!(!hit("crates.io", &a, "2.0.0"));
        let a = affected("SEMVER", &[("introduced", "1.0.0"), ("limit", "*")], &[]);
        assert!(hit("crates.io", &a, "9.0.0"));
    }

    #[test]
    fn ecosystem_ordering_not_strings() {
        let a = affected(
            "ECOSYSTEM",
            &[("introduced", "0"), ("fixed", "1:1.0-1")],
            &[],
        );
        assert!(hit("Debian:12", &a, "2.0-1"), "epoch 0 < epoch 1");
        let a = affected(
            "ECOSYSTEM",
            &[("introduced", "1.9"), ("fixed", "1.10")],
            &[],
        );
        assert!(hit("PyPI", &a, "1.9.5"));
        let a = affected("SEMVER", &[("introduced", "0"), ("fixed", "1.2.3")], &[]);
        assert!(!hit("npm", &a, "1.2.3+build"), "build metadata is ignored");
        let a = affected(
            "SEMVER",
            &[("introduced", "1.21.0-0"), ("fixed", "1.21.5")],
            &[],
        );
        assert!(
            hit("Go", &a, "go1.21.4"),
            "toolchain spelling in the Go ecosystem"
        );
        assert!(hit("Go", &a, "v1.21.0"));
        assert!(!hit("Go", &a, "go1.21.5"));
    }

    #[test]
    fn versions_lists_git_and_unknown() {
        let a = affected(
            "GIT",
            &[("introduced", "abc"), ("fixed", "def")],
            &["1.0", "1.1"],
        );
        assert!(hit("PyPI", &a, "1.0.0"), "PEP 440 equality");
        assert!(!hit("PyPI", &a, "1.2"));
        let git_only = affected("GIT", &[("introduced", "abc"), ("fixed", "def")], &[]);
        assert!(matches!(
            evaluate(&Ecosystem::parse("PyPI"), &git_only, "1.0"),
            Verdict::Unresolvable(r) if r.contains("GIT range on https://example.invalid/repo")
        ));
        let unknown = affected("ECOSYSTEM", &[("introduced", "0")], &[]);
        assert!(matches!(
            evaluate(&Ecosystem::parse("Echo"), &unknown, "1.0"),
            Verdict::Unresolvable(_)
        ));
    }

    /// Found by `fuzz_versions`: Maven's `ComparableVersion` ordering has cycles
    /// (`1-beta` < `1` < `1.x.4` < `1-beta`), and sorting 21 events of such versions with
    /// `slice::sort_by` panicked ("user-provided comparison function does not correctly
    /// implement a total order"). The cycle is broken now; the verdict must not depend on the
    /// order of the events either.
    #[test]
    fn maven_cycle_versions_sort_and_evaluate() {
        let maven = Scheme::Maven;
        let cycle = ["1-beta", "1", "1.x.4"];
        assert_eq!(maven.compare(cycle[0], cycle[1]), Some(Ordering::Less));
        assert_eq!(maven.compare(cycle[1], cycle[2]), Some(Ordering::Less));
        assert_eq!(maven.compare(cycle[0], cycle[2]), Some(Ordering::Less));
        let forward = affected("ECOSYSTEM", &[("introduced", "1"), ("fixed", "1.x.4")], &[]);
        let backward = affected("ECOSYSTEM", &[("fixed", "1.x.4"), ("introduced", "1")], &[]);
        for v in ["1-beta", "1", "1.0.1", "1.x.4", "2"] {
            assert_eq!(
                in_range(maven, &forward.ranges[0], v).is_some(),
                in_range(maven, &backward.ranges[0], v).is_some(),
                "{v}"
            );
        }
        assert!(in_range(maven, &forward.ranges[0], "1.0.1").is_none());
        assert!(in_range(maven, &forward.ranges[0], "1").is_some());
        let events: Vec<(&str, &str)> = (0..21)
            .map(|i| {
                let kind = if i % 2 == 0 { "introduced" } else { "fixed" };
                (kind, cycle[(2 * i + i / 3) % 3])
            })
            .collect();
        let a = affected("ECOSYSTEM", &events, &[]);
        let eco = Ecosystem::parse("Maven");
        for v in cycle {
            let _ = in_range(maven, &a.ranges[0], v);
            let _ = evaluate(&eco, &a, v);
        }
        // Still a stable sort on a total order.
        let sorted = merge_sort_by(
            vec![(3, 'a'), (1, 'b'), (3, 'c'), (2, 'd'), (1, 'e')],
            &|x, y| x.0.cmp(&y.0),
        );
        assert_eq!(sorted, [(1, 'b'), (1, 'e'), (2, 'd'), (3, 'a'), (3, 'c')]);
    }

    #[test]
    fn evidence_and_fixed_after() {
        let a = affected(
            "ECOSYSTEM",
            &[
                ("introduced", "0"),
                ("fixed", "1.2"),
                ("introduced", "2.0"),
                ("fixed", "2.3"),
            ],
            &[],
        );
        let eco = Ecosystem::parse("PyPI");
        let Verdict::Affected(e) = evaluate(&eco, &a, "2.1") else {
            panic!("expected a hit");
        };
        assert_eq!(e.describe(), "ECOSYSTEM range >= 2.0, < 2.3");
        assert_eq!(fixed_after(&eco, &a, "2.1").as_deref(), Some("2.3"));
        assert_eq!(fixed_after(&eco, &a, "1.0").as_deref(), Some("1.2"));
        assert_eq!(fixed_after(&eco, &a, "3.0"), None);
    }
}
