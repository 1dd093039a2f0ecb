//! Signatures and attestations of container images, by digest, stored in an OCI registry as
//! cosign v3 stores them: an OCI 1.1 referrer (artifact manifest whose single layer is a Sigstore
//! bundle v0.3, `subject` = the image) plus the referrers tag-schema index (`sha256-<hex>`) for
//! registries without the referrers API (Debian's `docker-registry` has none).
//!
//! cosign's legacy layout is written and read too (cosign ≤ v2, Kyverno's default): the
//! `sha256-<hex>.sig` tag for signatures and `sha256-<hex>.att` for attestations; see [`legacy`].
//! Verification reads both layouts.
//!
//! Registry access goes through `gatehouse-oci` (auth, plain HTTP only for loopback, digest
//! verification of everything pulled, the referrers API and its tag-schema fallback).

use std::collections::BTreeMap;

use gatehouse_oci::{ImageRef, RegistryOptions, media};
use serde_json::json;

use crate::intoto::{Statement, Subject};
use crate::sign::{BUNDLE_V03_MEDIA_TYPE, attest};
use crate::verify::{
    ArtifactInput, Options, SignerPolicy, TrustRoot, Verified, verify_bundle_with,
};
use crate::{KeyError, KeyPair};

pub mod legacy;
pub use gatehouse_oci::Credentials;
pub use legacy::{DSSE_ENVELOPE, SIMPLE_SIGNING, simple_signing_payload};

/// Predicate type of cosign v3 image signatures (an in-toto statement with an empty predicate).
pub const COSIGN_SIGN_PREDICATE: &str = "https://sigstore.dev/cosign/sign/v1";
const OCI_EMPTY: &str = "application/vnd.oci.empty.v1+json";
const ANN_CONTENT: &str = "dev.sigstore.bundle.content";
const ANN_PREDICATE: &str = "dev.sigstore.bundle.predicateType";
const ANN_CREATED: &str = "org.opencontainers.image.created";
/// Largest bundle (or legacy DSSE envelope) we download.
const MAX_BUNDLE_BYTES: usize = 16 << 20;

