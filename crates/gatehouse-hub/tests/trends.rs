//! Trends over real sockets, on SQLite and PostgreSQL: counts of new, closed, reactivated and
//! suppressed findings per day or week and severity, and the open count, from the history
//! that imports, reimports, triage and the expiry sweep record.

#[macro_use]
mod common;

use chrono::{Datelike, Days, NaiveDate, Utc};
use common::{Backend, Hub, reimport_form, start, test_id, trivy_form};
use serde_json::{Value, json};

on_both_backends!(
    trends_count_new_closed_suppressed_and_open_per_day_and_week,
    trends_validate_their_parameters,
    migration_backfill_rebuilds_the_history_of_stored_findings,
    an_expired_acceptance_of_a_fixed_finding_reopens_nothing,
    open_findings_by_age_and_severity,
);

async fn trends(hub: &Hub, query: &str) -> Vec<Value> {
    let response = hub.get(&format!("/api/v2/trends/?{query}")).await;
    assert_eq!(response.status, 200, "{query}: {}", response.body);
    response.body["results"]
        .as_array()
        .expect("results")
        .clone()
}

/// Trivy into P1 (Critical zlib, Medium openssl), the openssl finding closed by a reimport
/// without it, the zlib finding risk accepted. Returns (P1, the Critical finding's id).
async fn history(hub: &Hub) -> (i64, i64) {
    let imported = hub.import(trivy_form("P1")).await;
    let p1 = imported["product_id"].as_i64().expect("product_id");
    let test = test_id(&imported);
    let reimport = hub
        .reimport(reimport_form("Trivy Scan", test, "trivy-zlib-only.json"))
        .await;
    assert_eq!(
        reimport["statistics"]["delta"]["closed"]["total"]["total"],
        1
    );
    let critical = hub
        .findings(&format!("product={p1}&severity=Critical"))
        .await[0]["id"]
        .as_i64()
        .expect("id");
    let accepted = hub
        .send_json(
            "PATCH",
            &format!("/api/v2/findings/{critical}/"),
            &json!({"risk_accepted": true, "justification": "not reachable"}),
        )
        .await;
    assert_eq!(accepted.status, 200, "{}", accepted.body);
    (p1, critical)
}

async fn trends_count_new_closed_suppressed_and_open_per_day_and_week(backend: Backend) {
    let hub = start(backend).await;
    let (p1, critical) = history(&hub).await;
    hub.import(trivy_form("P2")).await;
    let today = Utc::now().date_naive();

    let day = trends(&hub, &format!("product={p1}&start={today}&end={today}")).await;
    assert_eq!(day.len(), 1);
    let bucket = &day[0];
    assert_eq!(bucket["date"], today.to_string());
    assert_eq!(bucket["new"]["total"], 2);
    assert_eq!(bucket["new"]["critical"], 1);
    assert_eq!(bucket["closed"]["medium"], 1);
    assert_eq!(bucket["closed"]["total"], 1);
    assert_eq!(bucket["risk_accepted"]["critical"], 1);
    assert_eq!(bucket["reactivated"]["total"], 0);
    assert_eq!(bucket["open"]["total"], 0);

    // Overall: P2's two findings are new and open.
    let overall = trends(&hub, &format!("start={today}&end={today}")).await;
    assert_eq!(overall[0]["new"]["total"], 4);
    assert_eq!(overall[0]["open"]["total"], 2);
    assert_eq!(
        overall[0]["open"]["total"],
        hub.count("/api/v2/findings/?active=true&duplicate=false")
            .await
    );
    // Before anything happened, nothing was open.
    let yesterday = today - Days::new(1);
    let before = trends(&hub, &format!("start={yesterday}&end={yesterday}")).await;
    assert_eq!(before[0]["open"]["total"], 0);
    assert_eq!(before[0]["new"]["total"], 0);

    // The acceptance expires; the sweep's reactivation shows on its day.
    let expires: chrono::DateTime<Utc> = serde_json::from_value(
        hub.get("/api/v2/risk_acceptance/").await.body["results"][0]["expiration_date"].clone(),
    )
    .expect("expiration_date");
    let sweep_at = expires + chrono::Duration::hours(1);
    let swept = hub
        .store
        .expire_risk_acceptances(sweep_at)
        .await
        .expect("sweep");
    assert_eq!(swept.lifted, vec![critical]);
    let sweep_day = sweep_at.date_naive();
    let days = trends(
        &hub,
        &format!("product={p1}&start={today}&end={sweep_day}&interval=day"),
    )
    .await;
    assert_eq!(days.len() as i64, (sweep_day - today).num_days() + 1);
    let last = days.last().expect("buckets");
    assert_eq!(last["date"], sweep_day.to_string());
    assert_eq!(last["reactivated"]["critical"], 1);
    assert_eq!(last["open"]["critical"], 1);
    assert_eq!(days[days.len() - 2]["open"]["total"], 0);

    let weeks = trends(
        &hub,
        &format!("product={p1}&start={today}&end={sweep_day}&interval=week"),
    )
    .await;
    let total_new: i64 = weeks
        .iter()
        .map(|w| w["new"]["total"].as_i64().expect("new"))
        .sum();
    assert_eq!(total_new, 2);
    for week in &weeks {
        let date = NaiveDate::parse_from_str(week["date"].as_str().expect("date"), "%Y-%m-%d")
            .expect("date");
        assert_eq!(date.weekday(), chrono::Weekday::Mon, "{week}");
    }
    assert_eq!(weeks[0]["closed"]["total"], 1);
    assert_eq!(weeks.last().expect("weeks")["open"]["critical"], 1);
}

