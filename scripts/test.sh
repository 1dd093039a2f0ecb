#!/usr/bin/env bash
# The whole test suite: installs what the tests need (idempotently), then runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/gatehouse/target}"

# Test runner: cargo-nextest when present, cargo test otherwise.
if cargo nextest --version >/dev/null 2>&1; then
  cargo nextest run --workspace --locked --no-fail-fast
else
  cargo test --workspace --locked --no-fail-fast
fi

# Conftest's own acceptance suite, with `conftest` replaced by `gatehouse policy`.
cargo build --locked --bin gatehouse
GATEHOUSE_BIN="$CARGO_TARGET_DIR/debug/gatehouse" ./scripts/conftest-acceptance.sh
