# Helpers for rules over one Kubernetes manifest (`input` is the document).
#
# Every workload kind carries a pod spec at a kind-specific place; `pod_spec` finds it and
# `containers` yields every container (including initContainers and ephemeralContainers) with a
# JSON pointer relative to the document, so findings point at the right line.
package gatehouse.lib.kubernetes

import rego.v1

# Kinds whose pod template sits at spec.template.spec.
template_kinds := {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job"}

# {"spec": <pod spec>, "path": "/json/pointer/to/it"} for the manifest's pod spec.
pod_specs contains {"spec": input.spec, "path": "/spec"} if {
	input.kind == "Pod"
	is_object(input.spec)
}

pod_specs contains {"spec": input.spec.template.spec, "path": "/spec/template/spec"} if {
	input.kind in template_kinds
	is_object(input.spec.template.spec)
}

pod_specs contains {"spec": input.spec.jobTemplate.spec.template.spec, "path": "/spec/jobTemplate/spec/template/spec"} if {
	input.kind == "CronJob"
	is_object(input.spec.jobTemplate.spec.template.spec)
}

container_fields := ["containers", "initContainers", "ephemeralContainers"]

# {"container": {...}, "path": "/spec/template/spec/containers/0", "pod": <pod spec>} for every container.
containers contains {"container": c, "path": sprintf("%s/%s/%d", [p.path, field, i]), "pod": p.spec} if {
	some p in pod_specs
	some field in container_fields
	some i, c in list(p.spec[field])
	is_object(c)
}

# A short name for messages: "Deployment/web".
name := sprintf("%s/%s", [input.kind, object.get(input, ["metadata", "name"], "<unnamed>")])

# A container field if set, else the pod-level securityContext field, else `fallback`.
effective(entry, field, fallback) := v if {
	v := entry.container.securityContext[field]
	v != null
} else := v if {
	v := entry.pod.securityContext[field]
	v != null
} else := fallback

# An image reference split into repository, tag and digest ("" when absent).
image_parts(image) := {"repository": repo, "tag": tag, "digest": digest} if {
	at := split(image, "@")
	digest := nth(at, 1)
	slash := split(at[0], "/")
	colon := split(slash[count(slash) - 1], ":")
	tag := nth(colon, 1)
	repo := trim_suffix(at[0], concat("", [":", tag]))
}

# The i-th element of an array, or "" past its end.
nth(arr, i) := arr[i]

nth(arr, i) := "" if count(arr) <= i

# `x` when it is an array, else [] (manifests are untrusted input).
list(x) := x if is_array(x)

list(x) := [] if not is_array(x)
