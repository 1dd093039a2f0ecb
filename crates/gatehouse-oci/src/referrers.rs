//! OCI 1.1 referrers: manifests whose `subject` names another manifest (signatures, SBOMs,
//! attestations). Listed through the registry's referrers API, or, on registries without it
//! (Debian's distribution 2.8, Docker Hub), through the tag-schema index `sha256-<hex>`, which
//! writers maintain themselves (read, modify, write).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::client::Registry;
use crate::error::OciError;
use crate::media;
use crate::reference::ImageRef;

/// One entry of a referrers list: a manifest that refers to the subject.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Referrer {
    /// Media type of the referring manifest.
    pub media_type: String,
    /// Its digest.
    pub digest: String,
    /// Its size in bytes.
    pub size: i64,
    /// What kind of artifact it is (the manifest's `artifactType`, else its config media type).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub artifact_type: Option<String>,
    /// The manifest's annotations, copied into the list.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
}

/// The tag of the referrers tag-schema index for `digest` (`sha256:<hex>` → `sha256-<hex>`).
pub fn fallback_tag(digest: &str) -> String {
    digest.replace(':', "-")
}

fn subject_digest(subject: &ImageRef) -> Result<&str, OciError> {
    subject.digest().ok_or_else(|| OciError::Reference {
        reference: subject.to_string(),
        message: "referrers are listed for a digest, not a tag".into(),
    })
}

impl Registry {
    /// The referrers of `subject` (a reference by digest), of `artifact_type` when given: the
    /// registry's referrers API, else the `sha256-<hex>` tag-schema index; none when neither
    /// exists.
    pub async fn referrers(
        &self,
        subject: &ImageRef,
        artifact_type: Option<&str>,
    ) -> Result<Vec<Referrer>, OciError> {
        subject_digest(subject)?;
        let c = self.client(subject)?;
        // `pull_referrers` takes no credentials: store them for the host first.
        c.store_auth_if_needed(subject.registry(), &self.auth())
            .await;
        let index = c
            .pull_referrers(&subject.inner, artifact_type)
            .await
            .map_err(|e| OciError::from_client(&subject.to_string(), "referrers", e))?;
        Ok(index
            .manifests
            .into_iter()
            .filter(|m| artifact_type.is_none_or(|t| m.artifact_type.as_deref() == Some(t)))
            .map(|m| Referrer {
                media_type: m.media_type,
                digest: m.digest,
                size: m.size,
                artifact_type: m.artifact_type,
                annotations: m.annotations.unwrap_or_default(),
            })
            .collect())
    }

    /// Pushes `manifest` (an OCI image manifest whose `subject` is `subject`) by digest and
    /// adds it to the `sha256-<hex>` tag-schema index, copying its `artifactType` and
    /// annotations into the entry (cosign#4641), so that clients find it on registries without
    /// the referrers API too. Returns the manifest's digest.
    ///
    /// The index is read, modified and written back: two writers racing on one subject can lose
    /// an entry (the referrer manifest itself stays), as with every tag-schema writer.
    pub async fn push_referrer(
        &self,
        subject: &ImageRef,
        manifest: &[u8],
    ) -> Result<String, OciError> {
        let subject_digest = subject_digest(subject)?;
        let bad = |message: String| OciError::Manifest {
            reference: subject.to_string(),
            message,
        };
        let parsed: Value = serde_json::from_slice(manifest)
            .map_err(|e| bad(format!("the referrer manifest is not JSON: {e}")))?;
        if parsed.pointer("/subject/digest").and_then(Value::as_str) != Some(subject_digest) {
            return Err(bad(format!(
                "the referrer manifest's subject is not {subject_digest}"
            )));
        }
        let media_type = parsed
            .get("mediaType")
            .and_then(Value::as_str)
            .unwrap_or(media::OCI_MANIFEST)
            .to_owned();
        let digest = crate::sha256_digest(manifest);
        self.push_manifest(&subject.with_digest(&digest), manifest, &media_type)
            .await?;
        let entry = Referrer {
            media_type,
            digest: digest.clone(),
            size: i64::try_from(manifest.len()).unwrap_or(i64::MAX),
            artifact_type: parsed
                .get("artifactType")
                .or_else(|| parsed.pointer("/config/mediaType"))
                .and_then(Value::as_str)
                .map(str::to_owned),
            annotations: parsed
                .get("annotations")
                .and_then(|a| serde_json::from_value(a.clone()).ok())
                .unwrap_or_default(),
        };
        self.add_to_fallback_index(subject, subject_digest, entry)
            .await?;
        Ok(digest)
    }

    async fn add_to_fallback_index(
        &self,
        subject: &ImageRef,
        subject_digest: &str,
        entry: Referrer,
    ) -> Result<(), OciError> {
        let tag_ref = subject.with_tag(&fallback_tag(subject_digest));
        let mut index: Value = match self.pull_manifest(&tag_ref).await {
            Ok((bytes, _)) => serde_json::from_slice(&bytes).map_err(|e| OciError::Manifest {
                reference: tag_ref.to_string(),
                message: format!("the referrers index is not JSON: {e}"),
            })?,
            Err(OciError::NotFound { .. }) => {
                json!({"schemaVersion": 2, "mediaType": media::OCI_INDEX, "manifests": []})
            }
            Err(e) => return Err(e),
        };
        let manifests = index
            .get_mut("manifests")
            .and_then(Value::as_array_mut)
            .ok_or_else(|| OciError::Manifest {
                reference: tag_ref.to_string(),
                message: "the tag is not a referrers index (no `manifests` list); delete it or \
                          use a registry with the referrers API"
                    .into(),
            })?;
        if manifests
            .iter()
            .any(|m| m["digest"] == entry.digest.as_str())
        {
            return Ok(());
        }
        manifests.push(
            serde_json::to_value(&entry).map_err(|e| OciError::Manifest {
                reference: tag_ref.to_string(),
                message: e.to_string(),
            })?,
        );
        let body = serde_json::to_vec(&index).map_err(|e| OciError::Manifest {
            reference: tag_ref.to_string(),
            message: e.to_string(),
        })?;
        self.push_manifest(&tag_ref, &body, media::OCI_INDEX)
            .await?;
        Ok(())
    }
}
