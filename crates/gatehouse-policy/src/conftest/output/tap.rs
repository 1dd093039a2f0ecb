//! The `tap` format (Conftest's `output/tap.go`): one TAP plan per result, failures first, then
//! `# warnings`, `# exceptions`, `# skip` and `# successes` sections.

use std::fmt::Write as _;

use super::{shown_name, test_count};
use crate::conftest::result::CheckResult;

pub(super) fn render(results: &[CheckResult]) -> String {
    let mut out = String::new();
    for result in results {
        let total = test_count(result);
        // Conftest stops at the first result without tests, dropping the ones after it.
        if total == 0 {
            break;
        }
        let file = match shown_name(&result.filename) {
            "-" => "-".to_owned(),
            name => format!("- {name}"),
        };
        let namespace = match result.namespace.as_str() {
            "-" => "-".to_owned(),
            ns => format!("- {ns} -"),
        };
        let mut counter = 1;
        let mut line = |out: &mut String, status: &str, message: &str| {
            let _ = writeln!(out, "{status} {counter} {file} {namespace} {message}");
            counter += 1;
        };

        let _ = writeln!(out, "1..{total}");
        for failure in &result.failures {
            line(&mut out, "not ok", &failure.message);
        }
        let sections = [
            ("# warnings", "not ok", &result.warnings),
            ("# exceptions", "ok", &result.exceptions),
            ("# skip", "ok", &result.skipped),
        ];
        for (header, status, outcomes) in sections {
            if !outcomes.is_empty() {
                out.push_str(header);
                out.push('\n');
                for outcome in outcomes {
                    line(&mut out, status, &outcome.message);
                }
            }
        }
        if result.successes > 0 {
            out.push_str("# successes\n");
            for _ in 0..result.successes {
                line(&mut out, "ok", "SUCCESS");
            }
        }
    }
    out
}
