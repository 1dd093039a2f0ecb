#!/usr/bin/env bash
# `gatehouse sbom` vs cdxgen (npm @cyclonedx/cdxgen, run offline under `unshare -n`) on the whole
# lockfile fixture tree and on each fixture image (docker save tarballs): wall time, ratio, and the
# component counts per purl type side by side.
#
#   bench/sbom.sh            (needs root for `unshare -n`; installs cdxgen under ~/.cache/gatehouse)
#
# Goal (issue #5): at least 20x faster than cdxgen on the tree, with exact package sets. Where the
# counts differ, the README of the lockfile fixtures and crates/gatehouse-sbom's snapshot tests say
# why (cdxgen reads 365 of 1,994 pnpm v6 packages, ignores whiteouts, needs Pipfile beside
# Pipfile.lock, adds source packages for OS packages).
# Environment: GATEHOUSE=path/to/binary skips the cargo build; CARGO_TARGET_DIR is honoured.
set -euo pipefail
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$BENCH_DIR/.." && pwd)
FIX=$REPO/crates/gatehouse-sbom/tests/fixtures
CDXGEN_DIR=$HOME/.cache/gatehouse/cdxgen
CDXGEN_VERSION=12.8.4

if [[ ! -x $CDXGEN_DIR/node_modules/.bin/cdxgen ]]; then
  echo "installing @cyclonedx/cdxgen@$CDXGEN_VERSION into $CDXGEN_DIR" >&2
  mkdir -p "$CDXGEN_DIR"
  npm install --prefix "$CDXGEN_DIR" --no-audit --no-fund "@cyclonedx/cdxgen@$CDXGEN_VERSION" >&2
fi
CDXGEN=$CDXGEN_DIR/node_modules/.bin/cdxgen
if [[ -z "${GATEHOUSE:-}" ]]; then
  (cd "$REPO" && cargo build --release --locked --bin gatehouse >&2)
  GATEHOUSE=${CARGO_TARGET_DIR:-$REPO/target}/release/gatehouse
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

now() { date +%s.%N; }
counts() { # CycloneDX file -> "N (type a, type b, ...)"
  python3 - "$1" <<'PY'
import json, sys, collections
doc = json.load(open(sys.argv[1]))
comps, stack = [], list(doc.get("components", []))
while stack:
    c = stack.pop()
    comps.append(c)
    stack.extend(c.get("components", []))
types = collections.Counter((c.get("purl") or "pkg:none/").split(":", 1)[1].split("/", 1)[0] for c in comps)
print(f"{len(comps)} ({', '.join(f'{t} {n}' for t, n in sorted(types.items()))})")
PY
}

run() { # label, target, cdxgen args...
  local label=$1 target=$2; shift 2
  local t0 t1 t2
  t0=$(now)
  "$GATEHOUSE" sbom "$target" -o cyclonedx --output-file "$WORK/g.json" 2>/dev/null
  t1=$(now)
  (cd "$WORK" && unshare -n "$CDXGEN" "$@" --spec-version 1.6 -o "$WORK/c.json" "$target" >/dev/null 2>&1) || true
  t2=$(now)
  local g c
  g=$(echo "$t1 - $t0" | bc); c=$(echo "$t2 - $t1" | bc)
  printf '\n### %s\n' "$label"
  printf 'gatehouse %6.2f s  %s\n' "$g" "$(counts "$WORK/g.json")"
  if [[ -s $WORK/c.json ]]; then
    printf 'cdxgen    %6.2f s  %s\n' "$c" "$(counts "$WORK/c.json")"
  else
    printf 'cdxgen    %6.2f s  (no output)\n' "$c"
  fi
  printf 'ratio     %6.1fx faster\n' "$(echo "$c / $g" | bc -l)"
}

run "lockfile fixture tree ($FIX/lockfiles)" "$FIX/lockfiles" --no-install-deps
for img in "$FIX"/images/*.docker-save.tar; do
  run "image $(basename "$img")" "$img" -t docker
done
