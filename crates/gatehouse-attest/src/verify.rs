//! Sigstore bundle verification (v0.1, v0.2, v0.3) against a trusted root read from a file:
//! `sigstore-verify` does the cryptography (certificate chain, SCT, transparency log,
//! timestamps, signature, DSSE subject binding); this module adds the policy choices gatehouse
//! exposes (key, exact identity, identity regex) and the artifact-or-digest input.

use sha2::{Digest as _, Sha256};
use sigstore_verify::trust_root::TrustedRoot;
use sigstore_verify::types::{Artifact, Bundle, DerPublicKey, Sha256Hash};
use sigstore_verify::{PublicKeyVerificationPolicy, VerificationPolicy, Verifier};

use crate::PublicKey;

/// What is being verified: the artifact's bytes, or only its SHA-256 digest.
#[derive(Debug, Clone)]
pub enum ArtifactInput {
    Bytes(Vec<u8>),
    Sha256([u8; 32]),
}

impl ArtifactInput {
    /// Parses `sha256:<64 hex>` (the digest form of the FILE argument); `None` if `arg` does not
    /// start with `sha256:`.
    pub fn parse_digest(arg: &str) -> Option<Result<Self, VerifyError>> {
        let hex_part = arg.strip_prefix("sha256:")?;
        let mut digest = [0u8; 32];
        Some(match hex::decode_to_slice(hex_part, &mut digest) {
            Ok(()) => Ok(Self::Sha256(digest)),
            Err(_) => Err(VerifyError::Input(format!(
                "`{arg}` is not a digest: expected `sha256:` and 64 hex digits"
            ))),
        })
    }

    /// The artifact's SHA-256 digest.
    pub fn sha256(&self) -> [u8; 32] {
        match self {
            Self::Bytes(b) => Sha256::digest(b).into(),
            Self::Sha256(d) => *d,
        }
    }
}

/// Who must have signed.
#[derive(Debug, Clone)]
pub enum SignerPolicy {
    /// A managed key (cosign `--key`): bundles carry a public-key hint instead of a certificate.
    Key(PublicKey),
    /// A Fulcio-style certificate for this identity (SAN) issued after login at this OIDC
    /// issuer (the certificate's `1.3.6.1.4.1.57264.1.8` / `.1.1` extension).
    Identity {
        identity: IdentityMatch,
        issuer: IdentityMatch,
    },
}

/// How the certificate's SAN (email or URI), or its OIDC issuer, must match.
#[derive(Debug, Clone)]
pub enum IdentityMatch {
    Exact(String),
    /// Unanchored like cosign's `--certificate-identity-regexp`; anchor with `^…$`.
    Regex(regex::Regex),
}

impl From<String> for IdentityMatch {
    fn from(exact: String) -> Self {
        Self::Exact(exact)
    }
}

impl From<&str> for IdentityMatch {
    fn from(exact: &str) -> Self {
        Self::Exact(exact.to_string())
    }
}

impl IdentityMatch {
    fn matches(&self, value: &str) -> bool {
        match self {
            Self::Exact(v) => v == value,
            Self::Regex(re) => re.is_match(value),
        }
    }
}

impl std::fmt::Display for IdentityMatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Exact(v) => f.write_str(v),
            Self::Regex(re) => write!(f, "the regular expression {re}"),
        }
    }
}

/// Why a bundle was not accepted.
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    /// The verifier's own inputs are unusable (trusted root, key, digest argument).
    #[error("{0}")]
    Input(String),
    /// The bundle is not valid JSON / not a Sigstore bundle.
    #[error("not a valid Sigstore bundle: {0}")]
    Bundle(String),
    /// The bundle is well formed but does not prove what the policy requires.
    #[error("{0}")]
    Failed(String),
}

impl VerifyError {
    /// Whether this is a verification failure (as opposed to unusable input).
    pub fn is_failure(&self) -> bool {
        !matches!(self, Self::Input(_))
    }
}

/// The media type of Sigstore trusted roots (`trusted_root.json`).
pub const TRUSTED_ROOT_MEDIA_TYPE: &str =
    "application/vnd.dev.sigstore.trustedroot+json;version=0.1";

/// A trusted root (`trusted_root.json`) parsed and prepared for verification.
pub struct TrustRoot {
    verifier: Verifier,
}

impl std::fmt::Debug for TrustRoot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TrustRoot").finish_non_exhaustive()
    }
}

impl TrustRoot {
    /// Parses a `application/vnd.dev.sigstore.trustedroot+json` document and checks its keys,
    /// certificates and validity windows.
    pub fn from_json(json: &str) -> Result<Self, VerifyError> {
        // The parser below defaults every missing field, so any JSON object (a bundle passed by
        // mistake) would otherwise become an empty root.
        let media_type = serde_json::from_str::<serde_json::Value>(json)
            .map_err(|e| VerifyError::Input(format!("not a trusted root: {e}")))?
            .get("mediaType")
            .and_then(|m| m.as_str().map(str::to_string));
        match media_type.as_deref() {
            Some(m) if m.starts_with("application/vnd.dev.sigstore.trustedroot") => {}
            other => {
                return Err(VerifyError::Input(format!(
                    "not a usable trusted root: mediaType is {}, expected {TRUSTED_ROOT_MEDIA_TYPE}",
                    other.map_or("missing".to_string(), |m| format!("`{m}`"))
                )));
            }
        }
        let root = TrustedRoot::from_json(json)
            .map_err(|e| VerifyError::Input(format!("not a usable trusted root: {e}")))?;
        let verifier = Verifier::new(&root)
            .map_err(|e| VerifyError::Input(format!("not a usable trusted root: {e}")))?;
        Ok(Self { verifier })
    }
}

