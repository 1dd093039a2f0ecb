//! `gatehouse check`: the built-in misconfiguration gate. Exit codes: 0 pass, 1 a finding at or
//! above `--fail-on` that no waiver covers, 2 usage, input or configuration error.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use gatehouse_model::report::Format;
use gatehouse_model::{CodeOwners, Severity, WaiverRules};
use gatehouse_policy::check::{Library, target};
use gatehouse_policy::{EngineOptions, PolicyError};

use crate::report_error;

#[derive(Args)]
pub struct CheckArgs {
    /// Files or directories: Terraform plans (JSON), .tf files, Kubernetes YAML, Dockerfiles.
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,
    /// Directories of custom Rego rules with METADATA annotations, evaluated with the built-ins.
    #[arg(short, long)]
    policy: Vec<PathBuf>,
    /// Fail on findings of this severity or higher: critical, high, medium, low, info, none.
    #[arg(
        long = "fail-on",
        visible_alias = "hard-fail-on",
        default_value = "high"
    )]
    fail_on: String,
    /// Checkov's soft fail: report everything, never fail the gate.
    #[arg(long = "soft-fail")]
    soft_fail: bool,
    /// Rule ids (or Checkov ids) that never fail the gate (Checkov's --soft-fail-on).
    #[arg(long = "soft-fail-on", value_delimiter = ',')]
    soft_fail_on: Vec<String>,
    /// Waivers file (default: .gatehouse/waivers.yaml when present).
    #[arg(long)]
    waivers: Option<PathBuf>,
    /// Longest allowed waiver, in days from today.
    #[arg(long = "waiver-max-days", default_value_t = WaiverRules::DEFAULT_MAX_HORIZON_DAYS)]
    waiver_max_days: u32,
    /// CODEOWNERS file (default: .github/CODEOWNERS, CODEOWNERS or docs/CODEOWNERS).
    #[arg(long)]
    codeowners: Option<PathBuf>,
    /// Directory of the .tf files behind a plan (default: the plan's directory).
    #[arg(long = "tf-root")]
    tf_root: Option<PathBuf>,
    /// Output format: table, json, sarif, junit, github.
    #[arg(short, long, default_value = "table")]
    output: String,
    /// Write the report to this file instead of stdout.
    #[arg(long = "output-file")]
    output_file: Option<PathBuf>,
    /// List the rules instead of checking (`-o json` for machines).
    #[arg(long = "list-rules")]
    list_rules: bool,
}

pub fn run(args: CheckArgs) -> ExitCode {
    match check(args) {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            let help = err
                .downcast_ref::<PolicyError>()
                .and_then(PolicyError::help);
            report_error(&err, help);
            ExitCode::from(2)
        }
    }
}

fn check(args: CheckArgs) -> anyhow::Result<u8> {
    let library = Library::load(&args.policy, &EngineOptions::default())?;
    if args.list_rules {
        return list_rules(&library, &args.output);
    }
    let format: Format = args.output.parse()?;
    let threshold = match args.fail_on.to_ascii_lowercase().as_str() {
        "none" | "off" => None,
        word => Some(
            word.parse::<Severity>()
                .map_err(|e| anyhow::anyhow!("--fail-on: {e}"))?,
        ),
    };
    let today = chrono::Local::now().date_naive();
    let rules = WaiverRules {
        today,
        max_horizon_days: args.waiver_max_days,
    };
    let waivers = super::load_waivers(args.waivers.as_deref(), &rules)?;
    let owners = load_codeowners(args.codeowners.as_deref())?;

    let targets = target::discover(&args.paths, args.tf_root.as_deref())?;
    let mut findings = library.check(&targets)?;
    if let Some(owners) = &owners {
        owners.assign(&mut findings);
    }
    super::apply_waivers(&waivers, &mut findings, &rules);
    for f in &mut findings {
        f.ensure_fingerprint();
    }
    let rendered = format.render(&findings);
    match &args.output_file {
        Some(path) => {
            std::fs::write(path, rendered).with_context(|| format!("writing {}", path.display()))?
        }
        None => out!("{rendered}"),
    }
    let gate_failed = !args.soft_fail
        && findings.iter().any(|f| {
            !f.is_suppressed()
                && threshold.is_some_and(|t| f.severity >= t)
                && !args.soft_fail_on.iter().any(|id| {
                    id.eq_ignore_ascii_case(&f.rule_id)
                        || f.properties
                            .get("checkov")
                            .and_then(|c| c.as_str())
                            .is_some_and(|c| c.eq_ignore_ascii_case(id))
                })
        });
    eprintln!(
        "{} target(s), {} rule(s), {} finding(s), {} waived{}",
        targets.len(),
        library.rules().len(),
        findings.len(),
        findings.iter().filter(|f| f.is_suppressed()).count(),
        if gate_failed { ": gate failed" } else { "" }
    );
    Ok(u8::from(gate_failed))
}

fn load_codeowners(explicit: Option<&Path>) -> anyhow::Result<Option<CodeOwners>> {
    let path = match explicit {
        Some(p) => Some(p.to_path_buf()),
        None => [".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"]
            .iter()
            .map(PathBuf::from)
            .find(|p| p.exists()),
    };
    let Some(path) = path else { return Ok(None) };
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let owners =
        CodeOwners::parse(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    Ok(Some(owners))
}

fn list_rules(library: &Library, output: &str) -> anyhow::Result<u8> {
    if output == "json" {
        outln!("{}", serde_json::to_string_pretty(library.rules())?);
        return Ok(0);
    }
    for r in library.rules() {
        outln!(
            "{:<12} {:<9} {:<10} {:<14} {}",
            r.id,
            r.severity.to_string(),
            format!("{:?}", r.input).to_lowercase(),
            r.checkov.as_deref().unwrap_or("-"),
            r.title
        );
    }
    Ok(0)
}
