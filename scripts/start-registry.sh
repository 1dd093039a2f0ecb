#!/usr/bin/env bash
# Starts three throwaway OCI registries (Debian's `docker-registry`, CNCF distribution) on
# 127.0.0.1 for the registry tests: one anonymous, one behind htpasswd basic auth, one behind
# bearer-token auth (scripts/registry-token-server.py issues the tokens). Idempotent:
# installs the packages if missing, reuses registries that already answer, picks free ports once
# and remembers them.
#
# Usage:  eval "$(scripts/start-registry.sh)"   # exports GATEHOUSE_TEST_REGISTRY and friends
# Stop:   scripts/start-registry.sh --stop
#
# State lives in ~/.cache/gatehouse/registry/{anon,auth,token}/ (config.yml, data/, port, pid,
# log); the token server's key, certificate, port and pid in ~/.cache/gatehouse/registry/tokens/.
set -euo pipefail

BASE="$HOME/.cache/gatehouse/registry"
USER_NAME=gatehouse
PASSWORD=gatehouse-test-password

if [ "${1:-}" = "--stop" ]; then
    for kind in anon auth token tokens; do
        if [ -f "$BASE/$kind/pid" ]; then
            kill "$(cat "$BASE/$kind/pid")" 2>/dev/null || true
            rm -f "$BASE/$kind/pid"
        fi
    done
    exit 0
fi

need_install=()
command -v docker-registry >/dev/null 2>&1 || need_install+=(docker-registry)
command -v htpasswd >/dev/null 2>&1 || need_install+=(apache2-utils)
command -v openssl >/dev/null 2>&1 || need_install+=(openssl)
if [ "${#need_install[@]}" -gt 0 ]; then
    echo "start-registry: installing ${need_install[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y "${need_install[@]}" >&2 || { apt-get update >&2 && apt-get install -y "${need_install[@]}" >&2; }
fi

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

answers() { # port [path] -> 0 when a server answers path (default /v2/) with 200 or 401
    local code
    code=$(python3 - "$1" "${2:-/v2/}" <<'PY' 2>/dev/null || true
import sys, urllib.request, urllib.error
try:
    print(urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}{sys.argv[2]}", timeout=2).status)
except urllib.error.HTTPError as e:
    print(e.code)
except Exception:
    print(0)
PY
)
    [ "$code" = 200 ] || [ "$code" = 401 ]
}

start() { # kind -> prints the port
    local kind=$1 dir="$BASE/$1" port
    mkdir -p "$dir/data"
    if [ -f "$dir/port" ] && [ -f "$dir/pid" ] && kill -0 "$(cat "$dir/pid")" 2>/dev/null \
        && answers "$(cat "$dir/port")"; then
        cat "$dir/port"
        return 0
    fi
    port=$(free_port)
    {
        echo "version: 0.1"
        echo "log: {level: warn}"
        echo "storage:"
        echo "  filesystem: {rootdirectory: $dir/data}"
        echo "  delete: {enabled: true}"
        echo "http:"
        echo "  addr: 127.0.0.1:$port"
        if [ "$kind" = auth ]; then
            echo "auth:"
            echo "  htpasswd: {realm: gatehouse-test, path: $dir/htpasswd}"
        fi
        if [ "$kind" = token ]; then
            echo "auth:"
            echo "  token:"
            echo "    realm: http://127.0.0.1:$TOKEN_PORT/token"
            echo "    service: gatehouse-test-registry"
            echo "    issuer: gatehouse-test-issuer"
            echo "    rootcertbundle: $BASE/tokens/cert.pem"
        fi
    } >"$dir/config.yml"
    if [ "$kind" = auth ]; then
        htpasswd -Bbn "$USER_NAME" "$PASSWORD" >"$dir/htpasswd"
    fi
    setsid nohup docker-registry serve "$dir/config.yml" >"$dir/log" 2>&1 </dev/null &
    echo $! >"$dir/pid"
    for _ in $(seq 1 50); do
        if answers "$port"; then
            echo "$port" >"$dir/port"
            echo "$port"
            return 0
        fi
        sleep 0.2
    done
    echo "start-registry: the $kind registry did not answer on 127.0.0.1:$port; see $dir/log" >&2
    exit 1
}

start_token_server() { # -> prints the port
    local dir="$BASE/tokens" port
    mkdir -p "$dir"
    if [ ! -f "$dir/cert.pem" ]; then
        openssl req -x509 -newkey rsa:2048 -nodes -keyout "$dir/key.pem" -out "$dir/cert.pem" \
            -subj /CN=gatehouse-test-token -days 3650 >/dev/null 2>&1
    fi
    if [ -f "$dir/port" ] && [ -f "$dir/pid" ] && kill -0 "$(cat "$dir/pid")" 2>/dev/null \
        && answers "$(cat "$dir/port")" /token; then
        cat "$dir/port"
        return 0
    fi
    port=$(free_port)
    setsid nohup python3 "$(dirname "$0")/registry-token-server.py" "$port" "$dir/key.pem" \
        "$dir/cert.pem" "$USER_NAME" "$PASSWORD" gatehouse-test-issuer gatehouse-test-registry \
        >"$dir/log" 2>&1 </dev/null &
    echo $! >"$dir/pid"
    for _ in $(seq 1 50); do
        if answers "$port" /token; then
            echo "$port" >"$dir/port"
            echo "$port"
            return 0
        fi
        sleep 0.2
    done
    echo "start-registry: the token server did not answer on 127.0.0.1:$port; see $dir/log" >&2
    exit 1
}

ANON=$(start anon)
AUTH=$(start auth)
TOKEN_PORT=$(start_token_server)
TOKEN=$(start token)
cat <<OUT
export GATEHOUSE_TEST_REGISTRY=127.0.0.1:$ANON
export GATEHOUSE_TEST_REGISTRY_STORAGE=$BASE/anon/data
export GATEHOUSE_TEST_REGISTRY_AUTH=127.0.0.1:$AUTH
export GATEHOUSE_TEST_REGISTRY_USER=$USER_NAME
export GATEHOUSE_TEST_REGISTRY_PASSWORD=$PASSWORD
export GATEHOUSE_TEST_REGISTRY_TOKEN=127.0.0.1:$TOKEN
export GATEHOUSE_TEST_REGISTRY_TOKEN_REALM=http://127.0.0.1:$TOKEN_PORT/token
OUT
