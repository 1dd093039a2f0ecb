# Dockerfile rules. `input` is the instruction list in Conftest's shape:
# [{"Cmd": "from", "Flags": [...], "Value": [...], "Stage": 0, "JSON": false, "Line": 1}, ...].
package gatehouse.dockerfile.dockerfile

import rego.v1

instructions(cmd) := [i | some i in input; i.Cmd == cmd]

# Names given to earlier stages (`FROM x AS build`), which later FROMs may use as base.
stage_names contains lower(i.Value[2]) if {
	some i in instructions("from")
	count(i.Value) >= 3
	upper(i.Value[1]) == "AS"
}

# Base image references other than `scratch`, earlier stages and build arguments.
external_bases contains [i, image] if {
	some i in instructions("from")
	image := i.Value[0]
	lower(image) != "scratch"
	not lower(image) in stage_names
	not contains(image, "$")
}

image_tag(image) := tag if {
	no_digest := split(image, "@")[0]
	parts := split(no_digest, "/")
	last := split(parts[count(parts) - 1], ":")
	tag := concat("", array.slice(last, 1, 2))
}

# METADATA
# title: Dockerfile has no USER instruction
# description: Without `USER` the container runs as root.
# custom:
#   id: GH-DKR-001
#   severity: medium
#   checkov: CKV_DOCKER_3
#   input: dockerfile
#   remediation: Create an unprivileged user and switch to it with `USER`.
#   before: |
#     FROM alpine:3.20
#     CMD ["app"]
#   after: |
#     FROM alpine:3.20
#     RUN adduser -D -u 10001 app
#     USER 10001
#     CMD ["app"]
#   references:
#     - https://docs.docker.com/build/building/best-practices/#user
deny_no_user contains result if {
	count(input) > 0
	count(instructions("user")) == 0
	result := {"msg": "Dockerfile has no USER instruction; the container runs as root.", "line": 1}
}

# METADATA
# title: Dockerfile switches to root
# description: |
#   The last `USER` is `root` or UID 0. Differs from Checkov: CKV_DOCKER_8 only recognises the
#   literal `root`, so `USER 0` and `USER 0:0` pass there; gatehouse fails them.
# custom:
#   id: GH-DKR-002
#   severity: high
#   checkov: CKV_DOCKER_8
#   input: dockerfile
#   remediation: End with `USER` set to an unprivileged user; switch to root only for the steps that need it.
#   before: |
#     USER root
#     CMD ["app"]
#   after: |
#     USER 10001
#     CMD ["app"]
#   references:
#     - https://docs.docker.com/build/building/best-practices/#user
deny_root_user contains result if {
	users := instructions("user")
	last := users[count(users) - 1]
	split(last.Value[0], ":")[0] in {"root", "0"}
	result := {"msg": sprintf("The last USER is '%s'; the container runs as root.", [last.Value[0]]), "line": last.Line}
}

# METADATA
# title: Base image uses latest or no tag
# description: "`FROM image` or `FROM image:latest` changes under you; stages and `scratch` are ignored; a digest passes."
# custom:
#   id: GH-DKR-003
#   severity: medium
#   checkov: CKV_DOCKER_7
#   input: dockerfile
#   remediation: Pin the base image to a version tag (and ideally a digest).
#   before: |
#     FROM python:latest
#   after: |
#     FROM python:3.12.7-slim
#   references:
#     - https://docs.docker.com/build/building/best-practices/#from
deny_latest_base contains result if {
	some [i, image] in external_bases
	not contains(image, "@")
	image_tag(image) in {"", "latest"}
	result := {"msg": sprintf("Base image '%s' is not pinned to a version.", [image]), "line": i.Line}
}

# METADATA
# title: Base image is not pinned by digest
# description: A tag can be re-pushed; `FROM image@sha256:...` makes builds reproducible and reviewable.
# custom:
#   id: GH-DKR-004
#   severity: low
#   input: dockerfile
#   remediation: Add the digest, e.g. `FROM python:3.12.7-slim@sha256:...`; let a bot such as Renovate update it.
#   before: |
#     FROM python:3.12.7-slim
#   after: |
#     FROM python:3.12.7-slim@sha256:af4e85f1...
#   references:
#     - https://docs.docker.com/reference/dockerfile/#from
deny_base_not_digest contains result if {
	some [i, image] in external_bases
	not contains(image, "@sha256:")
	result := {"msg": sprintf("Base image '%s' is not pinned by digest.", [image]), "line": i.Line}
}

# METADATA
# title: ADD fetches a remote URL
# description: |
#   `ADD https://...` downloads without checksum verification (unless `--checksum`) and hides what
#   entered the image. Checkov's CKV_DOCKER_4 flags every ADD; gatehouse flags only remote sources,
#   so it does not mirror it.
# custom:
#   id: GH-DKR-005
#   severity: medium
#   input: dockerfile
#   remediation: Download with `RUN curl` and verify a checksum, or use `ADD --checksum=sha256:...`.
#   before: |
#     ADD https://example.com/tool.tgz /opt/
#   after: |
#     ADD --checksum=sha256:24454f83... https://example.com/tool.tgz /opt/
#   references:
#     - https://docs.docker.com/reference/dockerfile/#add
deny_add_remote contains result if {
	some i in instructions("add")
	not checksum_flag(i)
	some src in array.slice(i.Value, 0, count(i.Value) - 1)
	regex.match(`^(https?|git)://|^git@`, src)
	result := {"msg": sprintf("ADD fetches remote '%s' without a checksum.", [src]), "line": i.Line}
}

