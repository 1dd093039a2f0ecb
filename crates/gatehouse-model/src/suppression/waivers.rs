//! `Waivers`: a set of waivers applied to findings, reporting the stale ones.

use chrono::NaiveDate;

use super::{Suppression, SuppressionError, WaiverRules};
use crate::Finding;
use crate::pattern::PathPattern;

/// A set of waivers, in file order.
#[derive(Debug, Clone, Default)]
pub struct Waivers {
    entries: Vec<Entry>,
}

#[derive(Debug, Clone)]
struct Entry {
    waiver: Suppression,
    /// `None` without a path; `Err` for a pattern that does not compile (matches nothing).
    path: Option<Result<PathPattern, ()>>,
}

/// What happened to each waiver in one [`Waivers::apply`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WaiverReport {
    /// One per waiver, in file order.
    pub outcomes: Vec<WaiverOutcome>,
}

/// What happened to one waiver.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaiverOutcome {
    /// Index of the waiver in the set (file order).
    pub index: usize,
    /// Findings its matcher covers (for an expired waiver: would have covered).
    pub matched: usize,
    pub status: WaiverStatus,
}

/// The state of one waiver after applying the set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaiverStatus {
    /// Matched at least one finding and is in force.
    Applied,
    /// In force but matched nothing: the problem is gone (or the matcher is wrong); delete it.
    Unmatched,
    /// Past its expiry: not applied. `matched > 0` means findings are back in the gate.
    Expired,
}

impl Waivers {
    /// A set of waivers (path patterns compiled once).
    pub fn new(waivers: Vec<Suppression>) -> Self {
        let entries = waivers
            .into_iter()
            .map(|waiver| {
                let path = waiver
                    .matcher
                    .path
                    .as_deref()
                    .map(|p| PathPattern::new(p).map_err(drop));
                Entry { waiver, path }
            })
            .collect();
        Self { entries }
    }

    /// The waivers, in order.
    pub fn iter(&self) -> impl Iterator<Item = &Suppression> {
        self.entries.iter().map(|entry| &entry.waiver)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Every problem of every waiver, as `(index, error)` in file order.
    pub fn validate(&self, rules: &WaiverRules) -> Vec<(usize, SuppressionError)> {
        self.iter()
            .enumerate()
            .flat_map(|(index, waiver)| {
                waiver
                    .validate(rules)
                    .err()
                    .unwrap_or_default()
                    .into_iter()
                    .map(move |e| (index, e))
            })
            .collect()
    }

    /// Suppresses every finding covered by a waiver in force on `today`.
    ///
    /// The first waiver in file order that covers a finding is recorded on it
    /// (`Finding::suppressed`); findings already suppressed (e.g. in source) keep their record.
    /// Every covering waiver counts the finding as matched, so none is reported unmatched just
    /// because an earlier one won. Expired waivers suppress nothing.
    pub fn apply(&self, findings: &mut [Finding], today: NaiveDate) -> WaiverReport {
        let mut matched = vec![0usize; self.entries.len()];
        for finding in findings.iter_mut() {
            let mut first_active = None;
            for (index, entry) in self.entries.iter().enumerate() {
                if !entry.matches(finding) {
                    continue;
                }
                if let Some(count) = matched.get_mut(index) {
                    *count += 1;
                }
                if first_active.is_none() && !entry.waiver.is_expired(today) {
                    first_active = Some(index);
                }
            }
            let waiver = first_active.and_then(|index| self.entries.get(index));
            if let (Some(entry), None) = (waiver, &finding.suppressed) {
                finding.suppressed = Some(entry.waiver.suppressed());
            }
        }
        let outcomes = self
            .entries
            .iter()
            .zip(matched)
            .enumerate()
            .map(|(index, (entry, matched))| {
                let status = if entry.waiver.is_expired(today) {
                    WaiverStatus::Expired
                } else if matched == 0 {
                    WaiverStatus::Unmatched
                } else {
                    WaiverStatus::Applied
                };
                WaiverOutcome {
                    index,
                    matched,
                    status,
                }
            })
            .collect();
        WaiverReport { outcomes }
    }

    /// The waiver at `index`.
    pub fn get(&self, index: usize) -> Option<&Suppression> {
        self.entries.get(index).map(|entry| &entry.waiver)
    }
}

impl FromIterator<Suppression> for Waivers {
    fn from_iter<I: IntoIterator<Item = Suppression>>(iter: I) -> Self {
        Self::new(iter.into_iter().collect())
    }
}

impl Entry {
    fn matches(&self, finding: &Finding) -> bool {
        match &self.path {
            Some(Err(())) => false,
            Some(Ok(pattern)) => self.waiver.matcher.matches_with(Some(pattern), finding),
            None => self.waiver.matcher.matches_with(None, finding),
        }
    }
}

impl WaiverReport {
    /// Indices of waivers in force that matched nothing (cargo-deny's `advisory-not-detected`).
    pub fn unmatched(&self) -> impl Iterator<Item = usize> + '_ {
        self.with_status(WaiverStatus::Unmatched)
    }

    /// Indices of expired waivers.
    pub fn expired(&self) -> impl Iterator<Item = usize> + '_ {
        self.with_status(WaiverStatus::Expired)
    }

    /// Indices of waivers that suppressed something.
    pub fn applied(&self) -> impl Iterator<Item = usize> + '_ {
        self.with_status(WaiverStatus::Applied)
    }

    fn with_status(&self, status: WaiverStatus) -> impl Iterator<Item = usize> + '_ {
        self.outcomes
            .iter()
            .filter(move |o| o.status == status)
            .map(|o| o.index)
    }
}
