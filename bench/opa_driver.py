#!/usr/bin/env python3
"""Run real OPA (PyPI `opa-golib-python-bindings`, OPA v1.20 embedded) the way `conftest test` would.

Loads every .rego file given with --policy, then for each input file: reads it, decodes the
JSON, evaluates `data.<namespace>.deny` with the file as `input`, and counts the results. Prints
the total number of deny results on stdout (one integer), so the benchmark can compare it with
gatehouse's count. Per-phase timings go to stderr with --phases.

Inputs are JSON only (the bindings take JSON; PyYAML is not installed here): the benchmark
feeds this driver JSON copies of its YAML files, which only makes OPA's side cheaper.

    opa_driver.py --policy DIR_OR_FILE [--namespace main] [--raw] [--phases] FILE...

--raw hands the file's bytes straight to the Go side instead of json.loads + the bindings'
json.dumps, to show how much of OPA's time is Python's JSON round trip rather than OPA.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time

T0 = time.perf_counter()

from opa_bindings import OpaEngine, OpaUndefinedError  # noqa: E402


def rego_files(paths: list[str]) -> list[str]:
    out: list[str] = []
    for p in paths:
        if os.path.isdir(p):
            for root, dirs, files in os.walk(p):
                dirs.sort()
                out.extend(os.path.join(root, f) for f in sorted(files) if f.endswith(".rego"))
        else:
            out.append(p)
    return out


def count(value) -> int:
    # Conftest counts each element of a deny set/array; any other defined value is one result.
    if isinstance(value, list):
        return len(value)
    return 0 if value is None else 1


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--policy", action="append", required=True)
    ap.add_argument("--namespace", default="main")
    ap.add_argument("--raw", action="store_true", help="pass file bytes to Go without a Python JSON round trip")
    ap.add_argument("--phases", action="store_true", help="print per-phase timings to stderr")
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()

    t_import = time.perf_counter()
    engine = OpaEngine()
    for path in rego_files(args.policy):
        with open(path, encoding="utf-8") as f:
            engine.add_policy(path, f.read())
    t_policy = time.perf_counter()

    doc = f"{args.namespace}.deny"
    total = 0
    load_s = 0.0
    eval_s = 0.0
    for path in args.files:
        a = time.perf_counter()
        with open(path, "rb") as f:
            raw = f.read()
        if args.raw:
            # Same call as OpaEngine.eval_document, minus json.loads/json.dumps of the input.
            b = time.perf_counter()
            with engine._eval_lock:  # noqa: SLF001 - deliberate, see --raw
                engine._eval_reset()
                rs = engine._eval_result(
                    engine._call(engine._lib.OpaEvalDocument, doc.encode(), raw, 0, 0)
                )
            value = rs[0]["expressions"][0]["value"] if rs and rs[0].get("expressions") else None
        else:
            data = json.loads(raw)
            b = time.perf_counter()
            try:
                value = engine.eval_document(doc, data)
            except OpaUndefinedError:
                value = None
        c = time.perf_counter()
        load_s += b - a
        eval_s += c - b
        total += count(value)

    print(total)
    if args.phases:
        print(
            f"phases: import bindings {t_import - T0:.3f}s, policy load {t_policy - t_import:.3f}s, "
            f"read+json.loads {load_s:.3f}s, eval (incl. bindings' json.dumps) {eval_s:.3f}s",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
