# The design brief's Azure storage policy, verbatim (Rego v0, as teams write it today).
# gatehouse detects the v0 syntax, runs it, and suggests `--rego-version v0` or migrating.
package main
import future.keywords.in
# Collect storage account resources from a `terraform show -json` plan.
storage_accounts[r] {
r := input.resource_changes[_]
r.type == "azurerm_storage_account"
r.change.actions[_] != "delete"
}
# Rule 1: public network access must be disabled.
deny[msg] {
sa := storage_accounts[_]
after := sa.change.after
after.public_network_access_enabled == true
msg := sprintf("Storage account '%s' has public_network_access_enabled=true; require private access.", [sa.address])
}
# Rule 2: blobs must not allow anonymous/public access.
deny[msg] {
sa := storage_accounts[_]
after := sa.change.after
after.allow_nested_items_to_be_public == true
msg := sprintf("Storage account '%s' allows public blob containers; set allow_nested_items_to_be_public=false.", [sa.address])
}
# Rule 3: enforce TLS 1.2 minimum.
deny[msg] {
sa := storage_accounts[_]
after := sa.change.after
after.min_tls_version != "TLS1_2"
msg := sprintf("Storage account '%s' must set min_tls_version=TLS1_2 (found '%v').", [sa.address, after.min_tls_version])
}
