//! `gatehouse sbom PATH|IMAGE`: an SBOM of a source tree, a lockfile, a `docker save` tarball,
//! an OCI image layout or an image in a registry, as CycloneDX 1.6 JSON, SPDX 2.3 JSON or a table.
//!
//! Exit codes: 0 written, 2 usage or input error (unreadable path, malformed lockfile or image,
//! registry unreachable or refusing, content failing its digest).
//! The document timestamp is `SOURCE_DATE_EPOCH` when set (reproducible builds), else now.
//! Registry credentials: `--username`/`--password` (or `GATEHOUSE_REGISTRY_USERNAME`/`_PASSWORD`),
//! `--registry-token` (`GATEHOUSE_REGISTRY_TOKEN`), else the registry's entry in
//! `$DOCKER_CONFIG/config.json` (default `~/.docker/config.json`), else anonymous.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, ValueEnum};
use gatehouse_sbom::format::{WriteOptions, cyclonedx, rfc3339_utc, spdx, table};
use gatehouse_sbom::source::registry::{oci, scan_registry};
use gatehouse_sbom::source::{Progress, Target};
use gatehouse_sbom::{Sbom, SbomError, ScanOptions, scan_path};

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
    /// Directory, lockfile, `docker save` tarball, OCI image layout (directory or tarball), or
    /// an image in a registry: `host[:port]/repo[:tag|@sha256:…]`. Prefixes force the kind:
    /// `oci-archive:PATH`, `docker-archive:PATH`, `registry:REF`.
    #[arg(value_name = "PATH|IMAGE")]
    target: String,
    /// Output format.
    #[arg(short, long, value_enum, default_value = "cyclonedx")]
    output: Format,
    /// Write the document here instead of stdout (a per-ecosystem summary goes to stderr).
    #[arg(long = "output-file", value_name = "FILE")]
    output_file: Option<PathBuf>,
    #[command(flatten)]
    source: SourceArgs,
}

/// Where an inventory comes from: registry access and directory-walk options, shared by
/// `gatehouse sbom` and `gatehouse scan`.
#[derive(Args, Clone)]
pub(crate) struct SourceArgs {
    /// Platform to pick from a multi-platform image in a registry.
    #[arg(long, value_name = "OS/ARCH[/VARIANT]", default_value = "linux/amd64")]
    platform: String,
    #[command(flatten)]
    registry: super::RegistryArgs,
    /// Also scan what `.gitignore`, `.git/info/exclude` and `.ignore` files exclude (directory
    /// trees; `.git` and `node_modules` are never entered).
    #[arg(long = "no-ignore")]
    no_ignore: bool,
    /// Talk plain HTTP to the registry: refused unless it is on loopback (loopback registries
    /// use plain HTTP by default).
    #[arg(long = "plain-http")]
    plain_http: bool,
}

pub fn run(args: SbomArgs) -> ExitCode {
    match generate(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            let help = match err.downcast_ref::<SbomError>() {
                Some(SbomError::Io { .. }) => Some("point PATH at a project directory, a lockfile, a `docker save` tarball, an OCI image layout, or name an image as host[:port]/repo[:tag|@digest]".into()),
                _ => None,
            };
            report_error(&err, help);
            ExitCode::from(2)
        }
    }
}

/// A one-line counter on stderr while a large tree is walked, only when stderr is a terminal.
fn progress() -> Progress {
    use std::io::IsTerminal as _;
    if !std::io::stderr().is_terminal() {
        return Progress::default();
    }
    Progress::new(|visited, kept| {
        if visited >= Progress::EVERY {
            eprint!("\r\x1b[2K{visited} entries walked, {kept} files kept");
        }
    })
}

/// The SBOM of `target`: a path (tree, lockfile, image archive or layout) or an image in a
/// registry (`host[:port]/repo[:tag|@digest]`; prefixes force the kind), read with `args`.
pub(crate) fn read_target(target: &str, args: &SourceArgs) -> anyhow::Result<Sbom> {
    let opts = ScanOptions {
        respect_ignore_files: !args.no_ignore,
        progress: progress(),
        ..ScanOptions::default()
    };
    let sbom = scan_target(target, args, &opts);
    {
        use std::io::IsTerminal as _;
        if std::io::stderr().is_terminal() {
            eprint!("\r\x1b[2K");
        }
    }
    sbom
}

fn scan_target(target: &str, args: &SourceArgs, opts: &ScanOptions) -> anyhow::Result<Sbom> {
    let opts = opts.clone();
    Ok(match Target::parse(target) {
        Target::Path(p) => scan_path(&p, &opts)?,
        Target::OciArchive(p) => {
            if !(p.join("oci-layout").is_file() || p.is_file()) {
                anyhow::bail!(
                    "{}: not an OCI image layout (no `oci-layout` file) or tarball",
                    p.display()
                );
            }
            scan_path(&p, &opts)?
        }
        Target::DockerArchive(p) => gatehouse_sbom::source::image::scan_tarball(&p, &opts)?,
        Target::Registry(r) => {
            let image = oci::ImageRef::parse(&r)?;
            let platform = args
                .platform
                .parse()
                .map_err(|e: String| anyhow::anyhow!("--platform: {e}"))?;
            let registry = oci::blocking::Registry::new(oci::RegistryOptions {
                credentials: args.registry.credentials(image.registry())?,
                platform,
                plain_http: args.plain_http.then_some(true),
            })?;
            let (sbom, resolved) = scan_registry(&registry, &image, &opts)?;
            if image.digest().is_none() {
                eprintln!("{image} → {}", resolved.manifest_digest);
            }
            sbom
        }
    })
}

fn generate(args: &SbomArgs) -> anyhow::Result<()> {
    let sbom = read_target(&args.target, &args.source)?;
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
