# Kubernetes pod security: privilege, host namespaces, host paths, capabilities, root, seccomp.
# Every workload kind is covered through data.gatehouse.lib.kubernetes (Pod, Deployment,
# StatefulSet, DaemonSet, ReplicaSet, Job, CronJob; containers, initContainers, ephemeralContainers).
package gatehouse.kubernetes.pod_security

import data.gatehouse.lib.kubernetes as k8s
import rego.v1

# METADATA
# title: Container runs privileged
# description: A privileged container has every capability and the host's devices; escaping it is trivial.
# custom:
#   id: GH-K8S-001
#   severity: critical
#   checkov: CKV_K8S_16
#   input: kubernetes
#   remediation: Remove `securityContext.privileged` or set it to false.
#   before: |
#     securityContext:
#       privileged: true
#   after: |
#     securityContext:
#       privileged: false
#   references:
#     - https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
deny_privileged contains result if {
	some c in k8s.containers
	c.container.securityContext.privileged == true
	result := {"msg": sprintf("%s: container '%s' runs privileged.", [k8s.name, c.container.name]), "path": sprintf("%s/securityContext/privileged", [c.path])}
}

# METADATA
# title: Container allows privilege escalation
# description: |
#   Unless `allowPrivilegeEscalation: false` is set explicitly, a process can gain more privileges
#   than its parent (setuid binaries). Like Checkov, a missing value fails.
# custom:
#   id: GH-K8S-002
#   severity: high
#   checkov: CKV_K8S_20
#   input: kubernetes
#   remediation: Set `securityContext.allowPrivilegeEscalation = false` on every container.
#   before: |
#     securityContext: {}
#   after: |
#     securityContext:
#       allowPrivilegeEscalation: false
#   references:
#     - https://kubernetes.io/docs/tasks/configure-pod-container/security-context/
deny_privilege_escalation contains result if {
	some c in k8s.containers
	object.get(c.container, ["securityContext", "allowPrivilegeEscalation"], true) != false
	result := {"msg": sprintf("%s: container '%s' does not set allowPrivilegeEscalation: false.", [k8s.name, c.container.name]), "path": c.path}
}

# METADATA
# title: Container may run as root
# description: |
#   A container runs as root unless `runAsNonRoot: true` or a non-zero `runAsUser` is set on the
#   container or, inherited, on the pod; `runAsUser: 0` always fails.
# custom:
#   id: GH-K8S-003
#   severity: high
#   checkov: CKV_K8S_23
#   input: kubernetes
#   remediation: Set `securityContext.runAsNonRoot = true` and a non-zero `runAsUser` on the pod.
#   before: |
#     securityContext:
#       runAsUser: 0
#   after: |
#     securityContext:
#       runAsNonRoot: true
#       runAsUser: 10001
#   references:
#     - https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
deny_run_as_root contains result if {
	some c in k8s.containers
	root(c)
	result := {"msg": sprintf("%s: container '%s' may run as root (set runAsNonRoot: true and a non-zero runAsUser).", [k8s.name, c.container.name]), "path": c.path}
}

root(c) if k8s.effective(c, "runAsUser", -1) == 0

root(c) if {
	k8s.effective(c, "runAsUser", -1) < 0
	k8s.effective(c, "runAsNonRoot", false) != true
}

# METADATA
# title: Pod shares the host's process namespace
# description: With `hostPID` a container sees and can signal every process on the node.
# custom:
#   id: GH-K8S-004
#   severity: high
#   checkov: CKV_K8S_17
#   input: kubernetes
#   remediation: Remove `hostPID` from the pod spec (or set it to false).
#   before: |
#     spec:
#       hostPID: true
#   after: |
#     spec:
#       hostPID: false
#   references:
#     - https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
deny_host_pid contains result if {
	some p in k8s.pod_specs
	p.spec.hostPID == true
	result := {"msg": sprintf("%s shares the host PID namespace.", [k8s.name]), "path": sprintf("%s/hostPID", [p.path])}
}

