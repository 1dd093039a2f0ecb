package gatehouse.dockerfile.dockerfile_test

import data.gatehouse.dockerfile.dockerfile as df
import rego.v1

ins(cmd, value, line) := {"Cmd": cmd, "Flags": [], "Value": value, "Stage": 0, "JSON": false, "Line": line}

good := [
	ins("from", ["python:3.12-slim@sha256:abc"], 1),
	ins("run", ["pip install -r requirements.txt"], 2),
	ins("user", ["10001"], 3),
	ins("healthcheck", ["CMD", "curl -f http://localhost/"], 4),
	ins("expose", ["8080"], 5),
]

test_good_dockerfile_passes_every_rule if {
	count(df.deny_no_user) == 0 with input as good
	count(df.deny_root_user) == 0 with input as good
	count(df.deny_latest_base) == 0 with input as good
	count(df.deny_base_not_digest) == 0 with input as good
	count(df.deny_add_remote) == 0 with input as good
	count(df.deny_curl_pipe_shell) == 0 with input as good
	count(df.deny_secret_env) == 0 with input as good
	count(df.deny_no_healthcheck) == 0 with input as good
	count(df.deny_sudo) == 0 with input as good
	count(df.deny_expose_ssh) == 0 with input as good
}

test_no_user_and_no_healthcheck if {
	bare := [ins("from", ["alpine:3.20"], 1)]
	df.deny_no_user == {{"msg": "Dockerfile has no USER instruction; the container runs as root.", "line": 1}} with input as bare
	count(df.deny_no_healthcheck) == 1 with input as bare
}

test_last_user_root_or_uid_zero if {
	count(df.deny_root_user) == 1 with input as array.concat(good, [ins("user", ["root"], 9)])
	count(df.deny_root_user) == 1 with input as array.concat(good, [ins("user", ["0:0"], 9)])
	count(df.deny_root_user) == 0 with input as [ins("user", ["root"], 1), ins("user", ["app"], 2)]
}

test_base_image_tags if {
	count(df.deny_latest_base) == 1 with input as [ins("from", ["python"], 1)]
	count(df.deny_latest_base) == 1 with input as [ins("from", ["python:latest", "AS", "build"], 1)]
	count(df.deny_latest_base) == 0 with input as [ins("from", ["golang:1.22", "AS", "build"], 1), ins("from", ["build"], 2), ins("from", ["scratch"], 3)]
	count(df.deny_base_not_digest) == 1 with input as [ins("from", ["python:3.12"], 1)]
	count(df.deny_base_not_digest) == 0 with input as [ins("from", ["python:3.12@sha256:abc"], 1)]
}

test_add_remote if {
	df.deny_add_remote == {{"msg": "ADD fetches remote 'https://example.com/a.tgz' without a checksum.", "line": 7}} with input as [ins("add", ["https://example.com/a.tgz", "/opt/"], 7)]
	count(df.deny_add_remote) == 0 with input as [ins("add", ["app.tgz", "/opt/"], 7)]
	count(df.deny_add_remote) == 0 with input as [object.union(ins("add", ["https://example.com/a.tgz", "/opt/"], 7), {"Flags": ["--checksum=sha256:abc"]})]
}

test_curl_pipe_shell if {
	count(df.deny_curl_pipe_shell) == 1 with input as [ins("run", ["curl -fsSL https://get.example.com | sh"], 3)]
	count(df.deny_curl_pipe_shell) == 1 with input as [ins("run", ["wget -qO- https://x | sudo bash -s"], 3)]
	count(df.deny_curl_pipe_shell) == 0 with input as [ins("run", ["curl -fsSLo x.tgz https://x && tar xzf x.tgz"], 3)]
}

test_secrets_in_env_and_arg if {
	count(df.deny_secret_env) == 1 with input as [ins("env", ["API_TOKEN", "abc123"], 2)]
	count(df.deny_secret_env) == 1 with input as [ins("arg", ["DB_PASSWORD=hunter2"], 2)]
	count(df.deny_secret_env) == 0 with input as [ins("arg", ["DB_PASSWORD"], 2), ins("env", ["TOKEN_FILE", "$TOKEN_PATH", "PORT", "8080"], 3)]
}

test_sudo if {
	count(df.deny_sudo) == 1 with input as [ins("run", ["apt-get update && sudo apt-get install -y curl"], 4)]
	count(df.deny_sudo) == 0 with input as [ins("run", ["apt-get install -y pseudo"], 4)]
}

test_expose_ssh if {
	count(df.deny_expose_ssh) == 1 with input as [ins("expose", ["8080", "22/tcp"], 6)]
	count(df.deny_expose_ssh) == 0 with input as [ins("expose", ["2222"], 6)]
}
