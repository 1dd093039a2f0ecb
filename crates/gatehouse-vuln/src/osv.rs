//! The OSV record model (ossf/osv-schema 1.7), serde in both directions, and record validation.
//!
//! Only what matching, reporting and incremental import need is typed; everything else an
//! advisory carries stays in `database_specific` / `ecosystem_specific` as JSON. Unknown fields
//! are ignored, so newer schema versions still load.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One OSV advisory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Vulnerability {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema_version: Option<String>,
    pub id: String,
    /// RFC 3339 time of the last change; drives incremental imports.
    #[serde(default)]
    pub modified: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawn: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub severity: Vec<SeverityScore>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub affected: Vec<Affected>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<Reference>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database_specific: Option<Value>,
}

/// `severity[]`: a scoring system and its vector or word.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeverityScore {
    /// `CVSS_V2`, `CVSS_V3`, `CVSS_V4`, `Ubuntu`.
    #[serde(rename = "type")]
    pub kind: String,
    pub score: String,
}

/// `affected[]`: one package and the versions of it that are affected.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Affected {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub package: Option<Package>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub severity: Vec<SeverityScore>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ranges: Vec<Range>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub versions: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ecosystem_specific: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database_specific: Option<Value>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Package {
    pub ecosystem: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purl: Option<String>,
}

/// `ranges[]`: `SEMVER`, `ECOSYSTEM` or `GIT`, with its events.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Range {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repo: Option<String>,
    #[serde(default)]
    pub events: Vec<Event>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database_specific: Option<Value>,
}

/// One range event. The schema allows exactly one key per event object; [`Event::kind`]
/// returns it and [`validate`] rejects objects with none or several.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub introduced: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixed: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_affected: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<String>,
}

/// The kind and version of an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind<'a> {
    Introduced(&'a str),
    Fixed(&'a str),
    LastAffected(&'a str),
    Limit(&'a str),
}

impl Event {
    /// The event's one key; `None` when it has none or several.
    pub fn kind(&self) -> Option<EventKind<'_>> {
        let all = [
            self.introduced.as_deref().map(EventKind::Introduced),
            self.fixed.as_deref().map(EventKind::Fixed),
            self.last_affected.as_deref().map(EventKind::LastAffected),
            self.limit.as_deref().map(EventKind::Limit),
        ];
        let mut present = all.into_iter().flatten();
        let first = present.next()?;
        present.next().is_none().then_some(first)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {
    #[serde(rename = "type")]
    pub kind: String,
    pub url: String,
}

impl Vulnerability {
    /// `modified` as a time, if it parses.
    pub fn modified_time(&self) -> Option<DateTime<Utc>> {
        parse_time(&self.modified)
    }

    /// Whether the record has been withdrawn.
    pub fn is_withdrawn(&self) -> bool {
        self.withdrawn.is_some()
    }

    /// `database_specific.severity` (GHSA's `LOW|MODERATE|HIGH|CRITICAL`), if any.
    pub fn database_severity(&self) -> Option<&str> {
        self.database_specific
            .as_ref()
            .and_then(|d| d.get("severity"))
            .and_then(Value::as_str)
    }
}

/// Parses an RFC 3339 time, also accepting a missing offset (read as UTC), as some exports write.
pub fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s.trim()) {
        return Some(t.with_timezone(&Utc));
    }
    chrono::NaiveDateTime::parse_from_str(s.trim(), "%Y-%m-%dT%H:%M:%S%.f")
        .ok()
        .map(|n| n.and_utc())
}

/// Why a record was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// JSON-pointer-like path inside the record (`/affected/0/ranges/1/events/2`).
    pub path: String,
    pub message: String,
}

/// Checks what matching relies on; an empty result means the record is usable.
///
/// Rejected: an empty `id`; a `modified` that is not an RFC 3339 time; an `affected` entry with
/// a package but an empty ecosystem or name; a range with no events, no `introduced` event, an
/// event with zero or several keys, a `SEMVER`/`ECOSYSTEM` range that is not one of the three
/// known types, or a `GIT` range without `repo`. Not rejected (the OSV linter would warn):
/// malformed commit hashes, missing `versions` lists, `affected` without a package (CVE records
/// keyed by repository only).
pub fn validate(v: &Vulnerability) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut bad = |path: String, message: &str| {
        problems.push(Problem {
            path,
            message: message.to_owned(),
        });
    };
    if v.id.trim().is_empty() {
        bad("/id".to_owned(), "empty id");
    }
    if v.modified_time().is_none() {
        bad(
            "/modified".to_owned(),
            "missing or not an RFC 3339 time (e.g. 2024-01-31T12:00:00Z)",
        );
    }
    for (a, affected) in v.affected.iter().enumerate() {
        if let Some(p) = &affected.package
            && (p.ecosystem.trim().is_empty() || p.name.trim().is_empty())
        {
            bad(format!("/affected/{a}/package"), "empty ecosystem or name");
        }
        for (r, range) in affected.ranges.iter().enumerate() {
            let at = format!("/affected/{a}/ranges/{r}");
            match range.kind.as_str() {
                "SEMVER" | "ECOSYSTEM" => {}
                "GIT" if range.repo.as_deref().is_some_and(|s| !s.is_empty()) => {}
                "GIT" => bad(at.clone(), "GIT range without repo"),
                _ => bad(at.clone(), "range type is not SEMVER, ECOSYSTEM or GIT"),
            }
            if range.events.is_empty() {
                bad(at.clone(), "range without events");
            }
            let mut introduced = false;
            for (e, event) in range.events.iter().enumerate() {
                match event.kind() {
                    None => bad(
                        format!("{at}/events/{e}"),
                        "event must have exactly one of introduced, fixed, last_affected, limit",
                    ),
                    Some(EventKind::Introduced(_)) => introduced = true,
                    Some(_) => {}
                }
            }
            if !range.events.is_empty() && !introduced {
                bad(at, "range without an introduced event");
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(json: &str) -> Vulnerability {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn event_keys_and_validation() {
        let v = record(
            r#"{"id":"X-1","modified":"2024-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"PyPI","name":"a"},
               "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"1.0","limit":"2"}]},
                         {"type":"GIT","events":[{"fixed":"abc"}]}]}]}"#,
        );
        let problems = validate(&v);
        let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "/affected/0/ranges/0/events/1",
                "/affected/0/ranges/1",
                "/affected/0/ranges/1"
            ]
        );
        assert_eq!(
            v.affected[0].ranges[0].events[0].kind(),
            Some(EventKind::Introduced("0"))
        );
    }

    #[test]
    fn times_and_database_severity() {
        let v = record(
            r#"{"id":"GHSA-x","modified":"2024-09-13T20:07:11.1Z","database_specific":{"severity":"HIGH"}}"#,
        );
        assert!(validate(&v).is_empty());
        assert_eq!(v.database_severity(), Some("HIGH"));
        assert!(parse_time("2024-10-10T00:00:00").is_some());
        assert!(parse_time("yesterday").is_none());
        let bad = record(r#"{"id":" ","modified":"soon"}"#);
        assert_eq!(validate(&bad).len(), 2);
    }
}
