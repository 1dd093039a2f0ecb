#!/usr/bin/env bash
# Offline vulnerability matching: `gatehouse db import` of the shared OSV data (8,757 real
# records) and of a synthetic 200,000-record osv.dev-style zip, then `gatehouse scan sbom` of a
# 10,000-component CycloneDX SBOM. Prints wall time, CPU time and peak RSS (GNU time) of each.
#
#   bench/vuln.sh [--advisories N] [--components N] [--osv DIR]
#
# Goals (issue #6): scan under 1 s after import, import under 60 s for 200,000 records.
# No peer runs here: grype, trivy and osv-scanner are not installable on this machine (not in
# Debian 12, PyPI or npm as binaries), so the figures stand alone.
# Environment: GATEHOUSE=path/to/binary skips the cargo build; CARGO_TARGET_DIR is honoured.
set -euo pipefail
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$BENCH_DIR/.." && pwd)
ADVISORIES=200000
COMPONENTS=10000
OSV_DIR=$REPO/../shared/fixtures/osv
while [[ $# -gt 0 ]]; do
  case "$1" in
    --advisories) ADVISORIES=$2; shift 2 ;;
    --components) COMPONENTS=$2; shift 2 ;;
    --osv) OSV_DIR=$2; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "vuln.sh: unknown argument: $1" >&2; exit 2 ;;
  esac
done
if ! /usr/bin/time -f '%e' true >/dev/null 2>&1; then
  apt-get install -y time >/dev/null
fi
if [[ -z "${GATEHOUSE:-}" ]]; then
  (cd "$REPO" && cargo build --release --locked --bin gatehouse >&2)
  GATEHOUSE=${CARGO_TARGET_DIR:-$REPO/target}/release/gatehouse
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

measure() { # label, command...
  local label=$1; shift
  /usr/bin/time -f "%e %U %S %M" -o "$WORK/time" "$@" >"$WORK/out" 2>"$WORK/err" || true
  read -r wall user sys rss < <(tail -n 1 "$WORK/time")
  printf '%-44s wall %6.2f s  cpu %6.2f s  peak RSS %5d MiB\n' "$label" "$wall" \
    "$(echo "$user + $sys" | bc)" "$((rss / 1024))"
}

python3 "$BENCH_DIR/tools/gen_osv.py" advisories "$ADVISORIES" "$WORK/synthetic.zip"
python3 "$BENCH_DIR/tools/gen_osv.py" sbom "$COMPONENTS" "$WORK/sbom.cdx.json"
echo "synthetic: $ADVISORIES advisories ($(du -h "$WORK/synthetic.zip" | cut -f1) zip), $COMPONENTS components"

if [[ -d "$OSV_DIR" ]]; then
  measure "import shared OSV data (8,757 records)" \
    "$GATEHOUSE" db --db "$WORK/real" import "$OSV_DIR"
  tail -n 2 "$WORK/out"
  measure "re-import, nothing changed" "$GATEHOUSE" db --db "$WORK/real" import "$OSV_DIR"
fi
measure "import $ADVISORIES synthetic records (zip)" \
  "$GATEHOUSE" db --db "$WORK/syn" import "$WORK/synthetic.zip"
tail -n 2 "$WORK/out"
measure "scan sbom, $COMPONENTS components" \
  "$GATEHOUSE" scan sbom --db "$WORK/syn" --fail-on none -o json "$WORK/sbom.cdx.json"
tail -n 1 "$WORK/err"
measure "scan sbom, table output" \
  "$GATEHOUSE" scan sbom --db "$WORK/syn" --fail-on none "$WORK/sbom.cdx.json"
