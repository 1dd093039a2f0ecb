#!/usr/bin/env bash
# bench/hub.sh: `gatehouse serve` (the findings hub) against DefectDojo 3.2's measured figures.
#
#   bench/hub.sh                          # full run (build, both backends, 1,768 + 100,000, 1M list)
#   bench/hub.sh --runs 3                 # timed runs per import measurement (default 3)
#   bench/hub.sh --sizes "1768" --no-fill # import/reimport only, small report
#   bench/hub.sh --backends sqlite        # one backend
#   GATEHOUSE=/path/to/gatehouse bench/hub.sh   # skip the cargo build
#   bench/hub.sh --tmpfs /dev/shm/gatehouse-bench   # databases in RAM (see below)
#
# What it measures, end to end over loopback HTTP (curl multipart, as CI pipelines call
# DefectDojo): `POST /api/v2/import-scan/` of a generated SARIF report into a fresh product, then
# the identical `POST /api/v2/reimport-scan/` into the test it created, on SQLite and PostgreSQL.
# Then it fills a fresh database with 1,000,000 findings (--fill-imports imports of the
# 100,000-finding report, one product each) and runs wrk against the findings list.
# Everything it makes is under bench/.work/hub/ (git-ignored); the report goes to
# bench/.work/hub/report.md. Needs python3, curl, jq, PostgreSQL binaries (scripts/start-postgres.sh)
# and wrk (installed with apt-get when missing and running as root).
#
# Databases: SQLite files under bench/.work/hub/, PostgreSQL databases on the test server of
# scripts/start-postgres.sh (127.0.0.1:54329). With --tmpfs DIR both live in DIR instead: the
# SQLite files, and a private PostgreSQL cluster (DIR/pg, 127.0.0.1:54339, stopped and removed
# at the end). 1,000,000 findings take 2-3 GB per backend; use it when the disk is short.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK="$ROOT/bench/.work/hub"
RUNS=3
SIZES="1768 100000"
BACKENDS="sqlite postgres"
FILL=1
FILL_IMPORTS=10
FILL_SIZE=100000
WRK_SECONDS=15
PORT=18089
TMPFS=""
DOJO_IMPORT=36.2
DOJO_REIMPORT=7.7

while [ $# -gt 0 ]; do
    case "$1" in
    --runs) RUNS=$2; shift 2 ;;
    --sizes) SIZES=$2; shift 2 ;;
    --backends) BACKENDS=$2; shift 2 ;;
    --no-fill) FILL=0; shift ;;
    --fill-imports) FILL_IMPORTS=$2; shift 2 ;;
    --wrk-seconds) WRK_SECONDS=$2; shift 2 ;;
    --tmpfs) TMPFS=$2; shift 2 ;;
    -h | --help) sed -n '2,25p' "$0"; exit 0 ;;
    *) echo "hub.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done

mkdir -p "$WORK"
REPORT="$WORK/report.md"
: >"$REPORT"
say() { echo "$*" | tee -a "$REPORT"; }

# --- tools -----------------------------------------------------------------------------------
if ! command -v wrk >/dev/null; then
    if [ "$(id -u)" = 0 ]; then
        apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
    else
        echo "hub.sh: wrk is missing: apt-get install -y wrk" >&2
        exit 1
    fi
fi
for tool in curl jq python3; do
    command -v "$tool" >/dev/null || { echo "hub.sh: $tool is missing" >&2; exit 1; }
done

# --- binary (a private copy: a shared target dir can be rebuilt mid-run) ---------------------
if [ -z "${GATEHOUSE:-}" ]; then
    (cd "$ROOT" && cargo build --release --locked --bin gatehouse)
    GATEHOUSE="${CARGO_TARGET_DIR:-$ROOT/target}/release/gatehouse"
    PROVENANCE="release build of commit $(git -C "$ROOT" rev-parse --short HEAD)"
else
    PROVENANCE="$GATEHOUSE (given)"
fi
cp "$GATEHOUSE" "$WORK/gatehouse.bin"
BIN="$WORK/gatehouse.bin"

# --- reports ---------------------------------------------------------------------------------
for n in $SIZES $([ "$FILL" = 1 ] && echo "$FILL_SIZE"); do
    if [ ! -s "$WORK/sarif-$n.sarif" ]; then
        python3 "$ROOT/bench/tools/gen_sarif.py" -n "$n" --seed 42 "$WORK/sarif-$n.sarif"
    fi
done

# --- PostgreSQL ------------------------------------------------------------------------------
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
DBDIR="$WORK"
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
stop_private_pg() {
    if [ -n "$TMPFS" ] && [ -f "$TMPFS/pg/postmaster.pid" ]; then
        as_pg "$PG_BIN/pg_ctl" -D "$TMPFS/pg" -m fast -w stop >/dev/null 2>&1 || true
    fi
}
if [ -n "$TMPFS" ]; then
    mkdir -p "$TMPFS"
    DBDIR="$TMPFS"
