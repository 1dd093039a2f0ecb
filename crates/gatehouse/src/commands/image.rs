//! `gatehouse sign | attest | verify | verify-attestation IMAGE`: container image signatures and
//! attestations by digest, stored as OCI 1.1 referrers (Sigstore bundle v0.3) with the
//! `sha256-<hex>` fallback index, as cosign v3 does, and in cosign's legacy `sha256-<hex>.sig` /
//! `.att` tags (`--layout`); verification reads both layouts, by key or by certificate identity
//! and OIDC issuer (keyless signatures, against `--trusted-root`). A tag is refused for signing
//! unless `--resolve-tag`; the digest that was signed or verified is always printed.
//!
//! Exit codes: 0 signed / verified, 1 verification failed, 2 usage, input or registry error.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::Args;
use gatehouse_attest::intoto::predicate_type;
use gatehouse_attest::oci::{COSIGN_SIGN_PREDICATE, OciError, Registry, parse_reference};
use gatehouse_attest::slsa::ProvenancePolicy;
use gatehouse_attest::verify::{Options, TrustRoot, Verified};

use crate::commands::RegistryArgs;
use crate::commands::key::load_private_key;
use crate::commands::serve::runtime;
use crate::commands::verify::{Output, SignerArgs};
use crate::report_error;

#[derive(Args)]
pub struct SignArgs {
    /// The image, by digest: `registry/repo@sha256:<hex>` (a tag only with --resolve-tag).
    image: String,
    /// Private key (cosign format; password from GATEHOUSE_PASSWORD or a prompt).
    #[arg(long, value_name = "FILE")]
    key: PathBuf,
    /// Accept a tag: resolve it to the digest it points to now and sign that digest.
    #[arg(long)]
    resolve_tag: bool,
    #[command(flatten)]
    registry: RegistryArgs,
    /// Where to store the signature or attestation: OCI 1.1 referrer with a Sigstore bundle
    /// (cosign v3), the legacy `sha256-<hex>.sig` / `.att` tag (cosign v2, Kyverno's default), or
    /// both.
    #[arg(long, value_enum, default_value = "both")]
    layout: Layout,
    /// Output format.
    #[arg(short, long, value_enum, default_value = "text")]
    output: Output,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Layout {
    Referrers,
    Legacy,
    Both,
}

#[derive(Args)]
pub struct AttestArgs {
    #[command(flatten)]
    sign: SignArgs,
    /// The predicate (JSON), e.g. from `gatehouse provenance` or `gatehouse sbom`.
    #[arg(long, value_name = "FILE")]
    predicate: PathBuf,
    /// Predicate type: slsaprovenance1, cyclonedx, spdx, openvex, vuln, custom, or a URI.
    #[arg(long = "type", value_name = "TYPE")]
    predicate_type: String,
}

#[derive(Args)]
pub struct VerifyArgs {
    /// The image: by digest, or a tag (resolved; the digest verified is printed).
    image: String,
    #[command(flatten)]
    signer: SignerArgs,
    /// The trusted root (`trusted_root.json`: CAs, Rekor and CT log keys, TSAs), read from this
    /// file only; optional for key signatures with --insecure-ignore-tlog.
    #[arg(
        long,
        value_name = "FILE",
        required_unless_present = "insecure_ignore_tlog"
    )]
    trusted_root: Option<PathBuf>,
    /// Accept key-signed bundles without transparency-log proof (made offline by gatehouse).
    #[arg(long, requires = "key")]
    insecure_ignore_tlog: bool,
    #[command(flatten)]
    registry: RegistryArgs,
    /// Output format.
    #[arg(short, long, value_enum, default_value = "text")]
    output: Output,
}

#[derive(Args)]
pub struct VerifyAttestationArgs {
    #[command(flatten)]
    verify: VerifyArgs,
    /// Predicate type: slsaprovenance1, cyclonedx, spdx, openvex, vuln, custom, or a URI.
    #[arg(long = "type", value_name = "TYPE")]
    predicate_type: String,
    /// SLSA provenance v1: the builder id must equal this.
    #[arg(long, value_name = "URI")]
    provenance_builder_id: Option<String>,
    /// SLSA provenance v1: the source repository must equal this.
    #[arg(long, value_name = "URI")]
    provenance_source_repo: Option<String>,
}

pub fn sign(args: SignArgs) -> ExitCode {
    push(&args, None)
}

pub fn attest(args: AttestArgs) -> ExitCode {
    let predicate = predicate_type(&args.predicate_type)
        .context("--type")
        .and_then(|t| {
            let bytes = std::fs::read(&args.predicate)
                .with_context(|| format!("`{}`: cannot read", args.predicate.display()))?;
            let value: serde_json::Value = serde_json::from_slice(&bytes)
                .with_context(|| format!("`{}`: not JSON", args.predicate.display()))?;
            Ok((t, value))
        });
    match predicate {
        Ok(p) => push(&args.sign, Some(p)),
        Err(err) => {
            report_error(&err, None);
            ExitCode::from(2)
        }
    }
}