# METADATA
# title: Pod shares the host's IPC namespace
# description: With `hostIPC` a container can read shared memory of every process on the node.
# custom:
#   id: GH-K8S-005
#   severity: high
#   checkov: CKV_K8S_18
#   input: kubernetes
#   remediation: Remove `hostIPC` from the pod spec (or set it to false).
#   before: |
#     spec:
#       hostIPC: true
#   after: |
#     spec:
#       hostIPC: false
#   references:
#     - https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
deny_host_ipc contains result if {
	some p in k8s.pod_specs
	p.spec.hostIPC == true
	result := {"msg": sprintf("%s shares the host IPC namespace.", [k8s.name]), "path": sprintf("%s/hostIPC", [p.path])}
}

# METADATA
# title: Pod uses the host network
# description: With `hostNetwork` a container can sniff node traffic and reach services bound to localhost.
# custom:
#   id: GH-K8S-006
#   severity: high
#   checkov: CKV_K8S_19
#   input: kubernetes
#   remediation: Remove `hostNetwork` (or set it to false); expose the pod through a Service.
#   before: |
#     spec:
#       hostNetwork: true
#   after: |
#     spec:
#       hostNetwork: false
#   references:
#     - https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
deny_host_network contains result if {
	some p in k8s.pod_specs
	p.spec.hostNetwork == true
	result := {"msg": sprintf("%s uses the host network.", [k8s.name]), "path": sprintf("%s/hostNetwork", [p.path])}
}

# METADATA
# title: Pod mounts a hostPath volume
# description: |
#   A hostPath volume exposes the node's filesystem to the pod. Checkov has no generic hostPath
#   check (only CKV_K8S_27 for the Docker socket, GH-K8S-008); this follows the Pod Security
#   Standards baseline.
# custom:
#   id: GH-K8S-007
#   severity: medium
#   input: kubernetes
#   remediation: Use a persistentVolumeClaim, configMap, secret or emptyDir volume instead of hostPath.
#   before: |
#     volumes:
#       - name: data
#         hostPath: {path: /var/lib/app}
#   after: |
#     volumes:
#       - name: data
#         persistentVolumeClaim: {claimName: app-data}
#   references:
#     - https://kubernetes.io/docs/concepts/storage/volumes/#hostpath
deny_host_path contains result if {
	some p in k8s.pod_specs
	some i, v in k8s.list(p.spec.volumes)
	v.hostPath
	result := {"msg": sprintf("%s mounts hostPath '%v' (volume '%s').", [k8s.name, object.get(v.hostPath, "path", ""), v.name]), "path": sprintf("%s/volumes/%d/hostPath", [p.path, i])}
}

# METADATA
# title: Pod mounts the Docker socket
# description: The container runtime socket gives root on the node to anyone in the pod.
# custom:
#   id: GH-K8S-008
#   severity: critical
#   checkov: CKV_K8S_27
#   input: kubernetes
#   remediation: Do not mount `/var/run/docker.sock`; build images with a rootless builder instead.
#   before: |
#     volumes:
#       - name: docker
#         hostPath: {path: /var/run/docker.sock}
#   after: |
#     volumes: []
#   references:
#     - https://kubernetes.io/docs/concepts/storage/volumes/#hostpath
deny_docker_socket contains result if {
	some p in k8s.pod_specs
	some i, v in k8s.list(p.spec.volumes)
	trim_suffix(v.hostPath.path, "/") in {"/var/run/docker.sock", "/run/docker.sock"}
	result := {"msg": sprintf("%s mounts the Docker socket (volume '%s').", [k8s.name, v.name]), "path": sprintf("%s/volumes/%d/hostPath/path", [p.path, i])}
}

