//! Signatures and attestations of container images, by digest, stored in an OCI registry as
//! cosign v3 stores them: an OCI 1.1 referrer (artifact manifest whose single layer is a Sigstore
//! bundle v0.3, `subject` = the image) plus the referrers tag-schema index (`sha256-<hex>`) for
//! registries without the referrers API (Debian's `docker-registry` has none).
//!
//! cosign's legacy layout is written and read too (cosign ≤ v2, Kyverno's default): the
//! `sha256-<hex>.sig` tag for signatures and `sha256-<hex>.att` for attestations; see [`legacy`].
//! Verification reads both layouts.
//!
//! Plain HTTP is used only for loopback registries (127.0.0.0/8, `localhost`, `[::1]`).

use std::collections::BTreeMap;

use oci_client::client::{ClientConfig, ClientProtocol};
use oci_client::manifest::{OciImageIndex, OciManifest};
use oci_client::secrets::RegistryAuth;
use oci_client::{Client, Reference};
use serde_json::json;
use sha2::{Digest as _, Sha256};

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
const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
const OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
const OCI_EMPTY: &str = "application/vnd.oci.empty.v1+json";
const DOCKER_MANIFEST: &str = "application/vnd.docker.distribution.manifest.v2+json";
const DOCKER_LIST: &str = "application/vnd.docker.distribution.manifest.list.v2+json";
const ANN_CONTENT: &str = "dev.sigstore.bundle.content";
const ANN_PREDICATE: &str = "dev.sigstore.bundle.predicateType";
const ANN_CREATED: &str = "org.opencontainers.image.created";
/// Largest bundle layer we download.
const MAX_BUNDLE_BYTES: i64 = 16 << 20;

#[derive(Debug, thiserror::Error)]
pub enum OciError {
    #[error("`{0}` is not an image reference: {1}")]
    Reference(String, String),
    #[error(
        "refusing to use the tag `{0}`: a tag can be moved to another image. Use `{1}@{2}` (what the tag points to now), or pass --resolve-tag"
    )]
    Tag(String, String, String),
    #[error("registry {0}: {1}")]
    Registry(String, String),
    #[error(transparent)]
    Key(#[from] KeyError),
    #[error("{0}")]
    NotVerified(String),
}

/// An image reference with its digest pinned.
#[derive(Debug, Clone)]
pub struct PinnedImage {
    reference: Reference,
    /// `sha256:<hex>`.
    pub digest: String,
    /// The media type and size of the image manifest (for the referrer's `subject`).
    media_type: String,
    size: i64,
}

impl PinnedImage {
    /// `registry/repository@sha256:<hex>`.
    pub fn display(&self) -> String {
        format!(
            "{}/{}@{}",
            self.reference.registry(),
            self.reference.repository(),
            self.digest
        )
    }
}

/// A registry client for one image's registry.
pub struct Registry {
    client: Client,
    auth: RegistryAuth,
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registry").finish_non_exhaustive()
    }
}

fn is_loopback(registry: &str) -> bool {
    let host = registry
        .rsplit_once(':')
        .filter(|(_, port)| port.chars().all(|c| c.is_ascii_digit()))
        .map_or(registry, |(h, _)| h);
    host == "localhost" || host.starts_with("127.") || host == "[::1]"
}

/// Parses `registry/repo[:tag][@sha256:…]`.
pub fn parse_reference(image: &str) -> Result<Reference, OciError> {
    image
        .parse::<Reference>()
        .map_err(|e| OciError::Reference(image.to_string(), e.to_string()))
}

fn reg_err(reference: &Reference, e: impl std::fmt::Display) -> OciError {
    OciError::Registry(reference.registry().to_string(), e.to_string())
}

fn sha256(bytes: &[u8]) -> String {
    format!("sha256:{}", hex::encode(Sha256::digest(bytes)))
}

impl Registry {
    /// A client for `reference`'s registry with `credentials` (basic, bearer or anonymous).
    pub fn with_credentials(reference: &Reference, credentials: &Credentials) -> Self {
        let mut registry = Self::for_reference(reference);
        registry.auth = match credentials {
            Credentials::Basic { username, password } => {
                RegistryAuth::Basic(username.clone(), password.clone())
            }
            Credentials::Bearer(token) => RegistryAuth::Bearer(token.clone()),
            _ => RegistryAuth::Anonymous,
        };
        registry
    }

    /// An anonymous client for `reference`'s registry: HTTPS, or plain HTTP for a loopback
    /// registry.
    pub fn for_reference(reference: &Reference) -> Self {
        let registry = reference.resolve_registry().to_string();
        let protocol = if is_loopback(&registry) {
            ClientProtocol::HttpsExcept(vec![registry])
        } else {
            ClientProtocol::Https
        };
        let client = Client::new(ClientConfig {
            protocol,
            ..Default::default()
        });
        Self {
            client,
            auth: RegistryAuth::Anonymous,
        }
    }

