//! One module per top-level command, and the little they share.

pub mod attest;
pub mod check;
pub mod db;
pub mod image;
pub mod import;
pub mod key;
pub mod policy;
pub mod sbom;
pub mod scan;
pub mod serve;
pub mod token;
pub mod verify;

use std::path::{Path, PathBuf};

use anyhow::Context;
use gatehouse_model::{Finding, WaiverRules, Waivers};
use gatehouse_policy::check::waivers;
use gatehouse_sbom::source::registry::oci::Credentials;

/// The waivers file (`explicit`, else `.gatehouse/waivers.yaml` when present), validated
/// against `rules`; no file means no waivers.
pub(crate) fn load_waivers(
    explicit: Option<&Path>,
    rules: &WaiverRules,
) -> anyhow::Result<Waivers> {
    let path = explicit
        .map(Path::to_path_buf)
        .or_else(|| Some(PathBuf::from(".gatehouse/waivers.yaml")).filter(|p| p.exists()));
    match path {
        Some(p) => {
            let bytes = std::fs::read(&p).with_context(|| format!("reading {}", p.display()))?;
            Ok(waivers::load(&p.display().to_string(), &bytes, rules)?)
        }
        None => Ok(Waivers::new(Vec::new())),
    }
}

/// Applies `waivers` to `findings` and warns about expired and unused waivers on stderr.
pub(crate) fn apply_waivers(waivers: &Waivers, findings: &mut [Finding], rules: &WaiverRules) {
    let report = waivers.apply(findings, rules.today);
    for i in report.expired() {
        if let Some(w) = waivers.get(i) {
            eprintln!(
                "warning: waiver for {} expired on {} and no longer applies",
                w.matcher.rule, w.expires
            );
        }
    }
    for i in report.unmatched() {
        if let Some(w) = waivers.get(i) {
            eprintln!(
                "warning: waiver for {} matched no finding; remove it",
                w.matcher.rule
            );
        }
    }
}

/// Registry credentials for every command that talks to a registry: flags or environment, else
/// the Docker config file (`$DOCKER_CONFIG/config.json`, default `~/.docker/config.json`), else anonymous.
#[derive(clap::Args, Clone)]
pub(crate) struct RegistryArgs {
    /// Registry user name (basic auth, or for the registry's token service).
    #[arg(long, env = "GATEHOUSE_REGISTRY_USERNAME", requires = "password")]
    username: Option<String>,
    /// Registry password or access token for `--username`.
    #[arg(long, env = "GATEHOUSE_REGISTRY_PASSWORD", hide_env_values = true)]
    password: Option<String>,
    /// A ready bearer token for the registry.
    #[arg(
        long = "registry-token",
        env = "GATEHOUSE_REGISTRY_TOKEN",
        hide_env_values = true,
        conflicts_with = "username"
    )]
    registry_token: Option<String>,
}

impl RegistryArgs {
    /// The credentials for `registry`.
    pub(crate) fn credentials(&self, registry: &str) -> anyhow::Result<Credentials> {
        if let Some(token) = &self.registry_token {
            return Ok(Credentials::Bearer(token.clone()));
        }
        if let (Some(username), Some(password)) = (&self.username, &self.password) {
            return Ok(Credentials::Basic {
                username: username.clone(),
                password: password.clone(),
            });
        }
        let dir = std::env::var_os("DOCKER_CONFIG")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".docker")));
        if let Some(file) = dir.map(|d| d.join("config.json")).filter(|f| f.is_file()) {
            let bytes = std::fs::read(&file)
                .with_context(|| format!("`{}`: cannot read", file.display()))?;
            if let Some(c) =
                Credentials::from_docker_config(&file.display().to_string(), &bytes, registry)?
            {
                return Ok(c);
            }
        }
        Ok(Credentials::Anonymous)
    }
}
