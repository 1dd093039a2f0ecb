//! Gatehouse's OCI registry client, shared by image sources (`gatehouse sbom`, `scan`) and image
//! signing: a thin, typed layer over `oci-client`.
//!
//! | concept | module |
//! |---|---|
//! | image references by shape, loopback detection, the plain-HTTP rule | [`reference`] |
//! | credentials: flags, `~/.docker/config.json` `auths` | [`auth`] |
//! | platform selection in image indexes | [`platform`] |
//! | the async client: resolve, pull (digest-verified), push, tags | [`client`] |
//! | the same for synchronous callers, blobs as `std::io::Read` | [`blocking`] |
//! | pushing an OCI image layout directory | [`layout`] |
//! | OCI 1.1 referrers: listing (API or tag schema), pushing with the fallback index | [`referrers`] |
//! | helpers for registry tests (feature `test-support`) | `test_support` |
//!
//! Every byte pulled is checked against the digest that named it: manifests by the reference's
//! digest (or the registry's `Docker-Content-Digest`), blobs by their descriptor's digest, at the
//! end of the stream. Plain HTTP is used only for loopback registries and refused for any other.
//! The library reads no environment variables and prints nothing; callers pass credentials in.

pub mod auth;
pub mod blocking;
pub mod client;
pub mod error;
pub mod layout;
pub mod platform;
pub mod reference;
pub mod referrers;
#[cfg(feature = "test-support")]
pub mod test_support;

pub use auth::Credentials;
pub use client::{Image, Registry, RegistryOptions};
pub use error::OciError;
pub use platform::Platform;
pub use reference::ImageRef;
pub use referrers::Referrer;

/// Media types of manifests and indexes we ask for and understand.
pub mod media {
    /// OCI image manifest.
    pub const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
    /// OCI image index.
    pub const OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
    /// Docker schema 2 manifest.
    pub const DOCKER_MANIFEST: &str = "application/vnd.docker.distribution.manifest.v2+json";
    /// Docker manifest list.
    pub const DOCKER_LIST: &str = "application/vnd.docker.distribution.manifest.list.v2+json";
    /// Every manifest type above, in the `Accept` header of manifest requests.
    pub const ACCEPTED: &[&str] = &[OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST, DOCKER_LIST];
}

/// `sha256:<hex>` of `bytes`.
pub fn sha256_digest(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    format!("sha256:{}", hex::encode(sha2::Sha256::digest(bytes)))
}
