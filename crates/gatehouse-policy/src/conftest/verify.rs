//! `policy verify`: Rego unit tests. Every rule named `test_*` passes when it evaluates to a
//! defined, non-false value; `todo_test_*` rules are skipped. One result per test, under the
//! test's `.rego` file, as Conftest reports them.

use std::time::{Duration, Instant};

use super::result::{CheckResult, Outcome};
use super::rules;
use crate::engine::Policies;
use crate::error::PolicyError;
use crate::trace::{self, TraceEvent};

/// One executed (or skipped) test.
#[derive(Clone, Debug)]
pub struct TestCase {
    pub file: String,
    pub package: String,
    pub name: String,
    pub status: Status,
    pub duration: Duration,
    /// `print` output.
    pub notes: Vec<String>,
    /// Synthesized trace (only when tracing was asked for).
    pub trace: Vec<TraceEvent>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    Pass,
    Fail,
    Skip,
    /// The test errored; the message says why.
    Error(String),
}

/// Runs every test whose package matches one of `namespaces` (globs; empty = all).
pub fn run(
    policies: &Policies,
    namespaces: &[String],
    tracing: bool,
) -> Result<Vec<TestCase>, PolicyError> {
    let mut ev = policies.evaluator();
    ev.set_input(serde_json::Value::Null);
    if tracing {
        ev.enable_coverage();
    }
    let mut seen = std::collections::BTreeSet::new();
    let mut cases = Vec::new();
    for module in &policies.modules {
        if !namespaces.is_empty()
            && !namespaces
                .iter()
                .any(|n| n == &module.package || rules::glob_match(n, &module.package))
        {
            continue;
        }
        for rule in &module.rules {
            let skip = rule.name.starts_with("todo_test_");
            if !(rule.name.starts_with("test_") || skip) {
                continue;
            }
            if !seen.insert((module.package.clone(), rule.name.clone())) {
                continue;
            }
            let query = format!("data.{}.{}", module.package, rule.name);
            let started = Instant::now();
            let status = if skip {
                Status::Skip
            } else {
                match ev.eval_rule(&module.file, &query) {
                    Ok(Some(serde_json::Value::Bool(false)) | None) => Status::Fail,
                    Ok(Some(_)) => Status::Pass,
                    Err(PolicyError::Eval { message, .. }) => Status::Error(message),
                    Err(e) => return Err(e),
                }
            };
            cases.push(TestCase {
                file: module.file.clone(),
                package: module.package.clone(),
                name: rule.name.clone(),
                status,
                duration: started.elapsed(),
                notes: ev.take_prints(),
                trace: if tracing {
                    trace::synthesize(policies, &ev.take_coverage())
                } else {
                    Vec::new()
                },
            });
        }
    }
    cases.sort_by(|a, b| (&a.file, &a.package, &a.name).cmp(&(&b.file, &b.package, &b.name)));
    Ok(cases)
}

/// Conftest's view of test cases: one `CheckResult` per test.
pub fn to_results(cases: &[TestCase]) -> Vec<CheckResult> {
    cases
        .iter()
        .map(|c| {
            let query = format!("data.{}.{}", c.package, c.name);
            let outcome = || Outcome {
                message: query.clone(),
                ..Outcome::default()
            };
            let mut r = CheckResult {
                filename: c.file.clone(),
                namespace: c.package.clone(),
                outputs: c.notes.clone(),
                traces: c.trace.iter().map(ToString::to_string).collect(),
                ..CheckResult::default()
            };
            match &c.status {
                Status::Pass => r.successes = 1,
                Status::Fail => r.failures.push(outcome()),
                Status::Error(e) => r.failures.push(Outcome {
                    message: format!("{query}: {e}"),
                    ..Outcome::default()
                }),
                Status::Skip => r.skipped.push(outcome()),
            }
            r
        })
        .collect()
}

/// Which tests `--report` lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Report {
    Full,
    Fails,
    Notes,
}

impl Report {
    pub fn from_flag(value: &str) -> Result<Self, PolicyError> {
        match value {
            "full" => Ok(Report::Full),
            "fails" => Ok(Report::Fails),
            "notes" => Ok(Report::Notes),
            other => Err(PolicyError::Usage(format!(
                "invalid --report value {other:?}: use full, fails or notes"
            ))),
        }
    }
}

/// OPA's `opa test -v` style report: failures with their (filtered) trace, then every test.
pub fn render_report(cases: &[TestCase], report: Report) -> String {
    let rule = "-".repeat(80);
    let mut out = String::new();
    let failed: Vec<&TestCase> = cases
        .iter()
        .filter(|c| matches!(c.status, Status::Fail | Status::Error(_)))
        .collect();
    if !failed.is_empty() {
        out.push_str(&format!("FAILURES\n{rule}\n"));
        for c in &failed {
            out.push_str(&format!(
                "data.{}.{}: FAIL ({:?})\n\n",
                c.package, c.name, c.duration
            ));
            if let Status::Error(e) = &c.status {
                out.push_str(&format!("  {e}\n"));
            }
            for event in &c.trace {
                let shown = matches!(
                    (report, event),
                    (Report::Full, _)
                        | (Report::Fails, TraceEvent::Fail(_))
                        | (Report::Notes, TraceEvent::Note(_))
                );
                if shown {
                    out.push_str(&format!("  {event}\n"));
                }
            }
            out.push('\n');
        }
        out.push_str(&format!("SUMMARY\n{rule}\n"));
    }
    let mut current_file = "";
    for c in cases {
        if c.file != current_file {
            if !current_file.is_empty() {
                out.push('\n');
            }
            out.push_str(&format!("{}:\n", c.file));
            current_file = &c.file;
        }
        let word = match c.status {
            Status::Pass => "PASS",
            Status::Fail => "FAIL",
            Status::Skip => "SKIPPED",
            Status::Error(_) => "ERROR",
        };
        out.push_str(&format!(
            "data.{}.{}: {word} ({:?})\n",
            c.package, c.name, c.duration
        ));
        for n in &c.notes {
            out.push_str(&format!("  {n}\n"));
        }
    }
    out.push_str(&format!("{rule}\n"));
    let total = cases.len();
    let count = |f: fn(&Status) -> bool| cases.iter().filter(|c| f(&c.status)).count();
    let pass = count(|s| *s == Status::Pass);
    let fail = count(|s| *s == Status::Fail);
    let skip = count(|s| *s == Status::Skip);
    let error = count(|s| matches!(s, Status::Error(_)));
    for (word, n) in [
        ("PASS", pass),
        ("FAIL", fail),
        ("SKIPPED", skip),
        ("ERROR", error),
    ] {
        if n > 0 {
            out.push_str(&format!("{word}: {n}/{total}\n"));
        }
    }
    out
}
