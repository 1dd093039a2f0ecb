package gatehouse.terraform.gcp_test

import data.gatehouse.terraform.gcp
import rego.v1

one(type, values) := {"resources": [{"address": sprintf("%s.x", [type]), "type": type, "name": "x", "values": values, "unknown": {}}]}

good_bucket := {"uniform_bucket_level_access": true, "public_access_prevention": "enforced", "versioning": [{"enabled": true}]}

bucket(values) := one("google_storage_bucket", object.union(good_bucket, values))

test_compliant_bucket_passes if {
	count(gcp.deny_bucket_no_uniform_access) == 0 with input as bucket({})
	count(gcp.deny_bucket_public_access_prevention) == 0 with input as bucket({})
	count(gcp.deny_bucket_no_versioning) == 0 with input as bucket({})
}

test_bucket_violations if {
	count(gcp.deny_bucket_no_uniform_access) == 1 with input as bucket({"uniform_bucket_level_access": false})
	count(gcp.deny_bucket_public_access_prevention) == 1 with input as bucket({"public_access_prevention": "inherited"})
	count(gcp.deny_bucket_no_versioning) == 1 with input as bucket({"versioning": []})
}

test_bucket_public_members if {
	count(gcp.deny_bucket_public_member) == 1 with input as one("google_storage_bucket_iam_member", {"member": "allUsers"})
	count(gcp.deny_bucket_public_member) == 1 with input as one("google_storage_bucket_iam_binding", {"members": ["user:a@example.com", "allAuthenticatedUsers"]})
	count(gcp.deny_bucket_public_member) == 0 with input as one("google_storage_bucket_iam_member", {"member": "group:readers@example.com"})
}

sql(ip) := one("google_sql_database_instance", {"settings": [{"ip_configuration": [ip]}]})

test_sql_public_ip if {
	count(gcp.deny_sql_public_ip) == 1 with input as sql({"ipv4_enabled": true})
	count(gcp.deny_sql_public_ip) == 0 with input as sql({"ipv4_enabled": false})
}

test_sql_ssl if {
	count(gcp.deny_sql_no_ssl) == 1 with input as sql({"ssl_mode": "ALLOW_UNENCRYPTED_AND_ENCRYPTED"})
	count(gcp.deny_sql_no_ssl) == 0 with input as sql({"ssl_mode": "ENCRYPTED_ONLY"})
	count(gcp.deny_sql_no_ssl) == 0 with input as sql({"require_ssl": true})
}

test_gke_legacy_abac if {
	count(gcp.deny_gke_legacy_abac) == 1 with input as one("google_container_cluster", {"enable_legacy_abac": true})
	count(gcp.deny_gke_legacy_abac) == 0 with input as one("google_container_cluster", {})
}

test_gke_private_nodes if {
	count(gcp.deny_gke_public_nodes) == 1 with input as one("google_container_cluster", {"private_cluster_config": []})
	count(gcp.deny_gke_public_nodes) == 1 with input as one("google_container_cluster", {"private_cluster_config": [{"enable_private_nodes": false}]})
	count(gcp.deny_gke_public_nodes) == 0 with input as one("google_container_cluster", {"private_cluster_config": [{"enable_private_nodes": true}]})
}

firewall(ports, sources) := one("google_compute_firewall", {"direction": "INGRESS", "source_ranges": sources, "allow": [{"protocol": "tcp", "ports": ports}]})

test_firewall_ssh if {
	count(gcp.deny_firewall_ssh) == 1 with input as firewall(["22"], ["0.0.0.0/0"])
	count(gcp.deny_firewall_ssh) == 1 with input as firewall(["20-30"], ["0.0.0.0/0"])
	count(gcp.deny_firewall_ssh) == 0 with input as firewall(["22"], ["35.235.240.0/20"])
}

test_firewall_rdp if {
	count(gcp.deny_firewall_rdp) == 1 with input as firewall([], ["0.0.0.0/0"])
	count(gcp.deny_firewall_rdp) == 0 with input as firewall(["443"], ["0.0.0.0/0"])
}
