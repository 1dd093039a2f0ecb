//! Reading OSV records out of what osv.dev publishes: a directory of `*.json` files (any depth),
//! a single `.json` file, a per-ecosystem `all.zip` or the all-ecosystem `all.zip`.
//!
//! Zip members are read in memory and never extracted, so member names cannot escape anywhere
//! (path traversal is moot); each member and the whole archive have size caps against bombs,
//! checked on the bytes actually inflated, not on the sizes the archive claims.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use crate::store::StoreError;

/// Largest single OSV record accepted (the biggest real ones are a few hundred KiB).
pub const MAX_RECORD_BYTES: u64 = 16 * 1024 * 1024;
/// Largest total inflated size of one archive (osv.dev's all.zip inflates to a few GiB).
pub const MAX_ARCHIVE_BYTES: u64 = 32 * 1024 * 1024 * 1024;

/// One raw record: where it came from (for reports) and its bytes, or why it could not be read.
#[derive(Debug)]
pub struct RawRecord {
    pub origin: String,
    pub bytes: Result<Vec<u8>, String>,
}

/// Calls `sink` for every candidate record under `path`.
pub fn read_records(path: &Path, sink: &mut dyn FnMut(RawRecord)) -> Result<(), StoreError> {
    let meta = std::fs::metadata(path).map_err(|e| StoreError::io(path, e))?;
    if meta.is_dir() {
        read_dir(path, sink)
    } else if has_ext(path, "zip") {
        read_zip(path, sink)
    } else if has_ext(path, "json") {
        sink(read_file(path));
        Ok(())
    } else {
        Err(StoreError::Input {
            path: path.to_path_buf(),
            message: "not a directory, .zip or .json file; expected osv.dev's all.zip, \
                      <ECOSYSTEM>/all.zip or a directory of OSV JSON files"
                .to_owned(),
        })
    }
}

fn has_ext(path: &Path, ext: &str) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

fn read_file(path: &Path) -> RawRecord {
    let origin = path.display().to_string();
    let bytes = File::open(path)
        .and_then(|f| {
            let mut buf = Vec::new();
            f.take(MAX_RECORD_BYTES + 1).read_to_end(&mut buf)?;
            Ok(buf)
        })
        .map_err(|e| e.to_string())
        .and_then(|b| {
            if b.len() as u64 > MAX_RECORD_BYTES {
                Err(format!("larger than {MAX_RECORD_BYTES} bytes"))
            } else {
                Ok(b)
            }
        });
    RawRecord { origin, bytes }
}

fn read_dir(dir: &Path, sink: &mut dyn FnMut(RawRecord)) -> Result<(), StoreError> {
    let mut files: Vec<PathBuf> = Vec::new();
    for entry in walkdir::WalkDir::new(dir).follow_links(false) {
        let entry = entry.map_err(|e| StoreError::Input {
            path: dir.to_path_buf(),
            message: e.to_string(),
        })?;
        if entry.file_type().is_file() && has_ext(entry.path(), "json") {
            files.push(entry.into_path());
        }
    }
    files.sort();
    for f in files {
        sink(read_file(&f));
    }
    Ok(())
}

fn read_zip(path: &Path, sink: &mut dyn FnMut(RawRecord)) -> Result<(), StoreError> {
    let file = File::open(path).map_err(|e| StoreError::io(path, e))?;
    let zip_err = |e: zip::result::ZipError| StoreError::Input {
        path: path.to_path_buf(),
        message: format!("not a readable zip archive: {e}"),
    };
    let mut archive = zip::ZipArchive::new(BufReader::new(file)).map_err(zip_err)?;
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let mut member = archive.by_index(i).map_err(zip_err)?;
        let name = String::from_utf8_lossy(member.name_raw()).into_owned();
        if member.is_dir() || !name.to_ascii_lowercase().ends_with(".json") {
            continue;
        }
        let origin = format!("{}!{name}", path.display());
        let mut buf = Vec::new();
        let read = (&mut member)
            .take(MAX_RECORD_BYTES + 1)
            .read_to_end(&mut buf);
        total = total.saturating_add(buf.len() as u64);
        if total > MAX_ARCHIVE_BYTES {
            return Err(StoreError::Input {
                path: path.to_path_buf(),
                message: format!(
                    "inflates to more than {MAX_ARCHIVE_BYTES} bytes; refusing (zip bomb?)"
                ),
            });
        }
        let bytes = match read {
            Err(e) => Err(format!("cannot inflate: {e}")),
            Ok(_) if buf.len() as u64 > MAX_RECORD_BYTES => Err(format!(
                "inflates to more than {MAX_RECORD_BYTES} bytes (zip bomb?)"
            )),
            Ok(_) => Ok(buf),
        };
        sink(RawRecord { origin, bytes });
    }
    Ok(())
}
