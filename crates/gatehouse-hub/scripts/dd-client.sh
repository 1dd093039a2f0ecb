#!/usr/bin/env bash
# DefectDojo's API clients against a real `gatehouse serve` (temporary SQLite database, a free
# loopback port):
#   - the brief's `curl -F scan_type=… -F file=@… /api/v2/import-scan/` (and its 403 without a
#     token);
#   - PyPI `defectdojo-api-generated` (`DefectDojo(base_url, token).import_scan_api.create(…)`):
#     import, identical reimport, the products/engagements/tests/findings list APIs with
#     filters, exact counts (dd_client_e2e.py).
# Usage: GATEHOUSE=bin PYTHON=venv/bin/python dd-client.sh   (the venv has defectdojo-api-generated)
# Exit codes: 0 every check held, 1 one failed (named on stderr).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
: "${GATEHOUSE:?path to the gatehouse binary}" "${PYTHON:?python with defectdojo-api-generated}"
work="$(mktemp -d)"
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL $*" >&2; [ -f "$work/serve.log" ] && sed 's/^/serve: /' "$work/serve.log" >&2; exit 1; }

db="sqlite://$work/hub.db"
token="$("$GATEHOUSE" token create --user ci --database "$db")"
port="$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:$port"
"$GATEHOUSE" serve --listen "127.0.0.1:$port" --database "$db" >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 300); do
  if curl -s -o /dev/null "$base/api/v2/products/"; then break; fi
  kill -0 "$server" 2>/dev/null || fail "gatehouse serve exited"
  sleep 0.1
done

# The brief's curl, without and with the token.
report="$root/crates/gatehouse-hub/tests/fixtures/sarif-full.sarif"
code="$(curl -s -o "$work/anon.json" -w '%{http_code}' -F scan_type=SARIF -F "file=@$report" \
  -F product_name=curl-product -F engagement_name=ci -F auto_create_context=true \
  -F product_type_name=curl "$base/api/v2/import-scan/")"
[ "$code" = 403 ] || fail "curl without a token: HTTP $code, expected 403: $(cat "$work/anon.json")"
grep -q '"Authentication credentials were not provided."' "$work/anon.json" \
  || fail "curl without a token: body $(cat "$work/anon.json")"
echo "ok   curl without a token: 403"
code="$(curl -s -o "$work/import.json" -w '%{http_code}' -H "Authorization: Token $token" \
  -F scan_type=SARIF -F "file=@$report" -F product_name=curl-product -F engagement_name=ci \
  -F auto_create_context=true -F product_type_name=curl "$base/api/v2/import-scan/")"
[ "$code" = 201 ] || fail "curl import-scan: HTTP $code: $(cat "$work/import.json")"
test_id="$("$PYTHON" - "$work/import.json" <<'PY'
import json, sys
body = json.load(open(sys.argv[1]))
total = body["statistics"]["after"]["total"]
# DefectDojo's bash-report-fabricated-no-internal-dupes.sarif: 5 findings, none duplicate.
assert (total["total"], total["active"], total["duplicate"]) == (5, 5, 0), body
print(body["test_id"])
PY
)" || fail "curl import-scan: statistics of $(cat "$work/import.json")"
echo "ok   curl import-scan: 201, 5 findings (test $test_id)"
count="$(curl -s -H "Authorization: Token $token" "$base/api/v2/findings/?test=$test_id&severity=Info" \
  | "$PYTHON" -c 'import json, sys; print(json.load(sys.stdin)["count"])')"
# The report's five results are `note`s: Info.
[ "$count" = 5 ] || fail "findings?test=$test_id&severity=Info: count $count, expected 5"
echo "ok   curl findings?test=$test_id&severity=Info: 5"

"$PYTHON" "$here/dd_client_e2e.py" "$base/" "$token" \
  "$root/crates/gatehouse-ingest/tests/fixtures/trivy/kubernetes.json" \
  || fail "defectdojo-api-generated end to end (above)"
