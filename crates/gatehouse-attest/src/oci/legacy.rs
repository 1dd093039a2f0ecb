//! cosign's legacy image-signature layout (cosign ≤ v2, Kyverno's default `type: Cosign`): tags
//! named after the image digest, `sha256-<hex>.sig` for signatures and `sha256-<hex>.att` for
//! attestations, each an OCI image manifest with one layer per signature. Signing again appends
//! a layer to the manifest instead of replacing it.
//!
//! * `.sig` layers: a simple-signing payload, the base64 signature in the
//!   `dev.cosignproject.cosign/signature` annotation.
//! * `.att` layers: a DSSE envelope (`application/vnd.dsse.envelope.v1+json`) with an in-toto
//!   statement, the signature inside the envelope (the signature annotation is empty), and the
//!   statement's predicate type in a `predicateType` annotation (a hint: the signed statement is
//!   what counts).
//!
//! Reading turns each layer into the Sigstore bundle it is equivalent to (`messageSignature` over
//! the payload, or the `dsseEnvelope`) and verifies that with the same code as referrer bundles,
//! so policies, options and error messages are the same in both layouts.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use gatehouse_oci::{ImageRef, media};
use serde_json::{Value, json};
use sha2::{Digest as _, Sha256};

use super::{
    COSIGN_SIGN_PREDICATE, MAX_BUNDLE_BYTES, OciError, PinnedImage, Registry, image_sha256,
};
use crate::KeyPair;
use crate::dsse::Envelope;
use crate::verify::{
    ArtifactInput, Options, SignerPolicy, TrustRoot, Verified, verify_bundle_with,
};

/// Media type of cosign's simple-signing payload (legacy `.sig` layers).
pub const SIMPLE_SIGNING: &str = "application/vnd.dev.cosign.simplesigning.v1+json";
/// Media type of DSSE envelopes (legacy `.att` layers).
pub const DSSE_ENVELOPE: &str = "application/vnd.dsse.envelope.v1+json";
const ANN_SIGNATURE: &str = "dev.cosignproject.cosign/signature";
/// The signing certificate (PEM) of a keyless layer.
const ANN_CERTIFICATE: &str = "dev.sigstore.cosign/certificate";
/// cosign's copy of the Rekor entry: `{"SignedEntryTimestamp", "Payload": {body, integratedTime,
/// logIndex, logID}}`.
const ANN_BUNDLE: &str = "dev.sigstore.cosign/bundle";
/// The predicate type annotation cosign puts on `.att` layers.
const ANN_PREDICATE_TYPE: &str = "predicateType";
const OCI_CONFIG: &str = "application/vnd.oci.image.config.v1+json";
/// Largest simple-signing payload we download.
const MAX_PAYLOAD_BYTES: usize = 1 << 20;

/// Which legacy tag: signatures (`.sig`) or attestations (`.att`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Sig,
    Att,
}

impl Kind {
    fn suffix(self) -> &'static str {
        match self {
            Self::Sig => "sig",
            Self::Att => "att",
        }
    }

    fn media_type(self) -> &'static str {
        match self {
            Self::Sig => SIMPLE_SIGNING,
            Self::Att => DSSE_ENVELOPE,
        }
    }
}

/// cosign's simple-signing payload for `image` (Go struct field order, `optional` null).
pub fn simple_signing_payload(image: &PinnedImage) -> Vec<u8> {
    let reference = image.name();
    format!(
        r#"{{"critical":{{"identity":{{"docker-reference":{}}},"image":{{"docker-manifest-digest":{}}},"type":"cosign container image signature"}},"optional":null}}"#,
        serde_json::Value::String(reference),
        serde_json::Value::String(image.digest.clone())
    )
    .into_bytes()
}

/// One layer of a legacy manifest, downloaded and checked against its digest.
struct Layer {
    digest: String,
    bytes: Vec<u8>,
    annotations: serde_json::Map<String, Value>,
}

impl Registry {
    fn legacy_tag(image: &PinnedImage, kind: Kind) -> ImageRef {
        let tag = format!("{}.{}", image.digest.replace(':', "-"), kind.suffix());
        image.reference.with_tag(&tag)
    }

    /// Signs `image` in cosign's legacy layout: a simple-signing payload layer with the base64
    /// signature annotation, appended to the manifest tagged `sha256-<hex>.sig`. Returns the tag.
    pub async fn sign_legacy(
        &self,
        image: &PinnedImage,
        key: &KeyPair,
    ) -> Result<String, OciError> {
        let payload = simple_signing_payload(image);
        let signature = STANDARD.encode(key.sign(&payload));
        let annotations = json!({ ANN_SIGNATURE: signature });
        self.attach_legacy(image, Kind::Sig, payload, annotations)
            .await
    }

