//! cosign's legacy image-signature layout: the `sha256-<hex>.sig` tag, an OCI manifest whose
//! layers are simple-signing payloads with the base64 signature in an annotation (cosign ≤ v2,
//! Kyverno's default `type: Cosign`).

use oci_client::Reference;
use serde_json::json;

use super::{DOCKER_MANIFEST, OCI_MANIFEST, OciError, PinnedImage, Registry, reg_err, sha256};
use crate::{KeyPair, PublicKey};

/// Media type of cosign's simple-signing payload (legacy `.sig` layers).
pub const SIMPLE_SIGNING: &str = "application/vnd.dev.cosign.simplesigning.v1+json";
const ANN_SIGNATURE: &str = "dev.cosignproject.cosign/signature";
const OCI_CONFIG: &str = "application/vnd.oci.image.config.v1+json";
/// Largest simple-signing payload we download.
const MAX_PAYLOAD_BYTES: i64 = 1 << 20;

/// cosign's simple-signing payload for `image` (Go struct field order, `optional` null).
pub fn simple_signing_payload(image: &PinnedImage) -> Vec<u8> {
    let reference = format!(
        "{}/{}",
        image.reference.registry(),
        image.reference.repository()
    );
    format!(
        r#"{{"critical":{{"identity":{{"docker-reference":{}}},"image":{{"docker-manifest-digest":{}}},"type":"cosign container image signature"}},"optional":null}}"#,
        serde_json::Value::String(reference),
        serde_json::Value::String(image.digest.clone())
    )
    .into_bytes()
}

impl Registry {
    fn legacy_tag(image: &PinnedImage) -> Reference {
        let r = &image.reference;
        Reference::with_tag(
            r.registry().to_string(),
            r.repository().to_string(),
            format!("{}.sig", image.digest.replace(':', "-")),
        )
    }

    /// Signs `image` in cosign's legacy layout: a simple-signing payload layer with the base64
    /// signature annotation, appended to the manifest tagged `sha256-<hex>.sig`. Returns the tag.
    pub async fn sign_legacy(
        &self,
        image: &PinnedImage,
        key: &KeyPair,
    ) -> Result<String, OciError> {
        use base64::Engine as _;
        let r = &image.reference;
        let tag_ref = Self::legacy_tag(image);
        let payload = simple_signing_payload(image);
        let signature = base64::engine::general_purpose::STANDARD.encode(key.sign(&payload));
        let mut layers: Vec<serde_json::Value> = match self
            .client
            .pull_manifest_raw(&tag_ref, &self.auth, &[OCI_MANIFEST])
            .await
        {
            Ok((bytes, _)) => serde_json::from_slice::<serde_json::Value>(&bytes)
                .ok()
                .and_then(|m| m.get("layers").and_then(|l| l.as_array()).cloned())
                .unwrap_or_default(),
            Err(_) => Vec::new(),
        };
        let payload_digest = sha256(&payload);
        let duplicate = layers.iter().any(|l| {
            l["digest"] == payload_digest.as_str()
                && l["annotations"][ANN_SIGNATURE] == signature.as_str()
        });
        if !duplicate {
            self.client
                .push_blob(r, payload.clone(), &payload_digest)
                .await
                .map_err(|e| reg_err(r, format!("pushing the signature payload: {e}")))?;
            layers.push(json!({
                "mediaType": SIMPLE_SIGNING,
                "size": payload.len(),
                "digest": payload_digest,
                "annotations": {ANN_SIGNATURE: signature},
            }));
        }
        let diff_ids: Vec<&serde_json::Value> = layers.iter().map(|l| &l["digest"]).collect();
        let config = serde_json::to_vec(&json!({
            "architecture": "", "config": {}, "created": "0001-01-01T00:00:00Z",
            "history": [{"created": "0001-01-01T00:00:00Z"}], "os": "",
            "rootfs": {"type": "layers", "diff_ids": diff_ids},
        }))
        .map_err(|e| reg_err(r, e))?;
        let config_digest = sha256(&config);
        self.client
            .push_blob(r, config.clone(), &config_digest)
            .await
            .map_err(|e| reg_err(r, format!("pushing the signature config: {e}")))?;
        let manifest = serde_json::to_vec(&json!({
            "schemaVersion": 2,
            "mediaType": OCI_MANIFEST,
            "config": {"mediaType": OCI_CONFIG, "size": config.len(), "digest": config_digest},
            "layers": layers,
        }))
        .map_err(|e| reg_err(r, e))?;
        self.client
            .push_manifest_raw(
                &tag_ref,
                manifest,
                OCI_MANIFEST.parse().map_err(|e| reg_err(r, e))?,
            )
            .await
            .map_err(|e| reg_err(r, format!("pushing {}: {e}", tag_ref.whole())))?;
        Ok(tag_ref.whole())
    }

