//! A small XML tree over `quick-xml` for the XML reports (ZAP, Dependency-Check, CycloneDX):
//! local names (namespaces dropped), attributes, text, children; errors name line and column.
//! Only the five predefined entities and character references are expanded (no DTDs).

use quick_xml::XmlVersion;
use quick_xml::events::Event;
use quick_xml::reader::Reader;

use crate::IngestError;

/// Nesting deeper than this is rejected (no report needs it; it bounds memory and recursion).
const MAX_DEPTH: usize = 256;

/// One element.
#[derive(Debug, Clone, Default)]
pub(crate) struct Element {
    /// Local name, without namespace prefix.
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Element>,
    /// The text directly inside, concatenated (CDATA included), not trimmed.
    pub text: String,
}

impl Element {
    /// The first child named `name`.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// Every child named `name`.
    pub fn children<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The element at a path of child names.
    pub fn at(&self, path: &[&str]) -> Option<&Element> {
        path.iter()
            .try_fold(self, |element, name| element.child(name))
    }

    /// The trimmed text of the element at `path`, when non-empty.
    pub fn text_at(&self, path: &[&str]) -> Option<String> {
        self.at(path)
            .map(|e| e.text.trim().to_owned())
            .filter(|t| !t.is_empty())
    }

    /// An attribute's value.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

/// Parses a document and returns its root element.
pub(crate) fn parse(bytes: &[u8], hint: &str) -> Result<Element, IngestError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes)
        .map_err(|e| at(bytes, e.valid_up_to(), "invalid UTF-8".to_owned(), hint))?;
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<Element> = vec![Element::default()];
    let fail = |offset: u64, message: String| {
        at(bytes, usize::try_from(offset).unwrap_or(0), message, hint)
    };
    loop {
        let event = reader
            .read_event()
            .map_err(|e| fail(reader.error_position(), e.to_string()))?;
        let position = reader.buffer_position();
        let is_empty = matches!(event, Event::Empty(_));
        match event {
            Event::Start(start) | Event::Empty(start) => {
                if stack.len() > MAX_DEPTH {
                    return Err(fail(
                        position,
                        format!("nesting deeper than {MAX_DEPTH} levels"),
                    ));
                }
                let mut element = Element {
                    name: start.local_name().as_ref().to_owned(),
                    ..Element::default()
                };
                for attr in start.attributes() {
                    let attr = attr.map_err(|e| fail(position, e.to_string()))?;
                    let value = attr
                        .normalized_value(XmlVersion::Implicit1_0)
                        .map_err(|e| fail(position, e.to_string()))?;
                    element.attrs.push((
                        attr.key.local_name().as_ref().to_owned(),
                        value.into_owned(),
                    ));
                }
                stack.push(element);
                if is_empty {
                    close(&mut stack);
                }
            }
            Event::End(_) => close(&mut stack),
            Event::Text(t) => push_text(&mut stack, &t.xml10_content()),
            Event::CData(c) => push_text(&mut stack, &c.xml10_content()),
            Event::GeneralRef(r) => {
                let resolved = match r
                    .resolve_char_ref()
                    .map_err(|e| fail(position, e.to_string()))?
                {
                    Some(c) => c,
                    None => match r.xml10_content().as_ref() {
                        "lt" => '<',
                        "gt" => '>',
                        "amp" => '&',
                        "apos" => '\'',
                        "quot" => '"',
                        other => return Err(fail(position, format!("unknown entity `&{other};`"))),
                    },
                };
                push_text(&mut stack, &resolved.to_string());
            }
            Event::Eof => break,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
    if stack.len() > 1 {
        let name = stack.last().map(|e| e.name.clone()).unwrap_or_default();
        return Err(at(
            bytes,
            bytes.len(),
            format!("unexpected end of file: <{name}> is not closed"),
            hint,
        ));
    }
    let root = stack.pop().unwrap_or_default();
    root.children
        .into_iter()
        .next()
        .ok_or_else(|| at(bytes, bytes.len(), "no XML element found".to_owned(), hint))
}

fn push_text(stack: &mut [Element], text: &str) {
    if let Some(top) = stack.last_mut() {
        top.text.push_str(text);
    }
}

fn close(stack: &mut Vec<Element>) {
    if stack.len() > 1
        && let Some(element) = stack.pop()
        && let Some(parent) = stack.last_mut()
    {
        parent.children.push(element);
    }
}

/// A syntax error at a byte offset, as line and column.
fn at(bytes: &[u8], offset: usize, message: String, hint: &str) -> IngestError {
    let prefix = bytes.get(..offset.min(bytes.len())).unwrap_or_default();
    let line = prefix.iter().filter(|b| **b == b'\n').count() + 1;
    let column = prefix.iter().rev().take_while(|b| **b != b'\n').count() + 1;
    IngestError::Syntax {
        line,
        column,
        message,
        hint: Some(hint.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tree_text_and_entities() {
        let root = parse(b"<a x='1'><b>t &amp; <![CDATA[c]]></b><c/></a>", "").unwrap_or_default();
        assert_eq!(root.attr("x"), Some("1"));
        assert_eq!(root.text_at(&["b"]).as_deref(), Some("t & c"));
        assert!(root.child("c").is_some());
    }

    #[test]
    fn errors_name_the_line() {
        let error = parse(b"<a>\n<b></a>", "hint")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(error.starts_with("line 2, column"), "{error}");
    }
}
