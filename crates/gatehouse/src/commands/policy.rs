//! `gatehouse policy test | verify | parse`: Conftest's commands, flags and exit codes.
//!
//! Exit codes follow Conftest, not the rest of gatehouse: `test` exits 1 on any failure or error,
//! 0 otherwise; with `--fail-on-warn` 2 on failures, 1 on warnings only; `--no-fail` always 0.
//! `verify` exits 1 when a test fails.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use clap::{ArgAction, ArgMatches, Args, Subcommand};
use gatehouse_policy::conftest::output::{self, OutputFormat, RenderOptions};
use gatehouse_policy::conftest::result::Totals;
use gatehouse_policy::conftest::{inputs, test, verify};
use gatehouse_policy::parser::Parser;
use gatehouse_policy::{EngineOptions, Policies, PolicyError, RegoVersion};

use crate::config::{ConfigFile, Layer};
use crate::report_error;

#[derive(Args)]
pub struct PolicyArgs {
    /// Configuration file (default: conftest.toml in the working directory).
    #[arg(short = 'c', long = "config-file", global = true)]
    config_file: Option<PathBuf>,
    #[command(subcommand)]
    command: PolicyCommand,
}

#[derive(Subcommand)]
enum PolicyCommand {
    /// Test configuration files against policies (`conftest test`).
    Test(TestArgs),
    /// Run Rego unit tests (`test_*` rules) in the policies (`conftest verify`).
    Verify(VerifyArgs),
    /// Print the parsed input as JSON (`conftest parse`).
    Parse(ParseArgs),
    /// Print the documentation of a built-in rule (by gatehouse id or Checkov id).
    Doc(DocArgs),
}

#[derive(Args)]
struct DocArgs {
    /// Rule id, e.g. GH-AZR-001 or CKV_AZURE_59.
    id: String,
}

/// Flags shared by `test` and `verify`.
#[derive(Args)]
struct EngineArgs {
    /// Where to find policies: directories (searched recursively for .rego files) or files.
    #[arg(
        short,
        long = "policy",
        env = "CONFTEST_POLICY",
        value_delimiter = ',',
        default_value = "policy"
    )]
    policy: Vec<String>,
    /// Data files or directories (JSON/YAML) loaded under `data`.
    #[arg(short, long = "data", env = "CONFTEST_DATA", value_delimiter = ',')]
    data: Vec<String>,
    /// Rego version of the policies: v0 or v1 (default: v1, with v0 modules detected and run).
    #[arg(long = "rego-version", env = "CONFTEST_REGO_VERSION")]
    rego_version: Option<String>,
    /// Strict compiler checks: unused variables and function arguments are errors.
    #[arg(long, env = "CONFTEST_STRICT", num_args = 0..=1, require_equals = true, default_missing_value = "true", action = ArgAction::Set, default_value_t = false, value_name = "BOOL", hide_default_value = true, hide_possible_values = true)]
    strict: bool,
    /// OPA capabilities file restricting the builtins policies may call.
    #[arg(long, env = "CONFTEST_CAPABILITIES")]
    capabilities: Option<String>,
    /// Builtin errors abort evaluation instead of being undefined.
    #[arg(long = "show-builtin-errors", env = "CONFTEST_SHOW_BUILTIN_ERRORS", num_args = 0..=1, require_equals = true, default_missing_value = "true", action = ArgAction::Set, default_value_t = false, value_name = "BOOL", hide_default_value = true, hide_possible_values = true)]
    show_builtin_errors: bool,
    /// Print a trace of the rules each query evaluated (best effort).
    #[arg(long, env = "CONFTEST_TRACE", num_args = 0..=1, require_equals = true, default_missing_value = "true", action = ArgAction::Set, default_value_t = false, value_name = "BOOL", hide_default_value = true, hide_possible_values = true)]
    trace: bool,
    /// Output format: stdout, json, tap, table, junit, github, azuredevops, sarif.
    #[arg(short, long, env = "CONFTEST_OUTPUT", default_value = "stdout")]
    output: String,
    /// Disable colours in the output.
    #[arg(long = "no-color", env = "CONFTEST_NO_COLOR", num_args = 0..=1, require_equals = true, default_missing_value = "true", action = ArgAction::Set, default_value_t = false, value_name = "BOOL", hide_default_value = true, hide_possible_values = true)]
    no_color: bool,
    /// Print nothing when the run passes.
    #[arg(long, env = "CONFTEST_QUIET", num_args = 0..=1, require_equals = true, default_missing_value = "true", action = ArgAction::Set, default_value_t = false, value_name = "BOOL", hide_default_value = true, hide_possible_values = true)]
    quiet: bool,
    /// JUnit test names are the file name only.
    #[arg(long = "junit-hide-message", env = "CONFTEST_JUNIT_HIDE_MESSAGE", num_args = 0..=1, require_equals = true, default_missing_value = "true", action = ArgAction::Set, default_value_t = false, value_name = "BOOL", hide_default_value = true, hide_possible_values = true)]
    junit_hide_message: bool,
    /// GitHub output omits files that only passed.
    #[arg(long = "github-hide-passed", env = "CONFTEST_GITHUB_HIDE_PASSED", num_args = 0..=1, require_equals = true, default_missing_value = "true", action = ArgAction::Set, default_value_t = false, value_name = "BOOL", hide_default_value = true, hide_possible_values = true)]
    github_hide_passed: bool,
    /// Time limit per query, in seconds (0 = none).
    #[arg(long, env = "GATEHOUSE_TIMEOUT", default_value_t = 60)]
    timeout: u64,
    /// Evaluation memory limit in MiB (0 = none).
    #[arg(
        long = "memory-limit",
        env = "GATEHOUSE_MEMORY_LIMIT",
        default_value_t = 0
    )]
    memory_limit: u64,
}

