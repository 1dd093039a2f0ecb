//! One snapshot per format and option, all rendered from the shared fixture.

use gatehouse_policy::conftest::output::{OutputFormat, RenderOptions, render, render_trace};

use crate::fixture;

fn test_output(format: OutputFormat, options: &RenderOptions) -> String {
    render(format, &fixture::test_results(), options)
}

#[test]
fn stdout() {
    insta::assert_snapshot!(test_output(OutputFormat::Stdout, &fixture::options()));
}

#[test]
fn stdout_in_colour() {
    let options = RenderOptions {
        color: true,
        ..fixture::options()
    };
    insta::assert_snapshot!(test_output(OutputFormat::Stdout, &options));
}

#[test]
fn stdout_with_suppressed_exceptions() {
    let options = RenderOptions {
        suppress_exceptions: true,
        ..fixture::options()
    };
    insta::assert_snapshot!(test_output(OutputFormat::Stdout, &options));
}

#[test]
fn stdout_with_trace_prints_only_the_trace() {
    let options = RenderOptions {
        trace: true,
        ..fixture::options()
    };
    let output = test_output(OutputFormat::Stdout, &options);
    assert_eq!(output, render_trace(&fixture::test_results(), &options));
    insta::assert_snapshot!(output);
}

#[test]
fn json() {
    insta::assert_snapshot!(test_output(OutputFormat::Json, &fixture::options()));
}

#[test]
fn tap() {
    insta::assert_snapshot!(test_output(OutputFormat::Tap, &fixture::options()));
}

#[test]
fn table() {
    insta::assert_snapshot!(test_output(OutputFormat::Table, &fixture::options()));
}

#[test]
fn junit() {
    insta::assert_snapshot!(test_output(OutputFormat::Junit, &fixture::options()));
}

#[test]
fn junit_with_hidden_messages() {
    let options = RenderOptions {
        junit_hide_message: true,
        ..fixture::options()
    };
    insta::assert_snapshot!(test_output(OutputFormat::Junit, &options));
}

#[test]
fn github() {
    insta::assert_snapshot!(test_output(OutputFormat::Github, &fixture::options()));
}

#[test]
fn github_with_hidden_passes() {
    let options = RenderOptions {
        github_hide_passed: true,
        ..fixture::options()
    };
    insta::assert_snapshot!(test_output(OutputFormat::Github, &options));
}

#[test]
fn azuredevops() {
    insta::assert_snapshot!(test_output(OutputFormat::AzureDevops, &fixture::options()));
}

/// Conftest writes SARIF compact, on one line; the snapshot shows it indented.
#[test]
fn sarif() {
    let output = test_output(OutputFormat::Sarif, &fixture::options());
    assert!(
        output.ends_with("}\n") && output.lines().count() == 1,
        "compact, one line"
    );
    insta::assert_json_snapshot!(as_json(&output));
}

fn as_json(output: &str) -> serde_json::Value {
    serde_json::from_str(output).expect("SARIF output is JSON")
}

/// `verify` goes through the same renderers; stdout adds the skipped count.
#[test]
fn verify_in_every_format() {
    let options = RenderOptions {
        verify: true,
        exit_code: 1,
        ..fixture::options()
    };
    let results = fixture::verify_results();
    for format in OutputFormat::ALL {
        let name = format!("verify_{}", format.name());
        let output = render(format, &results, &options);
        match format {
            OutputFormat::Sarif => insta::assert_json_snapshot!(name, as_json(&output)),
            _ => insta::assert_snapshot!(name, output),
        }
    }
}

#[test]
fn no_results() {
    let options = RenderOptions {
        exit_code: 0,
        ..fixture::options()
    };
    let rendered: Vec<String> = OutputFormat::ALL
        .into_iter()
        .map(|format| format!("--- {}\n{}", format.name(), render(format, &[], &options)))
        .collect();
    insta::assert_snapshot!(rendered.join(""));
}
