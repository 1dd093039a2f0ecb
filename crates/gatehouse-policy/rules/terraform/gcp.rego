# Google Cloud: Cloud Storage buckets, Cloud SQL, GKE and VPC firewall rules.
package gatehouse.terraform.gcp

import data.gatehouse.lib.terraform as tf
import rego.v1

# METADATA
# title: Storage bucket does not enforce uniform bucket-level access
# description: "Without uniform access, per-object ACLs can make single objects public; absent means false."
# custom:
#   id: GH-GCP-001
#   severity: medium
#   checkov: CKV_GCP_29
#   input: terraform
#   remediation: Set `uniform_bucket_level_access = true`.
#   before: |
#     resource "google_storage_bucket" "data" {
#       uniform_bucket_level_access = false
#     }
#   after: |
#     resource "google_storage_bucket" "data" {
#       uniform_bucket_level_access = true
#     }
#   references:
#     - https://cloud.google.com/storage/docs/uniform-bucket-level-access
deny_bucket_no_uniform_access contains result if {
	some r in tf.resources("google_storage_bucket")
	tf.effective(r, "uniform_bucket_level_access", false) == false
	result := tf.result(r, "uniform_bucket_level_access", sprintf("Bucket '%s' does not enforce uniform bucket-level access.", [r.address]))
}

# METADATA
# title: Storage bucket does not enforce public access prevention
# description: "`public_access_prevention` must be `enforced`; `inherited` or absent fails."
# custom:
#   id: GH-GCP-002
#   severity: high
#   checkov: CKV_GCP_114
#   input: terraform
#   remediation: Set `public_access_prevention = "enforced"`.
#   before: |
#     resource "google_storage_bucket" "data" {
#       public_access_prevention = "inherited"
#     }
#   after: |
#     resource "google_storage_bucket" "data" {
#       public_access_prevention = "enforced"
#     }
#   references:
#     - https://cloud.google.com/storage/docs/public-access-prevention
deny_bucket_public_access_prevention contains result if {
	some r in tf.resources("google_storage_bucket")
	value := tf.effective(r, "public_access_prevention", "missing")
	not value in {"enforced", "<unknown>"}
	result := tf.result(r, "public_access_prevention", sprintf("Bucket '%s' public access prevention is '%s'; use enforced.", [r.address, value]))
}

# METADATA
# title: Storage bucket versioning is not enabled
# description: "`versioning.enabled` must be true so overwritten and deleted objects can be recovered; no versioning block fails."
# custom:
#   id: GH-GCP-003
#   severity: low
#   checkov: CKV_GCP_78
#   input: terraform
#   remediation: Add `versioning { enabled = true }`.
#   before: |
#     resource "google_storage_bucket" "data" {
#       name = "data"
#     }
#   after: |
#     resource "google_storage_bucket" "data" {
#       name = "data"
#       versioning { enabled = true }
#     }
#   references:
#     - https://cloud.google.com/storage/docs/object-versioning
deny_bucket_no_versioning contains result if {
	some r in tf.resources("google_storage_bucket")
	not tf.unknown(r, "versioning")
	not versioned(r)
	result := tf.result(r, "versioning", sprintf("Bucket '%s' does not enable versioning.", [r.address]))
}

versioned(r) if r.values.versioning[0].enabled == true

# METADATA
# title: Storage bucket IAM grants access to everyone
# description: A bucket IAM member or binding for `allUsers` or `allAuthenticatedUsers` makes the bucket public.
# custom:
#   id: GH-GCP-004
#   severity: critical
#   checkov: CKV_GCP_28
#   input: terraform
#   remediation: Grant roles to specific users, groups or service accounts only.
#   before: |
#     resource "google_storage_bucket_iam_member" "read" {
#       member = "allUsers"
#     }
#   after: |
#     resource "google_storage_bucket_iam_member" "read" {
#       member = "group:readers@example.com"
#     }
#   references:
#     - https://cloud.google.com/storage/docs/access-control/making-data-public
deny_bucket_public_member contains result if {
	some t in ["google_storage_bucket_iam_member", "google_storage_bucket_iam_binding"]
	some r in tf.resources(t)
	members := array.concat([m | m := r.values.member; is_string(m)], object.get(r.values, "members", []))
	some m in members
	m in {"allUsers", "allAuthenticatedUsers"}
	result := tf.result(r, "member", sprintf("'%s' grants bucket access to '%s'.", [r.address, m]))
}

