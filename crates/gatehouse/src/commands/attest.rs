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
