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
