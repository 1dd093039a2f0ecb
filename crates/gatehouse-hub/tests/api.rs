//! The DefectDojo-compatible API over real sockets, on SQLite and on PostgreSQL: every test
//! runs once per backend against a fresh database.

#[macro_use]
mod common;

use common::{
    Backend, Hub, delta, form, reimport_form, sarif_form, start, start_on, stat, test_id,
    trivy_form,
};
use gatehouse_hub::client::{self, MultipartBody};
use serde_json::json;

on_both_backends!(
    import_sarif_returns_201_with_defectdojo_statistics,
    identical_reimport_changes_nothing,
    subset_reimport_closes_absent_and_full_reimport_reactivates,
    missing_or_wrong_token_is_403_and_writes_nothing,
    malformed_report_is_400_and_writes_nothing,
    bad_fields_are_400_with_field_errors,
    second_engagement_import_marks_duplicates_of_originals,
    unknown_product_without_auto_create_is_400,
    lists_paginate_and_filter,
    list_counts_follow_writes_of_other_processes,
    same_cve_from_two_scanners_is_one_open_finding,
    failure_mid_import_rolls_back_everything,
    concurrent_imports_into_one_product_count_exactly,
    reimport_never_reopens_false_positives_and_respects_do_not_reactivate,
    import_with_close_old_findings_closes_what_the_new_report_lacks,
    minimum_severity_drops_findings_before_anything_else,
);

async fn nothing_written(hub: &Hub) {
    assert_eq!(hub.count("/api/v2/products/").await, 0);
    assert_eq!(hub.count("/api/v2/engagements/").await, 0);
    assert_eq!(hub.count("/api/v2/tests/").await, 0);
    assert_eq!(hub.count("/api/v2/findings/").await, 0);
}

async fn import_sarif_returns_201_with_defectdojo_statistics(backend: Backend) {
    let hub = start(backend).await;
    let form = sarif_form("sarif-full.sarif")
        .text("tags", "ci,sarif")
        .text("scan_date", "2024-01-02");
    let response = hub.post("/api/v2/import-scan/", form).await;
    assert_eq!(response.status, 201, "{}", response.body);
    let body = &response.body;
    assert_eq!(stat(body, "after", "total", "total"), 5);
    assert_eq!(stat(body, "after", "total", "active"), 5);
    assert_eq!(stat(body, "after", "total", "duplicate"), 0);
    for severity in ["info", "low", "medium", "high", "critical"] {
        assert!(
            body["statistics"]["after"][severity].is_object(),
            "{severity} missing"
        );
    }
    assert_eq!(body["scan_type"], "SARIF");
    assert_eq!(body["tags"], json!(["ci", "sarif"]));
    assert_eq!(body["scan_date"], "2024-01-02");
    assert_eq!(body["test"], body["test_id"]);
    assert_eq!(body["deduplication_complete"], true);
    assert_eq!(body["close_old_findings"], false);
    assert!(body.get("file").is_none());
    let test = test_id(body);
    assert_eq!(
        hub.count(&format!("/api/v2/findings/?test={test}")).await,
        5
    );
    let findings = hub
        .get(&format!("/api/v2/findings/?test={test}&limit=1"))
        .await
        .body;
    let finding = &findings["results"][0];
    assert_eq!(finding["date"], "2024-01-02");
    assert_eq!(finding["hash_code"].as_str().map(str::len), Some(64));
    // DefectDojo's Test_Type ids (SARIF is the first registered parser), and the names.
    assert_eq!(finding["found_by"], json!([1]));
    assert_eq!(finding["found_by_scan_types"], json!(["SARIF"]));
}

async fn reimport(hub: &Hub, test: i64, file: &str) -> serde_json::Value {
    hub.reimport(reimport_form("SARIF", test, file)).await
}

