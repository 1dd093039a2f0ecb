#!/usr/bin/env python3
"""Synthetic SARIF 2.1.0 logs for `bench/hub.sh`, shaped like CodeQL / Semgrep output.

    gen_sarif.py -n N OUT.sarif [--seed S] [--rules R] [--files F]

One run, N results with one location each (so N findings in DefectDojo's SARIF parser), drawn
from R rules (default 200) over F source files (default 1,500) with a skewed popularity, the way
real reports pile up on a few noisy rules and hot files. Rules carry CWE tags
(`external/cwe/cwe-N`), `security-severity` (CVSS-like, 0.0-10.0) on 80 %, short and full
descriptions, help URIs and a default level. Results carry realistic messages (130-350
characters), regions with columns and a snippet, `codeFlows` with 2-7 thread-flow steps on
25 %, `partialFingerprints` on 60 % and `relatedLocations` on 20 %. About 0.9 KB per result, so
100,000 results stay under DefectDojo's default 100 MB upload limit (DD_SCAN_FILE_MAX_SIZE),
which the hub applies too. Deterministic for a seed.
"""
import argparse
import json
import random

LANGS = [
    ("py", "python", ["app", "api", "services", "models", "utils", "workers"]),
    ("js", "javascript", ["src", "lib", "routes", "components", "middleware"]),
    ("java", "java", ["src/main/java/com/acme", "src/main/java/org/shop"]),
    ("go", "go", ["cmd", "internal", "pkg"]),
    ("rb", "ruby", ["app/controllers", "app/models", "lib"]),
]
CWES = [22, 78, 79, 89, 94, 117, 200, 209, 295, 311, 312, 327, 328, 338, 352, 377, 400, 502,
        532, 601, 611, 639, 643, 676, 732, 770, 798, 829, 862, 915, 918, 1004, 1333]
VERBS = ["flows to", "reaches", "is used in", "is passed to", "ends up in"]
SINKS = ["a SQL query", "a shell command", "an HTML response", "a file path", "a redirect URL",
         "an XPath expression", "a deserializer", "a log entry", "an LDAP query", "a regex"]
SOURCES = ["a user-provided value", "an HTTP request parameter", "a cookie", "an environment "
           "variable", "a request header", "the request body", "a query-string argument"]
WORDS = ("request handler token session buffer payload config user input value response "
         "client server cache query record stream parser field header cookie")


def skewed(rng, n):
    """An index in [0, n) with a Zipf-like skew."""
    return min(int(rng.paretovariate(1.2)) - 1, n - 1) if rng.random() < 0.7 else rng.randrange(n)


def make_rules(rng, count):
    rules = []
    for i in range(count):
        cwe = rng.choice(CWES)
        lang = LANGS[i % len(LANGS)][1]
        name = f"{rng.choice(['Unsafe', 'Uncontrolled', 'Missing', 'Weak', 'Insecure'])}" \
               f"{rng.choice(['Query', 'Command', 'Path', 'Redirect', 'Hash', 'Cookie', 'Regex'])}{i}"
        rule = {
            "id": f"{lang}/{name.lower()}",
            "name": name,
            "shortDescription": {"text": f"{name}: {rng.choice(SINKS)} built from {rng.choice(SOURCES)}"},
            "fullDescription": {"text": " ".join(rng.choice(WORDS.split()) for _ in range(40)).capitalize() + "."},
            "defaultConfiguration": {"level": rng.choice(["error", "warning", "warning", "note"])},
            "helpUri": f"https://cwe.mitre.org/data/definitions/{cwe}.html",
            "help": {"text": f"See CWE-{cwe}.", "markdown": f"# {name}\n\nSee [CWE-{cwe}](https://cwe.mitre.org/data/definitions/{cwe}.html)."},
            "properties": {
                "tags": ["security", f"external/cwe/cwe-{cwe:03d}", rng.choice(["correctness", "maintainability", "owasp-top-10"])],
                "precision": rng.choice(["high", "medium", "very-high"]),
                "problem.severity": rng.choice(["error", "warning", "recommendation"]),
            },
        }
        if rng.random() < 0.8:
            rule["properties"]["security-severity"] = f"{rng.choice([2.0, 3.1, 4.3, 5.0, 6.1, 7.5, 8.8, 9.1, 9.8]):.1f}"
        rules.append(rule)
    return rules


