//! `gatehouse verify-blob FILE --bundle B --trusted-root R (--key K | --certificate-identity I
//! --certificate-oidc-issuer O)`: verifies a Sigstore bundle (v0.1–v0.3) for a file or for a
//! `sha256:<hex>` digest, offline, against the trusted root in R.
//!
//! Exit codes: 0 verified, 1 verification failed, 2 usage or input error (unreadable file,
//! unusable trusted root or key).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Args, ValueEnum};
use gatehouse_attest::PublicKey;
use gatehouse_attest::slsa::ProvenancePolicy;
use gatehouse_attest::verify::{
    ArtifactInput, IdentityMatch, Options, SignerPolicy, TrustRoot, VerifyError, verify_bundle_with,
};

use crate::report_error;

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Output {
    /// One line for people.
    Text,
    /// One JSON object for machines.
    Json,
}

/// Who must have signed: a public key, or a certificate identity and OIDC issuer (shared by
/// `verify-blob`, `verify` and `verify-attestation`).
#[derive(Args)]
#[command(group = clap::ArgGroup::new("signer").required(true).args(["key", "certificate_identity", "certificate_identity_regexp"]))]
#[command(group = clap::ArgGroup::new("issuer").args(["certificate_oidc_issuer", "certificate_oidc_issuer_regexp"]))]
pub struct SignerArgs {
    /// Public key (PEM) for signatures made with a managed key.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["certificate_identity", "certificate_identity_regexp", "certificate_oidc_issuer", "certificate_oidc_issuer_regexp", "insecure_ignore_sct"])]
    key: Option<PathBuf>,
    /// The signer's identity (certificate email or URI), exactly.
    #[arg(
        long,
        value_name = "ID",
        requires = "issuer",
        conflicts_with = "certificate_identity_regexp"
    )]
    certificate_identity: Option<String>,
    /// The signer's identity as a regular expression (unanchored, as in cosign: use ^…$).
    #[arg(long, value_name = "REGEX", requires = "issuer")]
    certificate_identity_regexp: Option<String>,
    /// The OIDC issuer that authenticated the signer, exactly.
    #[arg(
        long,
        value_name = "URL",
        conflicts_with = "certificate_oidc_issuer_regexp"
    )]
    certificate_oidc_issuer: Option<String>,
    /// The OIDC issuer as a regular expression (unanchored: use ^…$).
    #[arg(long, value_name = "REGEX")]
    certificate_oidc_issuer_regexp: Option<String>,
    /// Accept a signing certificate without a signed certificate timestamp from a CT log of
    /// the trusted root (a private CA that logs nowhere). Chain, validity, identity and issuer
    /// are still checked.
    #[arg(long)]
    insecure_ignore_sct: bool,
}

impl SignerArgs {
    /// The policy these flags ask for; unreadable or invalid inputs are errors naming the flag.
    pub fn policy(&self) -> anyhow::Result<SignerPolicy> {
        if let Some(key) = &self.key {
            let pem =
                std::fs::read(key).with_context(|| format!("`{}`: cannot read", key.display()))?;
            return Ok(SignerPolicy::Key(PublicKey::from_pem(&pem).with_context(
                || format!("`{}`: not a usable public key", key.display()),
            )?));
        }
        let regex =
            |flag: &str, re: &str| regex::Regex::new(re).with_context(|| format!("{flag} `{re}`"));
        let identity = match (
            &self.certificate_identity,
            &self.certificate_identity_regexp,
        ) {
            (Some(id), _) => IdentityMatch::Exact(id.clone()),
            (None, Some(re)) => IdentityMatch::Regex(regex("--certificate-identity-regexp", re)?),
            (None, None) => anyhow::bail!(
                "pass --key, or --certificate-identity (or --certificate-identity-regexp) with --certificate-oidc-issuer"
            ),
        };
        let issuer = match (
            &self.certificate_oidc_issuer,
            &self.certificate_oidc_issuer_regexp,
        ) {
            (Some(iss), _) => IdentityMatch::Exact(iss.clone()),
            (None, Some(re)) => {
                IdentityMatch::Regex(regex("--certificate-oidc-issuer-regexp", re)?)
            }
            (None, None) => anyhow::bail!(
                "--certificate-oidc-issuer (or --certificate-oidc-issuer-regexp) is required with a certificate identity"
            ),
        };
        Ok(SignerPolicy::Identity { identity, issuer })
    }

    pub fn insecure_ignore_sct(&self) -> bool {
        self.insecure_ignore_sct
    }
}

