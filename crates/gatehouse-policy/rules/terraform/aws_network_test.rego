package gatehouse.terraform.aws_network_test

import data.gatehouse.terraform.aws_network as net
import rego.v1

inline(from, to, protocol, cidrs) := {
	"from_port": from, "to_port": to, "protocol": protocol, "cidr_blocks": cidrs,
	"ipv6_cidr_blocks": [], "prefix_list_ids": [], "self": false, "description": "rule",
}

sg(ingress, egress) := {"resources": [{"address": "aws_security_group.g", "type": "aws_security_group", "name": "g", "values": {"description": "web", "ingress": ingress, "egress": egress}, "unknown": {}}]}

sg_rule(values) := {"resources": [{"address": "aws_security_group_rule.r", "type": "aws_security_group_rule", "name": "r", "values": values, "unknown": {}}]}

vpc_rule(values) := {"resources": [{"address": "aws_vpc_security_group_ingress_rule.r", "type": "aws_vpc_security_group_ingress_rule", "name": "r", "values": object.union({"description": "r"}, values), "unknown": {}}]}

private_egress := [inline(0, 0, "-1", ["10.0.0.0/8"])]

test_ssh_world_inline_rule_fails_private_passes if {
	count(net.deny_ssh_world) == 1 with input as sg([inline(22, 22, "tcp", ["0.0.0.0/0"])], private_egress)
	count(net.deny_ssh_world) == 1 with input as sg([inline(0, 0, "-1", ["0.0.0.0/0"])], private_egress)
	count(net.deny_ssh_world) == 0 with input as sg([inline(22, 22, "tcp", ["10.0.0.0/8"])], private_egress)
	count(net.deny_ssh_world) == 0 with input as sg([inline(443, 443, "tcp", ["0.0.0.0/0"])], private_egress)
}

# Checkov bug 2: a self rule before the open rule must not hide it.
test_ssh_world_after_self_rule_still_fails if {
	self_rule := object.union(inline(0, 65535, "tcp", []), {"self": true})
	count(net.deny_ssh_world) == 1 with input as sg([self_rule, inline(22, 22, "tcp", ["0.0.0.0/0"])], private_egress)
}

# Checkov bug 1: prefix_list_ids null is not a prefix-list-scoped rule.
test_ssh_world_standalone_rule_with_null_prefix_lists_fails if {
	r := {"type": "ingress", "from_port": 22, "to_port": 22, "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"], "ipv6_cidr_blocks": null, "prefix_list_ids": null, "description": "ssh"}
	count(net.deny_ssh_world) == 1 with input as sg_rule(r)
	count(net.deny_ssh_world) == 0 with input as sg_rule(object.union(r, {"prefix_list_ids": ["pl-123"]}))
	count(net.deny_ssh_world) == 0 with input as sg_rule(object.union(r, {"type": "egress"}))
}

test_ssh_world_ipv6_and_vpc_rule if {
	count(net.deny_ssh_world) == 1 with input as sg([object.union(inline(22, 22, "tcp", []), {"ipv6_cidr_blocks": ["::/0"]})], private_egress)
	count(net.deny_ssh_world) == 1 with input as vpc_rule({"from_port": 22, "to_port": 22, "ip_protocol": "tcp", "cidr_ipv4": "0.0.0.0/0"})
	count(net.deny_ssh_world) == 0 with input as vpc_rule({"from_port": 22, "to_port": 22, "ip_protocol": "tcp", "cidr_ipv4": "172.16.0.0/12"})
}

test_rdp_world_range if {
	count(net.deny_rdp_world) == 1 with input as sg([inline(3000, 3400, "tcp", ["0.0.0.0/0"])], private_egress)
	count(net.deny_rdp_world) == 0 with input as sg([inline(22, 22, "tcp", ["0.0.0.0/0"])], private_egress)
}

test_http_world if {
	count(net.deny_http_world) == 1 with input as sg([inline(80, 80, "tcp", ["0.0.0.0/0"])], private_egress)
	count(net.deny_http_world) == 0 with input as sg([inline(443, 443, "tcp", ["0.0.0.0/0"])], private_egress)
}

test_all_world if {
	count(net.deny_all_world) == 1 with input as sg([inline(0, 0, "-1", ["0.0.0.0/0"])], private_egress)
	count(net.deny_all_world) == 1 with input as vpc_rule({"ip_protocol": "-1", "cidr_ipv6": "::/0"})
	count(net.deny_all_world) == 0 with input as sg([inline(22, 22, "tcp", ["0.0.0.0/0"])], private_egress)
}

test_all_egress if {
	count(net.deny_all_egress) == 1 with input as sg([], [inline(0, 0, "-1", ["0.0.0.0/0"])])
	count(net.deny_all_egress) == 0 with input as sg([], private_egress)
}

test_descriptions if {
	count(net.deny_no_description) == 0 with input as sg([inline(443, 443, "tcp", ["0.0.0.0/0"])], private_egress)
	count(net.deny_no_description) == 1 with input as sg([object.union(inline(443, 443, "tcp", ["0.0.0.0/0"]), {"description": ""})], private_egress)
	count(net.deny_no_description) == 1 with input as sg_rule({"type": "ingress", "description": null})
}
