//! The local advisory store: `import` OSV data (directory, `.json`, per-ecosystem or
//! all-ecosystem `all.zip`) into an index that loads one ecosystem at a time, `status`, `load`.
//!
//! Layout under the store root (the caller chooses it; libraries read no environment):
//!
//! ```text
//! CURRENT              one line: the active generation directory, replaced by rename
//! gen-000007/
//!   manifest.json      format, generation, import time, per-ecosystem counts and freshness
//!   PyPI.jsonl         one OSV record per line (details and ecosystem_specific dropped)
//!   PyPI.names.json    normalized package name → byte spans of its records in PyPI.jsonl
//!   crates.io.jsonl
//! ```
//!
//! An import reads the current generation, merges the new records by `id` (a record replaces
//! the stored one only when its `modified` is newer), writes a complete new generation into a
//! temporary directory, renames it into place and only then swaps `CURRENT` (an atomic rename).
//! Readers therefore see the old or the new index, never half of one; a crash leaves at most a
//! stale `.tmp-*` directory that the next import removes. The previous generation is kept so a
//! reader that started before the swap can finish. `.import.lock` keeps imports one at a time.

mod source;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fs;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub use source::{MAX_ARCHIVE_BYTES, MAX_RECORD_BYTES};

use crate::ecosystem::Ecosystem;
use crate::matcher::normalize_name;
use crate::osv::{self, Vulnerability};

/// The index format written by this version.
pub const FORMAT: u32 = 1;
/// Ecosystem key for records that name no package (matched by nothing, kept for completeness).
pub const NO_ECOSYSTEM: &str = "[EMPTY]";

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Reading or writing `path` failed (the I/O error is part of the message, not a source,
    /// so it is printed once).
    #[error("{}: {error}", path.display())]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("{}: {message}", path.display())]
    Input { path: PathBuf, message: String },
    #[error("{}: the advisory index is damaged ({message}); run `gatehouse db import` again", path.display())]
    Corrupt { path: PathBuf, message: String },
}

impl StoreError {
    pub(crate) fn io(path: &Path, error: std::io::Error) -> Self {
        StoreError::Io {
            path: path.to_path_buf(),
            error,
        }
    }
}

/// What the store holds, per ecosystem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    pub generation: u64,
    pub imported_at: DateTime<Utc>,
    pub ecosystems: BTreeMap<String, EcosystemStatus>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EcosystemStatus {
    /// Index file inside the generation directory.
    pub file: String,
    /// Name index beside it: normalized package name → byte spans of the records in `file`,
    /// so a scan parses only the records of the packages it looks up. Absent in stores written
    /// before it existed (then the whole file is read).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub names_file: Option<String>,
    pub records: usize,
    pub withdrawn: usize,
    /// The newest `modified` among the records: how fresh this ecosystem's data is.
    pub newest_modified: Option<DateTime<Utc>>,
}

/// A record that was not imported, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rejected {
    pub origin: String,
    pub reason: String,
}

/// What an import changed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    /// Records read (valid or not).
    pub read: usize,
    pub added: Vec<String>,
    pub updated: Vec<String>,
    pub unchanged: usize,
    pub rejected: Vec<Rejected>,
    /// Added or updated records per ecosystem.
    pub changed_by_ecosystem: BTreeMap<String, usize>,
    /// The generation now current; `None` when nothing changed and nothing was written.
    pub generation: Option<u64>,
}

/// The advisory store at a root directory.
#[derive(Debug, Clone)]
pub struct Store {
    root: PathBuf,
}

fn file_name_for(ecosystem: &str) -> String {
    let safe: String = ecosystem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{safe}.jsonl")
}

/// The ecosystems (base names) a record belongs to.
fn ecosystems_of(v: &Vulnerability) -> Vec<String> {
    let mut out: Vec<String> = v
        .affected
        .iter()
        .filter_map(|a| a.package.as_ref())
        .map(|p| Ecosystem::parse(&p.ecosystem).base)
        .collect();
    out.sort();
    out.dedup();
    if out.is_empty() {
        out.push(NO_ECOSYSTEM.to_owned());
    }
    out
}

