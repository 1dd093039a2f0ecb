# Kubernetes workload hygiene: resource limits and image references.
package gatehouse.kubernetes.workload

import data.gatehouse.lib.kubernetes as k8s
import rego.v1

# METADATA
# title: Container has no CPU limit
# description: Without a CPU limit one container can starve every other workload on the node.
# custom:
#   id: GH-K8S-020
#   severity: medium
#   checkov: CKV_K8S_11
#   input: kubernetes
#   remediation: Set `resources.limits.cpu` on every container.
#   before: |
#     resources: {}
#   after: |
#     resources:
#       limits: {cpu: 500m, memory: 512Mi}
#   references:
#     - https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/
deny_no_cpu_limit contains result if {
	some c in k8s.containers
	not c.container.resources.limits.cpu
	result := {"msg": sprintf("%s: container '%s' has no CPU limit.", [k8s.name, c.container.name]), "path": c.path}
}

# METADATA
# title: Container has no memory limit
# description: Without a memory limit a leaking container pushes the node into OOM kills of other pods.
# custom:
#   id: GH-K8S-021
#   severity: medium
#   checkov: CKV_K8S_13
#   input: kubernetes
#   remediation: Set `resources.limits.memory` on every container.
#   before: |
#     resources: {}
#   after: |
#     resources:
#       limits: {cpu: 500m, memory: 512Mi}
#   references:
#     - https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/
deny_no_memory_limit contains result if {
	some c in k8s.containers
	not c.container.resources.limits.memory
	result := {"msg": sprintf("%s: container '%s' has no memory limit.", [k8s.name, c.container.name]), "path": c.path}
}

# METADATA
# title: Container image uses latest or no tag
# description: "`:latest` and untagged images change under you; pin a version (a digest also passes)."
# custom:
#   id: GH-K8S-022
#   severity: medium
#   checkov: CKV_K8S_14
#   input: kubernetes
#   remediation: Use an explicit version tag such as `nginx:1.27.2`, or a digest.
#   before: |
#     image: nginx:latest
#   after: |
#     image: nginx:1.27.2
#   references:
#     - https://kubernetes.io/docs/concepts/containers/images/#image-names
deny_latest_tag contains result if {
	some c in k8s.containers
	parts := k8s.image_parts(c.container.image)
	parts.digest == ""
	parts.tag in {"", "latest"}
	result := {"msg": sprintf("%s: container '%s' image '%s' is not pinned to a version.", [k8s.name, c.container.name, c.container.image]), "path": sprintf("%s/image", [c.path])}
}

# METADATA
# title: Container image is not pinned by digest
# description: A tag can be re-pushed; only `image@sha256:...` guarantees the bytes you reviewed run.
# custom:
#   id: GH-K8S-023
#   severity: low
#   checkov: CKV_K8S_43
#   input: kubernetes
#   remediation: Reference the image by digest, e.g. `nginx:1.27.2@sha256:...`.
#   before: |
#     image: nginx:1.27.2
#   after: |
#     image: nginx:1.27.2@sha256:0b3b5a8a...
#   references:
#     - https://kubernetes.io/docs/concepts/containers/images/#image-names
deny_no_digest contains result if {
	some c in k8s.containers
	k8s.image_parts(c.container.image).digest == ""
	result := {"msg": sprintf("%s: container '%s' image '%s' is not pinned by digest.", [k8s.name, c.container.name, c.container.image]), "path": sprintf("%s/image", [c.path])}
}
