# Azure network security groups: management ports open to the internet.
package gatehouse.terraform.azure_network

import data.gatehouse.lib.terraform as tf
import rego.v1

# Source prefixes that mean "anyone" (as Checkov's INTERNET_ADDRESSES).
internet := {"*", "0.0.0.0", "0.0.0.0/0", "internet", "any", "<nw>/0", "/0"}

# Inbound allow rules: standalone `azurerm_network_security_rule` resources and inline
# `security_rule` blocks of `azurerm_network_security_group`.
inbound_rules := array.concat(
	[[r, r.values] | some r in tf.resources("azurerm_network_security_rule")],
	[[r, rule] | some r in tf.resources("azurerm_network_security_group"); some rule in tf.list(r.values.security_rule)],
)

open_to_internet(rule, port) if {
	lower(rule.access) == "allow"
	lower(rule.direction) == "inbound"
	lower(rule.protocol) in {"tcp", "*"}
	port_matches(rule, port)
	source_is_internet(rule)
}

port_matches(rule, port) if port_in(rule.destination_port_range, port)

port_matches(rule, port) if {
	some p in tf.list(rule.destination_port_ranges)
	port_in(p, port)
}

port_in(spec, port) if format_int(port, 10) == sprintf("%v", [spec])

port_in(spec, _) if spec == "*"

port_in(spec, port) if {
	bounds := split(spec, "-")
	count(bounds) == 2
	to_number(bounds[0]) <= port
	port <= to_number(bounds[1])
}

source_is_internet(rule) if lower(rule.source_address_prefix) in internet

source_is_internet(rule) if {
	some p in tf.list(rule.source_address_prefixes)
	lower(p) in internet
}

# METADATA
# title: Network security group allows SSH from the internet
# description: |
#   An inbound allow rule for TCP (or any protocol) port 22 from `*`, `Internet`, `Any` or
#   `0.0.0.0/0`, inline in a network security group or a standalone rule.
#   Differs from Checkov: CKV_AZURE_10 does not count `0.0.0.0/0` as the internet (its list
#   has `*`, `0.0.0.0`, `/0`, `Internet`, `Any`), so it passes such rules; gatehouse fails them.
# custom:
#   id: GH-AZR-017
#   severity: high
#   checkov: CKV_AZURE_10
#   input: terraform
#   remediation: Restrict `source_address_prefix` to a management network or use Azure Bastion.
#   before: |
#     security_rule {
#       access = "Allow"; direction = "Inbound"; protocol = "Tcp"
#       destination_port_range = "22"; source_address_prefix = "*"
#     }
#   after: |
#     security_rule {
#       access = "Allow"; direction = "Inbound"; protocol = "Tcp"
#       destination_port_range = "22"; source_address_prefix = "10.0.0.0/8"
#     }
#   references:
#     - https://learn.microsoft.com/azure/bastion/bastion-overview
deny_ssh_from_internet contains result if {
	some [r, rule] in inbound_rules
	open_to_internet(rule, 22)
	result := tf.result(r, "security_rule", sprintf("'%s' allows SSH (22) from the internet.", [r.address]))
}

# METADATA
# title: Network security group allows RDP from the internet
# description: |
#   An inbound allow rule for TCP (or any protocol) port 3389 from `*`, `Internet`, `Any` or
#   `0.0.0.0/0`, inline in a network security group or a standalone rule.
#   Differs from Checkov: CKV_AZURE_9 does not count `0.0.0.0/0` as the internet (its list
#   has `*`, `0.0.0.0`, `/0`, `Internet`, `Any`), so it passes such rules; gatehouse fails them.
# custom:
#   id: GH-AZR-018
#   severity: high
#   checkov: CKV_AZURE_9
#   input: terraform
#   remediation: Restrict `source_address_prefix` to a management network or use Azure Bastion.
#   before: |
#     security_rule {
#       access = "Allow"; direction = "Inbound"; protocol = "Tcp"
#       destination_port_range = "3389"; source_address_prefix = "Internet"
#     }
#   after: |
#     security_rule {
#       access = "Allow"; direction = "Inbound"; protocol = "Tcp"
#       destination_port_range = "3389"; source_address_prefix = "10.0.0.0/8"
#     }
#   references:
#     - https://learn.microsoft.com/azure/bastion/bastion-overview
deny_rdp_from_internet contains result if {
	some [r, rule] in inbound_rules
	open_to_internet(rule, 3389)
	result := tf.result(r, "security_rule", sprintf("'%s' allows RDP (3389) from the internet.", [r.address]))
}
