//! The published ordering vectors of google/osv-scanner and its successor google/osv-scalibr
//! (Apache-2.0 test data, stored byte-exact under `tests/fixtures/versions/`, see ORIGIN.md
//! there), run through our schemes.
//!
//! Every line `A OP B` is checked both ways round (`A OP B` and `B OP' A`) under each scheme its
//! file is used for, as osv-scanner itself uses it. All failures are collected and printed. A line
//! is left out only through [`EXCEPTIONS`] below, each with its reason, and an exception that no
//! longer fails is itself a failure, so the table cannot go stale.

use std::cmp::Ordering;
use std::path::Path;

use gatehouse_vuln::Scheme;

/// Which schemes each file is run under (osv-scanner runs `semver-versions.txt` for npm,
/// crates.io, Hex and Go alike).
const FILES: &[(&str, &[Scheme])] = &[
    ("semver-versions.txt", &[Scheme::SemVer, Scheme::Go]),
    ("maven-versions.txt", &[Scheme::Maven]),
    ("maven-versions-generated.txt", &[Scheme::Maven]),
    ("pypi-versions.txt", &[Scheme::Pep440]),
    ("pypi-versions-generated.txt", &[Scheme::Pep440]),
    ("nuget-versions.txt", &[Scheme::NuGet]),
    ("packagist-versions.txt", &[Scheme::Packagist]),
    ("packagist-versions-generated.txt", &[Scheme::Packagist]),
    ("rubygems-versions.txt", &[Scheme::RubyGems]),
    ("rubygems-versions-generated.txt", &[Scheme::RubyGems]),
    ("debian-versions.txt", &[Scheme::Debian]),
    ("debian-versions-generated.txt", &[Scheme::Debian]),
    ("alpine-versions.txt", &[Scheme::Alpine]),
    ("alpine-versions-generated.txt", &[Scheme::Alpine]),
    ("redhat-versions.txt", &[Scheme::Rpm]),
    // The newest copies, from google/osv-scalibr (where osv-scanner's comparison code moved).
    ("osv-scalibr/alpine-versions.txt", &[Scheme::Alpine]),
    ("osv-scalibr/redhat-versions.txt", &[Scheme::Rpm]),
];