# METADATA
# title: Cloud SQL instance has a public IP
# description: "`settings.ip_configuration.ipv4_enabled = true` gives the instance a public address; use private IP."
# custom:
#   id: GH-GCP-010
#   severity: high
#   checkov: CKV_GCP_60
#   input: terraform
#   remediation: Set `ipv4_enabled = false` and `private_network` in `ip_configuration`.
#   before: |
#     ip_configuration {
#       ipv4_enabled = true
#     }
#   after: |
#     ip_configuration {
#       ipv4_enabled    = false
#       private_network = google_compute_network.vpc.id
#     }
#   references:
#     - https://cloud.google.com/sql/docs/mysql/configure-private-ip
deny_sql_public_ip contains result if {
	some r in tf.resources("google_sql_database_instance")
	r.values.settings[0].ip_configuration[0].ipv4_enabled == true
	result := tf.result(r, "settings", sprintf("Cloud SQL instance '%s' has a public IP.", [r.address]))
}

# METADATA
# title: Cloud SQL instance does not require SSL
# description: |
#   Connections must use TLS: `ssl_mode = "TRUSTED_CLIENT_CERTIFICATE_REQUIRED"` (or `ENCRYPTED_ONLY`
#   on SQL Server), or the older `require_ssl = true`. Differs from Checkov: CKV_GCP_6 fails
#   `ENCRYPTED_ONLY` on MySQL and PostgreSQL; gatehouse accepts it (it encrypts every connection).
# custom:
#   id: GH-GCP-011
#   severity: high
#   checkov: CKV_GCP_6
#   input: terraform
#   remediation: Set `ssl_mode = "ENCRYPTED_ONLY"` or `"TRUSTED_CLIENT_CERTIFICATE_REQUIRED"` in `ip_configuration`.
#   before: |
#     ip_configuration {
#       ssl_mode = "ALLOW_UNENCRYPTED_AND_ENCRYPTED"
#     }
#   after: |
#     ip_configuration {
#       ssl_mode = "ENCRYPTED_ONLY"
#     }
#   references:
#     - https://cloud.google.com/sql/docs/mysql/configure-ssl-instance
deny_sql_no_ssl contains result if {
	some r in tf.resources("google_sql_database_instance")
	not tf.unknown(r, "settings")
	not requires_ssl(r)
	result := tf.result(r, "settings", sprintf("Cloud SQL instance '%s' accepts unencrypted connections.", [r.address]))
}

requires_ssl(r) if r.values.settings[0].ip_configuration[0].ssl_mode in {"ENCRYPTED_ONLY", "TRUSTED_CLIENT_CERTIFICATE_REQUIRED"}

requires_ssl(r) if r.values.settings[0].ip_configuration[0].require_ssl == true

# METADATA
# title: GKE cluster enables legacy ABAC
# description: Legacy attribute-based access control bypasses Kubernetes RBAC; absent means disabled.
# custom:
#   id: GH-GCP-020
#   severity: high
#   checkov: CKV_GCP_7
#   input: terraform
#   remediation: Set `enable_legacy_abac = false` and grant access with RBAC.
#   before: |
#     resource "google_container_cluster" "k8s" {
#       enable_legacy_abac = true
#     }
#   after: |
#     resource "google_container_cluster" "k8s" {
#       enable_legacy_abac = false
#     }
#   references:
#     - https://cloud.google.com/kubernetes-engine/docs/how-to/hardening-your-cluster#leave_abac_disabled_default_for_110
deny_gke_legacy_abac contains result if {
	some r in tf.resources("google_container_cluster")
	r.values.enable_legacy_abac == true
	result := tf.result(r, "enable_legacy_abac", sprintf("GKE cluster '%s' enables legacy ABAC.", [r.address]))
}