impl TrustRoot {
    /// A root that trusts no CA, log or TSA: enough for key-signed bundles verified under
    /// [`Options::insecure_ignore_tlog`], and for nothing else.
    pub fn empty() -> Result<Self, VerifyError> {
        Self::from_json(&format!(
            r#"{{"mediaType":"{TRUSTED_ROOT_MEDIA_TYPE}","tlogs":[],"certificateAuthorities":[],"ctlogs":[],"timestampAuthorities":[]}}"#
        ))
    }
}

/// What was proven, for the command's report.
#[derive(Debug, Clone)]
pub struct Verified {
    /// `sha256:<hex>` of the artifact.
    pub artifact_digest: String,
    /// The certificate's SAN for keyless bundles.
    pub identity: Option<String>,
    pub issuer: Option<String>,
    /// `sha256:<hex>` of the public key for key-based bundles.
    pub key: Option<String>,
    /// Whether a transparency-log inclusion was verified.
    pub tlog_verified: bool,
    /// The bundle's media type.
    pub media_type: String,
    /// The in-toto statement of a DSSE bundle (verified with the bundle).
    pub statement: Option<crate::intoto::Statement>,
}

impl Verified {
    /// Checks the verified statement's SLSA provenance v1 predicate against `policy`.
    pub fn check_provenance(
        &self,
        policy: &crate::slsa::ProvenancePolicy,
    ) -> Result<crate::slsa::Provenance, VerifyError> {
        let st = self.statement.as_ref().ok_or_else(|| {
            VerifyError::Failed(
                "provenance policy: the bundle signs a blob, not an attestation (no DSSE statement)"
                    .into(),
            )
        })?;
        if st.predicate_type != crate::slsa::PROVENANCE_V1 {
            return Err(VerifyError::Failed(format!(
                "provenance policy: the predicate type is `{}`, not {}",
                st.predicate_type,
                crate::slsa::PROVENANCE_V1
            )));
        }
        let prov: crate::slsa::Provenance =
            serde_json::from_value(st.predicate.clone()).map_err(|e| {
                VerifyError::Failed(format!("provenance policy: not a SLSA v1 predicate: {e}"))
            })?;
        prov.check(policy)
            .map_err(|e| VerifyError::Failed(e.to_string()))?;
        Ok(prov)
    }
}

/// The statement inside a bundle's DSSE envelope, if it carries one.
pub(crate) fn bundle_statement(bundle: &Bundle) -> Option<crate::intoto::Statement> {
    match &bundle.content {
        sigstore_verify::types::SignatureContent::DsseEnvelope(env) => {
            crate::intoto::Statement::from_json(env.payload.as_bytes()).ok()
        }
        _ => None,
    }
}

/// Choices that weaken verification; all off by default.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Accept key-signed bundles without transparency-log proof (cosign's
    /// `--insecure-ignore-tlog`): bundles made offline by `gatehouse sign-blob`.
    pub insecure_ignore_tlog: bool,
    /// Accept signing certificates without a signed certificate timestamp from a CT log of the
    /// trusted root (cosign's `--insecure-ignore-sct`): certificates of a private CA that logs
    /// to no CT log. The chain, validity, identity and issuer are still checked.
    pub insecure_ignore_sct: bool,
}

/// Maps `sigstore-verify`'s identity and issuer mismatches to messages that name both sides.
fn identity_error(
    e: sigstore_verify::Error,
    identity: &IdentityMatch,
    issuer: &IdentityMatch,
) -> VerifyError {
    match e {
        sigstore_verify::Error::IdentityMismatch { actual, .. } => VerifyError::Failed(format!(
            "identity mismatch: the certificate is for {}, not {identity}",
            actual.map_or("no email or URI identity".into(), |a| a
                .as_str()
                .to_string())
        )),
        sigstore_verify::Error::IssuerMismatch { actual, .. } => VerifyError::Failed(format!(
            "issuer mismatch: the certificate was issued after login at {}, not {issuer}",
            actual.as_deref().unwrap_or("no OIDC issuer")
        )),
        sigstore_verify::Error::Certificate(sigstore_verify::error::CertificateError::Sct(d)) => {
            VerifyError::Failed(format!(
                "invalid signed certificate timestamp: {d}; a certificate of a private CA that logs to no CT log verifies with --insecure-ignore-sct"
            ))
        }
        sigstore_verify::Error::Timestamp(
            t @ sigstore_verify::error::TimestampError::NoVerifiedTimestamp(_),
        ) => VerifyError::Failed(format!(
            "{t}; a certificate signature needs a transparency-log entry (with a signed entry timestamp) or an RFC 3161 timestamp from a log or TSA of the trusted root"
        )),
        other => VerifyError::Failed(other.to_string()),
    }
}