/// Lines deliberately not followed: `(file, scheme, line, reason)`. Keep this short; each entry
/// is a place where osv-scanner's vector disagrees with the ecosystem's own tool.
const EXCEPTIONS: &[(&str, Scheme, &str, &str)] = &[
    // Maven: osv-scanner follows the POM reference's prose; the real `ComparableVersion`
    // (maven-artifact 3.8.7, run here) keeps the emptied `ga` sub-list, so `1-ga-1` < `1-1`.
    (
        "maven-versions.txt",
        Scheme::Maven,
        "1-1 = 1-ga-1",
        MAVEN_GA,
    ),
    // Maven: the generated file was made with maven-artifact 3.8.6. MNG-7644 (3.8.7, 3.9.0)
    // reads `.X1` like `-X1`, so `1.0.0.RC8-beta` is `1-rc-8-beta` and sorts before
    // `1.0.0-RC16`, and `2.9.0.RC1` is `2.9-rc-1`, below `2.9.0-1`; 3.8.7 (run here) and 3.9
    // order these pairs the other way round.
    (
        "maven-versions-generated.txt",
        Scheme::Maven,
        "1.0.0-RC16 < 1.0.0.RC8-beta",
        MNG_7644,
    ),
    (
        "maven-versions-generated.txt",
        Scheme::Maven,
        "1.0.0-gradle-rework-beta3 < 1.0.0.RC7-3",
        MNG_7644,
    ),
    (
        "maven-versions-generated.txt",
        Scheme::Maven,
        "2.9.0-1 < 2.9.0.RC1",
        MNG_7644,
    ),
    // Packagist: osv-scanner's vectors are PHP's raw `version_compare` on the strings as
    // written. Composer first normalizes every version to four numeric parts (`1.0` is
    // `1.0.0.0`, `v3.0.0-beta` is `3.0.0.0-beta`), so these pairs are ordered the other way
    // round (or equal) by Composer itself.
    (
        "packagist-versions.txt",
        Scheme::Packagist,
        "1.0.0 > 1.0",
        COMPOSER_PAD,
    ),
    (
        "packagist-versions-generated.txt",
        Scheme::Packagist,
        "v3.0 < v3.0.0-beta",
        COMPOSER_PAD,
    ),
    (
        "packagist-versions-generated.txt",
        Scheme::Packagist,
        "v3.4 < v3.4.0-alpha",
        COMPOSER_PAD,
    ),
    (
        "packagist-versions-generated.txt",
        Scheme::Packagist,
        "v4-beta4 < v4.0-alpha",
        COMPOSER_PAD,
    ),
    (
        "packagist-versions-generated.txt",
        Scheme::Packagist,
        "v4.4 < v4.4.0-beta",
        COMPOSER_PAD,
    ),
    (
        "packagist-versions-generated.txt",
        Scheme::Packagist,
        "v6.5 < v6.5.0-beta-0",
        COMPOSER_PAD,
    ),
    (
        "packagist-versions-generated.txt",
        Scheme::Packagist,
        "v6.6 < v6.6.0-beta",
        COMPOSER_PAD,
    ),
    // Packagist: Composer also spells the stability suffix out before comparing (`ALPHA.1` is
    // `alpha1`, `BETA.1` `beta1`, `-stable` is dropped; composer/semver's VersionParser, run
    // here); raw `version_compare` ranks `ALPHA` and `stable` as unknown words instead.
    (
        "packagist-versions-generated.txt",
        Scheme::Packagist,
        "v1.9.0-ALPHA.1 = v1.9.0-BETA.1",
        COMPOSER_STABILITY,
    ),
    (
        "packagist-versions-generated.txt",
        Scheme::Packagist,
        "v1.9.0-BETA.1 < v1.9.0-ALPHA.2",
        COMPOSER_STABILITY,
    ),
    (
        "packagist-versions-generated.txt",
        Scheme::Packagist,
        "v1.9.0-ALPHA.2 = v1.9.0-BETA.2",
        COMPOSER_STABILITY,
    ),
    (
        "packagist-versions-generated.txt",
        Scheme::Packagist,
        "5.1.0-stable < 5.1.0-beta2",
        COMPOSER_STABILITY,
    ),
    // Packagist: PHP ranks a `#` part equal to every number, which is not transitive: the same
    // file also says `1.2.3.# = 1.2.3` while `1.2.3 < 1.2.3.1`. No total order can satisfy all
    // three; Composer rejects `1.2.3.#` as a version anyway. We keep `1.2.3.# = 1.2.3`.
    (
        "packagist-versions.txt",
        Scheme::Packagist,
        "1.2.3.# = 1.2.3.1",
        PHP_HASH,
    ),
    // Alpine: versions apk rejects. We follow apk-tools 2's version.c (Alpine's apk through
    // 3.22, and the apk that produced osv-scanner's generated Alpine vectors): the walk stops
    // at the first rejected token and `TOKEN_INVALID` is the lowest token kind, so the version
    // that stops there sorts after the one that goes on or ends. osv-scalibr's newest file
    // follows its own Go port here; its comments say Alpine 3.x's apk orders the first five
    // the other way round, and osv-scanner's earlier copy (`alpine-versions.txt` above) says
    // `1 < 1-ruff` as we do. In the last two, one version goes on with `.` (another number
    // part) where the other has a letter; apk-tools 2 ranks the number part higher, as for
    // `1.2.1` > `1.2a`.
    (
        "osv-scalibr/alpine-versions.txt",
        Scheme::Alpine,
        "1-r-0 < 1-r0",
        APK2_INVALID,
    ),
    (
        "osv-scalibr/alpine-versions.txt",
        Scheme::Alpine,
        "1-r-1 < 1-r0",
        APK2_INVALID,
    ),
    (
        "osv-scalibr/alpine-versions.txt",
        Scheme::Alpine,
        "1.2.0A < 1.2.0d",
        APK2_INVALID,
    ),
    (
        "osv-scalibr/alpine-versions.txt",
        Scheme::Alpine,
        "1.2.0D < 1.2.0d",
        APK2_INVALID,
    ),
    (
        "osv-scalibr/alpine-versions.txt",
        Scheme::Alpine,
        "1 > 1-ruff",
        APK2_INVALID,
    ),
    (
        "osv-scalibr/alpine-versions.txt",
        Scheme::Alpine,
        "1-ruff2 = 1--ruff1",
        APK2_INVALID,
    ),
    (
        "osv-scalibr/alpine-versions.txt",
        Scheme::Alpine,
        "0.r1 < 0r2",
        APK2_DOT_LETTER,
    ),
    (
        "osv-scalibr/alpine-versions.txt",
        Scheme::Alpine,
        "0.8.21.r2 < 0.8.21r2",
        APK2_DOT_LETTER,
    ),
];

