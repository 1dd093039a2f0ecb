package gatehouse.kubernetes.workload_test

import data.gatehouse.kubernetes.workload as wl
import rego.v1

pod(container) := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [container]}}

limited(image) := {"name": "app", "image": image, "resources": {"limits": {"cpu": "500m", "memory": "256Mi"}}}

digest := "sha256:0b3b5a8a1f4d3e2c"

test_limits if {
	count(wl.deny_no_cpu_limit) == 0 with input as pod(limited("app:1.0"))
	count(wl.deny_no_memory_limit) == 0 with input as pod(limited("app:1.0"))
	count(wl.deny_no_cpu_limit) == 1 with input as pod({"name": "app", "image": "app:1.0", "resources": {"limits": {"memory": "1Gi"}}})
	count(wl.deny_no_memory_limit) == 1 with input as pod({"name": "app", "image": "app:1.0"})
}

test_latest_or_untagged if {
	count(wl.deny_latest_tag) == 1 with input as pod(limited("nginx:latest"))
	count(wl.deny_latest_tag) == 1 with input as pod(limited("localhost:5000/nginx"))
	count(wl.deny_latest_tag) == 0 with input as pod(limited("nginx:1.27.2"))
	count(wl.deny_latest_tag) == 0 with input as pod(limited(concat("@", ["nginx", digest])))
}

test_digest if {
	count(wl.deny_no_digest) == 1 with input as pod(limited("nginx:1.27.2"))
	count(wl.deny_no_digest) == 0 with input as pod(limited(concat("@", ["nginx:1.27.2", digest])))
}
