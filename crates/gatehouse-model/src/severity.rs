//! `Severity`: the one five-step scale every finding is normalized to, and the words that map onto it.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::report::sarif::Level;

/// How bad a finding is, ordered `Info < Low < Medium < High < Critical`.
///
/// Serialized in lowercase (`"high"`). Parse a scanner's own word with [`Severity::from_str`]
/// (known words only) or [`Severity::parse_lenient`] (never fails); map a CVSS base score with
/// [`Severity::from_cvss`].
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// No security impact on its own: notes, informational results, "unknown"/"none".
    #[default]
    Info,
    Low,
    Medium,
    High,
    Critical,
}

/// The words each severity is parsed from, after normalization (lowercase; `_`, `-` and runs of
/// whitespace become one space). Kept as one table so the documentation, the parser and the
/// tests cannot drift apart.
///
/// Scanner-specific scales that reuse these words with other meanings (SonarQube's
/// `blocker > critical > major > minor > info`, where `critical` means *high*) need their own
/// mapping in their parser; this table is for the words' common meaning.
pub const SEVERITY_WORDS: &[(Severity, &[&str])] = &[
    (
        Severity::Critical,
        &[
            "critical",
            "crit",
            "blocker",
            "very high",
            "veryhigh",
            "urgent",
            "emergency",
            "fatal",
        ],
    ),
    (
        Severity::High,
        &[
            "high",
            "error",
            "err",
            "major",
            "important",
            "severe",
            "serious",
        ],
    ),
    (
        Severity::Medium,
        &["medium", "med", "moderate", "warning", "warn", "normal"],
    ),
    (Severity::Low, &["low", "minor", "trivial"]),
    (
        Severity::Info,
        &[
            "info",
            "information",
            "informational",
            "note",
            "notice",
            "hint",
            "suggestion",
            "style",
            "negligible",
            "unimportant",
            "none",
            "unknown",
            "unspecified",
            "undefined",
            "untriaged",
        ],
    ),
];

/// A severity word that is not in [`SEVERITY_WORDS`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown severity `{word}`: expected critical, high, medium, low or info \
     (or a scanner word such as blocker, error, moderate, warning, minor, note)"
)]
pub struct ParseSeverityError {
    /// The word as given.
    pub word: String,
}

impl Severity {
    /// Every severity, lowest first.
    pub const ALL: [Severity; 5] = [
        Severity::Info,
        Severity::Low,
        Severity::Medium,
        Severity::High,
        Severity::Critical,
    ];

    /// The lowercase name, as serialized (`"high"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    /// The uppercase label used in human-facing reports (`"HIGH"`).
    pub fn label(self) -> &'static str {
        match self {
            Severity::Info => "INFO",
            Severity::Low => "LOW",
            Severity::Medium => "MEDIUM",
            Severity::High => "HIGH",
            Severity::Critical => "CRITICAL",
        }
    }

    /// Parses any scanner's severity word and never fails.
    ///
    /// Tries, in order: the words in [`SEVERITY_WORDS`] (case, `_`/`-` and spacing ignored), a
    /// CVSS base score such as `"7.5"` (see [`Severity::from_cvss`]); anything else is `Info`,
    /// as DefectDojo does. Keep the original word in `Finding::tool_severity`.
    pub fn parse_lenient(word: &str) -> Severity {
        if let Ok(severity) = word.parse() {
            return severity;
        }
        match word.trim().parse::<f64>() {
            Ok(score) => Severity::from_cvss(score),
            Err(_) => Severity::Info,
        }
    }

    /// Maps a CVSS (v2, v3 or v4) base score to the qualitative bands of CVSS v3:
    /// `0.0` → Info (CVSS "None"), `0.1–3.9` → Low, `4.0–6.9` → Medium, `7.0–8.9` → High,
    /// `9.0–10.0` → Critical. Scores between bands (e.g. `3.95`) fall into the lower one; scores
    /// out of range clamp; `NaN` is Info.
    pub fn from_cvss(score: f64) -> Severity {
        if score.is_nan() || score <= 0.0 {
            Severity::Info
        } else if score < 4.0 {
            Severity::Low
        } else if score < 7.0 {
            Severity::Medium
        } else if score < 9.0 {
            Severity::High
        } else {
            Severity::Critical
        }
    }

    /// The SARIF `level` for this severity: Critical and High are `error`, Medium is `warning`,
    /// Low and Info are `note`.
    pub fn sarif_level(self) -> Level {
        match self {
            Severity::Critical | Severity::High => Level::Error,
            Severity::Medium => Level::Warning,
            Severity::Low | Severity::Info => Level::Note,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Severity {
    type Err = ParseSeverityError;

    /// Parses a severity word from [`SEVERITY_WORDS`]; case, `_`, `-` and spacing are ignored.
    fn from_str(word: &str) -> Result<Self, Self::Err> {
        let normalized = normalize_word(word);
        SEVERITY_WORDS
            .iter()
            .find(|(_, words)| words.contains(&normalized.as_str()))
            .map(|(severity, _)| *severity)
            .ok_or_else(|| ParseSeverityError {
                word: word.to_owned(),
            })
    }
}

/// Lowercase, `_`/`-` as spaces, whitespace runs collapsed, trimmed.
fn normalize_word(word: &str) -> String {
    let spaced: String = word
        .chars()
        .map(|c| {
            if c == '_' || c == '-' {
                ' '
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}
