//! SPDX loader (Conftest `spdx`, spdx/tools-golang): tag-value documents are converted to the
//! SPDX 2.3 JSON shape (tools-golang upgrades older 2.x documents, so `spdxVersion` reads
//! `SPDX-2.3`); SPDX JSON documents are returned as they are (Conftest only reads tag-value).
//! Packages, files, snippets, relationships, annotations and extracted licences are mapped;
//! unknown tags are ignored.

use serde_json::{Map, Value, json};

use super::text::{strip_bom, utf8};
use super::{ParseError, json};

#[derive(Clone, Copy, PartialEq)]
enum Section {
    Document,
    Package,
    File,
    Snippet,
    License,
    Annotation,
}

pub(crate) fn parse(file: &str, bytes: &[u8]) -> Result<Value, ParseError> {
    let text = utf8(file, strip_bom(bytes))?;
    if text.trim_start().starts_with('{') {
        let value = json::parse(file, bytes, None)?;
        if value.get("spdxVersion").is_none() {
            return Err(ParseError::new(
                file,
                "unsupported SPDX version: no `spdxVersion`",
            ));
        }
        return Ok(value);
    }
    let mut doc = Map::new();
    let mut lists: Map<String, Value> = Map::new();
    let mut section = Section::Document;
    let mut saw_version = false;
    let lines: Vec<&str> = text.lines().collect();
    let mut i = 0;
    while let Some(raw) = lines.get(i) {
        i += 1;
        let line_no = i;
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((tag, value)) = line.split_once(':') else {
            return Err(ParseError::at_line(
                file,
                line_no,
                format!("expected `Tag: value`, found `{line}`"),
            )
            .with_help("SPDX tag-value documents have one `Tag: value` per line"));
        };
        let tag = tag.trim();
        let mut value = value.trim().to_string();
        if let Some(rest) = value.strip_prefix("<text>") {
            value = rest.to_string();
            while !value.contains("</text>") {
                let Some(next) = lines.get(i) else {
                    return Err(ParseError::at_line(
                        file,
                        line_no,
                        "unterminated <text> value",
                    ));
                };
                i += 1;
                value.push('\n');
                value.push_str(next);
            }
            if let Some(end) = value.find("</text>") {
                value.truncate(end);
            }
        }
        let v = Value::String(value.clone());
        section = match tag {
            "PackageName" => {
                push(&mut lists, "packages", json!({"name": value}));
                Section::Package
            }
            "FileName" => {
                push(&mut lists, "files", json!({"fileName": value}));
                Section::File
            }
            "SnippetSPDXID" => {
                push(&mut lists, "snippets", json!({"SPDXID": value}));
                Section::Snippet
            }
            "LicenseID" => {
                push(
                    &mut lists,
                    "hasExtractedLicensingInfos",
                    json!({"licenseId": value}),
                );
                Section::License
            }
            "Annotator" => {
                push(&mut lists, "annotations", json!({"annotator": value}));
                Section::Annotation
            }
            _ => section,
        };
        match (section, tag) {
            (_, "SPDXVersion") => {
                saw_version = true;
                let version = if value.starts_with("SPDX-2.") {
                    "SPDX-2.3".to_string()
                } else {
                    value
                };
                doc.insert("spdxVersion".into(), Value::String(version));
            }
            (_, "Relationship") => {
                let parts: Vec<&str> = v.as_str().unwrap_or("").split_whitespace().collect();
                if let [a, t, b] = parts.as_slice() {
                    push(
                        &mut lists,
                        "relationships",
                        json!({"spdxElementId": a, "relationshipType": t, "relatedSpdxElement": b}),
                    );
                } else {
                    return Err(ParseError::at_line(
                        file,
                        line_no,
                        "a Relationship needs `ELEMENT TYPE ELEMENT`",
                    ));
                }
            }
            (_, "RelationshipComment") => set_last(&mut lists, "relationships", "comment", v),
            (Section::Document, "DataLicense") => insert(&mut doc, "dataLicense", v),
            (Section::Document, "SPDXID") => insert(&mut doc, "SPDXID", v),
            (Section::Document, "DocumentName") => insert(&mut doc, "name", v),
            (Section::Document, "DocumentNamespace") => insert(&mut doc, "documentNamespace", v),
            (Section::Document, "DocumentComment") => insert(&mut doc, "comment", v),
            (Section::Document, "ExternalDocumentRef") => {
                let parts: Vec<&str> = value.splitn(3, ' ').collect();
                let mut r =
                    json!({"externalDocumentId": parts.first(), "spdxDocument": parts.get(1)});
                if let (Some(c), Value::Object(o)) = (parts.get(2), &mut r) {
                    o.insert("checksum".into(), checksum(c));
                }
                push(&mut lists, "externalDocumentRefs", r);
            }
            (Section::Document, "Creator") => creation(&mut doc, "creators", v, true),
            (Section::Document, "Created") => creation(&mut doc, "created", v, false),
            (Section::Document, "CreatorComment") => creation(&mut doc, "comment", v, false),
            (Section::Document, "LicenseListVersion") => {
                creation(&mut doc, "licenseListVersion", v, false)
            }
            (Section::Package, t) => package_tag(&mut lists, t, &value),
            (Section::File, t) => {
                let key = match t {
                    "SPDXID" => "SPDXID",
                    "FileChecksum" => {
                        return_list(&mut lists, "files", "checksums", checksum(&value))
                    }
                    "FileType" => return_list(&mut lists, "files", "fileTypes", v.clone()),
                    "LicenseInfoInFile" => {
                        return_list(&mut lists, "files", "licenseInfoInFiles", v.clone())
                    }
                    "FileContributor" => {
                        return_list(&mut lists, "files", "fileContributors", v.clone())
                    }
                    "FileAttributionText" => {
                        return_list(&mut lists, "files", "attributionTexts", v.clone())
                    }
                    "LicenseConcluded" => "licenseConcluded",
                    "LicenseComments" => "licenseComments",
                    "FileCopyrightText" => "copyrightText",
                    "FileComment" => "comment",
                    "FileNotice" => "noticeText",
                    _ => "",
                };
                if !key.is_empty() {
                    set_last(&mut lists, "files", key, v);
                }
            }
            (Section::Snippet, t) => {
                let key = match t {
                    "SnippetFromFileSPDXID" => "snippetFromFile",
                    "SnippetLicenseConcluded" => "licenseConcluded",
                    "SnippetCopyrightText" => "copyrightText",
                    "SnippetComment" => "comment",
                    "SnippetName" => "name",
                    "LicenseInfoInSnippet" => {
                        return_list(&mut lists, "snippets", "licenseInfoInSnippets", v.clone())
                    }
                    _ => "",
                };
                if !key.is_empty() {
                    set_last(&mut lists, "snippets", key, v);
                }
            }
            (Section::License, t) => {
                let key = match t {
                    "ExtractedText" => "extractedText",
                    "LicenseName" => "name",
                    "LicenseComment" => "comment",
                    "LicenseCrossReference" => return_list(
                        &mut lists,
                        "hasExtractedLicensingInfos",
                        "seeAlsos",
                        v.clone(),
                    ),
                    _ => "",
                };
                if !key.is_empty() {
                    set_last(&mut lists, "hasExtractedLicensingInfos", key, v);
                }
            }
            (Section::Annotation, t) => {
                let key = match t {
                    "AnnotationDate" => "annotationDate",
                    "AnnotationType" => "annotationType",
                    "AnnotationComment" => "comment",
                    "SPDXREF" => "spdxElementId",
                    _ => "",
                };
                if !key.is_empty() {
                    set_last(&mut lists, "annotations", key, v);
                }
            }
            _ => {}
        }
    }
    if !saw_version {
        return Err(
            ParseError::new(file, "unsupported SPDX version: no `SPDXVersion` tag")
                .with_help("is this an SPDX tag-value or JSON document?"),
        );
    }
    doc.extend(lists);
    Ok(Value::Object(doc))
}

