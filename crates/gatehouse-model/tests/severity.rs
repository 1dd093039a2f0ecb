//! How every scanner's severity word, and CVSS scores, map onto gatehouse's five severities.

use gatehouse_model::report::sarif::Level;
use gatehouse_model::{ParseSeverityError, Severity};

/// `(what a scanner writes, what gatehouse makes of it, who writes it)`.
const WORDS: &[(&str, Severity, &str)] = &[
    (
        "critical",
        Severity::Critical,
        "Trivy, Grype, Snyk, npm audit",
    ),
    ("CRITICAL", Severity::Critical, "Trivy"),
    ("crit", Severity::Critical, "syslog-style tools"),
    ("BLOCKER", Severity::Critical, "SonarQube (generic meaning)"),
    ("Very High", Severity::Critical, "Veracode"),
    ("very_high", Severity::Critical, "Veracode API"),
    ("very-high", Severity::Critical, "hyphenated"),
    ("high", Severity::High, "most scanners"),
    ("HIGH", Severity::High, "Trivy, Bandit"),
    ("error", Severity::High, "SARIF level, ESLint, Semgrep"),
    ("ERROR", Severity::High, "Semgrep"),
    ("major", Severity::High, "Code Climate"),
    ("Important", Severity::High, "Red Hat"),
    ("medium", Severity::Medium, "most scanners"),
    ("MODERATE", Severity::Medium, "GitHub advisories, npm audit"),
    ("moderate", Severity::Medium, "OSV database_specific"),
    (
        "warning",
        Severity::Medium,
        "SARIF level, Semgrep, hadolint",
    ),
    ("WARN", Severity::Medium, "Checkov-style logs"),
    ("minor", Severity::Low, "Code Climate, SonarQube"),
    ("low", Severity::Low, "most scanners"),
    ("  Low  ", Severity::Low, "padded"),
    ("info", Severity::Info, "hadolint, Semgrep"),
    ("INFO", Severity::Info, "Semgrep"),
    ("informational", Severity::Info, "ZAP, Burp"),
    ("Information", Severity::Info, "Burp"),
    ("note", Severity::Info, "SARIF level"),
    ("none", Severity::Info, "SARIF level, CVSS"),
    ("UNKNOWN", Severity::Info, "Trivy"),
    ("Negligible", Severity::Info, "Grype"),
    ("unimportant", Severity::Info, "Debian tracker"),
];

#[test]
fn scanner_words_parse_to_the_expected_severity() {
    for (word, expected, source) in WORDS {
        assert_eq!(
            word.parse::<Severity>(),
            Ok(*expected),
            "{word:?} ({source})"
        );
        assert_eq!(
            Severity::parse_lenient(word),
            *expected,
            "{word:?} ({source})"
        );
    }
}

#[test]
fn unknown_words_are_an_error_that_lists_the_accepted_ones() {
    let error: ParseSeverityError = "catastrophic".parse::<Severity>().unwrap_err();
    assert_eq!(
        error.to_string(),
        "unknown severity `catastrophic`: expected critical, high, medium, low or info \
         (or a scanner word such as blocker, error, moderate, warning, minor, note)"
    );
}

#[test]
fn lenient_parsing_reads_cvss_scores_and_falls_back_to_info() {
    assert_eq!(Severity::parse_lenient("9.8"), Severity::Critical);
    assert_eq!(Severity::parse_lenient(" 7.5 "), Severity::High);
    assert_eq!(Severity::parse_lenient("0"), Severity::Info);
    assert_eq!(Severity::parse_lenient("catastrophic"), Severity::Info);
    assert_eq!(Severity::parse_lenient(""), Severity::Info);
}

#[test]
fn cvss_bands() {
    let cases = [
        (0.0, Severity::Info),
        (0.1, Severity::Low),
        (3.9, Severity::Low),
        (3.95, Severity::Low),
        (4.0, Severity::Medium),
        (6.9, Severity::Medium),
        (7.0, Severity::High),
        (8.9, Severity::High),
        (9.0, Severity::Critical),
        (10.0, Severity::Critical),
        (11.0, Severity::Critical),
        (-1.0, Severity::Info),
        (f64::NAN, Severity::Info),
    ];
    for (score, expected) in cases {
        assert_eq!(Severity::from_cvss(score), expected, "CVSS {score}");
    }
}

#[test]
fn severities_are_ordered_info_to_critical() {
    let mut shuffled = [
        Severity::High,
        Severity::Info,
        Severity::Critical,
        Severity::Low,
        Severity::Medium,
    ];
    shuffled.sort();
    assert_eq!(shuffled, Severity::ALL);
    assert!(Severity::Critical > Severity::High);
}

#[test]
fn serde_uses_lowercase_names() {
    assert_eq!(
        serde_json::to_string(&Severity::Critical).unwrap(),
        "\"critical\""
    );
    assert_eq!(
        serde_json::from_str::<Severity>("\"medium\"").unwrap(),
        Severity::Medium
    );
    for severity in Severity::ALL {
        assert_eq!(severity.to_string().parse::<Severity>(), Ok(severity));
    }
}

#[test]
fn sarif_levels() {
    let levels: Vec<Level> = Severity::ALL.iter().map(|s| s.sarif_level()).collect();
    assert_eq!(
        levels,
        [
            Level::Note,
            Level::Note,
            Level::Warning,
            Level::Error,
            Level::Error
        ]
    );
}
