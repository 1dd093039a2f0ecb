# Azure SQL and PostgreSQL servers: public network access and transport security.
package gatehouse.terraform.azure_database

import data.gatehouse.lib.terraform as tf
import rego.v1

# METADATA
# title: SQL server allows public network access
# description: An Azure SQL server reachable from the internet relies on its firewall rules alone; the provider default is public.
# custom:
#   id: GH-AZR-010
#   severity: high
#   checkov: CKV_AZURE_113
#   input: terraform
#   remediation: Set `public_network_access_enabled = false` and connect through a private endpoint.
#   before: |
#     resource "azurerm_mssql_server" "db" {
#       public_network_access_enabled = true
#     }
#   after: |
#     resource "azurerm_mssql_server" "db" {
#       public_network_access_enabled = false
#     }
#   references:
#     - https://learn.microsoft.com/azure/azure-sql/database/connectivity-settings
deny_mssql_public contains result if {
	some r in tf.resources("azurerm_mssql_server")
	not tf.unknown(r, "public_network_access_enabled")
	tf.value_or(r, "public_network_access_enabled", true) != false
	result := tf.result(r, "public_network_access_enabled", sprintf("SQL server '%s' allows public network access.", [r.address]))
}

# METADATA
# title: SQL server accepts TLS older than 1.2
# description: "`minimum_tls_version` must be 1.2 (or 1.3). Differs from Checkov: CKV_AZURE_52 accepts only \"1.2\" and fails \"1.3\"."
# custom:
#   id: GH-AZR-011
#   severity: medium
#   checkov: CKV_AZURE_52
#   input: terraform
#   remediation: Set `minimum_tls_version = "1.2"`.
#   before: |
#     resource "azurerm_mssql_server" "db" {
#       minimum_tls_version = "1.0"
#     }
#   after: |
#     resource "azurerm_mssql_server" "db" {
#       minimum_tls_version = "1.2"
#     }
#   references:
#     - https://learn.microsoft.com/azure/azure-sql/database/connectivity-settings#minimal-tls-version
deny_mssql_tls contains result if {
	some r in tf.resources("azurerm_mssql_server")
	not tf.unknown(r, "minimum_tls_version")
	version := tf.value_or(r, "minimum_tls_version", "missing")
	not version in {"1.2", "1.3"}
	result := tf.result(r, "minimum_tls_version", sprintf("SQL server '%s' allows TLS below 1.2 (minimum_tls_version '%v').", [r.address, version]))
}

# METADATA
# title: PostgreSQL server allows public network access
# description: A PostgreSQL single server reachable from the internet; the provider default is public.
# custom:
#   id: GH-AZR-012
#   severity: high
#   checkov: CKV_AZURE_68
#   input: terraform
#   remediation: Set `public_network_access_enabled = false`.
#   before: |
#     resource "azurerm_postgresql_server" "db" {
#       public_network_access_enabled = true
#     }
#   after: |
#     resource "azurerm_postgresql_server" "db" {
#       public_network_access_enabled = false
#     }
#   references:
#     - https://learn.microsoft.com/azure/postgresql/single-server/concepts-data-access-and-security-private-link
deny_postgres_public contains result if {
	some r in tf.resources("azurerm_postgresql_server")
	not tf.unknown(r, "public_network_access_enabled")
	tf.value_or(r, "public_network_access_enabled", true) != false
	result := tf.result(r, "public_network_access_enabled", sprintf("PostgreSQL server '%s' allows public network access.", [r.address]))
}

# METADATA
# title: PostgreSQL server does not enforce TLS 1.2
# description: "`ssl_minimal_tls_version_enforced` must be TLS1_2 (or TLS1_3); absent fails. Differs from Checkov: CKV_AZURE_147 fails TLS1_3."
# custom:
#   id: GH-AZR-013
#   severity: medium
#   checkov: CKV_AZURE_147
#   input: terraform
#   remediation: Set `ssl_enforcement_enabled = true` and `ssl_minimal_tls_version_enforced = "TLS1_2"`.
#   before: |
#     resource "azurerm_postgresql_server" "db" {
#       ssl_minimal_tls_version_enforced = "TLS1_0"
#     }
#   after: |
#     resource "azurerm_postgresql_server" "db" {
#       ssl_minimal_tls_version_enforced = "TLS1_2"
#     }
#   references:
#     - https://learn.microsoft.com/azure/postgresql/single-server/concepts-ssl-connection-security
deny_postgres_tls contains result if {
	some r in tf.resources("azurerm_postgresql_server")
	not tf.unknown(r, "ssl_minimal_tls_version_enforced")
	version := tf.value_or(r, "ssl_minimal_tls_version_enforced", "missing")
	not version in {"TLS1_2", "TLS1_3"}
	result := tf.result(r, "ssl_minimal_tls_version_enforced", sprintf("PostgreSQL server '%s' enforces '%v'; require TLS1_2.", [r.address, version]))
}
