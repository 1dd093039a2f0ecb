//! `POST /api/v2/import-scan/` and `/api/v2/reimport-scan/`: DefectDojo's multipart fields,
//! validation errors and response body.

use std::collections::HashMap;

use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use chrono::{NaiveDate, Utc};
use serde_json::{Map, Value, json};

use super::auth::Authed;
use super::{AppState, json_response};
use crate::prepare::{Overrides, SEVERITIES};
use crate::store::context::Target;
use crate::store::{ImportRequest, Mode, Store};

pub async fn import_scan(state: State<AppState>, auth: Authed, request: Request) -> Response {
    handle(Mode::Import, state, auth, request).await
}

pub async fn reimport_scan(state: State<AppState>, auth: Authed, request: Request) -> Response {
    handle(Mode::Reimport, state, auth, request).await
}

/// The multipart form: text fields (repeatable) and the report.
#[derive(Default)]
struct Form {
    fields: HashMap<String, Vec<String>>,
    /// The report as received (not copied).
    file: Option<axum::body::Bytes>,
}

impl Form {
    fn text(&self, name: &str) -> Option<&str> {
        self.fields
            .get(name)
            .and_then(|v| v.last())
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }
}

/// Collects DRF-style field errors.
#[derive(Default)]
struct Errors(Map<String, Value>);

impl Errors {
    fn add(&mut self, field: &str, message: &str) {
        if let Some(list) = self
            .0
            .entry(field.to_owned())
            .or_insert_with(|| Value::Array(Vec::new()))
            .as_array_mut()
        {
            list.push(Value::from(message));
        }
    }

    fn into_response(mut self) -> Response {
        let summary = self
            .0
            .iter()
            .map(|(k, v)| format!("'{k}': {v}"))
            .collect::<Vec<_>>()
            .join(", ");
        self.0
            .insert("message".to_owned(), Value::from(format!("{{{summary}}}")));
        json_response(StatusCode::BAD_REQUEST, Value::Object(self.0))
    }
}

/// DRF BooleanField's accepted words.
fn parse_bool(form: &Form, name: &str, errors: &mut Errors) -> Option<bool> {
    let value = form.text(name)?;
    match value {
        "t" | "T" | "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On"
        | "ON" | "1" => Some(true),
        "f" | "F" | "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off"
        | "Off" | "OFF" | "0" => Some(false),
        _ => {
            errors.add(name, "Must be a valid boolean.");
            None
        }
    }
}

fn parse_int(form: &Form, name: &str, errors: &mut Errors) -> Option<i64> {
    let value = form.text(name)?;
    match value.trim().parse::<i64>() {
        Ok(n) => Some(n),
        Err(_) => {
            errors.add(name, "A valid integer is required.");
            None
        }
    }
}

fn parse_date(form: &Form, name: &str, errors: &mut Errors) -> Option<NaiveDate> {
    let value = form.text(name)?;
    match NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d") {
        Ok(d) => Some(d),
        Err(_) => {
            errors.add(
                name,
                "Date has wrong format. Use one of these formats instead: YYYY-MM-DD.",
            );
            None
        }
    }
}

async fn read_form(request: Request, state: &AppState) -> Result<Form, Response> {
    let content_type = request
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    if !content_type.starts_with("multipart/form-data") {
        let shown = content_type
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_owned();
        return Err(json_response(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            json!({ "detail": format!("Unsupported media type \"{shown}\" in request.") }),
        ));
    }
    let bad = |e: String| {
        json_response(
            StatusCode::BAD_REQUEST,
            json!({ "message": format!("Multipart form parse error - {e}") }),
        )
    };
    let mut multipart = Multipart::from_request(request, state)
        .await
        .map_err(|e| bad(e.body_text()))?;
    let mut form = Form::default();
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| bad(e.body_text()))?
    {
        let name = field.name().unwrap_or_default().to_owned();
        let is_file = field.file_name().is_some();
        let bytes = field.bytes().await.map_err(|e| bad(e.body_text()))?;
        if name == "file" && is_file {
            form.file = Some(bytes);
        } else if name == "file" {
            // DRF: a plain text part named `file` is not a file.
            form.fields.entry("file(text)".to_owned()).or_default();
        } else {
            form.fields
                .entry(name)
                .or_default()
                .push(String::from_utf8_lossy(&bytes).into_owned());
        }
    }
    Ok(form)
}

