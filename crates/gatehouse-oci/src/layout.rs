//! Pushing an OCI image layout directory (`oci-layout`, `index.json`, `blobs/<alg>/<hex>`) to a
//! registry: every blob its first image (or index) reaches, then the manifests by digest, then
//! the tag. Used by tests to seed a registry and by later `gatehouse` commands.

use std::path::Path;

use serde_json::Value;

use crate::client::Registry;
use crate::error::OciError;
use crate::media;
use crate::reference::ImageRef;

fn local(path: &Path, message: impl Into<String>) -> OciError {
    OciError::Local {
        path: path.display().to_string(),
        message: message.into(),
    }
}

/// Reads `blobs/<alg>/<hex>` of `dir`, checking that the content hashes to its name.
fn read_blob(dir: &Path, digest: &str) -> Result<Vec<u8>, OciError> {
    let hex = digest
        .strip_prefix("sha256:")
        .filter(|h| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()))
        .ok_or_else(|| local(dir, format!("`{digest}` is not a sha256 digest")))?;
    let path = dir.join("blobs").join("sha256").join(hex);
    let bytes = std::fs::read(&path).map_err(|e| local(&path, e.to_string()))?;
    let actual = crate::sha256_digest(&bytes);
    if actual != digest {
        return Err(local(
            &path,
            format!("content hashes to {actual}, not to its name; the layout is corrupt"),
        ));
    }
    Ok(bytes)
}

/// Pushes the manifest (or index) `digest` of the layout and everything below it; returns its
/// media type.
fn push_tree<'a>(
    registry: &'a Registry,
    dir: &'a Path,
    target: &'a ImageRef,
    digest: &'a str,
    depth: usize,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<String, OciError>> + 'a>> {
    Box::pin(async move {
        if depth > 4 {
            return Err(local(dir, "indexes nested more than 4 deep"));
        }
        let bytes = read_blob(dir, digest)?;
        let doc: Value = serde_json::from_slice(&bytes)
            .map_err(|e| local(dir, format!("manifest {digest} is not JSON: {e}")))?;
        let media_type = if let Some(children) = doc.get("manifests").and_then(Value::as_array) {
            for child in children {
                let d = child
                    .get("digest")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                push_tree(registry, dir, target, d, depth + 1).await?;
            }
            media::OCI_INDEX
        } else {
            let blobs = doc.get("config").into_iter().chain(
                doc.get("layers")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten(),
            );
            for b in blobs {
                let d = b.get("digest").and_then(Value::as_str).unwrap_or_default();
                registry.push_blob(target, &read_blob(dir, d)?).await?;
            }
            media::OCI_MANIFEST
        };
        let media_type = doc
            .get("mediaType")
            .and_then(Value::as_str)
            .unwrap_or(media_type)
            .to_owned();
        registry
            .push_manifest(&target.with_digest(digest), &bytes, &media_type)
            .await?;
        Ok(media_type)
    })
}

/// Pushes the first image of the OCI layout at `dir` to `target` (a tag, or a digest that must
/// match) and returns the pushed manifest's digest.
pub async fn push_layout(
    registry: &Registry,
    dir: &Path,
    target: &ImageRef,
) -> Result<String, OciError> {
    let index_path = dir.join("index.json");
    let index: Value = serde_json::from_slice(
        &std::fs::read(&index_path).map_err(|e| local(&index_path, e.to_string()))?,
    )
    .map_err(|e| local(&index_path, format!("not JSON: {e}")))?;
    let digest = index
        .pointer("/manifests/0/digest")
        .and_then(Value::as_str)
        .ok_or_else(|| local(&index_path, "no manifests; is this an OCI image layout?"))?
        .to_owned();
    let media_type = push_tree(registry, dir, target, &digest, 0).await?;
    if target.tag().is_some() && target.digest().is_none() {
        let bytes = read_blob(dir, &digest)?;
        registry.push_manifest(target, &bytes, &media_type).await?;
    }
    Ok(digest)
}
