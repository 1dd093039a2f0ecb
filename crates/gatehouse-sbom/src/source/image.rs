//! Container images on disk: `docker save` tarballs (`manifest.json`) and OCI image layouts
//! (a directory with `oci-layout`, or the same packed in a tarball), plain or gzip-compressed.
//! Layers are read streaming, in order, never unpacked to disk; whiteouts (`.wh.name`) delete
//! lower-layer files and opaque markers (`.wh..wh..opq`) empty a lower-layer directory, so
//! deleted files are not reported. Entries with `..` components are skipped with a warning;
//! absolute paths are made relative; symlinks are not followed; hard links to kept files are
//! resolved inside the image.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use serde_json::Value;
use sha2::{Digest, Sha256};

use super::{FileEntry, Files, ScanOptions, catalog_files, wanted_in_image as wanted};
use crate::error::SbomError;
use crate::model::{Sbom, Subject};

/// Whether `path` starts like a tar archive (`ustar` magic at offset 257).
pub fn is_tar(path: &Path) -> std::io::Result<bool> {
    let mut head = [0u8; 262];
    let mut f = File::open(path)?;
    let mut n = 0;
    while n < head.len() {
        let Some(buf) = head.get_mut(n..) else { break };
        let read = f.read(buf)?;
        if read == 0 {
            break;
        }
        n += read;
    }
    Ok(n == head.len() && head.get(257..262) == Some(b"ustar"))
}

fn err(path: &str, message: impl Into<String>) -> SbomError {
    SbomError::Image {
        path: path.to_owned(),
        message: message.into(),
    }
}

/// Random access to the members of an image: files of a directory, entries of a tarball, or
/// blobs of a registry repository (`blobs/<alg>/<hex>` names).
pub(super) trait Blobs {
    fn open(&self, name: &str) -> Result<Box<dyn Read + '_>, SbomError>;
    fn read_small(&self, name: &str) -> Result<Vec<u8>, SbomError> {
        let mut out = Vec::new();
        self.open(name)?
            .take(64 << 20)
            .read_to_end(&mut out)
            .map_err(|e| err(name, e.to_string()))?;
        Ok(out)
    }
    fn has(&self, name: &str) -> bool;
    fn label(&self) -> String;
}

struct DirBlobs<'a>(&'a Path);

impl Blobs for DirBlobs<'_> {
    fn open(&self, name: &str) -> Result<Box<dyn Read + '_>, SbomError> {
        if name.split('/').any(|s| s == "..") || name.starts_with('/') {
            return Err(err(name, "refers outside the image layout"));
        }
        let p = self.0.join(name);
        let f = File::open(&p).map_err(|e| err(&p.display().to_string(), e.to_string()))?;
        Ok(Box::new(BufReader::new(f)))
    }
    fn has(&self, name: &str) -> bool {
        self.0.join(name).is_file()
    }
    fn label(&self) -> String {
        self.0.display().to_string()
    }
}

/// Where a tarball's bytes live: on disk (read by offset), or in memory for gzip-compressed
/// tarballs (decompressed once, within the image budget).
enum Backing {
    File(std::path::PathBuf),
    Memory(Vec<u8>),
}

struct TarBlobs {
    path: String,
    backing: Backing,
    index: BTreeMap<String, (u64, u64)>,
}

impl TarBlobs {
    fn new(path: &Path) -> Result<Self, SbomError> {
        let label = path.display().to_string();
        let f = File::open(path).map_err(|e| err(&label, e.to_string()))?;
        let index = index_tar(&label, BufReader::new(f))?;
        Ok(Self {
            path: label,
            backing: Backing::File(path.to_path_buf()),
            index,
        })
    }

    fn in_memory(label: String, bytes: Vec<u8>) -> Result<Self, SbomError> {
        let index = index_tar(&label, bytes.as_slice())?;
        Ok(Self {
            path: label,
            backing: Backing::Memory(bytes),
            index,
        })
    }
}

/// Name → (offset, size) of every regular file in a tar.
fn index_tar(label: &str, reader: impl Read) -> Result<BTreeMap<String, (u64, u64)>, SbomError> {
    let mut archive = tar::Archive::new(reader);
    let mut index = BTreeMap::new();
    let entries = archive
        .entries()
        .map_err(|e| err(label, format!("not a readable tar: {e}")))?;
    for entry in entries {
        let entry = entry.map_err(|e| err(label, format!("truncated or corrupt tar: {e}")))?;
        if !entry.header().entry_type().is_file() {
            continue;
        }
        let name = entry
            .path()
            .map(|p| normalize(&p.to_string_lossy()))
            .unwrap_or(None);
        if let Some(name) = name {
            index.insert(name, (entry.raw_file_position(), entry.size()));
        }
    }
    Ok(index)
}

