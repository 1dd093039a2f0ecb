//! A synthesized evaluation trace. regorus records no OPA-style event trace, so `--trace` and
//! `verify --report` are rebuilt from line coverage: the rules a query entered, the lines it
//! evaluated, the line where a rule body stopped (a failed expression) and `trace()` notes.

use crate::engine::Policies;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TraceEvent {
    Enter(String),
    Eval(String),
    Fail(String),
    Note(String),
}

impl std::fmt::Display for TraceEvent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TraceEvent::Enter(rule) => write!(f, "Enter {rule}"),
            TraceEvent::Eval(expr) => write!(f, "| Eval {expr}"),
            TraceEvent::Fail(expr) => write!(f, "| Fail {expr}"),
            TraceEvent::Note(note) => write!(f, "| Note {note}"),
        }
    }
}

/// Events for one query, from the lines it covered in each policy file.
pub fn synthesize(policies: &Policies, coverage: &[(String, Vec<u32>)]) -> Vec<TraceEvent> {
    let mut events = Vec::new();
    for (file, lines) in coverage {
        let Some(module) = policies.modules.iter().find(|m| &m.file == file) else {
            continue;
        };
        for rule in &module.rules {
            let inside: Vec<usize> = lines
                .iter()
                .map(|&l| l as usize)
                .filter(|l| (rule.line..=rule.end_line).contains(l))
                .collect();
            let Some(&last) = inside.last() else {
                continue;
            };
            events.push(TraceEvent::Enter(format!(
                "data.{}.{}",
                module.package, rule.name
            )));
            for &line in &inside {
                let text = policies.source_line(file, line).unwrap_or_default().trim();
                if text.is_empty() {
                    continue;
                }
                events.push(TraceEvent::Eval(text.to_string()));
                if let Some(note) = trace_note(text) {
                    events.push(TraceEvent::Note(note));
                }
            }
            // Evaluation of a body stops at the first expression that fails: if code follows the
            // last covered line inside the rule, that line failed.
            let code_after = (last + 1..rule.end_line).any(|l| {
                policies
                    .source_line(file, l)
                    .map(str::trim)
                    .is_some_and(|t| !t.is_empty() && !t.starts_with('#') && t != "}")
            });
            if code_after {
                let text = policies.source_line(file, last).unwrap_or_default().trim();
                events.push(TraceEvent::Fail(text.to_string()));
            }
        }
    }
    events
}

/// `trace("text")` → `"text"` (string literals only).
fn trace_note(line: &str) -> Option<String> {
    let start = line.find("trace(")? + "trace(".len();
    let rest = line.get(start..)?;
    let end = rest.rfind(')')?;
    let arg = rest.get(..end)?.trim();
    (arg.starts_with('"') && arg.ends_with('"') && arg.len() >= 2).then(|| arg.to_string())
}
