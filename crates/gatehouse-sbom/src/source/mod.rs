//! Sources: what gets scanned. A directory tree, a single lockfile, a `docker save` tarball
//! or an OCI image layout (directory or tarball). Every source produces a [`Files`] view (the
//! files catalogers care about, with the layer that last wrote each), then [`catalog`] runs
//! the catalogers over it.
//!
//! Walk policy: `.git` and `node_modules` are not entered in directory trees (the project's
//! lockfile already describes what `node_modules` holds), and what `.gitignore`/`.ignore`
//! files exclude is skipped unless [`ScanOptions::respect_ignore_files`] is off. In images, installed npm packages'
//! `package.json` files are read too, since images often ship `node_modules` alone. Symlinks are never
//! followed, in trees or in tars, so symlink loops cannot occur.

pub mod dir;
pub mod image;
#[cfg(feature = "registry")]
pub mod registry;

use std::collections::BTreeMap;
use std::path::Path;

use crate::catalog::{self, os_release};
use crate::error::SbomError;
use crate::model::{Component, Sbom, Subject};

/// What a command-line argument names: a local path (directory, lockfile, image file or
/// layout), an image file of a forced kind, or an image in a registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Anything on disk; the kind is found from the content.
    Path(std::path::PathBuf),
    /// `oci-archive:PATH`: an OCI image layout, as a directory or a tarball.
    OciArchive(std::path::PathBuf),
    /// `docker-archive:PATH`: a `docker save` tarball.
    DockerArchive(std::path::PathBuf),
    /// `registry:REF`, or a `host[:port]/repository[:tag|@digest]` that is not a local path.
    Registry(String),
}

impl Target {
    /// Classifies `arg`: the `oci-archive:`, `docker-archive:` and `registry:` prefixes force
    /// the kind; otherwise an existing path wins, and the shape of an image reference (a first
    /// segment that is a host: `.`, `:port` or `localhost`) means a registry.
    pub fn parse(arg: &str) -> Self {
        if let Some(p) = arg.strip_prefix("oci-archive:") {
            return Self::OciArchive(p.into());
        }
        if let Some(p) = arg.strip_prefix("docker-archive:") {
            return Self::DockerArchive(p.into());
        }
        if let Some(r) = arg.strip_prefix("registry:") {
            return Self::Registry(r.to_owned());
        }
        let path = Path::new(arg);
        if path.symlink_metadata().is_err() && looks_like_image_ref(arg) {
            return Self::Registry(arg.to_owned());
        }
        Self::Path(path.into())
    }
}

/// `host[:port]/repository[:tag][@alg:hex]` whose host has a `.`, a `:port` or is `localhost`.
pub fn looks_like_image_ref(arg: &str) -> bool {
    let Some((host, rest)) = arg.split_once('/') else {
        return false;
    };
    let host_ok = !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'))
        && (host.contains('.') || host.contains(':') || host == "localhost");
    let (name, _digest) = rest.split_once('@').unwrap_or((rest, ""));
    let repo = name
        .rsplit_once(':')
        .map_or(name, |(r, tag)| if tag.contains('/') { name } else { r });
    host_ok
        && !repo.is_empty()
        && repo.split('/').all(|seg| {
            !seg.is_empty()
                && seg.bytes().all(|b| {
                    b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-')
                })
        })
}

/// Limits and switches for a scan.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    /// Largest single file kept for cataloging; bigger ones are skipped with a warning.
    pub max_file_bytes: u64,
    /// Most bytes read from all image layers together (decompressed), against decompression
    /// bombs.
    pub max_image_bytes: u64,
    /// Directory trees: skip what `.gitignore`, `.git/info/exclude` and `.ignore` files exclude
    /// (in the tree and its parents, git repository or not). `.git` and `node_modules` are never
    /// entered either way.
    pub respect_ignore_files: bool,
    /// Called while walking a directory tree, see [`Progress`].
    pub progress: Progress,
}

impl Default for ScanOptions {
    fn default() -> Self {
        Self {
            max_file_bytes: 256 << 20,
            max_image_bytes: 32 << 30,
            respect_ignore_files: true,
            progress: Progress::default(),
        }
    }
}

/// A progress callback for directory walks: `(entries visited, files kept)`, every
/// [`Progress::EVERY`] entries and once at the end. The library never prints; the caller
/// decides (the CLI draws a counter on a terminal).
#[derive(Clone, Default)]
pub struct Progress(Option<std::sync::Arc<dyn Fn(u64, u64) + Send + Sync>>);

impl Progress {
    /// How many entries pass between two calls.
    pub const EVERY: u64 = 1000;

    /// A progress callback.
    pub fn new(f: impl Fn(u64, u64) + Send + Sync + 'static) -> Self {
        Self(Some(std::sync::Arc::new(f)))
    }

    pub(crate) fn report(&self, visited: u64, kept: u64) {
        if let Some(f) = &self.0 {
            f(visited, kept);
        }
    }
}

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() {
            "Progress(callback)"
        } else {
            "Progress(none)"
        })
    }
}

/// A file kept for cataloging.
#[derive(Debug, Clone)]
pub struct FileEntry {
    /// Content.
    pub bytes: Vec<u8>,
    /// Layer diff_id that wrote it (images only).
    pub layer: Option<String>,
    /// The build-info slice of a Go binary (found by content, whatever the file's name).
    pub go_binary: bool,
}

/// `/`-separated relative path → file.
pub type Files = BTreeMap<String, FileEntry>;

/// File names kept besides cataloged files: siblings some catalogers read, and distro files.
const EXTRA_NAMES: &[&str] = &["package.json", "go.mod", "go.sum"];
const DISTRO_FILES: &[&str] = &[
    "etc/os-release",
    "usr/lib/os-release",
    "etc/debian_version",
    "etc/alpine-release",
];

