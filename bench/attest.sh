#!/usr/bin/env bash
# 1. Bundle verification throughput: gatehouse (sigstore-verify + gatehouse-attest, release build)
# against sigstore-js (`@sigstore/verify` 4.1.3 on Node) on the same bundles: three keyless
# conformance bundles (Rekor v1, DSSE, Rekor v2 + TSA) and a key-signed gatehouse bundle, N
# verifications each (default 1,000). 2. Sign + push latency against a loopback registry
# (scripts/start-registry.sh): N/10 image signatures, legacy .sig signatures, and verification
# of them all. A benchmark, not a test: nothing in CI runs it.
#
#   bench/attest.sh [N]
#
# Needs cargo, node and npm (installs @sigstore/verify under ~/.cache/gatehouse/node-sigstore,
# as scripts/test.sh does). Exit 2 on a usage or build error.
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-1000}"
[[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "usage: bench/attest.sh [N]" >&2; exit 2; }
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/gatehouse/target}"
NODE_SIGSTORE="$HOME/.cache/gatehouse/node-sigstore"
if [ ! -f "$NODE_SIGSTORE/node_modules/@sigstore/verify/package.json" ]; then
  mkdir -p "$NODE_SIGSTORE"
  npm install --prefix "$NODE_SIGSTORE" --no-audit --no-fund --silent \
    "@sigstore/verify@4.1.3" "@sigstore/bundle@5.0.1" "@sigstore/protobuf-specs@0.5.2"
fi
cargo build --release --quiet -p gatehouse-attest --example verify_throughput --example sign_push_latency || exit 2
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
suite=crates/gatehouse-attest/tests/fixtures/sigstore-conformance
echo "== gatehouse ($(nproc) CPUs, one thread)"
"$CARGO_TARGET_DIR/release/examples/verify_throughput" "$n" "$work"
echo
echo "== sigstore-js $(node -p "require('$NODE_SIGSTORE/node_modules/@sigstore/verify/package.json').version") on Node $(node --version)"
NODE_PATH="$NODE_SIGSTORE/node_modules" node bench/attest_sigstore_js.cjs "$n" "$suite" \
  "$work/key.sigstore.json" "$suite/bundle-verify/a.txt" "$work/key.pub"

echo
echo "== gatehouse sign + push on a loopback docker-registry"
eval "$(scripts/start-registry.sh)"
"$CARGO_TARGET_DIR/release/examples/sign_push_latency" "$GATEHOUSE_TEST_REGISTRY" "$((n / 10))"
