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

test_https_only_v4_and_v3_names if {
	count(azure_storage.deny_http_allowed) == 0 with input as account(object.union(compliant, {"https_traffic_only_enabled": true}), {})
	count(azure_storage.deny_http_allowed) == 1 with input as account(object.union(compliant, {"https_traffic_only_enabled": false}), {})
	count(azure_storage.deny_http_allowed) == 1 with input as account(object.union(compliant, {"enable_https_traffic_only": false}), {})
}

test_http_allowed_absent_is_the_provider_default_true if {
	count(azure_storage.deny_http_allowed) == 0 with input as account(compliant, {})
}

test_network_default_action if {
	count(azure_storage.deny_network_default_allow) == 0 with input as account(object.union(compliant, {"network_rules": [{"default_action": "Deny"}]}), {})
	count(azure_storage.deny_network_default_allow) == 1 with input as account(object.union(compliant, {"network_rules": [{"default_action": "Allow"}]}), {})
	count(azure_storage.deny_network_default_allow) == 0 with input as account(object.union(compliant, {"network_rules": []}), {})
}

rules(action) := {"resources": [{"address": "azurerm_storage_account_network_rules.r", "type": "azurerm_storage_account_network_rules", "values": {"default_action": action}, "unknown": {}}]}

test_network_rules_resource if {
	count(azure_storage.deny_network_default_allow) == 1 with input as rules("Allow")
	count(azure_storage.deny_network_default_allow) == 0 with input as rules("Deny")
}