fn package_tag(lists: &mut Map<String, Value>, tag: &str, value: &str) {
    let v = Value::String(value.to_string());
    let key = match tag {
        "SPDXID" => "SPDXID",
        "PackageVersion" => "versionInfo",
        "PackageFileName" => "packageFileName",
        "PackageSupplier" => "supplier",
        "PackageOriginator" => "originator",
        "PackageDownloadLocation" => "downloadLocation",
        "PackageHomePage" => "homepage",
        "PackageSourceInfo" => "sourceInfo",
        "PackageLicenseConcluded" => "licenseConcluded",
        "PackageLicenseDeclared" => "licenseDeclared",
        "PackageLicenseComments" => "licenseComments",
        "PackageCopyrightText" => "copyrightText",
        "PackageSummary" => "summary",
        "PackageDescription" => "description",
        "PackageComment" => "comment",
        "PrimaryPackagePurpose" => "primaryPackagePurpose",
        "ReleaseDate" => "releaseDate",
        "BuiltDate" => "builtDate",
        "ValidUntilDate" => "validUntilDate",
        "FilesAnalyzed" => {
            set_last(
                lists,
                "packages",
                "filesAnalyzed",
                Value::Bool(value.eq_ignore_ascii_case("true")),
            );
            return;
        }
        "PackageVerificationCode" => {
            let (code, excludes) = match value.split_once('(') {
                Some((c, rest)) => (
                    c.trim(),
                    rest.trim_end_matches(')')
                        .trim_start_matches("excludes:")
                        .trim(),
                ),
                None => (value, ""),
            };
            let mut pvc = json!({"packageVerificationCodeValue": code});
            if let (false, Value::Object(o)) = (excludes.is_empty(), &mut pvc) {
                o.insert(
                    "packageVerificationCodeExcludedFiles".into(),
                    json!(excludes.split_whitespace().collect::<Vec<_>>()),
                );
            }
            set_last(lists, "packages", "packageVerificationCode", pvc);
            return;
        }
        "PackageChecksum" => return append_last(lists, "packages", "checksums", checksum(value)),
        "PackageLicenseInfoFromFiles" => {
            return append_last(lists, "packages", "licenseInfoFromFiles", v);
        }
        "PackageAttributionText" => return append_last(lists, "packages", "attributionTexts", v),
        "ExternalRef" => {
            let parts: Vec<&str> = value.splitn(3, ' ').collect();
            let r = json!({
                "referenceCategory": parts.first().map(|c| c.replace('_', "-")),
                "referenceType": parts.get(1),
                "referenceLocator": parts.get(2),
            });
            return append_last(lists, "packages", "externalRefs", r);
        }
        "ExternalRefComment" => {
            if let Some(Value::Array(refs)) =
                last_mut(lists, "packages").and_then(|p| p.get_mut("externalRefs"))
            {
                if let Some(Value::Object(r)) = refs.last_mut() {
                    r.insert("comment".into(), v);
                }
            }
            return;
        }
        _ => return,
    };
    set_last(lists, "packages", key, v);
}

