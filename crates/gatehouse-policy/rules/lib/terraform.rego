# Helpers for rules over a normalized Terraform plan.
#
# Input shape (built by gatehouse from `terraform show -json`):
#   input.resources[_] = {
#     "address": "module.net.aws_security_group.web[0]", "type": "aws_security_group",
#     "name": "web", "module": "module.net", "actions": ["create"],
#     "values": {...planned values...}, "unknown": {...after_unknown...},
#     "configured": ["attr", ...],                    # attributes the configuration block sets
#     "key": "module.net.aws_security_group.web",      # what other resources' references name
#     "references": {"attr": ["aws_s3_bucket.b", ...]}  # resources each attribute references
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

# True when the resource's configuration block sets `attr` (a constant or an expression). An
# unknown value that is not configured is a provider-computed default, not the user's choice.
configured(r, attr) if attr in object.get(r, "configured", [])

# The value of `attr` as the user configured it: the planned value when known; "<unknown>" when it
# is unknown (or absent from the planned values) but configured (an expression such as a reference to a resource still to be created);
# `fallback` (the provider default) when absent, null, or computed without configuration.
effective(r, attr, fallback) := v if {
	v := r.values[attr]
	v != null
} else := "<unknown>" if {
	unknown(r, attr)
	configured(r, attr)
} else := "<unknown>" if {
	# Absent from the planned values (not even null) but set in the configuration: a partial plan
	# document; the configured expression decides, and it is not known here.
	not r.values[attr]
	not attr in object.keys(r.values)
	configured(r, attr)
} else := fallback

# True for a non-empty value: not null, "", [] or {}.
present(v) if {
	v != null
	v != ""
	v != []
	v != {}
}

# `x` when it is an array, else [] (null, absent blocks and unexpected shapes iterate as empty).
list(x) := x if is_array(x)

list(x) := [] if not is_array(x)

# True when resource `c`'s attribute `attr` points at resource `r` (the edges of Checkov's graph
# checks): `c`'s configuration references `r` in that attribute (`bucket = aws_s3_bucket.b.id`),
# or the planned value equals one of `r`'s planned values named in `ids` (a literal bucket name).
points_to(c, attr, r, ids) if r.key in object.get(c, ["references", attr], [])

points_to(c, attr, r, ids) if {
	v := c.values[attr]
	is_string(v)
	v != ""
	some id in ids
	v == r.values[id]
}
