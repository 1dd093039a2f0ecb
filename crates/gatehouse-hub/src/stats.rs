//! DefectDojo's import `statistics`: per severity (plus `total`), counts of each status flag.

use serde_json::{Map, Value, json};

use crate::prepare::SEVERITIES;

/// The status flags one finding contributes to a statistics object.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Flags {
    pub active: bool,
    pub verified: bool,
    pub duplicate: bool,
    pub false_p: bool,
    pub out_of_scope: bool,
    pub is_mitigated: bool,
    pub risk_accepted: bool,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Counts([i64; 8]);

impl Counts {
    fn add(&mut self, f: Flags, n: i64) {
        let flags = [
            f.active,
            f.verified,
            f.duplicate,
            f.false_p,
            f.out_of_scope,
            f.is_mitigated,
            f.risk_accepted,
        ];
        for (slot, set) in self.0.iter_mut().zip(flags) {
            if set {
                *slot += n;
            }
        }
        self.0[7] += n;
    }

    fn to_json(self) -> Value {
        let [
            active,
            verified,
            duplicate,
            false_p,
            out_of_scope,
            is_mitigated,
            risk_accepted,
            total,
        ] = self.0;
        json!({
            "active": active, "verified": verified, "duplicate": duplicate, "false_p": false_p,
            "out_of_scope": out_of_scope, "is_mitigated": is_mitigated,
            "risk_accepted": risk_accepted, "total": total,
        })
    }
}

/// Counts per severity; every severity key is always present.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    per_severity: [Counts; 5],
}

impl Stats {
    /// Adds `n` findings of `severity` with `flags`.
    pub fn add(&mut self, severity: &str, flags: Flags, n: i64) {
        let index = SEVERITIES.iter().position(|s| *s == severity).unwrap_or(4);
        if let Some(counts) = self.per_severity.get_mut(index) {
            counts.add(flags, n);
        }
    }

    pub fn total(&self) -> i64 {
        self.per_severity.iter().map(|c| c.0[7]).sum()
    }

    /// `{"info": …, "low": …, "medium": …, "high": …, "critical": …, "total": …}`.
    pub fn to_json(&self) -> Value {
        let mut map = Map::new();
        let mut total = Counts::default();
        for (word, counts) in SEVERITIES.iter().zip(self.per_severity.iter()).rev() {
            map.insert(word.to_lowercase(), counts.to_json());
            for (t, c) in total.0.iter_mut().zip(counts.0) {
                *t += c;
            }
        }
        map.insert("total".to_owned(), total.to_json());
        Value::Object(map)
    }
}

/// A reimport's `delta`: what each report item (or absent finding) did.
#[derive(Debug, Clone, Default)]
pub struct Delta {
    pub created: Stats,
    pub closed: Stats,
    pub reactivated: Stats,
    pub untouched: Stats,
}

impl Delta {
    pub fn to_json(&self) -> Value {
        json!({
            "created": self.created.to_json(),
            "closed": self.closed.to_json(),
            "reactivated": self.reactivated.to_json(),
            "untouched": self.untouched.to_json(),
        })
    }
}
