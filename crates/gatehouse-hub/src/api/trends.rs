//! `GET /api/v2/trends/?product=&start=YYYY-MM-DD&end=YYYY-MM-DD&interval=day|week`
//! (gatehouse): per bucket and severity, findings new, closed, reactivated, risk accepted and
//! marked false positive, and the findings open at the end of the bucket — for one product or
//! all. Defaults: the last 30 days (day) or 12 weeks (week) up to today.
//!
//! `GET /api/v2/trends/open_by_age/?product=` (gatehouse): open findings now, by age in days
//! since their date (0-7, 8-30, 31-90, 91-180, 181+) and severity.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{Days, NaiveDate, Utc};

use super::auth::Authed;
use super::{AppState, json_response};
use crate::HubError;
use crate::store::history::{Interval, TrendsQuery};

fn param<'a>(query: &'a [(String, String)], name: &str) -> Option<&'a str> {
    query
        .iter()
        .rev()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .filter(|v| !v.is_empty())
}

fn date(query: &[(String, String)], name: &str) -> Result<Option<NaiveDate>, HubError> {
    param(query, name)
        .map(|v| {
            NaiveDate::parse_from_str(v, "%Y-%m-%d").map_err(|_| {
                HubError::field(
                    name,
                    "Date has wrong format. Use one of these formats instead: YYYY-MM-DD.",
                )
            })
        })
        .transpose()
}

fn parse(query: &[(String, String)]) -> Result<TrendsQuery, HubError> {
    let interval = match param(query, "interval").unwrap_or("day") {
        "day" => Interval::Day,
        "week" => Interval::Week,
        other => {
            return Err(HubError::field(
                "interval",
                format!("\"{other}\" is not a valid choice: use day or week."),
            ));
        }
    };
    let product = param(query, "product")
        .map(|v| {
            v.parse::<i64>()
                .map_err(|_| HubError::field("product", "Enter a whole number."))
        })
        .transpose()?;
    let end = date(query, "end")?.unwrap_or_else(|| Utc::now().date_naive());
    let span = match interval {
        Interval::Day => Days::new(29),
        Interval::Week => Days::new(7 * 11),
    };
    let start = date(query, "start")?.unwrap_or_else(|| end.checked_sub_days(span).unwrap_or(end));
    Ok(TrendsQuery {
        product,
        start,
        end,
        interval,
    })
}

pub async fn trends(
    State(state): State<AppState>,
    _auth: Authed,
    Query(query): Query<Vec<(String, String)>>,
) -> Response {
    let result = async {
        let q = parse(&query)?;
        state.store.trends(&q).await
    }
    .await;
    match result {
        Ok(body) => json_response(StatusCode::OK, body),
        Err(e) => e.into_response(),
    }
}

pub async fn open_by_age(
    State(state): State<AppState>,
    _auth: Authed,
    Query(query): Query<Vec<(String, String)>>,
) -> Response {
    let result = async {
        let product = param(&query, "product")
            .map(|v| {
                v.parse::<i64>()
                    .map_err(|_| HubError::field("product", "Enter a whole number."))
            })
            .transpose()?;
        state
            .store
            .open_by_age(product, Utc::now().date_naive())
            .await
    }
    .await;
    match result {
        Ok(body) => json_response(StatusCode::OK, body),
        Err(e) => e.into_response(),
    }
}