async fn identical_reimport_changes_nothing(backend: Backend) {
    let hub = start(backend).await;
    let imported = hub.import(sarif_form("sarif-full.sarif")).await;
    let test = test_id(&imported);
    let body = reimport(&hub, test, "sarif-full.sarif").await;
    assert_eq!(delta(&body, "created", "total"), 0);
    assert_eq!(delta(&body, "closed", "total"), 0);
    assert_eq!(delta(&body, "reactivated", "total"), 0);
    assert_eq!(delta(&body, "untouched", "total"), 5);
    assert_eq!(body["statistics"]["before"], body["statistics"]["after"]);
    assert_eq!(body["statistics"]["after"], imported["statistics"]["after"]);
    assert_eq!(body["test"], test);
    assert_eq!(body["close_old_findings"], true);
    assert_eq!(hub.count("/api/v2/findings/").await, 5);
}

async fn subset_reimport_closes_absent_and_full_reimport_reactivates(backend: Backend) {
    let hub = start(backend).await;
    let imported = hub.import(sarif_form("sarif-full.sarif")).await;
    let test = test_id(&imported);

    let body = reimport(&hub, test, "sarif-subset.sarif").await;
    assert_eq!(delta(&body, "created", "total"), 0);
    assert_eq!(delta(&body, "closed", "total"), 1);
    assert_eq!(
        delta(&body, "closed", "total"),
        delta(&body, "closed", "is_mitigated")
    );
    assert_eq!(delta(&body, "untouched", "total"), 4);
    assert_eq!(stat(&body, "after", "total", "is_mitigated"), 1);
    assert_eq!(stat(&body, "after", "total", "active"), 4);
    assert_eq!(stat(&body, "after", "total", "total"), 5);
    let closed = hub
        .get(&format!("/api/v2/findings/?test={test}&is_mitigated=true"))
        .await
        .body;
    assert_eq!(closed["count"], 1);
    assert!(
        closed["results"][0]["mitigated"].is_string(),
        "mitigated date set: {closed}"
    );
    assert_eq!(closed["results"][0]["active"], false);

    // The same subset again: the closed one stays closed, nothing else moves.
    let again = reimport(&hub, test, "sarif-subset.sarif").await;
    assert_eq!(delta(&again, "closed", "total"), 0);
    assert_eq!(again["statistics"]["before"], again["statistics"]["after"]);

    let full = reimport(&hub, test, "sarif-full.sarif").await;
    assert_eq!(delta(&full, "reactivated", "total"), 1);
    assert_eq!(delta(&full, "created", "total"), 0);
    assert_eq!(stat(&full, "after", "total", "active"), 5);
    assert_eq!(stat(&full, "after", "total", "is_mitigated"), 0);
}

async fn missing_or_wrong_token_is_403_and_writes_nothing(backend: Backend) {
    let hub = start(backend).await;
    let none = client::post_form(
        &hub.base,
        "/api/v2/import-scan/",
        None,
        sarif_form("sarif-full.sarif"),
    )
    .await
    .expect("request");
    assert_eq!(none.status, 403);
    assert_eq!(
        none.body,
        json!({"detail": "Authentication credentials were not provided."})
    );
    let wrong = client::post_form(
        &hub.base,
        "/api/v2/import-scan/",
        Some("0123456789abcdef0123456789abcdef01234567"),
        sarif_form("sarif-full.sarif"),
    )
    .await
    .expect("request");
    assert_eq!(wrong.status, 403);
    assert_eq!(wrong.body, json!({"detail": "Invalid token."}));
    let bearer = client::send(
        &hub.base,
        "GET",
        "/api/v2/findings/",
        &[("authorization", &format!("Bearer {}", hub.token))],
        Vec::new(),
    )
    .await
    .expect("request");
    assert_eq!(bearer.status, 403, "only the `Token` scheme is recognised");
    nothing_written(&hub).await;
}

async fn malformed_report_is_400_and_writes_nothing(backend: Backend) {
    let hub = start(backend).await;
    let form = MultipartBody::default()
        .text("scan_type", "SARIF")
        .text("product_type_name", "PT1")
        .text("product_name", "P1")
        .text("engagement_name", "E1")
        .text("auto_create_context", "true")
        .file(
            "file",
            "broken.sarif",
            b"{\"version\": \"2.1.0\", \"runs\": [",
        );
    let response = hub.post("/api/v2/import-scan/", form).await;
    assert_eq!(response.status, 400, "{}", response.body);
    let message = response.body["message"].as_str().expect("message");
    assert!(message.contains("line 1"), "names the position: {message}");
    nothing_written(&hub).await;
}