/// Verifies `bundle_json` for `artifact` under `policy` with the trust in `root`.
pub fn verify_bundle(
    root: &TrustRoot,
    bundle_json: &str,
    artifact: &ArtifactInput,
    policy: &SignerPolicy,
) -> Result<Verified, VerifyError> {
    verify_bundle_with(root, bundle_json, artifact, policy, Options::default())
}

/// [`verify_bundle`] with explicit [`Options`].
pub fn verify_bundle_with(
    root: &TrustRoot,
    bundle_json: &str,
    artifact: &ArtifactInput,
    policy: &SignerPolicy,
    options: Options,
) -> Result<Verified, VerifyError> {
    let digest = artifact.sha256();
    let converted;
    let bundle_json = match crate::cosign_v2::blob_bundle(bundle_json, &digest) {
        Some(c) => {
            converted = c?;
            converted.as_str()
        }
        None => bundle_json,
    };
    let bundle = Bundle::from_json(bundle_json).map_err(|e| VerifyError::Bundle(e.to_string()))?;
    let no_log_evidence = bundle.verification_material.tlog_entries.is_empty()
        && bundle
            .verification_material
            .timestamp_verification_data
            .rfc3161_timestamps
            .is_empty();
    if let (SignerPolicy::Key(key), true) = (policy, no_log_evidence) {
        if !options.insecure_ignore_tlog {
            return Err(VerifyError::Failed(
                "the bundle has no transparency-log entry and no timestamp; a key-signed bundle made offline (e.g. by `gatehouse sign-blob`) verifies only with --insecure-ignore-tlog".into(),
            ));
        }
        return crate::verify_offline::verify_key_bundle(&bundle, &digest, key);
    }
    let input: Artifact<'_> = match artifact {
        ArtifactInput::Bytes(b) => Artifact::from_blob(b),
        ArtifactInput::Sha256(d) => {
            let hash = Sha256Hash::from_hex(&hex::encode(d))
                .map_err(|e| VerifyError::Input(format!("digest: {e}")))?;
            Artifact::from_digest(hash)
        }
    };
    let failed = |e: sigstore_verify::Error| VerifyError::Failed(e.to_string());
    let mut verified = Verified {
        artifact_digest: format!("sha256:{}", hex::encode(digest)),
        identity: None,
        issuer: None,
        key: None,
        tlog_verified: false,
        media_type: bundle.media_type.to_string(),
        statement: bundle_statement(&bundle),
    };
    match policy {
        SignerPolicy::Key(key) => {
            let der = key
                .to_der()
                .map_err(|e| VerifyError::Input(e.to_string()))?;
            let mut policy = PublicKeyVerificationPolicy::new(DerPublicKey::new(der));
            if options.insecure_ignore_tlog {
                policy = policy.skip_tlog_unsafe();
            }
            let result = root
                .verifier
                .verify(input, &bundle, &policy)
                .map_err(failed)?;
            verified.key = Some(key.fingerprint());
            verified.tlog_verified = result.tlog_verified();
        }
        SignerPolicy::Identity { identity, issuer } => {
            let mut policy = VerificationPolicy::any_identity();
            if let IdentityMatch::Exact(id) = identity {
                policy = policy.require_identity(id.as_str());
            }
            if let IdentityMatch::Exact(iss) = issuer {
                policy = policy.require_issuer(iss.as_str());
            }
            if options.insecure_ignore_sct {
                policy = policy.skip_sct();
            }
            if options.insecure_ignore_tlog {
                policy = policy.skip_tlog_unsafe();
            }
            let result = root
                .verifier
                .verify(input, &bundle, &policy)
                .map_err(|e| identity_error(e, identity, issuer))?;
            let san = result.identity().map(|s| s.as_str().to_string());
            let iss = result.issuer().map(str::to_string);
            match &san {
                Some(s) if identity.matches(s) => {}
                Some(s) => {
                    return Err(VerifyError::Failed(format!(
                        "identity mismatch: the certificate is for {s}, not {identity}"
                    )));
                }
                None => {
                    return Err(VerifyError::Failed(
                        "identity mismatch: the certificate has no email or URI identity".into(),
                    ));
                }
            }
            match &iss {
                Some(i) if issuer.matches(i) => {}
                Some(i) => {
                    return Err(VerifyError::Failed(format!(
                        "issuer mismatch: the certificate was issued after login at {i}, not {issuer}"
                    )));
                }
                None => {
                    return Err(VerifyError::Failed(
                        "issuer mismatch: the certificate has no OIDC issuer extension (1.3.6.1.4.1.57264.1.8)".into(),
                    ));
                }
            }
            verified.identity = san;
            verified.issuer = iss;
            verified.tlog_verified = result.tlog_verified();
        }
    }
    Ok(verified)
}