    /// Verifies the legacy `sha256-<hex>.sig` signatures of `image` with `key`: each
    /// simple-signing layer's signature over its payload, and the payload's
    /// `docker-manifest-digest` against the image digest. Returns how many verified.
    pub async fn verify_legacy(
        &self,
        image: &PinnedImage,
        key: &PublicKey,
    ) -> Result<usize, OciError> {
        use base64::Engine as _;
        let tag_ref = Self::legacy_tag(image);
        let Ok((bytes, _)) = self
            .client
            .pull_manifest_raw(&tag_ref, &self.auth, &[OCI_MANIFEST, DOCKER_MANIFEST])
            .await
        else {
            return Err(OciError::NotVerified(format!(
                "no legacy signature tag {}",
                tag_ref.whole()
            )));
        };
        let manifest: serde_json::Value =
            serde_json::from_slice(&bytes).map_err(|e| reg_err(&tag_ref, e))?;
        let layers = manifest["layers"].as_array().cloned().unwrap_or_default();
        let (mut ok, mut reasons) = (0, Vec::new());
        for layer in layers.iter().filter(|l| l["mediaType"] == SIMPLE_SIGNING) {
            let digest = layer["digest"].as_str().unwrap_or_default().to_string();
            let size = layer["size"].as_i64().unwrap_or(i64::MAX);
            if size > MAX_PAYLOAD_BYTES {
                reasons.push(format!("{digest}: payload of {size} bytes is too large"));
                continue;
            }
            let descriptor = oci_client::manifest::OciDescriptor {
                media_type: SIMPLE_SIGNING.to_string(),
                digest: digest.clone(),
                size,
                ..Default::default()
            };
            let mut payload = Vec::new();
            if let Err(e) = self
                .client
                .pull_blob(&tag_ref, &descriptor, &mut payload)
                .await
            {
                reasons.push(format!("{digest}: {e}"));
                continue;
            }
            if sha256(&payload) != digest {
                reasons.push(format!("{digest}: payload does not match its digest"));
                continue;
            }
            let sig = layer["annotations"][ANN_SIGNATURE]
                .as_str()
                .unwrap_or_default();
            let Ok(sig) = base64::engine::general_purpose::STANDARD.decode(sig) else {
                reasons.push(format!("{digest}: signature annotation is not base64"));
                continue;
            };
            if key.verify(&payload, &sig).is_err() {
                reasons.push(format!(
                    "{digest}: invalid signature for key {}",
                    key.fingerprint()
                ));
                continue;
            }
            let signed = serde_json::from_slice::<serde_json::Value>(&payload).ok();
            let signed_digest = signed
                .as_ref()
                .and_then(|p| p["critical"]["image"]["docker-manifest-digest"].as_str());
            if signed_digest != Some(image.digest.as_str()) {
                reasons.push(format!(
                    "{digest}: signs docker-manifest-digest {}, not {}",
                    signed_digest.unwrap_or("(none)"),
                    image.digest
                ));
                continue;
            }
            ok += 1;
        }
        if ok == 0 {
            return Err(OciError::NotVerified(format!(
                "no legacy signature in {} verified{}{}",
                tag_ref.whole(),
                if reasons.is_empty() { "" } else { ": " },
                reasons.join("; ")
            )));
        }
        Ok(ok)
    }
}
