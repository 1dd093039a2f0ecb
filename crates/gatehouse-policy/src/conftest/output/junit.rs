//! The `junit` format (Conftest's `output/junit.go`): the XML go-junit-report v0.9 writes, one
//! `testsuite` per namespace named `conftest.<ns>`, warnings and failures as `<failure>`,
//! skipped tests as `<skipped>`, passes as empty test cases; exceptions are not reported.
//!
//! Escaping follows Go's `encoding/xml` (`&#34;`, `&#39;`, `&#xA;`, ...), tab-indented.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::{RenderOptions, shown_name};
use crate::conftest::result::CheckResult;

enum Verdict<'a> {
    Pass,
    /// The failure body: the whole message.
    Fail(&'a str),
    /// The skip reason: the whole message.
    Skip(&'a str),
}

struct TestCase<'a> {
    name: String,
    verdict: Verdict<'a>,
}

pub(super) fn render(results: &[CheckResult], options: &RenderOptions) -> String {
    // Conftest groups through a Go map, so suite order is random there; here it is by name.
    let mut suites: BTreeMap<&str, Vec<TestCase<'_>>> = BTreeMap::new();
    for result in results {
        let file = shown_name(&result.filename);
        let name = |message: &str| {
            if options.junit_hide_message || message.is_empty() {
                file.to_owned()
            } else {
                let summary = message.split('\n').next().unwrap_or_default();
                format!("{file} - {summary}")
            }
        };
        let mut cases = Vec::new();
        for o in result.warnings.iter().chain(&result.failures) {
            cases.push(TestCase {
                name: name(&o.message),
                verdict: Verdict::Fail(&o.message),
            });
        }
        for o in &result.skipped {
            cases.push(TestCase {
                name: name(&o.message),
                verdict: Verdict::Skip(&o.message),
            });
        }
        for _ in 0..result.successes {
            cases.push(TestCase {
                name: name(""),
                verdict: Verdict::Pass,
            });
        }
        if !cases.is_empty() {
            suites.entry(&result.namespace).or_default().extend(cases);
        }
    }

    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    if suites.is_empty() {
        out.push_str("<testsuites></testsuites>\n");
        return out;
    }
    out.push_str("<testsuites>\n");
    for (namespace, cases) in suites {
        let suite = escape(&format!("conftest.{namespace}"));
        let failures = cases
            .iter()
            .filter(|c| matches!(c.verdict, Verdict::Fail(_)))
            .count();
        let _ = writeln!(
            out,
            "\t<testsuite tests=\"{}\" failures=\"{failures}\" time=\"0.000\" name=\"{suite}\">",
            cases.len()
        );
        out.push_str("\t\t<properties>\n");
        let _ = writeln!(
            out,
            "\t\t\t<property name=\"go.version\" value=\"{}\"></property>",
            escape(&options.junit_go_version)
        );
        out.push_str("\t\t</properties>\n");
        for case in cases {
            let _ = write!(
                out,
                "\t\t<testcase classname=\"{suite}\" name=\"{}\" time=\"0.000\">",
                escape(&case.name)
            );
            match case.verdict {
                Verdict::Pass => {}
                Verdict::Fail(body) => {
                    let _ = write!(
                        out,
                        "\n\t\t\t<failure message=\"Failed\" type=\"\">{}</failure>\n\t\t",
                        escape(body)
                    );
                }
                Verdict::Skip(reason) => {
                    let _ = write!(
                        out,
                        "\n\t\t\t<skipped message=\"{}\"></skipped>\n\t\t",
                        escape(reason)
                    );
                }
            }
            out.push_str("</testcase>\n");
        }
        out.push_str("\t</testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

/// Escapes text or an attribute value as Go's `encoding/xml` does: the five markup characters
/// as `&amp;`, `&lt;`, `&gt;`, `&#34;`, `&#39;`, tab and line breaks as character references,
/// and characters XML cannot carry as U+FFFD.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("&#34;"),
            '\'' => out.push_str("&#39;"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\t' => out.push_str("&#x9;"),
            '\n' => out.push_str("&#xA;"),
            '\r' => out.push_str("&#xD;"),
            c if is_xml_char(c) => out.push(c),
            _ => out.push('\u{FFFD}'),
        }
    }
    out
}

/// XML 1.0's `Char` production.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | ' '..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escapes_like_go_encoding_xml() {
        assert_eq!(
            escape("a \"b\" 'c' <d> & e"),
            "a &#34;b&#34; &#39;c&#39; &lt;d&gt; &amp; e"
        );
        assert_eq!(escape("l1\nl2\r\tx"), "l1&#xA;l2&#xD;&#x9;x");
        assert_eq!(escape("\u{1}\u{FFFE}ok"), "\u{FFFD}\u{FFFD}ok");
    }
}
