package gatehouse.terraform.azure_storage_test

import data.gatehouse.terraform.azure_storage
import rego.v1

account(values, unknown) := {"resources": [{
	"address": "azurerm_storage_account.sa",
	"type": "azurerm_storage_account",
	"name": "sa",
	"values": values,
	"unknown": unknown,
}]}

compliant := {
	"public_network_access_enabled": false,
	"allow_nested_items_to_be_public": false,
	"min_tls_version": "TLS1_2",
}

test_compliant_account_passes if {
	count(azure_storage.deny_public_network_access) == 0 with input as account(compliant, {})
	count(azure_storage.deny_nested_items_public) == 0 with input as account(compliant, {})
	count(azure_storage.deny_min_tls) == 0 with input as account(compliant, {})
}

test_public_network_access_fails if {
	count(azure_storage.deny_public_network_access) == 1 with input as account(object.union(compliant, {"public_network_access_enabled": true}), {})
}

test_absent_public_network_access_fails_on_provider_default if {
	count(azure_storage.deny_public_network_access) == 1 with input as account(object.remove(compliant, ["public_network_access_enabled"]), {})
}

test_unknown_value_is_not_a_violation if {
	count(azure_storage.deny_public_network_access) == 0 with input as account(object.remove(compliant, ["public_network_access_enabled"]), {"public_network_access_enabled": true})
}

test_nested_items_public_fails if {
	count(azure_storage.deny_nested_items_public) == 1 with input as account(object.union(compliant, {"allow_nested_items_to_be_public": true}), {})
}

test_old_tls_fails_and_tls13_passes if {
	count(azure_storage.deny_min_tls) == 1 with input as account(object.union(compliant, {"min_tls_version": "TLS1_1"}), {})
	count(azure_storage.deny_min_tls) == 0 with input as account(object.union(compliant, {"min_tls_version": "TLS1_3"}), {})
}
