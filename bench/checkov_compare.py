#!/usr/bin/env python3
"""Compare gatehouse and Checkov verdicts on one Terraform plan.

For every (resource, Checkov check) pair where the check is one that a gatehouse Terraform rule
mirrors (`custom.checkov` in the rule's METADATA), Checkov's verdict (PASSED / FAILED) is compared
with gatehouse's (a finding with that Checkov id on that resource = FAILED, none = PASSED).

Differences are classified:
  * known Checkov bug: one of the plan-mode bugs documented in the rules' METADATA (and in
    shared/reference/checkov-checks.md), or a Checkov gap documented there (NSG rules from
    0.0.0.0/0); gatehouse is right. Reported, not counted against agreement.
  * difference: anything else. Counted against agreement; each is listed with the values involved.
Pairs where Checkov gave no verdict (UNKNOWN, or a crashed check) but gatehouse reported a finding
are listed separately.

Usage: checkov_compare.py PLAN CHECKOV_JSON GATEHOUSE_JSON RULES_JSON
       [--times GATEHOUSE_TIME CHECKOV_TIME]   (files holding `/usr/bin/time -f '%e %M %U %S'` output)
"""
from __future__ import annotations

import argparse
import json
from collections import defaultdict

SG_PORT_CHECKS = {"CKV_AWS_24": 22, "CKV_AWS_25": 3389, "CKV_AWS_260": 80, "CKV_AWS_277": -1}


def load_plan(path: str) -> dict[str, dict]:
    plan = json.load(open(path))
    out = {}
    for rc in plan.get("resource_changes", []):
        if rc.get("mode") != "managed" or rc["change"]["actions"] == ["delete"]:
            continue
        out[rc["address"]] = {"type": rc["type"], "values": rc["change"].get("after") or {}}
    return out


def checkov_results(path: str) -> dict[tuple[str, str], str]:
    doc = json.load(open(path))
    docs = doc if isinstance(doc, list) else [doc]
    out = {}
    for d in docs:
        for verdict, key in (("FAILED", "failed_checks"), ("PASSED", "passed_checks")):
            for r in d.get("results", {}).get(key, []):
                address = r.get("resource_address") or r["resource"]
                out[(address, r["check_id"])] = verdict
    return out


def world_rule_after_self(values: dict, port: int) -> bool:
    """Checkov bug 2: an ingress rule with self = true before a world-open rule on the port."""
    seen_self = False
    for rule in values.get("ingress") or []:
        if rule.get("self"):
            seen_self = True
            continue
        if seen_self and opens(rule, port):
            return True
    return False


def opens(rule: dict, port: int) -> bool:
    cidrs = (rule.get("cidr_blocks") or []) + (rule.get("ipv6_cidr_blocks") or [])
    if not any(c in ("0.0.0.0/0", "::/0") for c in cidrs):
        return False
    lo, hi, proto = rule.get("from_port"), rule.get("to_port"), str(rule.get("protocol"))
    if proto == "-1":
        return True
    if lo == 0 and hi == 0:
        lo, hi = 0, 65535
    return port >= 0 and lo is not None and hi is not None and lo <= port <= hi


def known_bug(check: str, res: dict, checkov: str, gatehouse: str) -> str | None:
    """The documented Checkov plan-mode bug explaining a (Checkov PASS, gatehouse FAIL) pair."""
    if not (checkov == "PASSED" and gatehouse == "FAILED"):
        return None
    t, v = res["type"], res["values"]
    if check in SG_PORT_CHECKS and t == "aws_security_group_rule" and v.get("prefix_list_ids") is None:
        return "bug 1: prefix_list_ids null read as a prefix-list-scoped rule"
    if check in SG_PORT_CHECKS and t == "aws_security_group" and world_rule_after_self(v, SG_PORT_CHECKS[check]):
        return "bug 2: a self = true ingress rule hides later world-open rules"
    if check == "CKV_AWS_23" and any(
        (r.get("description") or "") == "" for d in ("ingress", "egress") for r in (v.get(d) or [])
    ):
        return "bug 3: empty inline rule description wrapped as [''] counts as set"
    if check == "CKV_AZURE_3" and v.get("https_traffic_only_enabled") is False:
        return "bug 5: reads the azurerm v3 name enable_https_traffic_only on a v4 plan"
    if check in ("CKV_AZURE_9", "CKV_AZURE_10"):
        rules = v.get("security_rule") if t == "azurerm_network_security_group" else [v]
        for r in rules or []:
            sources = [r.get("source_address_prefix")] + list(r.get("source_address_prefixes") or [])
            if "0.0.0.0/0" in sources:
                return "gap: source 0.0.0.0/0 is not in Checkov's list of internet addresses"
    return None


