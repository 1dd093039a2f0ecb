//! The async registry client: resolve a tag, pull an image (index → platform manifest → config)
//! and its blobs with digest verification, push blobs and manifests, list tags.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use oci_client::client::{ClientConfig, ClientProtocol, SizedStream};
use oci_client::{Client, RegistryOperation};
use serde_json::Value;

use crate::auth::Credentials;
use crate::error::OciError;
use crate::media;
use crate::platform::Platform;
use crate::reference::ImageRef;

/// How to reach registries.
#[derive(Debug, Clone, Default)]
pub struct RegistryOptions {
    /// Credentials sent to every registry this client talks to.
    pub credentials: Credentials,
    /// Which manifest of a multi-platform index to use (default `linux/amd64`).
    pub platform: Platform,
    /// `None`: plain HTTP for loopback registries, HTTPS for the rest. `Some(true)`: plain HTTP,
    /// refused unless the registry is on loopback. `Some(false)`: HTTPS everywhere.
    pub plain_http: Option<bool>,
}

/// An image pulled by digest: its manifest and config, ready for layer streaming.
#[derive(Debug, Clone)]
pub struct Image {
    /// The repository at the platform manifest's digest.
    pub reference: ImageRef,
    /// Digest of the image manifest (the subject of SBOMs and signatures).
    pub manifest_digest: String,
    /// Digest of the index the manifest was chosen from, when the reference named an index.
    pub index_digest: Option<String>,
    /// The manifest, byte for byte, and parsed.
    pub manifest_bytes: Vec<u8>,
    /// Parsed manifest.
    pub manifest: Value,
    /// The config blob, verified.
    pub config: Vec<u8>,
}

impl Image {
    /// `(digest, media type)` of each layer, in order.
    pub fn layers(&self) -> Vec<(String, String)> {
        self.manifest
            .get("layers")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|l| {
                let s = |k| {
                    l.get(k)
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_owned()
                };
                (s("digest"), s("mediaType"))
            })
            .collect()
    }
}

/// An OCI registry client (async). One per process is enough; it keeps a connection pool and
/// tokens per registry host.
#[derive(Clone)]
pub struct Registry {
    opts: RegistryOptions,
    clients: Arc<Mutex<HashMap<String, Client>>>,
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registry")
            .field("opts", &self.opts)
            .finish()
    }
}

/// Largest manifest or config accepted (they are small JSON documents).
const MAX_DOCUMENT: usize = 16 << 20;

impl Registry {
    /// A client with `opts`.
    pub fn new(opts: RegistryOptions) -> Self {
        Self {
            opts,
            clients: Arc::default(),
        }
    }

    /// The options in force.
    pub fn options(&self) -> &RegistryOptions {
        &self.opts
    }

    /// The `oci-client` for `image`'s host, enforcing the plain-HTTP rule.
    pub(crate) fn client(&self, image: &ImageRef) -> Result<Client, OciError> {
        let host = image.registry().to_owned();
        let http = match self.opts.plain_http {
            None => image.is_loopback(),
            Some(true) if !image.is_loopback() => {
                return Err(OciError::PlainHttpRefused { host });
            }
            Some(v) => v,
        };
        let mut clients = self
            .clients
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(c) = clients.get(&host) {
            return Ok(c.clone());
        }
        let config = ClientConfig {
            protocol: if http {
                ClientProtocol::Http
            } else {
                ClientProtocol::Https
            },
            platform_resolver: None,
            connect_timeout: Some(std::time::Duration::from_secs(30)),
            read_timeout: Some(std::time::Duration::from_secs(300)),
            ..ClientConfig::default()
        };
        let client = Client::try_from(config).map_err(|e| OciError::Registry {
            reference: image.to_string(),
            message: format!("cannot build the HTTP client: {e}"),
        })?;
        clients.insert(host, client.clone());
        Ok(client)
    }

    pub(crate) fn auth(&self) -> oci_client::secrets::RegistryAuth {
        self.opts.credentials.to_client()
    }

