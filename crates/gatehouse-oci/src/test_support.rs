//! Test helpers for the registry tests of every crate (feature `test-support`): the local
//! registries that `scripts/start-registry.sh` starts, fresh repositories on them, and small
//! images pushed with this crate's own client. Test code only: failures panic with what to do.

use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::json;

use crate::{Credentials, ImageRef, Registry, RegistryOptions, media, sha256_digest};

/// The value of `name`, one of the variables `eval "$(scripts/start-registry.sh)"` exports
/// (`GATEHOUSE_TEST_REGISTRY` for the anonymous registry, `…_AUTH`, `…_TOKEN`, `…_USER`,
/// `…_PASSWORD`, `…_STORAGE`).
pub fn registry_env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!(
            "{name} is not set: the registry tests need the local registries. \
             Run `eval \"$(scripts/start-registry.sh)\"` first (scripts/test.sh does)."
        )
    })
}

/// A repository nobody else uses on `host` (`host/<prefix>/r<pid>-<n>-<nanos>:<tag>`), so tests
/// can share one registry.
pub fn fresh_repo(host: &str, prefix: &str, tag: &str) -> ImageRef {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let text = format!("{host}/{prefix}/r{}-{n}-{nanos}:{tag}", std::process::id());
    ImageRef::parse(&text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

/// Pushes a linux/amd64 image with one layer (`layer`, uncompressed) under `target`'s tag and
/// returns its manifest digest.
pub async fn push_image(registry: &Registry, target: &ImageRef, layer: &[u8]) -> String {
    let config = serde_json::to_vec(&json!({
        "architecture": "amd64", "os": "linux",
        "rootfs": {"type": "layers", "diff_ids": [sha256_digest(layer)]},
    }))
    .unwrap_or_default();
    for blob in [&config[..], layer] {
        registry
            .push_blob(target, blob)
            .await
            .unwrap_or_else(|e| panic!("pushing a blob to {target}: {e}"));
    }
    let manifest = serde_json::to_vec(&json!({
        "schemaVersion": 2,
        "mediaType": media::OCI_MANIFEST,
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": sha256_digest(&config), "size": config.len()},
        "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": sha256_digest(layer), "size": layer.len()}],
    }))
    .unwrap_or_default();
    registry
        .push_manifest(target, &manifest, media::OCI_MANIFEST)
        .await
        .unwrap_or_else(|e| panic!("pushing the manifest of {target}: {e}"))
}

/// [`push_image`] for synchronous tests, with `credentials`.
pub fn push_image_blocking(credentials: Credentials, target: &ImageRef, layer: &[u8]) -> String {
    let registry = crate::blocking::Registry::new(RegistryOptions {
        credentials,
        ..RegistryOptions::default()
    })
    .unwrap_or_else(|e| panic!("registry client: {e}"));
    registry.block_on(push_image(registry.inner(), target, layer))
}
