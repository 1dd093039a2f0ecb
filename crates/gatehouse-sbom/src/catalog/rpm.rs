//! RPM's SQLite database (`usr/lib/sysimage/rpm/rpmdb.sqlite`, Fedora >= 33, RHEL 9; also
//! `var/lib/rpm/rpmdb.sqlite`): one row per installed package in `Packages(hnum, blob)`, each
//! blob an RPM header (the on-disk format without lead or magic: index count and data size as
//! big-endian u32, 16-byte index entries `tag type offset count`, then the data store). From it:
//! name, epoch, version, release, arch, source RPM (the purl's `upstream`), licence, installed
//! size, and dependency edges from `Requires` names resolved through `Provides`.
//! `gpg-pubkey` pseudo-packages (imported signing keys) are not software and are skipped.
//!
//! SQLite is read with rusqlite from a private read-only copy of the bytes; a database in WAL
//! mode is read as a rollback-journal one (header bytes 18-19), since the copy has no `-wal`
//! file beside it (what the main file holds is what was checkpointed).

use std::collections::BTreeMap;
use std::io::Write as _;

use super::Sibling;
use crate::error::CatalogError;
use crate::model::{Component, Ecosystem};

/// Whether `path` is an RPM SQLite database.
pub fn matches(path: &str) -> bool {
    path.rsplit('/').next() == Some("rpmdb.sqlite")
}

const NAME: u32 = 1000;
const VERSION: u32 = 1001;
const RELEASE: u32 = 1002;
const EPOCH: u32 = 1003;
const SIZE: u32 = 1009;
const LICENSE: u32 = 1014;
const ARCH: u32 = 1022;
const SOURCERPM: u32 = 1044;
const PROVIDENAME: u32 = 1047;
const REQUIRENAME: u32 = 1049;
const LONGSIZE: u32 = 5009;

const TYPE_INT32: u32 = 4;
const TYPE_INT64: u32 = 5;
const TYPE_STRING: u32 = 6;
const TYPE_STRING_ARRAY: u32 = 8;
const TYPE_I18NSTRING: u32 = 9;

/// rpm's own limits on a header (`HEADER_TAGS_MAX`, `HEADER_DATA_MAX`).
const MAX_TAGS: usize = 0xffff;
const MAX_DATA: usize = 0x0fff_ffff;

/// One parsed RPM header: the index and the data store it points into.
#[derive(Debug)]
pub struct Header<'a> {
    entries: Vec<(u32, u32, usize, usize)>,
    data: &'a [u8],
}

fn be32(bytes: &[u8], at: usize) -> Option<u32> {
    let b: [u8; 4] = bytes.get(at..at.checked_add(4)?)?.try_into().ok()?;
    Some(u32::from_be_bytes(b))
}

impl<'a> Header<'a> {
    /// Parses a header blob as stored in the database.
    pub fn parse(blob: &'a [u8]) -> Result<Self, String> {
        let short = || "header shorter than its index says".to_owned();
        let il = be32(blob, 0).ok_or_else(short)? as usize;
        let dl = be32(blob, 4).ok_or_else(short)? as usize;
        if il > MAX_TAGS || dl > MAX_DATA {
            return Err(format!(
                "header claims {il} tags and {dl} data bytes; not an RPM header"
            ));
        }
        let data_start = 8 + il * 16;
        let data = blob.get(data_start..data_start + dl).ok_or_else(short)?;
        let mut entries = Vec::with_capacity(il);
        for i in 0..il {
            let at = 8 + i * 16;
            let field = |k: usize| be32(blob, at + 4 * k).ok_or_else(short);
            let (tag, ty, offset, count) = (field(0)?, field(1)?, field(2)?, field(3)?);
            entries.push((tag, ty, offset as usize, count as usize));
        }
        Ok(Self { entries, data })
    }

    fn entry(&self, tag: u32) -> Option<(u32, usize, usize)> {
        self.entries
            .iter()
            .find(|e| e.0 == tag)
            .map(|&(_, ty, off, count)| (ty, off, count))
    }

    fn cstr(&self, off: usize) -> Option<String> {
        let rest = self.data.get(off..)?;
        let end = rest.iter().position(|b| *b == 0)?;
        Some(String::from_utf8_lossy(rest.get(..end)?).into_owned())
    }

    /// A string tag (the first string of an array or i18n table).
    pub fn string(&self, tag: u32) -> Option<String> {
        let (ty, off, _) = self.entry(tag)?;
        matches!(ty, TYPE_STRING | TYPE_STRING_ARRAY | TYPE_I18NSTRING)
            .then(|| self.cstr(off))
            .flatten()
    }

    /// Every string of a string-array tag.
    pub fn strings(&self, tag: u32) -> Vec<String> {
        let Some((TYPE_STRING_ARRAY, mut off, count)) = self.entry(tag) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for _ in 0..count.min(self.data.len()) {
            let Some(s) = self.cstr(off) else { break };
            off += s.len() + 1;
            out.push(s);
        }
        out
    }

    /// An integer tag (INT32 or INT64, first value).
    pub fn int(&self, tag: u32) -> Option<u64> {
        let (ty, off, _) = self.entry(tag)?;
        match ty {
            TYPE_INT32 => be32(self.data, off).map(u64::from),
            TYPE_INT64 => {
                let b: [u8; 8] = self.data.get(off..off.checked_add(8)?)?.try_into().ok()?;
                Some(u64::from_be_bytes(b))
            }
            _ => None,
        }
    }
}

