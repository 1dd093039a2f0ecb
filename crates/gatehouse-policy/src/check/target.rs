//! What `gatehouse check` scans: Terraform plans (JSON), Terraform `.tf` files (literal values),
//! Kubernetes manifests (YAML/JSON) and Dockerfiles, found by walking the given paths.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::{Value as Json, json};

use super::metadata::InputKind;
use super::terraform;
use crate::error::PolicyError;
use crate::parser::{self, Parser, SourceMap};

/// One document to evaluate, already normalized to the shape rules of its kind read.
pub struct Target {
    /// The file as the user named it (forward slashes).
    pub path: String,
    pub kind: InputKind,
    /// The normalized document, already in the engine's representation (shared, not copied,
    /// by the threads that evaluate it; the JSON it came from is dropped at load).
    pub input: regorus::Value,
    /// Line of each result anchor: resource address (Terraform) or JSON pointer (Kubernetes).
    pub lines: LineIndex,
}

/// Finds the source line of a result.
pub enum LineIndex {
    /// Plan: resource address → line in the plan file; plus `.tf` declarations when found.
    Plan {
        lines: HashMap<String, u32>,
        /// Resource address → (module address, type, name), to find its `.tf` declaration.
        names: HashMap<String, (Option<String>, String, String)>,
        declarations: terraform::Declarations,
    },
    /// Kubernetes: one document of a file; pointers are relative to the document.
    Document { map: SourceMap, prefix: String },
    /// Dockerfile: lines are carried by the instructions themselves.
    None,
}

/// Directories never descended into.
const SKIP_DIRS: &[&str] = &[".git", "node_modules", ".terraform", "target", ".venv"];

/// Walks `paths` and loads every recognizable target. Unrecognized files are skipped; files that
/// look like targets but do not parse are errors.
pub fn discover(paths: &[PathBuf], tf_root: Option<&Path>) -> Result<Vec<Target>, PolicyError> {
    let mut files = Vec::new();
    for root in paths {
        let meta = std::fs::metadata(root).map_err(|error| PolicyError::Io {
            path: root.clone(),
            error,
        })?;
        if meta.is_file() {
            files.push(root.clone());
            continue;
        }
        let walker = walkdir::WalkDir::new(root)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                !(e.file_type().is_dir()
                    && e.depth() > 0
                    && SKIP_DIRS.contains(&e.file_name().to_string_lossy().as_ref()))
            });
        for entry in walker.filter_map(Result::ok) {
            if entry.file_type().is_file() {
                files.push(entry.into_path());
            }
        }
    }
    let mut targets = Vec::new();
    for file in files {
        load(&file, tf_root, &mut targets)?;
    }
    Ok(targets)
}

fn load(file: &Path, tf_root: Option<&Path>, out: &mut Vec<Target>) -> Result<(), PolicyError> {
    let Some(parser) = Parser::detect(file) else {
        return Ok(());
    };
    if !matches!(
        parser,
        Parser::Json | Parser::Yaml | Parser::Hcl2 | Parser::Dockerfile
    ) {
        return Ok(());
    }
    let is_tf = file.extension().is_some_and(|e| e == "tf");
    if parser == Parser::Hcl2 && !is_tf {
        return Ok(());
    }
    let path = file.display().to_string().replace('\\', "/");
    let bytes = std::fs::read(file).map_err(|error| PolicyError::Io {
        path: file.to_path_buf(),
        error,
    })?;
    // Plans are read without a source map (a map of every value of a 40 MB plan costs hundreds
    // of megabytes); the lines of `resource_changes` entries come from one scan of the bytes.
    if parser == Parser::Json
        && let Some(plan) =
            terraform::read_plan(bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&bytes))
    {
        let lines = plan_lines(&plan.change_addresses, &bytes);
        drop(bytes);
        let root = tf_root
            .map(Path::to_path_buf)
            .or_else(|| file.parent().map(Path::to_path_buf))
            .unwrap_or_default();
        let declarations = terraform::Declarations::scan(&root, &plan.configuration);
        out.push(Target {
            path,
            kind: InputKind::Terraform,
            input: plan.input,
            lines: LineIndex::Plan {
                lines,
                names: plan.names,
                declarations,
            },
        });
        return Ok(());
    }
    let (value, map) = parser::parse_with_source_map(parser, &path, &bytes)?;
    match parser {
        Parser::Json | Parser::Yaml => {
            let documents: Vec<(String, Json)> = match value {
                Json::Array(docs) if parser == Parser::Yaml => docs
                    .into_iter()
                    .enumerate()
                    .map(|(i, d)| (format!("/{i}"), d))
                    .collect(),
                other => vec![(String::new(), other)],
            };
            for (prefix, doc) in documents {
                if doc.get("apiVersion").is_some() && doc.get("kind").is_some() {
                    out.push(Target {
                        path: path.clone(),
                        kind: InputKind::Kubernetes,
                        input: engine_value(doc),
                        lines: LineIndex::Document {
                            map: map.clone(),
                            prefix,
                        },
                    });
                }
            }
        }
        Parser::Hcl2 => {
            let input = tf_config_resources(&value, &map);
            out.push(Target {
                path,
                kind: InputKind::Terraform,
                input: engine_value(input),
                lines: LineIndex::None,
            });
        }
        Parser::Dockerfile => {
            let instructions: Vec<Json> = value
                .get(0)
                .and_then(Json::as_array)
                .into_iter()
                .flatten()
                .enumerate()
                .map(|(i, ins)| {
                    let mut ins = ins.clone();
                    if let Some(obj) = ins.as_object_mut() {
                        obj.insert("Line".into(), json!(map.line_of(&format!("/0/{i}"))));
                    }
                    ins
                })
                .collect();
            out.push(Target {
                path,
                kind: InputKind::Dockerfile,
                input: engine_value(Json::Array(instructions)),
                lines: LineIndex::None,
            });
        }
        _ => {}
    }
    Ok(())
}

