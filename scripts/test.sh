#!/usr/bin/env bash
# The whole test suite: installs what the tests need (idempotently), then runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/gatehouse/target}"

# PostgreSQL for the hub's tests: installed if missing, started on 127.0.0.1:54329 (idempotent).
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  apt-get install -y postgresql || (apt-get update && apt-get install -y postgresql)
fi
eval "$(scripts/start-postgres.sh)"
# Every PostgreSQL test creates its own database (gh_test_*, gh_crash_*); drop those earlier runs
# left behind (about 8 MB each, a thousand per day of development).
psql "$GATEHOUSE_TEST_POSTGRES_URL" -qAt -c \
  "SELECT datname FROM pg_database WHERE datname LIKE 'gh\_test\_%' OR datname LIKE 'gh\_crash\_%'" |
  while read -r db; do psql "$GATEHOUSE_TEST_POSTGRES_URL" -q -c "DROP DATABASE IF EXISTS \"$db\"" || true; done
# Local OCI registries (anonymous + htpasswd) for the registry tests (installs docker-registry).
eval "$(scripts/start-registry.sh)"

# Test runner: cargo-nextest when present, cargo test otherwise.
if cargo nextest --version >/dev/null 2>&1; then
  cargo nextest run --workspace --locked --no-fail-fast
else
  cargo test --workspace --locked --no-fail-fast
fi

# Conftest's own acceptance suite, with `conftest` replaced by `gatehouse policy`.
cargo build --locked --bin gatehouse
GATEHOUSE_BIN="$CARGO_TARGET_DIR/debug/gatehouse" ./scripts/conftest-acceptance.sh

# The official SBOM validators (PyPI spdx-tools, cyclonedx-python-lib) on large gatehouse outputs.
VENV="$HOME/.cache/gatehouse/venv-validators"
if [ ! -x "$VENV/bin/pyspdxtools" ] || ! "$VENV/bin/python" -c "import cyclonedx.validation.json" 2>/dev/null; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet "spdx-tools==0.8.*" "cyclonedx-python-lib[json-validation]==8.*"
fi
GATEHOUSE="$CARGO_TARGET_DIR/debug/gatehouse" PYTHON="$VENV/bin/python" \
  crates/gatehouse-sbom/scripts/validate-official.sh

# Signature interop (crates/gatehouse-attest/scripts/interop.sh): npm @sigstore/verify verifies
# gatehouse's key-signed bundles; PyPI securesystemslib + in-toto-attestation verify its DSSE
# envelopes. Installed once under ~/.cache/gatehouse (idempotent), run offline.
NODE_SIGSTORE="$HOME/.cache/gatehouse/node-sigstore"
if [ ! -f "$NODE_SIGSTORE/node_modules/@sigstore/verify/package.json" ] || [ ! -f "$NODE_SIGSTORE/node_modules/@sigstore/bundle/package.json" ]; then
  mkdir -p "$NODE_SIGSTORE"
  npm install --prefix "$NODE_SIGSTORE" --no-audit --no-fund --silent \
    "@sigstore/verify@4.1.3" "@sigstore/bundle@5.0.1" "@sigstore/protobuf-specs@0.5.2"
fi
VENV_ATTEST="$HOME/.cache/gatehouse/venv-attest"
if ! "$VENV_ATTEST/bin/python" -c "import securesystemslib.dsse, in_toto_attestation.v1.statement, cryptography" 2>/dev/null; then
  python3 -m venv "$VENV_ATTEST"
  "$VENV_ATTEST/bin/pip" install --quiet "securesystemslib[crypto]==1.6.*" "in-toto-attestation==0.9.*"
fi
GATEHOUSE="$CARGO_TARGET_DIR/debug/gatehouse" NODE_PATH="$NODE_SIGSTORE/node_modules" \
  PYTHON="$VENV_ATTEST/bin/python" crates/gatehouse-attest/scripts/interop.sh

# DefectDojo's clients against a running `gatehouse serve` (crates/gatehouse-hub/scripts/dd-client.sh):
# the brief's curl import and PyPI defectdojo-api-generated (import, identical reimport, list
# APIs with filters, exact counts). Installed once under ~/.cache/gatehouse (idempotent).
command -v curl >/dev/null || apt-get install -y curl || (apt-get update && apt-get install -y curl)
VENV_DD="$HOME/.cache/gatehouse/venv-dd-client"
if ! "$VENV_DD/bin/python" -c "import defectdojo_api_generated, sys; sys.exit(defectdojo_api_generated.__version__ != '2.57.2.post1')" 2>/dev/null; then
  python3 -m venv "$VENV_DD"
  "$VENV_DD/bin/pip" install --quiet "defectdojo-api-generated==2.57.2.post1"
fi
GATEHOUSE="$CARGO_TARGET_DIR/debug/gatehouse" PYTHON="$VENV_DD/bin/python" \
  crates/gatehouse-hub/scripts/dd-client.sh