/// Drops what matching never reads, to keep the index small and fast to load.
fn slim(mut v: Vulnerability) -> Vulnerability {
    v.details = None;
    for a in &mut v.affected {
        a.ecosystem_specific = None;
    }
    v
}

impl Store {
    pub fn new(root: impl Into<PathBuf>) -> Store {
        Store { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    fn current_dir(&self) -> Result<Option<PathBuf>, StoreError> {
        let pointer = self.root.join("CURRENT");
        match fs::read_to_string(&pointer) {
            Ok(name) => {
                let name = name.trim();
                if name.is_empty() || name.contains(['/', '\\']) || name.starts_with('.') {
                    return Err(StoreError::Corrupt {
                        path: pointer,
                        message: "CURRENT does not name a generation".to_owned(),
                    });
                }
                Ok(Some(self.root.join(name)))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(StoreError::io(&pointer, e)),
        }
    }

    /// The manifest of the current generation; `None` when nothing was imported yet.
    pub fn status(&self) -> Result<Option<Manifest>, StoreError> {
        Ok(self.snapshot()?.map(|(_, manifest)| manifest))
    }

    /// The current generation directory and its manifest, read through one look at `CURRENT`
    /// so both belong to the same generation even while an import swaps it.
    fn snapshot(&self) -> Result<Option<(PathBuf, Manifest)>, StoreError> {
        let Some(dir) = self.current_dir()? else {
            return Ok(None);
        };
        let path = dir.join("manifest.json");
        let text = fs::read_to_string(&path).map_err(|e| StoreError::io(&path, e))?;
        let manifest: Manifest = serde_json::from_str(&text).map_err(|e| StoreError::Corrupt {
            path: path.clone(),
            message: e.to_string(),
        })?;
        if manifest.format != FORMAT {
            return Err(StoreError::Corrupt {
                path,
                message: format!("index format {} (expected {FORMAT})", manifest.format),
            });
        }
        Ok(Some((dir, manifest)))
    }

    /// All records of one ecosystem (base name, e.g. `PyPI`, `Debian`); empty if none.
    pub fn load(&self, ecosystem: &str) -> Result<Vec<Vulnerability>, StoreError> {
        let base = Ecosystem::parse(ecosystem).base;
        let Some((dir, manifest)) = self.snapshot()? else {
            return Ok(Vec::new());
        };
        match manifest.ecosystems.get(&base) {
            Some(status) => read_index_file(&dir.join(&status.file)),
            None => Ok(Vec::new()),
        }
    }

    /// The current generation (or the one before it: what the store held before the last
    /// import that changed something), read through one look at `CURRENT`. `Ok(None)` when the
    /// store is empty, or `previous` was asked and that generation is not on disk.
    fn generation(&self, previous: bool) -> Result<Option<(PathBuf, Manifest)>, StoreError> {
        let Some((dir, manifest)) = self.snapshot()? else {
            return Ok(None);
        };
        if !previous {
            return Ok(Some((dir, manifest)));
        }
        let Some(generation) = manifest.generation.checked_sub(1).filter(|g| *g > 0) else {
            return Ok(None);
        };
        let dir = self.root.join(format!("gen-{generation:06}"));
        let path = dir.join("manifest.json");
        let text = match fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(StoreError::io(&path, e)),
        };
        let manifest = serde_json::from_str(&text).map_err(|e| StoreError::Corrupt {
            path: path.clone(),
            message: e.to_string(),
        })?;
        Ok(Some((dir, manifest)))
    }

    /// The records that name any of `wanted` (ecosystem base name → package names, normalized
    /// as [`crate::matcher::normalize_name`] does), each once, from the current generation or
    /// the previous one (see [`Store::generation`]), with that generation's manifest. Reads
    /// only those records' lines through the name index.
    pub fn load_packages(
        &self,
        wanted: &BTreeMap<String, BTreeSet<String>>,
        previous: bool,
    ) -> Result<Option<(Manifest, Vec<Vulnerability>)>, StoreError> {
        let Some((dir, manifest)) = self.generation(previous)? else {
            return Ok(None);
        };
        let mut seen = HashSet::new();
        let mut records = Vec::new();
        for (eco, names) in wanted {
            let base = Ecosystem::parse(eco).base;
            let Some(status) = manifest.ecosystems.get(&base) else {
                continue;
            };
            let path = dir.join(&status.file);
            let loaded = match &status.names_file {
                Some(names_file) => read_spans(&path, &dir.join(names_file), names)?,
                None => read_index_file(&path)?,
            };
            for v in loaded {
                if seen.insert(v.id.clone()) {
                    records.push(v);
                }
            }
        }
        Ok(Some((manifest, records)))
    }

    /// Every record in the store, each once.
    pub fn load_all(&self) -> Result<HashMap<String, Vulnerability>, StoreError> {
        let mut all = HashMap::new();
        let Some((dir, manifest)) = self.snapshot()? else {
            return Ok(all);
        };
        for status in manifest.ecosystems.values() {
            for v in read_index_file(&dir.join(&status.file))? {
                all.insert(v.id.clone(), v);
            }
        }
        Ok(all)
    }

    /// Imports every path (directories, `.json` files, `.zip` archives) in one new generation.
    ///
    /// Bad records are reported in [`ImportReport::rejected`] and skipped; an unreadable path
    /// (missing, not a zip) fails the whole import and leaves the store untouched.
    pub fn import(
        &self,
        paths: &[PathBuf],
        now: DateTime<Utc>,
    ) -> Result<ImportReport, StoreError> {
        fs::create_dir_all(&self.root).map_err(|e| StoreError::io(&self.root, e))?;
        let _lock = ImportLock::acquire(&self.root)?;
        let mut report = ImportReport::default();
        let mut incoming: HashMap<String, Vulnerability> = HashMap::new();
        for path in paths {
            source::read_records(path, &mut |raw| {
                report.read += 1;
                match parse_record(raw.bytes).map(slim) {
                    Ok(v) => {
                        let newer = incoming
                            .get(&v.id)
                            .is_none_or(|old| v.modified_time() > old.modified_time());
                        if newer {
                            incoming.insert(v.id.clone(), v);
                        }
                    }
                    Err(reason) => report.rejected.push(Rejected {
                        origin: raw.origin,
                        reason,
                    }),
                }
            })?;
        }
        let mut all = self.load_all()?;
        let mut ids: Vec<String> = incoming.keys().cloned().collect();
        ids.sort();
        for id in ids {
            let Some(v) = incoming.remove(&id) else {
                continue;
            };
            let change = match all.get(&id) {
                None => Some(&mut report.added),
                Some(old) if v.modified_time() > old.modified_time() => Some(&mut report.updated),
                Some(_) => None,
            };
            match change {
                Some(list) => {
                    list.push(id.clone());
                    for eco in ecosystems_of(&v) {
                        *report.changed_by_ecosystem.entry(eco).or_default() += 1;
                    }
                    all.insert(id, v);
                }
                None => report.unchanged += 1,
            }
        }
        if report.added.is_empty() && report.updated.is_empty() {
            report.generation = self.status()?.map(|m| m.generation);
            return Ok(report);
        }
        report.generation = Some(self.write_generation(all, now)?);
        Ok(report)
    }

    fn write_generation(
        &self,
        all: HashMap<String, Vulnerability>,
        now: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        fs::create_dir_all(&self.root).map_err(|e| StoreError::io(&self.root, e))?;
        self.remove_stale_temporaries();
        let generation = self.status()?.map_or(1, |m| m.generation + 1);
        let name = format!("gen-{generation:06}");
        let tmp = self
            .root
            .join(format!(".tmp-{name}-{}", std::process::id()));
        fs::create_dir_all(&tmp).map_err(|e| StoreError::io(&tmp, e))?;

        let mut by_eco: BTreeMap<String, Vec<&Vulnerability>> = BTreeMap::new();
        for v in all.values() {
            for eco in ecosystems_of(v) {
                by_eco.entry(eco).or_default().push(v);
            }
        }
        let mut manifest = Manifest {
            format: FORMAT,
            generation,
            imported_at: now,
            ecosystems: BTreeMap::new(),
        };
        for (eco, mut records) in by_eco {
            records.sort_by(|a, b| a.id.cmp(&b.id));
            let file = file_name_for(&eco);
            let path = tmp.join(&file);
            let names = write_index_file(&path, &eco, &records)?;
            let names_file = file.replace(".jsonl", ".names.json");
            let names_path = tmp.join(&names_file);
            let json = serde_json::to_vec(&names).map_err(|e| StoreError::Corrupt {
                path: names_path.clone(),
                message: e.to_string(),
            })?;
            write_synced(&names_path, &json)?;
            manifest.ecosystems.insert(
                eco,
                EcosystemStatus {
                    file,
                    names_file: Some(names_file),
                    records: records.len(),
                    withdrawn: records.iter().filter(|v| v.is_withdrawn()).count(),
                    newest_modified: records.iter().filter_map(|v| v.modified_time()).max(),
                },
            );
        }
        let manifest_path = tmp.join("manifest.json");
        let json = serde_json::to_vec_pretty(&manifest).map_err(|e| StoreError::Corrupt {
            path: manifest_path.clone(),
            message: e.to_string(),
        })?;
        write_synced(&manifest_path, &json)?;

        let final_dir = self.root.join(&name);
        if final_dir.exists() {
            fs::remove_dir_all(&final_dir).map_err(|e| StoreError::io(&final_dir, e))?;
        }
        fs::rename(&tmp, &final_dir).map_err(|e| StoreError::io(&final_dir, e))?;
        let pointer_tmp = self.root.join(".CURRENT.tmp");
        write_synced(&pointer_tmp, format!("{name}\n").as_bytes())?;
        let pointer = self.root.join("CURRENT");
        fs::rename(&pointer_tmp, &pointer).map_err(|e| StoreError::io(&pointer, e))?;
        self.remove_old_generations(generation);
        Ok(generation)
    }

    /// Removes `.tmp-*` directories left by an interrupted import (best effort).
    fn remove_stale_temporaries(&self) {
        let Ok(entries) = fs::read_dir(&self.root) else {
            return;
        };
        for entry in entries.flatten() {
            if entry.file_name().to_string_lossy().starts_with(".tmp-") {
                let _ = fs::remove_dir_all(entry.path());
            }
        }
    }

    /// Keeps the current and the previous generation (a reader may still be on it).
    fn remove_old_generations(&self, current: u64) {
        let Ok(entries) = fs::read_dir(&self.root) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let old = name
                .strip_prefix("gen-")
                .and_then(|n| n.parse::<u64>().ok())
                .is_some_and(|n| n + 1 < current);
            if old {
                let _ = fs::remove_dir_all(entry.path());
            }
        }
    }
}

/// One import at a time per store: `.import.lock` holds the importer's pid and is created
/// exclusively; a lock left by a process that no longer exists (checked through `/proc`) is
/// taken over, any other is an error naming the file.
struct ImportLock {
    path: PathBuf,
}

impl ImportLock {
    fn acquire(root: &Path) -> Result<ImportLock, StoreError> {
        let path = root.join(".import.lock");
        for _ in 0..2 {
            match fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(mut f) => {
                    let _ = writeln!(f, "{}", std::process::id());
                    return Ok(ImportLock { path });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let holder = fs::read_to_string(&path).unwrap_or_default();
                    let stale = holder.trim().parse::<u32>().is_ok_and(|pid| {
                        Path::new("/proc/self").exists()
                            && !Path::new(&format!("/proc/{pid}")).exists()
                    });
                    if !stale {
                        return Err(StoreError::Input {
                            path: path.clone(),
                            message: format!(
                                "another import is running (pid {}); wait for it, or remove this file if it is not",
                                holder.trim()
                            ),
                        });
                    }
                    let _ = fs::remove_file(&path);
                }
                Err(e) => return Err(StoreError::io(&path, e)),
            }
        }
        Err(StoreError::Input {
            path,
            message: "could not take the import lock".to_owned(),
        })
    }
}

