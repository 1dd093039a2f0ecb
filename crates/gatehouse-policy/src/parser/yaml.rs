//! YAML loader (Conftest `yaml`, sigs.k8s.io/yaml over go-yaml v2).
//!
//! The file is split on lines that are exactly `---` (CRLF if the file contains any CRLF); more
//! than one part gives a JSON array of documents (an empty part is `null`), one part gives that
//! document. Within a part only the first document is read, like `yaml.Unmarshal`. Events come
//! from yaml-rust2 with their positions, are built into a small node tree (anchors are shared,
//! not copied) and then resolved with go-yaml v2's YAML 1.1 rules in [`super::yaml_resolve`].

use std::collections::HashMap;
use std::rc::Rc;

use serde_json::Value;
use yaml_rust2::parser::{Event, Parser as EventParser, Tag};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use super::text::{strip_bom, utf8};
use super::yaml_resolve::Converter;
use super::{MAX_DEPTH, ParseError, SourceMap};

/// A YAML node with the 1-based line where it starts (relative to the whole file).
#[derive(Debug)]
pub(crate) enum Node {
    Scalar {
        value: String,
        style: TScalarStyle,
        tag: Option<Tag>,
        line: usize,
        column: usize,
    },
    Seq {
        items: Vec<Rc<Node>>,
        line: usize,
    },
    Map {
        entries: Vec<(Rc<Node>, Rc<Node>)>,
        line: usize,
    },
    Alias {
        target: Rc<Node>,
        line: usize,
    },
}

impl Node {
    pub(crate) fn line(&self) -> usize {
        match self {
            Node::Scalar { line, .. }
            | Node::Seq { line, .. }
            | Node::Map { line, .. }
            | Node::Alias { line, .. } => *line,
        }
    }

    /// Follows aliases to the anchored node.
    pub(crate) fn resolved(&self) -> &Node {
        let mut n = self;
        while let Node::Alias { target, .. } = n {
            n = target;
        }
        n
    }
}

pub(crate) fn parse(
    file: &str,
    bytes: &[u8],
    mut map: Option<&mut SourceMap>,
) -> Result<Value, ParseError> {
    let text = utf8(file, strip_bom(bytes))?;
    let parts = split_documents(text);
    if parts.len() <= 1 {
        let doc = parse_document(file, text, 0)?;
        let mut conv = Converter::new(file, doc.1, map);
        return match doc.0 {
            Some(node) => conv.convert_root(&node, ""),
            None => Ok(Value::Null),
        };
    }
    let mut docs = Vec::with_capacity(parts.len());
    for (index, (offset, part)) in parts.iter().enumerate() {
        let first_line = text
            .as_bytes()
            .get(..*offset)
            .map_or(0, |b| b.iter().filter(|&&c| c == b'\n').count());
        let (node, events) = parse_document(file, part, first_line)?;
        let prefix = format!("/{index}");
        let mut conv = Converter::new(file, events, map.as_deref_mut());
        docs.push(match node {
            Some(node) => conv.convert_root(&node, &prefix)?,
            None => Value::Null,
        });
    }
    Ok(Value::Array(docs))
}

/// Conftest's `separateSubDocuments`: (byte offset, text) of each part.
fn split_documents(text: &str) -> Vec<(usize, &str)> {
    let separator = if text.contains("\r\n") {
        "\r\n---\r\n"
    } else {
        "\n---\n"
    };
    let mut parts = Vec::new();
    let mut start = 0;
    for (i, _) in text.match_indices(separator) {
        parts.push((start, text.get(start..i).unwrap_or("")));
        start = i + separator.len();
    }
    parts.push((start, text.get(start..).unwrap_or("")));
    // A leading directive (`%YAML 1.1`) belongs to the first document.
    if text.starts_with('%') {
        if parts.len() <= 2 {
            return vec![(0, text)];
        }
        let second_end = parts.get(1).map_or(text.len(), |(o, p)| o + p.len());
        let mut merged = vec![(0, text.get(..second_end).unwrap_or(text))];
        merged.extend(parts.into_iter().skip(2));
        return merged;
    }
    parts
}

enum Frame {
    Seq {
        items: Vec<Rc<Node>>,
        line: usize,
        anchor: usize,
    },
    Map {
        entries: Vec<(Rc<Node>, Rc<Node>)>,
        key: Option<Rc<Node>>,
        line: usize,
        anchor: usize,
    },
}

/// Parses the first document of `text` into a node tree; also returns the number of events
/// read (the alias-expansion budget is proportional to it).
fn parse_document(
    file: &str,
    text: &str,
    line_offset: usize,
) -> Result<(Option<Rc<Node>>, usize), ParseError> {
    let mut parser = EventParser::new_from_str(text);
    let mut anchors: HashMap<usize, Rc<Node>> = HashMap::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut root: Option<Rc<Node>> = None;
    let mut events = 0usize;
    let located = |mark: &Marker, msg: String| {
        ParseError::at(file, mark.line() + line_offset, mark.col() + 1, msg)
    };
    loop {
        let (event, mark) = parser
            .next_token()
            .map_err(|e| located(e.marker(), e.info().to_string()))?;
        events += 1;
        let line = mark.line() + line_offset;
        let node = match event {
            Event::StreamEnd | Event::DocumentEnd => break,
            Event::Nothing | Event::StreamStart | Event::DocumentStart => continue,
            Event::Alias(id) => {
                let target = anchors
                    .get(&id)
                    .cloned()
                    .ok_or_else(|| located(&mark, "unknown anchor referenced".to_string()))?;
                Rc::new(Node::Alias { target, line })
            }
            Event::Scalar(value, style, anchor, tag) => {
                let node = Rc::new(Node::Scalar {
                    value,
                    style,
                    tag,
                    line,
                    column: mark.col() + 1,
                });
                if anchor > 0 {
                    anchors.insert(anchor, Rc::clone(&node));
                }
                node
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(located(
                        &mark,
                        format!("nesting deeper than {MAX_DEPTH} levels"),
                    ));
                }
                stack.push(if matches!(event, Event::SequenceStart(..)) {
                    Frame::Seq {
                        items: Vec::new(),
                        line,
                        anchor,
                    }
                } else {
                    Frame::Map {
                        entries: Vec::new(),
                        key: None,
                        line,
                        anchor,
                    }
                });
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let (node, anchor) = match stack.pop() {
                    Some(Frame::Seq {
                        items,
                        line,
                        anchor,
                    }) => (Rc::new(Node::Seq { items, line }), anchor),
                    Some(Frame::Map {
                        entries,
                        line,
                        anchor,
                        ..
                    }) => (Rc::new(Node::Map { entries, line }), anchor),
                    None => return Err(located(&mark, "unbalanced collection end".to_string())),
                };
                if anchor > 0 {
                    anchors.insert(anchor, Rc::clone(&node));
                }
                node
            }
        };
        match stack.last_mut() {
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map { entries, key, .. }) => match key.take() {
                Some(k) => entries.push((k, node)),
                None => *key = Some(node),
            },
            None => root = Some(node),
        }
    }
    Ok((root, events))
}
