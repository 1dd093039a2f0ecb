//! `gatehouse scan PATH|IMAGE...` and `gatehouse scan sbom FILE|DIR...`: match an inventory
//! against the local OSV store (`gatehouse db import`), offline.
//!
//! PATH is a directory, a lockfile, a `docker save` tarball or an OCI image layout (the SBOM is
//! generated in memory), or an SBOM document (CycloneDX or SPDX JSON, recognised by content).
//! `scan sbom` reads SBOM documents only; a directory means every SBOM document under it.
//!
//! `--since-db-import` scans against the advisories before and after the last import that
//! changed the store, and reports only the difference: new matches, matches whose severity
//! changed, matches that went away. The gate then applies to the new and changed ones.
//!
//! Exit codes: 0 no open finding at or above `--fail-on`, 1 otherwise, 2 usage or input error.
//! Advisories without severity data count as high by default (`--unknown-severity`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, anyhow};
use clap::{Args, Subcommand, ValueEnum};
use gatehouse_model::report::Format;
use gatehouse_model::{Finding, Severity, WaiverRules};
use gatehouse_sbom::{Sbom, SbomError, format as sbom_format};
use gatehouse_vuln::scan::{self, Changes, Package, UnknownSeverity};
use gatehouse_vuln::{Advisories, Store, table, vex};
use serde_json::json;

use crate::report_error;

#[derive(Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct ScanArgs {
    #[command(subcommand)]
    command: Option<ScanCommand>,
    /// Directories, lockfiles, image tarballs or OCI layouts, images in a registry
    /// (`host[:port]/repo[:tag|@sha256:…]`), or SBOM documents [default: .].
    #[arg(value_name = "PATH|IMAGE")]
    paths: Vec<String>,
    #[command(flatten)]
    options: ScanOptions,
}

