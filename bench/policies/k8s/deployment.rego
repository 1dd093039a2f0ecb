# A Conftest-style Kubernetes policy for the benchmark's Deployment manifests (Rego v1).
package main

deployment if input.kind == "Deployment"

pod_spec := input.spec.template.spec

# Pods must not run as root.
deny contains msg if {
	deployment
	not pod_spec.securityContext.runAsNonRoot
	msg := sprintf("Deployment '%s' must set spec.template.spec.securityContext.runAsNonRoot=true.", [input.metadata.name])
}

# Every container needs a memory limit.
deny contains msg if {
	deployment
	some c in pod_spec.containers
	not c.resources.limits.memory
	msg := sprintf("Container '%s' in Deployment '%s' has no memory limit.", [c.name, input.metadata.name])
}

# Images must be pinned to a tag other than latest.
deny contains msg if {
	deployment
	some c in pod_spec.containers
	endswith(c.image, ":latest")
	msg := sprintf("Container '%s' in Deployment '%s' uses the mutable image '%s'.", [c.name, input.metadata.name, c.image])
}

# Containers must not allow privilege escalation.
deny contains msg if {
	deployment
	some c in pod_spec.containers
	c.securityContext.allowPrivilegeEscalation != false
	msg := sprintf("Container '%s' in Deployment '%s' allows privilege escalation.", [c.name, input.metadata.name])
}
