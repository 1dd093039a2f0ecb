//! `gatehouse import FILE --scan-type T --product P [--engagement E]`: imports a scanner report
//! into the embedded hub database, or with `--url URL --token KEY` into a running hub through
//! its DefectDojo-compatible API. Prints the import statistics as JSON.
//! Exit codes: 0 imported, 2 usage or input error (unreadable or malformed file, unknown scan
//! type, rejected request, unreachable hub).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, anyhow};
use clap::Args;
use gatehouse_hub::client::{self, MultipartBody};
use gatehouse_hub::store::context::Target;
use gatehouse_hub::{HubError, ImportRequest, Mode, Store};

use crate::commands::serve::{DatabaseArg, runtime};
use crate::report_error;

#[derive(Args)]
pub struct ImportArgs {
    /// The scanner report.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// DefectDojo scan type of the report (e.g. "SARIF", "Trivy Scan").
    #[arg(long, value_name = "T")]
    scan_type: String,
    /// Product (created when missing).
    #[arg(long, value_name = "P")]
    product: String,
    /// Engagement in the product (created when missing).
    #[arg(long, value_name = "E", default_value = "CI/CD")]
    engagement: String,
    /// Product type for a new product.
    #[arg(long, value_name = "PT", default_value = "gatehouse")]
    product_type: String,
    /// A running hub (http://HOST:PORT) instead of the embedded database.
    #[arg(long, value_name = "URL", requires = "token")]
    url: Option<String>,
    /// API token for --url (`gatehouse token create`).
    #[arg(
        long,
        env = "GATEHOUSE_TOKEN",
        value_name = "KEY",
        hide_env_values = true
    )]
    token: Option<String>,
    #[command(flatten)]
    database: DatabaseArg,
}

pub fn run(args: ImportArgs) -> ExitCode {
    match execute(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            report_error(&err, None);
            ExitCode::from(2)
        }
    }
}

fn execute(args: ImportArgs) -> anyhow::Result<()> {
    let bytes =
        std::fs::read(&args.file).with_context(|| format!("reading {}", args.file.display()))?;
    let file_name = args
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "report".to_owned());
    let runtime = runtime()?;
    let summary = if let Some(url) = &args.url {
        let form = MultipartBody::default()
            .text("scan_type", &args.scan_type)
            .text("product_type_name", &args.product_type)
            .text("product_name", &args.product)
            .text("engagement_name", &args.engagement)
            .text("auto_create_context", "true")
            .file("file", &file_name, &bytes);
        let response = runtime.block_on(client::post_form(
            url,
            "/api/v2/import-scan/",
            args.token.as_deref(),
            form,
        ))?;
        if response.status != 201 {
            return Err(anyhow!(
                "the hub answered HTTP {}: {}",
                response.status,
                response.body
            ));
        }
        response.body
    } else {
        let findings = Store::parse(&args.scan_type, &bytes).map_err(|e| match e {
            HubError::Report(message) => {
                anyhow!(
                    "{}: {message} (is it a `{}` report?)",
                    args.file.display(),
                    args.scan_type
                )
            }
            other => anyhow!(other),
        })?;
        let url = args.database.url()?;
        let request = ImportRequest {
            scan_type: args.scan_type.clone(),
            target: Target {
                product_type_name: Some(args.product_type.clone()),
                product_name: Some(args.product.clone()),
                engagement_name: Some(args.engagement.clone()),
                auto_create_context: true,
                ..Target::default()
            },
            user: "cli".to_owned(),
            ..ImportRequest::default()
        };
        let outcome = runtime.block_on(async {
            let store = Store::connect(&url).await?;
            let outcome = store.import(Mode::Import, &request, findings).await;
            store.close().await;
            outcome
        })?;
        serde_json::json!({
            "test_id": outcome.test_id,
            "engagement_id": outcome.engagement_id,
            "product_id": outcome.product_id,
            "statistics": outcome.statistics,
        })
    };
    outln!("{}", serde_json::to_string_pretty(&summary)?);
    Ok(())
}