#[derive(Args)]
pub struct VerifyBlobArgs {
    /// The artifact, or its digest as `sha256:<64 hex>`.
    file: String,
    /// The Sigstore bundle (`.sigstore.json`).
    #[arg(long, value_name = "FILE")]
    bundle: PathBuf,
    /// The trusted root (`trusted_root.json`: Fulcio CAs, Rekor and CT log keys, TSAs). Read from
    /// this file only; nothing is fetched. Optional only with --insecure-ignore-tlog.
    #[arg(
        long,
        value_name = "FILE",
        required_unless_present = "insecure_ignore_tlog"
    )]
    trusted_root: Option<PathBuf>,
    #[command(flatten)]
    signer: SignerArgs,
    /// Accept a key-signed bundle without transparency-log proof (as cosign's flag): bundles
    /// made offline by `gatehouse sign-blob`. The signature and artifact digest are still checked.
    #[arg(long, requires = "key")]
    insecure_ignore_tlog: bool,
    /// For attestations: the SLSA provenance v1 predicate's builder id must equal this.
    #[arg(long, value_name = "URI")]
    provenance_builder_id: Option<String>,
    /// For attestations: the SLSA provenance v1 predicate's source repository must equal this.
    #[arg(long, value_name = "URI")]
    provenance_source_repo: Option<String>,
    /// Output format.
    #[arg(short, long, value_enum, default_value = "text")]
    output: Output,
}

pub fn run(args: VerifyBlobArgs) -> ExitCode {
    let outcome = prepare(&args).map(|(root, bundle, artifact, policy)| {
        let options = Options {
            insecure_ignore_tlog: args.insecure_ignore_tlog,
            insecure_ignore_sct: args.signer.insecure_ignore_sct,
        };
        let policy_on_predicate = ProvenancePolicy {
            builder_id: args.provenance_builder_id.clone(),
            source_repo: args.provenance_source_repo.clone(),
        };
        verify_bundle_with(&root, &bundle, &artifact, &policy, options)
            .and_then(|v| {
                if policy_on_predicate.builder_id.is_some()
                    || policy_on_predicate.source_repo.is_some()
                {
                    v.check_provenance(&policy_on_predicate)?;
                }
                Ok(v)
            })
            .with_context(|| format!("`{}`", args.bundle.display()))
    });
    match outcome {
        Ok(Ok(v)) => {
            if args.output == Output::Json {
                let json = serde_json::json!({
                    "verified": true,
                    "artifact": args.file,
                    "digest": v.artifact_digest,
                    "bundle": args.bundle,
                    "mediaType": v.media_type,
                    "identity": v.identity,
                    "issuer": v.issuer,
                    "key": v.key,
                    "tlogVerified": v.tlog_verified,
                    "predicateType": v.statement.as_ref().map(|s| s.predicate_type.clone()),
                });
                outln!("{json}");
            } else {
                let signer = match (&v.identity, &v.issuer, &v.key) {
                    (_, _, Some(key)) => format!("key {key}"),
                    (Some(id), Some(iss), _) => format!("{id} (issuer {iss})"),
                    _ => "?".into(),
                };
                outln!(
                    "Verified OK: {} {} signed by {signer}",
                    args.file,
                    v.artifact_digest
                );
            }
            ExitCode::SUCCESS
        }
        Ok(Err(err)) => {
            let input = err
                .downcast_ref::<VerifyError>()
                .is_some_and(|e| !e.is_failure());
            if args.output == Output::Json {
                let json = serde_json::json!({
                    "verified": false,
                    "artifact": args.file,
                    "bundle": args.bundle,
                    "error": format!("{err:#}"),
                });
                outln!("{json}");
            }
            report_error(&err.context("verification failed"), None);
            ExitCode::from(if input { 2 } else { 1 })
        }
        Err(err) => {
            report_error(&err, None);
            ExitCode::from(2)
        }
    }
}

type Prepared = (TrustRoot, String, ArtifactInput, SignerPolicy);

/// Reads every input; any error here is a usage/input error (exit 2).
fn prepare(args: &VerifyBlobArgs) -> anyhow::Result<Prepared> {
    let root = match &args.trusted_root {
        Some(path) => TrustRoot::from_json(&read_text(path)?)
            .with_context(|| format!("`{}`", path.display()))?,
        None => TrustRoot::empty()?,
    };
    // Not UTF-8 is a malformed bundle (a verification failure), not an unreadable file.
    let bundle = std::fs::read(&args.bundle)
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .with_context(|| format!("`{}`: cannot read", args.bundle.display()))?;
    let artifact = match ArtifactInput::parse_digest(&args.file) {
        Some(digest) => digest?,
        None => ArtifactInput::Bytes(std::fs::read(&args.file).with_context(|| {
            format!(
                "`{}`: cannot read the artifact (or pass `sha256:<hex>`)",
                args.file
            )
        })?),
    };
    let policy = args.signer.policy()?;
    Ok((root, bundle, artifact, policy))
}

fn read_text(path: &Path) -> anyhow::Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("`{}`: cannot read", path.display()))
}