/// Address → (module, type, name) of every normalized plan resource.
/// Converts a loaded document to the engine's value type, consuming it.
fn engine_value(value: Json) -> regorus::Value {
    regorus::Value::from(value)
}

/// Line of each `resource_changes` entry, by address.
fn plan_lines(addresses: &[Option<String>], bytes: &[u8]) -> HashMap<String, u32> {
    let starts = element_lines(bytes, b"resource_changes");
    addresses
        .iter()
        .zip(starts)
        .filter_map(|(address, line)| Some((address.clone()?, line)))
        .collect()
}

/// The 1-based line where each element of the top-level array `key` starts, in one pass over
/// the JSON bytes (strings and escapes respected).
fn element_lines(bytes: &[u8], key: &[u8]) -> Vec<u32> {
    let mut lines = Vec::new();
    let (mut line, mut depth) = (1u32, 0usize);
    let (mut in_string, mut escaped) = (false, false);
    let mut string_start = 0usize;
    let mut last_key_matches = false;
    let mut in_target = false;
    let mut expect_element = false;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'\n' {
            line += 1;
        }
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
                if depth == 1 {
                    last_key_matches = bytes.get(string_start..i) == Some(key);
                }
            }
            continue;
        }
        if in_target && depth == 2 && expect_element && !b.is_ascii_whitespace() && b != b']' {
            lines.push(line);
            expect_element = false;
        }
        match b {
            b'"' => {
                in_string = true;
                string_start = i + 1;
            }
            b'{' | b'[' => {
                depth += 1;
                if depth == 2 && b == b'[' && last_key_matches {
                    in_target = true;
                    expect_element = true;
                }
            }
            b'}' | b']' => {
                if depth == 2 && in_target {
                    in_target = false;
                }
                depth = depth.saturating_sub(1);
            }
            b',' if in_target && depth == 2 => expect_element = true,
            b':' if depth == 1 => {}
            _ => {}
        }
        if depth == 1 && b == b',' {
            last_key_matches = false;
        }
    }
    lines
}

/// `.tf` files: `resource "T" "N" { ... }` blocks with their literal attribute values. Values that
/// are expressions (`${...}`) are unknown, like `after_unknown` in a plan.
fn tf_config_resources(hcl: &Json, map: &SourceMap) -> Json {
    let mut resources = Vec::new();
    for (ty, by_name) in hcl["resource"].as_object().into_iter().flatten() {
        for (name, blocks) in by_name.as_object().into_iter().flatten() {
            for (i, block) in blocks.as_array().into_iter().flatten().enumerate() {
                let mut values = serde_json::Map::new();
                let mut unknown = serde_json::Map::new();
                for (k, v) in block.as_object().into_iter().flatten() {
                    if v.as_str().is_some_and(|s| s.starts_with("${")) {
                        unknown.insert(k.clone(), Json::Bool(true));
                    } else {
                        values.insert(k.clone(), v.clone());
                    }
                }
                let configured: Vec<Json> = block
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(k, _)| Json::String(k.clone()))
                    .collect();
                let line = map.line_of(&format!("/resource/{ty}/{name}/{i}"));
                resources.push(json!({
                    "address": format!("{ty}.{name}"),
                    "type": ty,
                    "name": name,
                    "module": null,
                    "actions": ["create"],
                    "values": values,
                    "unknown": unknown,
                    "configured": configured,
                    "line": line,
                }));
            }
        }
    }
    json!({ "resources": resources })
}
