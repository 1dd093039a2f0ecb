//! Verification of key-signed bundles that carry no transparency-log entry or timestamp (made
//! offline, e.g. by `gatehouse sign-blob`), accepted only under `--insecure-ignore-tlog`.
//! `sigstore-verify` requires signing-time evidence, so the two checks that remain, the
//! signature and the artifact binding, are done here.

use sigstore_verify::types::bundle::VerificationMaterialContent;
use sigstore_verify::types::{Bundle, HashAlgorithm, SignatureContent};

use crate::PublicKey;
use crate::verify::{Verified, VerifyError};

pub(crate) fn verify_key_bundle(
    bundle: &Bundle,
    digest: &[u8; 32],
    key: &PublicKey,
) -> Result<Verified, VerifyError> {
    if !matches!(
        bundle.verification_material.content,
        VerificationMaterialContent::PublicKey(_)
    ) {
        return Err(VerifyError::Failed(
            "the bundle is signed with a certificate, not a key: verify it with --certificate-identity and --certificate-oidc-issuer".into(),
        ));
    }
    let hex_digest = hex::encode(digest);
    match &bundle.content {
        SignatureContent::MessageSignature(ms) => {
            let Some(md) = &ms.message_digest else {
                return Err(VerifyError::Bundle(
                    "messageSignature has no messageDigest".into(),
                ));
            };
            if md.algorithm != HashAlgorithm::Sha2256 {
                return Err(VerifyError::Failed(format!(
                    "unsupported message digest algorithm {:?} (expected SHA2_256)",
                    md.algorithm
                )));
            }
            if md.digest.as_bytes() != digest.as_slice() {
                return Err(VerifyError::Failed(format!(
                    "artifact mismatch: the bundle signs sha256:{}, the artifact is sha256:{hex_digest}",
                    hex::encode(md.digest.as_bytes())
                )));
            }
            key.verify_prehash(digest, ms.signature.as_bytes())
                .map_err(|_| {
                    VerifyError::Failed(format!(
                        "invalid signature: not made by key {} over sha256:{hex_digest}",
                        key.fingerprint()
                    ))
                })?;
        }
        SignatureContent::DsseEnvelope(env) => {
            let pae = crate::dsse::pae(&env.payload_type, env.payload.as_bytes());
            key.verify(&pae, env.signature.sig.as_bytes())
                .map_err(|_| {
                    VerifyError::Failed(format!(
                        "invalid signature: the DSSE envelope is not signed by key {}",
                        key.fingerprint()
                    ))
                })?;
            crate::intoto::require_subject_sha256(
                &env.payload_type,
                env.payload.as_bytes(),
                digest,
            )
            .map_err(|e| VerifyError::Failed(e.to_string()))?;
        }
        _ => {
            return Err(VerifyError::Bundle(
                "neither messageSignature nor dsseEnvelope".into(),
            ));
        }
    }
    Ok(Verified {
        artifact_digest: format!("sha256:{hex_digest}"),
        identity: None,
        issuer: None,
        key: Some(key.fingerprint()),
        tlog_verified: false,
        media_type: bundle.media_type.to_string(),
        statement: crate::verify::bundle_statement(bundle),
    })
}
