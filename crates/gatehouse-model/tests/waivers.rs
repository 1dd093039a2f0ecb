//! Waivers: signed-off, expiring exceptions. Validation, matching, and the report of waivers
//! that matched nothing or expired.

use gatehouse_model::{
    Finding, Location, Matcher, Severity, Suppression, SuppressionError, SuppressionSource,
    WaiverRules, WaiverStatus, Waivers,
};

mod common;

use common::date;

fn waiver(rule: &str) -> Suppression {
    Suppression {
        matcher: Matcher {
            rule: rule.into(),
            ..Matcher::default()
        },
        justification: "Public website bucket, content is public by design".into(),
        approver: "@acme/security".into(),
        expires: date("2025-06-30"),
    }
}

fn today() -> WaiverRules {
    WaiverRules::new(date("2025-05-01"))
}

fn bucket(resource: &str) -> Finding {
    Finding::new("CKV_AWS_20", Severity::High, "bucket is public").with_location(
        Location::file("infra/site/main.tf")
            .with_line(3)
            .with_resource(resource),
    )
}

#[test]
fn a_complete_waiver_within_the_horizon_is_valid() {
    assert_eq!(waiver("CKV_AWS_20").validate(&today()), Ok(()));
}

#[test]
fn every_missing_part_is_reported_at_once() {
    let incomplete = Suppression {
        matcher: Matcher {
            rule: " ".into(),
            path: Some("!infra".into()),
            ..Matcher::default()
        },
        justification: "".into(),
        approver: "  ".into(),
        expires: date("2025-06-30"),
    };
    let messages: Vec<String> = incomplete
        .validate(&today())
        .unwrap_err()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        messages,
        [
            "`rule` is empty: name the rule or vulnerability id (or a glob such as `CKV_AWS_*`)",
            "`path`: `!infra`: negation with `!` is not supported (GitHub ignores it in CODEOWNERS too)",
            "`justification` is empty: say why this risk is accepted",
            "`approver` is empty: name who signed this waiver off",
        ]
    );
}

#[test]
fn expiry_must_be_within_the_horizon() {
    let mut far = waiver("CKV_AWS_20");
    far.expires = date("2025-12-31");
    assert_eq!(
        far.validate(&today()).unwrap_err()[0].to_string(),
        "expires on 2025-12-31, more than 90 days ahead: pick a date on or before 2025-07-30"
    );
    let lenient = WaiverRules {
        max_horizon_days: 365,
        ..today()
    };
    assert_eq!(far.validate(&lenient), Ok(()));
    // The horizon's last day is allowed.
    far.expires = date("2025-07-30");
    assert_eq!(far.validate(&today()), Ok(()));
}

#[test]
fn an_expired_waiver_is_invalid_but_it_applies_through_its_expiry_day() {
    let old = waiver("CKV_AWS_20");
    let after = WaiverRules::new(date("2025-07-01"));
    assert_eq!(
        old.validate(&after),
        Err(vec![SuppressionError::Expired {
            expires: date("2025-06-30"),
            today: date("2025-07-01")
        }])
    );
    assert_eq!(
        old.validate(&after).unwrap_err()[0].to_string(),
        "expired on 2025-06-30 (today is 2025-07-01): fix the findings or renew the waiver"
    );
    assert!(!old.is_expired(date("2025-06-30")));
    assert!(old.is_expired(date("2025-07-01")));
}

#[test]
fn matching_by_rule_glob_path_resource_and_purl() {
    let finding = bucket("module.site.aws_s3_bucket.www");
    let with = |f: fn(&mut Matcher)| {
        let mut w = waiver("CKV_AWS_20");
        f(&mut w.matcher);
        w.matches(&finding)
    };
    assert!(with(|_| {}));
    assert!(with(|m| m.rule = "CKV_AWS_*".into()));
    assert!(with(|m| m.rule = "*".into()));
    assert!(!with(|m| m.rule = "CKV_AWS_2".into()));
    assert!(with(|m| m.path = Some("infra/site/".into())));
    assert!(with(|m| m.path = Some("*.tf".into())));
    assert!(!with(|m| m.path = Some("/site/".into())));
    assert!(with(
        |m| m.resource = Some("module.site.aws_s3_bucket.*".into())
    ));
    assert!(!with(|m| m.resource = Some("module.other.*".into())));
    // A purl condition needs a purl on the finding.
    assert!(!with(|m| m.purl = Some("pkg:npm/lodash".into())));
}