/// The `Packages` rows of an rpmdb.sqlite (its bytes), in `hnum` order.
fn rows(path: &str, bytes: &[u8]) -> Result<Vec<(i64, Vec<u8>)>, CatalogError> {
    if !bytes.starts_with(b"SQLite format 3\0") {
        return Err(CatalogError::new(
            path,
            "not a SQLite database; is this an RPM database from Fedora >= 33 or RHEL >= 9? \
             (Berkeley DB `Packages` and NDB `Packages.db` are not read yet)",
        ));
    }
    let fail = |what: &str, e: &dyn std::fmt::Display| {
        CatalogError::new(path, format!("{what}: {e}; is the RPM database complete?"))
    };
    let mut copy = tempfile::Builder::new()
        .prefix("gatehouse-rpmdb-")
        .tempfile()
        .map_err(|e| fail("cannot make a temporary copy", &e))?;
    let mut owned = bytes.to_vec();
    // WAL (2) → rollback journal (1): the copy has no -wal/-shm beside it.
    for at in [18, 19] {
        if let Some(b) = owned.get_mut(at) {
            if *b == 2 {
                *b = 1;
            }
        }
    }
    copy.write_all(&owned)
        .and_then(|()| copy.flush())
        .map_err(|e| fail("cannot make a temporary copy", &e))?;
    let flags =
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = rusqlite::Connection::open_with_flags(copy.path(), flags)
        .map_err(|e| fail("cannot open", &e))?;
    let mut stmt = conn
        .prepare("SELECT hnum, blob FROM Packages ORDER BY hnum")
        .map_err(|e| fail("no readable `Packages` table", &e))?;
    let rows = stmt
        .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?)))
        .map_err(|e| fail("cannot read `Packages`", &e))?;
    rows.collect::<Result<Vec<_>, _>>()
        .map_err(|e| fail("cannot read `Packages`", &e))
}

/// Parses an rpmdb.sqlite.
pub fn parse(path: &str, bytes: &[u8], _: Sibling<'_>) -> Result<Vec<Component>, CatalogError> {
    let mut comps = Vec::new();
    let mut requires: Vec<Vec<String>> = Vec::new();
    let mut provides: BTreeMap<String, String> = BTreeMap::new();
    for (hnum, blob) in rows(path, bytes)? {
        let h = Header::parse(&blob)
            .map_err(|e| CatalogError::new(path, format!("package #{hnum}: {e}")))?;
        let field = |tag, what: &str| {
            h.string(tag).ok_or_else(|| {
                CatalogError::new(path, format!("package #{hnum}: header without {what}"))
            })
        };
        let name = field(NAME, "a name")?;
        if name == "gpg-pubkey" {
            continue;
        }
        let version = field(VERSION, "a version")?;
        let release = field(RELEASE, "a release")?;
        let full = match h.int(EPOCH) {
            Some(e) => format!("{e}:{version}-{release}"),
            None => format!("{version}-{release}"),
        };
        let mut c = Component::new(Ecosystem::Rpm, name.clone(), full);
        if let Some(arch) = h.string(ARCH) {
            c.qualifiers.insert("arch".into(), arch);
        }
        if let Some(srpm) = h.string(SOURCERPM) {
            c.qualifiers.insert("upstream".into(), srpm);
        }
        if let Some(l) = h.string(LICENSE).filter(|l| !l.is_empty()) {
            c.licenses.insert(l);
        }
        if let Some(size) = h.int(LONGSIZE).or_else(|| h.int(SIZE)) {
            c.properties
                .insert("gatehouse:installed-size".into(), size.to_string());
        }
        let purl = c.purl();
        provides.insert(name, purl.clone());
        for p in h.strings(PROVIDENAME) {
            provides.entry(p).or_insert(purl.clone());
        }
        requires.push(
            h.strings(REQUIRENAME)
                .into_iter()
                .filter(|r| !r.starts_with("rpmlib(") && !r.starts_with('/'))
                .collect(),
        );
        comps.push(c);
    }
    for (c, reqs) in comps.iter_mut().zip(requires) {
        let own = c.purl();
        c.dependencies.extend(
            reqs.iter()
                .filter_map(|r| provides.get(r).cloned())
                .filter(|p| *p != own),
        );
    }
    Ok(comps)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_headers_are_errors() {
        assert!(Header::parse(b"").is_err());
        assert!(Header::parse(&[0, 0, 0, 1, 0, 0, 0, 0]).is_err());
        assert!(Header::parse(&[0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]).is_err());
        // One entry pointing past the data store: the tag reads as absent.
        let mut blob = vec![0, 0, 0, 1, 0, 0, 0, 2];
        blob.extend(1000u32.to_be_bytes());
        blob.extend(TYPE_STRING.to_be_bytes());
        blob.extend(100u32.to_be_bytes());
        blob.extend(1u32.to_be_bytes());
        blob.extend(b"a\0");
        let h = Header::parse(&blob).unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(h.string(NAME), None);
        let err = parse("rpmdb.sqlite", b"not sqlite", &crate::catalog::no_siblings);
        assert!(err.is_err_and(|e| e.message.contains("not a SQLite database")));
    }
}
