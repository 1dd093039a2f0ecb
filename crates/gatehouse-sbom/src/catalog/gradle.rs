//! `gradle.lockfile`: `group:artifact:version=configuration,…` lines. A coordinate used only
//! by test configurations (`test…`) is dev scope; the lockfile records no edges.

use super::Sibling;
use crate::error::CatalogError;
use crate::model::{Component, Ecosystem, Scope};

/// Parses a gradle.lockfile.
pub fn parse(path: &str, bytes: &[u8], _: Sibling<'_>) -> Result<Vec<Component>, CatalogError> {
    let text = super::text(path, bytes)?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with("empty=") {
            continue;
        }
        let (coord, confs) = line.split_once('=').unwrap_or((line, ""));
        let parts: Vec<&str> = coord.split(':').collect();
        let [group, artifact, version] = parts.as_slice() else {
            return Err(CatalogError::at_line(
                path,
                i + 1,
                format!("expected `group:artifact:version=configurations`, found `{line}`"),
            ));
        };
        let mut c = Component::new(Ecosystem::Maven, *artifact, *version)
            .with_namespace(Some((*group).to_owned()));
        let confs: Vec<&str> = confs.split(',').filter(|c| !c.is_empty()).collect();
        c.scope = if !confs.is_empty() && confs.iter().all(|c| c.starts_with("test")) {
            Scope::Dev
        } else {
            Scope::Required
        };
        c.properties
            .insert("gatehouse:gradle:configurations".into(), confs.join(","));
        out.push(c);
    }
    Ok(out)
}
