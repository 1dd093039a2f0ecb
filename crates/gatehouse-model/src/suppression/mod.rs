//! `Suppression`: a signed-off, expiring waiver for findings, and its validation.
//!
//! A waiver says *which* findings (a [`Matcher`]), *why* (justification), *who agreed*
//! (approver) and *until when* (expiry, inclusive). All four are required: a waiver without an
//! end date is a silent permanent exception. [`Waivers`] applies a set of them and reports the
//! ones that matched nothing or have expired, so stale waivers get cleaned up.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::location::{normalize_purl, split_purl_version};
use crate::pattern::{PathPattern, PatternError, glob_matches};
use crate::{Finding, Suppressed, SuppressionSource};

mod waivers;

pub use waivers::{WaiverOutcome, WaiverReport, WaiverStatus, Waivers};

/// One waiver. In a config file its fields are flat:
///
/// ```toml
/// [[waiver]]
/// rule = "CKV_AWS_20"
/// path = "infra/legacy/"
/// resource = "module.logs.aws_s3_bucket.*"
/// justification = "Public website bucket, content is public by design"
/// approver = "@acme/security"
/// expires = "2025-06-30"
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suppression {
    /// Which findings it covers.
    #[serde(flatten)]
    pub matcher: Matcher,
    /// Why the risk is accepted. Required, not blank.
    pub justification: String,
    /// Who signed it off (a handle or e-mail). Required, not blank.
    pub approver: String,
    /// Last day the waiver applies (inclusive).
    pub expires: NaiveDate,
}

/// Which findings a waiver covers. Every field that is set must match.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Matcher {
    /// Glob over the rule id **or** any of the finding's vulnerability ids (`CKV_AWS_*`,
    /// `CVE-2021-44228`, `*`); see [`glob_matches`].
    pub rule: String,
    /// Path pattern, gitignore/CODEOWNERS style (see [`crate::pattern`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Glob over the resource address (`module.logs.aws_s3_bucket.*`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// Package URL. Without a version it covers every version (`pkg:npm/lodash`); with one,
    /// only that version. Qualifiers and subpaths are ignored on both sides.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purl: Option<String>,
}

/// The rules a waiver is validated against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaiverRules {
    /// The date validation happens on (the library does not read the clock).
    pub today: NaiveDate,
    /// How far ahead an expiry may be, in days from `today`.
    pub max_horizon_days: u32,
}

impl WaiverRules {
    /// The default horizon: waivers are reviewed at least quarterly.
    pub const DEFAULT_MAX_HORIZON_DAYS: u32 = 90;

    /// Rules for `today` with the default horizon.
    pub fn new(today: NaiveDate) -> Self {
        Self {
            today,
            max_horizon_days: Self::DEFAULT_MAX_HORIZON_DAYS,
        }
    }

    /// The latest acceptable expiry date.
    pub fn latest_expiry(&self) -> NaiveDate {
        self.today
            .checked_add_days(Days::new(u64::from(self.max_horizon_days)))
            .unwrap_or(NaiveDate::MAX)
    }
}

/// Why a waiver is not acceptable. Each message says what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SuppressionError {
    #[error("`justification` is empty: say why this risk is accepted")]
    MissingJustification,
    #[error("`approver` is empty: name who signed this waiver off")]
    MissingApprover,
    #[error("`rule` is empty: name the rule or vulnerability id (or a glob such as `CKV_AWS_*`)")]
    MissingRule,
    #[error("`path`: {0}")]
    InvalidPath(PatternError),
    #[error("expired on {expires} (today is {today}): fix the findings or renew the waiver")]
    Expired {
        expires: NaiveDate,
        today: NaiveDate,
    },
    #[error(
        "expires on {expires}, more than {max_horizon_days} days ahead: \
         pick a date on or before {latest}"
    )]
    TooFarAhead {
        expires: NaiveDate,
        latest: NaiveDate,
        max_horizon_days: u32,
    },
}

impl Suppression {
    /// Every problem with this waiver; empty `Ok` means it is acceptable today.
    pub fn validate(&self, rules: &WaiverRules) -> Result<(), Vec<SuppressionError>> {
        let mut errors = Vec::new();
        if self.matcher.rule.trim().is_empty() {
            errors.push(SuppressionError::MissingRule);
        }
        if let Some(Err(error)) = self.matcher.path.as_deref().map(PathPattern::new) {
            errors.push(SuppressionError::InvalidPath(error));
        }
        if self.justification.trim().is_empty() {
            errors.push(SuppressionError::MissingJustification);
        }
        if self.approver.trim().is_empty() {
            errors.push(SuppressionError::MissingApprover);
        }
        if self.is_expired(rules.today) {
            errors.push(SuppressionError::Expired {
                expires: self.expires,
                today: rules.today,
            });
        } else if self.expires > rules.latest_expiry() {
            errors.push(SuppressionError::TooFarAhead {
                expires: self.expires,
                latest: rules.latest_expiry(),
                max_horizon_days: rules.max_horizon_days,
            });
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// Whether the waiver no longer applies on `today` (it applies through its expiry date).
    pub fn is_expired(&self, today: NaiveDate) -> bool {
        today > self.expires
    }

    /// Whether the matcher covers `finding` (expiry is not considered). A path pattern that
    /// does not compile matches nothing; [`Suppression::validate`] reports it.
    pub fn matches(&self, finding: &Finding) -> bool {
        let path = match &self.matcher.path {
            Some(pattern) => match PathPattern::new(pattern) {
                Ok(pattern) => Some(pattern),
                Err(_) => return false,
            },
            None => None,
        };
        self.matcher.matches_with(path.as_ref(), finding)
    }

    /// The record put on a finding this waiver suppresses.
    pub fn suppressed(&self) -> Suppressed {
        Suppressed {
            source: SuppressionSource::Waiver,
            justification: self.justification.clone(),
            approver: Some(self.approver.clone()),
            expires: Some(self.expires),
        }
    }
}

impl Matcher {
    /// Matches with an already-compiled path pattern.
    fn matches_with(&self, path: Option<&PathPattern>, finding: &Finding) -> bool {
        let location = &finding.location;
        let rule = self.rule.trim();
        let rule_ok = !rule.is_empty()
            && (glob_matches(rule, &finding.rule_id)
                || finding
                    .vulnerability_ids
                    .iter()
                    .any(|id| glob_matches(rule, id)));
        let path_ok = match path {
            Some(pattern) => location.path.as_deref().is_some_and(|p| pattern.matches(p)),
            None => true,
        };
        let resource_ok = match &self.resource {
            Some(glob) => location
                .resource
                .as_deref()
                .is_some_and(|r| glob_matches(glob, r)),
            None => true,
        };
        let purl_ok = match &self.purl {
            Some(wanted) => location.purl.as_deref().is_some_and(|purl| {
                purl_matches(wanted, purl, location.package_version.as_deref())
            }),
            None => true,
        };
        rule_ok && path_ok && resource_ok && purl_ok
    }
}

fn purl_matches(wanted: &str, purl: &str, package_version: Option<&str>) -> bool {
    let wanted = normalize_purl(wanted);
    let actual = normalize_purl(purl);
    let (wanted_name, wanted_version) = split_purl_version(&wanted);
    let (actual_name, actual_version) = split_purl_version(&actual);
    wanted_name == actual_name
        && match wanted_version {
            None => true,
            Some(version) => actual_version.or(package_version) == Some(version),
        }
}
