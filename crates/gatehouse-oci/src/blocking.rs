//! The registry client for synchronous callers (the SBOM image source, the CLI): the async
//! [`crate::Registry`] on a private current-thread runtime, and blobs as `std::io::Read`.

use std::io::Read;

use futures_util::StreamExt as _;

use crate::client::{self, Image, RegistryOptions};
use crate::error::OciError;
use crate::reference::ImageRef;

/// A blocking registry client. Must not be used from inside an async runtime.
#[derive(Debug)]
pub struct Registry {
    rt: tokio::runtime::Runtime,
    inner: client::Registry,
}

impl Registry {
    /// A client with `opts`.
    pub fn new(opts: RegistryOptions) -> Result<Self, OciError> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| OciError::Local {
                path: "tokio runtime".into(),
                message: e.to_string(),
            })?;
        Ok(Self {
            rt,
            inner: client::Registry::new(opts),
        })
    }

    /// The async client underneath.
    pub fn inner(&self) -> &client::Registry {
        &self.inner
    }

    /// Runs an async operation of the client to completion.
    pub fn block_on<F: std::future::Future>(&self, f: F) -> F::Output {
        self.rt.block_on(f)
    }

    /// See [`client::Registry::resolve`].
    pub fn resolve(&self, image: &ImageRef) -> Result<String, OciError> {
        self.rt.block_on(self.inner.resolve(image))
    }

    /// See [`client::Registry::pull_manifest`].
    pub fn pull_manifest(&self, image: &ImageRef) -> Result<(Vec<u8>, String), OciError> {
        self.rt.block_on(self.inner.pull_manifest(image))
    }

    /// See [`client::Registry::pull_image`].
    pub fn pull_image(&self, image: &ImageRef) -> Result<Image, OciError> {
        self.rt.block_on(self.inner.pull_image(image))
    }

    /// See [`client::Registry::pull_blob`].
    pub fn pull_blob(
        &self,
        image: &ImageRef,
        digest: &str,
        limit: usize,
    ) -> Result<Vec<u8>, OciError> {
        self.rt.block_on(self.inner.pull_blob(image, digest, limit))
    }

    /// The blob `digest` as a reader. Reading it to the end verifies the digest: the last
    /// `read` fails with an `io::Error` wrapping [`OciError::DigestMismatch`] otherwise.
    pub fn blob_reader(&self, image: &ImageRef, digest: &str) -> Result<BlobReader<'_>, OciError> {
        let stream = self.rt.block_on(self.inner.blob_stream(image, digest))?;
        Ok(BlobReader {
            rt: &self.rt,
            stream,
            chunk: bytes_empty(),
            image: image.clone(),
            digest: digest.to_owned(),
            done: false,
        })
    }

    /// See [`client::Registry::push_blob`].
    pub fn push_blob(&self, image: &ImageRef, bytes: &[u8]) -> Result<String, OciError> {
        self.rt.block_on(self.inner.push_blob(image, bytes))
    }

    /// See [`client::Registry::push_manifest`].
    pub fn push_manifest(
        &self,
        image: &ImageRef,
        bytes: &[u8],
        media_type: &str,
    ) -> Result<String, OciError> {
        self.rt
            .block_on(self.inner.push_manifest(image, bytes, media_type))
    }

    /// See [`client::Registry::list_tags`].
    pub fn list_tags(&self, image: &ImageRef) -> Result<Vec<String>, OciError> {
        self.rt.block_on(self.inner.list_tags(image))
    }

    /// See [`crate::layout::push_layout`].
    pub fn push_layout(
        &self,
        dir: &std::path::Path,
        target: &ImageRef,
    ) -> Result<String, OciError> {
        self.rt
            .block_on(crate::layout::push_layout(&self.inner, dir, target))
    }
}

type Chunk = std::io::Cursor<Vec<u8>>;

fn bytes_empty() -> Chunk {
    std::io::Cursor::new(Vec::new())
}

/// A blob being downloaded, read synchronously; verified against its digest at the end.
pub struct BlobReader<'a> {
    rt: &'a tokio::runtime::Runtime,
    stream: oci_client::client::SizedStream,
    chunk: Chunk,
    image: ImageRef,
    digest: String,
    done: bool,
}

impl std::fmt::Debug for BlobReader<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BlobReader")
            .field("digest", &self.digest)
            .finish()
    }
}

impl Read for BlobReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        loop {
            let n = self.chunk.read(buf)?;
            if n > 0 || buf.is_empty() || self.done {
                return Ok(n);
            }
            match self.rt.block_on(self.stream.next()) {
                Some(Ok(bytes)) => self.chunk = std::io::Cursor::new(bytes.to_vec()),
                Some(Err(e)) => {
                    self.done = true;
                    return Err(std::io::Error::other(client::stream_error(
                        &self.image,
                        &self.digest,
                        &e,
                    )));
                }
                None => {
                    self.done = true;
                    return Ok(0);
                }
            }
        }
    }
}
