//! The HTTP API: DefectDojo-compatible `import-scan`/`reimport-scan`, list, detail and triage
//! endpoints under `/api/v2/`, `Authorization: Token <key>` on every route.

mod auth;
mod import;
mod json;
mod list;
mod sla;
mod trends;
mod triage;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};
use tokio::net::TcpListener;

use crate::HubError;
use crate::store::Store;
use crate::store::read::Resource;

/// DefectDojo's default `DD_SCAN_FILE_MAX_SIZE` (100 MB), plus room for the other fields.
const MAX_BODY: usize = 101 * 1024 * 1024;

/// Shared by every handler.
#[derive(Debug, Clone)]
pub struct AppState {
    pub store: Store,
}

/// The hub's routes.
pub fn router(store: Store) -> Router {
    Router::new()
        .route("/api/v2/import-scan/", post(import::import_scan))
        .route("/api/v2/reimport-scan/", post(import::reimport_scan))
        .route(
            "/api/v2/products/",
            get(|s, a, q, h| list::list(Resource::Products, s, a, q, h)),
        )
        .route(
            "/api/v2/products/{id}/",
            get(sla::get_product).patch(sla::patch_product),
        )
        .route(
            "/api/v2/sla_configurations/",
            get(|s, a, q, h| list::list(Resource::SlaConfigurations, s, a, q, h))
                .post(sla::create_sla_configuration),
        )
        .route(
            "/api/v2/sla_configurations/{id}/",
            get(sla::get_sla_configuration).patch(sla::patch_sla_configuration),
        )
        .route("/api/v2/sla_breaches/", get(sla::sla_breaches))
        .route("/api/v2/trends/", get(trends::trends))
        .route("/api/v2/trends/open_by_age/", get(trends::open_by_age))
        .route(
            "/api/v2/engagements/",
            get(|s, a, q, h| list::list(Resource::Engagements, s, a, q, h)),
        )
        .route(
            "/api/v2/tests/",
            get(|s, a, q, h| list::list(Resource::Tests, s, a, q, h)),
        )
        .route(
            "/api/v2/findings/",
            get(|s, a, q, h| list::list(Resource::Findings, s, a, q, h)),
        )
        .route(
            "/api/v2/findings/{id}/",
            get(triage::get_finding).patch(triage::patch_finding),
        )
        .route("/api/v2/findings/accept_risks/", post(triage::accept_risks))
        .route(
            "/api/v2/findings/false_positive/",
            post(triage::false_positive),
        )
        .route(
            "/api/v2/risk_acceptance/",
            get(|s, a, q, h| list::list(Resource::RiskAcceptances, s, a, q, h))
                .post(triage::create_risk_acceptance),
        )
        .route(
            "/api/v2/risk_acceptance/{id}/",
            get(triage::get_risk_acceptance).patch(triage::patch_risk_acceptance),
        )
        .route(
            "/api/v2/audit_log/",
            get(|s, a, q, h| list::list(Resource::AuditLog, s, a, q, h)),
        )
        .fallback(|| async {
            json_response(StatusCode::NOT_FOUND, json!({"detail": "Not found."}))
        })
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .with_state(AppState { store })
}

/// Serves the API on `listener` until `shutdown` completes.
pub async fn serve(
    listener: TcpListener,
    store: Store,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = tower::util::MapRequest::new(router(store), merge_slashes);
    axum::serve(
        listener,
        axum::ServiceExt::<Request>::into_make_service(app),
    )
    .with_graceful_shutdown(shutdown)
    .await
}

/// `//api/v2/import-scan/` → `/api/v2/import-scan/`, as nginx in front of DefectDojo does
/// (`merge_slashes`): the generated Python client joins `base_url/` and `/api/…`.
fn merge_slashes(mut request: Request) -> Request {
    let uri = request.uri();
    if uri.path().contains("//") {
        let mut path = String::with_capacity(uri.path().len());
        for c in uri.path().chars() {
            if !(c == '/' && path.ends_with('/')) {
                path.push(c);
            }
        }
        if let Some(query) = uri.query() {
            path.push('?');
            path.push_str(query);
        }
        if let Ok(merged) = path.parse() {
            *request.uri_mut() = merged;
        }
    }
    request
}

pub(crate) fn json_response(status: StatusCode, body: Value) -> Response {
    (status, axum::Json(body)).into_response()
}

/// A handler's outcome as a response: the status and JSON body, or the error's DRF-shaped body.
fn respond(result: Result<(StatusCode, Value), HubError>) -> Response {
    match result {
        Ok((status, body)) => json_response(status, body),
        Err(e) => e.into_response(),
    }
}

/// `GET /api/v2/<resource>/{id}/`: one object in DefectDojo's shape, 404 when absent.
async fn get_one(state: &AppState, resource: Resource, id: &str) -> Response {
    respond(
        async {
            let id = json::path_id(id)?;
            Ok((StatusCode::OK, state.store.get(resource, id).await?))
        }
        .await,
    )
}

impl IntoResponse for HubError {
    fn into_response(self) -> Response {
        match self {
            HubError::BadRequest { body, .. } => json_response(StatusCode::BAD_REQUEST, body),
            HubError::Report(message) => json_response(
                StatusCode::BAD_REQUEST,
                json!({ "message": format!("['{message}']") }),
            ),
            HubError::NotFound(_) => {
                json_response(StatusCode::NOT_FOUND, json!({"detail": "Not found."}))
            }
            HubError::Database(message) => json_response(
                StatusCode::INTERNAL_SERVER_ERROR,
                json!({ "message": format!("database error: {message}") }),
            ),
        }
    }
}
