#!/usr/bin/env python3
"""Synthetic OSV data and a matching SBOM for `bench/vuln.sh`.

    gen_osv.py advisories N OUT.zip [--seed S]   N OSV records as osv.dev publishes them: a zip
                                                 with one <ID>.json per member (npm, PyPI,
                                                 crates.io, Go, Maven; SEMVER/ECOSYSTEM ranges,
                                                 CVSS v3.1 vectors on 70 %)
    gen_osv.py sbom N OUT.json [--seed S]        a CycloneDX 1.6 SBOM with N components drawn
                                                 from the same package names, so a realistic
                                                 share of them falls inside advisory ranges

Deterministic for a given seed. Package names come from one pool of 20,000 per ecosystem with a
skewed popularity, so advisories pile up on popular names the way real data does.
"""
import json
import random
import sys
import zipfile

ECOSYSTEMS = [
    ("npm", "npm", "SEMVER"),
    ("PyPI", "pypi", "ECOSYSTEM"),
    ("crates.io", "cargo", "SEMVER"),
    ("Go", "golang", "SEMVER"),
    ("Maven", "maven", "ECOSYSTEM"),
]
POOL = 20_000
VECTORS = [
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H",
    "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:L/A:N",
    "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N",
]


def name(eco, i):
    if eco == "Go":
        return f"github.com/org{i % 997}/mod{i}"
    if eco == "Maven":
        return f"org.example{i % 97}:artifact-{i}"
    return f"pkg-{i}"


def version(rng):
    return f"{rng.randint(0, 9)}.{rng.randint(0, 30)}.{rng.randint(0, 20)}"


def pick(rng):
    eco, ty, kind = rng.choice(ECOSYSTEMS)
    # Skewed popularity (low indices more likely): with 200,000 records the most-advised name
    # gets ~280 per ecosystem, about what the busiest real packages have (tensorflow on PyPI).
    i = min(int(POOL * rng.random() ** 2), POOL - 1)
    return eco, ty, kind, i


def advisories(n, out, seed):
    rng = random.Random(seed)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for k in range(n):
            eco, _, kind, i = pick(rng)
            lo = [rng.randint(0, 5), rng.randint(0, 30), 0]
            hi = [lo[0] + rng.randint(0, 3), rng.randint(0, 30), rng.randint(0, 20)]
            if hi <= lo:
                hi = [lo[0] + 1, 0, 0]
            rec = {
                "schema_version": "1.6.0",
                "id": f"SYN-{k:07d}",
                "modified": f"2024-{1 + k % 12:02d}-{1 + k % 28:02d}T00:00:00Z",
                "published": "2024-01-01T00:00:00Z",
                "aliases": [f"CVE-2024-{100000 + k}"],
                "summary": f"synthetic advisory {k}",
                "affected": [{
                    "package": {"ecosystem": eco, "name": name(eco, i)},
                    "ranges": [{"type": kind, "events": [
                        {"introduced": ".".join(map(str, lo))},
                        {"fixed": ".".join(map(str, hi))},
                    ]}],
                }],
                "references": [{"type": "ADVISORY", "url": f"https://example.invalid/SYN-{k}"}],
            }
            if rng.random() < 0.7:
                rec["severity"] = [{"type": "CVSS_V3", "score": rng.choice(VECTORS)}]
            z.writestr(f"SYN-{k:07d}.json", json.dumps(rec))


def sbom(n, out, seed):
    rng = random.Random(seed + 1)
    comps, seen = [], set()
    while len(comps) < n:
        eco, ty, _, i = pick(rng)
        v = version(rng)
        nm = name(eco, i)
        if eco == "Go":
            v = "v" + v
        if eco == "Maven":
            group, art = nm.split(":")
            purl = f"pkg:maven/{group}/{art}@{v}"
        else:
            purl = f"pkg:{ty}/{nm}@{v}"
        if purl in seen:
            continue
        seen.add(purl)
        comps.append({"type": "library", "bom-ref": purl, "name": nm, "version": v, "purl": purl})
    doc = {"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1, "components": comps}
    with open(out, "w") as f:
        json.dump(doc, f)


def main(argv):
    if len(argv) < 4 or argv[1] not in ("advisories", "sbom"):
        print(__doc__, file=sys.stderr)
        return 2
    seed = int(argv[argv.index("--seed") + 1]) if "--seed" in argv else 7
    n = int(argv[2])
    (advisories if argv[1] == "advisories" else sbom)(n, argv[3], seed)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
