//! Image references (`host[:port]/repository[:tag][@sha256:<hex>]`), recognised by shape, and the
//! rule that plain HTTP is for loopback registries only.

use std::net::IpAddr;

use crate::error::OciError;

/// A parsed image reference that names its registry host explicitly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageRef {
    pub(crate) inner: oci_client::Reference,
    text: String,
}

impl ImageRef {
    /// Parses `text`; the first path segment must be a registry host (it has a `.` or a `:port`,
    /// or is `localhost`), so local paths and Docker Hub short names are not mistaken for one.
    pub fn parse(text: &str) -> Result<Self, OciError> {
        let bad = |message: &str| OciError::Reference {
            reference: text.to_owned(),
            message: message.to_owned(),
        };
        let (host, rest) = text
            .split_once('/')
            .ok_or_else(|| bad("no `/` between registry host and repository"))?;
        if !is_host(host) {
            return Err(bad(
                "the first segment is not a registry host (it needs a `.`, a `:port` or to be `localhost`)",
            ));
        }
        if rest.is_empty() || rest.starts_with('/') {
            return Err(bad("empty repository"));
        }
        let inner = oci_client::Reference::try_from(text).map_err(|e| bad(&e.to_string()))?;
        Ok(Self {
            inner,
            text: text.to_owned(),
        })
    }

    /// Parses `text` where it can only be an image (signing, verifying): as [`ImageRef::parse`],
    /// and otherwise as a Docker Hub name the way docker and cosign read it (`alpine@sha256:…` is
    /// `docker.io/library/alpine@sha256:…`, `org/app:1` is `docker.io/org/app:1`).
    pub fn parse_image(text: &str) -> Result<Self, OciError> {
        let explicit = Self::parse(text);
        let host = text.split_once('/').map(|(host, _)| host);
        if explicit.is_ok() || host.is_some_and(is_host) {
            return explicit;
        }
        let inner = oci_client::Reference::try_from(text).map_err(|e| OciError::Reference {
            reference: text.to_owned(),
            message: e.to_string(),
        })?;
        Ok(Self {
            text: inner.whole(),
            inner,
        })
    }

    /// Whether `text` has the shape of an image reference (see [`ImageRef::parse`]).
    pub fn looks_like(text: &str) -> bool {
        Self::parse(text).is_ok()
    }

    /// The registry host, with its port.
    pub fn registry(&self) -> &str {
        self.inner.registry()
    }

    /// The repository path.
    pub fn repository(&self) -> &str {
        self.inner.repository()
    }

    /// The tag, if one was given.
    pub fn tag(&self) -> Option<&str> {
        self.inner.tag()
    }

    /// The digest, if one was given.
    pub fn digest(&self) -> Option<&str> {
        self.inner.digest()
    }

    /// The same repository at `digest`.
    pub fn with_digest(&self, digest: &str) -> Self {
        let text = format!("{}/{}@{digest}", self.registry(), self.repository());
        Self {
            inner: oci_client::Reference::with_digest(
                self.registry().to_owned(),
                self.repository().to_owned(),
                digest.to_owned(),
            ),
            text,
        }
    }

    /// The same repository at `tag`.
    pub fn with_tag(&self, tag: &str) -> Self {
        let text = format!("{}/{}:{tag}", self.registry(), self.repository());
        Self {
            inner: oci_client::Reference::with_tag(
                self.registry().to_owned(),
                self.repository().to_owned(),
                tag.to_owned(),
            ),
            text,
        }
    }

    /// Whether the registry is on this machine.
    pub fn is_loopback(&self) -> bool {
        is_loopback_host(self.registry())
    }
}

impl std::fmt::Display for ImageRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

impl std::str::FromStr for ImageRef {
    type Err = OciError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

fn is_host(host: &str) -> bool {
    if host.is_empty() {
        return false;
    }
    let name = strip_port(host);
    let ok_chars = host
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'));
    ok_chars && (host.contains('.') || host.contains(':') || name == "localhost")
}

/// `host:port` → `host`; `[::1]:5000` → `::1`.
fn strip_port(host: &str) -> &str {
    if let Some(rest) = host.strip_prefix('[') {
        return rest.split_once(']').map_or(rest, |(h, _)| h);
    }
    match host.rsplit_once(':') {
        Some((h, port)) if port.bytes().all(|b| b.is_ascii_digit()) => h,
        _ => host,
    }
}

/// Whether `host` (with or without a port) names this machine: `localhost`, 127.0.0.0/8, `::1`.
pub fn is_loopback_host(host: &str) -> bool {
    let name = strip_port(host);
    name.eq_ignore_ascii_case("localhost")
        || name.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        for ok in [
            "localhost:5000/repo:tag",
            "127.0.0.1:5000/a/b@sha256:0000000000000000000000000000000000000000000000000000000000000000",
            "registry.example/repo",
            "ghcr.io/org/img:1.2",
            "localhost/x",
        ] {
            assert!(ImageRef::looks_like(ok), "{ok}");
        }
        for bad in [
            "Cargo.lock",
            "crates/gatehouse",
            "./x/y",
            "/abs/path",
            "alpine:3.19",
            "library/alpine",
            "host.example/",
        ] {
            assert!(!ImageRef::looks_like(bad), "{bad}");
        }
    }

    #[test]
    fn docker_hub_names_where_only_an_image_can_be_meant() {
        let digest = "sha256:0000000000000000000000000000000000000000000000000000000000000000";
        let short = ImageRef::parse_image(&format!("alpine@{digest}")).unwrap();
        assert_eq!(short.registry(), "docker.io");
        assert_eq!(short.repository(), "library/alpine");
        assert_eq!(
            short.to_string(),
            format!("docker.io/library/alpine@{digest}")
        );
        let org = ImageRef::parse_image("org/app:1").unwrap();
        assert_eq!(
            (org.registry(), org.repository(), org.tag()),
            ("docker.io", "org/app", Some("1"))
        );
        let explicit = ImageRef::parse_image("localhost:5000/repo:tag").unwrap();
        assert_eq!(explicit.registry(), "localhost:5000");
        assert!(ImageRef::parse_image("ghcr.io/").is_err());
        assert!(ImageRef::parse_image("no spaces/in names").is_err());
    }

    #[test]
    fn loopback() {
        assert!(is_loopback_host("127.0.0.1:5000"));
        assert!(is_loopback_host("127.3.2.1"));
        assert!(is_loopback_host("localhost:1"));
        assert!(is_loopback_host("[::1]:5000"));
        assert!(!is_loopback_host("registry.example"));
        assert!(!is_loopback_host("10.0.0.1:5000"));
        assert!(!is_loopback_host("localhost.evil.example"));
    }

    #[test]
    fn parts() {
        let r = ImageRef::parse("localhost:5000/a/b:v1").unwrap();
        assert_eq!(r.registry(), "localhost:5000");
        assert_eq!(r.repository(), "a/b");
        assert_eq!(r.tag(), Some("v1"));
        assert_eq!(r.digest(), None);
    }
}
