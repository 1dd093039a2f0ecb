//! The distro of a root filesystem: `etc/os-release` (or `usr/lib/os-release`), refined by
//! `etc/debian_version` / `etc/alpine-release` for the point release. OS package purls get
//! the distro as namespace (`debian`, `ubuntu`, `alpine`) and qualifier (`distro=debian-12.11`).

use std::collections::BTreeMap;

/// What os-release says.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Distro {
    /// `ID` (`debian`, `alpine`, `ubuntu`…).
    pub id: String,
    /// `VERSION_ID`, or the finer release file's version.
    pub version: String,
}

impl Distro {
    /// `id-version` for the purl `distro` qualifier.
    pub fn qualifier(&self) -> String {
        if self.version.is_empty() {
            self.id.clone()
        } else {
            format!("{}-{}", self.id, self.version)
        }
    }
}

/// Parses os-release text (`KEY=value`, optionally quoted).
pub fn parse(text: &str) -> Option<Distro> {
    let fields: BTreeMap<&str, String> = text
        .lines()
        .filter_map(|l| {
            let (k, v) = l.trim().split_once('=')?;
            Some((
                k.trim(),
                v.trim().trim_matches(|c| c == '"' || c == '\'').to_owned(),
            ))
        })
        .collect();
    let id = fields.get("ID")?.to_ascii_lowercase();
    Some(Distro {
        id,
        version: fields.get("VERSION_ID").cloned().unwrap_or_default(),
    })
}

/// Refines the version with `etc/debian_version` (`12.11`) when it is numeric.
pub fn refine(mut d: Distro, release_file: Option<&str>) -> Distro {
    if let Some(v) = release_file.map(str::trim) {
        if v.starts_with(|c: char| c.is_ascii_digit()) && v.starts_with(d.version.as_str()) {
            d.version = v.to_owned();
        }
    }
    d
}