/// `SHA1: abc` → `{"algorithm": "SHA1", "checksumValue": "abc"}`.
fn checksum(s: &str) -> Value {
    match s.split_once(':') {
        Some((alg, value)) => json!({"algorithm": alg.trim(), "checksumValue": value.trim()}),
        None => json!({"checksumValue": s.trim()}),
    }
}

fn insert(doc: &mut Map<String, Value>, key: &str, v: Value) {
    doc.insert(key.to_string(), v);
}

fn creation(doc: &mut Map<String, Value>, key: &str, v: Value, list: bool) {
    let info = doc
        .entry("creationInfo")
        .or_insert_with(|| Value::Object(Map::new()));
    if let Value::Object(info) = info {
        if list {
            if let Value::Array(items) = info.entry(key).or_insert_with(|| Value::Array(Vec::new()))
            {
                items.push(v);
            }
        } else {
            info.insert(key.to_string(), v);
        }
    }
}

fn push(lists: &mut Map<String, Value>, list: &str, item: Value) {
    if let Value::Array(items) = lists
        .entry(list)
        .or_insert_with(|| Value::Array(Vec::new()))
    {
        items.push(item);
    }
}

fn last_mut<'a>(
    lists: &'a mut Map<String, Value>,
    list: &str,
) -> Option<&'a mut Map<String, Value>> {
    match lists.get_mut(list) {
        Some(Value::Array(items)) => match items.last_mut() {
            Some(Value::Object(o)) => Some(o),
            _ => None,
        },
        _ => None,
    }
}

fn set_last(lists: &mut Map<String, Value>, list: &str, key: &str, v: Value) {
    if let Some(o) = last_mut(lists, list) {
        o.insert(key.to_string(), v);
    }
}

fn append_last(lists: &mut Map<String, Value>, list: &str, key: &str, v: Value) {
    if let Some(o) = last_mut(lists, list) {
        if let Value::Array(items) = o.entry(key).or_insert_with(|| Value::Array(Vec::new())) {
            items.push(v);
        }
    }
}

/// Appends to a list field of the last item of `list`; returns "" so callers skip `set_last`.
fn return_list(lists: &mut Map<String, Value>, list: &str, key: &str, v: Value) -> &'static str {
    append_last(lists, list, key, v);
    ""
}
