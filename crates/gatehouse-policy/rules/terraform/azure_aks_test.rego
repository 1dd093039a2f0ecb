package gatehouse.terraform.azure_aks_test

import data.gatehouse.terraform.azure_aks as aks
import rego.v1

cluster(values, unknown) := {"resources": [{"address": "azurerm_kubernetes_cluster.k", "type": "azurerm_kubernetes_cluster", "name": "k", "values": values, "unknown": unknown}]}

good := {
	"role_based_access_control_enabled": true,
	"private_cluster_enabled": true,
	"network_profile": [{"network_plugin": "azure", "network_policy": "azure"}],
}

test_compliant_cluster_passes if {
	count(aks.deny_rbac_disabled) == 0 with input as cluster(good, {})
	count(aks.deny_no_network_policy) == 0 with input as cluster(good, {})
	count(aks.deny_public_api_server) == 0 with input as cluster(good, {})
}

test_rbac_disabled_fails_absent_passes if {
	count(aks.deny_rbac_disabled) == 1 with input as cluster(object.union(good, {"role_based_access_control_enabled": false}), {})
	count(aks.deny_rbac_disabled) == 0 with input as cluster(object.remove(good, ["role_based_access_control_enabled"]), {})
}

test_network_policy_missing_fails_unknown_passes if {
	count(aks.deny_no_network_policy) == 1 with input as cluster(object.union(good, {"network_profile": [{"network_plugin": "kubenet"}]}), {})
	count(aks.deny_no_network_policy) == 1 with input as cluster(object.remove(good, ["network_profile"]), {})
	count(aks.deny_no_network_policy) == 0 with input as cluster(object.union(good, {"network_profile": [{"network_plugin": "azure"}]}), {"network_profile": [{"network_policy": true}]})
}

test_public_api_server_fails if {
	count(aks.deny_public_api_server) == 1 with input as cluster(object.union(good, {"private_cluster_enabled": false}), {})
	count(aks.deny_public_api_server) == 1 with input as cluster(object.remove(good, ["private_cluster_enabled"]), {})
}
