//! Typed registry errors; each says what to try next.

/// What went wrong talking to a registry.
#[derive(Debug, thiserror::Error)]
pub enum OciError {
    /// The image reference does not parse.
    #[error(
        "`{reference}` is not an image reference ({message}); expected host[:port]/repository[:tag|@sha256:<hex>]"
    )]
    Reference {
        /// The text given.
        reference: String,
        /// Why it was rejected.
        message: String,
    },
    /// Plain HTTP was asked for a registry that is not on this machine.
    #[error(
        "refusing plain HTTP to `{host}`: only loopback registries (127.0.0.0/8, localhost, [::1]) may be reached without TLS; use the registry's HTTPS endpoint"
    )]
    PlainHttpRefused {
        /// The registry host.
        host: String,
    },
    /// The content did not hash to the digest that named it.
    #[error(
        "{what} from `{reference}` does not match its digest (expected {expected}, got {actual}); the registry or the path to it returned different content — do not trust this image"
    )]
    DigestMismatch {
        /// Manifest, config or layer.
        what: String,
        /// The image reference.
        reference: String,
        /// The digest asked for.
        expected: String,
        /// The digest of what arrived.
        actual: String,
    },
    /// The registry refused our credentials, or wants some.
    #[error(
        "`{reference}`: authentication failed ({message}); pass --username/--password (or GATEHOUSE_REGISTRY_USERNAME/_PASSWORD), or log in so ~/.docker/config.json has the registry"
    )]
    Auth {
        /// The image reference.
        reference: String,
        /// The registry's words.
        message: String,
    },
    /// The manifest, tag or blob does not exist.
    #[error("`{reference}`: {message}; check the repository, tag or digest")]
    NotFound {
        /// The image reference.
        reference: String,
        /// The registry's words.
        message: String,
    },
    /// An image index has no manifest for the requested platform.
    #[error(
        "`{reference}` is a multi-platform index without {platform}; available: {available}; pick one with --platform"
    )]
    NoPlatform {
        /// The image reference.
        reference: String,
        /// The platform asked for.
        platform: String,
        /// The platforms the index lists.
        available: String,
    },
    /// The registry answered something that is not a manifest we understand.
    #[error("`{reference}`: {message}")]
    Manifest {
        /// The image reference.
        reference: String,
        /// What is wrong with it.
        message: String,
    },
    /// Any other protocol or transport failure.
    #[error("`{reference}`: {message}; is the registry running and reachable?")]
    Registry {
        /// The image reference.
        reference: String,
        /// The failure.
        message: String,
    },
    /// Local files (an OCI layout being pushed, a Docker config).
    #[error("{path}: {message}")]
    Local {
        /// The file.
        path: String,
        /// What is wrong with it.
        message: String,
    },
}

impl OciError {
    /// Maps an `oci-client` error for `reference` to the typed error.
    pub(crate) fn from_client(
        reference: &str,
        what: &str,
        err: oci_client::errors::OciDistributionError,
    ) -> Self {
        use oci_client::errors::OciDistributionError as E;
        let message = err.to_string();
        match err {
            E::DigestError(oci_client::errors::DigestError::VerificationError {
                expected,
                actual,
            }) => Self::DigestMismatch {
                what: what.to_owned(),
                reference: reference.to_owned(),
                expected,
                actual,
            },
            E::AuthenticationFailure(m) => Self::Auth {
                reference: reference.to_owned(),
                message: m,
            },
            E::UnauthorizedError { .. } => Self::Auth {
                reference: reference.to_owned(),
                message,
            },
            E::ImageManifestNotFoundError(m) => Self::NotFound {
                reference: reference.to_owned(),
                message: m,
            },
            E::RegistryError { envelope, .. }
                if envelope.errors.iter().any(|e| {
                    matches!(
                        e.code,
                        oci_client::errors::OciErrorCode::ManifestUnknown
                            | oci_client::errors::OciErrorCode::BlobUnknown
                            | oci_client::errors::OciErrorCode::NameUnknown
                    )
                }) =>
            {
                Self::NotFound {
                    reference: reference.to_owned(),
                    message,
                }
            }
            E::ServerError { code: 404, .. } => Self::NotFound {
                reference: reference.to_owned(),
                message: format!("{what} not found"),
            },
            E::RegistryError { envelope, .. }
                if envelope.errors.iter().any(|e| {
                    matches!(
                        e.code,
                        oci_client::errors::OciErrorCode::Unauthorized
                            | oci_client::errors::OciErrorCode::Denied
                    )
                }) =>
            {
                Self::Auth {
                    reference: reference.to_owned(),
                    message,
                }
            }
            _ => Self::Registry {
                reference: reference.to_owned(),
                message: format!("{what}: {message}"),
            },
        }
    }
}
