//! `gatehouse sign-blob FILE --key K --bundle OUT`: signs a file with a cosign-format key and
//! writes a Sigstore bundle v0.3 (`messageSignature`, `publicKey` hint, no transparency-log entry:
//! verify with `verify-blob --key K.pub --insecure-ignore-tlog`).
//!
//! Exit codes: 0 signed, 2 usage or input error (unreadable file, wrong password, bad key).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use clap::Args;
use gatehouse_attest::sign::{SignedBlob, sign_blob as sign};

use crate::commands::key::load_private_key;
use crate::commands::verify::Output;
use crate::report_error;

#[derive(Args)]
pub struct SignBlobArgs {
    /// The file to sign.
    file: PathBuf,
    /// Private key (cosign format, either PEM label; password from GATEHOUSE_PASSWORD or a prompt).
    #[arg(long, value_name = "FILE")]
    key: PathBuf,
    /// Where to write the Sigstore bundle (`.sigstore.json`).
    #[arg(long, value_name = "FILE")]
    bundle: PathBuf,
    /// Output format.
    #[arg(short, long, value_enum, default_value = "text")]
    output: Output,
}

pub fn sign_blob(args: SignBlobArgs) -> ExitCode {
    match sign_file(&args) {
        Ok(signed) => {
            if args.output == Output::Json {
                let json = serde_json::json!({
                    "artifact": args.file,
                    "digest": signed.artifact_digest,
                    "key": signed.key,
                    "bundle": args.bundle,
                });
                outln!("{json}");
            } else {
                outln!(
                    "Signed {} {} with key {}; bundle written to {}",
                    args.file.display(),
                    signed.artifact_digest,
                    signed.key,
                    args.bundle.display()
                );
            }
            ExitCode::SUCCESS
        }
        Err(err) => {
            report_error(&err, None);
            ExitCode::from(2)
        }
    }
}

fn sign_file(args: &SignBlobArgs) -> anyhow::Result<SignedBlob> {
    let artifact = read(&args.file)?;
    let key = load_private_key(&args.key)?;
    let signed = sign(&key, &artifact).with_context(|| format!("`{}`", args.key.display()))?;
    std::fs::write(&args.bundle, &signed.bundle_json)
        .with_context(|| format!("`{}`: cannot write", args.bundle.display()))?;
    Ok(signed)
}

fn read(path: &Path) -> anyhow::Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("`{}`: cannot read", path.display()))
}

/// `gatehouse attest-blob FILE --predicate P --type T --key K (--bundle OUT | --envelope OUT)`.
#[derive(Args)]
#[command(group = clap::ArgGroup::new("out").required(true).multiple(true).args(["bundle", "envelope"]))]
pub struct AttestBlobArgs {
    /// The artifact the attestation is about (the statement's subject: file name + SHA-256).
    file: PathBuf,
    /// The predicate (JSON), e.g. from `gatehouse provenance` or `gatehouse sbom`.
    #[arg(long, value_name = "FILE")]
    predicate: PathBuf,
    /// Predicate type: slsaprovenance1, cyclonedx, spdx, openvex, vuln, custom, or a URI.
    #[arg(long = "type", value_name = "TYPE")]
    predicate_type: String,
    /// Private key (cosign format; password from GATEHOUSE_PASSWORD or a prompt).
    #[arg(long, value_name = "FILE")]
    key: PathBuf,
    /// Write a Sigstore bundle v0.3 with the DSSE envelope here.
    #[arg(long, value_name = "FILE")]
    bundle: Option<PathBuf>,
    /// Write the bare DSSE envelope (JSON) here.
    #[arg(long, value_name = "FILE")]
    envelope: Option<PathBuf>,
    /// Output format.
    #[arg(short, long, value_enum, default_value = "text")]
    output: Output,
}

