//! HCL2 loader (Conftest `hcl2`, tmccombs/hcl2json shape).
//!
//! Attributes become values; a block becomes `{"type": {"label1": {"label2": [ {body} ]}}}` and
//! blocks are always arrays (Conftest ≥ 0.59), repeated blocks appending. Expressions that are
//! not literals are rendered from their source text as `"${...}"`; templates keep their literal
//! text with `${...}` for interpolations and `%{if}`/`%{for}` for directives, as hcl2json does.
//! Parsing is done by hcl-edit (through `hcl::edit`) because it keeps spans, which give both the
//! source text of expressions and the lines for the source map.

use std::collections::HashSet;
use std::ops::Range;

use hcl::edit::Span;
use hcl::edit::expr::{Expression, ObjectKey};
use hcl::edit::structure::{Block, Body};
use hcl::edit::template::{Directive, Element, Template};
use serde_json::{Map, Number, Value};

use super::source_map::{push_index, push_token};
use super::text::{line_of, line_starts, strip_bom, utf8};
use super::{MAX_DEPTH, ParseError, SourceMap};

pub(crate) fn parse(
    file: &str,
    bytes: &[u8],
    map: Option<&mut SourceMap>,
) -> Result<Value, ParseError> {
    let text = utf8(file, strip_bom(bytes))?;
    check_depth(file, text)?;
    let body = hcl::edit::parser::parse_body(text).map_err(|e| {
        ParseError::at(
            file,
            e.location().line(),
            e.location().column(),
            e.message().to_string(),
        )
    })?;
    let mut conv = Converter {
        file,
        text,
        starts: if map.is_some() {
            line_starts(text.as_bytes())
        } else {
            Vec::new()
        },
        map,
        pointer: String::new(),
    };
    conv.record(Some(0..0));
    Ok(Value::Object(conv.body(&body)?))
}

/// hcl-edit's parser recurses per nesting level (it stops at 64 levels itself); this cheap
/// pre-scan refuses absurd bracket nesting before the parser is even started.
/// In a file whose brackets do not balance, nesting (of `[`, `(` and `{` together) beyond this is refused before
/// parsing: hcl-edit backtracks exponentially on unclosed index brackets after binary operators
/// (`s=a/a/a[a/a/a[...`: time doubles per level; see fuzz/artifacts-found/fuzz_hcl2). Such a
/// file cannot parse anyway; balanced files keep the general `MAX_DEPTH`.
const MAX_UNBALANCED_SQUARE_DEPTH: usize = 16;

fn check_depth(file: &str, text: &str) -> Result<(), ParseError> {
    let count = |c: u8| text.bytes().filter(|&b| b == c).count();
    let unbalanced =
        count(b'[') != count(b']') || count(b'(') != count(b')') || count(b'{') != count(b'}');
    let mut depth = 0usize;
    for (i, b) in text.bytes().enumerate() {
        if unbalanced && matches!(b, b'(' | b'[' | b'{') && depth >= MAX_UNBALANCED_SQUARE_DEPTH {
            return Err(ParseError::at_offset(
                file,
                text.as_bytes(),
                i,
                format!(
                    "unclosed brackets nested deeper than {MAX_UNBALANCED_SQUARE_DEPTH} levels"
                ),
            )
            .with_help("close the brackets, or flatten the expression"));
        }
        match b {
            b'(' | b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(ParseError::at_offset(
                        file,
                        text.as_bytes(),
                        i,
                        format!("nesting deeper than {MAX_DEPTH} levels"),
                    ));
                }
            }
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

struct Converter<'a> {
    file: &'a str,
    text: &'a str,
    starts: Vec<usize>,
    map: Option<&'a mut SourceMap>,
    pointer: String,
}