async fn bad_fields_are_400_with_field_errors(backend: Backend) {
    let hub = start(backend).await;
    let unknown = hub
        .post(
            "/api/v2/import-scan/",
            MultipartBody::default()
                .text("scan_type", "Nope Scan")
                .file("file", "a.json", b"{}"),
        )
        .await;
    assert_eq!(unknown.status, 400);
    assert_eq!(
        unknown.body["scan_type"],
        json!(["\"Nope Scan\" is not a valid choice."])
    );
    let missing = hub
        .post(
            "/api/v2/import-scan/",
            MultipartBody::default().text("product_name", "P1"),
        )
        .await;
    assert_eq!(missing.status, 400);
    assert_eq!(
        missing.body["scan_type"],
        json!(["This field is required."])
    );
    assert_eq!(missing.body["file"], json!(["No file was submitted."]));
    assert!(missing.body["message"].is_string());
    let bad = hub
        .post(
            "/api/v2/import-scan/",
            sarif_form("sarif-full.sarif")
                .text("minimum_severity", "high")
                .text("active", "maybe")
                .text("scan_date", "2999-01-01"),
        )
        .await;
    assert_eq!(bad.status, 400);
    assert_eq!(
        bad.body["minimum_severity"],
        json!(["\"high\" is not a valid choice."])
    );
    assert_eq!(bad.body["active"], json!(["Must be a valid boolean."]));
    assert_eq!(
        bad.body["scan_date"],
        json!(["The scan_date cannot be in the future!"])
    );
    let auth = format!("Token {}", hub.token);
    let json_body = client::send(
        &hub.base,
        "POST",
        "/api/v2/import-scan/",
        &[
            ("authorization", &auth),
            ("content-type", "application/json"),
        ],
        b"{\"scan_type\":\"SARIF\"}".to_vec(),
    )
    .await
    .expect("request");
    assert_eq!(json_body.status, 415);
    assert_eq!(
        json_body.body,
        json!({"detail": "Unsupported media type \"application/json\" in request."})
    );
    nothing_written(&hub).await;
}

