//! The `sarif` format (Conftest's `output/sarif.go`): one SARIF 2.1.0 run from driver
//! `conftest`, with one rule per namespace and kind (`<ns>/deny`, `/warn`, `/allow`, `/success`,
//! `/skip`) and one result per failure, warning and exception; a result with neither failures nor
//! warnings also gets one `success` (or, with nothing passing, `skip`) result of level `none`.
//!
//! Built on gatehouse's typed SARIF structs and written compact, as Conftest writes it.

use std::collections::HashMap;

use gatehouse_model::report::sarif::{
    self, ArtifactLocation, Invocation, Level, Message, MultiformatMessageString, PhysicalLocation,
    Region, ReportingDescriptor, Run, SarifLog, Tool, ToolComponent,
};
use serde_json::Value;

use super::{RenderOptions, shown_name};
use crate::conftest::result::{CheckResult, Outcome, ResultLocation};

const TOOL_NAME: &str = "conftest";
const TOOL_URI: &str = "https://github.com/open-policy-agent/conftest";

const SUCCESS: &str = "Policy was satisfied successfully";
const SKIPPED: &str = "Policy check was skipped";

pub(super) fn render(results: &[CheckResult], options: &RenderOptions) -> String {
    let mut builder = RunBuilder::default();
    for result in results {
        let file = shown_name(&result.filename);
        for o in &result.failures {
            builder.add(&result.namespace, Kind::Deny, file, o);
        }
        for o in &result.warnings {
            builder.add(&result.namespace, Kind::Warn, file, o);
        }
        for o in &result.exceptions {
            builder.add(&result.namespace, Kind::Allow, file, o);
        }
        if !result.failures.is_empty() || !result.warnings.is_empty() {
            continue;
        }
        // Exceptions count as passing here, as in Conftest.
        let (kind, text) = if result.successes > 0 || !result.exceptions.is_empty() {
            (Kind::Success, SUCCESS)
        } else {
            (Kind::Skip, SKIPPED)
        };
        let mut metadata = serde_json::Map::new();
        metadata.insert("description".to_owned(), Value::String(text.to_owned()));
        let status = Outcome {
            message: text.to_owned(),
            metadata: Some(metadata),
            ..Outcome::default()
        };
        builder.add(&result.namespace, kind, file, &status);
    }

    let any = |f: fn(&CheckResult) -> bool| results.iter().any(f);
    let exit_description = if any(|r| !r.failures.is_empty()) {
        "Policy violations found"
    } else if any(|r| !r.warnings.is_empty()) {
        "Policy warnings found"
    } else {
        "No policy violations found"
    };

    let driver = ToolComponent {
        name: TOOL_NAME.to_owned(),
        version: Some(options.tool_version.clone()).filter(|v| !v.is_empty()),
        information_uri: Some(TOOL_URI.to_owned()),
        rules: builder.rules,
        ..ToolComponent::default()
    };
    let run = Run {
        tool: Tool {
            driver,
            ..Tool::default()
        },
        results: builder.results,
        invocations: vec![Invocation {
            execution_successful: true,
            exit_code: Some(options.exit_code),
            exit_code_description: Some(exit_description.to_owned()),
            ..Invocation::default()
        }],
        ..Run::default()
    };
    // Serializing cannot fail: every map key is a string and every number is finite or null.
    let mut out = serde_json::to_string(&SarifLog::new(vec![run])).unwrap_or_default();
    out.push('\n');
    out
}

#[derive(Clone, Copy)]
enum Kind {
    Deny,
    Warn,
    Allow,
    Success,
    Skip,
}

impl Kind {
    fn id_suffix(self) -> &'static str {
        match self {
            Kind::Deny => "deny",
            Kind::Warn => "warn",
            Kind::Allow => "allow",
            Kind::Success => "success",
            Kind::Skip => "skip",
        }
    }

    fn level(self) -> Level {
        match self {
            Kind::Deny => Level::Error,
            Kind::Warn => Level::Warning,
            Kind::Allow => Level::Note,
            Kind::Success | Kind::Skip => Level::None,
        }
    }

    fn description(self) -> &'static str {
        match self {
            Kind::Deny => "Policy violation",
            Kind::Warn => "Policy warning",
            Kind::Allow => "Policy exception",
            Kind::Success => SUCCESS,
            Kind::Skip => SKIPPED,
        }
    }
}

#[derive(Default)]
struct RunBuilder {
    rules: Vec<ReportingDescriptor>,
    index: HashMap<String, usize>,
    results: Vec<sarif::Result>,
}

impl RunBuilder {
    /// Adds one result, creating its rule on first use; the rule's properties are the metadata
    /// of the result that created it.
    fn add(&mut self, namespace: &str, kind: Kind, file: &str, outcome: &Outcome) {
        let rule_id = format!("{namespace}/{}", kind.id_suffix());
        let rule_index = match self.index.get(&rule_id) {
            Some(&index) => index,
            None => {
                let index = self.rules.len();
                self.rules.push(ReportingDescriptor {
                    id: rule_id.clone(),
                    short_description: Some(MultiformatMessageString::text(kind.description())),
                    properties: outcome.metadata.clone().unwrap_or_default(),
                    ..ReportingDescriptor::default()
                });
                self.index.insert(rule_id.clone(), index);
                index
            }
        };
        self.results.push(sarif::Result {
            rule_id,
            rule_index: Some(rule_index),
            level: Some(kind.level()),
            message: Message::text(outcome.message.clone()),
            locations: vec![location(file, outcome.location.as_ref())],
            ..sarif::Result::default()
        });
    }
}

/// The `_loc` position when the policy gave one, else the tested file.
fn location(file: &str, loc: Option<&ResultLocation>) -> sarif::Location {
    let (uri, region) = match loc {
        // SARIF lines start at 1; a line Conftest could not read is left out.
        Some(loc) => {
            let line = u32::try_from(loc.line).ok().filter(|&l| l >= 1);
            let region = line.map(|l| Region {
                start_line: Some(l),
                end_line: Some(l),
                ..Region::default()
            });
            (loc.file.as_str(), region)
        }
        None => (file, None),
    };
    sarif::Location {
        physical_location: Some(PhysicalLocation {
            artifact_location: Some(ArtifactLocation {
                uri: Some(uri.replace(std::path::MAIN_SEPARATOR, "/")),
                ..ArtifactLocation::default()
            }),
            region,
            ..PhysicalLocation::default()
        }),
        ..sarif::Location::default()
    }
}
