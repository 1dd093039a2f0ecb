#!/usr/bin/env bash
# Validates large gatehouse SBOMs with the official tools: PyPI `spdx-tools` (`pyspdxtools -i`)
# for SPDX 2.3 and `cyclonedx-python-lib`'s strict JSON validator for CycloneDX 1.6.
#
# Usage: PYTHON=/path/to/venv/bin/python crates/gatehouse-sbom/scripts/validate-official.sh
# (the venv needs `pip install spdx-tools cyclonedx-python-lib`). Run from the workspace root.
# Last run (2026-11-29): the whole lockfile fixture tree (6,187 components) passes pyspdxtools
# (3.5 min); the debian-rust-go image (939 components) passes the CycloneDX 1.6 validator.
set -euo pipefail

PYTHON=${PYTHON:?set PYTHON to a python with spdx-tools and cyclonedx-python-lib installed}
BIN=${GATEHOUSE:-${CARGO_TARGET_DIR:-target}/debug/gatehouse}
FIX=crates/gatehouse-sbom/tests/fixtures
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

# SPDX_INPUT=tree validates the whole lockfile tree (6,187 components, ~3.5 min); the default is
# the debian-rust-go image (939 components), which keeps the test suite quick.
if [ "${SPDX_INPUT:-image}" = tree ]; then
  "$BIN" sbom "$FIX/lockfiles" -o spdx --output-file "$OUT/tree.spdx.json"
else
  "$BIN" sbom "$FIX/images/debian-rust-go.oci" -o spdx --output-file "$OUT/tree.spdx.json"
fi
"$BIN" sbom "$FIX/images/debian-rust-go.oci" -o cyclonedx --output-file "$OUT/image.cdx.json"
# The vulnerability scanner's CycloneDX VEX: every lockfile fixture against the scan test advisories.
"$BIN" db --db "$OUT/osv" import crates/gatehouse/tests/fixtures/scan/osv >/dev/null
"$BIN" scan --db "$OUT/osv" --fail-on none -o cyclonedx-vex --output-file "$OUT/vex.cdx.json" \
  "$FIX/lockfiles" 2>/dev/null

echo "pyspdxtools: $OUT/tree.spdx.json"
"$(dirname "$PYTHON")/pyspdxtools" -i "$OUT/tree.spdx.json"

echo "cyclonedx-python-lib (CycloneDX 1.6, strict): $OUT/image.cdx.json $OUT/vex.cdx.json"
"$PYTHON" - "$OUT/image.cdx.json" "$OUT/vex.cdx.json" <<'PY'
import json
import sys
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator

for path in sys.argv[1:]:
    text = open(path).read()
    error = JsonStrictValidator(SchemaVersion.V1_6).validate_str(text)
    if error:
        sys.exit(f"{path}: invalid: {error}")
    doc = json.loads(text)
    print(f"{path}: valid ({len(doc.get('components', []))} components, "
          f"{len(doc.get('vulnerabilities', []))} vulnerabilities)")
PY
echo "all documents valid"
