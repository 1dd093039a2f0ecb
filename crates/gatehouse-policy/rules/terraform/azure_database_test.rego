package gatehouse.terraform.azure_database_test

import data.gatehouse.terraform.azure_database as db
import rego.v1

one(type, values) := {"resources": [{"address": sprintf("%s.x", [type]), "type": type, "name": "x", "values": values, "unknown": {}}]}

sql(values) := one("azurerm_mssql_server", values)

pg(values) := one("azurerm_postgresql_server", values)

test_mssql_public_access if {
	count(db.deny_mssql_public) == 0 with input as sql({"public_network_access_enabled": false})
	count(db.deny_mssql_public) == 1 with input as sql({"public_network_access_enabled": true})
	count(db.deny_mssql_public) == 1 with input as sql({})
}

test_mssql_tls if {
	count(db.deny_mssql_tls) == 0 with input as sql({"minimum_tls_version": "1.2"})
	count(db.deny_mssql_tls) == 1 with input as sql({"minimum_tls_version": "1.0"})
	count(db.deny_mssql_tls) == 1 with input as sql({})
}

test_postgres_public_access if {
	count(db.deny_postgres_public) == 0 with input as pg({"public_network_access_enabled": false})
	count(db.deny_postgres_public) == 1 with input as pg({"public_network_access_enabled": true})
}

test_postgres_tls if {
	count(db.deny_postgres_tls) == 0 with input as pg({"ssl_minimal_tls_version_enforced": "TLS1_2"})
	count(db.deny_postgres_tls) == 1 with input as pg({"ssl_minimal_tls_version_enforced": "TLS1_0"})
	count(db.deny_postgres_tls) == 1 with input as pg({})
}
