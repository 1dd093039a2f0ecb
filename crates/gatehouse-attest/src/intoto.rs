//! in-toto Statement v1 (`https://in-toto.io/Statement/v1`): subjects by digest, a predicate
//! type URI and the predicate; v0.1 statements are read too.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::dsse::INTOTO_PAYLOAD_TYPE;

pub const STATEMENT_V1: &str = "https://in-toto.io/Statement/v1";
pub const STATEMENT_V01: &str = "https://in-toto.io/Statement/v0.1";

/// Predicate types gatehouse names by a short word (as cosign's `--type`).
pub const PREDICATE_TYPES: &[(&str, &str)] = &[
    ("slsaprovenance1", "https://slsa.dev/provenance/v1"),
    ("cyclonedx", "https://cyclonedx.org/bom"),
    ("spdx", "https://spdx.dev/Document"),
    ("spdxjson", "https://spdx.dev/Document"),
    ("openvex", "https://openvex.dev/ns"),
    ("vuln", "https://cosign.sigstore.dev/attestation/vuln/v1"),
    ("custom", "https://cosign.sigstore.dev/attestation/v1"),
];

/// `--type` → predicate type URI: a short name from [`PREDICATE_TYPES`] or any absolute URI.
/// `slsaprovenance` (cosign's SLSA v0.2) is refused with a pointer to `slsaprovenance1`.
pub fn predicate_type(name: &str) -> Result<String, IntotoError> {
    if let Some((_, uri)) = PREDICATE_TYPES.iter().find(|(n, _)| *n == name) {
        return Ok((*uri).to_string());
    }
    if name == "slsaprovenance" {
        return Err(IntotoError::PredicateType(
            "`slsaprovenance` is SLSA v0.2 in cosign; use `slsaprovenance1` (https://slsa.dev/provenance/v1)".into(),
        ));
    }
    if name.contains("://") {
        return Ok(name.to_string());
    }
    let names: Vec<&str> = PREDICATE_TYPES.iter().map(|(n, _)| *n).collect();
    Err(IntotoError::PredicateType(format!(
        "unknown predicate type `{name}`: use one of {} or a URI",
        names.join(", ")
    )))
}

#[derive(Debug, thiserror::Error)]
pub enum IntotoError {
    #[error("{0}")]
    PredicateType(String),
    #[error("the DSSE payload type is `{0}`, not an in-toto statement ({INTOTO_PAYLOAD_TYPE})")]
    PayloadType(String),
    #[error("not an in-toto statement: {0}")]
    Malformed(String),
    #[error("artifact mismatch: no subject of the statement has sha256 {0}")]
    SubjectMismatch(String),
}

/// An in-toto Statement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Statement {
    #[serde(rename = "_type")]
    pub type_: String,
    pub subject: Vec<Subject>,
    #[serde(rename = "predicateType")]
    pub predicate_type: String,
    #[serde(default, skip_serializing_if = "serde_json::Value::is_null")]
    pub predicate: serde_json::Value,
}

/// What a statement is about: a name and its digests (`sha256` → lowercase hex).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subject {
    #[serde(default)]
    pub name: String,
    pub digest: BTreeMap<String, String>,
}

impl Subject {
    pub fn sha256(name: &str, digest: &[u8; 32]) -> Self {
        Self {
            name: name.to_string(),
            digest: BTreeMap::from([("sha256".to_string(), hex::encode(digest))]),
        }
    }
}

impl Statement {
    /// A v1 statement about `subjects`.
    pub fn new(subjects: Vec<Subject>, predicate_type: &str, predicate: serde_json::Value) -> Self {
        Self {
            type_: STATEMENT_V1.to_string(),
            subject: subjects,
            predicate_type: predicate_type.to_string(),
            predicate,
        }
    }

    /// Parses a v1 or v0.1 statement with at least one subject.
    pub fn from_json(bytes: &[u8]) -> Result<Self, IntotoError> {
        let st: Self =
            serde_json::from_slice(bytes).map_err(|e| IntotoError::Malformed(e.to_string()))?;
        if st.type_ != STATEMENT_V1 && st.type_ != STATEMENT_V01 {
            return Err(IntotoError::Malformed(format!(
                "_type is `{}`, expected {STATEMENT_V1}",
                st.type_
            )));
        }
        if st.subject.is_empty() {
            return Err(IntotoError::Malformed("it has no subject".into()));
        }
        Ok(st)
    }

    pub fn to_json(&self) -> Vec<u8> {
        // Plain data with string keys: serializing cannot fail.
        serde_json::to_vec(self).unwrap_or_default()
    }

    /// Whether any subject has this SHA-256 digest (hex compared case-insensitively).
    pub fn has_subject_sha256(&self, digest: &[u8; 32]) -> bool {
        let want = hex::encode(digest);
        self.subject.iter().any(|s| {
            s.digest
                .get("sha256")
                .is_some_and(|d| d.eq_ignore_ascii_case(&want))
        })
    }
}

/// Checks that a DSSE payload is an in-toto statement with a subject of this digest.
pub fn require_subject_sha256(
    payload_type: &str,
    payload: &[u8],
    digest: &[u8; 32],
) -> Result<Statement, IntotoError> {
    if payload_type != INTOTO_PAYLOAD_TYPE {
        return Err(IntotoError::PayloadType(payload_type.to_string()));
    }
    let st = Statement::from_json(payload)?;
    if !st.has_subject_sha256(digest) {
        return Err(IntotoError::SubjectMismatch(hex::encode(digest)));
    }
    Ok(st)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects_match_by_sha256_only() {
        let d = [7u8; 32];
        let st = Statement::new(
            vec![Subject::sha256("a.txt", &d)],
            "https://x/y",
            serde_json::json!({}),
        );
        let json = st.to_json();
        let text = String::from_utf8(json.clone()).unwrap();
        assert!(text.starts_with(r#"{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"a.txt","digest":{"sha256":"0707"#));
        assert!(require_subject_sha256(INTOTO_PAYLOAD_TYPE, &json, &d).is_ok());
        let err = require_subject_sha256(INTOTO_PAYLOAD_TYPE, &json, &[8u8; 32]).unwrap_err();
        assert!(err.to_string().contains("artifact mismatch"));
        assert!(require_subject_sha256("text/plain", &json, &d).is_err());
        assert!(
            Statement::from_json(br#"{"_type":"x","subject":[],"predicateType":"p"}"#).is_err()
        );
    }

    #[test]
    fn predicate_type_names() {
        assert_eq!(
            predicate_type("slsaprovenance1").unwrap(),
            "https://slsa.dev/provenance/v1"
        );
        assert_eq!(
            predicate_type("https://example.com/p/v1").unwrap(),
            "https://example.com/p/v1"
        );
        assert!(
            predicate_type("slsaprovenance")
                .unwrap_err()
                .to_string()
                .contains("slsaprovenance1")
        );
        assert!(predicate_type("sbom").is_err());
    }
}