# METADATA
# title: GKE cluster nodes have public IPs
# description: |
#   Nodes need `private_cluster_config.enable_private_nodes = true`. Differs from Checkov:
#   CKV_GCP_25 passes any `private_cluster_config` block, even one with private nodes off.
# custom:
#   id: GH-GCP-021
#   severity: high
#   checkov: CKV_GCP_25
#   input: terraform
#   remediation: Add `private_cluster_config { enable_private_nodes = true }`.
#   before: |
#     resource "google_container_cluster" "k8s" {
#       name = "k8s"
#     }
#   after: |
#     resource "google_container_cluster" "k8s" {
#       name = "k8s"
#       private_cluster_config {
#         enable_private_nodes   = true
#         master_ipv4_cidr_block = "172.16.0.0/28"
#       }
#     }
#   references:
#     - https://cloud.google.com/kubernetes-engine/docs/how-to/private-clusters
deny_gke_public_nodes contains result if {
	some r in tf.resources("google_container_cluster")
	not tf.unknown(r, "private_cluster_config")
	not private_nodes(r)
	result := tf.result(r, "private_cluster_config", sprintf("GKE cluster '%s' nodes are not private.", [r.address]))
}

private_nodes(r) if r.values.private_cluster_config[0].enable_private_nodes == true

# Ingress firewall rules open to the internet for a TCP port.
firewall_open(port) := {r.address: r |
	some r in tf.resources("google_compute_firewall")
	upper(object.get(r.values, "direction", "INGRESS")) == "INGRESS"
	object.get(r.values, "disabled", false) != true
	some src in tf.list(r.values.source_ranges)
	src in tf.internet_cidrs
	some allow in tf.list(r.values.allow)
	allow.protocol in {"tcp", "all"}
	allows_port(allow, port)
}

allows_port(allow, _) if count(object.get(allow, "ports", [])) == 0

allows_port(allow, port) if {
	some p in tf.list(allow.ports)
	bounds := split(p, "-")
	to_number(bounds[0]) <= port
	port <= to_number(bounds[count(bounds) - 1])
}

# METADATA
# title: Firewall allows SSH from the internet
# description: An ingress allow rule for TCP 22 (or all ports) from 0.0.0.0/0 or ::/0.
# custom:
#   id: GH-GCP-030
#   severity: high
#   checkov: CKV_GCP_2
#   input: terraform
#   remediation: Restrict `source_ranges` (for example to IAP's 35.235.240.0/20) instead of 0.0.0.0/0.
#   before: |
#     source_ranges = ["0.0.0.0/0"]
#     allow { protocol = "tcp", ports = ["22"] }
#   after: |
#     source_ranges = ["35.235.240.0/20"]
#     allow { protocol = "tcp", ports = ["22"] }
#   references:
#     - https://cloud.google.com/iap/docs/using-tcp-forwarding
deny_firewall_ssh contains result if {
	some r in firewall_open(22)
	result := tf.result(r, "allow", sprintf("Firewall '%s' allows SSH (22) from the internet.", [r.address]))
}

# METADATA
# title: Firewall allows RDP from the internet
# description: An ingress allow rule for TCP 3389 (or all ports) from 0.0.0.0/0 or ::/0.
# custom:
#   id: GH-GCP-031
#   severity: high
#   checkov: CKV_GCP_3
#   input: terraform
#   remediation: Restrict `source_ranges` to a management network or IAP.
#   before: |
#     source_ranges = ["0.0.0.0/0"]
#     allow { protocol = "tcp", ports = ["3389"] }
#   after: |
#     source_ranges = ["35.235.240.0/20"]
#     allow { protocol = "tcp", ports = ["3389"] }
#   references:
#     - https://cloud.google.com/iap/docs/using-tcp-forwarding
deny_firewall_rdp contains result if {
	some r in firewall_open(3389)
	result := tf.result(r, "allow", sprintf("Firewall '%s' allows RDP (3389) from the internet.", [r.address]))
}