impl Blobs for TarBlobs {
    fn open(&self, name: &str) -> Result<Box<dyn Read + '_>, SbomError> {
        let Some((offset, size)) = self.index.get(name).copied() else {
            return Err(err(
                &format!("{}:{name}", self.path),
                "no such entry in the tarball",
            ));
        };
        match &self.backing {
            Backing::File(p) => {
                let mut f = File::open(p).map_err(|e| err(&self.path, e.to_string()))?;
                f.seek(SeekFrom::Start(offset))
                    .map_err(|e| err(&self.path, e.to_string()))?;
                Ok(Box::new(BufReader::new(f).take(size)))
            }
            Backing::Memory(bytes) => {
                let start = usize::try_from(offset).unwrap_or(usize::MAX);
                let end = start.saturating_add(usize::try_from(size).unwrap_or(usize::MAX));
                let slice = bytes.get(start..end).ok_or_else(|| {
                    err(
                        &format!("{}:{name}", self.path),
                        "entry past the end of the tarball",
                    )
                })?;
                Ok(Box::new(slice))
            }
        }
    }
    fn has(&self, name: &str) -> bool {
        self.index.contains_key(name)
    }
    fn label(&self) -> String {
        self.path.clone()
    }
}

/// Whether `path` starts with the gzip magic.
pub fn is_gzip(path: &Path) -> std::io::Result<bool> {
    let mut head = [0u8; 2];
    let n = File::open(path)?.read(&mut head)?;
    Ok(n == 2 && head == [0x1f, 0x8b])
}

/// Scans a gzip-compressed image tarball (`docker save | gzip`), decompressed in memory
/// within `opts.max_image_bytes`.
pub fn scan_gzip_tarball(path: &Path, opts: &ScanOptions) -> Result<Sbom, SbomError> {
    let label = path.display().to_string();
    let f = File::open(path).map_err(|e| err(&label, e.to_string()))?;
    let mut reader = Budget {
        inner: flate2::read::MultiGzDecoder::new(BufReader::new(f)),
        left: opts.max_image_bytes,
    };
    let mut bytes = Vec::new();
    reader
        .read_to_end(&mut bytes)
        .map_err(|e| err(&label, format!("cannot decompress: {e}")))?;
    if bytes.get(257..262) != Some(b"ustar") {
        return Err(err(
            &label,
            "gzip data is not a tar archive; is this a container image?",
        ));
    }
    scan_blobs(&TarBlobs::in_memory(label, bytes)?, opts)
}

