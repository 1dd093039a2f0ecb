//! XML loader (Conftest `xml`, basgys/goxml2json shape).
//!
//! `{"root": {...}}`: attributes become `"-name"` keys, an element's text becomes `"#content"`
//! when it also has attributes or children (a plain string otherwise), repeated child names
//! become arrays, namespaces prefixes are dropped, and every value stays a string. Like
//! goxml2json, an element's text is its *last* text run, trimmed. Unlike goxml2json (which stops
//! silently at the first error), malformed XML is an error naming the line and column.

use std::collections::HashMap;

use quick_xml::XmlVersion;
use quick_xml::events::Event;
use quick_xml::reader::Reader;
use serde_json::{Map, Value};

use super::text::{strip_bom, utf8};
use super::{MAX_DEPTH, ParseError};

/// One element, namespace prefixes dropped.
#[derive(Debug, Default)]
pub(crate) struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Element>,
    /// goxml2json's `Data`: the last text token, trimmed.
    pub last_text: String,
    /// All text directly inside the element, concatenated and trimmed.
    pub text: String,
}

/// Parses a document into a synthetic root element whose children are the top-level elements.
pub(crate) fn parse_tree(file: &str, bytes: &[u8]) -> Result<Element, ParseError> {
    let text = utf8(file, strip_bom(bytes))?;
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<Element> = vec![Element::default()];
    // Text and entity references that form one run (one Go CharData token).
    let mut run = String::new();
    let mut in_run = false;
    let err_at = |reader: &Reader<&[u8]>, msg: String| {
        ParseError::at_offset(file, text.as_bytes(), reader_pos(reader), msg)
    };
    loop {
        let event = reader.read_event().map_err(|e| {
            let pos = usize::try_from(reader.error_position()).unwrap_or(0);
            ParseError::at_offset(file, text.as_bytes(), pos, e.to_string())
        })?;
        let is_text = matches!(event, Event::Text(_) | Event::GeneralRef(_));
        let is_empty = matches!(event, Event::Empty(_));
        if in_run && !is_text {
            if let Some(top) = stack.last_mut() {
                set_text(top, &run);
            }
            run.clear();
            in_run = false;
        }
        match event {
            Event::Start(start) | Event::Empty(start) => {
                if stack.len() > MAX_DEPTH {
                    return Err(err_at(
                        &reader,
                        format!("nesting deeper than {MAX_DEPTH} levels"),
                    ));
                }
                let mut el = Element {
                    name: start.local_name().as_ref().to_string(),
                    ..Element::default()
                };
                for attr in start.attributes() {
                    let attr = attr.map_err(|e| err_at(&reader, e.to_string()))?;
                    let value = attr
                        .normalized_value(XmlVersion::Implicit1_0)
                        .map_err(|e| err_at(&reader, e.to_string()))?;
                    el.attrs.push((
                        attr.key.local_name().as_ref().to_string(),
                        value.into_owned(),
                    ));
                }
                stack.push(el);
                if is_empty {
                    close(&mut stack);
                }
            }
            Event::End(_) => close(&mut stack),
            Event::Text(t) => {
                in_run = true;
                run.push_str(&t.xml10_content());
            }
            Event::GeneralRef(r) => {
                in_run = true;
                match r
                    .resolve_char_ref()
                    .map_err(|e| err_at(&reader, e.to_string()))?
                {
                    Some(c) => run.push(c),
                    None => {
                        let name = r.xml10_content();
                        let c = match name.as_ref() {
                            "lt" => '<',
                            "gt" => '>',
                            "amp" => '&',
                            "apos" => '\'',
                            "quot" => '"',
                            other => {
                                return Err(err_at(&reader, format!("unknown entity `&{other};`"))
                                    .with_help(
                                        "only the five predefined XML entities are expanded",
                                    ));
                            }
                        };
                        run.push(c);
                    }
                }
            }
            Event::CData(c) => {
                if let Some(top) = stack.last_mut() {
                    set_text(top, &c.xml10_content());
                }
            }
            Event::Eof => break,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
    if stack.len() > 1 {
        let name = stack.last().map(|e| e.name.clone()).unwrap_or_default();
        return Err(ParseError::at_offset(
            file,
            text.as_bytes(),
            text.len(),
            format!("unexpected end of file: element <{name}> is not closed"),
        ));
    }
    let root = stack.pop().unwrap_or_default();
    if root.children.is_empty() {
        return Err(ParseError::at_offset(
            file,
            text.as_bytes(),
            text.len(),
            "no XML element found",
        )
        .with_help("is this really XML? Use `--parser` to pick another format"));
    }
    Ok(root)
}

fn reader_pos(reader: &Reader<&[u8]>) -> usize {
    usize::try_from(reader.buffer_position()).unwrap_or(0)
}

fn set_text(el: &mut Element, raw: &str) {
    let trimmed = raw.trim_matches(|c: char| c.is_whitespace() || c.is_control());
    el.last_text = trimmed.to_string();
    if !trimmed.is_empty() {
        if !el.text.is_empty() {
            el.text.push(' ');
        }
        el.text.push_str(trimmed);
    }
}

fn close(stack: &mut Vec<Element>) {
    if stack.len() > 1 {
        if let Some(el) = stack.pop() {
            if let Some(parent) = stack.last_mut() {
                parent.children.push(el);
            }
        }
    }
}

pub(crate) fn parse(file: &str, bytes: &[u8]) -> Result<Value, ParseError> {
    let root = parse_tree(file, bytes)?;
    Ok(goxml2json(&root))
}

/// goxml2json's encoder: complex nodes (attributes or children) are objects.
fn goxml2json(el: &Element) -> Value {
    if el.attrs.is_empty() && el.children.is_empty() {
        return Value::String(el.last_text.clone());
    }
    // Group by label in first-seen order; attributes first, as goxml2json adds them first.
    let mut order: Vec<String> = Vec::new();
    let mut groups: HashMap<String, Vec<Value>> = HashMap::new();
    let mut add = |label: String, value: Value| {
        groups
            .entry(label.clone())
            .or_insert_with(|| {
                order.push(label);
                Vec::new()
            })
            .push(value);
    };
    for (name, value) in &el.attrs {
        add(format!("-{name}"), Value::String(value.clone()));
    }
    for child in &el.children {
        add(child.name.clone(), goxml2json(child));
    }
    let mut out = Map::new();
    if !el.last_text.is_empty() {
        out.insert("#content".to_string(), Value::String(el.last_text.clone()));
    }
    for label in order {
        let mut values = groups.remove(&label).unwrap_or_default();
        let value = if values.len() == 1 {
            values.pop().unwrap_or(Value::Null)
        } else {
            Value::Array(values)
        };
        out.insert(label, value);
    }
    Value::Object(out)
}
