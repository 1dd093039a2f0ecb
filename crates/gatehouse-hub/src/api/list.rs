//! `GET /api/v2/{products,engagements,tests,findings}/`: DefectDojo's paginated shape
//! `{count, next, previous, results}` with `limit`/`offset`.

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::auth::Authed;
use super::{AppState, json_response};
use crate::HubError;
use crate::store::read::{Page, Resource};

const DEFAULT_LIMIT: i64 = 25;
const MAX_LIMIT: i64 = 1000;

fn page_url(
    headers: &HeaderMap,
    path: &str,
    query: &[(String, String)],
    limit: i64,
    offset: i64,
) -> String {
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    let mut pairs: Vec<String> = query
        .iter()
        .filter(|(k, _)| k != "limit" && k != "offset")
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect();
    pairs.push(format!("limit={limit}"));
    if offset > 0 {
        pairs.push(format!("offset={offset}"));
    }
    format!("http://{host}{path}?{}", pairs.join("&"))
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// `limit` (default 25, at most 1000) and `offset` of a list request.
pub fn limits(query: &[(String, String)]) -> Result<(i64, i64), HubError> {
    let number =
        |name: &str, default: i64| -> Result<i64, HubError> {
            match query.iter().rev().find(|(k, _)| k == name) {
                Some((_, v)) => v.parse::<i64>().ok().filter(|n| *n >= 0).ok_or_else(|| {
                    HubError::field(name, "A valid non-negative integer is required.")
                }),
                None => Ok(default),
            }
        };
    Ok((
        number("limit", DEFAULT_LIMIT)?.clamp(1, MAX_LIMIT),
        number("offset", 0)?,
    ))
}

/// DefectDojo's page body: `{count, next, previous, results}` with links to `path`.
pub fn page_response(
    page: Page,
    path: &str,
    query: &[(String, String)],
    headers: &HeaderMap,
    (limit, offset): (i64, i64),
) -> Response {
    let next = (offset + limit < page.count)
        .then(|| page_url(headers, path, query, limit, offset + limit));
    let previous =
        (offset > 0).then(|| page_url(headers, path, query, limit, (offset - limit).max(0)));
    json_response(
        StatusCode::OK,
        json!({
            "count": page.count,
            "next": next,
            "previous": previous,
            "results": Value::Array(page.results),
        }),
    )
}

pub async fn list(
    resource: Resource,
    State(state): State<AppState>,
    _auth: Authed,
    Query(query): Query<Vec<(String, String)>>,
    headers: HeaderMap,
) -> Response {
    let (limit, offset) = match limits(&query) {
        Ok(limits) => limits,
        Err(e) => return e.into_response(),
    };
    let page = match state.store.list(resource, &query, limit, offset).await {
        Ok(page) => page,
        Err(e) => return e.into_response(),
    };
    let path = match resource {
        Resource::Products => "/api/v2/products/",
        Resource::Engagements => "/api/v2/engagements/",
        Resource::Tests => "/api/v2/tests/",
        Resource::Findings => "/api/v2/findings/",
        Resource::RiskAcceptances => "/api/v2/risk_acceptance/",
        Resource::AuditLog => "/api/v2/audit_log/",
        Resource::SlaConfigurations => "/api/v2/sla_configurations/",
    };
    page_response(page, path, &query, &headers, (limit, offset))
}