/// `./a/b`, `/a/b` → `a/b`; `None` for paths with `..` or nothing left.
fn normalize(p: &str) -> Option<String> {
    let mut parts = Vec::new();
    for seg in p.split('/') {
        match seg {
            "" | "." => {}
            ".." => return None,
            s => parts.push(s),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// A layer to apply: how to open it and its diff_id.
struct Layer {
    blob: String,
    diff_id: String,
}

/// Scans a tarball: docker-save (`manifest.json`) or OCI layout (`index.json`).
pub fn scan_tarball(path: &Path, opts: &ScanOptions) -> Result<Sbom, SbomError> {
    scan_blobs(&TarBlobs::new(path)?, opts)
}

fn scan_blobs(blobs: &TarBlobs, opts: &ScanOptions) -> Result<Sbom, SbomError> {
    if blobs.has("manifest.json") {
        scan_docker(blobs, opts)
    } else if blobs.has("index.json") {
        scan_oci(blobs, opts)
    } else {
        Err(err(
            &blobs.label(),
            "neither `manifest.json` (docker save) nor `index.json` (OCI layout) in the tarball; is this a container image?",
        ))
    }
}

/// Scans an OCI image layout directory.
pub fn scan_oci_dir(path: &Path, opts: &ScanOptions) -> Result<Sbom, SbomError> {
    scan_oci(&DirBlobs(path), opts)
}

fn json(blobs: &dyn Blobs, name: &str) -> Result<(Value, Vec<u8>), SbomError> {
    let bytes = blobs.read_small(name)?;
    let v = serde_json::from_slice(&bytes).map_err(|e| {
        err(
            &format!("{}:{name}", blobs.label()),
            format!("line {}, column {}: {e}", e.line(), e.column()),
        )
    })?;
    Ok((v, bytes))
}

fn diff_ids(config: &Value) -> Vec<String> {
    config
        .pointer("/rootfs/diff_ids")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect()
}

fn scan_docker(blobs: &dyn Blobs, opts: &ScanOptions) -> Result<Sbom, SbomError> {
    let (manifest, _) = json(blobs, "manifest.json")?;
    let label = blobs.label();
    let Some(first) = manifest.as_array().and_then(|a| a.first()) else {
        return Err(err(
            &format!("{label}:manifest.json"),
            "expected a non-empty array of images",
        ));
    };
    let config_name = first
        .get("Config")
        .and_then(Value::as_str)
        .ok_or_else(|| err(&format!("{label}:manifest.json"), "no `Config`"))?;
    let (config, config_bytes) = json(blobs, &normalize(config_name).unwrap_or_default())?;
    let ids = diff_ids(&config);
    let layers: Vec<Layer> = first
        .get("Layers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .enumerate()
        .map(|(i, l)| Layer {
            blob: normalize(l).unwrap_or_default(),
            diff_id: ids.get(i).cloned().unwrap_or_else(|| format!("layer-{i}")),
        })
        .collect();
    let name = first
        .get("RepoTags")
        .and_then(|t| t.get(0))
        .and_then(Value::as_str)
        .map_or_else(|| label.clone(), str::to_owned);
    let digest = format!("sha256:{}", hex::encode(Sha256::digest(&config_bytes)));
    scan_layers(
        blobs,
        &layers,
        Subject {
            name,
            kind: "container".into(),
            digest: Some(digest),
            distro: None,
        },
        opts,
    )
}

fn blob_name(digest: &str) -> Result<String, SbomError> {
    let (alg, hex) = digest
        .split_once(':')
        .ok_or_else(|| err(digest, "digest is not `alg:hex`"))?;
    if !hex.bytes().all(|b| b.is_ascii_hexdigit())
        || !alg.bytes().all(|b| b.is_ascii_alphanumeric())
    {
        return Err(err(digest, "malformed digest"));
    }
    Ok(format!("blobs/{alg}/{hex}"))
}

fn scan_oci(blobs: &dyn Blobs, opts: &ScanOptions) -> Result<Sbom, SbomError> {
    let label = blobs.label();
    let (index, _) = json(blobs, "index.json")?;
    let mut desc = index
        .pointer("/manifests/0")
        .cloned()
        .ok_or_else(|| err(&format!("{label}:index.json"), "no manifests"))?;
    let ref_name = desc
        .pointer("/annotations/org.opencontainers.image.ref.name")
        .and_then(Value::as_str)
        .map(str::to_owned);
    // Follow nested indexes (multi-platform images) to the first image manifest.
    let mut manifest = Value::Null;
    for _ in 0..4 {
        let digest = desc
            .get("digest")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let (m, _) = json(blobs, &blob_name(&digest)?)?;
        if let Some(next) = m.pointer("/manifests/0") {
            desc = next.clone();
            continue;
        }
        manifest = m;
        break;
    }
    let manifest_digest = desc
        .get("digest")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let config_digest = manifest
        .pointer("/config/digest")
        .and_then(Value::as_str)
        .ok_or_else(|| err(&label, "manifest without a config"))?;
    let (config, _) = json(blobs, &blob_name(config_digest)?)?;
    let name = ref_name.map_or_else(|| label.clone(), |r| format!("{label}:{r}"));
    scan_manifest(blobs, &manifest, &config, name, manifest_digest, opts)
}

/// Applies the layers of an image manifest (with its parsed config) from `blobs`: shared by
/// OCI layouts and registries. The subject is `name` at `manifest_digest`.
pub(super) fn scan_manifest(
    blobs: &dyn Blobs,
    manifest: &Value,
    config: &Value,
    name: String,
    manifest_digest: String,
    opts: &ScanOptions,
) -> Result<Sbom, SbomError> {
    let ids = diff_ids(config);
    let mut layers = Vec::new();
    for (i, l) in manifest
        .get("layers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let digest = l.get("digest").and_then(Value::as_str).unwrap_or_default();
        layers.push(Layer {
            blob: blob_name(digest)?,
            diff_id: ids.get(i).cloned().unwrap_or_else(|| digest.to_owned()),
        });
    }
    scan_layers(
        blobs,
        &layers,
        Subject {
            name,
            kind: "container".into(),
            digest: Some(manifest_digest),
            distro: None,
        },
        opts,
    )
}

/// Decompresses a zstd stream of one or more frames (`tar+zstd` layers), each frame's window
/// capped at ruzstd's default (128 MiB) against hostile headers.
struct ZstdFrames<'a> {
    dec: Option<
        ruzstd::decoding::StreamingDecoder<Box<dyn Read + 'a>, ruzstd::decoding::FrameDecoder>,
    >,
}

impl<'a> ZstdFrames<'a> {
    fn new(inner: Box<dyn Read + 'a>) -> std::io::Result<Self> {
        let dec = ruzstd::decoding::StreamingDecoder::new(inner).map_err(std::io::Error::other)?;
        Ok(Self { dec: Some(dec) })
    }
}

impl Read for ZstdFrames<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        loop {
            let Some(dec) = self.dec.as_mut() else {
                return Ok(0);
            };
            let n = dec.read(buf)?;
            if n > 0 || buf.is_empty() {
                return Ok(n);
            }
            // End of a frame: another may follow.
            let Some(mut inner) = self
                .dec
                .take()
                .map(ruzstd::decoding::StreamingDecoder::into_inner)
            else {
                return Ok(0);
            };
            let mut first = [0u8; 1];
            if inner.read(&mut first)? == 0 {
                return Ok(0);
            }
            let rest: Box<dyn Read + '_> = Box::new(std::io::Cursor::new(first).chain(inner));
            self.dec =
                Some(ruzstd::decoding::StreamingDecoder::new(rest).map_err(std::io::Error::other)?);
        }
    }
}

/// A reader that fails once more than `limit` bytes have been read in total.
struct Budget<R> {
    inner: R,
    left: u64,
}

impl<R: Read> Read for Budget<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.left = self.left.checked_sub(n as u64).ok_or_else(|| {
            std::io::Error::other(
                "image larger than the decompressed-size limit (decompression bomb?)",
            )
        })?;
        Ok(n)
    }
}

