# AWS security groups: ingress open to the internet, unrestricted egress, descriptions.
#
# Inline `ingress`/`egress` blocks of `aws_security_group`, `aws_security_group_rule` and
# `aws_vpc_security_group_{ingress,egress}_rule` are normalized to one rule shape first.
#
# Differs from Checkov (CKV_AWS_24/25/260/277, all Checkov bugs in plan mode; gatehouse reports them):
# - an `aws_security_group_rule` with `prefix_list_ids = null` (as every plan writes it) is never
#   failed by Checkov, because its plan parser turns null into `[None]`, which looks like a
#   prefix-list-scoped rule;
# - in an `aws_security_group`, Checkov passes the whole group as soon as it meets a `self = true`
#   ingress rule, hiding world-open rules listed after it;
# - an `aws_vpc_security_group_ingress_rule` with `ip_protocol = "-1"` (all traffic) has no ports, and
#   Checkov passes it.
# gatehouse ignores a rule without any source instead of failing it (AWS rejects such a rule).
package gatehouse.terraform.aws_network

import data.gatehouse.lib.terraform as tf
import rego.v1

sg_types := {"aws_security_group", "aws_security_group_rule", "aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule"}

# [resource, direction, {from, to, protocol, cidrs, prefix_lists, self}] for every rule. An array,
# not a set: set members are compared whole, which is slow for resource objects on large plans.
rules := array.concat(
	array.concat(
		[[r, direction, norm(rule)] |
			some r in tf.resources("aws_security_group")
			some direction in ["ingress", "egress"]
			some rule in list(r.values[direction])
		],
		[[r, r.values.type, norm(r.values)] | some r in tf.resources("aws_security_group_rule")],
	),
	array.concat(
		[[r, "ingress", norm_vpc(r.values)] | some r in tf.resources("aws_vpc_security_group_ingress_rule")],
		[[r, "egress", norm_vpc(r.values)] | some r in tf.resources("aws_vpc_security_group_egress_rule")],
	),
)

norm(rule) := {
	"from": object.get(rule, "from_port", null),
	"to": object.get(rule, "to_port", null),
	"protocol": sprintf("%v", [object.get(rule, "protocol", "")]),
	"cidrs": array.concat(list(object.get(rule, "cidr_blocks", [])), list(object.get(rule, "ipv6_cidr_blocks", []))),
	"prefix_lists": list(object.get(rule, "prefix_list_ids", [])),
	"self": object.get(rule, "self", false) == true,
}

norm_vpc(rule) := {
	"from": object.get(rule, "from_port", null),
	"to": object.get(rule, "to_port", null),
	"protocol": sprintf("%v", [object.get(rule, "ip_protocol", "")]),
	"cidrs": [c | some c in [object.get(rule, "cidr_ipv4", null), object.get(rule, "cidr_ipv6", null)]; c != null],
	"prefix_lists": [p | p := object.get(rule, "prefix_list_id", null); p != null],
	"self": false,
}

list(v) := tf.list(v)

world(rule) if {
	some c in rule.cidrs
	c in tf.internet_cidrs
}

all_protocols(rule) if rule.protocol in {"-1", "all"}

# The port range a rule opens; 0-0 and all-protocol rules mean every port.
covers(rule, _) if all_protocols(rule)

covers(rule, _) if {
	rule.from == 0
	rule.to == 0
}

covers(rule, port) if {
	rule.from <= port
	port <= rule.to
}

open_ingress(port) := {r.address: r |
	some [r, direction, rule] in rules
	direction == "ingress"
	count(rule.prefix_lists) == 0
	world(rule)
	covers(rule, port)
}