# METADATA
# title: Container adds Linux capabilities
# description: Added capabilities (NET_ADMIN, SYS_ADMIN, ...) widen what a compromised process can do to the node.
# custom:
#   id: GH-K8S-009
#   severity: medium
#   checkov: CKV_K8S_25
#   input: kubernetes
#   remediation: Remove `securityContext.capabilities.add`; grant only what the workload truly needs.
#   before: |
#     capabilities:
#       add: [NET_ADMIN]
#   after: |
#     capabilities:
#       drop: [ALL]
#   references:
#     - https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
deny_added_capabilities contains result if {
	some c in k8s.containers
	added := c.container.securityContext.capabilities.add
	count(added) > 0
	result := {"msg": sprintf("%s: container '%s' adds capabilities %v.", [k8s.name, c.container.name, added]), "path": sprintf("%s/securityContext/capabilities/add", [c.path])}
}

# METADATA
# title: Container does not drop capabilities
# description: Containers should drop `ALL` (or at least `NET_RAW`) capabilities; a missing `drop` list fails.
# custom:
#   id: GH-K8S-010
#   severity: medium
#   checkov: CKV_K8S_28
#   input: kubernetes
#   remediation: Add `securityContext.capabilities.drop = ["ALL"]` to every container.
#   before: |
#     securityContext: {}
#   after: |
#     securityContext:
#       capabilities:
#         drop: [ALL]
#   references:
#     - https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
deny_capabilities_not_dropped contains result if {
	some c in k8s.containers
	dropped := {upper(d) | some d in k8s.list(object.get(c.container, ["securityContext", "capabilities", "drop"], [])); is_string(d)}
	count(dropped & {"ALL", "NET_RAW"}) == 0
	result := {"msg": sprintf("%s: container '%s' does not drop ALL (or NET_RAW) capabilities.", [k8s.name, c.container.name]), "path": c.path}
}

# METADATA
# title: Container root filesystem is writable
# description: A read-only root filesystem stops an attacker from dropping tools or altering binaries.
# custom:
#   id: GH-K8S-011
#   severity: medium
#   checkov: CKV_K8S_22
#   input: kubernetes
#   remediation: Set `securityContext.readOnlyRootFilesystem = true`; mount an emptyDir where the app writes.
#   before: |
#     securityContext: {}
#   after: |
#     securityContext:
#       readOnlyRootFilesystem: true
#   references:
#     - https://kubernetes.io/docs/tasks/configure-pod-container/security-context/
deny_writable_root_filesystem contains result if {
	some c in k8s.containers
	object.get(c.container, ["securityContext", "readOnlyRootFilesystem"], false) != true
	result := {"msg": sprintf("%s: container '%s' does not set readOnlyRootFilesystem: true.", [k8s.name, c.container.name]), "path": c.path}
}

# METADATA
# title: Pod has no seccomp profile
# description: |
#   Without `seccompProfile.type: RuntimeDefault` (or `Localhost`) on the pod or every container,
#   all syscalls are allowed. `Unconfined` fails. Differs from Checkov: CKV_K8S_31 also accepts
#   the deprecated seccomp annotations; gatehouse reads only the securityContext field (GA since 1.19).
# custom:
#   id: GH-K8S-012
#   severity: medium
#   checkov: CKV_K8S_31
#   input: kubernetes
#   remediation: Set `securityContext.seccompProfile.type = RuntimeDefault` on the pod.
#   before: |
#     securityContext: {}
#   after: |
#     securityContext:
#       seccompProfile:
#         type: RuntimeDefault
#   references:
#     - https://kubernetes.io/docs/tutorials/security/seccomp/
deny_no_seccomp contains result if {
	some c in k8s.containers
	not k8s.effective(c, "seccompProfile", {}).type in {"RuntimeDefault", "Localhost"}
	result := {"msg": sprintf("%s: container '%s' has no RuntimeDefault or Localhost seccomp profile.", [k8s.name, c.container.name]), "path": c.path}
}
