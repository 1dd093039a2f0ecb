//! SLA endpoints: DefectDojo's `/api/v2/sla_configurations/` (list, create, detail, `PATCH`),
//! `GET`/`PATCH /api/v2/products/{id}/` to give a product its configuration, and
//! `GET /api/v2/sla_breaches/?product=&severity=` (gatehouse): active findings past their due
//! date, most overdue first. DefectDojo's `outside_of_sla=true` filter on the findings list
//! selects the same findings.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use serde_json::{Map, Value};

use super::auth::Authed;
use super::json as body_json;
use super::json::JsonBody;
use super::list::{limits, page_response};
use super::{AppState, get_one, respond};
use crate::HubError;
use crate::store::read::{self, Resource};
use crate::store::sla::SlaFields;

const SLA_FIELDS: &[&str] = &[
    "name",
    "description",
    "critical",
    "enforce_critical",
    "high",
    "enforce_high",
    "medium",
    "enforce_medium",
    "low",
    "enforce_low",
    "restart_sla_on_reactivation",
];

fn sla_fields(body: &Map<String, Value>) -> Result<SlaFields, HubError> {
    body_json::only(
        body,
        SLA_FIELDS,
        "an SLA configuration has only DefectDojo's fields",
    )?;
    Ok(SlaFields {
        name: body_json::text(body, "name")?,
        description: body_json::text(body, "description")?,
        critical: body_json::integer(body, "critical")?,
        enforce_critical: body_json::boolean(body, "enforce_critical")?,
        high: body_json::integer(body, "high")?,
        enforce_high: body_json::boolean(body, "enforce_high")?,
        medium: body_json::integer(body, "medium")?,
        enforce_medium: body_json::boolean(body, "enforce_medium")?,
        low: body_json::integer(body, "low")?,
        enforce_low: body_json::boolean(body, "enforce_low")?,
        restart_sla_on_reactivation: body_json::boolean(body, "restart_sla_on_reactivation")?,
    })
}

pub async fn create_sla_configuration(
    State(state): State<AppState>,
    Authed(user): Authed,
    JsonBody(body): JsonBody,
) -> Response {
    respond(
        async {
            let fields = sla_fields(body_json::object(&body)?)?;
            let id = state
                .store
                .create_sla_configuration(&user, &fields, Utc::now())
                .await?;
            Ok((
                StatusCode::CREATED,
                state.store.get(Resource::SlaConfigurations, id).await?,
            ))
        }
        .await,
    )
}

pub async fn get_sla_configuration(
    State(state): State<AppState>,
    _auth: Authed,
    Path(id): Path<String>,
) -> Response {
    get_one(&state, Resource::SlaConfigurations, &id).await
}

pub async fn patch_sla_configuration(
    State(state): State<AppState>,
    Authed(user): Authed,
    Path(id): Path<String>,
    JsonBody(body): JsonBody,
) -> Response {
    respond(
        async {
            let id = body_json::path_id(&id)?;
            let fields = sla_fields(body_json::object(&body)?)?;
            state
                .store
                .update_sla_configuration(&user, id, &fields, Utc::now())
                .await?;
            Ok((
                StatusCode::OK,
                state.store.get(Resource::SlaConfigurations, id).await?,
            ))
        }
        .await,
    )
}

pub async fn get_product(
    State(state): State<AppState>,
    _auth: Authed,
    Path(id): Path<String>,
) -> Response {
    get_one(&state, Resource::Products, &id).await
}

/// `PATCH /api/v2/products/{id}/` with `{"sla_configuration": ID}`.
pub async fn patch_product(
    State(state): State<AppState>,
    Authed(user): Authed,
    Path(id): Path<String>,
    JsonBody(body): JsonBody,
) -> Response {
    respond(
        async {
            let id = body_json::path_id(&id)?;
            let body = body_json::object(&body)?;
            body_json::only(
                body,
                &["sla_configuration"],
                "the hub changes a product's `sla_configuration` only",
            )?;
            if let Some(sla) = body_json::integer(body, "sla_configuration")? {
                state
                    .store
                    .set_product_sla_configuration(&user, id, sla, Utc::now())
                    .await?;
            }
            Ok((
                StatusCode::OK,
                state.store.get(Resource::Products, id).await?,
            ))
        }
        .await,
    )
}

/// Active findings past their SLA due date, filtered like the findings list (`product`,
/// `severity`, `engagement`, …), most overdue first.
pub async fn sla_breaches(
    State(state): State<AppState>,
    _auth: Authed,
    Query(query): Query<Vec<(String, String)>>,
    headers: HeaderMap,
) -> Response {
    let result = async {
        let page_limits = limits(&query)?;
        let mut filter = read::filters(Resource::Findings, &query)?;
        let today = filter.bind(Utc::now().date_naive().into());
        filter.and("active");
        filter.and(format!("sla_expiration_date < {today}"));
        state
            .store
            .list_where(
                Resource::Findings,
                filter,
                "sla_expiration_date, numerical_severity, id",
                page_limits.0,
                page_limits.1,
            )
            .await
            .map(|page| (page, page_limits))
    }
    .await;
    match result {
        Ok((page, page_limits)) => {
            page_response(page, "/api/v2/sla_breaches/", &query, &headers, page_limits)
        }
        Err(e) => e.into_response(),
    }
}
