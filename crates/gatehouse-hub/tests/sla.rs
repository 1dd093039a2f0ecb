//! SLA over real sockets, on SQLite and PostgreSQL: DefectDojo's SLA configurations (default
//! 7/30/90/120, overridable per product), due dates recomputed on change, and the breach
//! listing.

#[macro_use]
mod common;

use chrono::{Days, Utc};
use common::{Backend, Hub, reimport_form, start, test_id, trivy_form};
use gatehouse_hub::client::MultipartBody;
use serde_json::{Value, json};

on_both_backends!(
    default_sla_and_per_product_override_recompute_due_dates,
    sla_configuration_changes_are_validated_and_audited,
    breach_listing_filters_by_product_and_severity,
    reimport_reactivation_restarts_the_sla_when_configured,
);

/// `sla_expiration_date` of the finding of `severity` in `product`.
async fn due(hub: &Hub, product: i64, severity: &str) -> Value {
    let found = hub
        .findings(&format!(
            "product={product}&severity={severity}&duplicate=false"
        ))
        .await;
    assert_eq!(found.len(), 1, "{found:?}");
    found[0]["sla_expiration_date"].clone()
}

fn product_id(body: &Value) -> i64 {
    body["product_id"].as_i64().expect("product_id")
}

async fn default_sla_and_per_product_override_recompute_due_dates(backend: Backend) {
    let hub = start(backend).await;
    let p1 = product_id(
        &hub.import(trivy_form("P1").text("scan_date", "2024-01-02"))
            .await,
    );
    let p2 = product_id(
        &hub.import(trivy_form("P2").text("scan_date", "2024-01-02"))
            .await,
    );
    let product = hub.get(&format!("/api/v2/products/{p1}/")).await;
    assert_eq!(product.status, 200, "{}", product.body);
    assert_eq!(product.body["sla_configuration"], 1);
    let default = hub.get("/api/v2/sla_configurations/1/").await.body;
    assert_eq!(
        (
            &default["name"],
            &default["critical"],
            &default["high"],
            &default["medium"],
            &default["low"]
        ),
        (
            &json!("Default"),
            &json!(7),
            &json!(30),
            &json!(90),
            &json!(120)
        )
    );
    assert_eq!(due(&hub, p1, "Critical").await, "2024-01-09");
    assert_eq!(due(&hub, p1, "Medium").await, "2024-04-01");

    let strict = hub
        .send_json(
            "POST",
            "/api/v2/sla_configurations/",
            &json!({"name": "internet-facing", "critical": 3, "high": 10, "enforce_medium": false}),
        )
        .await;
    assert_eq!(strict.status, 201, "{}", strict.body);
    assert_eq!(strict.body["low"], 120, "unset days keep the defaults");
    let strict_id = strict.body["id"].as_i64().expect("id");
    let patched = hub
        .send_json(
            "PATCH",
            &format!("/api/v2/products/{p1}/"),
            &json!({"sla_configuration": strict_id}),
        )
        .await;
    assert_eq!(patched.status, 200, "{}", patched.body);
    assert_eq!(patched.body["sla_configuration"], strict_id);
    assert_eq!(due(&hub, p1, "Critical").await, "2024-01-05");
    assert_eq!(due(&hub, p1, "Medium").await, Value::Null, "not enforced");
    // The other product keeps the default.
    assert_eq!(due(&hub, p2, "Critical").await, "2024-01-09");
    assert_eq!(due(&hub, p2, "Medium").await, "2024-04-01");

    // Editing the configuration moves the due dates of every product using it.
    let edited = hub
        .send_json(
            "PATCH",
            &format!("/api/v2/sla_configurations/{strict_id}/"),
            &json!({"critical": 5, "enforce_medium": true, "medium": 30}),
        )
        .await;
    assert_eq!(edited.status, 200, "{}", edited.body);
    assert_eq!(due(&hub, p1, "Critical").await, "2024-01-07");
    assert_eq!(due(&hub, p1, "Medium").await, "2024-02-01");
    assert_eq!(due(&hub, p2, "Critical").await, "2024-01-09");

    // New findings of the product get its SLA too.
    let form = MultipartBody::default()
        .text("scan_type", "Trivy Scan")
        .text("product_name", "P1")
        .text("engagement_name", "E2")
        .text("deduplication_on_engagement", "true")
        .text("auto_create_context", "true")
        .text("scan_date", "2024-02-01")
        .file(
            "file",
            "trivy-openssl.json",
            &common::fixture("trivy-openssl.json"),
        );
    let second = hub.import(form).await;
    let engagement = second["engagement_id"].as_i64().expect("engagement_id");
    let fresh = hub
        .findings(&format!("engagement={engagement}&severity=Critical"))
        .await;
    assert_eq!(fresh[0]["sla_expiration_date"], "2024-02-06", "{fresh:?}");
}