    /// Attests `predicate` about `image` in cosign's legacy layout: the DSSE envelope of the
    /// in-toto statement as a layer appended to the manifest tagged `sha256-<hex>.att`, with
    /// cosign's annotations (empty signature, `predicateType`). Returns the tag.
    pub async fn attest_legacy(
        &self,
        image: &PinnedImage,
        key: &KeyPair,
        predicate_type: &str,
        predicate: Value,
    ) -> Result<String, OciError> {
        let statement = super::statement_for(image, predicate_type, predicate)?;
        let signed = crate::sign::attest(key, &statement)?;
        let annotations = json!({ ANN_SIGNATURE: "", ANN_PREDICATE_TYPE: predicate_type });
        let envelope = signed.envelope.to_json().into_bytes();
        self.attach_legacy(image, Kind::Att, envelope, annotations)
            .await
    }

    /// Appends a layer (`blob`: a simple-signing payload or a DSSE envelope, with its cosign
    /// annotations) to the legacy manifest of `kind` (read, modify, write; an identical layer is
    /// not added twice) and returns the tag. Also for signatures made elsewhere, as
    /// `cosign attach signature` does.
    pub async fn attach_legacy(
        &self,
        image: &PinnedImage,
        kind: Kind,
        blob: Vec<u8>,
        annotations: Value,
    ) -> Result<String, OciError> {
        let media_type = kind.media_type();
        let r = &image.reference;
        let tag_ref = Self::legacy_tag(image, kind);
        let mut layers = match self.legacy_manifest(&tag_ref).await? {
            Some(m) => m["layers"].as_array().cloned().unwrap_or_default(),
            None => Vec::new(),
        };
        let digest = gatehouse_oci::sha256_digest(&blob);
        let duplicate = layers
            .iter()
            .any(|l| l["digest"] == digest.as_str() && l["annotations"] == annotations);
        if !duplicate {
            self.client.push_blob(r, &blob).await?;
            layers.push(json!({
                "mediaType": media_type,
                "size": blob.len(),
                "digest": digest,
                "annotations": annotations,
            }));
        }
        let diff_ids: Vec<&Value> = layers.iter().map(|l| &l["digest"]).collect();
        let config = json!({
            "architecture": "", "config": {}, "created": "0001-01-01T00:00:00Z",
            "history": [{"created": "0001-01-01T00:00:00Z"}], "os": "",
            "rootfs": {"type": "layers", "diff_ids": diff_ids},
        })
        .to_string()
        .into_bytes();
        let config_digest = self.client.push_blob(r, &config).await?;
        let manifest = json!({
            "schemaVersion": 2,
            "mediaType": media::OCI_MANIFEST,
            "config": {"mediaType": OCI_CONFIG, "size": config.len(), "digest": config_digest},
            "layers": layers,
        });
        self.client
            .push_manifest(
                &tag_ref,
                manifest.to_string().as_bytes(),
                media::OCI_MANIFEST,
            )
            .await?;
        Ok(tag_ref.to_string())
    }