/// Whether a source should keep the file at `path` (relative, `/`-separated).
pub fn wanted(path: &str) -> bool {
    if path
        .split('/')
        .any(|seg| seg == "node_modules" || seg == ".git")
    {
        return false;
    }
    let name = path.rsplit('/').next().unwrap_or(path);
    catalog::find(path).is_some() || EXTRA_NAMES.contains(&name) || DISTRO_FILES.contains(&path)
}

/// [`wanted`] for image layers, which also keep installed npm packages' manifests
/// (`node_modules/[@scope/]name/package.json`): images often ship `node_modules` without the
/// lockfile. Same name@version as a lockfile entry merges into one component.
pub fn wanted_in_image(path: &str) -> bool {
    wanted(path) || catalog::npm_installed::matches(path)
}

/// Scans `path`: a directory (a root filesystem or a source tree), an OCI layout directory,
/// an image tarball, or a single lockfile.
pub fn scan_path(path: &Path, opts: &ScanOptions) -> Result<Sbom, SbomError> {
    let io = |e| SbomError::Io {
        path: path.display().to_string(),
        error: e,
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    let name = path.display().to_string();
    if meta.is_dir() {
        if path.join("oci-layout").is_file() {
            return image::scan_oci_dir(path, opts);
        }
        let (files, warnings) = dir::collect(path, opts)?;
        let mut sbom = catalog_files(
            &files,
            Subject {
                name,
                kind: "directory".into(),
                ..Subject::default()
            },
        )?;
        sbom.warnings.extend(warnings);
        return Ok(sbom);
    }
    if image::is_tar(path).map_err(io)? {
        return image::scan_tarball(path, opts);
    }
    if image::is_gzip(path).map_err(io)? {
        return image::scan_gzip_tarball(path, opts);
    }
    let (files, warnings) = dir::collect_file(path, opts)?;
    let mut sbom = catalog_files(
        &files,
        Subject {
            name,
            kind: "file".into(),
            ..Subject::default()
        },
    )?;
    sbom.warnings.extend(warnings);
    Ok(sbom)
}

/// Runs every cataloger over `files` and applies the distro to OS packages. The first
/// malformed file stops the scan with its error.
pub fn catalog_files(files: &Files, mut subject: Subject) -> Result<Sbom, SbomError> {
    let mut comps: Vec<Component> = Vec::new();
    for (path, entry) in files {
        let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
        let sibling = |name: &str| {
            let p = if dir.is_empty() {
                name.to_owned()
            } else {
                format!("{dir}/{name}")
            };
            files.get(&p).map(|f| f.bytes.clone())
        };
        let result = if entry.go_binary {
            catalog::gobinary::parse(path, &entry.bytes).map(|mut found| {
                for c in &mut found {
                    c.locations.insert(path.clone());
                }
                found
            })
        } else {
            let Some(result) = catalog::catalog_file(path, &entry.bytes, &sibling) else {
                continue;
            };
            result
        };
        let mut found = result?;
        if let Some(layer) = &entry.layer {
            for c in &mut found {
                c.layers.insert(layer.clone());
            }
        }
        comps.extend(found);
    }
    link_site_packages(&mut comps);
    let distro = ["etc/os-release", "usr/lib/os-release"]
        .iter()
        .find_map(|p| files.get(*p))
        .and_then(|f| os_release::parse(&String::from_utf8_lossy(&f.bytes)))
        .map(|d| {
            let release = ["etc/debian_version", "etc/alpine-release"]
                .iter()
                .find_map(|p| files.get(*p))
                .map(|f| String::from_utf8_lossy(&f.bytes).into_owned());
            os_release::refine(d, release.as_deref())
        });
    if let Some(d) = &distro {
        let q = d.qualifier();
        // Edges point at purls, which change with the qualifier: rewrite both.
        let mut renamed: BTreeMap<String, String> = BTreeMap::new();
        for c in comps
            .iter_mut()
            .filter(|c| c.ecosystem.is_some_and(crate::model::Ecosystem::is_os))
        {
            let old = c.purl();
            c.namespace = Some(d.id.clone());
            c.qualifiers.insert("distro".into(), q.clone());
            renamed.insert(old, c.purl());
        }
        for c in &mut comps {
            c.dependencies = std::mem::take(&mut c.dependencies)
                .into_iter()
                .map(|p| renamed.get(&p).cloned().unwrap_or(p))
                .collect();
        }
        subject.distro = Some(q);
    }
    Ok(Sbom::new(subject, comps))
}

/// Draws edges between installed Python distributions of the same `site-packages` directory
/// from their `Requires-Dist` names (recorded by the METADATA cataloger).
fn link_site_packages(comps: &mut [Component]) {
    let site_of = |c: &Component| -> Option<String> {
        let loc = c
            .locations
            .iter()
            .find(|l| catalog::python_metadata::matches(l))?;
        let dist_dir = loc.rsplit_once('/')?.0;
        Some(dist_dir.rsplit_once('/').map_or("", |(d, _)| d).to_owned())
    };
    let mut index: BTreeMap<(String, String), String> = BTreeMap::new();
    for c in comps.iter() {
        if let Some(site) = site_of(c) {
            index.insert((site, crate::catalog::pep503_name(&c.name)), c.purl());
        }
    }
    for c in comps.iter_mut() {
        let (Some(site), Some(reqs)) = (site_of(c), c.properties.get("gatehouse:requires-dist"))
        else {
            continue;
        };
        let targets: Vec<String> = reqs
            .split(',')
            .filter_map(|r| index.get(&(site.clone(), r.to_owned())).cloned())
            .collect();
        c.dependencies.extend(targets);
    }
}
