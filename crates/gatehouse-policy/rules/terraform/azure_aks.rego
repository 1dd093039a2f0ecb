# Azure Kubernetes Service clusters and network security groups.
package gatehouse.terraform.azure_aks

import data.gatehouse.lib.terraform as tf
import rego.v1

# METADATA
# title: AKS cluster has Kubernetes RBAC disabled
# description: Reads `role_based_access_control_enabled` (azurerm >= 2.99) or the older block; absent means the default (enabled).
# custom:
#   id: GH-AZR-014
#   severity: high
#   checkov: CKV_AZURE_5
#   input: terraform
#   remediation: Set `role_based_access_control_enabled = true`.
#   before: |
#     resource "azurerm_kubernetes_cluster" "k8s" {
#       role_based_access_control_enabled = false
#     }
#   after: |
#     resource "azurerm_kubernetes_cluster" "k8s" {
#       role_based_access_control_enabled = true
#     }
#   references:
#     - https://learn.microsoft.com/azure/aks/manage-azure-rbac
deny_rbac_disabled contains result if {
	some r in tf.resources("azurerm_kubernetes_cluster")
	r.values.role_based_access_control_enabled == false
	result := tf.result(r, "role_based_access_control_enabled", sprintf("AKS cluster '%s' has RBAC disabled.", [r.address]))
}

deny_rbac_disabled contains result if {
	some r in tf.resources("azurerm_kubernetes_cluster")
	r.values.role_based_access_control[0].enabled == false
	result := tf.result(r, "role_based_access_control", sprintf("AKS cluster '%s' has RBAC disabled.", [r.address]))
}

# METADATA
# title: AKS cluster has no network policy
# description: Without a network policy engine (`network_profile.network_policy`) every pod can reach every other pod.
# custom:
#   id: GH-AZR-015
#   severity: medium
#   checkov: CKV_AZURE_7
#   input: terraform
#   remediation: Set `network_profile { network_policy = "azure" }` (or calico/cilium).
#   before: |
#     network_profile {
#       network_plugin = "azure"
#     }
#   after: |
#     network_profile {
#       network_plugin = "azure"
#       network_policy = "azure"
#     }
#   references:
#     - https://learn.microsoft.com/azure/aks/use-network-policies
deny_no_network_policy contains result if {
	some r in tf.resources("azurerm_kubernetes_cluster")
	not tf.unknown(r, "network_profile")
	not network_policy_set(r)
	not network_policy_unknown(r)
	result := tf.result(r, "network_profile", sprintf("AKS cluster '%s' has no network policy.", [r.address]))
}

network_policy_set(r) if tf.present(r.values.network_profile[0].network_policy)

network_policy_unknown(r) if r.unknown.network_profile[0].network_policy == true

# METADATA
# title: AKS API server is public
# description: A private cluster keeps the Kubernetes API server off the internet; the provider default is public.
# custom:
#   id: GH-AZR-016
#   severity: high
#   checkov: CKV_AZURE_115
#   input: terraform
#   remediation: Set `private_cluster_enabled = true`.
#   before: |
#     resource "azurerm_kubernetes_cluster" "k8s" {
#       private_cluster_enabled = false
#     }
#   after: |
#     resource "azurerm_kubernetes_cluster" "k8s" {
#       private_cluster_enabled = true
#     }
#   references:
#     - https://learn.microsoft.com/azure/aks/private-clusters
deny_public_api_server contains result if {
	some r in tf.resources("azurerm_kubernetes_cluster")
	not tf.unknown(r, "private_cluster_enabled")
	tf.value_or(r, "private_cluster_enabled", false) != true
	result := tf.result(r, "private_cluster_enabled", sprintf("AKS cluster '%s' API server is public; enable private_cluster_enabled.", [r.address]))
}
