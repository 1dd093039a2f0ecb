//! The component model every cataloger produces and every writer consumes.

use std::collections::{BTreeMap, BTreeSet};

/// The package ecosystem, named by its purl type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Ecosystem {
    /// npm, yarn, pnpm.
    Npm,
    /// Cargo.
    Cargo,
    /// PyPI (poetry, pipenv, requirements, uv, installed dist-info).
    Pypi,
    /// Go modules.
    Golang,
    /// RubyGems.
    Gem,
    /// Composer / Packagist.
    Composer,
    /// Maven and Gradle.
    Maven,
    /// NuGet.
    Nuget,
    /// Debian packages (dpkg).
    Deb,
    /// Alpine packages (apk).
    Apk,
    /// RPM packages.
    Rpm,
}

impl Ecosystem {
    /// The purl type.
    pub fn purl_type(self) -> &'static str {
        match self {
            Self::Npm => "npm",
            Self::Cargo => "cargo",
            Self::Pypi => "pypi",
            Self::Golang => "golang",
            Self::Gem => "gem",
            Self::Composer => "composer",
            Self::Maven => "maven",
            Self::Nuget => "nuget",
            Self::Deb => "deb",
            Self::Apk => "apk",
            Self::Rpm => "rpm",
        }
    }

    /// The inverse of [`Ecosystem::purl_type`].
    pub fn from_purl_type(ty: &str) -> Option<Self> {
        Some(match ty {
            "npm" => Self::Npm,
            "cargo" => Self::Cargo,
            "pypi" => Self::Pypi,
            "golang" => Self::Golang,
            "gem" => Self::Gem,
            "composer" => Self::Composer,
            "maven" => Self::Maven,
            "nuget" => Self::Nuget,
            "deb" => Self::Deb,
            "apk" => Self::Apk,
            "rpm" => Self::Rpm,
            _ => return None,
        })
    }

    /// Whether this is an OS package manager (distro qualifiers apply).
    pub fn is_os(self) -> bool {
        matches!(self, Self::Deb | Self::Apk | Self::Rpm)
    }
}

/// Whether a component ships (runtime) or is only used to develop/build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Scope {
    /// The file does not say (e.g. requirements.txt, go.sum).
    #[default]
    Unknown,
    /// Runtime dependency.
    Required,
    /// Optional runtime dependency (npm `optional`, extras).
    Optional,
    /// Development / test / build only.
    Dev,
}

impl Scope {
    /// The stronger of two scopes when the same package appears twice: a package needed at
    /// runtime anywhere is needed at runtime.
    pub fn merge(self, other: Self) -> Self {
        use Scope::{Dev, Optional, Required, Unknown};
        match (self, other) {
            (Required, _) | (_, Required) => Required,
            (Unknown, x) | (x, Unknown) => x,
            (Optional, _) | (_, Optional) => Optional,
            (Dev, Dev) => Dev,
        }
    }

    /// A lowercase word for properties and the table.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unknown => "unknown",
            Self::Required => "required",
            Self::Optional => "optional",
            Self::Dev => "dev",
        }
    }
}

/// Hash algorithms lockfiles record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum HashAlg {
    /// MD5 (dpkg md5sums, apk `C:` is SHA-1).
    Md5,
    /// SHA-1.
    Sha1,
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

impl HashAlg {
    /// CycloneDX `hash-alg` name.
    pub fn cyclonedx(self) -> &'static str {
        match self {
            Self::Md5 => "MD5",
            Self::Sha1 => "SHA-1",
            Self::Sha256 => "SHA-256",
            Self::Sha384 => "SHA-384",
            Self::Sha512 => "SHA-512",
        }
    }

    /// SPDX checksum algorithm name.
    pub fn spdx(self) -> &'static str {
        match self {
            Self::Md5 => "MD5",
            Self::Sha1 => "SHA1",
            Self::Sha256 => "SHA256",
            Self::Sha384 => "SHA384",
            Self::Sha512 => "SHA512",
        }
    }

    /// Parses either naming (`SHA-256`, `SHA256`, `sha256`).
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name.to_ascii_lowercase().replace('-', "").as_str() {
            "md5" => Self::Md5,
            "sha1" => Self::Sha1,
            "sha256" => Self::Sha256,
            "sha384" => Self::Sha384,
            "sha512" => Self::Sha512,
            _ => return None,
        })
    }

    /// Expected hex length of a digest.
    pub fn hex_len(self) -> usize {
        match self {
            Self::Md5 => 32,
            Self::Sha1 => 40,
            Self::Sha256 => 64,
            Self::Sha384 => 96,
            Self::Sha512 => 128,
        }
    }
}

/// A digest of the package artifact, hex-encoded lowercase.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Hash {
    /// Algorithm.
    pub alg: HashAlg,
    /// Lowercase hex.
    pub value: String,
}

impl Hash {
    /// A hash from hex, or `None` if it is not hex of the right length.
    pub fn hex(alg: HashAlg, value: &str) -> Option<Self> {
        let value = value.trim().to_ascii_lowercase();
        (value.len() == alg.hex_len() && value.bytes().all(|b| b.is_ascii_hexdigit()))
            .then_some(Self { alg, value })
    }

    /// A hash from raw bytes.
    pub fn bytes(alg: HashAlg, bytes: &[u8]) -> Option<Self> {
        Self::hex(alg, &hex::encode(bytes))
    }

    /// A Subresource Integrity string (`sha512-<base64>`, several separated by spaces).
    pub fn sri(integrity: &str) -> Vec<Self> {
        use base64::Engine as _;
        integrity
            .split_whitespace()
            .filter_map(|part| {
                let (alg, b64) = part.split_once('-')?;
                let alg = HashAlg::parse(alg)?;
                let bytes = base64::engine::general_purpose::STANDARD.decode(b64).ok()?;
                Self::bytes(alg, &bytes)
            })
            .collect()
    }

