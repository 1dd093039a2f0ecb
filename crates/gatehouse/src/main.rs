//! `gatehouse`: one binary for every CI/CD gate. This file is the table of contents: parse the
//! arguments, dispatch to a command, map the outcome to an exit code.
//!
//! Exit codes: 0 pass, 1 gate failed, 2 usage/input/config error. `gatehouse policy` follows
//! Conftest's codes instead (see `commands::policy`).

/// `println!` for command output: a closed stdout (`gatehouse ... | head`) ends the output
/// quietly instead of panicking.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}

/// `print!` with the same closed-pipe behaviour as [`outln!`].
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stdout().lock(), $($arg)*);
    }};
}

mod commands;
mod config;

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

#[derive(Parser)]
#[command(name = "gatehouse", version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Policy-as-Code gate, a drop-in for `conftest` (test, verify, parse, doc).
    Policy(commands::policy::PolicyArgs),
    /// Built-in misconfiguration rules over Terraform plans, Kubernetes and Dockerfiles.
    Check(commands::check::CheckArgs),
    /// Software bill of materials (CycloneDX 1.6, SPDX 2.3) of a source tree or an image.
    Sbom(commands::sbom::SbomArgs),
    /// Local OSV advisory store: import, status, and version comparison per ecosystem.
    Db(commands::db::DbArgs),
    /// Known vulnerabilities (offline OSV) in a tree, an image or an SBOM, with a severity gate.
    Scan(commands::scan::ScanArgs),
    /// Findings hub: DefectDojo-compatible import API over SQLite or PostgreSQL.
    Serve(commands::serve::ServeArgs),
    /// Hub API tokens: `token create --user NAME` prints a new key once.
    Token(commands::token::TokenArgs),
    /// Import a scanner report into the hub (embedded database, or a running hub with --url).
    Import(commands::import::ImportArgs),
    /// Sign an image by digest (cosign v3 layout: OCI referrer with a Sigstore bundle).
    Sign(commands::image::SignArgs),
    /// Attest an image by digest: an in-toto predicate (SLSA provenance, SBOM, ...) as a referrer.
    Attest(commands::image::AttestArgs),
    /// Verify an image's signatures (a tag is resolved and the digest printed).
    Verify(commands::image::VerifyArgs),
    /// Verify an image's attestations of one predicate type, with an optional provenance policy.
    VerifyAttestation(commands::image::VerifyAttestationArgs),
    /// Attest a file: in-toto statement (e.g. SLSA provenance) in DSSE, bundle v0.3 or envelope.
    AttestBlob(commands::attest::AttestBlobArgs),
    /// SLSA provenance v1 for artifacts, from GitHub Actions' environment or flags.
    Provenance(commands::attest::ProvenanceArgs),
    /// Sign a file with a key: writes a Sigstore bundle v0.3.
    SignBlob(commands::attest::SignBlobArgs),
    /// Verify a Sigstore bundle for a file or digest, offline, against a trusted root.
    VerifyBlob(commands::verify::VerifyBlobArgs),
    /// Signing keys in cosign's format: `key generate`, `key import`.
    Key(commands::key::KeyArgs),
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let is_policy = args.get(1).is_some_and(|a| a == "policy");
    let matches = match Cli::command().try_get_matches_from(&args) {
        Ok(m) => m,
        Err(e) => {
            let code = e.exit_code();
            let _ = e.print();
            // Conftest (cobra) exits 1 on usage errors; elsewhere usage errors are 2.
            return match (code, is_policy) {
                (0, _) => ExitCode::SUCCESS,
                (_, true) => ExitCode::from(1),
                _ => ExitCode::from(2),
            };
        }
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(2);
        }
    };
    let sub = matches.subcommand().map(|(_, m)| m);
    match cli.command {
        Command::Policy(args) => commands::policy::run(args, sub),
        Command::Check(args) => commands::check::run(args),
        Command::Sbom(args) => commands::sbom::run(args),
        Command::Db(args) => commands::db::run(args),
        Command::Scan(args) => commands::scan::run(args),
        Command::Serve(args) => commands::serve::run(args),
        Command::Token(args) => commands::token::run(args),
        Command::Import(args) => commands::import::run(args),
        Command::Sign(args) => commands::image::sign(args),
        Command::Attest(args) => commands::image::attest(args),
        Command::Verify(args) => commands::image::verify(args),
        Command::VerifyAttestation(args) => commands::image::verify_attestation(args),
        Command::AttestBlob(args) => commands::attest::attest_blob(args),
        Command::Provenance(args) => commands::attest::provenance(args),
        Command::SignBlob(args) => commands::attest::sign_blob(args),
        Command::VerifyBlob(args) => commands::verify::run(args),
        Command::Key(args) => commands::key::run(args),
    }
}

/// Prints an error (and its help line) to stderr the way every command does.
pub(crate) fn report_error(err: &anyhow::Error, help: Option<String>) {
    eprintln!("Error: {err:#}");
    if let Some(help) = help {
        eprintln!("help: {help}");
    }
}
