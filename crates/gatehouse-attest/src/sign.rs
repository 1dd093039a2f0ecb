//! Key-based signing of blobs into Sigstore bundles v0.3 (`messageSignature` over the artifact's
//! SHA-256, `publicKey` hint), as `cosign sign-blob --key K --bundle B --tlog-upload=false`
//! writes them. No transparency-log entry is made (there is no log to reach offline), so
//! verifiers must accept key-signed bundles without one (`verify-blob --insecure-ignore-tlog`).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::json;
use sha2::{Digest as _, Sha256};

use crate::{KeyError, KeyPair, PublicKey};

/// Media type writers must use for bundles v0.3.
pub const BUNDLE_V03_MEDIA_TYPE: &str = "application/vnd.dev.sigstore.bundle.v0.3+json";

/// A signed artifact: the bundle JSON and what it covers.
#[derive(Debug, Clone)]
pub struct SignedBlob {
    /// The bundle, pretty-printed JSON.
    pub bundle_json: String,
    /// `sha256:<hex>` of the artifact.
    pub artifact_digest: String,
    /// `sha256:<hex>` of the signing key's public key.
    pub key: String,
}

/// The public-key hint written into bundles: base64 of SHA-256 over the DER public key. Hints
/// are not authenticated; verifiers use the key they are given.
pub fn key_hint(public: &PublicKey) -> Result<String, KeyError> {
    Ok(STANDARD.encode(Sha256::digest(public.to_der()?)))
}

/// Signs the artifact with SHA-256 digest `digest` and returns a v0.3 bundle.
pub fn sign_digest(key: &KeyPair, digest: &[u8; 32]) -> Result<SignedBlob, KeyError> {
    let signature = key.sign_prehash(digest)?;
    let public = key.public_key();
    let bundle = json!({
        "mediaType": BUNDLE_V03_MEDIA_TYPE,
        "verificationMaterial": {
            "publicKey": { "hint": key_hint(&public)? },
            "tlogEntries": [],
        },
        "messageSignature": {
            "messageDigest": { "algorithm": "SHA2_256", "digest": STANDARD.encode(digest) },
            "signature": STANDARD.encode(signature),
        },
    });
    Ok(SignedBlob {
        bundle_json: serde_json::to_string_pretty(&bundle)
            .map_err(|e| KeyError::Malformed(e.to_string()))?,
        artifact_digest: format!("sha256:{}", hex::encode(digest)),
        key: public.fingerprint(),
    })
}

/// Signs `artifact` and returns a v0.3 bundle.
pub fn sign_blob(key: &KeyPair, artifact: &[u8]) -> Result<SignedBlob, KeyError> {
    sign_digest(key, &Sha256::digest(artifact).into())
}

/// A signed attestation: the DSSE envelope and a v0.3 bundle around it.
#[derive(Debug, Clone)]
pub struct SignedAttestation {
    pub envelope: crate::dsse::Envelope,
    pub bundle_json: String,
    /// `sha256:<hex>` of the DSSE payload (the statement).
    pub statement_digest: String,
    pub key: String,
}

/// Signs `statement` into a DSSE envelope (in-toto payload type) and wraps it in a v0.3 bundle
/// with a `publicKey` hint, as `cosign attest-blob --key --new-bundle-format` does offline.
pub fn attest(
    key: &KeyPair,
    statement: &crate::intoto::Statement,
) -> Result<SignedAttestation, KeyError> {
    use crate::dsse::{Envelope, INTOTO_PAYLOAD_TYPE};
    let payload = statement.to_json();
    let statement_digest = format!("sha256:{}", hex::encode(Sha256::digest(&payload)));
    let envelope = Envelope::sign(INTOTO_PAYLOAD_TYPE, payload, key);
    let public = key.public_key();
    let bundle = json!({
        "mediaType": BUNDLE_V03_MEDIA_TYPE,
        "verificationMaterial": {
            "publicKey": { "hint": key_hint(&public)? },
            "tlogEntries": [],
        },
        "dsseEnvelope": {
            "payload": STANDARD.encode(&envelope.payload),
            "payloadType": envelope.payload_type,
            "signatures": [{ "sig": envelope.signature_b64().unwrap_or_default(), "keyid": "" }],
        },
    });
    Ok(SignedAttestation {
        bundle_json: serde_json::to_string_pretty(&bundle)
            .map_err(|e| KeyError::Malformed(e.to_string()))?,
        envelope,
        statement_digest,
        key: public.fingerprint(),
    })
}