impl Drop for ImportLock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

fn parse_record(bytes: Result<Vec<u8>, String>) -> Result<Vulnerability, String> {
    let bytes = bytes?;
    let v: Vulnerability = serde_json::from_slice(&bytes).map_err(|e| {
        format!(
            "line {}, column {}: {e} — is this an OSV record?",
            e.line(),
            e.column()
        )
    })?;
    let problems = osv::validate(&v);
    if problems.is_empty() {
        Ok(v)
    } else {
        Err(problems
            .iter()
            .map(|p| format!("{}: {}", p.path, p.message))
            .collect::<Vec<_>>()
            .join("; "))
    }
}

fn write_synced(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    let mut f = fs::File::create(path).map_err(|e| StoreError::io(path, e))?;
    f.write_all(bytes).map_err(|e| StoreError::io(path, e))?;
    f.sync_all().map_err(|e| StoreError::io(path, e))
}

/// Byte spans (offset, length) of the records of each normalized package name in one index file.
type NameIndex = BTreeMap<String, Vec<(u64, u64)>>;

/// Writes one ecosystem's records, one per line, and returns where each package's records are.
fn write_index_file(
    path: &Path,
    ecosystem: &str,
    records: &[&Vulnerability],
) -> Result<NameIndex, StoreError> {
    let f = fs::File::create(path).map_err(|e| StoreError::io(path, e))?;
    let mut w = BufWriter::new(f);
    let mut names = NameIndex::new();
    let mut offset = 0u64;
    let mut line = Vec::new();
    for v in records {
        line.clear();
        serde_json::to_writer(&mut line, v).map_err(|e| StoreError::Corrupt {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
        line.push(b'\n');
        w.write_all(&line).map_err(|e| StoreError::io(path, e))?;
        let span = (offset, line.len() as u64);
        offset += line.len() as u64;
        let mut keys: Vec<String> = v
            .affected
            .iter()
            .filter_map(|a| a.package.as_ref())
            .filter(|p| Ecosystem::parse(&p.ecosystem).base == ecosystem)
            .map(|p| normalize_name(ecosystem, &p.name))
            .collect();
        keys.sort();
        keys.dedup();
        for key in keys {
            names.entry(key).or_default().push(span);
        }
    }
    let f = w
        .into_inner()
        .map_err(|e| StoreError::io(path, e.into_error()))?;
    f.sync_all().map_err(|e| StoreError::io(path, e))?;
    Ok(names)
}

/// The records of `names` from an index file, through its name index.
fn read_spans(
    path: &Path,
    names_path: &Path,
    names: &BTreeSet<String>,
) -> Result<Vec<Vulnerability>, StoreError> {
    let text = fs::read(names_path).map_err(|e| StoreError::io(names_path, e))?;
    let index: NameIndex = serde_json::from_slice(&text).map_err(|e| StoreError::Corrupt {
        path: names_path.to_path_buf(),
        message: e.to_string(),
    })?;
    let mut spans: Vec<(u64, u64)> = names
        .iter()
        .filter_map(|n| index.get(n))
        .flatten()
        .copied()
        .collect();
    if spans.is_empty() {
        return Ok(Vec::new());
    }
    spans.sort_unstable();
    spans.dedup();
    let data = fs::read(path).map_err(|e| StoreError::io(path, e))?;
    let mut out = Vec::with_capacity(spans.len());
    for (offset, len) in spans {
        let line = usize::try_from(offset)
            .ok()
            .zip(usize::try_from(offset + len).ok())
            .and_then(|(a, b)| data.get(a..b))
            .ok_or_else(|| StoreError::Corrupt {
                path: names_path.to_path_buf(),
                message: format!("span {offset}+{len} lies outside {}", path.display()),
            })?;
        let v = serde_json::from_slice(line).map_err(|e| StoreError::Corrupt {
            path: path.to_path_buf(),
            message: format!("record at byte {offset}: {e}"),
        })?;
        out.push(v);
    }
    Ok(out)
}

fn read_index_file(path: &Path) -> Result<Vec<Vulnerability>, StoreError> {
    let f = fs::File::open(path).map_err(|e| StoreError::io(path, e))?;
    let mut out = Vec::new();
    for (n, line) in BufReader::new(f).lines().enumerate() {
        let line = line.map_err(|e| StoreError::io(path, e))?;
        if line.is_empty() {
            continue;
        }
        let v = serde_json::from_str(&line).map_err(|e| StoreError::Corrupt {
            path: path.to_path_buf(),
            message: format!("line {}: {e}", n + 1),
        })?;
        out.push(v);
    }
    Ok(out)
}