#[derive(Subcommand)]
enum ScanCommand {
    /// Scan SBOM documents (CycloneDX or SPDX JSON); a directory means every document under it.
    Sbom {
        #[arg(required = true, value_name = "FILE|DIR")]
        files: Vec<PathBuf>,
        #[command(flatten)]
        options: ScanOptions,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Output {
    /// One row per vulnerable package and advisory.
    Table,
    /// Gatehouse's findings JSON (the hub imports it as-is).
    Json,
    /// SARIF 2.1.0.
    Sarif,
    /// JUnit XML.
    Junit,
    /// GitHub Actions annotations.
    Github,
    /// CycloneDX 1.6 VEX (a BOM with `vulnerabilities`).
    #[value(name = "cyclonedx-vex", alias = "vex")]
    CyclonedxVex,
}

#[derive(Clone, Copy, ValueEnum)]
enum Unknown {
    /// Advisories without severity data fail the gate like high ones.
    AsHigh,
    /// Advisories without severity data never fail the gate (still reported).
    Ignore,
}

#[derive(Args)]
struct ScanOptions {
    /// Advisory store directory [default: $XDG_DATA_HOME/gatehouse/osv or ~/.local/share/gatehouse/osv].
    #[arg(long, value_name = "DIR")]
    db: Option<PathBuf>,
    /// Fail on findings of this severity or higher: critical, high, medium, low, info, none.
    #[arg(long = "fail-on", default_value = "high")]
    fail_on: String,
    /// How the gate treats advisories with no CVSS vector and no database severity.
    #[arg(long = "unknown-severity", value_enum, default_value = "as-high")]
    unknown_severity: Unknown,
    /// Output format.
    #[arg(short, long, value_enum, default_value = "table")]
    output: Output,
    /// Write the report to this file instead of stdout.
    #[arg(long = "output-file", value_name = "FILE")]
    output_file: Option<PathBuf>,
    /// Waivers / ignore file (default: .gatehouse/waivers.yaml when present); `rule` is an
    /// advisory id or alias, `target` a package URL.
    #[arg(long, visible_alias = "ignore-file", value_name = "FILE")]
    waivers: Option<PathBuf>,
    /// Longest allowed waiver, in days from today.
    #[arg(long = "waiver-max-days", default_value_t = WaiverRules::DEFAULT_MAX_HORIZON_DAYS)]
    waiver_max_days: u32,
    /// Report only what changed since the previous advisory import (new, severity changed, gone).
    #[arg(long = "since-db-import")]
    since_db_import: bool,
    #[command(flatten)]
    source: super::sbom::SourceArgs,
}

/// One scanned thing (a path or SBOM document) and its packages.
struct Inventory {
    name: String,
    packages: Vec<Package>,
    not_matchable: usize,
}

pub fn run(args: ScanArgs) -> ExitCode {
    match execute(args) {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            report_error(&err, None);
            ExitCode::from(2)
        }
    }
}

fn execute(args: ScanArgs) -> anyhow::Result<u8> {
    let (inventories, options) = match args.command {
        Some(ScanCommand::Sbom { files, options }) => (read_sbom_args(&files)?, options),
        None => {
            let paths = if args.paths.is_empty() {
                vec![".".to_owned()]
            } else {
                args.paths
            };
            let mut inventories = Vec::new();
            for p in &paths {
                inventories.push(inventory_of(p, &args.options.source)?);
            }
            (inventories, args.options)
        }
    };
    let threshold = match options.fail_on.to_ascii_lowercase().as_str() {
        "none" | "off" => None,
        word => Some(
            word.parse::<Severity>()
                .map_err(|e| anyhow!("--fail-on: {e}"))?,
        ),
    };
    let unknown = match options.unknown_severity {
        Unknown::AsHigh => UnknownSeverity::AsHigh,
        Unknown::Ignore => UnknownSeverity::Ignore,
    };
    let rules = WaiverRules {
        today: chrono::Local::now().date_naive(),
        max_horizon_days: options.waiver_max_days,
    };
    let waivers = super::load_waivers(options.waivers.as_deref(), &rules)?;

    let root = match &options.db {
        Some(d) => d.clone(),
        None => super::db::default_store()?,
    };
    let store = Store::new(&root);
    let all: Vec<Package> = inventories
        .iter()
        .flat_map(|i| i.packages.iter().cloned())
        .collect();
    let wanted = scan::wanted(&all);
    let Some((manifest, records)) = store.load_packages(&wanted, false)? else {
        return Err(anyhow!(
            "the advisory store {} is empty: import OSV data first with `gatehouse db import PATH` \
             (osv.dev's all.zip or a directory of OSV JSON), or point --db at a store",
            root.display()
        ));
    };
    let advisories = Advisories::new(records);
    let mut current = scan_all(&advisories, &inventories);

    // Waivers apply to the current matches (and so to the new and changed ones of a re-scan).
    super::apply_waivers(&waivers, &mut current, &rules);
    let (mut reported, changes) = if options.since_db_import {
        let previous = if manifest.generation <= 1 {
            Advisories::default()
        } else {
            let Some((_, records)) = store.load_packages(&wanted, true)? else {
                return Err(anyhow!(
                    "{}: the generation before {} is gone, so there is nothing to compare with; \
                     run the scan without --since-db-import",
                    root.display(),
                    manifest.generation
                ));
            };
            Advisories::new(records)
        };
        let changes = scan::diff(&scan_all(&previous, &inventories), &current);
        let reported: Vec<Finding> = changes
            .new
            .iter()
            .chain(changes.severity_changed.iter().map(|c| &c.finding))
            .cloned()
            .collect();
        (reported, Some(changes))
    } else {
        (current, None)
    };
    reported.sort_by(gatehouse_model::report::compare);

    let rendered = render(options.output, &reported, changes.as_ref(), &manifest)?;
    match &options.output_file {
        Some(path) => {
            std::fs::write(path, rendered).with_context(|| format!("writing {}", path.display()))?
        }
        None => out!("{rendered}"),
    }

    let packages: usize = inventories.iter().map(|i| i.packages.len()).sum();
    let not_matchable: usize = inventories.iter().map(|i| i.not_matchable).sum();
    let failing = reported
        .iter()
        .filter(|f| !f.is_suppressed())
        .filter(|f| threshold.is_some_and(|t| unknown.gate_severity(f).is_some_and(|s| s >= t)))
        .count();
    eprintln!(
        "{} target(s), {packages} package(s){}, {} advisories loaded (store generation {}, imported {}), {} finding(s), {} waived",
        inventories.len(),
        if not_matchable > 0 {
            format!(" ({not_matchable} without OSV ecosystem)")
        } else {
            String::new()
        },
        advisories.len(),
        manifest.generation,
        manifest.imported_at.format("%Y-%m-%d %H:%M UTC"),
        reported.len(),
        reported.iter().filter(|f| f.is_suppressed()).count(),
    );
    if failing > 0 {
        let t = threshold.map_or("none", Severity::as_str);
        eprintln!("gate failed: {failing} open finding(s) at or above {t}");
        return Ok(1);
    }
    Ok(0)
}

/// Scans every inventory, each finding tagged with the inventory it came from.
fn scan_all(advisories: &Advisories, inventories: &[Inventory]) -> Vec<Finding> {
    let mut findings = Vec::new();
    for inv in inventories {
        let outcome = scan::scan(advisories, &inv.packages);
        for mut f in outcome.findings {
            f.properties.insert("target".into(), json!(inv.name));
            findings.push(f);
        }
    }
    findings
}

fn render(
    output: Output,
    findings: &[Finding],
    changes: Option<&Changes>,
    manifest: &gatehouse_vuln::Manifest,
) -> anyhow::Result<String> {
    Ok(match (output, changes) {
        (Output::Table, None) => table::render(findings),
        (Output::Table, Some(c)) => table::render_changes(c),
        (Output::Json, Some(c)) => {
            let mut text = serde_json::to_string_pretty(&json!({
                "store_generation": manifest.generation,
                "imported_at": manifest.imported_at,
                "new": c.new,
                "severity_changed": c.severity_changed,
                "fixed": c.fixed,
            }))?;
            text.push('\n');
            text
        }
        (Output::Json, None) => Format::Json.render(findings),
        (Output::Sarif, _) => Format::Sarif.render(findings),
        (Output::Junit, _) => Format::Junit.render(findings),
        (Output::Github, _) => Format::Github.render(findings),
        (Output::CyclonedxVex, _) => vex::render(
            findings,
            Some(
                &manifest
                    .imported_at
                    .format("%Y-%m-%dT%H:%M:%SZ")
                    .to_string(),
            ),
        ),
    })
}

fn read_sbom_args(files: &[PathBuf]) -> anyhow::Result<Vec<Inventory>> {
    let mut out = Vec::new();
    for path in files {
        if path.is_dir() {
            let before = out.len();
            let mut entries: Vec<PathBuf> = walkdir::WalkDir::new(path)
                .follow_links(false)
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file())
                .map(|e| e.into_path())
                .filter(|p| {
                    p.extension()
                        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
                })
                .collect();
            entries.sort();
            for file in entries {
                match read_sbom(&file) {
                    Ok(inv) => out.push(inv),
                    Err(e) => eprintln!("warning: skipping {}: {e:#}", file.display()),
                }
            }
            if out.len() == before {
                return Err(anyhow!(
                    "{}: no CycloneDX or SPDX JSON documents found",
                    path.display()
                ));
            }
        } else {
            out.push(read_sbom(path)?);
        }
    }
    Ok(out)
}

