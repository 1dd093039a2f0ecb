#!/usr/bin/env bash
# Benchmark `gatehouse policy test` against real OPA (v1.20, embedded in the PyPI package
# opa-golib-python-bindings) on a 10,000-resource Terraform plan and on 5,000 small Kubernetes
# YAML files. Measures whole-process wall time and peak RSS with GNU time, median of --runs runs
# after one untimed warm-up run per command, checks both tools report the same number of deny
# results, and prints a table with the OPA/gatehouse ratios. See bench/README.md.
#
#   bench/policy.sh [--runs N] [--plan-resources N] [--k8s-files N] [--seed N]
#
# Environment: GATEHOUSE=path/to/binary skips the cargo build; CARGO_TARGET_DIR is honoured;
# BENCH_WORK=dir moves the generated inputs, raw results and report.md (default bench/.work).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$BENCH_DIR/.." && pwd)
RUNS=3
PLAN_N=10000
K8S_N=5000
SEED=42
OPA_PKG=opa-golib-python-bindings==0.4.4

usage() { sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) RUNS=$2; shift 2 ;;
    --plan-resources) PLAN_N=$2; shift 2 ;;
    --k8s-files) K8S_N=$2; shift 2 ;;
    --seed) SEED=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "policy.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
done
if (( K8S_N % 4 != 0 )); then
  echo "policy.sh: --k8s-files must be a multiple of 4 (scaling runs use 1/4 and 1/2 of it)" >&2
  exit 2
fi

WORK=${BENCH_WORK:-$BENCH_DIR/.work}
VENV=$BENCH_DIR/.venv
mkdir -p "$WORK"
log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'policy.sh: ERROR: %s\n' "$*" >&2; exit 1; }

# --- tools -------------------------------------------------------------------------------------
if ! /usr/bin/time -f '%e' true >/dev/null 2>&1; then
  log "installing GNU time (Debian package 'time')"
  if [[ $(id -u) -eq 0 ]]; then
    apt-get install -y -qq time >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
  else
    die "/usr/bin/time (GNU time) is missing: apt-get install time"
  fi
fi

if ! "$VENV/bin/python" -c 'import opa_bindings' >/dev/null 2>&1; then
  log "creating $VENV with $OPA_PKG"
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  # The wheel declares Python >= 3.14 but runs on 3.11; it has no dependencies.
  "$VENV/bin/pip" install -q --disable-pip-version-check \
    --ignore-requires-python --no-deps --only-binary=:all: "$OPA_PKG"
  "$VENV/bin/python" -c 'import opa_bindings' || die "opa_bindings does not import"
fi
OPA_PY=$VENV/bin/python

if [[ -n ${GATEHOUSE:-} ]]; then
  GH=$GATEHOUSE
  GH_FROM="given as GATEHOUSE=$GATEHOUSE (not rebuilt)"
else
  GH_FROM="built by this script from the working tree"
  log "building gatehouse (release)"
  (cd "$REPO" && cargo build --release --quiet --bin gatehouse)
  GH=${CARGO_TARGET_DIR:-$REPO/target}/release/gatehouse
fi
[[ -x $GH ]] || die "gatehouse binary not found at $GH"
# Time a private copy: a target dir shared with other checkouts may be rebuilt mid-run.
cp "$GH" "$WORK/gatehouse.bin"
GH=$WORK/gatehouse.bin

# --- inputs ------------------------------------------------------------------------------------
PLAN=$WORK/plan-$PLAN_N-seed$SEED.json
if [[ ! -s $PLAN ]]; then
  log "generating $PLAN"
  python3 "$BENCH_DIR/tools/gen_tfplan.py" -n "$PLAN_N" --seed "$SEED" -o "$PLAN.tmp"
  mv "$PLAN.tmp" "$PLAN"
