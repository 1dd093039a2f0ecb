# Azure storage accounts: the design brief's three rules and their neighbours.
package gatehouse.terraform.azure_storage

import data.gatehouse.lib.terraform as tf
import rego.v1

# METADATA
# title: Storage account allows public network access
# description: |
#   A storage account reachable from every network is one leaked key away from a data breach.
#   The azurerm provider defaults `public_network_access_enabled` to true, so an absent value fails.
# custom:
#   id: GH-AZR-001
#   severity: high
#   checkov: CKV_AZURE_59
#   input: terraform
#   remediation: Set `public_network_access_enabled = false` and reach the account through a private endpoint.
#   before: |
#     resource "azurerm_storage_account" "logs" {
#       public_network_access_enabled = true
#     }
#   after: |
#     resource "azurerm_storage_account" "logs" {
#       public_network_access_enabled = false
#     }
#   references:
#     - https://learn.microsoft.com/azure/storage/common/storage-network-security
deny_public_network_access contains result if {
	some r in tf.resources("azurerm_storage_account")
	not tf.unknown(r, "public_network_access_enabled")
	tf.value_or(r, "public_network_access_enabled", true) == true
	result := tf.result(r, "public_network_access_enabled", sprintf("Storage account '%s' has public_network_access_enabled=true; require private access.", [r.address]))
}

# METADATA
# title: Storage account allows public blob containers
# description: |
#   With `allow_nested_items_to_be_public` enabled any container can be made anonymously readable.
#   The provider default is true, so an absent value fails.
# custom:
#   id: GH-AZR-002
#   severity: high
#   checkov: CKV_AZURE_190
#   input: terraform
#   remediation: Set `allow_nested_items_to_be_public = false`.
#   before: |
#     resource "azurerm_storage_account" "logs" {
#       allow_nested_items_to_be_public = true
#     }
#   after: |
#     resource "azurerm_storage_account" "logs" {
#       allow_nested_items_to_be_public = false
#     }
#   references:
#     - https://learn.microsoft.com/azure/storage/blobs/anonymous-read-access-prevent
deny_nested_items_public contains result if {
	some r in tf.resources("azurerm_storage_account")
	not tf.unknown(r, "allow_nested_items_to_be_public")
	tf.value_or(r, "allow_nested_items_to_be_public", true) == true
	result := tf.result(r, "allow_nested_items_to_be_public", sprintf("Storage account '%s' allows public blob containers; set allow_nested_items_to_be_public=false.", [r.address]))
}

# METADATA
# title: Storage account accepts TLS older than 1.2
# description: TLS 1.0 and 1.1 are deprecated and broken; require TLS 1.2 or newer.
# custom:
#   id: GH-AZR-003
#   severity: medium
#   checkov: CKV_AZURE_44
#   input: terraform
#   remediation: Set `min_tls_version = "TLS1_2"`.
#   before: |
#     resource "azurerm_storage_account" "logs" {
#       min_tls_version = "TLS1_0"
#     }
#   after: |
#     resource "azurerm_storage_account" "logs" {
#       min_tls_version = "TLS1_2"
#     }
#   references:
#     - https://learn.microsoft.com/azure/storage/common/transport-layer-security-configure-minimum-version
deny_min_tls contains result if {
	some r in tf.resources("azurerm_storage_account")
	not tf.unknown(r, "min_tls_version")
	version := tf.value_or(r, "min_tls_version", "missing")
	not version in {"TLS1_2", "TLS1_3"}
	result := tf.result(r, "min_tls_version", sprintf("Storage account '%s' must set min_tls_version=TLS1_2 (found '%v').", [r.address, version]))
}

# METADATA
# title: Storage account accepts plain HTTP
# description: |
#   Traffic to the account must use HTTPS. gatehouse reads the azurerm v4 name
#   `https_traffic_only_enabled` and the v3 name `enable_https_traffic_only`; absent means the
#   provider default (true).
#   Differs from Checkov: CKV_AZURE_3 reads only the v3 name, so on azurerm v4 plans it passes every
#   account, including those with `https_traffic_only_enabled = false` (a Checkov bug; gatehouse fails them).
# custom:
#   id: GH-AZR-004
#   severity: medium
#   checkov: CKV_AZURE_3
#   input: terraform
#   remediation: Set `https_traffic_only_enabled = true` (azurerm v4; `enable_https_traffic_only` on v3).
#   before: |
#     resource "azurerm_storage_account" "logs" {
#       https_traffic_only_enabled = false
#     }
#   after: |
#     resource "azurerm_storage_account" "logs" {
#       https_traffic_only_enabled = true
#     }
#   references:
#     - https://learn.microsoft.com/azure/storage/common/storage-require-secure-transfer
deny_http_allowed contains result if {
	some r in tf.resources("azurerm_storage_account")
	some attr in ["https_traffic_only_enabled", "enable_https_traffic_only"]
	r.values[attr] == false
	result := tf.result(r, attr, sprintf("Storage account '%s' accepts plain HTTP; set %s=true.", [r.address, attr]))
}

# METADATA
# title: Storage account network rules allow by default
# description: |
#   The account firewall's `default_action` must be `Deny` (on the account's `network_rules` block
#   or an `azurerm_storage_account_network_rules` resource). No network rules at all is not decided
#   here, as in Checkov (public network access is GH-AZR-001).
# custom:
#   id: GH-AZR-005
#   severity: medium
#   checkov: CKV_AZURE_35
#   input: terraform
#   remediation: Set `network_rules { default_action = "Deny" }` and list the allowed networks.
#   before: |
#     network_rules {
#       default_action = "Allow"
#     }
#   after: |
#     network_rules {
#       default_action = "Deny"
#       ip_rules       = ["203.0.113.0/24"]
#     }
#   references:
#     - https://learn.microsoft.com/azure/storage/common/storage-network-security
deny_network_default_allow contains result if {
	some r in tf.resources("azurerm_storage_account")
	some rules in tf.list(r.values.network_rules)
	rules.default_action != "Deny"
	result := tf.result(r, "network_rules", sprintf("Storage account '%s' network rules default to '%s'; use Deny.", [r.address, rules.default_action]))
}

deny_network_default_allow contains result if {
	some r in tf.resources("azurerm_storage_account_network_rules")
	action := r.values.default_action
	action != "Deny"
	result := tf.result(r, "default_action", sprintf("Storage account network rules '%s' default to '%s'; use Deny.", [r.address, action]))
}