async fn second_engagement_import_marks_duplicates_of_originals(backend: Backend) {
    let hub = start(backend).await;
    let first = hub.import(sarif_form("sarif-full.sarif")).await;
    let form = MultipartBody::default()
        .text("scan_type", "SARIF")
        .text("product_name", "P1")
        .text("engagement_name", "E2")
        .text("auto_create_context", "true")
        .file(
            "file",
            "sarif-full.sarif",
            &common::fixture("sarif-full.sarif"),
        );
    let second = hub.post("/api/v2/import-scan/", form).await;
    assert_eq!(second.status, 201, "{}", second.body);
    let body = &second.body;
    assert_ne!(body["engagement_id"], first["engagement_id"]);
    assert_eq!(
        stat(body, "after", "total", "total"),
        5,
        "every report item is stored"
    );
    assert_eq!(stat(body, "after", "total", "duplicate"), 5);
    assert_eq!(stat(body, "after", "total", "active"), 0);
    let test = test_id(body);
    let dupes = hub
        .get(&format!("/api/v2/findings/?test={test}&limit=100"))
        .await
        .body;
    let first_test = test_id(&first);
    let originals = hub
        .get(&format!("/api/v2/findings/?test={first_test}&limit=100"))
        .await
        .body;
    let original_ids: Vec<&serde_json::Value> = originals["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|f| &f["id"])
        .collect();
    for dupe in dupes["results"].as_array().expect("results") {
        assert_eq!(dupe["duplicate"], true);
        assert!(original_ids.contains(&&dupe["duplicate_finding"]), "{dupe}");
    }
    // Still exactly one open finding per issue in the product.
    assert_eq!(hub.count("/api/v2/findings/?active=true").await, 5);
}

async fn unknown_product_without_auto_create_is_400(backend: Backend) {
    let hub = start(backend).await;
    let form = MultipartBody::default()
        .text("scan_type", "SARIF")
        .text("product_name", "Nope")
        .text("engagement_name", "E1")
        .file(
            "file",
            "sarif-full.sarif",
            &common::fixture("sarif-full.sarif"),
        );
    let response = hub.post("/api/v2/import-scan/", form).await;
    assert_eq!(response.status, 400);
    assert_eq!(response.body, json!(["Product \"Nope\" does not exist"]));
    let reimport = MultipartBody::default()
        .text("scan_type", "SARIF")
        .text("test", "999")
        .file(
            "file",
            "sarif-full.sarif",
            &common::fixture("sarif-full.sarif"),
        );
    let response = hub.post("/api/v2/reimport-scan/", reimport).await;
    assert_eq!(response.status, 400);
    assert_eq!(response.body, json!(["Test \"999\" does not exist"]));
    nothing_written(&hub).await;
}

/// Counts are reused while the database is unchanged (PostgreSQL snapshot, SQLite
/// `data_version`); a commit by another hub on the same database (another process) must show at
/// once, however many times the same query was answered before.
async fn list_counts_follow_writes_of_other_processes(backend: Backend) {
    let hub = start(backend).await;
    hub.import(sarif_form("sarif-full.sarif")).await;
    let other = start_on(backend, hub.url.clone(), None).await;
    let query = "/api/v2/findings/?active=true&limit=1";
    for _ in 0..3 {
        assert_eq!(hub.count(query).await, 5);
    }
    other
        .import(form("SARIF", "P2", "E1", "sarif-full.sarif"))
        .await;
    assert_eq!(hub.count(query).await, 10);
    assert_eq!(other.count(query).await, 10);
    let test = test_id(
        &hub.import(form("SARIF", "P3", "E1", "sarif-full.sarif"))
            .await,
    );
    assert_eq!(other.count(query).await, 15);
    // A reimport of a subset closes findings: the cached count of the writer drops too.
    hub.reimport(reimport_form("SARIF", test, "sarif-subset.sarif"))
        .await;
    assert!(other.count(query).await < 15);
    assert_eq!(other.count(query).await, hub.count(query).await);
}

async fn lists_paginate_and_filter(backend: Backend) {
    let hub = start(backend).await;
    let imported = hub.import(sarif_form("sarif-full.sarif")).await;
    // DefectDojo's generated client sends `//api/v2/…` (base URL with a trailing slash).
    assert_eq!(hub.get("//api/v2/findings/?limit=2").await.body["count"], 5);
    let page = hub.get("/api/v2/findings/?limit=2").await;
    assert_eq!(page.status, 200);
    assert_eq!(page.body["count"], 5);
    assert_eq!(page.body["results"].as_array().map(Vec::len), Some(2));
    assert_eq!(page.body["previous"], serde_json::Value::Null);
    let next = page.body["next"].as_str().expect("next");
    assert!(
        next.ends_with("/api/v2/findings/?limit=2&offset=2"),
        "{next}"
    );
    let last = hub.get("/api/v2/findings/?limit=2&offset=4").await.body;
    assert_eq!(last["results"].as_array().map(Vec::len), Some(1));
    assert_eq!(last["next"], serde_json::Value::Null);
    assert!(last["previous"].is_string());
    let product = imported["product_id"].as_i64().expect("product_id");
    assert_eq!(
        hub.count(&format!("/api/v2/engagements/?product={product}"))
            .await,
        1
    );
    assert_eq!(hub.count("/api/v2/products/?name=P1").await, 1);
    assert_eq!(hub.count("/api/v2/products/?name=P2").await, 0);
    assert_eq!(hub.count("/api/v2/tests/?scan_type=SARIF").await, 1);
    assert_eq!(
        hub.count("/api/v2/findings/?duplicate=false&active=true")
            .await,
        5
    );
    let bad = hub.get("/api/v2/findings/?test=abc").await;
    assert_eq!(bad.status, 400);
}

/// Trivy and Grype reporting one CVE on one package version are one open finding with two
/// sources; the second scanner's result is stored as a duplicate of the first.
async fn same_cve_from_two_scanners_is_one_open_finding(backend: Backend) {
    let hub = start(backend).await;
    let trivy = hub.import(trivy_form("P1")).await;
    assert_eq!(stat(&trivy, "after", "total", "active"), 2);
    let grype = hub
        .import(form("Anchore Grype", "P1", "E2", "grype-openssl.json"))
        .await;
    assert_eq!(stat(&grype, "after", "total", "total"), 1);
    assert_eq!(stat(&grype, "after", "total", "duplicate"), 1);
    let open = hub
        .get("/api/v2/findings/?active=true&cve=CVE-2024-0727")
        .await
        .body;
    assert_eq!(open["count"], 1, "{open}");
    assert_eq!(
        open["results"][0]["found_by_scan_types"],
        json!(["Trivy Scan", "Anchore Grype"])
    );
    assert_eq!(open["results"][0]["found_by"], json!([2, 3]));
    let dupe = hub.get("/api/v2/findings/?duplicate=true").await.body;
    assert_eq!(
        dupe["results"][0]["duplicate_finding"],
        open["results"][0]["id"]
    );
    assert_eq!(hub.count("/api/v2/findings/?active=true").await, 2);

    // SLA: Critical 7 days, Medium 90 days from the finding's date.
    for (severity, days) in [("Critical", 7), ("Medium", 90)] {
        let found = hub
            .get(&format!(
                "/api/v2/findings/?severity={severity}&duplicate=false"
            ))
            .await
            .body;
        let finding = &found["results"][0];
        let date =
            chrono::NaiveDate::parse_from_str(finding["date"].as_str().expect("date"), "%Y-%m-%d")
                .expect("date");
        let due = date + chrono::Days::new(days);
        assert_eq!(finding["sla_expiration_date"], due.to_string(), "{finding}");
    }
}

/// A database failure after the product, engagement, test and some findings were written (a
/// trigger rejects the fourth finding) rolls the whole import back.
async fn failure_mid_import_rolls_back_everything(backend: Backend) {
    let hub = start(backend).await;
    match backend {
        Backend::Sqlite => {
            hub.sql(&["CREATE TRIGGER boom BEFORE INSERT ON findings WHEN NEW.report_pos = 3 \
                       BEGIN SELECT RAISE(ABORT, 'injected failure'); END"])
                .await
        }
        Backend::Postgres => {
            hub.sql(&[
                "CREATE FUNCTION boom() RETURNS trigger AS $$ BEGIN IF NEW.report_pos = 3 THEN \
                 RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql",
                "CREATE TRIGGER boom BEFORE INSERT ON findings FOR EACH ROW EXECUTE FUNCTION boom()",
            ])
            .await
        }
    }
    let response = hub
        .post("/api/v2/import-scan/", sarif_form("sarif-full.sarif"))
        .await;
    assert_eq!(response.status, 500, "{}", response.body);
    assert!(
        response.body["message"]
            .as_str()
            .is_some_and(|m| m.contains("injected failure"))
    );
    nothing_written(&hub).await;

    let drop = match backend {
        Backend::Sqlite => "DROP TRIGGER boom",
        Backend::Postgres => "DROP TRIGGER boom ON findings",
    };
    hub.sql(&[drop]).await;
    let response = hub
        .post("/api/v2/import-scan/", sarif_form("sarif-full.sarif"))
        .await;
    assert_eq!(response.status, 201, "{}", response.body);
    assert_eq!(hub.count("/api/v2/findings/").await, 5);
}

/// Four pipelines importing the same report into one (auto-created) product at once: one
/// product, four tests, and exactly one open finding per issue.
async fn concurrent_imports_into_one_product_count_exactly(backend: Backend) {
    let hub = std::sync::Arc::new(start(backend).await);
    let mut tasks = Vec::new();
    for i in 0..4 {
        let hub = hub.clone();
        tasks.push(tokio::spawn(async move {
            let form = form("SARIF", "P1", &format!("E{i}"), "sarif-full.sarif");
            hub.post("/api/v2/import-scan/", form).await
        }));
    }
    for task in tasks {
        let response = task.await.expect("task");
        assert_eq!(response.status, 201, "{}", response.body);
    }
    assert_eq!(hub.count("/api/v2/products/").await, 1);
    assert_eq!(hub.count("/api/v2/engagements/").await, 4);
    assert_eq!(hub.count("/api/v2/tests/").await, 4);
    assert_eq!(hub.count("/api/v2/findings/").await, 20);
    assert_eq!(hub.count("/api/v2/findings/?active=true").await, 5);
    assert_eq!(hub.count("/api/v2/findings/?duplicate=true").await, 15);
}

/// A false positive stays one when the scanner reports it again; a closed finding stays closed
/// on reimport with `do_not_reactivate`.
async fn reimport_never_reopens_false_positives_and_respects_do_not_reactivate(backend: Backend) {
    let hub = start(backend).await;
    let imported = hub.import(sarif_form("sarif-full.sarif")).await;
    let test = test_id(&imported);
    // Close one finding (absent from the subset), then mark another as a false positive.
    let subset = reimport(&hub, test, "sarif-subset.sarif").await;
    assert_eq!(delta(&subset, "closed", "total"), 1);
    hub.sql(&[
        "UPDATE findings SET false_p = TRUE, active = FALSE, verified = FALSE \
               WHERE id = (SELECT MIN(id) FROM findings WHERE NOT is_mitigated)",
    ])
    .await;

    let body = &hub
        .reimport(
            reimport_form("SARIF", test, "sarif-full.sarif").text("do_not_reactivate", "true"),
        )
        .await;
    assert_eq!(body["do_not_reactivate"], true);
    assert_eq!(delta(body, "reactivated", "total"), 0);
    assert_eq!(delta(body, "created", "total"), 0);
    assert_eq!(delta(body, "closed", "total"), 0);
    assert_eq!(delta(body, "untouched", "total"), 5);
    assert_eq!(stat(body, "after", "total", "false_p"), 1);
    assert_eq!(stat(body, "after", "total", "is_mitigated"), 1);
    assert_eq!(stat(body, "after", "total", "active"), 3);

    // Without do_not_reactivate the closed one comes back; the false positive still does not.
    let full = reimport(&hub, test, "sarif-full.sarif").await;
    assert_eq!(delta(&full, "reactivated", "total"), 1);
    assert_eq!(stat(&full, "after", "total", "false_p"), 1);
    assert_eq!(stat(&full, "after", "total", "active"), 4);
}

/// `close_old_findings=true` on import closes the engagement's findings of the same scan type
/// that the new report no longer contains (and only those).
async fn import_with_close_old_findings_closes_what_the_new_report_lacks(backend: Backend) {
    let hub = start(backend).await;
    let first = hub.import(sarif_form("sarif-full.sarif")).await;
    let first_test = test_id(&first);
    let second = hub
        .post(
            "/api/v2/import-scan/",
            sarif_form("sarif-subset.sarif").text("close_old_findings", "true"),
        )
        .await;
    assert_eq!(second.status, 201, "{}", second.body);
    assert_eq!(second.body["close_old_findings"], true);
    assert_eq!(stat(&second.body, "after", "total", "total"), 4);
    assert_eq!(stat(&second.body, "after", "total", "duplicate"), 4);
    let closed = hub
        .get(&format!(
            "/api/v2/findings/?test={first_test}&is_mitigated=true"
        ))
        .await
        .body;
    assert_eq!(closed["count"], 1, "{closed}");
    assert_eq!(
        hub.count(&format!("/api/v2/findings/?test={first_test}&active=true"))
            .await,
        4
    );
}

/// Findings below `minimum_severity` are not stored at all.
async fn minimum_severity_drops_findings_before_anything_else(backend: Backend) {
    let hub = start(backend).await;
    let response = hub
        .post(
            "/api/v2/import-scan/",
            sarif_form("sarif-full.sarif").text("minimum_severity", "Low"),
        )
        .await;
    assert_eq!(response.status, 201, "{}", response.body);
    assert_eq!(response.body["minimum_severity"], "Low");
    assert_eq!(stat(&response.body, "after", "total", "total"), 0);
    assert_eq!(hub.count("/api/v2/findings/").await, 0);
    assert_eq!(hub.count("/api/v2/tests/").await, 1);
}