#[derive(Args)]
struct TestArgs {
    /// Files or directories to test; `-` reads stdin.
    #[arg(required = true)]
    files: Vec<String>,
    #[command(flatten)]
    engine: EngineArgs,
    /// Namespaces (Rego packages) to test; globs allowed.
    #[arg(
        short,
        long = "namespace",
        env = "CONFTEST_NAMESPACE",
        value_delimiter = ',',
        default_value = "main"
    )]
    namespace: Vec<String>,
    /// Test every namespace of the loaded policies.
    #[arg(long = "all-namespaces", env = "CONFTEST_ALL_NAMESPACES", num_args = 0..=1, require_equals = true, default_missing_value = "true", action = ArgAction::Set, default_value_t = false, value_name = "BOOL", hide_default_value = true, hide_possible_values = true)]
    all_namespaces: bool,
    /// Combine all inputs into one input evaluated once.
    #[arg(long, env = "CONFTEST_COMBINE", num_args = 0..=1, require_equals = true, default_missing_value = "true", action = ArgAction::Set, default_value_t = false, value_name = "BOOL", hide_default_value = true, hide_possible_values = true)]
    combine: bool,
    /// Parser for every input (json, yaml, hcl2, dockerfile, toml, ini, xml, ...).
    #[arg(long, short = 'i', visible_alias = "input", env = "CONFTEST_PARSER")]
    parser: Option<String>,
    /// Exit 1 on warnings and 2 on failures.
    #[arg(long = "fail-on-warn", env = "CONFTEST_FAIL_ON_WARN", num_args = 0..=1, require_equals = true, default_missing_value = "true", action = ArgAction::Set, default_value_t = false, value_name = "BOOL", hide_default_value = true, hide_possible_values = true)]
    fail_on_warn: bool,
    /// Exit 0 even when policies fail.
    #[arg(long = "no-fail", env = "CONFTEST_NO_FAIL", num_args = 0..=1, require_equals = true, default_missing_value = "true", action = ArgAction::Set, default_value_t = false, value_name = "BOOL", hide_default_value = true, hide_possible_values = true)]
    no_fail: bool,
    /// Hide exceptions in the stdout output (they are still counted).
    #[arg(long = "suppress-exceptions", env = "CONFTEST_SUPPRESS_EXCEPTIONS", num_args = 0..=1, require_equals = true, default_missing_value = "true", action = ArgAction::Set, default_value_t = false, value_name = "BOOL", hide_default_value = true, hide_possible_values = true)]
    suppress_exceptions: bool,
    /// Skip paths matching this regular expression while walking directories.
    #[arg(long, env = "CONFTEST_IGNORE")]
    ignore: Option<String>,
    /// File name to report (and detect the parser from) for stdin.
    #[arg(long = "stdin-filename", env = "CONFTEST_STDIN_FILENAME")]
    stdin_filename: Option<String>,
}

#[derive(Args)]
struct VerifyArgs {
    /// Accepted for Conftest compatibility and ignored.
    files: Vec<String>,
    #[command(flatten)]
    engine: EngineArgs,
    /// Only run tests in packages matching these names or globs.
    #[arg(short, long = "namespace", value_delimiter = ',')]
    namespace: Vec<String>,
    /// OPA-style report with -o stdout: full, fails or notes.
    #[arg(long)]
    report: Option<String>,
}