fn read_sbom(path: &Path) -> anyhow::Result<Inventory> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let sbom = sbom_format::read(&text).with_context(|| format!("{}", path.display()))?;
    Ok(inventory(path, sbom, true))
}

/// A path or image: an SBOM document when its content says so (a `.json` file that reads as
/// CycloneDX or SPDX), else a tree, lockfile, image archive or layout, or an image in a registry.
fn inventory_of(target: &str, source: &super::sbom::SourceArgs) -> anyhow::Result<Inventory> {
    let path = Path::new(target);
    let json_file = path.is_file()
        && path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    if json_file && let Ok(text) = std::fs::read_to_string(path) {
        match sbom_format::read(&text) {
            Ok(sbom) => return Ok(inventory(path, sbom, true)),
            // Not an SBOM document (`package-lock.json`, …): catalog it below.
            Err(SbomError::Document { format: "SBOM", .. }) => {}
            Err(e) => return Err(anyhow::Error::new(e).context(path.display().to_string())),
        }
    }
    let sbom = super::sbom::read_target(target, source)?;
    for w in &sbom.warnings {
        eprintln!("warning: {w}");
    }
    Ok(inventory(path, sbom, false))
}

fn inventory(path: &Path, sbom: Sbom, document: bool) -> Inventory {
    let name = path.display().to_string();
    let packages: Vec<Package> = sbom
        .components
        .iter()
        .map(|c| {
            let mut locations: Vec<String> = c.locations.iter().cloned().collect();
            if locations.is_empty() && (document || path.is_file()) {
                locations.push(name.clone());
            }
            Package {
                purl: c.raw_purl.clone().unwrap_or_else(|| c.purl()),
                locations,
                layers: c.layers.iter().cloned().collect(),
                image_digest: sbom.subject.digest.clone(),
            }
        })
        .collect();
    let not_matchable = packages
        .iter()
        .filter(|p| gatehouse_vuln::parse_purl(&p.purl).is_none())
        .count();
    Inventory {
        name,
        packages,
        not_matchable,
    }
}