    /// The legacy manifest at `tag_ref`, or `None` when the tag does not exist.
    async fn legacy_manifest(&self, tag_ref: &ImageRef) -> Result<Option<Value>, OciError> {
        match self.client.pull_manifest(tag_ref).await {
            Ok((bytes, _)) => serde_json::from_slice(&bytes).map(Some).map_err(|e| {
                OciError::Registry(gatehouse_oci::OciError::Manifest {
                    reference: tag_ref.to_string(),
                    message: format!("not JSON: {e}"),
                })
            }),
            Err(gatehouse_oci::OciError::NotFound { .. }) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// The layers of `media_type` in the legacy manifest of `kind`, each downloaded and checked
    /// against its digest; layers that cannot be read are reported in `reasons`.
    async fn legacy_layers(
        &self,
        image: &PinnedImage,
        kind: Kind,
        media_type: &str,
        limit: usize,
        reasons: &mut Vec<String>,
    ) -> Result<Option<Vec<Layer>>, OciError> {
        let tag_ref = Self::legacy_tag(image, kind);
        let Some(manifest) = self.legacy_manifest(&tag_ref).await? else {
            return Ok(None);
        };
        let mut out = Vec::new();
        let layers = manifest["layers"].as_array().cloned().unwrap_or_default();
        for layer in layers.iter().filter(|l| l["mediaType"] == media_type) {
            let digest = layer["digest"].as_str().unwrap_or_default().to_string();
            let bytes = match self.client.pull_blob(&tag_ref, &digest, limit).await {
                Ok(b) => b,
                Err(e) => {
                    reasons.push(format!("{digest}: {e}"));
                    continue;
                }
            };
            let annotations = layer["annotations"]
                .as_object()
                .cloned()
                .unwrap_or_default();
            out.push(Layer {
                digest,
                bytes,
                annotations,
            });
        }
        Ok(Some(out))
    }

    /// Verifies the legacy `sha256-<hex>.sig` signatures of `image` under `policy`: each
    /// simple-signing layer's signature over its payload, and the payload's
    /// `docker-manifest-digest` against the image digest. Succeeds with every layer that
    /// verifies; fails saying why each did not.
    pub async fn verify_legacy(
        &self,
        image: &PinnedImage,
        root: &TrustRoot,
        policy: &SignerPolicy,
        options: Options,
    ) -> Result<Vec<Verified>, OciError> {
        let tag = Self::legacy_tag(image, Kind::Sig).to_string();
        let mut reasons = Vec::new();
        let Some(layers) = self
            .legacy_layers(
                image,
                Kind::Sig,
                SIMPLE_SIGNING,
                MAX_PAYLOAD_BYTES,
                &mut reasons,
            )
            .await?
        else {
            return Err(OciError::NotVerified(format!(
                "no legacy signature tag {tag}"
            )));
        };
        let mut verified = Vec::new();
        for layer in &layers {
            let Some(sig) = signature_annotation(layer, &mut reasons) else {
                continue;
            };
            let digest: [u8; 32] = Sha256::digest(&layer.bytes).into();
            let content = json!({
                "messageSignature": {
                    "messageDigest": {"algorithm": "SHA2_256", "digest": STANDARD.encode(digest)},
                    "signature": STANDARD.encode(sig),
                },
            });
            let bundle = match layer_bundle(layer, content) {
                Ok(b) => b,
                Err(e) => {
                    reasons.push(format!("{}: {e}", layer.digest));
                    continue;
                }
            };
            let result = verify_bundle_with(
                root,
                &bundle.to_string(),
                &ArtifactInput::Bytes(layer.bytes.clone()),
                policy,
                options,
            );
            match result {
                Ok(mut v) => {
                    let signed = serde_json::from_slice::<Value>(&layer.bytes).ok();
                    let signed_digest = signed
                        .as_ref()
                        .and_then(|p| p["critical"]["image"]["docker-manifest-digest"].as_str());
                    if signed_digest == Some(image.digest.as_str()) {
                        v.artifact_digest.clone_from(&image.digest);
                        verified.push(v);
                    } else {
                        reasons.push(format!(
                            "{}: signs docker-manifest-digest {}, not {}",
                            layer.digest,
                            signed_digest.unwrap_or("(none)"),
                            image.digest
                        ));
                    }
                }
                Err(e) => reasons.push(format!("{}: {e}", layer.digest)),
            }
        }
        finish(verified, reasons, || {
            format!("no legacy signature in {tag} verified")
        })
    }

    /// Verifies the legacy `sha256-<hex>.att` attestations of `image` of `predicate_type` under
    /// `policy`: each DSSE layer's signature, its statement's subject against the image digest
    /// and its (signed) predicate type.
    pub async fn verify_legacy_attestations(
        &self,
        image: &PinnedImage,
        predicate_type: &str,
        root: &TrustRoot,
        policy: &SignerPolicy,
        options: Options,
    ) -> Result<Vec<Verified>, OciError> {
        let tag = Self::legacy_tag(image, Kind::Att).to_string();
        let mut reasons = Vec::new();
        let Some(layers) = self
            .legacy_layers(
                image,
                Kind::Att,
                DSSE_ENVELOPE,
                MAX_BUNDLE_BYTES,
                &mut reasons,
            )
            .await?
        else {
            return Err(OciError::NotVerified(format!(
                "no legacy attestation tag {tag}"
            )));
        };
        let digest = image_sha256(image)?;
        let mut verified = Vec::new();
        let mut candidates = 0;
        for layer in &layers {
            // The annotation is unsigned: it only saves verifying layers of other types.
            if layer
                .annotations
                .get(ANN_PREDICATE_TYPE)
                .and_then(Value::as_str)
                .is_some_and(|t| t != predicate_type)
            {
                continue;
            }
            candidates += 1;
            let envelope = match Envelope::from_json(&layer.bytes) {
                Ok(e) => e,
                Err(e) => {
                    reasons.push(format!("{}: {e}", layer.digest));
                    continue;
                }
            };
            let mut errors = Vec::new();
            let mut ok = None;
            // A bundle carries exactly one signature: try each of the envelope's.
            for signature in &envelope.signatures {
                let content = json!({
                    "dsseEnvelope": {
                        "payload": STANDARD.encode(&envelope.payload),
                        "payloadType": envelope.payload_type,
                        "signatures": [{"sig": STANDARD.encode(&signature.sig), "keyid": signature.keyid}],
                    },
                });
                let bundle = match layer_bundle(layer, content) {
                    Ok(b) => b,
                    Err(e) => {
                        errors.push(e);
                        continue;
                    }
                };
                match verify_bundle_with(
                    root,
                    &bundle.to_string(),
                    &ArtifactInput::Sha256(digest),
                    policy,
                    options,
                ) {
                    Ok(v) => {
                        ok = Some(v);
                        break;
                    }
                    Err(e) => errors.push(e.to_string()),
                }
            }
            match ok {
                Some(v) => match &v.statement {
                    Some(st) if st.predicate_type == predicate_type => verified.push(v),
                    Some(st) => reasons.push(format!(
                        "{}: predicate type {} (wanted {predicate_type})",
                        layer.digest, st.predicate_type
                    )),
                    None => reasons.push(format!("{}: not an in-toto statement", layer.digest)),
                },
                None => reasons.push(format!("{}: {}", layer.digest, errors.join(", "))),
            }
        }
        if candidates == 0 && reasons.is_empty() {
            return Err(OciError::NotVerified(format!(
                "no {predicate_type} attestation in the legacy tag {tag}"
            )));
        }
        finish(verified, reasons, || {
            format!("no legacy {predicate_type} attestation in {tag} verified")
        })
    }

    /// The legacy layout for `predicate_type`: `.sig` for cosign signatures, else `.att`.
    pub(super) async fn verify_legacy_any(
        &self,
        image: &PinnedImage,
        predicate_type: &str,
        root: &TrustRoot,
        policy: &SignerPolicy,
        options: Options,
    ) -> Result<Vec<Verified>, OciError> {
        if predicate_type == COSIGN_SIGN_PREDICATE {
            self.verify_legacy(image, root, policy, options).await
        } else {
            self.verify_legacy_attestations(image, predicate_type, root, policy, options)
                .await
        }
    }
}

/// The Sigstore bundle a legacy layer amounts to, around `content` (its `messageSignature` or
/// `dsseEnvelope`), from its certificate and Rekor-entry annotations (see [`crate::cosign_v2`]).
fn layer_bundle(layer: &Layer, content: Value) -> Result<Value, String> {
    let text = |name: &str| layer.annotations.get(name).and_then(Value::as_str);
    let rekor = match text(ANN_BUNDLE) {
        Some(b) => Some(
            serde_json::from_str::<Value>(b)
                .map_err(|e| format!("the {ANN_BUNDLE} annotation is not JSON: {e}"))?,
        ),
        None => None,
    };
    crate::cosign_v2::to_bundle(
        text(ANN_CERTIFICATE).map(str::as_bytes),
        rekor.as_ref(),
        content,
    )
}

fn signature_annotation(layer: &Layer, reasons: &mut Vec<String>) -> Option<Vec<u8>> {
    let text = layer
        .annotations
        .get(ANN_SIGNATURE)
        .and_then(Value::as_str)
        .unwrap_or_default();
    match STANDARD.decode(text) {
        Ok(sig) if !sig.is_empty() => Some(sig),
        _ => {
            reasons.push(format!(
                "{}: the {ANN_SIGNATURE} annotation is not a base64 signature",
                layer.digest
            ));
            None
        }
    }
}

fn finish(
    verified: Vec<Verified>,
    reasons: Vec<String>,
    none: impl FnOnce() -> String,
) -> Result<Vec<Verified>, OciError> {
    if verified.is_empty() {
        let mut message = none();
        if !reasons.is_empty() {
            message.push_str(": ");
            message.push_str(&reasons.join("; "));
        }
        return Err(OciError::NotVerified(message));
    }
    Ok(verified)
}
