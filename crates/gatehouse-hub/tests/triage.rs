//! Triage over real sockets, on SQLite and PostgreSQL: risk acceptance and false positives
//! need a justification and a bounded expiry, are audited, survive reimports, and end with
//! the expiry sweep.

#[macro_use]
mod common;

use chrono::{Days, Utc};
use common::{Backend, Hub, delta, reimport_form, sarif_form, start, stat, test_id, trivy_form};
use gatehouse_hub::client::MultipartBody;
use serde_json::{Value, json};

on_both_backends!(
    risk_acceptance_needs_justification_and_bounded_expiry,
    risk_acceptance_survives_reimport_until_the_sweep_reactivates_it,
    false_positive_patch_and_revert_are_audited,
    bulk_triage_by_filter_and_vulnerability_id,
    sweeper_expires_at_startup,
    acceptance_can_restart_the_sla_on_expiry,
    expiry_can_be_extended_within_the_maximum_until_it_has_expired,
    the_maximum_expiry_is_configurable,
    concurrent_sweeps_handle_each_acceptance_once,
    triage_and_reimports_at_once_never_fail,
);

/// The id of the finding of `severity` (the trivy fixture has one Medium and one Critical).
async fn finding_id(hub: &Hub, severity: &str) -> i64 {
    let found = hub.findings(&format!("severity={severity}")).await;
    assert_eq!(found.len(), 1, "{found:?}");
    found[0]["id"].as_i64().expect("id")
}

async fn finding(hub: &Hub, id: i64) -> Value {
    let response = hub.get(&format!("/api/v2/findings/{id}/")).await;
    assert_eq!(response.status, 200, "{}", response.body);
    response.body
}

/// The audit records of one finding, oldest first.
async fn audit(hub: &Hub, finding: i64) -> Vec<Value> {
    let response = hub
        .get(&format!(
            "/api/v2/audit_log/?object_type=finding&object_id={finding}"
        ))
        .await;
    assert_eq!(response.status, 200, "{}", response.body);
    response.body["results"]
        .as_array()
        .expect("results")
        .clone()
}

async fn risk_acceptance_needs_justification_and_bounded_expiry(backend: Backend) {
    let hub = start(backend).await;
    hub.import(trivy_form("P1")).await;
    let critical = finding_id(&hub, "Critical").await;
    let create = |body: Value| {
        let hub = &hub;
        async move {
            hub.send_json("POST", "/api/v2/risk_acceptance/", &body)
                .await
        }
    };

    let missing = create(json!({"name": "ra", "accepted_findings": [critical]})).await;
    assert_eq!(missing.status, 400, "{}", missing.body);
    assert!(
        missing.body["justification"][0]
            .as_str()
            .is_some_and(|m| m.contains("justification is required")),
        "{}",
        missing.body
    );
    let blank = create(json!({"accepted_findings": [critical], "decision_details": "  "})).await;
    assert_eq!(blank.status, 400, "{}", blank.body);

    let too_far = Utc::now().date_naive() + Days::new(400);
    let far = create(json!({
        "accepted_findings": [critical], "decision_details": "vendor fix pending",
        "expiration_date": too_far.to_string(),
    }))
    .await;
    assert_eq!(far.status, 400, "{}", far.body);
    assert!(
        far.body["expiration_date"][0]
            .as_str()
            .is_some_and(|m| m.contains("365 days")),
        "{}",
        far.body
    );
    let past = create(json!({
        "accepted_findings": [critical], "decision_details": "vendor fix pending",
        "expiration_date": "2020-01-01",
    }))
    .await;
    assert_eq!(past.status, 400, "{}", past.body);
    let unknown = create(json!({"accepted_findings": [999999], "decision_details": "x"})).await;
    assert_eq!(unknown.status, 400, "{}", unknown.body);
    assert_eq!(
        unknown.body["accepted_findings"],
        json!(["Invalid pk \"999999\" - object does not exist."])
    );
    let not_json = hub
        .post(
            "/api/v2/risk_acceptance/",
            MultipartBody::default().text("decision_details", "x"),
        )
        .await;
    assert_eq!(not_json.status, 415, "{}", not_json.body);

    // Nothing of the refused requests was written.
    assert_eq!(hub.count("/api/v2/risk_acceptance/").await, 0);
    assert_eq!(hub.count("/api/v2/findings/?active=true").await, 2);
    assert_eq!(hub.count("/api/v2/audit_log/?object_type=finding").await, 0);
}