async fn sla_configuration_changes_are_validated_and_audited(backend: Backend) {
    let hub = start(backend).await;
    let p1 = product_id(&hub.import(trivy_form("P1")).await);
    let zero = hub
        .send_json(
            "POST",
            "/api/v2/sla_configurations/",
            &json!({"name": "broken", "critical": 0}),
        )
        .await;
    assert_eq!(zero.status, 400, "{}", zero.body);
    assert!(zero.body["critical"].is_array(), "{}", zero.body);
    let nameless = hub
        .send_json("POST", "/api/v2/sla_configurations/", &json!({"high": 3}))
        .await;
    assert_eq!(nameless.status, 400, "{}", nameless.body);
    assert_eq!(nameless.body["name"], json!(["This field is required."]));
    let taken = hub
        .send_json(
            "POST",
            "/api/v2/sla_configurations/",
            &json!({"name": "Default"}),
        )
        .await;
    assert_eq!(taken.status, 400, "{}", taken.body);
    let unknown = hub
        .send_json(
            "PATCH",
            &format!("/api/v2/products/{p1}/"),
            &json!({"sla_configuration": 999}),
        )
        .await;
    assert_eq!(unknown.status, 400, "{}", unknown.body);
    let other_field = hub
        .send_json(
            "PATCH",
            &format!("/api/v2/products/{p1}/"),
            &json!({"name": "renamed"}),
        )
        .await;
    assert_eq!(other_field.status, 400, "{}", other_field.body);
    let missing = hub
        .send_json(
            "PATCH",
            "/api/v2/sla_configurations/999/",
            &json!({"critical": 3}),
        )
        .await;
    assert_eq!(missing.status, 404, "{}", missing.body);
    assert_eq!(hub.count("/api/v2/sla_configurations/").await, 1);
    assert_eq!(
        hub.get(&format!("/api/v2/products/{p1}/")).await.body["sla_configuration"],
        1
    );

    let created = hub
        .send_json(
            "POST",
            "/api/v2/sla_configurations/",
            &json!({"name": "relaxed", "critical": 14}),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let id = created.body["id"].as_i64().expect("id");
    let moved = hub
        .send_json(
            "PATCH",
            &format!("/api/v2/products/{p1}/"),
            &json!({"sla_configuration": id}),
        )
        .await;
    assert_eq!(moved.status, 200, "{}", moved.body);
    let trail = hub
        .get(&format!(
            "/api/v2/audit_log/?object_type=product&object_id={p1}"
        ))
        .await
        .body;
    assert_eq!(trail["count"], 1, "{trail}");
    assert_eq!(trail["results"][0]["action"], "product.sla_configuration");
    assert_eq!(trail["results"][0]["actor"], "ci");
    assert_eq!(trail["results"][0]["detail"], json!({"from": 1, "to": id}));
}

async fn breach_listing_filters_by_product_and_severity(backend: Backend) {
    let hub = start(backend).await;
    // Scanned long ago: both past due (Critical 2024-01-09, Medium 2024-04-01).
    let p1 = product_id(
        &hub.import(trivy_form("P1").text("scan_date", "2024-01-02"))
            .await,
    );
    // Scanned today: within the SLA.
    let p2 = product_id(&hub.import(trivy_form("P2")).await);

    let breaches = hub.get("/api/v2/sla_breaches/").await;
    assert_eq!(breaches.status, 200, "{}", breaches.body);
    assert_eq!(breaches.body["count"], 2, "{}", breaches.body);
    let first = &breaches.body["results"][0];
    assert_eq!(first["severity"], "Critical", "most overdue first");
    assert_eq!(first["product"], p1);
    let expected = (chrono::NaiveDate::from_ymd_opt(2024, 1, 9).expect("date")
        - Utc::now().date_naive())
    .num_days();
    assert_eq!(first["sla_days_remaining"], expected);
    assert_eq!(
        hub.count("/api/v2/sla_breaches/?severity=Critical").await,
        1
    );
    assert_eq!(
        hub.count(&format!("/api/v2/sla_breaches/?product={p2}"))
            .await,
        0
    );
    assert_eq!(hub.count("/api/v2/findings/?outside_of_sla=true").await, 2);
    assert_eq!(hub.count("/api/v2/findings/?outside_of_sla=false").await, 2);
    // Info findings have no SLA: never in breach, always "within".
    hub.import(common::form("SARIF", "P3", "E1", "sarif-full.sarif"))
        .await;
    assert_eq!(hub.count("/api/v2/findings/?outside_of_sla=false").await, 7);
    assert_eq!(hub.count("/api/v2/sla_breaches/").await, 2);
    let within = hub
        .findings(&format!("product={p2}&severity=Critical"))
        .await;
    let in_seven = Utc::now().date_naive() + Days::new(7);
    assert_eq!(within[0]["sla_expiration_date"], in_seven.to_string());
    assert_eq!(within[0]["sla_days_remaining"], 7);

    // An accepted risk is not a breach while the acceptance holds.
    let critical = first["id"].as_i64().expect("id");
    let accepted = hub
        .send_json(
            "PATCH",
            &format!("/api/v2/findings/{critical}/"),
            &json!({"risk_accepted": true, "justification": "isolated network"}),
        )
        .await;
    assert_eq!(accepted.status, 200, "{}", accepted.body);
    assert_eq!(hub.count("/api/v2/sla_breaches/").await, 1);
    let bad = hub.get("/api/v2/sla_breaches/?product=abc").await;
    assert_eq!(bad.status, 400, "{}", bad.body);
}

/// DefectDojo's `restart_sla_on_reactivation`: a finding that comes back on reimport gets a
/// fresh SLA in products whose configuration says so, and keeps its old due date elsewhere.
async fn reimport_reactivation_restarts_the_sla_when_configured(backend: Backend) {
    let hub = start(backend).await;
    let restarting = hub
        .send_json(
            "POST",
            "/api/v2/sla_configurations/",
            &json!({"name": "restart", "restart_sla_on_reactivation": true}),
        )
        .await;
    assert_eq!(restarting.status, 201, "{}", restarting.body);
    let mut products = Vec::new();
    for (name, sla) in [("P1", restarting.body["id"].clone()), ("P2", json!(1))] {
        let imported = hub
            .import(trivy_form(name).text("scan_date", "2024-01-02"))
            .await;
        let product = product_id(&imported);
        let patched = hub
            .send_json(
                "PATCH",
                &format!("/api/v2/products/{product}/"),
                &json!({"sla_configuration": sla}),
            )
            .await;
        assert_eq!(patched.status, 200, "{}", patched.body);
        let test = test_id(&imported);
        for file in ["trivy-zlib-only.json", "trivy-openssl.json"] {
            hub.reimport(reimport_form("Trivy Scan", test, file)).await;
        }
        products.push(product);
    }
    let today = Utc::now().date_naive();
    let medium = hub
        .findings(&format!("product={}&severity=Medium", products[0]))
        .await;
    assert_eq!(medium[0]["active"], true);
    assert_eq!(medium[0]["sla_start_date"], today.to_string());
    assert_eq!(
        medium[0]["sla_expiration_date"],
        (today + Days::new(90)).to_string()
    );
    let kept = hub
        .findings(&format!("product={}&severity=Medium", products[1]))
        .await;
    assert_eq!(kept[0]["active"], true);
    assert_eq!(kept[0]["sla_start_date"], Value::Null);
    assert_eq!(kept[0]["sla_expiration_date"], "2024-04-01");
}