impl Converter<'_> {
    fn line(&self, span: Option<Range<usize>>) -> Option<usize> {
        span.map(|s| line_of(&self.starts, s.start))
    }

    fn record(&mut self, span: Option<Range<usize>>) {
        if self.map.is_none() {
            return;
        }
        if let Some(line) = self.line(span) {
            if let Some(map) = self.map.as_deref_mut() {
                map.insert(&self.pointer, line);
            }
        }
    }

    fn error_at(&self, span: Option<Range<usize>>, message: String) -> ParseError {
        match span {
            Some(s) => ParseError::at_offset(self.file, self.text.as_bytes(), s.start, message),
            None => ParseError::new(self.file, message),
        }
    }

    fn source(&self, span: Option<Range<usize>>) -> &str {
        span.and_then(|s| self.text.get(s)).unwrap_or("")
    }

    fn body(&mut self, body: &Body) -> Result<Map<String, Value>, ParseError> {
        let mut out = Map::new();
        let base = self.pointer.len();
        let mut seen = HashSet::new();
        for attr in body.attributes() {
            let key = attr.key.as_str();
            if !seen.insert(key.to_string()) {
                return Err(self
                    .error_at(attr.span(), format!("attribute \"{key}\" redefined"))
                    .with_help("each argument may be set only once per block"));
            }
            push_token(&mut self.pointer, key);
            self.record(attr.span());
            let value = self.expr(&attr.value);
            self.pointer.truncate(base);
            out.insert(key.to_string(), value?);
        }
        for block in body.blocks() {
            self.block(block, &mut out)?;
            self.pointer.truncate(base);
        }
        Ok(out)
    }

    /// hcl2json `convertBlock`: walk/create one object per label, then append the body.
    fn block(&mut self, block: &Block, out: &mut Map<String, Value>) -> Result<(), ParseError> {
        let mut keys: Vec<&str> = vec![block.ident.as_str()];
        keys.extend(block.labels.iter().map(|l| l.as_str()));
        let base = self.pointer.len();
        let mut target = out;
        let (last, path) = keys.split_last().unwrap_or((&"", &[]));
        for key in path {
            push_token(&mut self.pointer, key);
            self.record(block.span());
            let entry = target
                .entry((*key).to_string())
                .or_insert_with(|| Value::Object(Map::new()));
            target = match entry {
                Value::Object(obj) => obj,
                _ => {
                    return Err(self.error_at(
                        block.span(),
                        format!("unable to convert block to JSON: {}", keys.join(".")),
                    ));
                }
            };
        }
        push_token(&mut self.pointer, last);
        self.record(block.span());
        let list_base = self.pointer.len();
        let index = match target.get(*last) {
            Some(Value::Array(list)) => list.len(),
            Some(_) => 1,
            None => 0,
        };
        push_index(&mut self.pointer, index);
        self.record(block.span());
        let value = Value::Object(self.body(&block.body)?);
        self.pointer.truncate(list_base);
        match target.remove(*last) {
            Some(Value::Array(mut list)) => {
                list.push(value);
                target.insert((*last).to_string(), Value::Array(list));
            }
            Some(current) => {
                target.insert((*last).to_string(), Value::Array(vec![current, value]));
            }
            None => {
                target.insert((*last).to_string(), Value::Array(vec![value]));
            }
        }
        self.pointer.truncate(base);
        Ok(())
    }

    fn expr(&mut self, expr: &Expression) -> Result<Value, ParseError> {
        Ok(match expr {
            Expression::Null(_) => Value::Null,
            Expression::Bool(b) => Value::Bool(*b.value()),
            Expression::Number(n) => number(n.value()),
            Expression::String(s) => Value::String(s.value().clone()),
            Expression::Array(array) => {
                let base = self.pointer.len();
                let mut out = Vec::new();
                for (i, item) in array.iter().enumerate() {
                    push_index(&mut self.pointer, i);
                    self.record(item.span());
                    let v = self.expr(item);
                    self.pointer.truncate(base);
                    out.push(v?);
                }
                Value::Array(out)
            }
            Expression::Object(object) => {
                let base = self.pointer.len();
                let mut out = Map::new();
                for (key, value) in object.iter() {
                    let key = self.key(key)?;
                    push_token(&mut self.pointer, &key);
                    self.record(value.expr().span());
                    let v = self.expr(value.expr());
                    self.pointer.truncate(base);
                    out.insert(key, v?);
                }
                Value::Object(out)
            }
            Expression::StringTemplate(t) => {
                // A template that is only `${expr}` is hcl's TemplateWrapExpr: the inner value.
                if let Some(Element::Interpolation(i)) = single_element(t.iter()) {
                    return self.expr(&i.expr);
                }
                Value::String(self.elements(t.iter())?)
            }
            Expression::HeredocTemplate(h) => Value::String(self.template(&h.template)?),
            other => Value::String(self.wrap(other)),
        })
    }

    /// hcl2json `convertKey`.
    fn key(&mut self, key: &ObjectKey) -> Result<String, ParseError> {
        match key {
            ObjectKey::Ident(ident) => Ok(ident.as_str().to_string()),
            ObjectKey::Expression(Expression::Variable(v)) => Ok(v.as_str().to_string()),
            ObjectKey::Expression(Expression::Traversal(t)) => {
                Ok(self.source(t.span()).to_string())
            }
            ObjectKey::Expression(e) => self.string_part(e),
        }
    }

    fn wrap(&self, expr: &Expression) -> String {
        format!("${{{}}}", self.source(expr.span()))
    }

    fn template(&mut self, template: &Template) -> Result<String, ParseError> {
        self.elements(template.iter())
    }

    fn elements<'e>(
        &mut self,
        elements: impl Iterator<Item = &'e Element>,
    ) -> Result<String, ParseError> {
        let mut out = String::new();
        for element in elements {
            match element {
                Element::Literal(s) => out.push_str(s.value()),
                Element::Interpolation(i) => out.push_str(&self.string_part(&i.expr)?),
                Element::Directive(d) => match d.as_ref() {
                    Directive::If(d) => {
                        out.push_str("%{if ");
                        out.push_str(self.source(d.if_expr.cond_expr.span()));
                        out.push('}');
                        out.push_str(&self.template(&d.if_expr.template)?);
                        if let Some(else_expr) = &d.else_expr {
                            let f = self.template(&else_expr.template)?;
                            if !f.is_empty() {
                                out.push_str("%{else}");
                                out.push_str(&f);
                            }
                        }
                        out.push_str("%{endif}");
                    }
                    Directive::For(d) => {
                        let f = &d.for_expr;
                        out.push_str("%{for ");
                        if let Some(k) = &f.key_var {
                            out.push_str(k.as_str());
                            out.push_str(", ");
                        }
                        out.push_str(f.value_var.as_str());
                        out.push_str(" in ");
                        out.push_str(self.source(f.collection_expr.span()));
                        out.push('}');
                        out.push_str(&self.template(&f.template)?);
                        out.push_str("%{endfor}");
                    }
                },
            }
        }
        Ok(out)
    }

    /// hcl2json `convertStringPart`: an expression embedded in a string.
    fn string_part(&mut self, expr: &Expression) -> Result<String, ParseError> {
        Ok(match expr {
            Expression::Null(_) => String::new(),
            Expression::Bool(b) => b.value().to_string(),
            Expression::Number(n) => n.value().to_string(),
            Expression::String(s) => s.value().clone(),
            Expression::StringTemplate(t) => self.elements(t.iter())?,
            Expression::HeredocTemplate(h) => self.template(&h.template)?,
            Expression::Conditional(c) => {
                let mut out = String::from("%{if ");
                out.push_str(self.source(c.cond_expr.span()));
                out.push('}');
                out.push_str(&self.string_part(&c.true_expr)?);
                let f = self.string_part(&c.false_expr)?;
                if !f.is_empty() {
                    out.push_str("%{else}");
                    out.push_str(&f);
                }
                out.push_str("%{endif}");
                out
            }
            other => self.wrap(other),
        })
    }
}