async fn handle(
    mode: Mode,
    State(state): State<AppState>,
    Authed(user): Authed,
    request: Request,
) -> Response {
    let form = match read_form(request, &state).await {
        Ok(form) => form,
        Err(response) => return response,
    };
    let mut errors = Errors::default();
    let scan_type = form.text("scan_type").map(str::to_owned);
    match scan_type.as_deref() {
        None => errors.add("scan_type", "This field is required."),
        Some(t) if gatehouse_ingest::parser_for(t).is_none() => {
            errors.add("scan_type", &format!("\"{t}\" is not a valid choice."));
        }
        Some(_) => {}
    }
    if form.file.is_none() {
        if form.fields.contains_key("file(text)") {
            errors.add(
                "file",
                "The submitted data was not a file. Check the encoding type on the form.",
            );
        } else {
            errors.add("file", "No file was submitted.");
        }
    }
    let minimum_severity = form.text("minimum_severity").unwrap_or("Info").to_owned();
    if !SEVERITIES.contains(&minimum_severity.as_str()) {
        errors.add(
            "minimum_severity",
            &format!("\"{minimum_severity}\" is not a valid choice."),
        );
    }
    let active = parse_bool(&form, "active", &mut errors);
    let verified = parse_bool(&form, "verified", &mut errors);
    let flag = |name: &str, default: bool, errors: &mut Errors| {
        parse_bool(&form, name, errors).unwrap_or(default)
    };
    let auto_create_context = flag("auto_create_context", false, &mut errors);
    let deduplication_on_engagement = flag("deduplication_on_engagement", false, &mut errors);
    let close_old_findings = flag("close_old_findings", mode == Mode::Reimport, &mut errors);
    let close_old_findings_product_scope =
        flag("close_old_findings_product_scope", false, &mut errors);
    let do_not_reactivate = flag("do_not_reactivate", false, &mut errors);
    let push_to_jira = flag("push_to_jira", false, &mut errors);
    let apply_tags_to_findings = flag("apply_tags_to_findings", false, &mut errors);
    let apply_tags_to_endpoints = flag("apply_tags_to_endpoints", false, &mut errors);
    let create_groups = flag("create_finding_groups_for_all_findings", true, &mut errors);
    let scan_date = parse_date(&form, "scan_date", &mut errors);
    if scan_date.is_some_and(|d| d > Utc::now().date_naive()) {
        errors.add("scan_date", "The scan_date cannot be in the future!");
    }
    let engagement_end_date = parse_date(&form, "engagement_end_date", &mut errors);
    let engagement = parse_int(&form, "engagement", &mut errors);
    let test = if mode == Mode::Reimport {
        parse_int(&form, "test", &mut errors)
    } else {
        None
    };
    // Tags: repeated parts or one comma-separated part.
    let tags: Vec<String> = form
        .fields
        .get("tags")
        .into_iter()
        .flatten()
        .flat_map(|t| t.split(','))
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty())
        .collect();
    if !errors.0.is_empty() {
        return errors.into_response();
    }
    let (Some(scan_type), Some(file)) = (scan_type, form.file.as_deref()) else {
        return errors.into_response();
    };
    let text = |name: &str| form.text(name).map(str::to_owned);
    let req = ImportRequest {
        scan_type: scan_type.clone(),
        target: Target {
            engagement_id: engagement,
            product_type_name: text("product_type_name"),
            product_name: text("product_name"),
            engagement_name: text("engagement_name"),
            auto_create_context,
            deduplication_on_engagement,
            engagement_end_date,
        },
        test_id: test,
        test_title: text("test_title"),
        close_old_findings,
        close_old_findings_product_scope,
        do_not_reactivate,
        tags: tags.clone(),
        version: text("version"),
        build_id: text("build_id"),
        commit_hash: text("commit_hash"),
        branch_tag: text("branch_tag"),
        overrides: Overrides {
            active,
            verified,
            scan_date,
            service: text("service"),
            minimum_severity: Some(minimum_severity.clone()),
        },
        user,
    };
    let findings = match Store::parse(&scan_type, file) {
        Ok(findings) => findings,
        Err(e) => return e.into_response(),
    };
    let outcome = match state.store.import(mode, &req, findings).await {
        Ok(outcome) => outcome,
        Err(e) => return e.into_response(),
    };

    // The body echoes the validated inputs (unsent booleans as false, as DRF does) plus ids.
    let mut body = Map::new();
    let mut put = |k: &str, v: Value| {
        body.insert(k.to_owned(), v);
    };
    if let Some(d) = scan_date {
        put("scan_date", d.to_string().into());
    }
    put("minimum_severity", minimum_severity.into());
    put("active", active.unwrap_or(false).into());
    put("verified", verified.unwrap_or(false).into());
    put("endpoint_to_add", Value::Null);
    for name in [
        "product_type_name",
        "product_name",
        "engagement_name",
        "test_title",
        "service",
        "version",
        "build_id",
        "commit_hash",
        "branch_tag",
        "environment",
    ] {
        if let Some(v) = text(name) {
            put(name, v.into());
        }
    }
    put("auto_create_context", auto_create_context.into());
    put(
        "deduplication_on_engagement",
        deduplication_on_engagement.into(),
    );
    put("lead", Value::Null);
    put("push_to_jira", push_to_jira.into());
    put("deduplication_execution_mode", "sync".into());
    put("api_scan_configuration", Value::Null);
    put(
        "create_finding_groups_for_all_findings",
        create_groups.into(),
    );
    put("test_id", outcome.test_id.into());
    put("engagement_id", outcome.engagement_id.into());
    put("product_id", outcome.product_id.into());
    put("product_type_id", outcome.product_type_id.into());
    put("statistics", outcome.statistics);
    put("deduplication_complete", true.into());
    put("apply_tags_to_findings", apply_tags_to_findings.into());
    put("apply_tags_to_endpoints", apply_tags_to_endpoints.into());
    if mode == Mode::Reimport {
        put("do_not_reactivate", do_not_reactivate.into());
    }
    put("scan_type", scan_type.into());
    if !tags.is_empty() {
        put("tags", tags.into());
    }
    if let Some(e) = engagement {
        put("engagement", e.into());
    }
    put("test", outcome.test_id.into());
    put("close_old_findings", close_old_findings.into());
    put(
        "close_old_findings_product_scope",
        close_old_findings_product_scope.into(),
    );
    json_response(StatusCode::CREATED, Value::Object(body))
}