pub fn attest_blob(args: AttestBlobArgs) -> ExitCode {
    match attest_file(&args) {
        Ok((signed, digest, predicate_type)) => {
            if args.output == Output::Json {
                let json = serde_json::json!({
                    "artifact": args.file,
                    "digest": digest,
                    "predicateType": predicate_type,
                    "statementDigest": signed.statement_digest,
                    "key": signed.key,
                    "bundle": args.bundle,
                    "envelope": args.envelope,
                });
                outln!("{json}");
            } else {
                outln!(
                    "Attested {} {digest} ({predicate_type}) with key {}",
                    args.file.display(),
                    signed.key
                );
                for (what, path) in [("bundle", &args.bundle), ("envelope", &args.envelope)] {
                    if let Some(path) = path {
                        outln!("{what} written to {}", path.display());
                    }
                }
            }
            ExitCode::SUCCESS
        }
        Err(err) => {
            report_error(&err, None);
            ExitCode::from(2)
        }
    }
}

fn attest_file(
    args: &AttestBlobArgs,
) -> anyhow::Result<(gatehouse_attest::sign::SignedAttestation, String, String)> {
    use gatehouse_attest::intoto::{Statement, Subject, predicate_type};
    let predicate_type = predicate_type(&args.predicate_type).context("--type")?;
    let artifact = read(&args.file)?;
    let predicate: serde_json::Value = serde_json::from_slice(&read(&args.predicate)?)
        .with_context(|| format!("`{}`: not JSON", args.predicate.display()))?;
    let digest = gatehouse_attest::verify::ArtifactInput::Bytes(artifact).sha256();
    let name = args
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let statement = Statement::new(
        vec![Subject::sha256(&name, &digest)],
        &predicate_type,
        predicate,
    );
    let key = load_private_key(&args.key)?;
    let signed = gatehouse_attest::sign::attest(&key, &statement)
        .with_context(|| format!("`{}`", args.key.display()))?;
    if let Some(path) = &args.bundle {
        std::fs::write(path, &signed.bundle_json)
            .with_context(|| format!("`{}`: cannot write", path.display()))?;
    }
    if let Some(path) = &args.envelope {
        std::fs::write(path, signed.envelope.to_json())
            .with_context(|| format!("`{}`: cannot write", path.display()))?;
    }
    Ok((
        signed,
        format!("sha256:{}", hex_digest(&digest)),
        predicate_type,
    ))
}

fn hex_digest(d: &[u8; 32]) -> String {
    d.iter().map(|b| format!("{b:02x}")).collect()
}

/// `gatehouse provenance`: a SLSA provenance v1 predicate (or statement) for artifacts.
#[derive(Args)]
pub struct ProvenanceArgs {
    /// Artifacts (files or `sha256:<hex>`) the statement is about; needed with --statement.
    subjects: Vec<String>,
    /// Take everything from GitHub Actions' environment (GITHUB_REPOSITORY, GITHUB_SHA, ...).
    #[arg(long, conflicts_with_all = ["builder_id", "build_type", "source_repo", "source_commit", "source_ref"])]
    github_actions: bool,
    /// The builder's id (URI), e.g. https://ci.example.com/runners/linux.
    #[arg(long, value_name = "URI", required_unless_present = "github_actions")]
    builder_id: Option<String>,
    /// The build type (URI); defaults to gatehouse's generic build type.
    #[arg(long, value_name = "URI")]
    build_type: Option<String>,
    /// Source repository URI.
    #[arg(long, value_name = "URI")]
    source_repo: Option<String>,
    /// Source commit (git SHA).
    #[arg(long, value_name = "SHA", requires = "source_repo")]
    source_commit: Option<String>,
    /// Source ref (e.g. refs/heads/main).
    #[arg(long, value_name = "REF", requires = "source_repo")]
    source_ref: Option<String>,
    /// External parameter KEY=VALUE (VALUE as JSON when it parses, else a string); repeatable.
    #[arg(long = "external-parameter", value_name = "KEY=VALUE")]
    external_parameters: Vec<String>,
    /// Resolved dependency URI=ALG:HEX (e.g. `https://x/lib.tgz=sha256:ab…`); repeatable.
    #[arg(long = "dependency", value_name = "URI=ALG:HEX")]
    dependencies: Vec<String>,
    /// Invocation id (URI of the CI run).
    #[arg(long, value_name = "URI")]
    invocation_id: Option<String>,
    /// Print the whole in-toto statement (subjects + predicate), not only the predicate.
    #[arg(long)]
    statement: bool,
    /// Write here instead of stdout.
    #[arg(long = "output-file", value_name = "FILE")]
    output_file: Option<PathBuf>,
}