fn scan_layers(
    blobs: &dyn Blobs,
    layers: &[Layer],
    subject: Subject,
    opts: &ScanOptions,
) -> Result<Sbom, SbomError> {
    let mut files = Files::new();
    let mut warnings = Vec::new();
    let mut budget = opts.max_image_bytes;
    for layer in layers {
        let mut raw = blobs.open(&layer.blob)?;
        let mut magic = [0u8; 2];
        let mut head = Vec::new();
        // Both magic bytes, even when the source delivers them in separate reads (registries).
        let mut n = 0;
        while let Some(rest @ [_, ..]) = magic.get_mut(n..) {
            let got = raw
                .read(rest)
                .map_err(|e| err(&layer.blob, e.to_string()))?;
            if got == 0 {
                break;
            }
            n += got;
        }
        head.extend(magic.get(..n).unwrap_or_default());
        let chained = std::io::Cursor::new(head.clone()).chain(raw);
        let reader: Box<dyn Read> = if head.starts_with(&[0x1f, 0x8b]) {
            Box::new(flate2::read::MultiGzDecoder::new(chained))
        } else if head.starts_with(&[0x28, 0xb5]) {
            Box::new(ZstdFrames::new(Box::new(chained)).map_err(|e| {
                err(
                    &format!("{}:{}", blobs.label(), layer.blob),
                    format!("not a zstd stream: {e}"),
                )
            })?)
        } else {
            Box::new(chained)
        };
        let mut counted = Budget {
            inner: reader,
            left: budget,
        };
        apply_layer(
            &mut counted,
            &layer.diff_id,
            &mut files,
            &mut warnings,
            opts,
        )
        .map_err(|m| err(&format!("{}:{}", blobs.label(), layer.blob), m))?;
        // Read what follows the tar's end marker too: a registry blob is verified against its
        // digest only once its last byte has arrived.
        std::io::copy(&mut counted, &mut std::io::sink()).map_err(|e| {
            err(
                &format!("{}:{}", blobs.label(), layer.blob),
                format!("reading the layer to its end: {e}"),
            )
        })?;
        budget = counted.left;
    }
    let mut sbom = catalog_files(&files, subject)?;
    sbom.warnings.extend(warnings);
    Ok(sbom)
}