fi
if [[ " $BACKENDS " == *" postgres "* ]]; then
    if [ -n "$TMPFS" ]; then
        stop_private_pg
        rm -rf "$TMPFS/pg"
        mkdir -p "$TMPFS/pg"
        [ "$(id -u)" = 0 ] && chown postgres: "$TMPFS/pg"
        chmod 700 "$TMPFS/pg"
        as_pg "$PG_BIN/initdb" -D "$TMPFS/pg" -U gatehouse --auth=trust --encoding=UTF8 --no-locale >/dev/null
        as_pg "$PG_BIN/pg_ctl" -D "$TMPFS/pg" -l "$TMPFS/pg/server.log" -w -t 60 start \
            -o "-c listen_addresses=127.0.0.1 -p 54339 -k $TMPFS/pg" >/dev/null
        GATEHOUSE_TEST_POSTGRES_URL="postgres://gatehouse@127.0.0.1:54339/postgres"
    else
        eval "$("$ROOT/scripts/start-postgres.sh")"
    fi
fi
# A fresh database NAME on the server; prints its URL.
fresh_pg() {
    "$PG_BIN/psql" -q "$GATEHOUSE_TEST_POSTGRES_URL" -c "DROP DATABASE IF EXISTS $1" \
        -c "CREATE DATABASE $1" >/dev/null 2>&1
    echo "${GATEHOUSE_TEST_POSTGRES_URL%/*}/$1"
}
drop_db() { # backend name
    if [ "$1" = sqlite ]; then
        rm -f "$DBDIR/$2.db" "$DBDIR/$2.db-wal" "$DBDIR/$2.db-shm"
    else
        "$PG_BIN/psql" -q "$GATEHOUSE_TEST_POSTGRES_URL" -c "DROP DATABASE IF EXISTS $2" >/dev/null 2>&1
    fi
}
fresh_db() { # backend name -> URL
    if [ "$1" = sqlite ]; then
        drop_db sqlite "$2"
        echo "sqlite://$DBDIR/$2.db"
    else
        fresh_pg "$2"
    fi
}