fn push(args: &SignArgs, predicate: Option<(String, serde_json::Value)>) -> ExitCode {
    let result = (|| -> anyhow::Result<(String, String, String)> {
        let reference = parse_reference(&args.image)?;
        let key = load_private_key(&args.key)?;
        let credentials = args.registry.credentials(reference.registry())?;
        runtime()?.block_on(async {
            let registry = Registry::new(credentials);
            let image = registry.pin(&reference, args.resolve_tag).await?;
            let mut stored = Vec::new();
            let kind = match &predicate {
                None => {
                    if args.layout != Layout::Legacy {
                        stored.push(format!("referrer {}", registry.sign(&image, &key).await?));
                    }
                    if args.layout != Layout::Referrers {
                        stored.push(format!("tag {}", registry.sign_legacy(&image, &key).await?));
                    }
                    COSIGN_SIGN_PREDICATE.to_string()
                }
                Some((t, p)) => {
                    if args.layout != Layout::Referrers {
                        let tag = registry.attest_legacy(&image, &key, t, p.clone()).await?;
                        stored.push(format!("tag {tag}"));
                    }
                    if args.layout != Layout::Legacy {
                        let digest = registry.attest(&image, &key, t, p.clone()).await?;
                        stored.insert(0, format!("referrer {digest}"));
                    }
                    t.clone()
                }
            };
            let referrer = stored.join(", ");
            Ok((image.display(), kind, referrer))
        })
    })();
    match result {
        Ok((image, kind, referrer)) => {
            if args.output == Output::Json {
                let json =
                    serde_json::json!({"image": image, "predicateType": kind, "stored": referrer});
                outln!("{json}");
            } else {
                let what = if predicate.is_some() {
                    "Attested"
                } else {
                    "Signed"
                };
                outln!("{what} {image} ({kind}); {referrer}");
            }
            ExitCode::SUCCESS
        }
        Err(err) => {
            report_error(&err, None);
            ExitCode::from(2)
        }
    }
}

pub fn verify(args: VerifyArgs) -> ExitCode {
    check(&args, COSIGN_SIGN_PREDICATE.to_string(), None)
}

pub fn verify_attestation(args: VerifyAttestationArgs) -> ExitCode {
    match predicate_type(&args.predicate_type) {
        Ok(t) => {
            let policy = ProvenancePolicy {
                builder_id: args.provenance_builder_id.clone(),
                source_repo: args.provenance_source_repo.clone(),
            };
            let policy =
                (policy.builder_id.is_some() || policy.source_repo.is_some()).then_some(policy);
            check(&args.verify, t, policy)
        }
        Err(err) => {
            report_error(&anyhow::Error::new(err).context("--type"), None);
            ExitCode::from(2)
        }
    }
}

fn check(args: &VerifyArgs, kind: String, provenance: Option<ProvenancePolicy>) -> ExitCode {
    let result = (|| -> anyhow::Result<(String, anyhow::Result<Vec<Verified>>)> {
        let reference = parse_reference(&args.image)?;
        let policy = args.signer.policy()?;
        let root = match &args.trusted_root {
            Some(p) => {
                let json = std::fs::read_to_string(p)
                    .with_context(|| format!("`{}`: cannot read", p.display()))?;
                TrustRoot::from_json(&json).with_context(|| format!("`{}`", p.display()))?
            }
            None => TrustRoot::empty()?,
        };
        let options = Options {
            insecure_ignore_tlog: args.insecure_ignore_tlog,
            insecure_ignore_sct: args.signer.insecure_ignore_sct(),
        };
        let credentials = args.registry.credentials(reference.registry())?;
        runtime()?.block_on(async {
            let registry = Registry::new(credentials);
            let image = registry.pin(&reference, true).await?;
            let outcome = match registry
                .verify(&image, &kind, &root, &policy, options)
                .await
            {
                Ok(verified) => match &provenance {
                    None => Ok(verified),
                    Some(policy) => {
                        let mut passed = Vec::new();
                        let mut first_error = None;
                        for v in verified {
                            match v.check_provenance(policy) {
                                Ok(_) => passed.push(v),
                                Err(e) => {
                                    first_error.get_or_insert(e);
                                }
                            }
                        }
                        match first_error {
                            Some(e) if passed.is_empty() => Err(anyhow::Error::from(e)),
                            _ => Ok(passed),
                        }
                    }
                },
                Err(e @ OciError::NotVerified(_)) => Err(anyhow::Error::from(e)),
                Err(e) => return Err(anyhow::Error::from(e)),
            };
            Ok((image.display(), outcome))
        })
    })();
    match result {
        Ok((image, Ok(verified))) => {
            let mut signers: Vec<String> = verified.iter().map(signer).collect();
            signers.sort();
            signers.dedup();
            let n = verified.len();
            if args.output == Output::Json {
                let json = serde_json::json!({"verified": true, "image": image, "predicateType": kind, "bundles": n, "signers": signers});
                outln!("{json}");
            } else {
                outln!(
                    "Verified OK: {image} ({kind}, {n} bundle(s) signed by {})",
                    signers.join(", ")
                );
            }
            ExitCode::SUCCESS
        }
        Ok((image, Err(err))) => {
            if args.output == Output::Json {
                let json = serde_json::json!({"verified": false, "image": image, "predicateType": kind, "error": format!("{err:#}")});
                outln!("{json}");
            }
            report_error(
                &err.context(format!("verification of {image} failed")),
                None,
            );
            ExitCode::from(1)
        }
        Err(err) => {
            report_error(&err, None);
            ExitCode::from(2)
        }
    }
}

/// Who signed a verified bundle: `key sha256:…` or `IDENTITY (issuer ISSUER)`.
fn signer(v: &Verified) -> String {
    match (&v.key, &v.identity, &v.issuer) {
        (Some(key), _, _) => format!("key {key}"),
        (None, Some(id), Some(iss)) => format!("{id} (issuer {iss})"),
        (None, Some(id), None) => id.clone(),
        _ => "an unnamed signer".into(),
    }
}
