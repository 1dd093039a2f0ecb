//! Triage endpoints in DefectDojo's shape:
//! * `PATCH /api/v2/findings/{id}/` with `false_p` or `risk_accepted` (true to suppress,
//!   false to revert), plus `justification` and optional `expiration_date`/`accepted_by`;
//! * `POST /api/v2/risk_acceptance/` (DefectDojo's fields; `decision_details` is the
//!   justification), `GET` and `PATCH /api/v2/risk_acceptance/{id}/` (expiry, wording);
//! * `POST /api/v2/findings/accept_risks/?<findings filters>` with DefectDojo's list of
//!   `{vulnerability_id, justification, accepted_by}`, by filter and in bulk;
//! * `POST /api/v2/findings/false_positive/?<findings filters>` (gatehouse: the same by filter
//!   for false positives).

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Utc;
use serde_json::{Map, Value, json};

use super::auth::Authed;
use super::json as body_json;
use super::json::JsonBody;
use super::{AppState, get_one, respond};
use crate::HubError;
use crate::store::read::Resource;
use crate::triage::{Decision, DecisionPatch, Kind, Selection};

type Query2 = Query<Vec<(String, String)>>;

/// The decision fields shared by every triage request.
fn decision(kind: Kind, body: &Map<String, Value>) -> Result<Decision, HubError> {
    let why = match body_json::text(body, "justification")? {
        Some(why) => why,
        None => body_json::text(body, "decision_details")?.unwrap_or_default(),
    };
    let mut d = Decision::new(kind, why);
    d.name = body_json::text(body, "name")?;
    d.accepted_by = body_json::text(body, "accepted_by")?;
    d.expiration_date = body_json::datetime(body, "expiration_date")?;
    Ok(d)
}

pub async fn get_finding(
    State(state): State<AppState>,
    _auth: Authed,
    Path(id): Path<String>,
) -> Response {
    get_one(&state, Resource::Findings, &id).await
}

pub async fn patch_finding(
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
                &[
                    "false_p",
                    "risk_accepted",
                    "justification",
                    "expiration_date",
                    "accepted_by",
                    "name",
                ],
                "findings change state only through triage (`false_p` or `risk_accepted` with a \
                 `justification`) and through imports",
            )?;
            let (kind, set) = match (
                body_json::boolean(body, "false_p")?,
                body_json::boolean(body, "risk_accepted")?,
            ) {
                (Some(set), None) => (Kind::FalsePositive, set),
                (None, Some(set)) => (Kind::RiskAccepted, set),
                _ => {
                    return Err(HubError::field(
                        "non_field_errors",
                        "Send exactly one of `false_p` or `risk_accepted` (true to suppress the \
                         finding, false to lift that), with a `justification`.",
                    ));
                }
            };
            // DRF answers 404 for a missing object before looking at the body's meaning.
            state.store.get(Resource::Findings, id).await?;
            let now = Utc::now();
            if set {
                let d = decision(kind, body)?;
                state
                    .store
                    .triage(&user, &[(Selection::Ids(vec![id]), d)], now)
                    .await?;
            } else {
                let why = body_json::text(body, "justification")?.unwrap_or_default();
                state
                    .store
                    .revert_triage(&user, id, kind, &why, now)
                    .await?;
            }
            Ok((
                StatusCode::OK,
                state.store.get(Resource::Findings, id).await?,
            ))
        }
        .await,
    )
}

pub async fn create_risk_acceptance(
    State(state): State<AppState>,
    Authed(user): Authed,
    JsonBody(body): JsonBody,
) -> Response {
    respond(
        async {
            let body = body_json::object(&body)?;
            let ids = match body.get("accepted_findings") {
                None | Some(Value::Null) => {
                    return Err(HubError::field(
                        "accepted_findings",
                        "This field is required.",
                    ));
                }
                Some(Value::Array(items)) => items
                    .iter()
                    .map(|v| {
                        v.as_i64().ok_or_else(|| {
                            HubError::field(
                                "accepted_findings",
                                format!("Incorrect type. Expected pk value, received {v}."),
                            )
                        })
                    })
                    .collect::<Result<Vec<_>, _>>()?,
                Some(_) => {
                    return Err(HubError::field(
                        "accepted_findings",
                        "Expected a list of finding ids.",
                    ));
                }
            };
            let mut d = decision(Kind::RiskAccepted, body)?;
            d.recommendation = body_json::text(body, "recommendation")?;
            d.recommendation_details = body_json::text(body, "recommendation_details")?;
            d.decision = body_json::text(body, "decision")?;
            d.reactivate_expired = body_json::boolean(body, "reactivate_expired")?.unwrap_or(true);
            d.restart_sla_expired =
                body_json::boolean(body, "restart_sla_expired")?.unwrap_or(false);
            let created = state
                .store
                .triage(&user, &[(Selection::Ids(ids), d)], Utc::now())
                .await?;
            let id = created.first().copied().flatten().ok_or_else(|| {
                HubError::Database("the risk acceptance was not recorded".to_owned())
            })?;
            Ok((
                StatusCode::CREATED,
                state.store.get(Resource::RiskAcceptances, id).await?,
            ))
        }
        .await,
    )
}