def make_files(rng, count):
    files = []
    for i in range(count):
        ext, _, dirs = LANGS[i % len(LANGS)]
        depth = rng.randint(1, 3)
        parts = [rng.choice(dirs)] + [rng.choice(WORDS.split()) for _ in range(depth)]
        files.append(f"{'/'.join(parts)}/{rng.choice(WORDS.split())}_{i}.{ext}")
    return files


def location(rng, path, line, snippet=True):
    col = rng.randint(1, 60)
    region = {"startLine": line, "startColumn": col, "endColumn": col + rng.randint(5, 40)}
    if snippet:
        region["snippet"] = {"text": f"    {rng.choice(WORDS.split())} = {rng.choice(WORDS.split())}({rng.choice(WORDS.split())}, {line})"}
    return {"physicalLocation": {"artifactLocation": {"uri": path, "uriBaseId": "%SRCROOT%"}, "region": region}}


def make_result(rng, i, rules, files):
    r = skewed(rng, len(rules))
    rule = rules[r]
    path = files[skewed(rng, len(files))]
    line = rng.randint(1, 2500)
    words = " ".join(rng.choice(WORDS.split()) for _ in range(rng.randint(6, 30)))
    message = (f"This {rng.choice(SINKS)} depends on {rng.choice(SOURCES)} (line {line}, "
               f"call #{i}) and {rng.choice(VERBS)} it without sanitization: {words}.")
    result = {
        "ruleId": rule["id"],
        "ruleIndex": r,
        "level": rule["defaultConfiguration"]["level"],
        "message": {"text": message},
        "locations": [location(rng, path, line)],
    }
    if rng.random() < 0.6:
        result["partialFingerprints"] = {
            "primaryLocationLineHash": f"{rng.getrandbits(64):016x}:{rng.randint(1, 4)}",
            "primaryLocationStartColumnFingerprint": str(rng.randint(0, 40)),
        }
    if rng.random() < 0.25:
        steps = []
        for s in range(rng.randint(2, 7)):
            step_path = path if rng.random() < 0.6 else files[rng.randrange(len(files))]
            step = {"location": location(rng, step_path, rng.randint(1, 2500), snippet=False)}
            step["location"]["message"] = {"text": rng.choice(["source", "step", "call", "return", "sink"]) + f" {s}"}
            steps.append(step)
        result["codeFlows"] = [{"threadFlows": [{"locations": steps}]}]
    if rng.random() < 0.2:
        result["relatedLocations"] = [
            dict(location(rng, files[rng.randrange(len(files))], rng.randint(1, 2500), snippet=False), id=1,
                 message={"text": "related value"})
        ]
    return result


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", type=int, required=True, help="results (= findings)")
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--rules", type=int, default=200)
    ap.add_argument("--files", type=int, default=1500)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    rules = make_rules(rng, args.rules)
    files = make_files(rng, args.files)
    results = [make_result(rng, i, rules, files) for i in range(args.n)]
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "CodeQL", "semanticVersion": "2.19.3",
                                "informationUri": "https://codeql.github.com", "rules": rules}},
            "invocations": [{"executionSuccessful": True, "endTimeUtc": "2026-11-28T10:00:00Z"}],
            "results": results,
            "columnKind": "utf16CodeUnits",
        }],
    }
    with open(args.out, "w") as f:
        json.dump(log, f, separators=(",", ":"))


if __name__ == "__main__":
    main()