fi
K8S=$WORK/k8s-$K8S_N-seed$SEED
if [[ ! -e $K8S/.done ]]; then
  log "generating $K8S_N Kubernetes manifests in $K8S"
  rm -rf "$K8S"
  python3 "$BENCH_DIR/tools/gen_k8s.py" -n "$K8S_N" --seed "$SEED" -o "$K8S" --json
  touch "$K8S/.done"
fi
mapfile -t YAML < <(cd "$K8S/yaml" && printf '%s\n' *.yaml | sort)
mapfile -t JSONS < <(cd "$K8S/json" && printf '%s\n' *.json | sort)
YAML=("${YAML[@]/#/$K8S/yaml/}")
JSONS=("${JSONS[@]/#/$K8S/json/}")
(( ${#YAML[@]} == K8S_N && ${#JSONS[@]} == K8S_N )) || die "expected $K8S_N files in $K8S"

P_V0=$REPO/examples/policy            # the brief's policy, verbatim Rego v0
P_V1=$BENCH_DIR/policies/storage-v1   # the same policy in Rego v1 (all OPA here can parse)
P_K8S=$BENCH_DIR/policies/k8s

# --- measuring ---------------------------------------------------------------------------------
# Other work on the machine skews every figure: say so rather than measure quietly.
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
if awk -v l="${LOAD_BEFORE%% *}" 'BEGIN { exit !(l > 0.5) }'; then
  log "warning: 1-minute load average is $LOAD_BEFORE; results will be noisy"
fi
RESULTS=$WORK/results.tsv
printf 'id\tlabel\tcount\twall_s\trss_kb\tuser_s\tsys_s\n' > "$RESULTS"
RAW=$WORK/raw
rm -rf "$RAW"
mkdir -p "$RAW"

# count_of KIND OUTFILE: deny results in a gatehouse `-o json` report or the OPA driver's stdout.
count_of() {
  if [[ $1 == gatehouse ]]; then
    python3 -c 'import json,sys; print(sum(len(r.get("failures") or []) for r in json.load(open(sys.argv[1]))))' "$2"
  else
    tr -d '[:space:]' < "$2"
  fi
}

# measure ID KIND LABEL -- CMD...: one warm-up run (whose output gives the count), then RUNS timed
# runs; records the median of each metric. gatehouse exits 1 when a policy fails: 0 and 1 are fine.
measure() {
  local id=$1 kind=$2 label=$3; shift 4
  local out=$RAW/$id.out err=$RAW/$id.err tf=$RAW/$id.time rc
  log "$label (warm-up + $RUNS runs)"
  : > "$tf"
  for ((i = 0; i <= RUNS; i++)); do
    rc=0
    /usr/bin/time -f '%e %M %U %S' -a -o "$tf" "$@" > "$out" 2> "$err" || rc=$?
    if (( rc > 1 )); then
      cat "$err" >&2
      die "$label: exit code $rc"
    fi
    if (( i == 0 )); then
      : > "$tf"
      local count
      count=$(count_of "$kind" "$out")
      [[ $count =~ ^[0-9]+$ ]] || { cat "$err" >&2; die "$label: no deny count in its output"; }
    fi
  done
  python3 - "$tf" "$id" "$label" "$count" >> "$RESULTS" <<'PY'
import statistics, sys
tf, id_, label, count = sys.argv[1:]
rows = [list(map(float, l.split())) for l in open(tf) if l.strip() and l[0].isdigit()]
med = [statistics.median(col) for col in zip(*rows)]
print(f"{id_}\t{label}\t{count}\t{med[0]:.2f}\t{int(med[1])}\t{med[2]:.2f}\t{med[3]:.2f}")
PY
}

GHT=("$GH" policy test --no-color -o json)
Q=$K8S_N; H=$((K8S_N / 2)); F=$((K8S_N / 4))

measure plan_gh_v1 gatehouse "plan: gatehouse, v1 policy" -- "${GHT[@]}" --policy "$P_V1" "$PLAN"
measure plan_gh_v0 gatehouse "plan: gatehouse, verbatim v0 policy" -- "${GHT[@]}" --policy "$P_V0" "$PLAN"
measure plan_opa opa "plan: OPA via bindings (json.loads + eval_document)" -- \
  "$OPA_PY" "$BENCH_DIR/opa_driver.py" --policy "$P_V1" "$PLAN"
measure plan_opa_raw opa "plan: OPA via bindings, raw bytes (no Python JSON)" -- \
  "$OPA_PY" "$BENCH_DIR/opa_driver.py" --raw --policy "$P_V1" "$PLAN"

measure k8s_gh_f gatehouse "k8s: gatehouse, $F YAML files" -- "${GHT[@]}" --policy "$P_K8S" "${YAML[@]:0:F}"
measure k8s_gh_h gatehouse "k8s: gatehouse, $H YAML files" -- "${GHT[@]}" --policy "$P_K8S" "${YAML[@]:0:H}"
measure k8s_gh gatehouse "k8s: gatehouse, $Q YAML files" -- "${GHT[@]}" --policy "$P_K8S" "${YAML[@]}"
measure k8s_gh_1t gatehouse "k8s: gatehouse, $Q YAML files, 1 thread" -- \
  env RAYON_NUM_THREADS=1 "${GHT[@]}" --policy "$P_K8S" "${YAML[@]}"
measure k8s_gh_json gatehouse "k8s: gatehouse, $Q JSON copies" -- "${GHT[@]}" --policy "$P_K8S" "${JSONS[@]}"
measure k8s_opa opa "k8s: OPA via bindings, $Q JSON copies" -- \
  "$OPA_PY" "$BENCH_DIR/opa_driver.py" --policy "$P_K8S" "${JSONS[@]}"

# Where OPA's time goes (one extra run each, not part of the table).
"$OPA_PY" "$BENCH_DIR/opa_driver.py" --phases --policy "$P_V1" "$PLAN" 2> "$RAW/plan_opa.phases" > /dev/null
"$OPA_PY" "$BENCH_DIR/opa_driver.py" --phases --policy "$P_K8S" "${JSONS[@]}" 2> "$RAW/k8s_opa.phases" > /dev/null

LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# --- report ------------------------------------------------------------------------------------
OPA_VERSION=$("$OPA_PY" - <<'PY'
# The module version recorded in the Go build info of the bundled library.
import pathlib, re, opa_bindings
lib = pathlib.Path(opa_bindings.__file__).with_name("libopabridge.so").read_bytes()
m = re.search(rb"github.com/open-policy-agent/opa\s+(v[0-9][0-9.]*)", lib)
print(m.group(1).decode() if m else "unknown")
PY
) || OPA_VERSION=unknown
COMMIT=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)
DIRTY=$(git -C "$REPO" status --porcelain --untracked-files=no 2>/dev/null | grep -q . && echo " (+ uncommitted changes)" || true)
CPU=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
REPORT=$WORK/report.md
python3 - "$RESULTS" "$RAW" > "$REPORT" <<PY
import csv, os, sys
rows = {r["id"]: r for r in csv.DictReader(open(sys.argv[1]), delimiter="\t")}
raw = sys.argv[2]
print()
print("## gatehouse vs OPA: $(date -u +%Y-%m-%d), commit $COMMIT$DIRTY")
print()
print("Machine: $(nproc) cores ($CPU), $(free -g | awk '/^Mem:/ {print $2}') GiB RAM; OPA $OPA_VERSION "
      "(opa-golib-python-bindings 0.4.4) on Python $("$OPA_PY" -c 'import sys; print(sys.version.split()[0])'); "
      "median of $RUNS runs after a warm-up; whole process, GNU time; load average before the runs: $LOAD_BEFORE, "
      "after: $LOAD_AFTER. gatehouse binary $GH_FROM.")
print()
print("| run | deny results | wall s | peak RSS MiB | user s | sys s |")
print("|---|---:|---:|---:|---:|---:|")
for r in rows.values():
    print(f"| {r['label']} | {r['count']} | {r['wall_s']} | {int(r['rss_kb']) / 1024:.0f} | {r['user_s']} | {r['sys_s']} |")

def f(i, k): return float(rows[i][k])
def ratio(a, b, k): return f(a, k) / max(f(b, k), 0.005)
print()
print("Ratios (OPA / gatehouse; above 1 means gatehouse is faster or smaller):")
print()
print("| comparison | wall time | CPU time (user+sys) | peak RSS |")
print("|---|---:|---:|---:|")
for a, b, what in [
    ("plan_opa", "plan_gh_v1", "plan: OPA vs gatehouse (v1 policy)"),
    ("plan_opa", "plan_gh_v0", "plan: OPA vs gatehouse (verbatim v0 policy)"),
    ("plan_opa_raw", "plan_gh_v1", "plan: OPA raw bytes vs gatehouse (v1 policy)"),
    ("k8s_opa", "k8s_gh", "k8s: OPA (JSON) vs gatehouse (YAML), $Q files"),
    ("k8s_opa", "k8s_gh_json", "k8s: OPA (JSON) vs gatehouse (JSON), $Q files"),
]:
    cpu = (f(a, "user_s") + f(a, "sys_s")) / max(f(b, "user_s") + f(b, "sys_s"), 0.005)
    print(f"| {what} | {ratio(a, b, 'wall_s'):.1f}x | {cpu:.1f}x | {ratio(a, b, 'rss_kb'):.1f}x |")
print()
t = [f(i, "wall_s") for i in ("k8s_gh_f", "k8s_gh_h", "k8s_gh")]
print(f"gatehouse scaling on YAML files: $F -> $H -> $Q files took {t[0]:.2f} -> {t[1]:.2f} -> {t[2]:.2f} s "
      f"(x{t[1] / max(t[0], 0.005):.2f}, x{t[2] / max(t[0], 0.005):.2f} for x2, x4 the files); "
      f"{t[2] / $Q * 1e6:.0f} us per file at $Q; "
      f"1 thread {f('k8s_gh_1t', 'wall_s'):.2f} s vs 2 threads {t[2]:.2f} s (x{f('k8s_gh_1t', 'wall_s') / max(t[2], 0.005):.2f}).")
c = [f(i, "user_s") + f(i, "sys_s") for i in ("k8s_gh_f", "k8s_gh_h", "k8s_gh")]
print(f"CPU time (user+sys) for the same: {c[0]:.2f} -> {c[1]:.2f} -> {c[2]:.2f} s "
      f"(x{c[1] / max(c[0], 0.005):.2f}, x{c[2] / max(c[0], 0.005):.2f}).")
goal = ratio("plan_opa", "plan_gh_v1", "wall_s")
print(f"Goal (gatehouse >= 5x faster than OPA on the plan): {'met' if goal >= 5 else 'NOT met'} ({goal:.1f}x).")
for name in ("plan_opa", "k8s_opa"):
    p = os.path.join(raw, name + ".phases")
    if os.path.exists(p):
        print(f"OPA driver {name.split('_')[0]}: " + open(p).read().strip())
PY

cat "$REPORT"

# --- agreement ---------------------------------------------------------------------------------
python3 - "$RESULTS" <<'PY'
import csv, sys
rows = {r["id"]: r for r in csv.DictReader(open(sys.argv[1]), delimiter="\t")}
bad = []
for group in (("plan_gh_v1", "plan_gh_v0", "plan_opa", "plan_opa_raw"), ("k8s_gh", "k8s_gh_1t", "k8s_gh_json", "k8s_opa")):
    counts = {i: rows[i]["count"] for i in group}
    if len(set(counts.values())) != 1:
        bad.append(counts)
if bad:
    for counts in bad:
        print("MISMATCH in deny counts: " + ", ".join(f"{k}={v}" for k, v in counts.items()), file=sys.stderr)
    sys.exit(1)
print("\nDeny counts agree between gatehouse and OPA.")
PY