# METADATA
# title: Security group allows SSH from the internet
# description: |
#   An ingress rule open to 0.0.0.0/0 or ::/0 whose port range includes 22 (all-protocol and
#   0-0 rules included) on a security group, a security group rule or a VPC ingress rule.
#   Differs from Checkov (Checkov bugs in plan mode; gatehouse reports these rules): Checkov never
#   fails an `aws_security_group_rule` whose plan has `prefix_list_ids = null` (it reads null as a
#   prefix-list-scoped rule); it passes an `aws_security_group` as soon as it meets a `self = true`
#   ingress rule, hiding world-open rules after it; and it passes an
#   `aws_vpc_security_group_ingress_rule` with `ip_protocol = "-1"` (all traffic, no ports).
#   gatehouse ignores a rule without any source instead of failing it (AWS rejects such rules).
# custom:
#   id: GH-AWS-001
#   severity: high
#   checkov: CKV_AWS_24
#   input: terraform
#   remediation: Restrict the rule's CIDR blocks to a management network, or use SSM Session Manager instead of SSH.
#   before: |
#     ingress {
#       from_port = 22; to_port = 22; protocol = "tcp"
#       cidr_blocks = ["0.0.0.0/0"]
#     }
#   after: |
#     ingress {
#       from_port = 22; to_port = 22; protocol = "tcp"
#       cidr_blocks = ["10.0.0.0/8"]
#     }
#   references:
#     - https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-groups.html
deny_ssh_world contains result if {
	some r in open_ingress(22)
	result := tf.result(r, "ingress", sprintf("'%s' allows SSH (22) from the internet.", [r.address]))
}

# METADATA
# title: Security group allows RDP from the internet
# description: |
#   An ingress rule open to 0.0.0.0/0 or ::/0 whose port range includes 3389 (all-protocol and
#   0-0 rules included) on a security group, a security group rule or a VPC ingress rule.
#   Differs from Checkov (Checkov bugs in plan mode; gatehouse reports these rules): Checkov never
#   fails an `aws_security_group_rule` whose plan has `prefix_list_ids = null` (it reads null as a
#   prefix-list-scoped rule); it passes an `aws_security_group` as soon as it meets a `self = true`
#   ingress rule, hiding world-open rules after it; and it passes an
#   `aws_vpc_security_group_ingress_rule` with `ip_protocol = "-1"` (all traffic, no ports).
#   gatehouse ignores a rule without any source instead of failing it (AWS rejects such rules).
# custom:
#   id: GH-AWS-002
#   severity: high
#   checkov: CKV_AWS_25
#   input: terraform
#   remediation: Restrict the rule's CIDR blocks to a management network, or reach hosts through a bastion.
#   before: |
#     ingress {
#       from_port = 3389; to_port = 3389; protocol = "tcp"
#       cidr_blocks = ["0.0.0.0/0"]
#     }
#   after: |
#     ingress {
#       from_port = 3389; to_port = 3389; protocol = "tcp"
#       cidr_blocks = ["10.0.0.0/8"]
#     }
#   references:
#     - https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-groups.html
deny_rdp_world contains result if {
	some r in open_ingress(3389)
	result := tf.result(r, "ingress", sprintf("'%s' allows RDP (3389) from the internet.", [r.address]))
}

# METADATA
# title: Security group allows HTTP from the internet
# description: |
#   An ingress rule open to 0.0.0.0/0 or ::/0 whose port range includes 80; serve HTTPS, or put a
#   load balancer in front.
#   Differs from Checkov (Checkov bugs in plan mode; gatehouse reports these rules): Checkov never
#   fails an `aws_security_group_rule` whose plan has `prefix_list_ids = null` (it reads null as a
#   prefix-list-scoped rule); it passes an `aws_security_group` as soon as it meets a `self = true`
#   ingress rule, hiding world-open rules after it; and it passes an
#   `aws_vpc_security_group_ingress_rule` with `ip_protocol = "-1"` (all traffic, no ports).
#   gatehouse ignores a rule without any source instead of failing it (AWS rejects such rules).
# custom:
#   id: GH-AWS-003
#   severity: medium
#   checkov: CKV_AWS_260
#   input: terraform
#   remediation: Remove port 80 from internet-facing rules; terminate TLS on a load balancer that redirects HTTP.
#   before: |
#     ingress {
#       from_port = 80; to_port = 80; protocol = "tcp"
#       cidr_blocks = ["0.0.0.0/0"]
#     }
#   after: |
#     ingress {
#       from_port = 443; to_port = 443; protocol = "tcp"
#       cidr_blocks = ["0.0.0.0/0"]
#     }
#   references:
#     - https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-groups.html
deny_http_world contains result if {
	some r in open_ingress(80)
	result := tf.result(r, "ingress", sprintf("'%s' allows HTTP (80) from the internet.", [r.address]))
}

