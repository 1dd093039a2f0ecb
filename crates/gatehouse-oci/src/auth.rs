//! Registry credentials: anonymous, basic (user + password), or a bearer token; and the
//! `auths` section of a Docker `config.json`. Callers find the file and the environment; this
//! module only interprets what they pass.

use base64::Engine as _;
use serde_json::Value;

use crate::error::OciError;

/// How to authenticate to a registry. Basic credentials are also what a registry's bearer-token
/// service receives when it challenges (the `WWW-Authenticate: Bearer realm=...` flow).
#[derive(Clone, Default, PartialEq, Eq)]
pub enum Credentials {
    /// No credentials (public images, or a registry's anonymous token).
    #[default]
    Anonymous,
    /// Username and password (or a personal access token as the password).
    Basic {
        /// User name.
        username: String,
        /// Password or token.
        password: String,
    },
    /// A ready bearer token, sent as `Authorization: Bearer <token>`.
    Bearer(String),
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Anonymous => f.write_str("Anonymous"),
            Self::Basic { username, .. } => write!(f, "Basic({username}, <redacted>)"),
            Self::Bearer(_) => f.write_str("Bearer(<redacted>)"),
        }
    }
}

impl Credentials {
    pub(crate) fn to_client(&self) -> oci_client::secrets::RegistryAuth {
        use oci_client::secrets::RegistryAuth as A;
        match self {
            Self::Anonymous => A::Anonymous,
            Self::Basic { username, password } => A::Basic(username.clone(), password.clone()),
            Self::Bearer(t) => A::Bearer(t.clone()),
        }
    }

    /// The credentials a Docker `config.json` (its bytes, `path` for errors) holds for
    /// `registry` (`host[:port]`), if any. Keys may be bare hosts or URLs
    /// (`https://host/v1/`). `auth` (base64 `user:password`), `username`/`password` and
    /// `registrytoken` entries are understood; credential helpers are not run.
    pub fn from_docker_config(
        path: &str,
        bytes: &[u8],
        registry: &str,
    ) -> Result<Option<Self>, OciError> {
        let local = |message: String| OciError::Local {
            path: path.to_owned(),
            message,
        };
        let config: Value = serde_json::from_slice(bytes).map_err(|e| {
            local(format!(
                "line {}, column {}: {e}; is this a Docker config.json?",
                e.line(),
                e.column()
            ))
        })?;
        let Some(auths) = config.get("auths").and_then(Value::as_object) else {
            return Ok(None);
        };
        let entry = auths.iter().find_map(|(key, v)| {
            let host = key
                .trim_start_matches("https://")
                .trim_start_matches("http://")
                .split('/')
                .next()
                .unwrap_or_default();
            let same = host == registry
                || (registry == "docker.io" && host == "index.docker.io")
                || (registry == "index.docker.io" && host == "docker.io");
            same.then_some((key, v))
        });
        let Some((key, entry)) = entry else {
            return Ok(None);
        };
        if let Some(token) = entry.get("registrytoken").and_then(Value::as_str) {
            return Ok(Some(Self::Bearer(token.to_owned())));
        }
        if let Some(encoded) = entry.get("auth").and_then(Value::as_str) {
            if !encoded.is_empty() {
                let raw = base64::engine::general_purpose::STANDARD
                    .decode(encoded.trim())
                    .map_err(|e| local(format!("auths.\"{key}\".auth is not base64: {e}")))?;
                let text = String::from_utf8(raw)
                    .map_err(|_| local(format!("auths.\"{key}\".auth is not UTF-8")))?;
                let (user, pass) = text
                    .split_once(':')
                    .ok_or_else(|| local(format!("auths.\"{key}\".auth is not `user:password`")))?;
                return Ok(Some(Self::Basic {
                    username: user.to_owned(),
                    password: pass.to_owned(),
                }));
            }
        }
        match (
            entry.get("username").and_then(Value::as_str),
            entry.get("password").and_then(Value::as_str),
        ) {
            (Some(u), Some(p)) => Ok(Some(Self::Basic {
                username: u.to_owned(),
                password: p.to_owned(),
            })),
            _ => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docker_config() {
        let cfg = br#"{"auths": {
            "https://index.docker.io/v1/": {"auth": "dXNlcjpwYXNz"},
            "127.0.0.1:5000": {"username": "a", "password": "b:c"},
            "ghcr.io": {"registrytoken": "tok"}
        }, "credsStore": "desktop"}"#;
        let get = |r| Credentials::from_docker_config("config.json", cfg, r).unwrap();
        assert_eq!(
            get("docker.io"),
            Some(Credentials::Basic {
                username: "user".into(),
                password: "pass".into()
            })
        );
        assert_eq!(
            get("127.0.0.1:5000"),
            Some(Credentials::Basic {
                username: "a".into(),
                password: "b:c".into()
            })
        );
        assert_eq!(get("ghcr.io"), Some(Credentials::Bearer("tok".into())));
        assert_eq!(get("quay.io"), None);
        let err = Credentials::from_docker_config("c.json", b"{", "x").unwrap_err();
        assert!(err.to_string().contains("c.json"), "{err}");
    }
}
