# Azure Key Vault: recoverability and network exposure.
package gatehouse.terraform.azure_keyvault

import data.gatehouse.lib.terraform as tf
import rego.v1

# METADATA
# title: Key vault has no purge protection
# description: Without purge protection a deleted vault and its keys can be destroyed for good before the retention ends.
# custom:
#   id: GH-AZR-006
#   severity: medium
#   checkov: CKV_AZURE_110
#   input: terraform
#   remediation: Set `purge_protection_enabled = true`.
#   before: |
#     resource "azurerm_key_vault" "main" {
#       purge_protection_enabled = false
#     }
#   after: |
#     resource "azurerm_key_vault" "main" {
#       purge_protection_enabled = true
#     }
#   references:
#     - https://learn.microsoft.com/azure/key-vault/general/soft-delete-overview
deny_no_purge_protection contains result if {
	some r in tf.resources("azurerm_key_vault")
	not tf.unknown(r, "purge_protection_enabled")
	tf.value_or(r, "purge_protection_enabled", false) != true
	result := tf.result(r, "purge_protection_enabled", sprintf("Key vault '%s' has purge protection disabled.", [r.address]))
}

# METADATA
# title: Key vault is not recoverable
# description: |
#   A vault is recoverable when purge protection is on and soft delete is not turned off
#   (`soft_delete_enabled`, azurerm v2 only, absent means on).
# custom:
#   id: GH-AZR-007
#   severity: medium
#   checkov: CKV_AZURE_42
#   input: terraform
#   remediation: Set `purge_protection_enabled = true` and keep soft delete enabled.
#   before: |
#     resource "azurerm_key_vault" "main" {
#       soft_delete_enabled = false
#     }
#   after: |
#     resource "azurerm_key_vault" "main" {
#       purge_protection_enabled = true
#     }
#   references:
#     - https://learn.microsoft.com/azure/key-vault/general/key-vault-recovery
deny_not_recoverable contains result if {
	some r in tf.resources("azurerm_key_vault")
	not tf.unknown(r, "purge_protection_enabled")
	not recoverable(r)
	result := tf.result(r, "purge_protection_enabled", sprintf("Key vault '%s' is not recoverable (purge protection off or soft delete disabled).", [r.address]))
}

recoverable(r) if {
	r.values.purge_protection_enabled == true
	tf.value_or(r, "soft_delete_enabled", true) == true
}

# METADATA
# title: Key vault allows public network access
# description: |
#   A vault should not be reachable from every network. As in Checkov, a vault whose `network_acls`
#   list IP rules or subnets passes: the firewall then restricts who reaches it. Absent means the
#   provider default (public access on).
# custom:
#   id: GH-AZR-008
#   severity: high
#   checkov: CKV_AZURE_189
#   input: terraform
#   remediation: Set `public_network_access_enabled = false` and use a private endpoint, or restrict `network_acls`.
#   before: |
#     resource "azurerm_key_vault" "main" {
#       public_network_access_enabled = true
#     }
#   after: |
#     resource "azurerm_key_vault" "main" {
#       public_network_access_enabled = false
#     }
#   references:
#     - https://learn.microsoft.com/azure/key-vault/general/network-security
deny_public_network_access contains result if {
	some r in tf.resources("azurerm_key_vault")
	not tf.unknown(r, "public_network_access_enabled")
	tf.value_or(r, "public_network_access_enabled", true) != false
	not acl_restricted(r)
	result := tf.result(r, "public_network_access_enabled", sprintf("Key vault '%s' allows public network access without IP or subnet rules.", [r.address]))
}

acl_restricted(r) if {
	some acl in tf.list(r.values.network_acls)
	some attr in ["ip_rules", "virtual_network_subnet_ids"]
	count(object.get(acl, attr, [])) > 0
}

# METADATA
# title: Key vault firewall allows by default
# description: The vault firewall's `network_acls.default_action` must be `Deny`; a vault without `network_acls` fails, as in Checkov.
# custom:
#   id: GH-AZR-009
#   severity: medium
#   checkov: CKV_AZURE_109
#   input: terraform
#   remediation: Add `network_acls { default_action = "Deny", bypass = "AzureServices" }`.
#   before: |
#     network_acls {
#       default_action = "Allow"
#       bypass         = "AzureServices"
#     }
#   after: |
#     network_acls {
#       default_action = "Deny"
#       bypass         = "AzureServices"
#     }
#   references:
#     - https://learn.microsoft.com/azure/key-vault/general/network-security
deny_acl_default_allow contains result if {
	some r in tf.resources("azurerm_key_vault")
	not tf.unknown(r, "network_acls")
	action := acl_action(r)
	action != "Deny"
	result := tf.result(r, "network_acls", sprintf("Key vault '%s' firewall default action is '%s'; use Deny.", [r.address, action]))
}

acl_action(r) := a if {
	a := r.values.network_acls[0].default_action
	a != null
} else := "missing"