#[derive(Args)]
struct ParseArgs {
    /// Files to parse; `-` reads stdin.
    #[arg(required = true)]
    files: Vec<String>,
    /// Parser for every input.
    #[arg(long, short = 'i', visible_alias = "input", env = "CONFTEST_PARSER")]
    parser: Option<String>,
    /// Print the combined input (`[{path, contents}]`).
    #[arg(long, env = "CONFTEST_COMBINE", num_args = 0..=1, require_equals = true, default_missing_value = "true", action = ArgAction::Set, default_value_t = false, value_name = "BOOL", hide_default_value = true, hide_possible_values = true)]
    combine: bool,
}

pub fn run(args: PolicyArgs, matches: Option<&ArgMatches>) -> ExitCode {
    let sub = matches.and_then(|m| m.subcommand().map(|(_, s)| s));
    let outcome = ConfigFile::load(args.config_file.as_deref()).and_then(|file| {
        let layer = Layer {
            matches: sub,
            file: file.as_ref(),
        };
        match args.command {
            PolicyCommand::Test(a) => run_test(a, &layer),
            PolicyCommand::Verify(a) => run_verify(a, &layer),
            PolicyCommand::Parse(a) => run_parse(a, &layer),
            PolicyCommand::Doc(a) => run_doc(&a),
        }
    });
    match outcome {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            let help = err
                .downcast_ref::<PolicyError>()
                .and_then(PolicyError::help);
            report_error(&err, help);
            ExitCode::from(1)
        }
    }
}

impl EngineArgs {
    fn layer(&mut self, layer: &Layer) {
        layer.strings("policy", &mut self.policy);
        layer.strings("data", &mut self.data);
        layer.string("rego_version", &mut self.rego_version);
        layer.flag("strict", &mut self.strict);
        layer.string("capabilities", &mut self.capabilities);
        layer.flag("show_builtin_errors", &mut self.show_builtin_errors);
        layer.flag("trace", &mut self.trace);
        let mut output = None;
        layer.string("output", &mut output);
        if let Some(o) = output {
            self.output = o;
        }
        layer.flag("no_color", &mut self.no_color);
        layer.flag("quiet", &mut self.quiet);
        layer.flag("junit_hide_message", &mut self.junit_hide_message);
        layer.flag("github_hide_passed", &mut self.github_hide_passed);
    }

    fn load(&self) -> anyhow::Result<Policies> {
        let options = EngineOptions {
            rego_version: match &self.rego_version {
                Some(v) => RegoVersion::from_flag(v)?,
                None => RegoVersion::Auto,
            },
            timeout: (self.timeout > 0).then(|| Duration::from_secs(self.timeout)),
            memory_limit: (self.memory_limit > 0).then(|| self.memory_limit * 1024 * 1024),
            strict: self.strict,
            capabilities: self.capabilities.as_ref().map(PathBuf::from),
            show_builtin_errors: self.show_builtin_errors,
        };
        let policy: Vec<PathBuf> = self.policy.iter().map(PathBuf::from).collect();
        let data: Vec<PathBuf> = self.data.iter().map(PathBuf::from).collect();
        let policies = Policies::load(&policy, &data, &options)?;
        for w in &policies.warnings {
            eprintln!("warning: {w}");
        }
        Ok(policies)
    }

    fn render_options(&self, exit_code: i32) -> RenderOptions {
        RenderOptions {
            color: !self.no_color,
            junit_hide_message: self.junit_hide_message,
            github_hide_passed: self.github_hide_passed,
            trace: self.trace,
            exit_code,
            ..RenderOptions::default()
        }
    }
}

fn parser_flag(name: Option<&str>) -> anyhow::Result<Option<Parser>> {
    name.map(|n| Parser::from_name(n).map_err(|e| anyhow::anyhow!("{e}")))
        .transpose()
}

