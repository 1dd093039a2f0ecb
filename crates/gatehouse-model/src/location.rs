//! `Location`: where a finding is, as a file span, an infrastructure resource, a package, an image.

use serde::{Deserialize, Serialize};

/// Where a finding is. Every part is optional and several can be set at once: a Terraform finding
/// has a path, lines and a resource address; a vulnerability match has a purl, a version, maybe a
/// lockfile path and an image digest.
///
/// Lines are 1-based and inclusive. Columns are 1-based and, as in SARIF, `end_column` is the
/// column *after* the last flagged character. `snippet` is the source text of the flagged
/// line(s); it is what keeps a [`Fingerprint`](crate::Fingerprint) stable when lines move, so
/// producers that can read the file should fill it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct Location {
    /// Path relative to the repository or scan root, with forward slashes (see [`normalize_path`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_line: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_line: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_column: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_column: Option<u32>,
    /// The flagged source text (one or more lines), used as the fingerprint's line hint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snippet: Option<String>,
    /// An infrastructure address, e.g. Terraform `module.a.aws_s3_bucket.b` or a Kubernetes
    /// `Deployment/default/web`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// Package URL of the affected component, e.g. `pkg:npm/lodash@4.17.20`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purl: Option<String>,
    /// Installed version of the package (also when the purl carries none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub package_version: Option<String>,
    /// Image digest (`sha256:…`) the finding was found in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_digest: Option<String>,
}

impl Location {
    /// A location in a file; the path is normalized with [`normalize_path`].
    pub fn file(path: &str) -> Self {
        Self {
            path: Some(normalize_path(path)),
            ..Self::default()
        }
    }

    /// A location that is an infrastructure resource address.
    pub fn resource(address: impl Into<String>) -> Self {
        Self {
            resource: Some(address.into()),
            ..Self::default()
        }
    }

    /// A location that is a package: purl plus installed version.
    pub fn package(purl: impl Into<String>, version: impl Into<String>) -> Self {
        Self {
            purl: Some(purl.into()),
            package_version: Some(version.into()),
            ..Self::default()
        }
    }

    /// Sets the (normalized) path.
    pub fn with_path(mut self, path: &str) -> Self {
        self.path = Some(normalize_path(path));
        self
    }

    /// Sets the line span (`end` may equal `start`).
    pub fn with_lines(mut self, start: u32, end: u32) -> Self {
        self.start_line = Some(start);
        self.end_line = Some(end);
        self
    }

    /// Sets a single line.
    pub fn with_line(self, line: u32) -> Self {
        self.with_lines(line, line)
    }

    /// Sets the column span.
    pub fn with_columns(mut self, start: u32, end: u32) -> Self {
        self.start_column = Some(start);
        self.end_column = Some(end);
        self
    }

    /// Sets the flagged source text.
    pub fn with_snippet(mut self, snippet: impl Into<String>) -> Self {
        self.snippet = Some(snippet.into());
        self
    }

    /// Sets the resource address.
    pub fn with_resource(mut self, address: impl Into<String>) -> Self {
        self.resource = Some(address.into());
        self
    }

    /// Sets the package purl and version.
    pub fn with_package(mut self, purl: impl Into<String>, version: impl Into<String>) -> Self {
        self.purl = Some(purl.into());
        self.package_version = Some(version.into());
        self
    }

    /// Sets the image digest.
    pub fn with_image_digest(mut self, digest: impl Into<String>) -> Self {
        self.image_digest = Some(digest.into());
        self
    }

    /// A short human form: `path:line[:col]`, else the resource, else `purl` (with
    /// `@version` if the purl has none), else the image digest, else empty.
    pub fn display_short(&self) -> String {
        if let Some(path) = &self.path {
            return match (self.start_line, self.start_column) {
                (Some(line), Some(col)) => format!("{path}:{line}:{col}"),
                (Some(line), None) => format!("{path}:{line}"),
                _ => path.clone(),
            };
        }
        if let Some(resource) = &self.resource {
            return resource.clone();
        }
        if self.purl.is_some() {
            return self.display_short_package();
        }
        self.image_digest.clone().unwrap_or_default()
    }

    /// The purl, with `@package_version` appended when the purl carries no version; empty
    /// without a purl.
    pub fn display_short_package(&self) -> String {
        let Some(purl) = &self.purl else {
            return String::new();
        };
        match &self.package_version {
            Some(version) if !purl_has_version(purl) => format!("{purl}@{version}"),
            _ => purl.clone(),
        }
    }
}

/// Normalizes a relative path: backslashes become `/`, `.` segments and repeated slashes go,
/// a leading `./` goes. `..` segments and a leading `/` are kept (the model does no I/O and
/// cannot resolve them); producers should pass paths relative to the scan root.
pub fn normalize_path(path: &str) -> String {
    let unified = path.replace('\\', "/");
    let absolute = unified.starts_with('/');
    let segments: Vec<&str> = unified
        .split('/')
        .filter(|segment| !segment.is_empty() && *segment != ".")
        .collect();
    let joined = segments.join("/");
    if absolute {
        format!("/{joined}")
    } else {
        joined
    }
}

/// Drops qualifiers and subpath, lowercases the type (`pkg:NPM/x` → `pkg:npm/x`).
pub(crate) fn normalize_purl(purl: &str) -> String {
    let end = purl.find(['?', '#']).unwrap_or(purl.len());
    let purl = purl.get(..end).unwrap_or(purl);
    match purl
        .split_once(':')
        .and_then(|(scheme, rest)| Some((scheme, rest.split_once('/')?)))
    {
        Some((scheme, (kind, name))) => {
            format!(
                "{}:{}/{name}",
                scheme.to_ascii_lowercase(),
                kind.to_ascii_lowercase()
            )
        }
        None => purl.to_owned(),
    }
}

/// A purl's version follows an `@` in its last segment, before any qualifiers or subpath
/// (namespaces hold `%40`, not `@`).
pub(crate) fn purl_has_version(purl: &str) -> bool {
    let end = purl.find(['?', '#']).unwrap_or(purl.len());
    let purl = purl.get(..end).unwrap_or(purl);
    purl.rsplit('/')
        .next()
        .is_some_and(|name| name.contains('@'))
}

/// Splits a normalized purl into the part before the version and the version, if any.
pub(crate) fn split_purl_version(purl: &str) -> (&str, Option<&str>) {
    let name_start = purl.rfind('/').map_or(0, |slash| slash + 1);
    match purl.get(name_start..).and_then(|name| name.rfind('@')) {
        Some(at) => {
            let at = name_start + at;
            (purl.get(..at).unwrap_or(purl), purl.get(at + 1..))
        }
        None => (purl, None),
    }
}