# --- hub -------------------------------------------------------------------------------------
SERVER=""
stop_hub() {
    if [ -n "$SERVER" ]; then
        kill "$SERVER" 2>/dev/null || true
        wait "$SERVER" 2>/dev/null || true
        SERVER=""
    fi
}
trap 'stop_hub; stop_private_pg' EXIT
start_hub() { # URL
    TOKEN=$("$BIN" token create --user bench --database "$1")
    "$BIN" serve --listen "127.0.0.1:$PORT" --database "$1" >"$WORK/serve.log" 2>&1 &
    SERVER=$!
    for _ in $(seq 1 100); do
        curl -s -o /dev/null "http://127.0.0.1:$PORT/api/v2/products/" && return 0
        sleep 0.1
    done
    echo "hub.sh: gatehouse serve did not start; see $WORK/serve.log" >&2
    exit 1
}
# POST a report; prints "seconds test_id statistics-json".
post() { # endpoint file extra-form-args...
    local endpoint=$1 file=$2
    shift 2
    local out="$WORK/response.json" code seconds
    read -r code seconds < <(curl -sS -o "$out" -w '%{http_code} %{time_total}\n' \
        -H "Authorization: Token $TOKEN" -F scan_type=SARIF -F "file=@$file" "$@" \
        "http://127.0.0.1:$PORT/api/v2/$endpoint/")
    if [ "$code" != 201 ]; then
        echo "hub.sh: $endpoint answered $code: $(head -c 500 "$out")" >&2
        exit 1
    fi
    echo "$seconds $(jq -r .test_id "$out") $(jq -c .statistics "$out")"
}
ratio() { python3 -c "print(f'{$1 / $2:.0f}x')"; }
secs() { python3 -c "print(f'{$1:.3f}')"; }
per_second() { python3 -c "print(f'{$1 / $2:,.0f}')"; }
median() { tr ' ' '\n' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

say "# gatehouse hub benchmark, $(date -u +%Y-%m-%dT%H:%MZ)"
say ""
say "$(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg); binary: $PROVENANCE"
say ""
say "| backend | findings | import s (median of $RUNS) | findings/s | vs DefectDojo 36.2 s | identical reimport s | findings/s | vs DefectDojo 7.7 s | all runs: import / reimport s |"
say "|---|---|---|---|---|---|---|---|---|"

for backend in $BACKENDS; do
    start_hub "$(fresh_db "$backend" gatehouse_bench)"
    for n in $SIZES; do
        imports="" reimports=""
        for run in $(seq 1 "$RUNS"); do
            read -r seconds test stats < <(post import-scan "$WORK/sarif-$n.sarif" \
                -F product_type_name=bench -F "product_name=p$n-$run" \
                -F engagement_name=ci -F auto_create_context=true)
            [ "$(jq .after.total.total <<<"$stats")" = "$n" ] ||
                { echo "hub.sh: import did not store $n findings: $stats" >&2; exit 1; }
            imports="$imports $seconds"
            read -r seconds _ stats < <(post reimport-scan "$WORK/sarif-$n.sarif" -F "test=$test")
            if [ "$(jq '.delta.created.total.total + .delta.closed.total.total + .delta.reactivated.total.total' <<<"$stats")" != 0 ]; then
                echo "hub.sh: identical reimport changed something: $stats" >&2
                exit 1
            fi
            reimports="$reimports $seconds"
        done
        imp=$(echo $imports | median)
        re=$(echo $reimports | median)
        # DefectDojo's figures are for a 1,768-finding report; no ratio for other sizes.
        vs_import="—" vs_reimport="—"
        if [ "$n" = 1768 ]; then
            vs_import=$(ratio $DOJO_IMPORT "$imp") vs_reimport=$(ratio $DOJO_REIMPORT "$re")
        fi
        say "| $backend | $(printf "%'d" "$n") | $(secs "$imp") | $(per_second "$n" "$imp") | $vs_import | $(secs "$re") | $(per_second "$n" "$re") | $vs_reimport |$imports /$reimports |"
    done
    stop_hub
    drop_db "$backend" gatehouse_bench
done
say ""
say "Load average after the imports: $(cut -d' ' -f1-3 /proc/loadavg)"

[ "$FILL" = 1 ] || exit 0

# --- 1,000,000 findings and the list API -----------------------------------------------------
say ""
say "## Findings list with $(printf "%'d" $((FILL_IMPORTS * FILL_SIZE))) findings stored"
say ""
say "wrk $WRK_SECONDS s per line (one thread), \`Authorization: Token …\`, loopback; latencies in ms; \"first request\": one curl request before wrk."
say ""
say "| backend | query | first request | connections | requests/s | p50 | p90 | p99 | count |"
say "|---|---|---|---|---|---|---|---|---|"
wrk_ms() { # wrk output, percentile label -> ms
    awk -v p="$2" '$1 == p {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}; printf "%.1f", v}' <<<"$1"
}
for backend in $BACKENDS; do
    start_hub "$(fresh_db "$backend" gatehouse_fill)"
    fill_start=$(date +%s.%N)
    for i in $(seq 1 "$FILL_IMPORTS"); do
        post import-scan "$WORK/sarif-$FILL_SIZE.sarif" -F product_type_name=fill \
            -F "product_name=fill-$i" -F engagement_name=ci -F auto_create_context=true >/dev/null
    done
    say ""
    say "$backend: filled with $FILL_IMPORTS imports in $(python3 -c "import time; print(f'{time.time() - $fill_start:.1f}')") s"
    if [ "$backend" = postgres ]; then
        # What autovacuum does shortly after a bulk load (statistics, visibility map).
        "$PG_BIN/psql" -q "${GATEHOUSE_TEST_POSTGRES_URL%/*}/gatehouse_fill" -c "VACUUM (ANALYZE) findings"
        say "(then \`VACUUM (ANALYZE) findings\`, as autovacuum does after a bulk load)"
    fi
    say ""
    for query in "limit=25" "severity=High&active=true&limit=25" "limit=25&offset=500000" \
        "product=3&severity=Medium&limit=25&offset=1000"; do
        url="http://127.0.0.1:$PORT/api/v2/findings/?$query"
        # The first request computes the count (PostgreSQL then reuses it while nothing
        # is written; SQLite counts every time).
        first=$(curl -s -o "$WORK/page.json" -w '%{time_total}' -H "Authorization: Token $TOKEN" "$url")
        first=$(python3 -c "print(f'{$first * 1000:.1f}')")
        count=$(jq .count "$WORK/page.json")
        for conns in 1 8; do
            out=$(wrk -t1 -c"$conns" -d"${WRK_SECONDS}s" --latency -H "Authorization: Token $TOKEN" "$url")
            rps=$(awk '/Requests\/sec/ {printf "%.0f", $2}' <<<"$out")
            say "| $backend | \`?$query\` | $first | $conns | $rps | $(wrk_ms "$out" 50%) | $(wrk_ms "$out" 90%) | $(wrk_ms "$out" 99%) | $count |"
        done
    done
    stop_hub
    drop_db "$backend" gatehouse_fill
done
say ""
say "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