fn run_test(mut a: TestArgs, layer: &Layer) -> anyhow::Result<u8> {
    a.engine.layer(layer);
    layer.strings("namespace", &mut a.namespace);
    layer.flag("all_namespaces", &mut a.all_namespaces);
    layer.flag("combine", &mut a.combine);
    layer.string("parser", &mut a.parser);
    layer.flag("fail_on_warn", &mut a.fail_on_warn);
    layer.flag("no_fail", &mut a.no_fail);
    layer.flag("suppress_exceptions", &mut a.suppress_exceptions);
    layer.string("ignore", &mut a.ignore);

    let policies = a.engine.load()?;
    let input_options = inputs::InputOptions {
        parser: parser_flag(a.parser.as_deref())?,
        ignore: a
            .ignore
            .as_deref()
            .map(regex::Regex::new)
            .transpose()
            .context("invalid --ignore regular expression")?,
        stdin_filename: a.stdin_filename.clone(),
    };
    let files = inputs::collect(&a.files, &input_options)?;
    let options = test::TestOptions {
        namespaces: a.namespace.clone(),
        all_namespaces: a.all_namespaces,
        combine: a.combine,
        trace: a.engine.trace,
    };
    let results = test::run(&policies, &files, &options)?;
    let totals = Totals::of(&results);
    let code: u8 = if a.no_fail {
        0
    } else if a.fail_on_warn {
        if totals.failures > 0 {
            2
        } else if totals.warnings > 0 {
            1
        } else {
            0
        }
    } else {
        u8::from(totals.failures > 0)
    };
    if a.engine.quiet && code == 0 {
        return Ok(0);
    }
    let format = OutputFormat::from_name(&a.engine.output);
    if a.engine.trace && format != OutputFormat::Stdout {
        eprint!(
            "{}",
            output::render_trace(&results, &a.engine.render_options(0))
        );
    }
    let mut render = a.engine.render_options(i32::from(code));
    render.suppress_exceptions = a.suppress_exceptions;
    emit(&output::render(format, &results, &render));
    Ok(code)
}

fn run_verify(mut a: VerifyArgs, layer: &Layer) -> anyhow::Result<u8> {
    a.engine.layer(layer);
    let format = OutputFormat::from_name(&a.engine.output);
    let report = a
        .report
        .as_deref()
        .map(verify::Report::from_flag)
        .transpose()?;
    if report.is_some() && format != OutputFormat::Stdout {
        anyhow::bail!("report flag is supported with stdout only");
    }
    let policies = a.engine.load()?;
    let cases = verify::run(&policies, &a.namespace, a.engine.trace || report.is_some())?;
    let failed = cases
        .iter()
        .any(|c| matches!(c.status, verify::Status::Fail | verify::Status::Error(_)));
    let code = u8::from(failed);
    if a.engine.quiet && code == 0 {
        return Ok(0);
    }
    if let Some(report) = report {
        emit(&verify::render_report(&cases, report));
        return Ok(code);
    }
    let results = verify::to_results(&cases);
    let mut render = a.engine.render_options(i32::from(code));
    render.verify = true;
    emit(&output::render(format, &results, &render));
    Ok(code)
}

fn run_parse(mut a: ParseArgs, layer: &Layer) -> anyhow::Result<u8> {
    layer.string("parser", &mut a.parser);
    layer.flag("combine", &mut a.combine);
    let options = inputs::InputOptions {
        parser: parser_flag(a.parser.as_deref())?,
        ..inputs::InputOptions::default()
    };
    let files = inputs::collect(&a.files, &options)?;
    let mut parsed = Vec::new();
    for f in &files {
        parsed.push((f.name.clone(), f.parse()?));
    }
    let text = if a.combine {
        to_json(&inputs::combine(parsed), b"\t")
    } else if let [(_, value)] = parsed.as_slice() {
        to_json(value, b"  ")
    } else {
        let map: serde_json::Map<String, serde_json::Value> = parsed.into_iter().collect();
        to_json(&serde_json::Value::Object(map), b"  ")
    };
    emit(&format!("{text}\n"));
    Ok(0)
}

fn run_doc(a: &DocArgs) -> anyhow::Result<u8> {
    let library = gatehouse_policy::check::Library::load(&[], &EngineOptions::default())?;
    let rule = library.rule(&a.id).ok_or_else(|| {
        anyhow::anyhow!(
            "no rule {}: `gatehouse check --list-rules` lists them",
            a.id
        )
    })?;
    emit(&gatehouse_policy::check::metadata::render_doc(rule));
    Ok(0)
}

/// Writes to stdout; a closed pipe (`| head`) is not an error.
fn emit(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}

fn to_json(value: &serde_json::Value, indent: &[u8]) -> String {
    use serde::Serialize;
    let mut buf = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(
        &mut buf,
        serde_json::ser::PrettyFormatter::with_indent(indent),
    );
    if value.serialize(&mut ser).is_err() {
        return String::new();
    }
    String::from_utf8(buf).unwrap_or_default()
}
