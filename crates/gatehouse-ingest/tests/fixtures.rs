//! One test per DefectDojo fixture: expected count and fields, a snapshot, and no panic on
//! truncated input. Generated list; the harness is in `common/mod.rs`.

mod common;

macro_rules! fixture {
    ($name:ident, $scan_type:literal, $path:literal) => {
        #[test]
        fn $name() {
            common::check_fixture(
                $scan_type,
                $path,
                include_bytes!(concat!(
                    env!("CARGO_MANIFEST_DIR"),
                    "/tests/fixtures/",
                    $path
                )),
            );
        }
    };
}

fixture!(
    sarif_suppressiontestcurrent_sarif,
    "SARIF",
    "sarif/SuppressionTestCurrent.sarif"
);
fixture!(sarif_appendix_k_sarif, "SARIF", "sarif/appendix_k.sarif");
fixture!(sarif_appendix_k1_sarif, "SARIF", "sarif/appendix_k1.sarif");
fixture!(sarif_appendix_k2_sarif, "SARIF", "sarif/appendix_k2.sarif");
fixture!(sarif_appendix_k3_sarif, "SARIF", "sarif/appendix_k3.sarif");
fixture!(sarif_appendix_k4_sarif, "SARIF", "sarif/appendix_k4.sarif");
fixture!(
    sarif_bash_report_fabricated_no_internal_dupes_subset_sarif,
    "SARIF",
    "sarif/bash-report-fabricated-no-internal-dupes-subset.sarif"
);
fixture!(
    sarif_bash_report_fabricated_no_internal_dupes_sarif,
    "SARIF",
    "sarif/bash-report-fabricated-no-internal-dupes.sarif"
);
fixture!(
    sarif_bash_report_subset_same_hash_code_same_unique_id_sarif,
    "SARIF",
    "sarif/bash-report-subset-same-hash-code-same-unique-id.sarif"
);
fixture!(sarif_bash_report_sarif, "SARIF", "sarif/bash-report.sarif");
fixture!(
    sarif_dockle_0_3_15_sarif,
    "SARIF",
    "sarif/dockle_0_3_15.sarif"
);
fixture!(
    sarif_gitleaks_7_5_0_sarif,
    "SARIF",
    "sarif/gitleaks_7.5.0.sarif"
);
fixture!(sarif_mobsfscan_json, "SARIF", "sarif/mobsfscan.json");
fixture!(sarif_njsscan_sarif, "SARIF", "sarif/njsscan.sarif");
fixture!(sarif_no_runs_sarif, "SARIF", "sarif/no_runs.sarif");
fixture!(sarif_spotbugs_sarif, "SARIF", "sarif/spotbugs.sarif");
fixture!(
    sarif_suppression_test_sarif,
    "SARIF",
    "sarif/suppression_test.sarif"
);
fixture!(
    sarif_taint_python_report_sarif,
    "SARIF",
    "sarif/taint-python-report.sarif"
);
fixture!(
    trivy_cvss_severity_source_json,
    "Trivy Scan",
    "trivy/cvss_severity_source.json"
);
fixture!(
    trivy_issue_14136_json,
    "Trivy Scan",
    "trivy/issue_14136.json"
);
fixture!(trivy_issue_9092_json, "Trivy Scan", "trivy/issue_9092.json");
fixture!(trivy_issue_9263_json, "Trivy Scan", "trivy/issue_9263.json");
fixture!(trivy_kubernetes_json, "Trivy Scan", "trivy/kubernetes.json");
fixture!(
    trivy_kubernetes_fabricated_internal_duplicates_json,
    "Trivy Scan",
    "trivy/kubernetes_fabricated_internal_duplicates.json"
);
fixture!(
    trivy_kubernetes_fabricated_internal_duplicates_subset_json,
    "Trivy Scan",
    "trivy/kubernetes_fabricated_internal_duplicates_subset.json"
);
fixture!(
    trivy_kubernetes_fabricated_subset_json,
    "Trivy Scan",
    "trivy/kubernetes_fabricated_subset.json"
);
fixture!(
    trivy_legacy_no_vuln_json,
    "Trivy Scan",
    "trivy/legacy_no_vuln.json"
);
fixture!(
    trivy_legacy_trivy_mix_json,
    "Trivy Scan",
    "trivy/legacy_trivy_mix.json"
);
fixture!(
    trivy_misconfigurations_and_secrets_json,
    "Trivy Scan",
    "trivy/misconfigurations_and_secrets.json"
);
fixture!(
    trivy_scheme_2_many_vulns_json,
    "Trivy Scan",
    "trivy/scheme_2_many_vulns.json"
);
fixture!(
    trivy_scheme_2_no_vuln_json,
    "Trivy Scan",
    "trivy/scheme_2_no_vuln.json"
);
fixture!(
    trivy_severity_prio_json,
    "Trivy Scan",
    "trivy/severity_prio.json"
);
fixture!(
    anchore_grype_anchore_grype_epss_problem_json,
    "Anchore Grype",
    "anchore_grype/anchore_grype_epss_problem.json"
);
fixture!(
    anchore_grype_check_all_fields_different_ids_fabricated_json,
    "Anchore Grype",
    "anchore_grype/check_all_fields_different_ids_fabricated.json"
);
fixture!(
    anchore_grype_check_all_fields_no_ids_fabricated_json,
    "Anchore Grype",
    "anchore_grype/check_all_fields_no_ids_fabricated.json"
);
fixture!(
    anchore_grype_check_all_fields_with_ids_fabricated_json,
    "Anchore Grype",
    "anchore_grype/check_all_fields_with_ids_fabricated.json"
);
fixture!(
    anchore_grype_fix_available_json,
    "Anchore Grype",
    "anchore_grype/fix_available.json"
);
fixture!(
    anchore_grype_fix_not_available_json,
    "Anchore Grype",
    "anchore_grype/fix_not_available.json"
);
fixture!(
    anchore_grype_issue_9942_json,
    "Anchore Grype",
    "anchore_grype/issue_9942.json"
);
fixture!(
    anchore_grype_many_vulns3_json,
    "Anchore Grype",
    "anchore_grype/many_vulns3.json"
);
fixture!(
    anchore_grype_many_vulns4_json,
    "Anchore Grype",
    "anchore_grype/many_vulns4.json"
);
fixture!(
    anchore_grype_many_vulns_with_epss_values_json,
    "Anchore Grype",
    "anchore_grype/many_vulns_with_epss_values.json"
);
fixture!(
    anchore_grype_no_vuln_json,
    "Anchore Grype",
    "anchore_grype/no_vuln.json"
);
fixture!(
    checkov_checkov_report_0_vuln_json,
    "Checkov Scan",
    "checkov/checkov-report-0-vuln.json"
);
fixture!(
    checkov_checkov_report_1_vuln_json,
    "Checkov Scan",
    "checkov/checkov-report-1-vuln.json"
);
fixture!(
    checkov_checkov_report_many_vuln_json,
    "Checkov Scan",
    "checkov/checkov-report-many-vuln.json"
);
fixture!(
    checkov_checkov2_report_0_vuln_json,
    "Checkov Scan",
    "checkov/checkov2-report-0-vuln.json"
);
fixture!(
    semgrep_close_old_findings_report_line31_json,
    "Semgrep JSON Report",
    "semgrep/close_old_findings_report_line31.json"
);
fixture!(
    semgrep_close_old_findings_report_second_run_line24_json,
    "Semgrep JSON Report",
    "semgrep/close_old_findings_report_second_run_line24.json"
);
fixture!(
    semgrep_close_old_findings_report_third_run_different_unique_id_json,
    "Semgrep JSON Report",
    "semgrep/close_old_findings_report_third_run_different_unique_id.json"
);
fixture!(
    semgrep_empty_json,
    "Semgrep JSON Report",
    "semgrep/empty.json"
);
fixture!(
    semgrep_issue_8435_json,
    "Semgrep JSON Report",
    "semgrep/issue_8435.json"
);
fixture!(
    semgrep_many_findings_json,
    "Semgrep JSON Report",
    "semgrep/many_findings.json"
);
fixture!(
    semgrep_multiple_cwes_fabricated_json,
    "Semgrep JSON Report",
    "semgrep/multiple_cwes_fabricated.json"
);
fixture!(
    semgrep_one_finding_json,
    "Semgrep JSON Report",
    "semgrep/one_finding.json"
);
fixture!(
    semgrep_repeated_findings_json,
    "Semgrep JSON Report",
    "semgrep/repeated_findings.json"
);
fixture!(
    semgrep_semgrep_version_1_30_0_line_26_json,
    "Semgrep JSON Report",
    "semgrep/semgrep_version_1_30_0_line_26.json"
);
fixture!(
    semgrep_semgrep_version_1_30_0_line_27_json,
    "Semgrep JSON Report",
    "semgrep/semgrep_version_1_30_0_line_27.json"
);
fixture!(
    gitleaks_data_many_json,
    "Gitleaks Scan",
    "gitleaks/data_many.json"
);
fixture!(
    gitleaks_data_one_json,
    "Gitleaks Scan",
    "gitleaks/data_one.json"
);
fixture!(
    gitleaks_issue4336_json,
    "Gitleaks Scan",
    "gitleaks/issue4336.json"
);
fixture!(
    gitleaks_no_findings_json,
    "Gitleaks Scan",
    "gitleaks/no_findings.json"
);
fixture!(
    gitleaks_redacted_data_many_json,
    "Gitleaks Scan",
    "gitleaks/redacted_data_many.json"
);
fixture!(bandit_dd_json, "Bandit Scan", "bandit/dd.json");
fixture!(bandit_no_vuln_json, "Bandit Scan", "bandit/no_vuln.json");
fixture!(bandit_one_vuln_json, "Bandit Scan", "bandit/one_vuln.json");
fixture!(
    osv_scanner_multi_cwe_fabricated_json,
    "OSV Scan",
    "osv_scanner/multi_cwe_fabricated.json"
);
fixture!(
    osv_scanner_no_findings_json,
    "OSV Scan",
    "osv_scanner/no_findings.json"
);
fixture!(
    osv_scanner_some_findings_json,
    "OSV Scan",
    "osv_scanner/some_findings.json"
);
fixture!(
    snyk_all_projects_many_vulns_json,
    "Snyk Scan",
    "snyk/all-projects_many_vulns.json"
);
fixture!(
    snyk_all_projects_no_vulns_json,
    "Snyk Scan",
    "snyk/all-projects_no_vulns.json"
);
fixture!(
    snyk_all_projects_one_vuln_json,
    "Snyk Scan",
    "snyk/all-projects_one_vuln.json"
);
fixture!(
    snyk_single_project_none_cvss_json,
    "Snyk Scan",
    "snyk/single_project_None_cvss.json"
);
fixture!(
    snyk_single_project_many_vulns_json,
    "Snyk Scan",
    "snyk/single_project_many_vulns.json"
);
fixture!(
    snyk_single_project_no_vulns_json,
    "Snyk Scan",
    "snyk/single_project_no_vulns.json"
);
fixture!(
    snyk_single_project_one_vuln_json,
    "Snyk Scan",
    "snyk/single_project_one_vuln.json"
);
fixture!(
    snyk_single_project_one_vuln_with_ampersands_json,
    "Snyk Scan",
    "snyk/single_project_one_vuln_with_ampersands.json"
);
fixture!(
    snyk_snykcontainer_issue_9270_json,
    "Snyk Scan",
    "snyk/snykcontainer_issue_9270.json"
);
fixture!(
    generic_generic_csv_defect_dojo_csv,
    "Generic Findings Import",
    "generic/generic_csv_defect_dojo.csv"
);
fixture!(
    generic_generic_custom_test_json,
    "Generic Findings Import",
    "generic/generic_custom_test.json"
);
fixture!(
    generic_generic_custom_test_with_meta_json,
    "Generic Findings Import",
    "generic/generic_custom_test_with_meta.json"
);
fixture!(
    generic_generic_empty_json,
    "Generic Findings Import",
    "generic/generic_empty.json"
);
fixture!(
    generic_generic_no_type_json,
    "Generic Findings Import",
    "generic/generic_no_type.json"
);
fixture!(
    generic_generic_non_numeric_fields_json,
    "Generic Findings Import",
    "generic/generic_non_numeric_fields.json"
);
fixture!(
    generic_generic_one_finding_with_component_name_json,
    "Generic Findings Import",
    "generic/generic_one_finding_with_component_name.json"
);
fixture!(
    generic_generic_report1_csv,
    "Generic Findings Import",
    "generic/generic_report1.csv"
);
fixture!(
    generic_generic_report1_json,
    "Generic Findings Import",
    "generic/generic_report1.json"
);
fixture!(
    generic_generic_report1_more_tags_json,
    "Generic Findings Import",
    "generic/generic_report1_more_tags.json"
);
fixture!(
    generic_generic_report4_json,
    "Generic Findings Import",
    "generic/generic_report4.json"
);
fixture!(
    generic_generic_report_fix_version_csv,
    "Generic Findings Import",
    "generic/generic_report_fix_version.csv"
);
fixture!(
    generic_generic_report_kev_cvssv4_csv,
    "Generic Findings Import",
    "generic/generic_report_kev_cvssv4.csv"
);
fixture!(
    generic_generic_report_kev_cvssv4_json,
    "Generic Findings Import",
    "generic/generic_report_kev_cvssv4.json"
);
fixture!(
    generic_generic_test_type_1_json,
    "Generic Findings Import",
    "generic/generic_test_type_1.json"
);
fixture!(
    generic_generic_test_type_2_json,
    "Generic Findings Import",
    "generic/generic_test_type_2.json"
);
fixture!(
    generic_generic_test_type_equals_scan_type_json,
    "Generic Findings Import",
    "generic/generic_test_type_equals_scan_type.json"
);
fixture!(
    generic_generic_test_type_suffix_json,
    "Generic Findings Import",
    "generic/generic_test_type_suffix.json"
);
fixture!(
    generic_generic_two_findings_same_component_name_json,
    "Generic Findings Import",
    "generic/generic_two_findings_same_component_name.json"
);
fixture!(
    generic_test_import_report1_json,
    "Generic Findings Import",
    "generic/test_import_report1.json"
);
fixture!(
    generic_test_import_report2_json,
    "Generic Findings Import",
    "generic/test_import_report2.json"
);
fixture!(
    generic_test_with_image_no_ext_json,
    "Generic Findings Import",
    "generic/test_with_image_no_ext.json"
);
fixture!(
    npm_audit_cwe_null_json,
    "NPM Audit Scan",
    "npm_audit/cwe_null.json"
);
fixture!(
    npm_audit_empty_with_error_json,
    "NPM Audit Scan",
    "npm_audit/empty_with_error.json"
);
fixture!(
    npm_audit_many_vuln_json,
    "NPM Audit Scan",
    "npm_audit/many_vuln.json"
);
fixture!(
    npm_audit_many_vuln_with_groups_json,
    "NPM Audit Scan",
    "npm_audit/many_vuln_with_groups.json"
);
fixture!(
    npm_audit_many_vuln_with_groups_different_titles_json,
    "NPM Audit Scan",
    "npm_audit/many_vuln_with_groups_different_titles.json"
);
fixture!(
    npm_audit_no_vuln_json,
    "NPM Audit Scan",
    "npm_audit/no_vuln.json"
);
fixture!(
    npm_audit_one_vuln_json,
    "NPM Audit Scan",
    "npm_audit/one_vuln.json"
);
fixture!(
    npm_audit_7_plus_multiple_cwes_fabricated_json,
    "NPM Audit v7+ Scan",
    "npm_audit_7_plus/multiple_cwes_fabricated.json"
);
fixture!(
    npm_audit_7_plus_no_vuln_json,
    "NPM Audit v7+ Scan",
    "npm_audit_7_plus/no_vuln.json"
);
fixture!(
    npm_audit_7_plus_one_vuln_json,
    "NPM Audit v7+ Scan",
    "npm_audit_7_plus/one_vuln.json"
);
fixture!(
    gosec_many_vulns_json,
    "Gosec Scanner",
    "gosec/many_vulns.json"
);
fixture!(
    kics_many_findings_json,
    "KICS Scan",
    "kics/many_findings.json"
);
fixture!(kics_no_findings_json, "KICS Scan", "kics/no_findings.json");
fixture!(
    tfsec_many_findings_legacy_json,
    "TFSec Scan",
    "tfsec/many_findings_legacy.json"
);
fixture!(
    tfsec_no_findings_json,
    "TFSec Scan",
    "tfsec/no_findings.json"
);
fixture!(
    tfsec_one_finding_legacy_json,
    "TFSec Scan",
    "tfsec/one_finding_legacy.json"
);
fixture!(
    terrascan_many_findings_json,
    "Terrascan Scan",
    "terrascan/many_findings.json"
);
fixture!(
    terrascan_no_findings_json,
    "Terrascan Scan",
    "terrascan/no_findings.json"
);
fixture!(nuclei_empty_jsonl, "Nuclei Scan", "nuclei/empty.jsonl");
fixture!(
    nuclei_issue_9201_json,
    "Nuclei Scan",
    "nuclei/issue_9201.json"
);
fixture!(
    nuclei_many_findings_new_json,
    "Nuclei Scan",
    "nuclei/many_findings_new.json"
);
fixture!(
    nuclei_many_findings_third_json,
    "Nuclei Scan",
    "nuclei/many_findings_third.json"
);
fixture!(
    nuclei_multi_cwe_fabricated_json,
    "Nuclei Scan",
    "nuclei/multi_cwe_fabricated.json"
);
fixture!(
    nuclei_multiple_matches_json,
    "Nuclei Scan",
    "nuclei/multiple_matches.json"
);
fixture!(
    nuclei_no_findings_json,
    "Nuclei Scan",
    "nuclei/no_findings.json"
);
fixture!(
    hadolint_one_dockerfile_json,
    "Hadolint Dockerfile check",
    "hadolint/one_dockerfile.json"
);
fixture!(
    trufflehog_v3_git_json,
    "Trufflehog Scan",
    "trufflehog/v3_git.json"
);
fixture!(
    trufflehog_v3_github_json,
    "Trufflehog Scan",
    "trufflehog/v3_github.json"
);
fixture!(
    trufflehog3_many_vulns_current_json,
    "Trufflehog3 Scan",
    "trufflehog3/many_vulns_current.json"
);
fixture!(
    trufflehog3_many_vulns_legacy_json,
    "Trufflehog3 Scan",
    "trufflehog3/many_vulns_legacy.json"
);
fixture!(
    trufflehog3_zero_vulns_json,
    "Trufflehog3 Scan",
    "trufflehog3/zero_vulns.json"
);
fixture!(
    dependency_check_dc_empty_xml,
    "Dependency Check Scan",
    "dependency_check/dc_empty.xml"
);
fixture!(
    dependency_check_single_dependency_with_related_no_vulnerability_xml,
    "Dependency Check Scan",
    "dependency_check/single_dependency_with_related_no_vulnerability.xml"
);
fixture!(
    dependency_check_single_vuln_xml,
    "Dependency Check Scan",
    "dependency_check/single_vuln.xml"
);
fixture!(
    dependency_check_version_6_5_3_xml,
    "Dependency Check Scan",
    "dependency_check/version-6.5.3.xml"
);
fixture!(
    dependency_check_version_6_5_3_multi_cwe_fabricated_xml,
    "Dependency Check Scan",
    "dependency_check/version-6.5.3_multi_cwe_fabricated.xml"
);
fixture!(zap_0_zap_sample_xml, "ZAP Scan", "zap/0_zap_sample.xml");
fixture!(
    zap_0_zap_sample_without_zap3_xml,
    "ZAP Scan",
    "zap/0_zap_sample_without_zap3.xml"
);
fixture!(
    zap_1_zap_sample_0_and_new_absent_xml,
    "ZAP Scan",
    "zap/1_zap_sample_0_and_new_absent.xml"
);
fixture!(
    zap_2_zap_sample_0_and_new_endpoint_xml,
    "ZAP Scan",
    "zap/2_zap_sample_0_and_new_endpoint.xml"
);
fixture!(
    zap_3_zap_sampl_0_and_different_severities_xml,
    "ZAP Scan",
    "zap/3_zap_sampl_0_and_different_severities.xml"
);
fixture!(
    zap_5_zap_sample_one_xml,
    "ZAP Scan",
    "zap/5_zap_sample_one.xml"
);
fixture!(
    zap_dvwa_baseline_dojo_xml,
    "ZAP Scan",
    "zap/dvwa_baseline_dojo.xml"
);
fixture!(
    zap_dvwa_baseline_dojo_fabricated_internal_duplicates_xml,
    "ZAP Scan",
    "zap/dvwa_baseline_dojo_fabricated_internal_duplicates.xml"
);
fixture!(
    zap_dvwa_baseline_dojo_fabricated_internal_duplicates_subset_xml,
    "ZAP Scan",
    "zap/dvwa_baseline_dojo_fabricated_internal_duplicates_subset.xml"
);
fixture!(
    zap_dvwa_baseline_dojo_subset_xml,
    "ZAP Scan",
    "zap/dvwa_baseline_dojo_subset.xml"
);
fixture!(zap_empty_2_9_0_xml, "ZAP Scan", "zap/empty_2.9.0.xml");
fixture!(
    cyclonedx_cyclonedx_bom_xml,
    "CycloneDX Scan",
    "cyclonedx/cyclonedx_bom.xml"
);
fixture!(cyclonedx_grype_xml, "CycloneDX Scan", "cyclonedx/grype.xml");
fixture!(
    cyclonedx_issue_8022_json,
    "CycloneDX Scan",
    "cyclonedx/issue_8022.json"
);
fixture!(cyclonedx_jake_xml, "CycloneDX Scan", "cyclonedx/jake.xml");
fixture!(
    cyclonedx_log4j_json,
    "CycloneDX Scan",
    "cyclonedx/log4j.json"
);
fixture!(cyclonedx_log4j_xml, "CycloneDX Scan", "cyclonedx/log4j.xml");
fixture!(
    cyclonedx_multiple_cwes_fabricated_xml,
    "CycloneDX Scan",
    "cyclonedx/multiple_cwes_fabricated.xml"
);
fixture!(
    cyclonedx_no_severity_json,
    "CycloneDX Scan",
    "cyclonedx/no-severity.json"
);
fixture!(
    cyclonedx_retirejs_latest_xml,
    "CycloneDX Scan",
    "cyclonedx/retirejs.latest.xml"
);
fixture!(cyclonedx_spec1_xml, "CycloneDX Scan", "cyclonedx/spec1.xml");
fixture!(
    cyclonedx_valid_vulnerability_1_4_json,
    "CycloneDX Scan",
    "cyclonedx/valid-vulnerability-1.4.json"
);
fixture!(
    cyclonedx_valid_vulnerability_1_4_xml,
    "CycloneDX Scan",
    "cyclonedx/valid-vulnerability-1.4.xml"
);