async fn trends_validate_their_parameters(backend: Backend) {
    let hub = start(backend).await;
    for (query, field) in [
        ("start=2024-02-01&end=2024-01-01", "start"),
        ("interval=month", "interval"),
        ("start=yesterday", "start"),
        ("product=P1", "product"),
        ("start=2000-01-01&end=2024-01-01", "start"),
    ] {
        let response = hub.get(&format!("/api/v2/trends/?{query}")).await;
        assert_eq!(response.status, 400, "{query}: {}", response.body);
        assert!(
            response.body[field].is_array(),
            "{query}: {}",
            response.body
        );
    }
    // A long range is fine by week; defaults are the last 30 days.
    assert_eq!(
        trends(&hub, "start=2000-01-01&end=2015-01-01&interval=week")
            .await
            .len(),
        784
    );
    assert_eq!(trends(&hub, "").await.len(), 30);
}

/// Databases that held findings before the history table existed get it rebuilt by the
/// migration: the backfill statements, run on today's state, give the same open counts.
async fn migration_backfill_rebuilds_the_history_of_stored_findings(backend: Backend) {
    let hub = start(backend).await;
    let (p1, _) = history(&hub).await;
    let today = Utc::now().date_naive();
    let recorded = trends(&hub, &format!("product={p1}&start={today}&end={today}")).await;

    let flavour = match backend {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    };
    let migration = std::fs::read_to_string(format!(
        "{}/migrations/{flavour}/0004_finding_events.sql",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("migration");
    let backfill = migration
        .split_once("-- Backfill")
        .and_then(|(_, rest)| rest.split_once('\n'))
        .expect("backfill section")
        .1;
    let statements: Vec<String> = backfill
        .lines()
        .filter(|l| !l.trim_start().starts_with("--"))
        .collect::<Vec<_>>()
        .join("\n")
        .split(';')
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect();
    assert_eq!(statements.len(), 2, "{statements:?}");
    let mut all = vec!["DELETE FROM finding_events"];
    all.extend(statements.iter().map(String::as_str));
    hub.sql(&all).await;

    let rebuilt = trends(&hub, &format!("product={p1}&start={today}&end={today}")).await;
    assert_eq!(rebuilt[0]["new"], recorded[0]["new"]);
    assert_eq!(rebuilt[0]["open"], recorded[0]["open"]);
    assert_eq!(rebuilt[0]["closed"]["medium"], 1);
    assert_eq!(rebuilt[0]["risk_accepted"]["critical"], 1);
}

/// A risk-accepted finding that a later scan no longer reports is closed; when its acceptance
/// expires it stays closed and the trends show no reactivation.
async fn an_expired_acceptance_of_a_fixed_finding_reopens_nothing(backend: Backend) {
    let hub = start(backend).await;
    let imported = hub.import(trivy_form("P1")).await;
    let p1 = imported["product_id"].as_i64().expect("product_id");
    let medium = hub.findings("severity=Medium").await[0]["id"]
        .as_i64()
        .expect("id");
    let accepted = hub
        .send_json(
            "PATCH",
            &format!("/api/v2/findings/{medium}/"),
            &json!({"risk_accepted": true, "justification": "PKCS12 not parsed"}),
        )
        .await;
    assert_eq!(accepted.status, 200, "{}", accepted.body);
    let reimport = hub
        .reimport(reimport_form(
            "Trivy Scan",
            test_id(&imported),
            "trivy-zlib-only.json",
        ))
        .await;
    assert_eq!(
        reimport["statistics"]["delta"]["closed"]["total"]["total"],
        1
    );

    let swept = hub
        .store
        .expire_risk_acceptances(Utc::now() + chrono::Duration::days(181))
        .await
        .expect("sweep");
    assert_eq!(swept.lifted, vec![medium]);
    let finding = hub.get(&format!("/api/v2/findings/{medium}/")).await.body;
    assert_eq!(finding["risk_accepted"], false);
    assert_eq!(finding["is_mitigated"], true);
    assert_eq!(finding["active"], false, "fixed findings stay closed");

    let today = Utc::now().date_naive();
    let end = today + Days::new(182);
    let days = trends(&hub, &format!("product={p1}&start={today}&end={end}")).await;
    let reactivated: i64 = days
        .iter()
        .map(|d| d["reactivated"]["total"].as_i64().expect("reactivated"))
        .sum();
    assert_eq!(reactivated, 0);
    assert!(
        days.iter().all(|d| d["open"]["total"] == 1),
        "only the Critical stays open throughout"
    );
}

async fn open_findings_by_age_and_severity(backend: Backend) {
    let hub = start(backend).await;
    let old = hub
        .import(trivy_form("P1").text("scan_date", "2024-01-02"))
        .await;
    let p1 = old["product_id"].as_i64().expect("product_id");
    hub.import(trivy_form("P2")).await;
    let age = |query: &'static str| {
        let hub = &hub;
        async move {
            let response = hub
                .get(&format!("/api/v2/trends/open_by_age/?{query}"))
                .await;
            assert_eq!(response.status, 200, "{}", response.body);
            let buckets = response.body["buckets"]
                .as_array()
                .expect("buckets")
                .clone();
            assert_eq!(buckets.len(), 5);
            buckets
        }
    };
    let all = age("").await;
    assert_eq!(all[0]["age"], "0-7");
    assert_eq!(all[0]["total"], 2);
    assert_eq!(all[0]["critical"], 1);
    assert_eq!(all[4]["age"], "181+");
    assert_eq!(all[4]["total"], 2);
    assert_eq!(all[1]["total"], 0);
    let one = hub
        .get(&format!("/api/v2/trends/open_by_age/?product={p1}"))
        .await
        .body;
    assert_eq!(one["buckets"][0]["total"], 0);
    assert_eq!(one["buckets"][4]["medium"], 1);

    // Suppressed findings are not open.
    let fp = hub
        .send_json(
            "POST",
            "/api/v2/findings/false_positive/?severity=Critical",
            &json!({"justification": "zlib MiniZip is not built"}),
        )
        .await;
    assert_eq!(fp.status, 201, "{}", fp.body);
    let after = age("").await;
    assert_eq!(after[0]["total"], 1);
    assert_eq!(after[4]["total"], 1);
    let bad = hub.get("/api/v2/trends/open_by_age/?product=x").await;
    assert_eq!(bad.status, 400, "{}", bad.body);
}