#[derive(Debug, thiserror::Error)]
pub enum OciError {
    #[error(
        "refusing to use the tag `{0}`: a tag can be moved to another image. Use `{1}@{2}` (what the tag points to now), or pass --resolve-tag"
    )]
    Tag(String, String, String),
    /// The registry could not be reached, refused us, or served something unusable.
    #[error(transparent)]
    Registry(#[from] gatehouse_oci::OciError),
    #[error(transparent)]
    Key(#[from] KeyError),
    #[error("{0}")]
    NotVerified(String),
}

/// An image reference with its digest pinned.
#[derive(Debug, Clone)]
pub struct PinnedImage {
    /// The repository at the digest.
    reference: ImageRef,
    /// `sha256:<hex>`.
    pub digest: String,
    /// The media type and size of the image manifest (for the referrer's `subject`).
    media_type: String,
    size: usize,
}

impl PinnedImage {
    /// `registry/repository@sha256:<hex>`.
    pub fn display(&self) -> String {
        self.reference.to_string()
    }

    /// `registry/repository` (the name signatures use).
    fn name(&self) -> String {
        format!(
            "{}/{}",
            self.reference.registry(),
            self.reference.repository()
        )
    }
}

/// Signs, attests and verifies images in registries.
#[derive(Debug, Clone)]
pub struct Registry {
    client: gatehouse_oci::Registry,
}

/// Parses `host[:port]/repo[:tag][@sha256:…]`, or a Docker Hub name (`alpine@sha256:…`).
pub fn parse_reference(image: &str) -> Result<ImageRef, OciError> {
    Ok(ImageRef::parse_image(image)?)
}

impl Registry {
    /// A client with `credentials` (basic, bearer or anonymous) for every registry: HTTPS, or
    /// plain HTTP for a loopback registry.
    pub fn new(credentials: Credentials) -> Self {
        Self {
            client: gatehouse_oci::Registry::new(RegistryOptions {
                credentials,
                ..RegistryOptions::default()
            }),
        }
    }

    /// An anonymous client.
    pub fn anonymous() -> Self {
        Self::new(Credentials::Anonymous)
    }

    /// Pins `reference` to a digest. A reference with a digest is used as is (after checking that
    /// the registry has it, byte for byte); a tag is resolved only when `resolve_tag`, else
    /// refused.
    pub async fn pin(
        &self,
        reference: &ImageRef,
        resolve_tag: bool,
    ) -> Result<PinnedImage, OciError> {
        let (bytes, digest) = self.client.pull_manifest(reference).await?;
        if reference.digest().is_none() && !resolve_tag {
            return Err(OciError::Tag(
                reference.to_string(),
                format!("{}/{}", reference.registry(), reference.repository()),
                digest,
            ));
        }
        let media_type = serde_json::from_slice::<serde_json::Value>(&bytes)
            .ok()
            .and_then(|v| {
                v.get("mediaType")
                    .and_then(|m| m.as_str())
                    .map(str::to_string)
            })
            .unwrap_or_else(|| media::OCI_MANIFEST.to_string());
        Ok(PinnedImage {
            reference: reference.with_digest(&digest),
            digest,
            media_type,
            size: bytes.len(),
        })
    }

    /// Signs `image` as cosign v3 does (in-toto statement, predicate type
    /// [`COSIGN_SIGN_PREDICATE`], empty predicate) and stores the bundle as a referrer.
    /// Returns the referrer manifest's digest.
    pub async fn sign(&self, image: &PinnedImage, key: &KeyPair) -> Result<String, OciError> {
        self.attest(image, key, COSIGN_SIGN_PREDICATE, json!({}))
            .await
    }

    /// Attests `predicate` of `predicate_type` about `image` and stores the bundle as a referrer.
    pub async fn attest(
        &self,
        image: &PinnedImage,
        key: &KeyPair,
        predicate_type: &str,
        predicate: serde_json::Value,
    ) -> Result<String, OciError> {
        let statement = statement_for(image, predicate_type, predicate)?;
        let signed = attest(key, &statement)?;
        self.attach_bundle(image, signed.bundle_json.into_bytes(), predicate_type)
            .await
    }

    /// Stores a Sigstore bundle v0.3 about `image` as a referrer, as cosign v3 does (also for
    /// bundles made elsewhere, e.g. by a keyless signer); `predicate_type` goes in the
    /// manifest's annotation. Returns the referrer manifest's digest.
    pub async fn attach_bundle(
        &self,
        image: &PinnedImage,
        bundle: Vec<u8>,
        predicate_type: &str,
    ) -> Result<String, OciError> {
        let r = &image.reference;
        let content = if serde_json::from_slice::<serde_json::Value>(&bundle)
            .is_ok_and(|b| b.get("messageSignature").is_some())
        {
            "message-signature"
        } else {
            "dsse-envelope"
        };
        let config_digest = self.client.push_blob(r, b"{}").await?;
        let bundle_digest = self.client.push_blob(r, &bundle).await?;
        let created = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let annotations = BTreeMap::from([
            (ANN_CONTENT.to_string(), content.to_string()),
            (ANN_PREDICATE.to_string(), predicate_type.to_string()),
            (ANN_CREATED.to_string(), created),
        ]);
        let manifest = json!({
            "schemaVersion": 2,
            "mediaType": media::OCI_MANIFEST,
            "artifactType": BUNDLE_V03_MEDIA_TYPE,
            "config": {"mediaType": OCI_EMPTY, "digest": config_digest, "size": 2},
            "layers": [{"mediaType": BUNDLE_V03_MEDIA_TYPE, "digest": bundle_digest, "size": bundle.len()}],
            "subject": {"mediaType": image.media_type, "digest": image.digest, "size": image.size},
            "annotations": annotations,
        });
        Ok(self
            .client
            .push_referrer(r, manifest.to_string().as_bytes())
            .await?)
    }

    /// Verifies the signatures (predicate type [`COSIGN_SIGN_PREDICATE`]) or attestations of
    /// `predicate_type` of `image` in both layouts: the referrers, and the legacy `.sig` / `.att`
    /// tag. Succeeds with every bundle or layer that verifies; fails when none does, saying what
    /// was found where and why it did not verify.
    pub async fn verify(
        &self,
        image: &PinnedImage,
        predicate_type: &str,
        root: &TrustRoot,
        policy: &SignerPolicy,
        options: Options,
    ) -> Result<Vec<Verified>, OciError> {
        let referrers = self
            .verify_referrers(image, predicate_type, root, policy, options)
            .await;
        let legacy = self
            .verify_legacy_any(image, predicate_type, root, policy, options)
            .await;
        let mut verified = Vec::new();
        let mut reasons = Vec::new();
        for outcome in [referrers, legacy] {
            match outcome {
                Ok(v) => verified.extend(v),
                Err(OciError::NotVerified(why)) => reasons.push(why),
                Err(e) => return Err(e),
            }
        }
        if verified.is_empty() {
            return Err(OciError::NotVerified(reasons.join("; ")));
        }
        Ok(verified)
    }

    /// Verifies the referrers of `image` with predicate type `predicate_type`; succeeds with
    /// every bundle that verifies, fails when none does (saying what was found where).
    pub async fn verify_referrers(
        &self,
        image: &PinnedImage,
        predicate_type: &str,
        root: &TrustRoot,
        policy: &SignerPolicy,
        options: Options,
    ) -> Result<Vec<Verified>, OciError> {
        let referrers = self
            .client
            .referrers(&image.reference, Some(BUNDLE_V03_MEDIA_TYPE))
            .await?;
        let digest = image_sha256(image)?;
        let mut verified = Vec::new();
        let mut reasons = Vec::new();
        let candidates: Vec<_> = referrers
            .iter()
            .filter(|m| {
                m.annotations
                    .get(ANN_PREDICATE)
                    .is_none_or(|p| p == predicate_type)
            })
            .collect();
        for entry in &candidates {
            let manifest_ref = image.reference.with_digest(&entry.digest);
            let bundle = match self.fetch_bundle(&manifest_ref).await {
                Ok(b) => b,
                Err(e) => {
                    reasons.push(format!("{}: {e}", entry.digest));
                    continue;
                }
            };
            let bundle = String::from_utf8_lossy(&bundle);
            match verify_bundle_with(
                root,
                &bundle,
                &ArtifactInput::Sha256(digest),
                policy,
                options,
            ) {
                Ok(v) => match &v.statement {
                    Some(st) if st.predicate_type == predicate_type => verified.push(v),
                    Some(st) => reasons.push(format!(
                        "{}: predicate type {} (wanted {predicate_type})",
                        entry.digest, st.predicate_type
                    )),
                    None => reasons.push(format!("{}: not an attestation", entry.digest)),
                },
                Err(e) => reasons.push(format!("{}: {e}", entry.digest)),
            }
        }
        if verified.is_empty() {
            return Err(OciError::NotVerified(if candidates.is_empty() {
                format!(
                    "no {predicate_type} bundle among the referrers of {} (referrers API or tag {})",
                    image.display(),
                    image.digest.replace(':', "-")
                )
            } else {
                format!(
                    "none of the {} {predicate_type} bundles of {} verified: {}",
                    candidates.len(),
                    image.display(),
                    reasons.join("; ")
                )
            }));
        }
        Ok(verified)
    }

    async fn fetch_bundle(&self, manifest_ref: &ImageRef) -> Result<Vec<u8>, String> {
        let (bytes, _) = self
            .client
            .pull_manifest(manifest_ref)
            .await
            .map_err(|e| e.to_string())?;
        let manifest: serde_json::Value =
            serde_json::from_slice(&bytes).map_err(|e| format!("not JSON: {e}"))?;
        let layer = manifest["layers"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|l| l["mediaType"] == BUNDLE_V03_MEDIA_TYPE)
            .ok_or("the referrer has no bundle layer")?;
        let digest = layer["digest"].as_str().unwrap_or_default();
        self.client
            .pull_blob(manifest_ref, digest, MAX_BUNDLE_BYTES)
            .await
            .map_err(|e| e.to_string())
    }
}

/// The in-toto statement about `image` (subject: `registry/repository` at its digest).
fn statement_for(
    image: &PinnedImage,
    predicate_type: &str,
    predicate: serde_json::Value,
) -> Result<Statement, OciError> {
    let digest = image_sha256(image)?;
    Ok(Statement::new(
        vec![Subject::sha256(&image.name(), &digest)],
        predicate_type,
        predicate,
    ))
}

fn image_sha256(image: &PinnedImage) -> Result<[u8; 32], OciError> {
    let mut out = [0u8; 32];
    image
        .digest
        .strip_prefix("sha256:")
        .and_then(|h| hex::decode_to_slice(h, &mut out).ok())
        .ok_or_else(|| gatehouse_oci::OciError::Manifest {
            reference: image.display(),
            message: format!(
                "unsupported digest {}: only sha256 images are signed and verified",
                image.digest
            ),
        })?;
    Ok(out)
}