    /// Pins `reference` to a digest. A reference with a digest is used as is (after checking that
    /// the registry has it); a tag is resolved only when `resolve_tag`, else refused.
    pub async fn pin(
        &self,
        reference: &Reference,
        resolve_tag: bool,
    ) -> Result<PinnedImage, OciError> {
        let accepted = [OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST, DOCKER_LIST];
        let (bytes, digest) = self
            .client
            .pull_manifest_raw(reference, &self.auth, &accepted)
            .await
            .map_err(|e| reg_err(reference, format!("{}: {e}", reference.whole())))?;
        if reference.digest().is_none() && !resolve_tag {
            return Err(OciError::Tag(
                reference.whole(),
                format!("{}/{}", reference.registry(), reference.repository()),
                digest,
            ));
        }
        if let Some(want) = reference.digest() {
            if sha256(&bytes) != want {
                return Err(reg_err(
                    reference,
                    format!("served a manifest whose digest is not {want}"),
                ));
            }
        }
        let media_type = serde_json::from_slice::<serde_json::Value>(&bytes)
            .ok()
            .and_then(|v| {
                v.get("mediaType")
                    .and_then(|m| m.as_str())
                    .map(str::to_string)
            })
            .unwrap_or_else(|| OCI_MANIFEST.to_string());
        Ok(PinnedImage {
            reference: reference.clone_with_digest(digest.clone()),
            digest,
            media_type,
            size: i64::try_from(bytes.len()).unwrap_or(i64::MAX),
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
        self.push_referrer(image, signed.bundle_json.into_bytes(), predicate_type)
            .await
    }

    async fn push_referrer(
        &self,
        image: &PinnedImage,
        bundle: Vec<u8>,
        predicate_type: &str,
    ) -> Result<String, OciError> {
        let r = &image.reference;
        let config = b"{}".to_vec();
        let config_digest = sha256(&config);
        let bundle_digest = sha256(&bundle);
        let bundle_size = bundle.len();
        for (data, digest) in [(config, &config_digest), (bundle, &bundle_digest)] {
            self.client
                .push_blob(r, data, digest)
                .await
                .map_err(|e| reg_err(r, format!("pushing blob {digest}: {e}")))?;
        }
        let created = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let annotations = BTreeMap::from([
            (ANN_CONTENT.to_string(), "dsse-envelope".to_string()),
            (ANN_PREDICATE.to_string(), predicate_type.to_string()),
            (ANN_CREATED.to_string(), created),
        ]);
        let manifest = json!({
            "schemaVersion": 2,
            "mediaType": OCI_MANIFEST,
            "artifactType": BUNDLE_V03_MEDIA_TYPE,
            "config": {"mediaType": OCI_EMPTY, "digest": config_digest, "size": 2},
            "layers": [{"mediaType": BUNDLE_V03_MEDIA_TYPE, "digest": bundle_digest, "size": bundle_size}],
            "subject": {"mediaType": image.media_type, "digest": image.digest, "size": image.size},
            "annotations": annotations,
        });
        let body = serde_json::to_vec(&manifest).map_err(|e| reg_err(r, e))?;
        let manifest_digest = sha256(&body);
        let manifest_size = body.len();
        let target = r.clone_with_digest(manifest_digest.clone());
        self.client
            .push_manifest_raw(
                &target,
                body,
                OCI_MANIFEST.parse().map_err(|e| reg_err(r, e))?,
            )
            .await
            .map_err(|e| reg_err(r, format!("pushing the referrer manifest: {e}")))?;
        self.add_to_fallback_index(image, &manifest_digest, manifest_size, &annotations)
            .await?;
        Ok(manifest_digest)
    }

    /// Adds the referrer to the tag-schema index `sha256-<hex>` (read, modify, write), copying
    /// `artifactType` and the annotations into the entry (cosign#4641).
    async fn add_to_fallback_index(
        &self,
        image: &PinnedImage,
        manifest_digest: &str,
        manifest_size: usize,
        annotations: &BTreeMap<String, String>,
    ) -> Result<(), OciError> {
        let r = &image.reference;
        let tag = image.digest.replace(':', "-");
        let tag_ref =
            Reference::with_tag(r.registry().to_string(), r.repository().to_string(), tag);
        let mut index: serde_json::Value = match self
            .client
            .pull_manifest_raw(&tag_ref, &self.auth, &[OCI_INDEX])
            .await
        {
            Ok((bytes, _)) => serde_json::from_slice(&bytes).map_err(|e| reg_err(r, e))?,
            Err(_) => json!({"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": []}),
        };
        let entry = json!({
            "mediaType": OCI_MANIFEST,
            "digest": manifest_digest,
            "size": manifest_size,
            "artifactType": BUNDLE_V03_MEDIA_TYPE,
            "annotations": annotations,
        });
        let manifests = index
            .get_mut("manifests")
            .and_then(|m| m.as_array_mut())
            .ok_or_else(|| reg_err(r, "the referrers fallback index has no manifests list"))?;
        if !manifests.iter().any(|m| m["digest"] == manifest_digest) {
            manifests.push(entry);
        }
        let body = serde_json::to_vec(&index).map_err(|e| reg_err(r, e))?;
        self.client
            .push_manifest_raw(
                &tag_ref,
                body,
                OCI_INDEX.parse().map_err(|e| reg_err(r, e))?,
            )
            .await
            .map_err(|e| {
                reg_err(
                    r,
                    format!("updating the referrers index {}: {e}", tag_ref.whole()),
                )
            })?;
        Ok(())
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
        let r = &image.reference;
        let index: OciImageIndex = self
            .client
            .pull_referrers(r, Some(BUNDLE_V03_MEDIA_TYPE))
            .await
            .map_err(|e| reg_err(r, format!("listing referrers of {}: {e}", image.digest)))?;
        let digest = image_sha256(image)?;
        let mut verified = Vec::new();
        let mut reasons = Vec::new();
        let candidates: Vec<_> = index
            .manifests
            .iter()
            .filter(|m| {
                m.annotations
                    .as_ref()
                    .and_then(|a| a.get(ANN_PREDICATE))
                    .is_none_or(|p| p == predicate_type)
            })
            .collect();
        for entry in &candidates {
            let manifest_ref = r.clone_with_digest(entry.digest.clone());
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

    async fn fetch_bundle(&self, manifest_ref: &Reference) -> Result<Vec<u8>, OciError> {
        let (manifest, _) = self
            .client
            .pull_manifest(manifest_ref, &self.auth)
            .await
            .map_err(|e| reg_err(manifest_ref, e))?;
        let OciManifest::Image(manifest) = manifest else {
            return Err(reg_err(
                manifest_ref,
                "the referrer is an index, not a manifest",
            ));
        };
        let layer = manifest
            .layers
            .iter()
            .find(|l| l.media_type == BUNDLE_V03_MEDIA_TYPE)
            .ok_or_else(|| reg_err(manifest_ref, "the referrer has no bundle layer"))?;
        if layer.size > MAX_BUNDLE_BYTES {
            return Err(reg_err(
                manifest_ref,
                format!("bundle layer of {} bytes is too large", layer.size),
            ));
        }
        let mut out = Vec::new();
        self.client
            .pull_blob(manifest_ref, layer, &mut out)
            .await
            .map_err(|e| reg_err(manifest_ref, e))?;
        if sha256(&out) != layer.digest {
            return Err(reg_err(
                manifest_ref,
                "bundle blob does not match its digest",
            ));
        }
        Ok(out)
    }
}

/// The in-toto statement about `image` (subject: `registry/repository` at its digest).
fn statement_for(
    image: &PinnedImage,
    predicate_type: &str,
    predicate: serde_json::Value,
) -> Result<Statement, OciError> {
    let digest = image_sha256(image)?;
    let name = format!(
        "{}/{}",
        image.reference.registry(),
        image.reference.repository()
    );
    Ok(Statement::new(
        vec![Subject::sha256(&name, &digest)],
        predicate_type,
        predicate,
    ))
}

/// Whether the registry said the manifest or tag does not exist.
fn is_not_found(e: &oci_client::errors::OciDistributionError) -> bool {
    use oci_client::errors::{OciDistributionError as E, OciErrorCode as C};
    match e {
        E::ImageManifestNotFoundError(_) => true,
        E::ServerError { code: 404, .. } => true,
        E::RegistryError { envelope, .. } => envelope
            .errors
            .iter()
            .any(|e| matches!(e.code, C::ManifestUnknown | C::NameUnknown)),
        _ => false,
    }
}

fn image_sha256(image: &PinnedImage) -> Result<[u8; 32], OciError> {
    let mut out = [0u8; 32];
    image
        .digest
        .strip_prefix("sha256:")
        .and_then(|h| hex::decode_to_slice(h, &mut out).ok())
        .ok_or_else(|| {
            reg_err(
                &image.reference,
                format!("unsupported digest {}", image.digest),
            )
        })?;
    Ok(out)
}
