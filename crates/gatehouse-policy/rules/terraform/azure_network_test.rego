package gatehouse.terraform.azure_network_test

import data.gatehouse.terraform.azure_network as nsg
import rego.v1

rule(port, source) := {
	"access": "Allow", "direction": "Inbound", "protocol": "Tcp",
	"destination_port_range": port, "source_address_prefix": source,
}

group(rules) := {"resources": [{"address": "azurerm_network_security_group.g", "type": "azurerm_network_security_group", "name": "g", "values": {"security_rule": rules}, "unknown": {}}]}

standalone(r) := {"resources": [{"address": "azurerm_network_security_rule.r", "type": "azurerm_network_security_rule", "name": "r", "values": r, "unknown": {}}]}

test_ssh_from_internet if {
	count(nsg.deny_ssh_from_internet) == 1 with input as group([rule("22", "*")])
	count(nsg.deny_ssh_from_internet) == 1 with input as standalone(rule("20-30", "Internet"))
	count(nsg.deny_ssh_from_internet) == 0 with input as group([rule("22", "10.0.0.0/8")])
	count(nsg.deny_ssh_from_internet) == 0 with input as group([object.union(rule("22", "*"), {"access": "Deny"})])
}

test_rdp_from_internet if {
	count(nsg.deny_rdp_from_internet) == 1 with input as group([object.union(rule(null, null), {"destination_port_ranges": ["443", "3389"], "source_address_prefixes": ["0.0.0.0/0"]})])
	count(nsg.deny_rdp_from_internet) == 1 with input as standalone(rule("*", "*"))
	count(nsg.deny_rdp_from_internet) == 0 with input as group([rule("443", "*")])
}