/// Applies one layer tar to `files`: whiteouts first (they hide lower layers only), then the
/// layer's own files.
fn apply_layer(
    reader: &mut dyn Read,
    diff_id: &str,
    files: &mut Files,
    warnings: &mut Vec<String>,
    opts: &ScanOptions,
) -> Result<(), String> {
    let mut archive = tar::Archive::new(reader);
    let mut deletes: Vec<String> = Vec::new();
    let mut opaque: Vec<String> = Vec::new();
    let mut adds: Vec<(String, Vec<u8>, bool)> = Vec::new();
    let mut links: Vec<(String, String)> = Vec::new();
    let entries = archive
        .entries()
        .map_err(|e| format!("not a tar layer: {e}"))?;
    for entry in entries {
        let mut entry = entry.map_err(|e| format!("truncated or corrupt layer: {e}"))?;
        let raw_path = entry
            .path()
            .map(|p| p.to_string_lossy().into_owned())
            .map_err(|e| e.to_string())?;
        let Some(path) = normalize(&raw_path) else {
            if raw_path.split('/').any(|s| s == "..") {
                warnings.push(format!(
                    "{diff_id}: entry `{raw_path}` escapes the root, skipped"
                ));
            }
            continue;
        };
        let (dir, name) = path
            .rsplit_once('/')
            .map_or(("", path.as_str()), |(d, n)| (d, n));
        if name == ".wh..wh..opq" {
            opaque.push(dir.to_owned());
            continue;
        }
        if let Some(hidden) = name.strip_prefix(".wh.") {
            deletes.push(if dir.is_empty() {
                hidden.to_owned()
            } else {
                format!("{dir}/{hidden}")
            });
            continue;
        }
        let kind = entry.header().entry_type();
        if kind.is_hard_link() {
            if let Ok(Some(target)) = entry.link_name() {
                if let Some(t) = normalize(&target.to_string_lossy()) {
                    if wanted(&path) {
                        links.push((path, t));
                    }
                }
            }
            continue;
        }
        if !kind.is_file() {
            continue;
        }
        let by_name = wanted(&path);
        let executable = entry.header().mode().is_ok_and(|m| m & 0o111 != 0);
        if !by_name && !executable {
            continue;
        }
        if entry.size() > opts.max_file_bytes {
            if by_name {
                warnings.push(format!(
                    "{diff_id}: `{path}` larger than {} bytes, skipped",
                    opts.max_file_bytes
                ));
            }
            continue;
        }
        let mut bytes = Vec::new();
        entry
            .read_to_end(&mut bytes)
            .map_err(|e| format!("truncated layer reading `{path}`: {e}"))?;
        if by_name {
            adds.push((path, bytes, false));
        } else if let Some(info) = crate::catalog::gobinary::extract(&bytes) {
            adds.push((path, info, true));
        }
    }
    for d in opaque {
        let prefix = format!("{d}/");
        files.retain(|p, _| !(d.is_empty() || p.starts_with(&prefix)));
    }
    for d in deletes {
        let prefix = format!("{d}/");
        files.retain(|p, _| *p != d && !p.starts_with(&prefix));
    }
    for (path, bytes, go_binary) in adds {
        files.insert(
            path,
            FileEntry {
                bytes,
                layer: Some(diff_id.to_owned()),
                go_binary,
            },
        );
    }
    for (path, target) in links {
        if let Some(t) = files.get(&target).cloned() {
            files.insert(
                path,
                FileEntry {
                    bytes: t.bytes,
                    layer: Some(diff_id.to_owned()),
                    go_binary: t.go_binary,
                },
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Truncated or corrupt zstd layers are read errors, never panics.
    #[test]
    fn broken_zstd_is_an_error() {
        let data = vec![7u8; 100_000];
        let z = ruzstd::encoding::compress_to_vec(
            data.as_slice(),
            ruzstd::encoding::CompressionLevel::Fastest,
        );
        let mut out = Vec::new();
        let whole = ZstdFrames::new(Box::new(z.as_slice())).map(|mut r| r.read_to_end(&mut out));
        assert!(matches!(whole, Ok(Ok(100_000))));
        for cut in [4, 9, z.len() / 2, z.len() - 1] {
            let part = z.get(..cut).unwrap_or_default();
            let mut out = Vec::new();
            let r = ZstdFrames::new(Box::new(part)).and_then(|mut r| r.read_to_end(&mut out));
            assert!(r.is_err(), "cut at {cut}: {r:?}");
        }
        let mut garbage = vec![0x28, 0xb5, 0x2f, 0xfd];
        garbage.extend([0xff; 64]);
        let mut out = Vec::new();
        let r =
            ZstdFrames::new(Box::new(garbage.as_slice())).and_then(|mut r| r.read_to_end(&mut out));
        assert!(r.is_err());
    }
}
