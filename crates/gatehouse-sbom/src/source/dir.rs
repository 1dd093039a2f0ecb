//! Directory trees and single files: reads only the files [`super::wanted`] keeps.

use std::io::Read;
use std::path::Path;

use super::{FileEntry, Files, ScanOptions, wanted};
use crate::error::SbomError;

fn read_capped(
    path: &Path,
    opts: &ScanOptions,
    warnings: &mut Vec<String>,
) -> Result<Option<Vec<u8>>, SbomError> {
    let io = |e| SbomError::Io {
        path: path.display().to_string(),
        error: e,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let mut bytes = Vec::new();
    file.take(opts.max_file_bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > opts.max_file_bytes {
        warnings.push(format!(
            "{}: larger than {} bytes, skipped",
            path.display(),
            opts.max_file_bytes
        ));
        return Ok(None);
    }
    Ok(Some(bytes))
}

/// Whether a regular file is executable and starts like an ELF binary (checked cheaply,
/// before reading it whole for Go build info).
fn is_executable(entry: &ignore::DirEntry) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let exec = entry
            .metadata()
            .is_ok_and(|m| m.permissions().mode() & 0o111 != 0);
        if !exec {
            return false;
        }
    }
    let mut magic = [0u8; 4];
    std::fs::File::open(entry.path())
        .and_then(|mut f| f.read_exact(&mut magic))
        .is_ok_and(|()| &magic == b"\x7fELF")
}

/// Collects the wanted files under `root` (symlinks not followed; `.git`, `node_modules`
/// not entered; `.gitignore`/`.ignore` exclusions honoured when `opts` says so).
pub fn collect(root: &Path, opts: &ScanOptions) -> Result<(Files, Vec<String>), SbomError> {
    let mut files = Files::new();
    let mut warnings = Vec::new();
    let respect = opts.respect_ignore_files;
    let walker = ignore::WalkBuilder::new(root)
        .follow_links(false)
        .hidden(false)
        .parents(respect)
        .ignore(respect)
        .git_ignore(respect)
        .git_exclude(respect)
        // The user's global excludes file would make output depend on the machine.
        .git_global(false)
        // A .gitignore says what is not part of the project, in a checkout or an unpacked tarball.
        .require_git(false)
        .sort_by_file_name(std::ffi::OsStr::cmp)
        .filter_entry(|e| {
            !(e.file_type().is_some_and(|t| t.is_dir())
                && matches!(e.file_name().to_str(), Some(".git" | "node_modules")))
        })
        .build();
    let mut visited: u64 = 0;
    for entry in walker {
        visited += 1;
        if visited.is_multiple_of(super::Progress::EVERY) {
            opts.progress.report(visited, files.len() as u64);
        }
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                warnings.push(format!("{e}"));
                continue;
            }
        };
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(root) else {
            continue;
        };
        let rel: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let rel = rel.join("/");
        if !wanted(&rel) {
            if is_executable(&entry) {
                if let Some(info) = read_capped(entry.path(), opts, &mut warnings)?
                    .and_then(|b| crate::catalog::gobinary::extract(&b))
                {
                    files.insert(
                        rel,
                        FileEntry {
                            bytes: info,
                            layer: None,
                            go_binary: true,
                        },
                    );
                }
            }
            continue;
        }
        if let Some(bytes) = read_capped(entry.path(), opts, &mut warnings)? {
            files.insert(
                rel,
                FileEntry {
                    bytes,
                    layer: None,
                    go_binary: false,
                },
            );
        }
    }
    opts.progress.report(visited, files.len() as u64);
    Ok((files, warnings))
}

/// A single file plus the sibling files catalogers may read.
pub fn collect_file(path: &Path, opts: &ScanOptions) -> Result<(Files, Vec<String>), SbomError> {
    let mut files = Files::new();
    let mut warnings = Vec::new();
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let dir = path.parent().unwrap_or(Path::new("."));
    if let Some(bytes) = read_capped(path, opts, &mut warnings)? {
        files.insert(
            name.clone(),
            FileEntry {
                bytes,
                layer: None,
                go_binary: false,
            },
        );
    }
    for sib in ["package.json", "go.mod", "go.sum"] {
        let p = dir.join(sib);
        if sib != name && p.is_file() {
            if let Some(bytes) = read_capped(&p, opts, &mut warnings)? {
                files.insert(
                    sib.to_owned(),
                    FileEntry {
                        bytes,
                        layer: None,
                        go_binary: false,
                    },
                );
            }
        }
    }
    if crate::catalog::find(&name).is_none() {
        return Err(SbomError::Io {
            path: path.display().to_string(),
            error: std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "not a lockfile, package database, image or directory gatehouse knows",
            ),
        });
    }
    Ok((files, warnings))
}
