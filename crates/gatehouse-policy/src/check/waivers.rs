//! The waivers file (`.gatehouse/waivers.yaml`): time-boxed, signed-off exceptions to rules.
//!
//! ```yaml
//! waivers:
//!   - rule: GH-AZR-001                     # rule id (glob) or Checkov id
//!     target: azurerm_storage_account.logs # resource address glob, or a path glob (has a `/`)
//!     reason: Public website assets, reviewed with security
//!     approved_by: "@acme/security"
//!     expires: 2026-12-31
//!   - rule: CVE-2024-0001                  # advisory id or any alias (gatehouse scan)
//!     target: pkg:npm/lodash               # a package URL, with or without @version
//!     reason: Not reachable: only used at build time
//!     approved_by: "@acme/security"
//!     expires: 2026-12-31
//! ```
//!
//! A waiver without reason, approver or expiry, or expiring beyond the allowed horizon, is a
//! configuration error naming its line.

use chrono::NaiveDate;
use gatehouse_model::{Matcher, Suppression, SuppressionError, WaiverRules, Waivers};
use serde_json::Value as Json;

use crate::error::{PolicyError, RegoPosition};
use crate::parser::{self, Parser};

/// Parses and validates a waivers file. `file` is the name used in errors.
pub fn load(file: &str, bytes: &[u8], rules: &WaiverRules) -> Result<Waivers, PolicyError> {
    let (doc, map) = parser::parse_with_source_map(Parser::Yaml, file, bytes)?;
    let list = match &doc {
        Json::Null => return Ok(Waivers::new(Vec::new())),
        Json::Object(o) => o.get("waivers").cloned().unwrap_or(Json::Array(Vec::new())),
        Json::Array(_) => doc.clone(),
        _ => return Err(error(file, 1, "expected a `waivers:` list".into())),
    };
    let Json::Array(items) = list else {
        return Err(error(
            file,
            map.line_of("/waivers").unwrap_or(1) as usize,
            "`waivers` must be a list".into(),
        ));
    };
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let pointer = if doc.is_array() {
            format!("/{i}")
        } else {
            format!("/waivers/{i}")
        };
        let line = map.line_of(&pointer).unwrap_or(1) as usize;
        let field = |name: &str| {
            item.get(name)
                .and_then(Json::as_str)
                .map(str::trim)
                .unwrap_or_default()
                .to_string()
        };
        let expires_text = match item.get("expires") {
            Some(Json::String(s)) => s.clone(),
            Some(other) if !other.is_null() => other.to_string(),
            _ => String::new(),
        };
        let rule = field("rule");
        if rule.is_empty() {
            errors.push(error(file, line, "waiver has no `rule`".into()));
            continue;
        }
        if expires_text.is_empty() {
            errors.push(error(
                file,
                line,
                format!("waiver for {rule} has no `expires` date (YYYY-MM-DD)"),
            ));
            continue;
        }
        let Ok(expires) = NaiveDate::parse_from_str(&expires_text, "%Y-%m-%d") else {
            errors.push(error(
                file,
                line,
                format!("waiver for {rule}: `expires: {expires_text}` is not a YYYY-MM-DD date"),
            ));
            continue;
        };
        let target = field("target");
        let (path, resource, purl) = if target.is_empty() {
            (None, None, None)
        } else if target.starts_with("pkg:") {
            (None, None, Some(target))
        } else if target.contains('/') {
            (Some(target), None, None)
        } else {
            (None, Some(target), None)
        };
        let waiver = Suppression {
            matcher: Matcher {
                rule: rule.clone(),
                path,
                resource,
                purl,
            },
            justification: field("reason"),
            approver: field("approved_by"),
            expires,
        };
        // Expired waivers are not configuration errors: they stop applying and are reported.
        let problems: Vec<_> = waiver
            .validate(rules)
            .err()
            .unwrap_or_default()
            .into_iter()
            .filter(|p| !matches!(p, SuppressionError::Expired { .. }))
            .collect();
        if !problems.is_empty() {
            for p in problems {
                errors.push(error(file, line, format!("waiver for {rule}: {p}")));
            }
            continue;
        }
        out.push(waiver);
    }
    match PolicyError::collect(errors) {
        Some(e) => Err(e),
        None => Ok(Waivers::new(out)),
    }
}

fn error(file: &str, line: usize, message: String) -> PolicyError {
    PolicyError::Rego {
        file: file.to_string(),
        position: Some(RegoPosition {
            file: file.to_string(),
            line,
            column: 1,
        }),
        message,
    }
}
