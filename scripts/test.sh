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
