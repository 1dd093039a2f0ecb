//! Properties of `gatehouse-vuln`'s untrusted-input code: version orderings
//! (`Scheme::compare`), OSV records (`osv`, `range`, `Advisories`) and CVSS vectors
//! (`cvss::base_score`).

use std::cmp::Ordering;

use gatehouse_vuln::osv::{self, Vulnerability};
use gatehouse_vuln::range::{self, Verdict};
use gatehouse_vuln::{Advisories, Ecosystem, Scheme, cvss, parse_purl};

/// Every scheme, `Unknown` included.
pub const SCHEMES: [Scheme; 11] = [
    Scheme::SemVer,
    Scheme::Go,
    Scheme::Pep440,
    Scheme::Maven,
    Scheme::RubyGems,
    Scheme::NuGet,
    Scheme::Packagist,
    Scheme::Debian,
    Scheme::Alpine,
    Scheme::Rpm,
    Scheme::Unknown,
];

/// Splits the input at newlines into two or three version strings (lossy UTF-8) and checks
/// every scheme is a total order on them: reflexive (`a == a`), antisymmetric
/// (`cmp(a, b) == cmp(b, a).reverse()`) and transitive over every ordering of the triple.
/// `Unknown` compares nothing (`None`).
pub fn check_versions(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    let versions: Vec<&str> = text.splitn(3, '\n').collect();
    for scheme in SCHEMES {
        check_total_order(scheme, &versions);
    }
}

/// The total-order properties of `scheme` on `versions` (any number; transitivity needs three).
pub fn check_total_order(scheme: Scheme, versions: &[&str]) {
    let cmp = |a: &str, b: &str| scheme.compare(a, b);
    if scheme == Scheme::Unknown {
        for a in versions {
            for b in versions {
                assert_eq!(cmp(a, b), None, "Unknown compared {a:?} and {b:?}");
            }
        }
        return;
    }
    let cmp = |a: &str, b: &str| {
        cmp(a, b).unwrap_or_else(|| panic!("{scheme:?}: no ordering for {a:?} and {b:?}"))
    };
    for a in versions {
        assert_eq!(cmp(a, a), Ordering::Equal, "{scheme:?}: {a:?} != itself");
        for b in versions {
            let ab = cmp(a, b);
            let ba = cmp(b, a);
            assert_eq!(
                ab,
                ba.reverse(),
                "{scheme:?}: not antisymmetric: cmp({a:?}, {b:?}) = {ab:?}, cmp({b:?}, {a:?}) = \
                 {ba:?}"
            );
        }
    }
    for x in versions {
        for y in versions {
            for z in versions {
                let (xy, yz, xz) = (cmp(x, y), cmp(y, z), cmp(x, z));
                // x ? y ? z determines x ? z unless the two steps point opposite ways.
                let want = match (xy, yz) {
                    (Ordering::Equal, o) | (o, Ordering::Equal) => Some(o),
                    (a, b) if a == b => Some(a),
                    _ => None,
                };
                if let Some(want) = want {
                    assert_eq!(
                        xz, want,
                        "{scheme:?}: not transitive: {x:?} {xy:?} {y:?}, {y:?} {yz:?} {z:?}, but \
                         {x:?} {xz:?} {z:?}"
                    );
                }
            }
        }
    }
}

/// `cvss::base_score` on arbitrary text: no panic; a score is finite, in 0.0..=10.0 and
/// rounded to one decimal (every CVSS version rounds its base score so).
pub fn check_cvss(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    if let Some(score) = cvss::base_score(&text) {
        check_score(&text, score);
    }
}

fn check_score(vector: &str, score: f64) {
    assert!(
        score.is_finite() && (0.0..=10.0).contains(&score),
        "{vector:?}: score {score} outside 0.0..=10.0"
    );
    let tenths = score * 10.0;
    assert!(
        (tenths - tenths.round()).abs() < 1e-6,
        "{vector:?}: score {score} is not rounded to one decimal"
    );
}

/// An OSV record (JSON) end to end: deserialization, `osv::validate`, ratings, range
/// evaluation with every scheme, and `Advisories` matching for versions taken from the record.
/// Checks: no panic; ratings' scores in range; a problem path is a JSON pointer; a
/// `fixed_after` answer is one of the entry's `fixed` events; and the index agrees with the
/// evaluator: a version the entry lists, or that `range::evaluate` finds affected, matches the
/// record through `Advisories::match_package` unless it is withdrawn; a withdrawn record never
/// matches.
pub fn check_osv(bytes: &[u8]) {
    let Ok(v) = serde_json::from_slice::<Vulnerability>(bytes) else {
        return;
    };
    for p in osv::validate(&v) {
        assert!(p.path.starts_with('/'), "problem path {:?}", p.path);
    }
    let _ = v.modified_time();
    let rating = cvss::rate(&v, None);
    if let Some(score) = rating.score {
        check_score(&rating.basis, score);
    }
    let advisories = Advisories::new(vec![v.clone()]);
    for affected in v.affected.iter().take(4) {
        let rating = cvss::rate(&v, Some(affected));
        if let Some(score) = rating.score {
            check_score(&rating.basis, score);
        }
        let Some(p) = &affected.package else {
            continue;
        };
        if let Some(purl) = &p.purl
            && let Some(pr) = parse_purl(purl)
        {
            let eco = pr.ecosystem.to_string();
            let _ = advisories.match_package(&eco, &pr.name, pr.version.as_deref().unwrap_or(""));
        }
        let eco = Ecosystem::parse(&p.ecosystem);
        let mut versions: Vec<&str> = vec!["0", ""];
        for r in &affected.ranges {
            for e in &r.events {
                versions.extend(
                    [&e.introduced, &e.fixed, &e.last_affected, &e.limit]
                        .into_iter()
                        .flatten()
                        .map(String::as_str),
                );
            }
        }
        versions.extend(affected.versions.iter().map(String::as_str));
        versions.truncate(10);
        for version in versions {
            let verdict = range::evaluate(&eco, affected, version);
            if let Some(f) = range::fixed_after(&eco, affected, version) {
                assert!(
                    affected
                        .ranges
                        .iter()
                        .flat_map(|r| &r.events)
                        .any(|e| e.fixed.as_deref() == Some(f.as_str())),
                    "fixed_after({version:?}) = {f:?} is no fixed event"
                );
            }
            for scheme in SCHEMES.iter().filter(|s| **s != Scheme::Unknown) {
                for r in affected.ranges.iter().take(4) {
                    let _ = range::in_range(*scheme, r, version);
                }
            }
            let (matches, unresolved) = advisories.match_package(&p.ecosystem, &p.name, version);
            for m in &matches {
                if let Some(score) = m.rating.score {
                    check_score(&m.rating.basis, score);
                }
                let _ = m.to_finding(None);
            }
            if v.is_withdrawn() {
                assert!(
                    matches.is_empty() && unresolved.is_empty(),
                    "a withdrawn record matched {version:?}"
                );
                continue;
            }
            let listed = affected.versions.iter().any(|l| l == version);
            if listed || matches!(verdict, Verdict::Affected(_)) {
                assert!(
                    matches.iter().any(|m| m.advisory_id == v.id),
                    "{} {:?} {version:?}: evaluate says {verdict:?} (listed: {listed}), but \
                     match_package found {matches:?}",
                    p.ecosystem,
                    p.name
                );
            }
        }
    }
}
