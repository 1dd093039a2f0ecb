#!/usr/bin/env bash
# Fuzzes the untrusted-input parsers: builds every cargo-fuzz target in fuzz/ and runs each for
# SECONDS (default 60). Installs cargo-fuzz if it is missing; works on stable Rust (see
# fuzz/README.md). Not part of scripts/test.sh (too slow): for developers and nightly runs.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]
#
# Exit codes: 0 no target failed; 1 a target crashed, timed out or ran out of memory (each
# reproducer path is printed); 2 usage or build error.
# Environment: CARGO_TARGET_DIR (default ~/.cache/gatehouse/target-fuzz), FUZZ_SANITIZER
# (none | address; default none), FUZZ_JOBS (targets run at once; default 1), FUZZ_ARGS
# (extra libFuzzer flags).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-60}"
if ! [[ "$seconds" =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: scripts/fuzz.sh [SECONDS per target, default 60] [TARGET...]" >&2
  exit 2
fi
shift $(($# > 0 ? 1 : 0))

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/gatehouse/target-fuzz}"
sanitizer="${FUZZ_SANITIZER:-none}"
# ASan needs -Zsanitizer=address, which stable rustc accepts only with RUSTC_BOOTSTRAP=1;
# without a sanitizer every flag cargo-fuzz passes is stable.
if [ "$sanitizer" != none ]; then export RUSTC_BOOTSTRAP=1; fi
jobs="${FUZZ_JOBS:-1}"
# Build flags shared by build and run, so `cargo fuzz run` finds the build up to date.
# cargo-fuzz's default build: release optimizations plus debug assertions and overflow checks.
build_flags=(--fuzz-dir fuzz --sanitizer "$sanitizer")

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "fuzz.sh: installing cargo-fuzz" >&2
  cargo install cargo-fuzz --locked --version '^0.13'
fi

if [ $# -gt 0 ]; then
  targets=("$@")
else
  mapfile -t targets < <(cargo fuzz list --fuzz-dir fuzz)
fi

# All targets in one build: they share every dependency.
echo "fuzz.sh: building the fuzz targets (sanitizer: $sanitizer)" >&2
cargo fuzz build "${build_flags[@]}" || exit 2

logs="$CARGO_TARGET_DIR/fuzz-logs"
mkdir -p "$logs"
# The binaries just built are run directly: `cargo fuzz run` would rebuild whenever the crates
# change during a long run, and a build error would look like a crash.
bin_dir="$CARGO_TARGET_DIR/$(rustc -vV | sed -n 's/^host: //p')/release"

# Runs one target; the corpus it grows (fuzz/corpus-local/, not committed) persists between
# runs, the committed seeds in fuzz/corpus/ are only read.
run_one() {
  local target="$1"
  local work="fuzz/corpus-local/$target" artifacts="fuzz/artifacts/$target/"
  mkdir -p "$work" "$artifacts" "fuzz/corpus/$target"
  # shellcheck disable=SC2086 # FUZZ_ARGS is a list of flags
  "$bin_dir/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$artifacts" ${FUZZ_ARGS:-} \
    "$work" "fuzz/corpus/$target" >"$logs/$target.log" 2>&1
}

failed=()
pids=()
names=()
for target in "${targets[@]}"; do
  echo "fuzz.sh: $target for ${seconds}s (log: $logs/$target.log)" >&2
  run_one "$target" &
  pids+=($!)
  names+=("$target")
  if [ "${#pids[@]}" -ge "$jobs" ]; then
    wait "${pids[0]}" || failed+=("${names[0]}")
    pids=("${pids[@]:1}")
    names=("${names[@]:1}")
  fi
done
for i in "${!pids[@]}"; do
  wait "${pids[$i]}" || failed+=("${names[$i]}")
done

printf '\n%-24s %12s %10s %8s %s\n' target execs exec/s cov result
for target in "${targets[@]}"; do
  log="$logs/$target.log"
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  # -fork=N prints no final stats; its last status line has the totals.
  [ -n "$execs" ] || execs=$(sed -n 's/^#\([0-9]*\): cov:.*/\1/p' "$log" | tail -1)
  [ -n "$speed" ] || speed=$(grep -o 'exec/s: [0-9]*' "$log" | tail -1 | cut -d' ' -f2 || true)
  # (grep finds nothing in some logs: `|| true`, or pipefail would end the script here.)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2 || true)
  result=ok
  ignored=$(grep -o 'oom/timeout/crash: [0-9/]*' "$log" | tail -1 | cut -d' ' -f2 || true)
  [ -z "$ignored" ] || [ "$ignored" = 0/0/0 ] || result="ok (ignored oom/timeout/crash: $ignored)"
  for f in "${failed[@]+"${failed[@]}"}"; do
    [ "$f" = "$target" ] && result=FAILED
  done
  printf '%-24s %12s %10s %8s %s\n' "$target" "${execs:-?}" "${speed:-?}" "${cov:-?}" "$result"
done

if [ "${#failed[@]}" -gt 0 ]; then
  for target in "${failed[@]}"; do
    log="$logs/$target.log"
    echo
    echo "fuzz.sh: $target FAILED; log: $log"
    grep -E '^(==[0-9]+== ?ERROR|thread .* panicked|SUMMARY)' "$log" | head -5 || true
    reproducer=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
    if [ -n "$reproducer" ]; then
      echo "reproducer: $reproducer"
      echo "replay:     $bin_dir/$target $reproducer"
      echo "minimize:   $bin_dir/$target -minimize_crash=1 -runs=100000 $reproducer"
    else
      tail -20 "$log"
    fi
  done
  exit 1
fi
echo "fuzz.sh: no crashes in ${#targets[@]} targets, ${seconds}s each"
