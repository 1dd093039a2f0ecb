//! `pom.xml`: the dependencies the POM itself declares (`project/dependencies`), with
//! `${property}` versions resolved from `project/properties` and the project's own
//! coordinates. No parent POM, no network: versions managed elsewhere (a BOM, the parent) stay
//! empty and are noted as `gatehouse:version = managed`. Maven `test` scope → dev,
//! `provided`/`optional` → optional, others → required. All declared dependencies are direct.

use std::collections::BTreeMap;

use quick_xml::Reader;
use quick_xml::events::Event;

use super::Sibling;
use crate::error::{CatalogError, line_col};
use crate::model::{Component, Ecosystem, Scope};

#[derive(Default)]
struct Dep {
    group: String,
    artifact: String,
    version: String,
    scope: String,
    optional: String,
    kind: String,
    classifier: String,
}

/// Parses a pom.xml.
pub fn parse(path: &str, bytes: &[u8], _: Sibling<'_>) -> Result<Vec<Component>, CatalogError> {
    let text = super::text(path, bytes)?;
    let mut reader = Reader::from_str(text);
    reader.config_mut().trim_text(true);
    let mut stack: Vec<String> = Vec::new();
    let mut props: BTreeMap<String, String> = BTreeMap::new();
    let mut deps: Vec<Dep> = Vec::new();
    loop {
        let pos = usize::try_from(reader.buffer_position()).unwrap_or(0);
        let event = reader.read_event().map_err(|e| {
            let (l, c) = line_col(text, pos);
            CatalogError::at(path, l, c, format!("{e}; is this a well-formed pom.xml?"))
        })?;
        match event {
            Event::Start(e) => {
                let name = e.local_name().as_ref().to_owned();
                if stack.len() == 2
                    && stack.first().is_some_and(|p| p == "project")
                    && stack.get(1).is_some_and(|d| d == "dependencies")
                    && name == "dependency"
                {
                    deps.push(Dep::default());
                }
                stack.push(name);
            }
            Event::End(_) => {
                stack.pop();
            }
            Event::Text(t) => {
                let value = (*t).trim().to_owned();
                let path_str = stack.join("/");
                match path_str.as_str() {
                    "project/groupId" => {
                        props.insert("project.groupId".into(), value);
                    }
                    "project/version" => {
                        props.insert("project.version".into(), value);
                    }
                    "project/artifactId" => {
                        props.insert("project.artifactId".into(), value);
                    }
                    "project/parent/groupId" => {
                        props
                            .entry("project.groupId".into())
                            .or_insert(value.clone());
                        props.insert("project.parent.groupId".into(), value);
                    }
                    "project/parent/version" => {
                        props
                            .entry("project.version".into())
                            .or_insert(value.clone());
                        props.insert("project.parent.version".into(), value);
                    }
                    p if p.starts_with("project/properties/") && stack.len() == 3 => {
                        if let Some(k) = stack.get(2) {
                            props.insert(k.clone(), value);
                        }
                    }
                    p if p.starts_with("project/dependencies/dependency/") && stack.len() == 4 => {
                        if let (Some(d), Some(field)) = (deps.last_mut(), stack.get(3)) {
                            match field.as_str() {
                                "groupId" => d.group = value,
                                "artifactId" => d.artifact = value,
                                "version" => d.version = value,
                                "scope" => d.scope = value,
                                "optional" => d.optional = value,
                                "type" => d.kind = value,
                                "classifier" => d.classifier = value,
                                _ => {}
                            }
                        }
                    }
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let resolve = |s: &str| -> String {
        let mut out = s.to_owned();
        for _ in 0..8 {
            let Some(start) = out.find("${") else { break };
            let Some(len) = out.get(start..).and_then(|t| t.find('}')) else {
                break;
            };
            let key = out
                .get(start + 2..start + len)
                .unwrap_or_default()
                .to_owned();
            match props.get(&key) {
                Some(v) => out.replace_range(start..=start + len, v),
                None => break,
            }
        }
        out
    };
    let mut out = Vec::new();
    for d in deps {
        if d.artifact.is_empty() {
            return Err(CatalogError::new(
                path,
                "a <dependency> has no <artifactId>",
            ));
        }
        let version = resolve(&d.version);
        let mut c = Component::new(
            Ecosystem::Maven,
            resolve(&d.artifact),
            if version.contains("${") {
                String::new()
            } else {
                version.clone()
            },
        )
        .with_namespace(Some(resolve(&d.group)));
        if d.version.is_empty() {
            c.properties
                .insert("gatehouse:version".into(), "managed".into());
        } else if version.contains("${") {
            c.properties
                .insert("gatehouse:version".into(), format!("unresolved {version}"));
        }
        if !d.kind.is_empty() && d.kind != "jar" {
            c.qualifiers.insert("type".into(), d.kind.clone());
        }
        if !d.classifier.is_empty() {
            c.qualifiers
                .insert("classifier".into(), d.classifier.clone());
        }
        c.scope = match (d.scope.as_str(), d.optional.as_str()) {
            ("test", _) => Scope::Dev,
            (_, "true") | ("provided", _) => Scope::Optional,
            _ => Scope::Required,
        };
        if !d.scope.is_empty() {
            c.properties.insert("gatehouse:maven:scope".into(), d.scope);
        }
        c.direct = Some(true);
        out.push(c);
    }
    Ok(out)
}
