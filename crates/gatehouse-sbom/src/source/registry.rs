//! Images in a registry, by tag or digest: the manifest (an index resolves to the requested
//! platform), the config and each layer are pulled through `gatehouse-oci`, every byte checked
//! against its digest, and the layers are streamed into the same layer code as image files
//! (applied in order, whiteouts honoured, each component recording its layer). The SBOM's
//! subject is the image manifest's digest.

use std::io::Read;

/// The registry client, for callers that configure credentials and platforms.
pub use gatehouse_oci as oci;

use gatehouse_oci::ImageRef;
use gatehouse_oci::blocking::Registry;
use serde_json::Value;

use super::ScanOptions;
use super::image::{Blobs, scan_manifest};
use crate::error::SbomError;
use crate::model::Sbom;

/// A registry repository seen as a blob store (`blobs/<alg>/<hex>` → blob `<alg>:<hex>`).
struct RegistryBlobs<'a> {
    registry: &'a Registry,
    image: &'a ImageRef,
}

impl Blobs for RegistryBlobs<'_> {
    fn open(&self, name: &str) -> Result<Box<dyn Read + '_>, SbomError> {
        let digest = name
            .strip_prefix("blobs/")
            .and_then(|d| d.split_once('/'))
            .map(|(alg, hex)| format!("{alg}:{hex}"))
            .unwrap_or_else(|| name.to_owned());
        Ok(Box::new(self.registry.blob_reader(self.image, &digest)?))
    }
    fn has(&self, _name: &str) -> bool {
        true
    }
    fn label(&self) -> String {
        self.image.to_string()
    }
}

/// What was scanned: the reference as given and the digests it resolved to.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// The platform image manifest's digest (the SBOM subject).
    pub manifest_digest: String,
    /// The index's digest, when the reference named a multi-platform index.
    pub index_digest: Option<String>,
}

/// Scans `image` in its registry.
pub fn scan_registry(
    registry: &Registry,
    image: &ImageRef,
    opts: &ScanOptions,
) -> Result<(Sbom, Resolved), SbomError> {
    let pulled = registry.pull_image(image)?;
    let config: Value = serde_json::from_slice(&pulled.config).map_err(|e| SbomError::Image {
        path: format!("{image}: config"),
        message: format!("not JSON: {e}"),
    })?;
    let blobs = RegistryBlobs {
        registry,
        image: &pulled.reference,
    };
    let sbom = scan_manifest(
        &blobs,
        &pulled.manifest,
        &config,
        image.to_string(),
        pulled.manifest_digest.clone(),
        opts,
    )?;
    Ok((
        sbom,
        Resolved {
            manifest_digest: pulled.manifest_digest,
            index_digest: pulled.index_digest,
        },
    ))
}