const APK2_INVALID: &str =
    "apk-tools 2 ranks a version that hits a rejected token above one that goes on or ends";
const APK2_DOT_LETTER: &str =
    "apk-tools 2 ranks a further number part ('.') above a letter at the same place";
const MNG_7644: &str = "maven-artifact 3.8.7+ (MNG-7644) reads .RC8 as -RC8; the file is 3.8.6";
const MAVEN_GA: &str = "maven-artifact's ComparableVersion orders 1-ga-1 before 1-1";
const COMPOSER_PAD: &str = "Composer pads versions to four numbers before version_compare";
const COMPOSER_STABILITY: &str =
    "Composer spells stability suffixes out (ALPHA.1 is alpha1, stable is dropped) first";
const PHP_HASH: &str =
    "PHP's '#' equals every number: intransitive, not a version Composer accepts";

fn want(op: &str) -> Option<Ordering> {
    match op {
        "<" => Some(Ordering::Less),
        "=" => Some(Ordering::Equal),
        ">" => Some(Ordering::Greater),
        _ => None,
    }
}

#[test]
fn osv_scanner_vectors() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/versions");
    let mut failures = Vec::new();
    let mut used = vec![false; EXCEPTIONS.len()];
    for (file, scheme, line, reason) in EXCEPTIONS {
        println!("exception: {file} [{scheme:?}] {line}: {reason}");
    }
    let mut summary = Vec::new();
    for (file, schemes) in FILES {
        let text =
            std::fs::read_to_string(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        for &scheme in *schemes {
            let (mut total, mut passed, mut excepted) = (0, 0, 0);
            for (n, line) in text.lines().enumerate() {
                if line.trim().is_empty() || line.starts_with("# ") || line.starts_with("// ") {
                    continue;
                }
                let parts: Vec<&str> = line.split_whitespace().collect();
                let [a, op, b] = parts[..] else {
                    failures.push(format!("{file}:{}: unparsable line {line:?}", n + 1));
                    continue;
                };
                let Some(want) = want(op) else {
                    failures.push(format!("{file}:{}: bad operator in {line:?}", n + 1));
                    continue;
                };
                total += 1;
                let got = scheme.compare(a, b).expect("known scheme");
                let back = scheme.compare(b, a).expect("known scheme");
                let ok = got == want && back == want.reverse();
                if let Some(i) = EXCEPTIONS
                    .iter()
                    .position(|(f, s, l, _)| f == file && *s == scheme && *l == line)
                {
                    used[i] = true;
                    excepted += 1;
                    if ok {
                        failures.push(format!(
                            "{file}:{} [{scheme:?}] {line}: listed as an exception but passes",
                            n + 1
                        ));
                    }
                    continue;
                }
                if ok {
                    passed += 1;
                } else {
                    failures.push(format!(
                        "{file}:{} [{scheme:?}] {line}: got {got:?}, reversed {back:?}",
                        n + 1
                    ));
                }
            }
            summary.push(format!(
                "{file} [{scheme:?}]: {passed}/{total} pass, {excepted} exceptions"
            ));
        }
    }
    for (i, (file, scheme, line, _)) in EXCEPTIONS.iter().enumerate() {
        if !used[i] {
            failures.push(format!("exception not found: {file} [{scheme:?}] {line}"));
        }
    }
    println!("{}", summary.join("\n"));
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
