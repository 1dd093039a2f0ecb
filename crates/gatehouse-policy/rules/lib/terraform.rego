# Helpers for rules over a normalized Terraform plan.
#
# Input shape (built by gatehouse from `terraform show -json`):
#   input.resources[_] = {
#     "address": "module.net.aws_security_group.web[0]", "type": "aws_security_group",
#     "name": "web", "module": "module.net", "actions": ["create"],
#     "values": {...planned values...}, "unknown": {...after_unknown...}
#   }
# Pure deletes and data sources are not included.
package gatehouse.lib.terraform

import rego.v1

# Resources of one type.
resources(type) := [r | some r in input.resources; r.type == type]

# True when the planned value of `attr` is only known after apply. Unknown values never
# violate a rule: gatehouse reports what the plan says, not what it might become.
unknown(r, attr) if r.unknown[attr] == true

# The planned value of a top-level attribute, or `fallback` when it is absent or null
# (the provider default, `fallback`, applies).
value_or(r, attr, fallback) := v if {
	v := r.values[attr]
	v != null
} else := fallback

# A finding object for resource `r`, pointing at attribute `attr`.
result(r, attr, msg) := {"msg": msg, "resource": r.address, "attribute": attr}

# CIDR blocks that mean "the whole internet".
internet_cidrs := {"0.0.0.0/0", "::/0"}