checksum_flag(i) if {
	some f in i.Flags
	startswith(f, "--checksum=")
}

# METADATA
# title: RUN pipes a download into a shell
# description: "`curl ... | sh` runs whatever the server returns at build time, unverified."
# custom:
#   id: GH-DKR-006
#   severity: high
#   input: dockerfile
#   remediation: Download the script, verify its checksum or signature, then run it.
#   before: |
#     RUN curl -fsSL https://get.example.com | sh
#   after: |
#     RUN curl -fsSLo install.sh https://get.example.com \
#      && echo "<sha256>  install.sh" | sha256sum -c - && sh install.sh
#   references:
#     - https://docs.docker.com/build/building/best-practices/#run
deny_curl_pipe_shell contains result if {
	some i in instructions("run")
	command := concat(" ", i.Value)
	regex.match(`(curl|wget)[^|;&]*\|\s*(sudo\s+)?(ba|z|da)?sh\b`, command)
	result := {"msg": "RUN pipes a downloaded script straight into a shell.", "line": i.Line}
}

# METADATA
# title: Secret in ENV or ARG
# description: |
#   ENV and ARG values are stored in the image history and metadata for anyone who pulls it. Flags
#   names that look like secrets (PASSWORD, SECRET, TOKEN, API_KEY, PRIVATE_KEY, ACCESS_KEY) given a
#   literal value.
# custom:
#   id: GH-DKR-007
#   severity: high
#   input: dockerfile
#   remediation: Use BuildKit secrets (`RUN --mount=type=secret,id=token ...`) or inject the value at run time.
#   before: |
#     ENV API_TOKEN=abc123
#   after: |
#     RUN --mount=type=secret,id=api_token ./configure
#   references:
#     - https://docs.docker.com/build/building/secrets/
deny_secret_env contains result if {
	some i in input
	i.Cmd in {"env", "arg"}
	some [name, value] in pairs(i)
	regex.match(`(?i)(passw(or)?d|secret|token|api_?key|private_?key|access_?key)`, name)
	value != ""
	not startswith(value, "$")
	result := {"msg": sprintf("%s %s sets a secret-looking value that stays in the image.", [upper(i.Cmd), name]), "line": i.Line}
}

# ENV is parsed as [k1, v1, k2, v2, ...]; ARG as ["k=v", "k2"].
pairs(i) := [[i.Value[n], i.Value[n + 1]] | some n in numbers.range(0, count(i.Value) - 2); n % 2 == 0] if i.Cmd == "env"

pairs(i) := [[kv[0], concat("=", array.slice(kv, 1, count(kv)))] | some v in i.Value; kv := split(v, "=")] if i.Cmd == "arg"

# METADATA
# title: Dockerfile has no HEALTHCHECK
# description: Without a HEALTHCHECK the runtime cannot tell a hung container from a healthy one.
# custom:
#   id: GH-DKR-008
#   severity: low
#   checkov: CKV_DOCKER_2
#   input: dockerfile
#   remediation: Add `HEALTHCHECK CMD ...` that probes the service (or `HEALTHCHECK NONE` to state there is none).
#   before: |
#     CMD ["app"]
#   after: |
#     HEALTHCHECK --interval=30s CMD wget -qO- http://localhost:8080/healthz || exit 1
#     CMD ["app"]
#   references:
#     - https://docs.docker.com/reference/dockerfile/#healthcheck
deny_no_healthcheck contains result if {
	count(input) > 0
	count(instructions("healthcheck")) == 0
	result := {"msg": "Dockerfile has no HEALTHCHECK instruction.", "line": 1}
}

# METADATA
# title: RUN uses sudo
# description: "`sudo` in a build step means the image ships sudo and a user allowed to escalate."
# custom:
#   id: GH-DKR-009
#   severity: medium
#   checkov: CKV2_DOCKER_1
#   input: dockerfile
#   remediation: Run privileged steps before `USER`, without sudo.
#   before: |
#     USER app
#     RUN sudo apt-get install -y curl
#   after: |
#     RUN apt-get install -y curl
#     USER app
#   references:
#     - https://docs.docker.com/build/building/best-practices/#user
deny_sudo contains result if {
	some i in instructions("run")
	regex.match(`(^|[\s;&|(])sudo\s`, concat(" ", i.Value))
	result := {"msg": "RUN uses sudo.", "line": i.Line}
}

# METADATA
# title: Dockerfile exposes SSH
# description: "`EXPOSE 22` suggests an SSH daemon in the container; use `docker exec` or `kubectl exec` instead."
# custom:
#   id: GH-DKR-010
#   severity: low
#   checkov: CKV_DOCKER_1
#   input: dockerfile
#   remediation: Remove the SSH server and `EXPOSE 22`.
#   before: |
#     EXPOSE 22 8080
#   after: |
#     EXPOSE 8080
#   references:
#     - https://docs.docker.com/reference/dockerfile/#expose
deny_expose_ssh contains result if {
	some i in instructions("expose")
	some port in i.Value
	lower(port) in {"22", "22/tcp"}
	result := {"msg": "Dockerfile exposes port 22 (SSH).", "line": i.Line}
}
