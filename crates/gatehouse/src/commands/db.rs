//! `gatehouse db import PATH... | status | compare ECOSYSTEM A B`: the local OSV advisory store.
//!
//! The store lives in `--db DIR`, else `$XDG_DATA_HOME/gatehouse/osv`, else
//! `~/.local/share/gatehouse/osv`. Exit codes: 0 ok (an import that skipped bad records is still
//! ok; they are listed), 2 usage or input error (unreadable path, not a zip, damaged store,
//! unknown ecosystem).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, anyhow};
use clap::{Args, Subcommand};
use gatehouse_vuln::{Ecosystem, Store, ecosystem::KNOWN};

use crate::report_error;

#[derive(Args)]
pub struct DbArgs {
    /// Advisory store directory [default: $XDG_DATA_HOME/gatehouse/osv or ~/.local/share/gatehouse/osv].
    #[arg(long, global = true, value_name = "DIR")]
    db: Option<PathBuf>,
    #[command(subcommand)]
    command: DbCommand,
}

#[derive(Subcommand)]
enum DbCommand {
    /// Import OSV advisories: directories of OSV JSON, osv.dev's all.zip or <ECOSYSTEM>/all.zip.
    Import {
        /// Directories, .json files or .zip archives.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// Print the import report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Show the imported ecosystems, record counts and freshness.
    Status {
        /// Print the store manifest as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Compare two versions with an ecosystem's ordering; prints <, = or >.
    Compare {
        /// OSV ecosystem (PyPI, npm, crates.io, Go, Maven, RubyGems, NuGet, Packagist, Debian,
        /// Alpine, Red Hat, ...) or purl type (pypi, cargo, golang, gem, composer, deb, apk).
        ecosystem: String,
        a: String,
        b: String,
    },
}

pub(crate) fn default_store() -> anyhow::Result<PathBuf> {
    let data = std::env::var_os("XDG_DATA_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
        .ok_or_else(|| anyhow!("no data directory: set XDG_DATA_HOME or HOME, or pass --db DIR"))?;
    Ok(data.join("gatehouse").join("osv"))
}

pub fn run(args: DbArgs) -> ExitCode {
    match execute(args) {
        Ok(code) => code,
        Err(err) => {
            report_error(&err, None);
            ExitCode::from(2)
        }
    }
}

fn execute(args: DbArgs) -> anyhow::Result<ExitCode> {
    match args.command {
        DbCommand::Compare { ecosystem, a, b } => {
            let eco = Ecosystem::parse(&ecosystem);
            let Some(order) = eco.scheme().compare(&a, &b) else {
                let known: Vec<&str> = KNOWN.iter().map(|(n, _, _)| *n).collect();
                return Err(anyhow!(
                    "no version ordering for ecosystem `{ecosystem}`; known: {}",
                    known.join(", ")
                ));
            };
            outln!(
                "{}",
                match order {
                    std::cmp::Ordering::Less => "<",
                    std::cmp::Ordering::Equal => "=",
                    std::cmp::Ordering::Greater => ">",
                }
            );
            Ok(ExitCode::SUCCESS)
        }
        DbCommand::Import { paths, json } => {
            let store = Store::new(match args.db {
                Some(d) => d,
                None => default_store()?,
            });
            let report = store
                .import(&paths, chrono::Utc::now())
                .with_context(|| format!("importing into {}", store.root().display()))?;
            if json {
                outln!("{}", serde_json::to_string_pretty(&report)?);
                return Ok(ExitCode::SUCCESS);
            }
            outln!(
                "{} records read into {}: {} added, {} updated, {} unchanged, {} rejected",
                report.read,
                store.root().display(),
                report.added.len(),
                report.updated.len(),
                report.unchanged,
                report.rejected.len()
            );
            match report.generation {
                Some(g) if !report.added.is_empty() || !report.updated.is_empty() => {
                    let changed: Vec<String> = report
                        .changed_by_ecosystem
                        .iter()
                        .map(|(e, n)| format!("{e} {n}"))
                        .collect();
                    outln!("generation {g}; changed: {}", changed.join(", "));
                }
                _ => outln!("no changes; the index was not rewritten"),
            }
            for r in &report.rejected {
                eprintln!("rejected {}: {}", r.origin, r.reason);
            }
            Ok(ExitCode::SUCCESS)
        }
        DbCommand::Status { json } => {
            let store = Store::new(match args.db {
                Some(d) => d,
                None => default_store()?,
            });
            let Some(manifest) = store.status()? else {
                if json {
                    outln!("null");
                } else {
                    outln!(
                        "no advisories in {}; run `gatehouse db import PATH` with osv.dev's all.zip or a directory of OSV JSON",
                        store.root().display()
                    );
                }
                return Ok(ExitCode::SUCCESS);
            };
            if json {
                outln!("{}", serde_json::to_string_pretty(&manifest)?);
                return Ok(ExitCode::SUCCESS);
            }
            outln!(
                "{} (generation {}, imported {})",
                store.root().display(),
                manifest.generation,
                manifest.imported_at.format("%Y-%m-%d %H:%M:%S UTC")
            );
            outln!(
                "{:<16} {:>8} {:>10}  NEWEST MODIFIED",
                "ECOSYSTEM",
                "RECORDS",
                "WITHDRAWN"
            );
            for (eco, s) in &manifest.ecosystems {
                let newest = s
                    .newest_modified
                    .map_or_else(|| "-".to_owned(), |t| t.format("%Y-%m-%d").to_string());
                outln!("{eco:<16} {:>8} {:>10}  {newest}", s.records, s.withdrawn);
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