async fn risk_acceptance_survives_reimport_until_the_sweep_reactivates_it(backend: Backend) {
    let hub = start(backend).await;
    let imported = hub.import(trivy_form("P1")).await;
    let test = test_id(&imported);
    let critical = finding_id(&hub, "Critical").await;
    let before = Utc::now();

    let created = hub
        .send_json(
            "POST",
            "/api/v2/risk_acceptance/",
            &json!({
                "name": "zlib in base image",
                "accepted_findings": [critical],
                "decision_details": "MiniZip is not linked into the service",
                "accepted_by": "alice@example.com",
            }),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let ra = &created.body;
    assert_eq!(ra["accepted_findings"], json!([critical]));
    assert_eq!(ra["accepted_by"], "alice@example.com");
    assert_eq!(ra["owner_name"], "ci");
    assert_eq!(ra["decision"], "A");
    assert_eq!(ra["reactivate_expired"], true);
    assert_eq!(ra["expiration_date_handled"], Value::Null);
    let expires: chrono::DateTime<Utc> =
        serde_json::from_value(ra["expiration_date"].clone()).expect("expiration_date");
    let days = (expires - before).num_days();
    assert!(
        (179..=180).contains(&days),
        "default expiry 180 days: {days}"
    );
    let ra_id = ra["id"].as_i64().expect("id");
    assert_eq!(
        hub.get(&format!("/api/v2/risk_acceptance/{ra_id}/"))
            .await
            .body,
        created.body
    );
    let accepted = finding(&hub, critical).await;
    assert_eq!(accepted["risk_accepted"], true);
    assert_eq!(accepted["active"], false);

    // The scanner still reports it: the reimport leaves the acceptance alone.
    let reimport = hub
        .reimport(reimport_form("Trivy Scan", test, "trivy-openssl.json"))
        .await;
    assert_eq!(delta(&reimport, "reactivated", "total"), 0);
    assert_eq!(delta(&reimport, "untouched", "total"), 2);
    assert_eq!(stat(&reimport, "after", "critical", "risk_accepted"), 1);
    assert_eq!(stat(&reimport, "after", "critical", "active"), 0);

    // Not yet due: nothing happens.
    let early = hub
        .store
        .expire_risk_acceptances(expires - chrono::Duration::hours(1))
        .await
        .expect("sweep");
    assert!(early.risk_acceptances.is_empty(), "{early:?}");
    assert_eq!(finding(&hub, critical).await["risk_accepted"], true);

    let swept = hub
        .store
        .expire_risk_acceptances(expires + chrono::Duration::hours(1))
        .await
        .expect("sweep");
    assert_eq!(swept.risk_acceptances, vec![ra_id]);
    assert_eq!(swept.lifted, vec![critical]);
    let back = finding(&hub, critical).await;
    assert_eq!(back["risk_accepted"], false);
    assert_eq!(back["active"], true);
    let handled = hub
        .get(&format!("/api/v2/risk_acceptance/{ra_id}/"))
        .await
        .body;
    assert!(handled["expiration_date_handled"].is_string(), "{handled}");
    let again = hub
        .store
        .expire_risk_acceptances(expires + chrono::Duration::days(2))
        .await
        .expect("sweep");
    assert!(again.risk_acceptances.is_empty(), "handled only once");

    // Who, when, what, why — for the acceptance and for its end.
    let trail = audit(&hub, critical).await;
    assert_eq!(trail.len(), 2, "{trail:?}");
    assert_eq!(trail[0]["action"], "finding.risk_accepted");
    assert_eq!(trail[0]["actor"], "ci");
    assert_eq!(
        trail[0]["detail"]["justification"],
        "MiniZip is not linked into the service"
    );
    assert_eq!(trail[0]["detail"]["accepted_by"], "alice@example.com");
    assert!(trail[0]["at"].is_string());
    assert_eq!(trail[1]["action"], "finding.risk_accepted.expire");
    assert_eq!(trail[1]["actor"], "gatehouse (expiry sweep)");
    assert_eq!(trail[1]["detail"]["risk_acceptance"], ra_id);
}

async fn false_positive_patch_and_revert_are_audited(backend: Backend) {
    let hub = start(backend).await;
    let imported = hub.import(sarif_form("sarif-full.sarif")).await;
    let test = test_id(&imported);
    let id = hub.findings(&format!("test={test}")).await[0]["id"]
        .as_i64()
        .expect("id");
    let path = format!("/api/v2/findings/{id}/");
    let in_30_days = (Utc::now().date_naive() + Days::new(30)).to_string();

    let unjustified = hub
        .send_json("PATCH", &path, &json!({"false_p": true}))
        .await;
    assert_eq!(unjustified.status, 400, "{}", unjustified.body);
    let other_field = hub
        .send_json("PATCH", &path, &json!({"title": "renamed"}))
        .await;
    assert_eq!(other_field.status, 400, "{}", other_field.body);
    assert!(other_field.body["title"].is_array(), "{}", other_field.body);
    let missing = hub
        .send_json(
            "PATCH",
            "/api/v2/findings/999999/",
            &json!({"false_p": true, "justification": "x"}),
        )
        .await;
    assert_eq!(missing.status, 404, "{}", missing.body);
    assert_eq!(finding(&hub, id).await["active"], true);

    let marked = hub
        .send_json(
            "PATCH",
            &path,
            &json!({
                "false_p": true,
                "justification": "test fixture, not shipped",
                "expiration_date": in_30_days,
            }),
        )
        .await;
    assert_eq!(marked.status, 200, "{}", marked.body);
    assert_eq!(marked.body["false_p"], true);
    assert_eq!(marked.body["active"], false);
    assert_eq!(marked.body["verified"], false);
    let twice = hub
        .send_json(
            "PATCH",
            &path,
            &json!({"risk_accepted": true, "justification": "again"}),
        )
        .await;
    assert_eq!(
        twice.status, 400,
        "already a false positive: {}",
        twice.body
    );

    // The report still contains it; it stays a false positive.
    let reimport = hub
        .reimport(reimport_form("SARIF", test, "sarif-full.sarif"))
        .await;
    assert_eq!(delta(&reimport, "reactivated", "total"), 0);
    assert_eq!(stat(&reimport, "after", "total", "false_p"), 1);
    assert_eq!(finding(&hub, id).await["false_p"], true);

    let reverted = hub
        .send_json(
            "PATCH",
            &path,
            &json!({"false_p": false, "justification": "the rule was right after all"}),
        )
        .await;
    assert_eq!(reverted.status, 200, "{}", reverted.body);
    assert_eq!(reverted.body["false_p"], false);
    assert_eq!(reverted.body["active"], true);
    let not_marked = hub
        .send_json(
            "PATCH",
            &path,
            &json!({"false_p": false, "justification": "again"}),
        )
        .await;
    assert_eq!(not_marked.status, 400, "{}", not_marked.body);

    let trail = audit(&hub, id).await;
    let actions: Vec<&str> = trail.iter().filter_map(|a| a["action"].as_str()).collect();
    assert_eq!(actions, ["finding.false_p", "finding.false_p.revert"]);
    assert_eq!(
        trail[1]["detail"]["justification"],
        "the rule was right after all"
    );
    // The decision is kept, with the finding it covered.
    let decisions = hub.get("/api/v2/risk_acceptance/?kind=false_p").await.body;
    assert_eq!(decisions["count"], 1, "{decisions}");
    assert_eq!(decisions["results"][0]["accepted_findings"], json!([id]));
}

async fn bulk_triage_by_filter_and_vulnerability_id(backend: Backend) {
    let hub = start(backend).await;
    let p1 = hub.import(trivy_form("P1")).await["product_id"]
        .as_i64()
        .expect("product_id");
    hub.import(trivy_form("P2")).await;

    let everything = hub
        .send_json(
            "POST",
            "/api/v2/findings/accept_risks/",
            &json!([{"justification": "all of it", "accepted_by": "bob"}]),
        )
        .await;
    assert_eq!(everything.status, 400, "{}", everything.body);
    assert_eq!(hub.count("/api/v2/findings/?active=true").await, 4);

    let accepted = hub
        .send_json(
            "POST",
            &format!("/api/v2/findings/accept_risks/?product={p1}"),
            &json!([{
                "vulnerability_id": "CVE-2024-0727",
                "justification": "PKCS12 files never reach this service",
                "accepted_by": "bob",
            }]),
        )
        .await;
    assert_eq!(accepted.status, 201, "{}", accepted.body);
    assert_eq!(accepted.body["count"], 1, "{}", accepted.body);
    let ra = &accepted.body["results"][0];
    assert_eq!(
        ra["decision_details"],
        "PKCS12 files never reach this service"
    );
    let covered = ra["accepted_findings"].as_array().expect("list").clone();
    assert_eq!(covered.len(), 1);
    let medium_p1 = &finding(&hub, covered[0].as_i64().expect("id")).await;
    assert_eq!(medium_p1["product"], p1);
    assert_eq!(medium_p1["cve"], "CVE-2024-0727");
    assert_eq!(medium_p1["risk_accepted"], true);
    // P2's copy of the CVE is untouched.
    assert_eq!(hub.count("/api/v2/findings/?risk_accepted=true").await, 1);

    let fp = hub
        .send_json(
            "POST",
            "/api/v2/findings/false_positive/?severity=Critical",
            &json!({"justification": "zlib MiniZip is not built"}),
        )
        .await;
    assert_eq!(fp.status, 201, "{}", fp.body);
    assert_eq!(fp.body["kind"], "false_p");
    assert_eq!(
        fp.body["accepted_findings"].as_array().map(Vec::len),
        Some(2)
    );
    assert_eq!(hub.count("/api/v2/findings/?false_p=true").await, 2);
    assert_eq!(hub.count("/api/v2/findings/?active=true").await, 1);
    let nothing_left = hub
        .send_json(
            "POST",
            "/api/v2/findings/false_positive/?severity=Critical",
            &json!({"justification": "again"}),
        )
        .await;
    assert_eq!(nothing_left.status, 400, "{}", nothing_left.body);
    assert_eq!(hub.count("/api/v2/risk_acceptance/").await, 2);
    assert_eq!(
        hub.count("/api/v2/audit_log/?object_type=finding&action=finding.false_p")
            .await,
        2
    );
}

/// `gatehouse serve` runs the sweep when it starts: an acceptance that expired while the hub
/// was down is handled by the first round.
async fn sweeper_expires_at_startup(backend: Backend) {
    let hub = start(backend).await;
    hub.import(trivy_form("P1")).await;
    let medium = finding_id(&hub, "Medium").await;
    let created = hub
        .send_json(
            "PATCH",
            &format!("/api/v2/findings/{medium}/"),
            &json!({"risk_accepted": true, "justification": "until the base image update"}),
        )
        .await;
    assert_eq!(created.status, 200, "{}", created.body);
    let past = match backend {
        Backend::Sqlite => "'2020-01-01T00:00:00+00:00'",
        Backend::Postgres => "TIMESTAMPTZ '2020-01-01 00:00:00+00'",
    };
    hub.sql(&[&format!(
        "UPDATE risk_acceptances SET expiration_date = {past}"
    )])
    .await;
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let sweeper = tokio::spawn(gatehouse_hub::triage::sweep_forever(
        hub.store.clone(),
        std::time::Duration::from_secs(3600),
        move |result| {
            let _ = tx.send(result.map_err(|e| e.to_string()));
        },
    ));
    let first = tokio::time::timeout(std::time::Duration::from_secs(30), rx.recv())
        .await
        .expect("the first sweep runs at once")
        .expect("a report")
        .expect("sweep succeeded");
    sweeper.abort();
    assert_eq!(first.lifted, vec![medium]);
    assert_eq!(finding(&hub, medium).await["active"], true);
}

/// `restart_sla_expired`: when the acceptance ends, the SLA clock starts again that day.
async fn acceptance_can_restart_the_sla_on_expiry(backend: Backend) {
    let hub = start(backend).await;
    hub.import(trivy_form("P1").text("scan_date", "2024-01-02"))
        .await;
    let critical = finding_id(&hub, "Critical").await;
    assert_eq!(
        finding(&hub, critical).await["sla_expiration_date"],
        "2024-01-09"
    );
    let created = hub
        .send_json(
            "POST",
            "/api/v2/risk_acceptance/",
            &json!({
                "accepted_findings": [critical],
                "decision_details": "compensating WAF rule",
                "restart_sla_expired": true,
                "expiration_date": (Utc::now().date_naive() + Days::new(10)).to_string(),
            }),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let at = Utc::now() + chrono::Duration::days(11);
    let swept = hub.store.expire_risk_acceptances(at).await.expect("sweep");
    assert_eq!(swept.lifted, vec![critical]);
    let back = finding(&hub, critical).await;
    let due = at.date_naive() + Days::new(7);
    assert_eq!(back["sla_expiration_date"], due.to_string(), "{back}");
    assert_eq!(back["active"], true);
}

async fn expiry_can_be_extended_within_the_maximum_until_it_has_expired(backend: Backend) {
    let hub = start(backend).await;
    hub.import(trivy_form("P1")).await;
    let critical = finding_id(&hub, "Critical").await;
    let created = hub
        .send_json(
            "POST",
            "/api/v2/risk_acceptance/",
            &json!({"accepted_findings": [critical], "decision_details": "vendor patch due"}),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let id = created.body["id"].as_i64().expect("id");
    let path = format!("/api/v2/risk_acceptance/{id}/");
    let first: chrono::DateTime<Utc> =
        serde_json::from_value(created.body["expiration_date"].clone()).expect("date");

    let too_far = (Utc::now().date_naive() + Days::new(400)).to_string();
    let refused = hub
        .send_json("PATCH", &path, &json!({"expiration_date": too_far}))
        .await;
    assert_eq!(refused.status, 400, "{}", refused.body);
    let findings = hub
        .send_json("PATCH", &path, &json!({"accepted_findings": []}))
        .await;
    assert_eq!(findings.status, 400, "{}", findings.body);
    let blank = hub
        .send_json("PATCH", &path, &json!({"decision_details": " "}))
        .await;
    assert_eq!(blank.status, 400, "{}", blank.body);

    let later = (Utc::now().date_naive() + Days::new(300)).to_string();
    let extended = hub
        .send_json(
            "PATCH",
            &path,
            &json!({"expiration_date": later, "decision_details": "vendor patch slipped to Q3"}),
        )
        .await;
    assert_eq!(extended.status, 200, "{}", extended.body);
    assert_eq!(
        extended.body["decision_details"],
        "vendor patch slipped to Q3"
    );
    let swept = hub
        .store
        .expire_risk_acceptances(first + chrono::Duration::hours(1))
        .await
        .expect("sweep");
    assert!(swept.risk_acceptances.is_empty(), "extended: {swept:?}");
    assert_eq!(finding(&hub, critical).await["risk_accepted"], true);
    let trail = hub
        .get(&format!(
            "/api/v2/audit_log/?object_type=risk_acceptance&object_id={id}&action=risk_acceptance.update"
        ))
        .await
        .body;
    assert_eq!(trail["count"], 1, "{trail}");
    assert_eq!(
        trail["results"][0]["detail"]["justification"],
        "vendor patch slipped to Q3"
    );

    let swept = hub
        .store
        .expire_risk_acceptances(Utc::now() + chrono::Duration::days(301))
        .await
        .expect("sweep");
    assert_eq!(swept.risk_acceptances, vec![id]);
    let after = hub
        .send_json("PATCH", &path, &json!({"expiration_date": later}))
        .await;
    assert_eq!(
        after.status, 400,
        "handled acceptances stay ended: {}",
        after.body
    );
    let missing = hub
        .send_json(
            "PATCH",
            "/api/v2/risk_acceptance/999/",
            &json!({"name": "x"}),
        )
        .await;
    assert_eq!(missing.status, 404, "{}", missing.body);
}

/// `gatehouse serve --max-acceptance-days`: the store refuses longer decisions and shortens
/// the default to the maximum.
async fn the_maximum_expiry_is_configurable(backend: Backend) {
    use gatehouse_hub::triage::{Decision, Kind, Selection, TriagePolicy};
    let hub = start(backend).await;
    hub.import(trivy_form("P1")).await;
    let critical = finding_id(&hub, "Critical").await;
    assert!(TriagePolicy::with_max_days(0).is_err());
    let strict = gatehouse_hub::Store::connect(&hub.url)
        .await
        .expect("store")
        .with_triage_policy(TriagePolicy::with_max_days(30).expect("policy"));
    let now = Utc::now();
    let mut long = Decision::new(Kind::RiskAccepted, "until the rewrite");
    long.expiration_date = Some(now + chrono::Duration::days(60));
    let refused = strict
        .triage("ci", &[(Selection::Ids(vec![critical]), long)], now)
        .await
        .expect_err("60 days > 30");
    assert!(refused.to_string().contains("30 days"), "{refused}");
    let created = strict
        .triage(
            "ci",
            &[(
                Selection::Ids(vec![critical]),
                Decision::new(Kind::RiskAccepted, "until the rewrite"),
            )],
            now,
        )
        .await
        .expect("default expiry");
    let id = created[0].expect("recorded");
    let ra = hub
        .get(&format!("/api/v2/risk_acceptance/{id}/"))
        .await
        .body;
    let expires: chrono::DateTime<Utc> =
        serde_json::from_value(ra["expiration_date"].clone()).expect("date");
    // PostgreSQL keeps microseconds: compare to the second.
    let off = (expires - now - chrono::Duration::days(30)).num_seconds();
    assert_eq!(off, 0, "default shortened to the maximum: {expires}");
    strict.close().await;
}

/// Two sweeps at once (two replicas): every acceptance is handled exactly once.
async fn concurrent_sweeps_handle_each_acceptance_once(backend: Backend) {
    let hub = start(backend).await;
    hub.import(trivy_form("P1")).await;
    hub.import(trivy_form("P2")).await;
    for finding in hub.findings("active=true").await {
        let id = finding["id"].as_i64().expect("id");
        let response = hub
            .send_json(
                "PATCH",
                &format!("/api/v2/findings/{id}/"),
                &json!({"false_p": true, "justification": "scanner noise"}),
            )
            .await;
        assert_eq!(response.status, 200, "{}", response.body);
    }
    assert_eq!(hub.count("/api/v2/risk_acceptance/").await, 4);
    let at = Utc::now() + chrono::Duration::days(181);
    let (a, b) = tokio::join!(
        hub.store.expire_risk_acceptances(at),
        hub.store.expire_risk_acceptances(at)
    );
    let (a, b) = (a.expect("sweep a"), b.expect("sweep b"));
    let mut handled = a.risk_acceptances.clone();
    handled.extend(&b.risk_acceptances);
    handled.sort_unstable();
    let all: Vec<i64> = hub.get("/api/v2/risk_acceptance/").await.body["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter_map(|r| r["id"].as_i64())
        .collect();
    assert_eq!(handled, all, "{a:?} {b:?}");
    assert_eq!(
        hub.count("/api/v2/audit_log/?action=risk_acceptance.expire")
            .await,
        4
    );
    assert_eq!(hub.count("/api/v2/findings/?active=true").await, 4);
}

/// Pipelines reimporting while people triage the same findings: every request succeeds or
/// is refused for a reason of its own (never a database error such as a deadlock), and the
/// flags end consistent.
async fn triage_and_reimports_at_once_never_fail(backend: Backend) {
    let hub = std::sync::Arc::new(start(backend).await);
    let imported = hub.import(sarif_form("sarif-full.sarif")).await;
    let test = test_id(&imported);
    let ids: Vec<i64> = hub
        .findings(&format!("test={test}"))
        .await
        .iter()
        .filter_map(|f| f["id"].as_i64())
        .collect();
    let mut tasks = Vec::new();
    for round in 0..3 {
        for file in ["sarif-subset.sarif", "sarif-full.sarif"] {
            let hub = hub.clone();
            tasks.push(tokio::spawn(async move {
                let response = hub
                    .post("/api/v2/reimport-scan/", reimport_form("SARIF", test, file))
                    .await;
                (
                    format!("reimport {file} #{round}"),
                    response.status,
                    response.body,
                )
            }));
        }
        for id in &ids {
            let hub = hub.clone();
            let id = *id;
            tasks.push(tokio::spawn(async move {
                let path = format!("/api/v2/findings/{id}/");
                let set = round % 2 == 0;
                let response = hub
                    .send_json(
                        "PATCH",
                        &path,
                        &json!({"risk_accepted": set, "justification": "load test"}),
                    )
                    .await;
                (format!("PATCH {id} {set}"), response.status, response.body)
            }));
        }
    }
    for task in tasks {
        let (what, status, body) = task.await.expect("task");
        assert!(
            status == 200 || status == 201 || (status == 400 && body.is_array()),
            "{what}: {status} {body}"
        );
    }
    // Every accepted finding is inactive; every live link belongs to an accepted finding.
    assert_eq!(
        hub.count(&format!(
            "/api/v2/findings/?test={test}&risk_accepted=true&active=true"
        ))
        .await,
        0
    );
    for finding in hub.findings(&format!("test={test}")).await {
        let id = finding["id"].as_i64().expect("id");
        let trail = hub
            .get(&format!(
                "/api/v2/audit_log/?object_type=finding&object_id={id}"
            ))
            .await
            .body;
        let last = trail["results"]
            .as_array()
            .and_then(|r| r.last())
            .map(|a| a["action"].clone());
        let accepted = finding["risk_accepted"] == true;
        match last.as_ref().and_then(|a| a.as_str()) {
            Some("finding.risk_accepted") => assert!(accepted, "{finding}"),
            Some("finding.risk_accepted.revert") | None => assert!(!accepted, "{finding}"),
            other => panic!("unexpected audit action {other:?}"),
        }
    }
}
