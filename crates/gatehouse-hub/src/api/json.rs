//! JSON request bodies the way DRF reads them: `application/json` only here, DRF's parse
//! and field error texts, and typed field accessors that name the field on a bad value.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse as _, Response};
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{Map, Value, json};

use crate::HubError;

/// The body as JSON, or DRF's 415/400 status and body.
/// A JSON request body, as an extractor: a wrong content type is DRF's 415, malformed JSON its
/// 400, both as JSON bodies. Put it after [`super::auth::Authed`], so an unauthenticated request
/// is refused before its body is read.
pub struct JsonBody(pub Value);

impl<S: Send + Sync> FromRequest<S> for JsonBody {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Response> {
        let headers = req.headers().clone();
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|e| e.into_response())?;
        parse(&headers, &bytes)
            .map(JsonBody)
            .map_err(|(status, body)| super::json_response(status, body))
    }
}

pub fn parse(headers: &HeaderMap, body: &Bytes) -> Result<Value, (StatusCode, Value)> {
    let content_type = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let media = content_type.split(';').next().unwrap_or("").trim();
    if media != "application/json" {
        return Err((
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            json!({ "detail": format!(
                "Unsupported media type \"{media}\" in request. Send JSON with Content-Type: application/json."
            ) }),
        ));
    }
    serde_json::from_slice(body).map_err(|e| {
        (
            StatusCode::BAD_REQUEST,
            json!({ "detail": format!("JSON parse error - {e}") }),
        )
    })
}

/// The body's object, or a 400 naming what was expected.
pub fn object(body: &Value) -> Result<&Map<String, Value>, HubError> {
    body.as_object().ok_or_else(|| {
        HubError::field(
            "non_field_errors",
            "Invalid data. Expected a dictionary (a JSON object).",
        )
    })
}

/// Refuses fields this endpoint does not change, so that nobody believes they were applied.
pub fn only(object: &Map<String, Value>, allowed: &[&str], hint: &str) -> Result<(), HubError> {
    match object.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(key) => Err(HubError::field(
            key,
            format!("This field cannot be changed here: {hint}"),
        )),
        None => Ok(()),
    }
}

pub fn text(object: &Map<String, Value>, name: &str) -> Result<Option<String>, HubError> {
    match object.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(HubError::field(name, "Not a valid string.")),
    }
}

pub fn boolean(object: &Map<String, Value>, name: &str) -> Result<Option<bool>, HubError> {
    match object.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(_) => Err(HubError::field(name, "Must be a valid boolean.")),
    }
}

pub fn integer(object: &Map<String, Value>, name: &str) -> Result<Option<i64>, HubError> {
    match object.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v
            .as_i64()
            .map(Some)
            .ok_or_else(|| HubError::field(name, "A valid integer is required.")),
    }
}

/// `YYYY-MM-DD` (midnight UTC) or an RFC 3339 date-time.
pub fn datetime(
    object: &Map<String, Value>,
    name: &str,
) -> Result<Option<DateTime<Utc>>, HubError> {
    let Some(value) = text(object, name)? else {
        return Ok(None);
    };
    let value = value.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(value) {
        return Ok(Some(t.with_timezone(&Utc)));
    }
    NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| Some(t.and_utc()))
        .ok_or_else(|| {
            HubError::field(
                name,
                "Datetime has wrong format. Use one of these formats instead: YYYY-MM-DD, \
                 YYYY-MM-DDThh:mm:ss[.uuuuuu]+HH:MM (or Z).",
            )
        })
}

/// An object id from the path; anything else is DRF's 404.
pub fn path_id(id: &str) -> Result<i64, HubError> {
    id.parse::<i64>()
        .map_err(|_| HubError::NotFound(format!("`{id}`")))
}
