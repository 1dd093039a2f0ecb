#!/usr/bin/env bash
# Interop of gatehouse's signatures with other Sigstore / DSSE implementations, offline:
#   - sigstore-js (`@sigstore/verify`) verifies key-signed bundles from `sign-blob` and
#     `attest-blob` given the public key, and rejects a tampered artifact and a wrong key
#     (it does not bind DSSE subjects to the artifact; gatehouse does);
#   - securesystemslib verifies a DSSE envelope from `attest-blob --envelope` and
#     in-toto-attestation validates its Statement v1, and a tampered envelope and a wrong key
#     are rejected;
#   - cosign's published test key (password `hello`) signs;
#   - sigstore-js verifies a keyless bundle made with gatehouse's test PKI (throwaway CA and log
#     key, `test_pki`) against its trusted root by identity and issuer, and rejects a wrong
#     identity, a wrong issuer and another PKI's root: the test material the keyless tests rely
#     on is standard, not only accepted by gatehouse's own verifier. The fixture writer
#     (example `keyless_fixture`) is built with cargo unless KEYLESS_FIXTURE names it.
# Usage: GATEHOUSE=bin NODE_PATH=node_modules PYTHON=venv/bin/python interop.sh
# Exit codes: 0 every check held, 1 one failed (named on stderr).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
: "${GATEHOUSE:?path to the gatehouse binary}" "${NODE_PATH:?node_modules with @sigstore/verify}" "${PYTHON:?python with securesystemslib}"
export NODE_PATH
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
failed=0
expect() { # expect VERIFIED|FAILED description command...
  local want="$1" what="$2"; shift 2
  local out
  out="$("$@" 2>&1 || true)"
  if [[ "$out" == "$want"* ]]; then
    echo "ok   $what: $out"
  else
    echo "FAIL $what: expected $want, got: $out" >&2
    failed=1
  fi
}
js() { node "$here/sigstore-js-verify.cjs" "$@"; }
py() { "$PYTHON" "$here/securesystemslib-verify.py" "$@"; }

export GATEHOUSE_PASSWORD=interop
"$GATEHOUSE" key generate --output-key-prefix ci >/dev/null
"$GATEHOUSE" key generate --output-key-prefix other >/dev/null
printf 'release 1.0\n' > app.tar.gz
printf 'release 1.0!\n' > evil.tar.gz
digest="$(sha256sum app.tar.gz | cut -c1-64)"

"$GATEHOUSE" sign-blob app.tar.gz --key ci.key --bundle app.sigstore.json >/dev/null
expect VERIFIED "sigstore-js: sign-blob bundle" js app.sigstore.json app.tar.gz ci.pub
expect FAILED "sigstore-js: tampered artifact" js app.sigstore.json evil.tar.gz ci.pub
expect FAILED "sigstore-js: wrong key" js app.sigstore.json app.tar.gz other.pub

"$GATEHOUSE" provenance --builder-id https://ci.example.com/linux \
  --source-repo https://git.example.com/team/app --source-commit 0123abcd --output-file prov.json
"$GATEHOUSE" attest-blob app.tar.gz --predicate prov.json --type slsaprovenance1 --key ci.key \
  --bundle app.att.sigstore.json --envelope app.dsse.json >/dev/null
expect VERIFIED "sigstore-js: attest-blob DSSE bundle" js app.att.sigstore.json app.tar.gz ci.pub
# (sigstore-js does not match DSSE statement subjects against the artifact: given evil.tar.gz it
# still says VERIFIED. gatehouse verify-blob does match them; see crates/gatehouse/tests/attest.rs.)
expect "VERIFIED https://slsa.dev/provenance/v1" "securesystemslib + in-toto-attestation: envelope" py app.dsse.json ci.pub "$digest"
expect FAILED "securesystemslib: wrong key" py app.dsse.json other.pub "$digest"
"$PYTHON" - <<'PY'
import base64, json
env = json.load(open("app.dsse.json"))
st = json.loads(base64.b64decode(env["payload"]))
st["predicate"]["runDetails"]["builder"]["id"] = "https://evil.example.com"
env["payload"] = base64.b64encode(json.dumps(st).encode()).decode()
json.dump(env, open("tampered.dsse.json", "w"))
PY
expect FAILED "securesystemslib: tampered statement" py tampered.dsse.json ci.pub "$digest"

# cosign's own encrypted test key (sigstore/cosign pkg/cosign/keys_test.go, password "hello").
fixtures="$here/../tests/fixtures/cosign-keys"
GATEHOUSE_PASSWORD=hello "$GATEHOUSE" key import "$fixtures/sigstore-label-p256.key" --output-key-prefix cosign >/dev/null
GATEHOUSE_PASSWORD=hello "$GATEHOUSE" sign-blob app.tar.gz --key "$fixtures/cosign-label-p256.key" --bundle old.sigstore.json >/dev/null
GATEHOUSE_PASSWORD=hello "$GATEHOUSE" sign-blob app.tar.gz --key "$fixtures/sigstore-label-p256.key" --bundle cosign.sigstore.json >/dev/null
expect VERIFIED "sigstore-js: bundle signed with cosign's test key" js cosign.sigstore.json app.tar.gz cosign.pub

# Keyless, with the test PKI: sigstore-js by identity and issuer against the custom trusted root.
if [ -z "${KEYLESS_FIXTURE:-}" ]; then
  (cd "$here/../../.." && cargo build --quiet -p gatehouse-attest --features test-support --example keyless_fixture)
  KEYLESS_FIXTURE="${CARGO_TARGET_DIR:-$here/../../../target}/debug/examples/keyless_fixture"
fi
mkdir keyless other-pki
"$KEYLESS_FIXTURE" keyless
"$KEYLESS_FIXTURE" other-pki
jsk() { node "$here/sigstore-js-verify-keyless.cjs" keyless/artifact.sigstore.json keyless/artifact.txt "$@"; }
id="$(cat keyless/identity)" iss="$(cat keyless/issuer)"
expect VERIFIED "sigstore-js: keyless bundle (test CA + log) by identity" jsk keyless/root.json "$id" "$iss"
expect FAILED "sigstore-js: keyless, wrong identity" jsk keyless/root.json "https://github.com/evil/app" "$iss"
expect FAILED "sigstore-js: keyless, wrong issuer" jsk keyless/root.json "$id" "https://accounts.google.com"
expect FAILED "sigstore-js: keyless, another PKI's trusted root" jsk other-pki/root.json "$id" "$iss"

if [ "$failed" != 0 ]; then
  echo "interop: some checks failed" >&2
  exit 1
fi
echo "interop: all checks passed"
