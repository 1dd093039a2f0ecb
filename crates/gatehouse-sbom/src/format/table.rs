//! The terminal summary: one row per ecosystem, then one row per component.

use std::fmt::Write as _;

use crate::model::Sbom;

/// Renders the per-ecosystem counts and the component list as a plain-text table.
pub fn render(sbom: &Sbom) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{:<10} {:>7}", "ECOSYSTEM", "COUNT");
    for (eco, n) in sbom.counts() {
        let _ = writeln!(out, "{eco:<10} {n:>7}");
    }
    let _ = writeln!(out, "{:<10} {:>7}\n", "total", sbom.components.len());
    let w = sbom
        .components
        .iter()
        .map(|c| c.full_name().len())
        .max()
        .unwrap_or(4)
        .max(4);
    let _ = writeln!(
        out,
        "{:<w$}  {:<24} {:<8} {:<9} LOCATION",
        "NAME", "VERSION", "TYPE", "SCOPE"
    );
    for c in &sbom.components {
        let eco = c
            .ecosystem
            .map_or("other", crate::model::Ecosystem::purl_type);
        let loc = c.locations.iter().next().map_or("", String::as_str);
        let _ = writeln!(
            out,
            "{:<w$}  {:<24} {:<8} {:<9} {loc}",
            c.full_name(),
            c.version,
            eco,
            c.scope.as_str()
        );
    }
    out
}