pub fn provenance(args: ProvenanceArgs) -> ExitCode {
    match make_provenance(&args) {
        Ok(json) => {
            let result = match &args.output_file {
                Some(path) => std::fs::write(path, format!("{json}\n"))
                    .with_context(|| format!("`{}`: cannot write", path.display())),
                None => {
                    outln!("{json}");
                    Ok(())
                }
            };
            match result {
                Ok(()) => ExitCode::SUCCESS,
                Err(err) => {
                    report_error(&err, None);
                    ExitCode::from(2)
                }
            }
        }
        Err(err) => {
            report_error(&err, None);
            ExitCode::from(2)
        }
    }
}

fn make_provenance(args: &ProvenanceArgs) -> anyhow::Result<String> {
    use gatehouse_attest::intoto::{Statement, Subject};
    use gatehouse_attest::slsa::{PROVENANCE_V1, Provenance, ProvenanceInput, ResourceDescriptor};
    use gatehouse_attest::verify::ArtifactInput;

    let prov = if args.github_actions {
        Provenance::from_github_actions(&|name| std::env::var(name).ok())?
    } else {
        let mut external = serde_json::Map::new();
        for kv in &args.external_parameters {
            let (k, v) = kv
                .split_once('=')
                .with_context(|| format!("--external-parameter `{kv}`: expected KEY=VALUE"))?;
            let value = serde_json::from_str(v).unwrap_or_else(|_| serde_json::json!(v));
            external.insert(k.to_string(), value);
        }
        let mut dependencies = Vec::new();
        for dep in &args.dependencies {
            let (uri, digest) = dep
                .rsplit_once('=')
                .and_then(|(u, d)| d.split_once(':').map(|(a, h)| (u, (a, h))))
                .with_context(|| format!("--dependency `{dep}`: expected URI=ALG:HEX"))?;
            dependencies.push(ResourceDescriptor {
                uri: Some(uri.to_string()),
                digest: [(digest.0.to_string(), digest.1.to_string())].into(),
                name: None,
            });
        }
        Provenance::from_input(ProvenanceInput {
            builder_id: args.builder_id.clone().unwrap_or_default(),
            build_type: args.build_type.clone(),
            source_repo: args.source_repo.clone(),
            source_commit: args.source_commit.clone(),
            source_ref: args.source_ref.clone(),
            external_parameters: external,
            dependencies,
            invocation_id: args.invocation_id.clone(),
            started_on: None,
            finished_on: None,
        })?
    };
    if !args.statement {
        return Ok(serde_json::to_string_pretty(&prov.to_value())?);
    }
    if args.subjects.is_empty() {
        anyhow::bail!("--statement needs at least one artifact (a file or sha256:<hex>)");
    }
    let mut subjects = Vec::new();
    for s in &args.subjects {
        let (name, digest) = match ArtifactInput::parse_digest(s) {
            Some(d) => (String::new(), d?.sha256()),
            None => {
                let path = Path::new(s);
                let name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                (name, ArtifactInput::Bytes(read(path)?).sha256())
            }
        };
        subjects.push(Subject::sha256(&name, &digest));
    }
    let st = Statement::new(subjects, PROVENANCE_V1, prov.to_value());
    Ok(serde_json::to_string_pretty(&st)?)
}
