//! `gatehouse sbom PATH`: an SBOM of a source tree, a lockfile, a `docker save` tarball or an
//! OCI image layout, as CycloneDX 1.6 JSON, SPDX 2.3 JSON or a table.
//!
//! Exit codes: 0 written, 2 usage or input error (unreadable path, malformed lockfile or image).
//! The document timestamp is `SOURCE_DATE_EPOCH` when set (reproducible builds), else now.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, ValueEnum};
use gatehouse_sbom::format::{WriteOptions, cyclonedx, rfc3339_utc, spdx, table};
use gatehouse_sbom::{SbomError, ScanOptions, scan_path};

use crate::report_error;

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// CycloneDX 1.6 JSON.
    Cyclonedx,
    /// SPDX 2.3 JSON.
    Spdx,
    /// Per-ecosystem counts and one line per component.
    Table,
}

#[derive(Args)]
pub struct SbomArgs {
    /// Directory, lockfile, `docker save` tarball or OCI image layout (directory or tarball).
    path: PathBuf,
    /// Output format.
    #[arg(short, long, value_enum, default_value = "cyclonedx")]
    output: Format,
    /// Write the document here instead of stdout (a per-ecosystem summary goes to stderr).
    #[arg(long = "output-file", value_name = "FILE")]
    output_file: Option<PathBuf>,
}

pub fn run(args: SbomArgs) -> ExitCode {
    match generate(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            let help = match err.downcast_ref::<SbomError>() {
                Some(SbomError::Io { .. }) => Some("point PATH at a project directory, a lockfile, a `docker save` tarball or an OCI image layout".into()),
                _ => None,
            };
            report_error(&err, help);
            ExitCode::from(2)
        }
    }
}

fn generate(args: &SbomArgs) -> anyhow::Result<()> {
    let sbom = scan_path(&args.path, &ScanOptions::default())?;
    for w in &sbom.warnings {
        eprintln!("warning: {w}");
    }
    let now = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0))
        });
    let opts = WriteOptions {
        timestamp: Some(rfc3339_utc(now)),
    };
    let text = match args.output {
        Format::Cyclonedx => cyclonedx::to_string(&sbom, &opts),
        Format::Spdx => spdx::to_string(&sbom, &opts),
        Format::Table => table::render(&sbom),
    };
    match &args.output_file {
        Some(file) => {
            std::fs::write(file, text).with_context(|| format!("writing {}", file.display()))?;
            let counts: Vec<String> = sbom
                .counts()
                .iter()
                .map(|(k, v)| format!("{k} {v}"))
                .collect();
            eprintln!(
                "{} components ({}) → {}",
                sbom.components.len(),
                counts.join(", "),
                file.display()
            );
        }
        None => out!("{text}"),
    }
    Ok(())
}