    /// A `sha256:abc…` / `sha256=abc…` / `sha256-abc…` (hex) string.
    pub fn prefixed(text: &str) -> Option<Self> {
        let (alg, value) = text
            .split_once([':', '='])
            .or_else(|| text.split_once('-'))?;
        Self::hex(HashAlg::parse(alg)?, value)
    }
}

/// One package found in a lockfile, a package database or a document.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Component {
    /// Ecosystem (purl type). `None` only for components read from a document whose purl
    /// type gatehouse does not know.
    pub ecosystem: Option<Ecosystem>,
    /// purl namespace: npm scope (with `@`), Maven group, Composer vendor, distro for OS packages.
    pub namespace: Option<String>,
    /// Package name.
    pub name: String,
    /// Resolved version; empty when the file does not pin one (pom.xml with a managed version).
    pub version: String,
    /// purl qualifiers (`arch`, `distro`, `type`…).
    pub qualifiers: BTreeMap<String, String>,
    /// purl subpath (rare).
    pub subpath: Option<String>,
    /// Runtime or development use, as the file says.
    pub scope: Scope,
    /// Whether the project depends on it directly; `None` when the file does not say.
    pub direct: Option<bool>,
    /// Artifact digests recorded by the file.
    pub hashes: BTreeSet<Hash>,
    /// Declared licences (SPDX expressions or free text), as the file records them.
    pub licenses: BTreeSet<String>,
    /// purls of the packages this one depends on, where the file records edges.
    pub dependencies: BTreeSet<String>,
    /// Files that list this component (relative to the scanned root / image filesystem).
    pub locations: BTreeSet<String>,
    /// Image layer (diff_id) that introduced the file, for image sources.
    pub layers: BTreeSet<String>,
    /// Extra facts (`gatehouse:…` keys), e.g. the resolved URL, the source package.
    pub properties: BTreeMap<String, String>,
    /// The purl string as read from a document, when it could not be rebuilt.
    pub raw_purl: Option<String>,
}

impl Component {
    /// A component with the essentials; everything else defaulted.
    pub fn new(ecosystem: Ecosystem, name: impl Into<String>, version: impl Into<String>) -> Self {
        Self {
            ecosystem: Some(ecosystem),
            name: name.into(),
            version: version.into(),
            ..Self::default()
        }
    }

    /// Sets the namespace.
    #[must_use]
    pub fn with_namespace(mut self, namespace: Option<String>) -> Self {
        self.namespace = namespace.filter(|n| !n.is_empty());
        self
    }

    /// The canonical package URL (also the `bom-ref`).
    pub fn purl(&self) -> String {
        crate::purl::build(self)
    }

    /// `namespace/name` (npm: `@scope/name`, Maven: `group:artifact`).
    pub fn full_name(&self) -> String {
        match (&self.namespace, self.ecosystem) {
            (Some(ns), Some(Ecosystem::Maven)) => format!("{ns}:{}", self.name),
            (Some(ns), Some(e)) if !e.is_os() => format!("{ns}/{}", self.name),
            _ => self.name.clone(),
        }
    }

    /// Folds `other` (the same purl found again) into `self`.
    pub fn merge(&mut self, other: Self) {
        self.scope = self.scope.merge(other.scope);
        self.direct = match (self.direct, other.direct) {
            (Some(a), Some(b)) => Some(a || b),
            (a, b) => a.or(b),
        };
        self.hashes.extend(other.hashes);
        self.licenses.extend(other.licenses);
        self.dependencies.extend(other.dependencies);
        self.locations.extend(other.locations);
        self.layers.extend(other.layers);
        for (k, v) in other.properties {
            self.properties.entry(k).or_insert(v);
        }
    }
}

/// What the SBOM describes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Subject {
    /// Directory path or image reference, as given.
    pub name: String,
    /// `"directory"`, `"file"` or `"container"`.
    pub kind: String,
    /// Image digest (`sha256:…`) for images.
    pub digest: Option<String>,
    /// Distro (`debian-12.11`, `alpine-3.14.0`), from os-release.
    pub distro: Option<String>,
}

/// A set of components describing one subject, deduplicated by purl and sorted.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Sbom {
    /// What was scanned.
    pub subject: Subject,
    /// Components, sorted by purl, one per purl.
    pub components: Vec<Component>,
    /// Non-fatal problems: skipped tar entries, unreadable files.
    pub warnings: Vec<String>,
}

impl Sbom {
    /// Builds an SBOM: merges components with the same purl and sorts them.
    pub fn new(subject: Subject, components: Vec<Component>) -> Self {
        let mut by_purl: BTreeMap<String, Component> = BTreeMap::new();
        for c in components {
            let purl = c.purl();
            match by_purl.get_mut(&purl) {
                Some(existing) => existing.merge(c),
                None => {
                    by_purl.insert(purl, c);
                }
            }
        }
        // Edges to packages that are not components (unresolvable in the file) are dropped so
        // that every `dependsOn` ref resolves.
        let known: BTreeSet<String> = by_purl.keys().cloned().collect();
        let components = by_purl
            .into_iter()
            .map(|(purl, mut c)| {
                c.dependencies.retain(|d| known.contains(d) && *d != purl);
                c
            })
            .collect();
        Self {
            subject,
            components,
            warnings: Vec::new(),
        }
    }

    /// Component counts per purl type, sorted.
    pub fn counts(&self) -> BTreeMap<&'static str, usize> {
        let mut counts = BTreeMap::new();
        for c in &self.components {
            let key = c.ecosystem.map_or("other", Ecosystem::purl_type);
            *counts.entry(key).or_insert(0) += 1;
        }
        counts
    }
}