def detail(check: str, res: dict) -> str:
    """The values a reader needs to judge one difference."""
    v = res["values"]
    keys = {
        "CKV_AWS_3": ["encrypted"], "CKV_AWS_189": ["kms_key_id"], "CKV_AWS_35": ["kms_key_id"],
        "CKV_AWS_2": ["protocol", "default_action"], "CKV_AWS_103": ["protocol", "ssl_policy"],
        "CKV_AZURE_35": ["network_rules"], "CKV_AZURE_189": ["public_network_access_enabled", "network_acls"],
    }.get(check)
    if keys:
        return json.dumps({k: v.get(k, "<absent>") for k in keys}, separators=(",", ":"))[:300]
    return ""


def read_time(path: str) -> tuple[float, int, float | None]:
    """(wall seconds, peak RSS KiB, CPU seconds or None) from `/usr/bin/time -f '%e %M [%U %S]'`."""
    for line in open(path):
        parts = line.split()
        if len(parts) in (2, 4):
            try:
                cpu = float(parts[2]) + float(parts[3]) if len(parts) == 4 else None
                return float(parts[0]), int(parts[1]), cpu
            except ValueError:
                continue
    raise SystemExit(f"{path}: no `%e %M` line")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("plan")
    ap.add_argument("checkov_json")
    ap.add_argument("gatehouse_json")
    ap.add_argument("rules_json")
    ap.add_argument("--times", nargs=2, metavar=("GATEHOUSE_TIME", "CHECKOV_TIME"))
    a = ap.parse_args()

    plan = load_plan(a.plan)
    rules = json.load(open(a.rules_json))
    mirrored = {r["checkov"]: r["id"] for r in rules if r.get("checkov") and r.get("input") == "terraform"}
    ck = {k: v for k, v in checkov_results(a.checkov_json).items() if k[1] in mirrored}
    gh_failed = set()
    for f in json.load(open(a.gatehouse_json))["findings"]:
        c = (f.get("properties") or {}).get("checkov")
        r = (f.get("location") or {}).get("resource")
        if c in mirrored and r:
            gh_failed.add((r, c))

    agree = 0
    bugs: dict[str, list[str]] = defaultdict(list)
    diffs: dict[str, list[str]] = defaultdict(list)
    for (address, check), verdict in sorted(ck.items()):
        gh = "FAILED" if (address, check) in gh_failed else "PASSED"
        if gh == verdict:
            agree += 1
            continue
        res = plan.get(address, {"type": "?", "values": {}})
        bug = known_bug(check, res, verdict, gh)
        line = f"{address}: checkov {verdict}, gatehouse {gh} {detail(check, res)}".rstrip()
        (bugs[f"{check} ({mirrored[check]}) {bug}"] if bug else diffs[f"{check} ({mirrored[check]})"]).append(line)
    no_verdict = sorted(k for k in gh_failed if k not in ck)

    total = len(ck)
    n_bugs = sum(len(v) for v in bugs.values())
    n_diffs = sum(len(v) for v in diffs.values())
    counted = total - n_bugs
    print(f"plan: {a.plan} ({len(plan)} resources evaluated)")
    print(f"mirrored Checkov checks: {len(mirrored)}; (resource, check) pairs with a Checkov verdict: {total}")
    print(f"agreement excluding known Checkov bugs: {agree}/{counted} = {100.0 * agree / max(counted, 1):.2f}%")
    print(f"raw agreement (bugs counted as differences): {agree}/{total} = {100.0 * agree / max(total, 1):.2f}%")
    print(f"known Checkov bugs (gatehouse right): {n_bugs}; other differences: {n_diffs}; "
          f"gatehouse findings without a Checkov verdict: {len(no_verdict)}")
    for title, group in (("Known Checkov bugs", bugs), ("Differences", diffs)):
        if group:
            print(f"\n## {title}")
            for key in sorted(group):
                print(f"- {key}: {len(group[key])}")
                for line in group[key]:
                    print(f"    {line}")
    if no_verdict:
        print("\n## gatehouse findings where Checkov gave no verdict (UNKNOWN or crashed check)")
        for address, check in no_verdict:
            print(f"    {address}: {check} ({mirrored[check]})")
    if a.times:
        (g_s, g_kb, g_cpu), (c_s, c_kb, c_cpu) = read_time(a.times[0]), read_time(a.times[1])
        print(f"\nwall time: gatehouse {g_s:.2f} s, checkov {c_s:.2f} s -> checkov/gatehouse = {c_s / max(g_s, 0.01):.1f}x")
        if g_cpu is not None and c_cpu is not None:
            print(f"CPU time (user+sys): gatehouse {g_cpu:.2f} s, checkov {c_cpu:.2f} s -> "
                  f"checkov/gatehouse = {c_cpu / max(g_cpu, 0.01):.1f}x")
        print(f"peak RSS: gatehouse {g_kb / 1024:.1f} MiB, checkov {c_kb / 1024:.1f} MiB -> "
              f"checkov/gatehouse = {c_kb / max(g_kb, 1):.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
