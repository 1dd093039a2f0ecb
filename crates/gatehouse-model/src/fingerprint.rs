//! `Fingerprint`: a finding's stable identity across runs, line shifts and scanners.
//!
//! # What feeds it (version `v1`)
//!
//! The fingerprint is the lowercase hex SHA-256 of the compact JSON array
//! `["gatehouse-fingerprint/v1", identity, path, anchor, hint]`, where
//!
//! 1. **identity**: the vulnerability id if the finding has any: the lexicographically smallest
//!    `CVE-` id among `vulnerability_ids`, else the smallest id of any kind, uppercased; so the
//!    same CVE found by two scanners (one calling it `GHSA-…` with a CVE alias) matches.
//!    Without vulnerability ids, the `rule_id` verbatim.
//! 2. **path**: `location.path` through [`normalize_path`], or
//!    `""`.
//! 3. **anchor**: `location.resource` verbatim if set; else `location.purl` without qualifiers
//!    (`?…`) and subpath (`#…`), with its type lowercased (scanners disagree on qualifiers such
//!    as `arch` and `distro`); with `@package_version` appended when the purl has no version;
//!    else `""`.
//! 4. **hint**: `location.snippet` with every run of whitespace collapsed to one space and the
//!    ends trimmed, if non-empty. Without a snippet: `""` when there is an anchor (a resource or
//!    package already says which one), else `"line:<start_line>"` (or `""` with no line).
//!
//! Deliberately **not** included: line and column numbers when a snippet or anchor exists (so
//! moving code keeps the identity), the message, title and severity (tools reword and re-rate),
//! the tool name and version (so scanners dedupe against each other), the image digest (a rebuilt
//! image still carries the same problem), owners, tags, properties.
//!
//! The documented limitation: a file finding with neither a snippet nor a resource/purl falls
//! back to the line number and so does *not* survive a line shift. Producers that can read the
//! file should fill `Location::snippet`.
//!
//! Changing any of this changes every stored identity: bump the version tag instead.

use std::fmt;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::Finding;
use crate::location::{normalize_path, normalize_purl, purl_has_version};

/// The version tag hashed into every fingerprint, and the SARIF `partialFingerprints` key suffix.
pub const FINGERPRINT_VERSION: &str = "v1";

/// Lowercase hex SHA-256 identifying a finding; see the [module docs](self) for the inputs.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Fingerprint(String);

impl Fingerprint {
    /// Computes the fingerprint of a finding (ignores any fingerprint already stored on it).
    pub fn of(finding: &Finding) -> Self {
        let inputs = Self::inputs(finding);
        let tag = format!("gatehouse-fingerprint/{FINGERPRINT_VERSION}");
        let array = [tag.as_str(), &inputs[0], &inputs[1], &inputs[2], &inputs[3]];
        // Serializing an array of strings cannot fail.
        let canonical = serde_json::to_string(&array).unwrap_or_default();
        Fingerprint(hex::encode(Sha256::digest(canonical.as_bytes())))
    }

    /// The four normalized inputs `[identity, path, anchor, hint]`, for debugging and docs.
    pub fn inputs(finding: &Finding) -> [String; 4] {
        let location = &finding.location;
        let anchor = anchor(finding);
        let hint = match location.snippet.as_deref().map(collapse_whitespace) {
            Some(snippet) if !snippet.is_empty() => snippet,
            _ if !anchor.is_empty() => String::new(),
            _ => location
                .start_line
                .map(|line| format!("line:{line}"))
                .unwrap_or_default(),
        };
        [
            identity(finding),
            location
                .path
                .as_deref()
                .map(normalize_path)
                .unwrap_or_default(),
            anchor,
            hint,
        ]
    }

    /// Wraps an existing hex string (e.g. read from a store). Not validated.
    pub fn from_hex(hex: impl Into<String>) -> Self {
        Fingerprint(hex.into())
    }

    /// The hex string.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn identity(finding: &Finding) -> String {
    let ids = || {
        finding
            .vulnerability_ids
            .iter()
            .map(|id| id.trim().to_ascii_uppercase())
    };
    let cve = ids().filter(|id| id.starts_with("CVE-")).min();
    cve.or_else(|| ids().filter(|id| !id.is_empty()).min())
        .unwrap_or_else(|| finding.rule_id.clone())
}

fn anchor(finding: &Finding) -> String {
    let location = &finding.location;
    if let Some(resource) = location.resource.as_deref().filter(|r| !r.is_empty()) {
        return resource.to_owned();
    }
    let Some(purl) = location.purl.as_deref().filter(|p| !p.is_empty()) else {
        return String::new();
    };
    let purl = normalize_purl(purl);
    match &location.package_version {
        Some(version) if !purl_has_version(&purl) => format!("{purl}@{version}"),
        _ => purl,
    }
}

fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A version-5-shaped UUID from the SHA-256 of `content`: same content, same UUID (document
/// serial numbers and namespaces that are reproducible).
pub fn content_uuid(content: &[u8]) -> String {
    let d = Sha256::digest(content);
    let mut b: [u8; 16] = [0; 16];
    for (dst, src) in b.iter_mut().zip(d.iter()) {
        *dst = *src;
    }
    b[6] = (b[6] & 0x0f) | 0x50;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex::encode(b);
    format!(
        "{}-{}-{}-{}-{}",
        h.get(0..8).unwrap_or_default(),
        h.get(8..12).unwrap_or_default(),
        h.get(12..16).unwrap_or_default(),
        h.get(16..20).unwrap_or_default(),
        h.get(20..32).unwrap_or_default()
    )
}
