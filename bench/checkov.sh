#!/usr/bin/env bash
# Agreement and speed of `gatehouse check` against Checkov (PyPI, offline) on generated Terraform
# plans. For every (resource, Checkov check) pair that a gatehouse rule mirrors, compares the two
# verdicts (bench/checkov_compare.py), prints the agreement, every difference grouped by check with
# the reason, and the wall-time, CPU-time and peak-RSS ratios (GNU time, one run each). See bench/checkov.md.
#
#   bench/checkov.sh [--sizes "100 1000 10000"] [--seed N]   (default sizes: 100 1000)
#
# Environment: GATEHOUSE=path/to/binary skips the cargo build; CARGO_TARGET_DIR is honoured;
# CHECKOV_WORK=dir moves the generated plans and raw reports (default bench/checkov-work).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$BENCH_DIR/.." && pwd)
SIZES="100 1000"
SEED=42
# The version the numbers in bench/README.md were taken with.
CHECKOV_PKG=checkov==3.3.30

usage() { sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --sizes) SIZES=$2; shift 2 ;;
    --seed) SEED=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "checkov.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
done

WORK=${CHECKOV_WORK:-$BENCH_DIR/checkov-work}
VENV=$BENCH_DIR/.venv-checkov
mkdir -p "$WORK"
# Generated plans and reports are large and reproducible: never commit them.
echo '*' > "$WORK/.gitignore"
log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'checkov.sh: ERROR: %s\n' "$*" >&2; exit 1; }

# --- tools -------------------------------------------------------------------------------------
if ! /usr/bin/time -f '%e' true >/dev/null 2>&1; then
  log "installing GNU time (Debian package 'time')"
  if [[ $(id -u) -eq 0 ]]; then
    apt-get install -y -qq time >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
  else
    die "/usr/bin/time (GNU time) is missing: apt-get install time"
  fi
fi

if ! "$VENV/bin/checkov" --version 2>/dev/null | grep -qx "${CHECKOV_PKG#checkov==}"; then
  log "creating $VENV with $CHECKOV_PKG (takes a few minutes)"
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check "$CHECKOV_PKG"
fi
echo '*' > "$VENV/.gitignore"

if [[ -z ${GATEHOUSE:-} ]]; then
  log "building gatehouse (release)"
  (cd "$REPO" && cargo build -q --release -p gatehouse)
  GATEHOUSE=${CARGO_TARGET_DIR:-$REPO/target}/release/gatehouse
fi
[[ -x $GATEHOUSE ]] || die "no gatehouse binary at $GATEHOUSE"
"$GATEHOUSE" check --list-rules -o json > "$WORK/rules.json"

# --- runs --------------------------------------------------------------------------------------
for n in $SIZES; do
  plan=$WORK/plan-$n.json
  log "plan with $n resources (seed $SEED)"
  python3 "$BENCH_DIR/tools/gen_tfplan.py" -n "$n" --seed "$SEED" -o "$plan"

  log "gatehouse check ($n)"
  /usr/bin/time -f '%e %M %U %S' -o "$WORK/gatehouse-$n.time" \
    "$GATEHOUSE" check "$plan" -o json --fail-on none > "$WORK/gatehouse-$n.json"

  log "checkov ($n; about 6 minutes at 10,000)"
  # Offline: no update check, no Bridgecrew mapping download, no policy download. No --quiet: it
  # drops passed checks from the JSON. Checkov exits 1 when anything failed.
  CKV_SKIP_PACKAGE_UPDATE_CHECK=true BC_SKIP_MAPPING=TRUE \
    /usr/bin/time -f '%e %M %U %S' -o "$WORK/checkov-$n.time" \
    "$VENV/bin/checkov" -f "$plan" --framework terraform_plan -o json --skip-download \
    > "$WORK/checkov-$n.json" 2> "$WORK/checkov-$n.log" || true
  [[ -s $WORK/checkov-$n.json ]] || die "checkov wrote no report; see $WORK/checkov-$n.log"

  echo
  echo "### $n resources"
  python3 "$BENCH_DIR/checkov_compare.py" "$plan" "$WORK/checkov-$n.json" "$WORK/gatehouse-$n.json" \
    "$WORK/rules.json" --times "$WORK/gatehouse-$n.time" "$WORK/checkov-$n.time" | tee "$WORK/compare-$n.txt"
done

# --- the mirrored checks gen_tfplan.py does not generate ------------------------------------------
extra=$WORK/plan-extra.json
log "hand-made plan for the other mirrored checks (bench/checkov_extra_plan.py)"
python3 "$BENCH_DIR/checkov_extra_plan.py" "$extra"
"$GATEHOUSE" check "$extra" -o json --fail-on none > "$WORK/gatehouse-extra.json"
CKV_SKIP_PACKAGE_UPDATE_CHECK=true BC_SKIP_MAPPING=TRUE \
  "$VENV/bin/checkov" -f "$extra" --framework terraform_plan -o json --skip-download \
  > "$WORK/checkov-extra.json" 2> "$WORK/checkov-extra.log" || true
echo
echo "### extra checks (hand-made plan)"
python3 "$BENCH_DIR/checkov_compare.py" "$extra" "$WORK/checkov-extra.json" "$WORK/gatehouse-extra.json" \
  "$WORK/rules.json" | tee "$WORK/compare-extra.txt"