pub async fn get_risk_acceptance(
    State(state): State<AppState>,
    _auth: Authed,
    Path(id): Path<String>,
) -> Response {
    get_one(&state, Resource::RiskAcceptances, &id).await
}

/// `PATCH /api/v2/risk_acceptance/{id}/`: extend (or shorten) the expiry, fix the wording.
/// The covered findings cannot be changed here: accept others with a new acceptance, lift one
/// with `PATCH /api/v2/findings/{id}/`.
pub async fn patch_risk_acceptance(
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
                &[
                    "name",
                    "decision_details",
                    "justification",
                    "accepted_by",
                    "expiration_date",
                    "recommendation",
                    "recommendation_details",
                    "decision",
                    "reactivate_expired",
                    "restart_sla_expired",
                ],
                "accept other findings with a new risk acceptance; lift one with PATCH \
                 /api/v2/findings/{id}/",
            )?;
            let patch = DecisionPatch {
                name: body_json::text(body, "name")?,
                justification: match body_json::text(body, "justification")? {
                    Some(why) => Some(why),
                    None => body_json::text(body, "decision_details")?,
                },
                accepted_by: body_json::text(body, "accepted_by")?,
                expiration_date: body_json::datetime(body, "expiration_date")?,
                recommendation: body_json::text(body, "recommendation")?,
                recommendation_details: body_json::text(body, "recommendation_details")?,
                decision: body_json::text(body, "decision")?,
                reactivate_expired: body_json::boolean(body, "reactivate_expired")?,
                restart_sla_expired: body_json::boolean(body, "restart_sla_expired")?,
            };
            state
                .store
                .update_risk_acceptance(&user, id, &patch, Utc::now())
                .await?;
            Ok((
                StatusCode::OK,
                state.store.get(Resource::RiskAcceptances, id).await?,
            ))
        }
        .await,
    )
}

/// DefectDojo's bulk acceptance: one risk acceptance per body item, over the active findings
/// matching the query's filters and the item's `vulnerability_id`. Answers with the
/// acceptances created (items that matched nothing create none).
pub async fn accept_risks(
    State(state): State<AppState>,
    Authed(user): Authed,
    Query(query): Query2,
    JsonBody(body): JsonBody,
) -> Response {
    respond(
        async {
            let Some(items) = body.as_array() else {
                return Err(HubError::field(
                    "non_field_errors",
                    "Expected a list of {\"vulnerability_id\", \"justification\", \"accepted_by\"} items.",
                ));
            };
            let mut decisions = Vec::with_capacity(items.len());
            for item in items {
                let item = body_json::object(item)?;
                decisions.push((
                    Selection::Filter {
                        query: query.clone(),
                        vulnerability_id: body_json::text(item, "vulnerability_id")?
                            .filter(|v| !v.trim().is_empty()),
                    },
                    decision(Kind::RiskAccepted, item)?,
                ));
            }
            let created = state.store.triage(&user, &decisions, Utc::now()).await?;
            let mut results = Vec::new();
            for id in created.into_iter().flatten() {
                results.push(state.store.get(Resource::RiskAcceptances, id).await?);
            }
            Ok((
                StatusCode::CREATED,
                json!({"count": results.len(), "next": null, "previous": null, "results": results}),
            ))
        }
        .await,
    )
}

/// Marks every active finding matching the query's filters as a false positive, under one
/// decision with a justification and an expiry.
pub async fn false_positive(
    State(state): State<AppState>,
    Authed(user): Authed,
    Query(query): Query2,
    JsonBody(body): JsonBody,
) -> Response {
    respond(
        async {
            let body = body_json::object(&body)?;
            body_json::only(
                body,
                &["justification", "expiration_date", "accepted_by", "name"],
                "choose the findings with query filters (e.g. ?product=1&severity=Low)",
            )?;
            let selection = Selection::Filter {
                query,
                vulnerability_id: None,
            };
            let d = decision(Kind::FalsePositive, body)?;
            let created = state
                .store
                .triage(&user, &[(selection, d)], Utc::now())
                .await?;
            let Some(id) = created.first().copied().flatten() else {
                return Err(HubError::context(
                    "No active, unsuppressed finding matches these filters: nothing was marked",
                ));
            };
            Ok((
                StatusCode::CREATED,
                state.store.get(Resource::RiskAcceptances, id).await?,
            ))
        }
        .await,
    )
}
