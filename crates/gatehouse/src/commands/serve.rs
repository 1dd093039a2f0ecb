//! `gatehouse serve [--listen ADDR] [--database URL] [--max-acceptance-days N]`: the findings
//! hub (DefectDojo-compatible API) and its expiry sweep. The default database is a SQLite file
//! under the user's data directory, created on first start. Exit codes: 0 after a clean shutdown (Ctrl-C), 2 on a bad address or database.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, anyhow};
use clap::Args;

use crate::report_error;

#[derive(Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR")]
    listen: String,
    /// Longest expiry a risk acceptance or false-positive mark may name (default expiry: 180
    /// days, or this when shorter). Expired ones are swept at start and every hour.
    #[arg(long, default_value_t = gatehouse_hub::triage::DEFAULT_MAX_DAYS, value_name = "DAYS")]
    max_acceptance_days: u32,
    #[command(flatten)]
    database: DatabaseArg,
}

/// `--database URL`, shared by the hub commands.
#[derive(Args)]
pub struct DatabaseArg {
    /// sqlite://PATH or postgres://USER@HOST:PORT/DB [default: sqlite file
    /// $XDG_DATA_HOME/gatehouse/hub.db or ~/.local/share/gatehouse/hub.db].
    #[arg(
        long,
        env = "GATEHOUSE_DATABASE",
        value_name = "URL",
        hide_env_values = true
    )]
    database: Option<String>,
}

impl DatabaseArg {
    /// The URL to open, creating the default file's directory when needed.
    pub fn url(&self) -> anyhow::Result<String> {
        if let Some(url) = self.database.as_ref().filter(|u| !u.is_empty()) {
            return Ok(url.clone());
        }
        let data = std::env::var_os("XDG_DATA_HOME")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
            .ok_or_else(|| {
                anyhow!("no data directory: set XDG_DATA_HOME or HOME, or pass --database URL")
            })?;
        let dir = data.join("gatehouse");
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        Ok(format!("sqlite://{}", dir.join("hub.db").display()))
    }
}

/// A multi-thread tokio runtime for the hub commands.
pub fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")
}

/// Ctrl-C, or SIGTERM from a process supervisor: finish in-flight requests, then stop.
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

pub fn run(args: ServeArgs) -> ExitCode {
    match execute(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            report_error(&err, None);
            ExitCode::from(2)
        }
    }
}

fn execute(args: ServeArgs) -> anyhow::Result<()> {
    let url = args.database.url()?;
    runtime()?.block_on(async {
        let policy = gatehouse_hub::triage::TriagePolicy::with_max_days(args.max_acceptance_days)?;
        let store = gatehouse_hub::Store::connect(&url)
            .await?
            .with_triage_policy(policy);
        let sweeper = tokio::spawn(gatehouse_hub::triage::sweep_forever(
            store.clone(),
            gatehouse_hub::triage::SWEEP_EVERY,
            |result| match result {
                Ok(expiry) if !expiry.risk_acceptances.is_empty() => eprintln!(
                    "expired {} risk acceptance(s), lifted the suppression of {} finding(s)",
                    expiry.risk_acceptances.len(),
                    expiry.lifted.len()
                ),
                Ok(_) => {}
                Err(e) => eprintln!("expiry sweep failed (retrying in an hour): {e}"),
            },
        ));
        let listener = tokio::net::TcpListener::bind(&args.listen)
            .await
            .with_context(|| format!("listening on {}", args.listen))?;
        eprintln!(
            "gatehouse hub listening on http://{} ({:?} database)",
            listener.local_addr()?,
            store.backend()
        );
        gatehouse_hub::api::serve(listener, store.clone(), shutdown_signal()).await?;
        sweeper.abort();
        store.close().await;
        Ok(())
    })
}
