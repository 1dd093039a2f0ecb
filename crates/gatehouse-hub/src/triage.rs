//! Triage vocabulary and the expiry sweeper: risk acceptance and false-positive decisions
//! carry a justification, an approver and an expiry (default 180 days, at most the hub's
//! configured maximum); when one runs out its findings come back. The SQL lives in
//! [`crate::store::triage`].

use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::HubError;
use crate::store::Store;

/// DefectDojo's `risk_acceptance_form_default_days`.
pub const DEFAULT_DAYS: u32 = 180;
/// The longest a decision may run unless the operator allows more.
pub const DEFAULT_MAX_DAYS: u32 = 365;
/// How often `gatehouse serve` looks for expired decisions (DefectDojo: every 3 hours).
pub const SWEEP_EVERY: Duration = Duration::from_secs(3600);

/// How long triage decisions may last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TriagePolicy {
    /// Expiry of a decision that names none.
    pub default_days: u32,
    /// The latest expiry a decision may name.
    pub max_days: u32,
}

impl Default for TriagePolicy {
    fn default() -> Self {
        TriagePolicy {
            default_days: DEFAULT_DAYS,
            max_days: DEFAULT_MAX_DAYS,
        }
    }
}

impl TriagePolicy {
    /// A policy allowing decisions up to `max_days`; the default expiry is 180 days or
    /// `max_days` when that is shorter.
    pub fn with_max_days(max_days: u32) -> Result<TriagePolicy, HubError> {
        if max_days == 0 {
            return Err(HubError::field(
                "max_acceptance_days",
                "must be at least 1: a suppression without a future expiry would never be reviewed",
            ));
        }
        Ok(TriagePolicy {
            default_days: DEFAULT_DAYS.min(max_days),
            max_days,
        })
    }
}

/// Which finding flag a decision sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    RiskAccepted,
    FalsePositive,
}

impl Kind {
    /// The finding column (and DefectDojo field) of this decision.
    pub fn flag(self) -> &'static str {
        match self {
            Kind::RiskAccepted => "risk_accepted",
            Kind::FalsePositive => "false_p",
        }
    }

    /// The other suppression flag, which keeps a finding inactive on its own.
    pub fn other_flag(self) -> &'static str {
        match self {
            Kind::RiskAccepted => "false_p",
            Kind::FalsePositive => "risk_accepted",
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Kind::RiskAccepted => "risk accepted",
            Kind::FalsePositive => "a false positive",
        }
    }
}

/// A triage decision as requested; DefectDojo's `Risk_Acceptance` fields.
#[derive(Debug, Clone)]
pub struct Decision {
    pub kind: Kind,
    pub name: Option<String>,
    /// Why (DefectDojo's `decision_details`, or `justification` of `accept_risks`). Required.
    pub justification: String,
    /// Who approved; defaults to the requesting user.
    pub accepted_by: Option<String>,
    /// Defaults to the policy's `default_days` from now.
    pub expiration_date: Option<DateTime<Utc>>,
    pub recommendation: Option<String>,
    pub recommendation_details: Option<String>,
    pub decision: Option<String>,
    /// Reactivate the findings on expiry (DefectDojo's default: yes).
    pub reactivate_expired: bool,
    /// Restart the findings' SLA clock on expiry (DefectDojo's default: no).
    pub restart_sla_expired: bool,
}

impl Decision {
    pub fn new(kind: Kind, justification: impl Into<String>) -> Decision {
        Decision {
            kind,
            name: None,
            justification: justification.into(),
            accepted_by: None,
            expiration_date: None,
            recommendation: None,
            recommendation_details: None,
            decision: None,
            reactivate_expired: true,
            restart_sla_expired: false,
        }
    }
}

/// Changes to a decision that has not expired yet (DefectDojo's `PATCH` of a risk
/// acceptance); `None` keeps the current value. Its findings stay as they are.
#[derive(Debug, Clone, Default)]
pub struct DecisionPatch {
    pub name: Option<String>,
    pub justification: Option<String>,
    pub accepted_by: Option<String>,
    /// Checked like a new decision's: in the future, within the policy's maximum from now.
    pub expiration_date: Option<DateTime<Utc>>,
    pub recommendation: Option<String>,
    pub recommendation_details: Option<String>,
    pub decision: Option<String>,
    pub reactivate_expired: Option<bool>,
    pub restart_sla_expired: Option<bool>,
}

/// Which findings a decision covers.
#[derive(Debug, Clone)]
pub enum Selection {
    /// These findings; each must exist and not be suppressed already.
    Ids(Vec<i64>),
    /// Every active, unsuppressed finding matching the findings list filters (at least one
    /// filter or a vulnerability id, so that nobody suppresses everything by accident).
    Filter {
        query: Vec<(String, String)>,
        vulnerability_id: Option<String>,
    },
}

/// What one expiry sweep did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Expiry {
    /// Decisions that ran out, now marked handled.
    pub risk_acceptances: Vec<i64>,
    /// Findings whose suppression was lifted (active again unless closed meanwhile).
    pub lifted: Vec<i64>,
}

/// Sweeps expired decisions now and then every `every`, forever; `report` hears each result
/// (the caller decides how to log). Several replicas may run it: on PostgreSQL each
/// acceptance is claimed with `FOR UPDATE SKIP LOCKED`.
pub async fn sweep_forever(
    store: Store,
    every: Duration,
    mut report: impl FnMut(Result<Expiry, HubError>),
) {
    let mut ticks = tokio::time::interval(every);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        report(store.expire_risk_acceptances(Utc::now()).await);
    }
}