#[test]
fn purl_without_version_covers_every_version() {
    let lodash = |version: &str| {
        Finding::new("GHSA-35jh-r3h4-6jhm", Severity::High, "prototype pollution")
            .with_vulnerability_id("CVE-2021-23337")
            .with_location(Location::package(
                format!("pkg:npm/lodash@{version}"),
                version,
            ))
    };
    let mut any = waiver("CVE-2021-23337");
    any.matcher.purl = Some("pkg:npm/lodash".into());
    let mut pinned = any.clone();
    pinned.matcher.purl = Some("pkg:npm/lodash@4.17.20?foo=bar".into());

    // The rule glob matches a vulnerability id as well as the rule id.
    assert!(any.matches(&lodash("4.17.20")));
    assert!(any.matches(&lodash("4.17.15")));
    assert!(pinned.matches(&lodash("4.17.20")));
    assert!(!pinned.matches(&lodash("4.17.15")));
}

#[test]
fn applying_waivers_suppresses_and_reports_stale_ones() {
    let mut findings = vec![
        bucket("module.site.aws_s3_bucket.www"),
        bucket("module.site.aws_s3_bucket.assets"),
        Finding::new("CKV_AWS_18", Severity::Medium, "no access logging")
            .with_location(Location::file("infra/site/main.tf")),
    ];
    let mut www_only = waiver("CKV_AWS_20");
    www_only.matcher.resource = Some("*.www".into());
    let mut expired = waiver("CKV_AWS_18");
    expired.expires = date("2025-04-30");
    let mut expired_unused = waiver("CKV_GCP_1");
    expired_unused.expires = date("2025-01-01");
    let unused = waiver("CKV_AZURE_1");
    let waivers = Waivers::new(vec![www_only, expired, unused, expired_unused]);

    let report = waivers.apply(&mut findings, today().today);

    let suppressed = findings[0].suppressed.as_ref().unwrap();
    assert_eq!(suppressed.source, SuppressionSource::Waiver);
    assert_eq!(suppressed.approver.as_deref(), Some("@acme/security"));
    assert_eq!(suppressed.expires, Some(date("2025-06-30")));
    assert!(findings[1].suppressed.is_none(), "other resource");
    assert!(
        findings[2].suppressed.is_none(),
        "expired waivers suppress nothing"
    );

    let statuses: Vec<(WaiverStatus, usize)> = report
        .outcomes
        .iter()
        .map(|o| (o.status, o.matched))
        .collect();
    assert_eq!(
        statuses,
        [
            (WaiverStatus::Applied, 1),
            (WaiverStatus::Expired, 1), // still matches: the finding is back in the gate
            (WaiverStatus::Unmatched, 0),
            (WaiverStatus::Expired, 0), // expired and useless: delete it
        ]
    );
    assert_eq!(report.unmatched().collect::<Vec<_>>(), [2]);
    assert_eq!(report.expired().collect::<Vec<_>>(), [1, 3]);
    assert_eq!(report.applied().collect::<Vec<_>>(), [0]);
}

#[test]
fn the_first_waiver_wins_but_every_matching_one_counts_as_used() {
    let mut findings = vec![bucket("aws_s3_bucket.www")];
    let mut first = waiver("CKV_AWS_20");
    first.justification = "first".into();
    let mut second = waiver("CKV_AWS_*");
    second.justification = "second".into();
    let report = Waivers::new(vec![first, second]).apply(&mut findings, today().today);
    assert_eq!(
        findings[0].suppressed.as_ref().unwrap().justification,
        "first"
    );
    assert_eq!(report.unmatched().count(), 0);
}

#[test]
fn an_in_source_suppression_is_kept() {
    let mut finding = bucket("aws_s3_bucket.www");
    finding.suppressed = Some(gatehouse_model::Suppressed {
        source: SuppressionSource::InSource,
        justification: "#checkov:skip=CKV_AWS_20".into(),
        approver: None,
        expires: None,
    });
    let mut findings = vec![finding];
    let report = Waivers::new(vec![waiver("CKV_AWS_20")]).apply(&mut findings, today().today);
    assert_eq!(
        findings[0].suppressed.as_ref().unwrap().source,
        SuppressionSource::InSource
    );
    assert_eq!(report.outcomes[0].status, WaiverStatus::Applied);
}

#[test]
fn validating_a_set_names_each_waivers_index() {
    let mut bad = waiver("CKV_AWS_20");
    bad.approver = String::new();
    let waivers: Waivers = vec![waiver("CKV_AWS_20"), bad].into_iter().collect();
    assert_eq!(
        waivers.validate(&today()),
        [(1, SuppressionError::MissingApprover)]
    );
}

#[test]
fn waivers_deserialize_from_flat_config_entries() {
    let entry: Suppression = serde_json::from_value(serde_json::json!({
        "rule": "CKV_AWS_20",
        "path": "infra/site/",
        "justification": "Public website bucket",
        "approver": "@acme/security",
        "expires": "2025-06-30"
    }))
    .unwrap();
    assert_eq!(entry.matcher.path.as_deref(), Some("infra/site/"));
    assert_eq!(entry.expires, date("2025-06-30"));
    assert!(entry.matches(&bucket("aws_s3_bucket.www")));
}
