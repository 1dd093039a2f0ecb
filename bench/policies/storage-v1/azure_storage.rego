# The design brief's Azure storage policy (examples/policy/azure_storage.rego), rewritten in
# Rego v1 syntax (`contains`/`if`) and otherwise unchanged. Real OPA through the Python bindings
# only parses v1, so both tools get this form; gatehouse also runs the verbatim v0 original.
package main

# Collect storage account resources from a `terraform show -json` plan.
storage_accounts contains r if {
	r := input.resource_changes[_]
	r.type == "azurerm_storage_account"
	r.change.actions[_] != "delete"
}

# Rule 1: public network access must be disabled.
deny contains msg if {
	sa := storage_accounts[_]
	after := sa.change.after
	after.public_network_access_enabled == true
	msg := sprintf("Storage account '%s' has public_network_access_enabled=true; require private access.", [sa.address])
}

# Rule 2: blobs must not allow anonymous/public access.
deny contains msg if {
	sa := storage_accounts[_]
	after := sa.change.after
	after.allow_nested_items_to_be_public == true
	msg := sprintf("Storage account '%s' allows public blob containers; set allow_nested_items_to_be_public=false.", [sa.address])
}

# Rule 3: enforce TLS 1.2 minimum.
deny contains msg if {
	sa := storage_accounts[_]
	after := sa.change.after
	after.min_tls_version != "TLS1_2"
	msg := sprintf("Storage account '%s' must set min_tls_version=TLS1_2 (found '%v').", [sa.address, after.min_tls_version])
}
