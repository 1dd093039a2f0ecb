//! The `azuredevops` format (Conftest's `output/azuredevops.go`): Azure Pipelines logging
//! commands, one section and group per result, then the summary.

use std::fmt::Write as _;

use super::{shown_name, summary, test_count};
use crate::conftest::result::{CheckResult, Totals};

pub(super) fn render(results: &[CheckResult]) -> String {
    let mut out = String::new();
    for result in results {
        let file = shown_name(&result.filename);
        let _ = writeln!(
            out,
            "##[section]Testing '{file}' against {} policies in namespace '{}'",
            test_count(result),
            result.namespace
        );
        out.push_str("##[group]See conftest results\n");
        // Exceptions are logged as warnings, as Conftest does.
        let issues = [
            ("error", &result.failures),
            ("warning", &result.warnings),
            ("warning", &result.exceptions),
        ];
        for (kind, outcomes) in issues {
            for outcome in outcomes {
                let _ = writeln!(
                    out,
                    "##vso[task.logissue type={kind}] file={file} --> {}",
                    outcome.message
                );
            }
        }
        for skipped in &result.skipped {
            let _ = writeln!(out, "skipped file={file} {}", skipped.message);
        }
        if result.successes > 0 {
            let _ = writeln!(out, "success file={file} {}", result.successes);
        }
        out.push_str("##[endgroup]\n");
    }
    out.push_str(&summary(&Totals::of(results), false));
    out.push('\n');
    out
}
