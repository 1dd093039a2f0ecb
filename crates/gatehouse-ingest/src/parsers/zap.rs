//! `ZAP Scan`: OWASP ZAP's XML report (`OWASPZAPReport`).
//!
//! As in DefectDojo: one finding per alert item of each site, titled with the alert name;
//! `riskcode` 0..3 → Info/Low/Medium/High; the plugin id is the tool's rule id; instance URIs are
//! the endpoints. ZAP's HTML paragraphs become plain text.

use gatehouse_model::{Finding, Severity};

use crate::dojo::{self, DojoFinding};
use crate::xml::{self, Element};
use crate::{IngestError, Parser};

/// The `ZAP Scan` scan type.
#[derive(Debug, Clone, Copy, Default)]
pub struct Zap;

const HINT: &str = "is this ZAP's XML report (`-x report.xml`)?";

impl Parser for Zap {
    fn parse(&self, bytes: &[u8]) -> Result<Vec<Finding>, IngestError> {
        let root = xml::parse(bytes, HINT)?;
        if root.name != "OWASPZAPReport" {
            return Err(IngestError::shape(
                format!("<{}>", root.name),
                format!("expected <OWASPZAPReport>; {HINT}"),
            ));
        }
        let version = root.attr("version").map(str::to_owned);
        let mut out = Vec::new();
        for site in root.children("site") {
            for item in site
                .child("alerts")
                .into_iter()
                .flat_map(|a| a.children("alertitem"))
            {
                out.push(alert_finding(item));
            }
        }
        Ok(dojo::finish(out, "ZAP", version.as_deref()))
    }
}

fn alert_finding(item: &Element) -> DojoFinding {
    let text = |name: &str| item.text_at(&[name]);
    let risk = text("riskcode");
    let severity = match risk.as_deref() {
        Some("3") => Severity::High,
        Some("2") => Severity::Medium,
        Some("1") => Severity::Low,
        _ => Severity::Info,
    };
    let title = text("alert").or_else(|| text("name")).unwrap_or_default();
    let mut finding = DojoFinding::new(title, severity);
    finding.tool_severity = text("riskdesc").or(risk);
    finding.description = text("desc").map(|d| html_to_text(&d)).unwrap_or_default();
    if let Some(other) = text("otherinfo") {
        finding.description += &format!("\n\n**Other information:**\n{}", html_to_text(&other));
    }
    finding.mitigation = text("solution").map(|s| html_to_text(&s));
    finding.references = text("reference").map(|r| html_to_text(&r));
    finding.vuln_id_from_tool = text("pluginid");
    if let Some(cwe) = text("cweid").and_then(|c| c.parse::<u32>().ok()) {
        finding.add_cwe(cwe);
    }
    let confidence = match text("confidence").as_deref() {
        Some("3" | "4") => Some(1),
        Some("2") => Some(4),
        Some("0" | "1") => Some(7),
        _ => None,
    };
    finding.set_opt("scanner_confidence", confidence);
    let uris: Vec<String> = item
        .child("instances")
        .into_iter()
        .flat_map(|i| i.children("instance"))
        .filter_map(|instance| instance.text_at(&["uri"]))
        .collect();
    if !uris.is_empty() {
        finding.set(dojo::ENDPOINTS, uris);
    }
    finding.set(dojo::STATIC_FINDING, false);
    finding.set(dojo::DYNAMIC_FINDING, true);
    finding
}

/// ZAP's `<p>…</p>` paragraphs as lines; other tags dropped.
fn html_to_text(html: &str) -> String {
    let spaced = html
        .replace("</p><p>", "\n\n")
        .replace("<br>", "\n")
        .replace("<br/>", "\n");
    let mut out = String::with_capacity(spaced.len());
    let mut in_tag = false;
    for c in spaced.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.trim().to_owned()
}
