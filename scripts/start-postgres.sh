#!/usr/bin/env bash
# Starts (initializing on first use) a throwaway PostgreSQL server on 127.0.0.1:54329 for the
# hub's tests. Idempotent: a server already running there is reused.
#
# Usage:  eval "$(scripts/start-postgres.sh)"   # exports GATEHOUSE_TEST_POSTGRES_URL
#    or:  source scripts/start-postgres.sh
# Stop:   scripts/start-postgres.sh --stop
#
# Data lives in ${TMPDIR:-/tmp}/gatehouse-pg; trust authentication on loopback only. Debian's
# postgresql package provides the binaries (/usr/lib/postgresql/*/bin); initdb refuses to run
# as root, so as root the server runs as the `postgres` system user.
set -euo pipefail

PORT=54329
DATA="${TMPDIR:-/tmp}/gatehouse-pg"
USER_NAME=gatehouse
URL="postgres://${USER_NAME}@127.0.0.1:${PORT}/postgres"

BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$BIN" ] || [ ! -x "$BIN/initdb" ]; then
    echo "start-postgres: no PostgreSQL binaries under /usr/lib/postgresql/*/bin; install them with: apt-get install -y postgresql" >&2
    exit 1
fi

# Runs a PostgreSQL binary as a user allowed to own the cluster.
as_owner() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

if [ "${1:-}" = "--stop" ]; then
    if [ -f "$DATA/postmaster.pid" ]; then
        as_owner "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >&2
    fi
    exit 0
fi

if [ ! -f "$DATA/PG_VERSION" ]; then
    mkdir -p "$DATA"
    if [ "$(id -u)" = 0 ]; then
        chown postgres: "$DATA"
    fi
    chmod 700 "$DATA"
    as_owner "$BIN/initdb" -D "$DATA" -U "$USER_NAME" --auth=trust --encoding=UTF8 --no-locale >&2
fi

if ! as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
    as_owner "$BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w -t 60 start \
        -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DATA -c max_connections=200" >&2
fi

# Wait until it accepts connections on the TCP port.
for _ in $(seq 1 60); do
    if "$BIN/pg_isready" -h 127.0.0.1 -p "$PORT" -U "$USER_NAME" >/dev/null 2>&1; then
        export GATEHOUSE_TEST_POSTGRES_URL="$URL"
        echo "export GATEHOUSE_TEST_POSTGRES_URL=$URL"
        # shellcheck disable=SC2317 # `return` only applies when sourced
        return 0 2>/dev/null || exit 0
    fi
    sleep 0.5
done
echo "start-postgres: the server did not accept connections on 127.0.0.1:$PORT; see $DATA/server.log" >&2
exit 1