    /// The digest `image` (a tag or a digest) points at; for a digest reference, checks that
    /// the registry has it.
    pub async fn resolve(&self, image: &ImageRef) -> Result<String, OciError> {
        let c = self.client(image)?;
        c.fetch_manifest_digest(&image.inner, &self.auth())
            .await
            .map_err(|e| OciError::from_client(&image.to_string(), "manifest", e))
    }

    /// The manifest or index `image` names, byte for byte, with its verified digest.
    pub async fn pull_manifest(&self, image: &ImageRef) -> Result<(Vec<u8>, String), OciError> {
        let c = self.client(image)?;
        let (bytes, digest) = c
            .pull_manifest_raw(&image.inner, &self.auth(), media::ACCEPTED)
            .await
            .map_err(|e| OciError::from_client(&image.to_string(), "manifest", e))?;
        if bytes.len() > MAX_DOCUMENT {
            return Err(OciError::Manifest {
                reference: image.to_string(),
                message: format!("manifest larger than {MAX_DOCUMENT} bytes"),
            });
        }
        // oci-client checked the body against the reference's digest and the registry's
        // Docker-Content-Digest; the digest we report is always the one of these bytes.
        let actual = crate::sha256_digest(&bytes);
        let expected = image.digest().unwrap_or(&digest);
        if expected.starts_with("sha256:") && expected != actual {
            return Err(OciError::DigestMismatch {
                what: "manifest".into(),
                reference: image.to_string(),
                expected: expected.to_owned(),
                actual,
            });
        }
        Ok((bytes.to_vec(), digest))
    }

    /// Pulls `image`'s manifest (choosing the configured platform from an index) and config.
    pub async fn pull_image(&self, image: &ImageRef) -> Result<Image, OciError> {
        let (mut bytes, mut digest) = self.pull_manifest(image).await?;
        let mut index_digest = None;
        let mut manifest = parse_manifest(image, &bytes)?;
        if manifest.get("manifests").is_some() {
            let chosen =
                self.opts
                    .platform
                    .choose(&manifest)
                    .map_err(|available| OciError::NoPlatform {
                        reference: image.to_string(),
                        platform: self.opts.platform.to_string(),
                        available: if available.is_empty() {
                            "none".into()
                        } else {
                            available.join(", ")
                        },
                    })?;
            index_digest = Some(digest);
            let by_digest = image.with_digest(&chosen);
            (bytes, digest) = self.pull_manifest(&by_digest).await?;
            manifest = parse_manifest(&by_digest, &bytes)?;
            if manifest.get("manifests").is_some() {
                return Err(OciError::Manifest {
                    reference: by_digest.to_string(),
                    message: "an index inside an index; expected an image manifest".into(),
                });
            }
        }
        let reference = image.with_digest(&digest);
        let config_digest = manifest
            .pointer("/config/digest")
            .and_then(Value::as_str)
            .ok_or_else(|| OciError::Manifest {
                reference: reference.to_string(),
                message: "the manifest has no config descriptor; is this a container image?".into(),
            })?
            .to_owned();
        let config = self
            .pull_blob(&reference, &config_digest, MAX_DOCUMENT)
            .await?;
        Ok(Image {
            reference,
            manifest_digest: digest,
            index_digest,
            manifest_bytes: bytes,
            manifest,
            config,
        })
    }

    /// A stream of the blob `digest` in `image`'s repository; the stream ends with an error
    /// instead of its last item when the bytes do not hash to `digest`.
    pub async fn blob_stream(
        &self,
        image: &ImageRef,
        digest: &str,
    ) -> Result<SizedStream, OciError> {
        check_digest_syntax(image, digest)?;
        let c = self.client(image)?;
        c.store_auth_if_needed(image.registry(), &self.auth()).await;
        c.pull_blob_stream(&image.inner, digest)
            .await
            .map_err(|e| OciError::from_client(&image.to_string(), &format!("blob {digest}"), e))
    }

