package gatehouse.terraform.azure_keyvault_test

import data.gatehouse.terraform.azure_keyvault as kv
import rego.v1

vault(values) := {"resources": [{"address": "azurerm_key_vault.kv", "type": "azurerm_key_vault", "name": "kv", "values": values, "unknown": {}}]}

good := {
	"purge_protection_enabled": true,
	"public_network_access_enabled": false,
	"network_acls": [{"default_action": "Deny", "ip_rules": [], "virtual_network_subnet_ids": []}],
}

with_(values) := vault(object.union(good, values))

test_compliant_vault_passes_every_rule if {
	count(kv.deny_no_purge_protection) == 0 with input as vault(good)
	count(kv.deny_not_recoverable) == 0 with input as vault(good)
	count(kv.deny_public_network_access) == 0 with input as vault(good)
	count(kv.deny_acl_default_allow) == 0 with input as vault(good)
}

test_purge_protection_off_or_absent_fails if {
	count(kv.deny_no_purge_protection) == 1 with input as with_({"purge_protection_enabled": false})
	count(kv.deny_no_purge_protection) == 1 with input as vault(object.remove(good, ["purge_protection_enabled"]))
}

test_soft_delete_disabled_is_not_recoverable if {
	count(kv.deny_not_recoverable) == 1 with input as with_({"soft_delete_enabled": false})
	count(kv.deny_not_recoverable) == 1 with input as with_({"purge_protection_enabled": false})
}

test_public_vault_fails_unless_acl_rules_restrict_it if {
	count(kv.deny_public_network_access) == 1 with input as with_({"public_network_access_enabled": true})
	count(kv.deny_public_network_access) == 1 with input as vault(object.remove(good, ["public_network_access_enabled"]))
	count(kv.deny_public_network_access) == 0 with input as with_({"public_network_access_enabled": true, "network_acls": [{"default_action": "Allow", "ip_rules": ["198.51.100.0/24"]}]})
}

test_acl_default_allow_or_missing_fails if {
	count(kv.deny_acl_default_allow) == 1 with input as with_({"network_acls": [{"default_action": "Allow"}]})
	count(kv.deny_acl_default_allow) == 1 with input as vault(object.remove(good, ["network_acls"]))
}
