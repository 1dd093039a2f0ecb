//! `gatehouse key generate | import`: ECDSA P-256 key pairs in cosign's format
//! (`<prefix>.key` = `ENCRYPTED SIGSTORE PRIVATE KEY`, `<prefix>.pub` = PKIX `PUBLIC KEY`).
//!
//! The password comes from `GATEHOUSE_PASSWORD` (may be empty) or, on a terminal, a prompt.
//! Exit codes: 0 written, 2 usage or input error (existing output, wrong password, bad key file).

use std::io::{IsTerminal as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context as _, bail};
use clap::{Args, Subcommand};
use gatehouse_attest::KeyPair;
use zeroize::Zeroizing;

use crate::report_error;

/// Environment variable holding the key password (as `COSIGN_PASSWORD` does for cosign).
pub const PASSWORD_ENV: &str = "GATEHOUSE_PASSWORD";

#[derive(Args)]
pub struct KeyArgs {
    #[command(subcommand)]
    command: KeyCommand,
}

#[derive(Subcommand)]
enum KeyCommand {
    /// Generate an ECDSA P-256 key pair: <PREFIX>.key (encrypted, cosign format) and <PREFIX>.pub.
    Generate {
        #[command(flatten)]
        out: OutputArgs,
    },
    /// Import a private key (cosign's encrypted formats with either PEM label, or unencrypted
    /// PKCS#8 / SEC1 PEM) and write it as <PREFIX>.key (encrypted, SIGSTORE label) and
    /// <PREFIX>.pub. An encrypted KEY is decrypted and re-encrypted with the same password.
    Import {
        /// The key file to import.
        key: PathBuf,
        #[command(flatten)]
        out: OutputArgs,
    },
}

#[derive(Args)]
struct OutputArgs {
    /// Output file prefix: writes PREFIX.key and PREFIX.pub.
    #[arg(long, value_name = "PREFIX", default_value = "cosign")]
    output_key_prefix: PathBuf,
    /// Replace existing PREFIX.key / PREFIX.pub.
    #[arg(long)]
    force: bool,
    /// Write the private key UNENCRYPTED (PKCS#8 PEM). Only for throwaway test keys.
    #[arg(long)]
    unencrypted: bool,
    /// Output format.
    #[arg(short, long, value_enum, default_value = "text")]
    output: crate::commands::verify::Output,
}

pub fn run(args: KeyArgs) -> ExitCode {
    let result = match args.command {
        KeyCommand::Generate { out } => KeyPair::generate()
            .context("generating a key")
            .and_then(|key| write_pair(&key, &out)),
        KeyCommand::Import { key, out } => import(&key, &out),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            report_error(&err, None);
            ExitCode::from(2)
        }
    }
}

fn import(path: &Path, out: &OutputArgs) -> anyhow::Result<()> {
    let key = load_private_key(path)?;
    write_pair(&key, out)
}

/// Reads a private key file, asking for its password when it is encrypted.
pub fn load_private_key(path: &Path) -> anyhow::Result<KeyPair> {
    let pem = std::fs::read(path).with_context(|| format!("`{}`: cannot read", path.display()))?;
    let password = if KeyPair::is_encrypted_pem(&pem) {
        read_password(&format!("Enter password for {}: ", path.display()), false)?
    } else {
        Zeroizing::new(String::new())
    };
    KeyPair::from_pem(&pem, password.as_bytes()).with_context(|| format!("`{}`", path.display()))
}

fn write_pair(key: &KeyPair, out: &OutputArgs) -> anyhow::Result<()> {
    let key_path = with_suffix(&out.output_key_prefix, "key");
    let pub_path = with_suffix(&out.output_key_prefix, "pub");
    for p in [&key_path, &pub_path] {
        if p.exists() && !out.force {
            bail!(
                "`{}` already exists; choose another --output-key-prefix or pass --force",
                p.display()
            );
        }
    }
    let private = if out.unencrypted {
        key.to_unencrypted_pem()?
    } else {
        let password = read_password("Enter password for private key: ", true)?;
        Zeroizing::new(key.to_encrypted_pem(password.as_bytes())?)
    };
    write_private(&key_path, private.as_bytes())?;
    let public = key.public_key();
    std::fs::write(&pub_path, public.to_pem()?)
        .with_context(|| format!("`{}`: cannot write", pub_path.display()))?;
    let how = if out.unencrypted {
        "UNENCRYPTED"
    } else {
        "encrypted"
    };
    if out.output == crate::commands::verify::Output::Json {
        let json = serde_json::json!({
            "privateKey": key_path,
            "encrypted": !out.unencrypted,
            "publicKey": pub_path,
            "publicKeyDigest": public.fingerprint(),
        });
        outln!("{json}");
    } else {
        outln!("Private key written to {} ({how})", key_path.display());
        outln!(
            "Public key written to {} ({})",
            pub_path.display(),
            public.fingerprint()
        );
    }
    Ok(())
}

/// Private keys are created owner-only (0600 on Unix).
fn write_private(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .with_context(|| format!("`{}`: cannot write", path.display()))?;
    file.write_all(bytes)
        .with_context(|| format!("`{}`: cannot write", path.display()))
}

fn with_suffix(prefix: &Path, ext: &str) -> PathBuf {
    let mut s = prefix.as_os_str().to_owned();
    s.push(".");
    s.push(ext);
    PathBuf::from(s)
}

/// `GATEHOUSE_PASSWORD` if set (empty allowed), else a prompt on the terminal (twice when
/// `confirm`). Without either, an error that says what to set.
pub fn read_password(prompt: &str, confirm: bool) -> anyhow::Result<Zeroizing<String>> {
    if let Ok(p) = std::env::var(PASSWORD_ENV) {
        return Ok(Zeroizing::new(p));
    }
    if !std::io::stdin().is_terminal() {
        bail!(
            "no password: set {PASSWORD_ENV} (it may be empty) or run in a terminal to be prompted"
        );
    }
    let first = Zeroizing::new(rpassword::prompt_password(prompt).context("reading the password")?);
    if confirm {
        let again = Zeroizing::new(
            rpassword::prompt_password("Enter password for private key again: ")
                .context("reading the password")?,
        );
        if !gatehouse_attest::secrets_equal(first.as_bytes(), again.as_bytes()) {
            bail!("the two passwords differ; nothing was written");
        }
    }
    Ok(first)
}
