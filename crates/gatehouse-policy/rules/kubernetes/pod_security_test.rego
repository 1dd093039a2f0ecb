package gatehouse.kubernetes.pod_security_test

import data.gatehouse.kubernetes.pod_security as ps
import rego.v1

hardened := {
	"name": "app",
	"image": "registry.example.com/app:1.2.3",
	"securityContext": {
		"allowPrivilegeEscalation": false,
		"readOnlyRootFilesystem": true,
		"capabilities": {"drop": ["ALL"]},
	},
}

pod_sc := {"runAsNonRoot": true, "runAsUser": 10001, "seccompProfile": {"type": "RuntimeDefault"}}

# `obj` with the top-level keys of `patch` replaced (object.union would merge them recursively).
set(obj, patch) := object.union(object.remove(obj, object.keys(patch)), patch)

deployment(container, pod) := {
	"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
	"spec": {"template": {"spec": set({"securityContext": pod_sc, "containers": [container]}, pod)}},
}

with_sc(sc) := set(hardened, {"securityContext": set(hardened.securityContext, sc)})

cronjob(container) := {
	"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "nightly"},
	"spec": {"jobTemplate": {"spec": {"template": {"spec": {"securityContext": pod_sc, "containers": [hardened], "initContainers": [container]}}}}},
}

test_hardened_deployment_passes_every_rule if {
	d := deployment(hardened, {})
	count(ps.deny_privileged) == 0 with input as d
	count(ps.deny_privilege_escalation) == 0 with input as d
	count(ps.deny_run_as_root) == 0 with input as d
	count(ps.deny_host_pid) == 0 with input as d
	count(ps.deny_host_ipc) == 0 with input as d
	count(ps.deny_host_network) == 0 with input as d
	count(ps.deny_host_path) == 0 with input as d
	count(ps.deny_docker_socket) == 0 with input as d
	count(ps.deny_added_capabilities) == 0 with input as d
	count(ps.deny_capabilities_not_dropped) == 0 with input as d
	count(ps.deny_writable_root_filesystem) == 0 with input as d
	count(ps.deny_no_seccomp) == 0 with input as d
}

test_privileged_points_at_the_field if {
	ps.deny_privileged == {{"msg": "Deployment/web: container 'app' runs privileged.", "path": "/spec/template/spec/containers/0/securityContext/privileged"}} with input as deployment(with_sc({"privileged": true}), {})
}

test_privileged_init_container_of_a_cronjob if {
	results := ps.deny_privileged with input as cronjob(with_sc({"privileged": true}))
	[r.path | some r in results] == ["/spec/jobTemplate/spec/template/spec/initContainers/0/securityContext/privileged"]
}

test_privilege_escalation_must_be_explicitly_false if {
	count(ps.deny_privilege_escalation) == 1 with input as deployment(set(hardened, {"securityContext": {}}), {})
	count(ps.deny_privilege_escalation) == 1 with input as deployment(with_sc({"allowPrivilegeEscalation": true}), {})
}

test_run_as_root if {
	count(ps.deny_run_as_root) == 1 with input as deployment(with_sc({"runAsUser": 0}), {})
	count(ps.deny_run_as_root) == 1 with input as deployment(hardened, {"securityContext": {}})
	count(ps.deny_run_as_root) == 0 with input as deployment(with_sc({"runAsUser": 1000}), {"securityContext": {}})
}

test_host_namespaces if {
	count(ps.deny_host_pid) == 1 with input as deployment(hardened, {"hostPID": true})
	count(ps.deny_host_ipc) == 1 with input as deployment(hardened, {"hostIPC": true})
	count(ps.deny_host_network) == 1 with input as deployment(hardened, {"hostNetwork": true})
}

test_host_path_and_docker_socket if {
	vols := {"volumes": [{"name": "sock", "hostPath": {"path": "/var/run/docker.sock"}}]}
	count(ps.deny_host_path) == 1 with input as deployment(hardened, vols)
	count(ps.deny_docker_socket) == 1 with input as deployment(hardened, vols)
	count(ps.deny_docker_socket) == 0 with input as deployment(hardened, {"volumes": [{"name": "d", "hostPath": {"path": "/data"}}]})
}

test_capabilities if {
	count(ps.deny_added_capabilities) == 1 with input as deployment(with_sc({"capabilities": {"add": ["NET_ADMIN"], "drop": ["ALL"]}}), {})
	count(ps.deny_capabilities_not_dropped) == 1 with input as deployment(with_sc({"capabilities": {}}), {})
	count(ps.deny_capabilities_not_dropped) == 0 with input as deployment(with_sc({"capabilities": {"drop": ["net_raw"]}}), {})
}

test_read_only_root_filesystem if {
	count(ps.deny_writable_root_filesystem) == 1 with input as deployment(with_sc({"readOnlyRootFilesystem": false}), {})
}

test_seccomp if {
	count(ps.deny_no_seccomp) == 1 with input as deployment(hardened, {"securityContext": {"runAsNonRoot": true}})
	count(ps.deny_no_seccomp) == 1 with input as deployment(with_sc({"seccompProfile": {"type": "Unconfined"}}), {})
	count(ps.deny_no_seccomp) == 0 with input as deployment(with_sc({"seccompProfile": {"type": "Localhost"}}), {"securityContext": {}})
}

test_pods_statefulsets_and_malformed_specs if {
	pod := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [with_sc({"privileged": true})]}}
	count(ps.deny_privileged) == 1 with input as pod
	sts := object.union(deployment(with_sc({"privileged": true}), {}), {"kind": "StatefulSet"})
	count(ps.deny_privileged) == 1 with input as sts
	count(ps.deny_privileged) == 0 with input as {"apiVersion": "v1", "kind": "Pod", "spec": {"containers": "oops"}}
	count(ps.deny_privileged) == 0 with input as {"apiVersion": "v1", "kind": "ConfigMap", "data": {}}
}
