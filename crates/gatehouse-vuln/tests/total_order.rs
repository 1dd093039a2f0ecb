//! Every version scheme is a total order over arbitrary strings: reflexive, antisymmetric and
//! transitive, and it never panics, including on garbage and non-ASCII input.

use std::cmp::Ordering;

use gatehouse_vuln::Scheme;

const SCHEMES: [Scheme; 10] = [
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
];

const SAMPLES: &[&str] = &[
    "",
    // Cycles the fuzzer found in Maven's and PHP's own orderings (broken since).
    "1-beta",
    "1.x.4",
    "#3",
    "1.3",
    "3",
    "1.0.beta.4",
    "1-1",
    "1.sp.1",
    "0",
    "00",
    "1",
    "1.0",
    "1.0.0",
    "01.2",
    "1.2.3",
    "1.2.3.4",
    "1.10",
    "1.9",
    "v1.2.3",
    "1.2.3-alpha",
    "1.2.3-alpha.1",
    "1.2.3-0",
    "1.2.3+build",
    "1.2.3-rc.1+b",
    "1.0a",
    "1.0b1",
    "1.0rc1",
    "1.0.post1",
    "1.0.dev1",
    "1!2.0",
    "1.0+local.7",
    "1.0-SNAPSHOT",
    "1.0.Final",
    "1-sp1",
    "1:2.0-1",
    "2.0~rc1",
    "1.0+b1",
    "1.0-r1",
    "1.0_p1",
    "1.0_alpha",
    "1.0^git1",
    "1.0~rc1^git1",
    "a",
    "abc",
    "-",
    "..",
    "~",
    "^",
    "_",
    "+",
    ":",
    "1..2",
    "1--2",
    "dev-master",
    "é",
    "1.0-ü",
    "∞",
    "١٢",
    "9999999999999999999999",
    "0.0.0-2021-05-17T01-01-51",
    "1.0-1.a",
    "3.0.0.pre.alpha.pre.2",
    "6.6.2p1",
    "1.0.0.x1",
    " 1.0 ",
];

#[test]
fn each_scheme_is_a_total_order_on_hostile_samples() {
    for scheme in SCHEMES {
        let cmp = |a: &str, b: &str| scheme.compare(a, b).unwrap();
        for a in SAMPLES {
            assert_eq!(cmp(a, a), Ordering::Equal, "{scheme:?}: {a:?} = itself");
            for b in SAMPLES {
                assert_eq!(cmp(a, b), cmp(b, a).reverse(), "{scheme:?}: {a:?} vs {b:?}");
            }
        }
        // Sorted by the scheme, every later element is >= every earlier one and equal
        // elements are contiguous: together with antisymmetry, that is transitivity.
        let mut sorted: Vec<&str> = SAMPLES.to_vec();
        sorted.sort_by(|a, b| cmp(a, b));
        for (i, a) in sorted.iter().enumerate() {
            for (j, b) in sorted.iter().enumerate().skip(i + 1) {
                let ab = cmp(a, b);
                assert_ne!(
                    ab,
                    Ordering::Greater,
                    "{scheme:?}: {a:?} sorted before {b:?}"
                );
                if ab == Ordering::Equal {
                    for c in &sorted[i + 1..j] {
                        assert_eq!(cmp(a, c), Ordering::Equal, "{scheme:?}: {a:?} {c:?} {b:?}");
                    }
                }
            }
        }
    }
}
