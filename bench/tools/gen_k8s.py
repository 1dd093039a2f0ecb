#!/usr/bin/env python3
"""Generate N small Kubernetes Deployment manifests (one document per file), deterministically.

Each file is a ~50-line (~1.2 KB) Deployment with one or two containers. By design some of them break the
rules in bench/policies/k8s (about 30% lack `runAsNonRoot: true`; of the containers, about 20% have
no memory limit, 10% use a `:latest` image and 5% allow privilege escalation), so the deny count
is non-trivial.

Writes DIR/yaml/deploy-NNNNN.yaml and, with --json, the same documents as DIR/json/deploy-NNNNN.json
(for the OPA driver, which reads JSON). Standard library only; YAML is written by hand.

    gen_k8s.py -n 5000 --seed 42 -o DIR [--json]
"""
from __future__ import annotations

import argparse
import json
import os
import random

TEAMS = ["payments", "identity", "search", "platform", "data", "web", "ml", "billing"]
APPS = ["api", "worker", "frontend", "scheduler", "gateway", "indexer", "cache", "exporter"]
IMAGES = ["nginx", "redis", "envoyproxy/envoy", "python", "node", "golang", "busybox", "postgres"]


def deployment(i: int, rng: random.Random) -> dict:
    team = rng.choice(TEAMS)
    app = rng.choice(APPS)
    name = f"{team}-{app}-{i:05d}"
    labels = {"app": name, "team": team, "tier": rng.choice(["backend", "frontend"])}
    pod_sc: dict = {"fsGroup": 2000}
    if rng.random() >= 0.30:
        pod_sc["runAsNonRoot"] = True
        pod_sc["runAsUser"] = 10000 + rng.randrange(1000)
    containers = []
    for c in range(rng.choice([1, 1, 1, 2])):
        tag = "latest" if rng.random() < 0.10 else f"{rng.randrange(1, 20)}.{rng.randrange(0, 30)}"
        limits = {"cpu": f"{rng.choice([250, 500, 1000])}m"}
        if rng.random() >= 0.20:
            limits["memory"] = f"{rng.choice([128, 256, 512, 1024])}Mi"
        containers.append(
            {
                "name": app if c == 0 else f"{app}-sidecar",
                "image": f"{rng.choice(IMAGES)}:{tag}",
                "ports": [{"containerPort": rng.choice([80, 8080, 8443, 9090]), "protocol": "TCP"}],
                "env": [
                    {"name": "TEAM", "value": team},
                    {"name": "LOG_LEVEL", "value": rng.choice(["info", "debug", "warn"])},
                ],
                "resources": {
                    "requests": {"cpu": "100m", "memory": "64Mi"},
                    "limits": limits,
                },
                "securityContext": {
                    "allowPrivilegeEscalation": rng.random() < 0.05,
                    "readOnlyRootFilesystem": rng.random() < 0.8,
                },
            }
        )
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name, "namespace": team, "labels": labels},
        "spec": {
            "replicas": rng.choice([1, 2, 3, 5]),
            "selector": {"matchLabels": {"app": name}},
            "template": {
                "metadata": {"labels": labels},
                "spec": {"securityContext": pod_sc, "containers": containers},
            },
        },
    }


def scalar(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    s = str(v)
    # Quote anything a YAML reader could take for a non-string.
    if s == "" or s[0].isdigit() or s.lower() in {"true", "false", "null", "yes", "no", "on", "off"} or ":" in s:
        return json.dumps(s)
    return s


def to_yaml(v, indent: int = 0) -> list[str]:
    pad = "  " * indent
    lines: list[str] = []
    if isinstance(v, dict):
        for k, x in v.items():
            if isinstance(x, (dict, list)) and x:
                lines.append(f"{pad}{k}:")
                lines.extend(to_yaml(x, indent + 1))
            else:
                lines.append(f"{pad}{k}: {scalar(x)}")
    else:
        for x in v:
            sub = to_yaml(x, indent + 1) if isinstance(x, (dict, list)) else [f"{pad}  {scalar(x)}"]
            first = sub[0].lstrip()
            lines.append(f"{pad}- {first}")
            lines.extend(sub[1:])
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, required=True)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("-o", "--out", required=True)
    ap.add_argument("--json", action="store_true", help="also write JSON copies under DIR/json")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    os.makedirs(os.path.join(args.out, "yaml"), exist_ok=True)
    if args.json:
        os.makedirs(os.path.join(args.out, "json"), exist_ok=True)
    for i in range(1, args.n + 1):
        doc = deployment(i, rng)
        base = f"deploy-{i:05d}"
        with open(os.path.join(args.out, "yaml", base + ".yaml"), "w", encoding="utf-8") as f:
            f.write("---\n" + "\n".join(to_yaml(doc)) + "\n")
        if args.json:
            with open(os.path.join(args.out, "json", base + ".json"), "w", encoding="utf-8") as f:
                json.dump(doc, f, indent=2)
                f.write("\n")


if __name__ == "__main__":
    main()
