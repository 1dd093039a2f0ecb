//! `Authorization: Token <key>` (DRF TokenAuthentication), with DefectDojo's 403 bodies.

use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::Response;
use serde_json::json;

use super::{AppState, json_response};

/// The authenticated user of a request.
pub struct Authed(pub String);

fn forbidden(detail: &str) -> Response {
    json_response(StatusCode::FORBIDDEN, json!({ "detail": detail }))
}

impl FromRequestParts<AppState> for Authed {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let Some(header) = parts.headers.get(axum::http::header::AUTHORIZATION) else {
            return Err(forbidden("Authentication credentials were not provided."));
        };
        let value = header.to_str().unwrap_or_default();
        let mut words = value.split_whitespace();
        match (words.next(), words.next(), words.next()) {
            (Some(scheme), _, _) if !scheme.eq_ignore_ascii_case("token") => {
                // DRF ignores other schemes, so the request counts as unauthenticated.
                Err(forbidden("Authentication credentials were not provided."))
            }
            (Some(_), None, _) => Err(forbidden("Invalid token header. No credentials provided.")),
            (Some(_), Some(_), Some(_)) => Err(forbidden(
                "Invalid token header. Token string should not contain spaces.",
            )),
            (Some(_), Some(key), None) => match state.store.authenticate(key).await {
                Ok(Some(user)) => Ok(Authed(user)),
                Ok(None) => Err(forbidden("Invalid token.")),
                Err(e) => Err(axum::response::IntoResponse::into_response(e)),
            },
            (None, _, _) => Err(forbidden("Authentication credentials were not provided.")),
        }
    }
}