fn single_element<'e>(mut it: impl Iterator<Item = &'e Element>) -> Option<&'e Element> {
    let first = it.next()?;
    if it.next().is_some() {
        None
    } else {
        Some(first)
    }
}

fn number(n: &hcl::Number) -> Value {
    if let Some(i) = n.as_i64() {
        Value::from(i)
    } else if let Some(u) = n.as_u64() {
        Value::from(u)
    } else {
        n.as_f64()
            .and_then(Number::from_f64)
            .map_or(Value::Null, Value::Number)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn unclosed_index_brackets_are_refused_before_parsing() {
        // The fuzzer's exponential-time shape (fuzz/artifacts-found/fuzz_hcl2).
        let src = format!("s={}-", "a/a/a[".repeat(24));
        let err = super::parse("x.tf", src.as_bytes(), None)
            .err()
            .map(|e| e.to_string());
        assert!(
            err.as_deref()
                .is_some_and(|e| e.starts_with("x.tf:1:") && e.contains("nested deeper than 16")),
            "{err:?}"
        );
    }

    #[test]
    fn ordinary_nesting_still_parses() {
        let src = "a = [[[1, [2]], {b = [3]}]]\nc = x[0][1][2]\n";
        assert!(super::parse("x.tf", src.as_bytes(), None).is_ok());
    }
}