    /// The blob `digest`, verified, at most `limit` bytes.
    pub async fn pull_blob(
        &self,
        image: &ImageRef,
        digest: &str,
        limit: usize,
    ) -> Result<Vec<u8>, OciError> {
        use futures_util::StreamExt as _;
        let mut stream = self.blob_stream(image, digest).await?;
        let mut out = Vec::new();
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|e| stream_error(image, digest, &e))?;
            if out.len() + chunk.len() > limit {
                return Err(OciError::Manifest {
                    reference: image.to_string(),
                    message: format!("blob {digest} is larger than {limit} bytes"),
                });
            }
            out.extend_from_slice(&chunk);
        }
        Ok(out)
    }

    async fn push_client(&self, image: &ImageRef) -> Result<Client, OciError> {
        let c = self.client(image)?;
        c.auth(&image.inner, &self.auth(), RegistryOperation::Push)
            .await
            .map_err(|e| OciError::from_client(&image.to_string(), "push authorization", e))?;
        Ok(c)
    }

    /// Uploads `bytes` as a blob of `image`'s repository (skipped when the registry has it
    /// already) and returns its digest.
    pub async fn push_blob(&self, image: &ImageRef, bytes: &[u8]) -> Result<String, OciError> {
        let digest = crate::sha256_digest(bytes);
        let c = self.push_client(image).await?;
        let exists = c.blob_exists(&image.inner, &digest).await.unwrap_or(false);
        if !exists {
            c.push_blob(&image.inner, bytes.to_vec(), &digest)
                .await
                .map_err(|e| OciError::from_client(&image.to_string(), "blob upload", e))?;
        }
        Ok(digest)
    }

    /// Uploads a manifest (or index) under `image`'s tag or digest; returns its digest.
    pub async fn push_manifest(
        &self,
        image: &ImageRef,
        bytes: &[u8],
        media_type: &str,
    ) -> Result<String, OciError> {
        let digest = crate::sha256_digest(bytes);
        if let Some(d) = image.digest() {
            if d != digest {
                return Err(OciError::DigestMismatch {
                    what: "manifest to push".into(),
                    reference: image.to_string(),
                    expected: d.to_owned(),
                    actual: digest,
                });
            }
        }
        let content_type = media_type.parse().map_err(|_| OciError::Manifest {
            reference: image.to_string(),
            message: format!("`{media_type}` is not a valid media type"),
        })?;
        let c = self.push_client(image).await?;
        c.push_manifest_raw(&image.inner, bytes.to_vec(), content_type)
            .await
            .map_err(|e| OciError::from_client(&image.to_string(), "manifest upload", e))?;
        Ok(digest)
    }

    /// The tags of `image`'s repository.
    pub async fn list_tags(&self, image: &ImageRef) -> Result<Vec<String>, OciError> {
        let c = self.client(image)?;
        let r = c
            .list_tags(&image.inner, &self.auth(), None, None)
            .await
            .map_err(|e| OciError::from_client(&image.to_string(), "tag list", e))?;
        Ok(r.tags)
    }
}

fn parse_manifest(image: &ImageRef, bytes: &[u8]) -> Result<Value, OciError> {
    serde_json::from_slice(bytes).map_err(|e| OciError::Manifest {
        reference: image.to_string(),
        message: format!("the manifest is not JSON: {e}"),
    })
}

fn check_digest_syntax(image: &ImageRef, digest: &str) -> Result<(), OciError> {
    let ok = digest
        .strip_prefix("sha256:")
        .is_some_and(|h| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()));
    if ok {
        Ok(())
    } else {
        Err(OciError::Manifest {
            reference: image.to_string(),
            message: format!("`{digest}` is not a sha256 digest"),
        })
    }
}

/// Maps an error item of a blob stream (a digest mismatch at its end, or a transport error).
pub(crate) fn stream_error(image: &ImageRef, digest: &str, e: &std::io::Error) -> OciError {
    if let Some(oci_client::errors::DigestError::VerificationError { expected, actual }) = e
        .get_ref()
        .and_then(|i| i.downcast_ref::<oci_client::errors::DigestError>())
    {
        return OciError::DigestMismatch {
            what: format!("blob {digest}"),
            reference: image.to_string(),
            expected: expected.clone(),
            actual: actual.clone(),
        };
    }
    OciError::Registry {
        reference: image.to_string(),
        message: format!("reading blob {digest}: {e}"),
    }
}