# METADATA
# title: Security group allows all traffic from the internet
# description: |
#   An ingress rule open to 0.0.0.0/0 or ::/0 for all protocols (`-1`). Differs from Checkov:
#   CKV_AWS_277 also requires ports 0-0 or 0-65535 on such a rule and ignores `ip_protocol = "-1"`;
#   AWS ignores ports for protocol -1, so gatehouse does too.
#   Checkov also never fails an `aws_security_group_rule` with `prefix_list_ids = null` and stops at
#   the first `self = true` ingress rule of a group (Checkov bugs; gatehouse reports both).
# custom:
#   id: GH-AWS-004
#   severity: high
#   checkov: CKV_AWS_277
#   input: terraform
#   remediation: Open only the ports the service needs, to the networks that need them.
#   before: |
#     ingress {
#       from_port = 0; to_port = 0; protocol = "-1"
#       cidr_blocks = ["0.0.0.0/0"]
#     }
#   after: |
#     ingress {
#       from_port = 443; to_port = 443; protocol = "tcp"
#       cidr_blocks = ["0.0.0.0/0"]
#     }
#   references:
#     - https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-groups.html
deny_all_world contains result if {
	some [r, direction, rule] in rules
	direction == "ingress"
	count(rule.prefix_lists) == 0
	world(rule)
	all_protocols(rule)
	result := tf.result(r, "ingress", sprintf("'%s' allows all traffic from the internet.", [r.address]))
}

# METADATA
# title: Security group allows all egress to the internet
# description: An egress rule for all protocols (`-1`) to 0.0.0.0/0 or ::/0 lets a compromised host exfiltrate anywhere.
# custom:
#   id: GH-AWS-005
#   severity: low
#   checkov: CKV_AWS_382
#   input: terraform
#   remediation: Limit egress to the destinations and ports the workload needs (VPC endpoints, proxies).
#   before: |
#     egress {
#       from_port = 0; to_port = 0; protocol = "-1"
#       cidr_blocks = ["0.0.0.0/0"]
#     }
#   after: |
#     egress {
#       from_port = 443; to_port = 443; protocol = "tcp"
#       cidr_blocks = ["10.0.0.0/8"]
#     }
#   references:
#     - https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-groups.html
deny_all_egress contains result if {
	some [r, direction, rule] in rules
	direction == "egress"
	world(rule)
	all_protocols(rule)
	result := tf.result(r, "egress", sprintf("'%s' allows all egress to the internet.", [r.address]))
}

# METADATA
# title: Security group or rule has no description
# description: |
#   Every security group and each of its rules needs a description so reviewers know why a port is
#   open. Differs from Checkov: CKV_AWS_23 never fails an inline rule with `description = ""` in a
#   plan (the empty string is wrapped in a list, which is truthy); gatehouse does.
# custom:
#   id: GH-AWS-006
#   severity: low
#   checkov: CKV_AWS_23
#   input: terraform
#   remediation: Add a `description` to the group and to every ingress and egress rule.
#   before: |
#     ingress {
#       from_port = 443; to_port = 443; protocol = "tcp"
#     }
#   after: |
#     ingress {
#       description = "HTTPS from the load balancer"
#       from_port = 443; to_port = 443; protocol = "tcp"
#     }
#   references:
#     - https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html
deny_no_description contains result if {
	some r in input.resources
	r.type in sg_types
	not described(r)
	result := tf.result(r, "description", sprintf("'%s' or one of its rules has no description.", [r.address]))
}

described(r) if {
	not tf.unknown(r, "description")
	tf.present(object.get(r.values, "description", null))
	every direction in ["ingress", "egress"] {
		every rule in object.get(r.values, direction, []) {
			tf.present(object.get(rule, "description", null))
		}
	}
}

described(r) if tf.unknown(r, "description")
