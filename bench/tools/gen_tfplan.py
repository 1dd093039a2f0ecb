#!/usr/bin/env python3
# Origin: copied verbatim from the project's shared/tools/gen_tfplan.py (our own tool, same
# authors) so the benchmark does not depend on shared/ at run time; only this comment was added.
# sha256 of the original: d6ccc246c73141fbc33c6211b0d6a6cd953558bf5e64fac63b805f9445a01a9c
"""Generate a synthetic but realistic Terraform plan JSON (`terraform show -json` shape).

Deterministic by --seed. Produces N resource changes drawn from a weighted mix of
AWS / Azure / GCP / Kubernetes-provider resource types that the gatehouse policy pack
targets. Roughly half of the "units" are compliant; the other half break 1-3 of the
attributes that the common Checkov-style rules inspect.

Shape produced (Terraform 1.x, plan format 1.2):
  format_version, terraform_version, variables, planned_values.root_module
  (resources + child_modules), resource_changes[] (address, module_address, mode, type,
  name, index, provider_name, change{actions, before, after, after_unknown,
  before_sensitive, after_sensitive}), prior_state (for update/no-op/delete),
  configuration (provider_config, root_module.resources[].expressions, module_calls),
  timestamp, applyable, complete, errored.

Every configuration reference points at a resource in the same plan: shared resources
that units reference (aws_security_group.shared_K, aws_lb.shared_K) are emitted just before
their first referrer, and referenced resources are never deleted.

A sidecar manifest (--manifest) records, for each resource address, the generator's
intent: unit kind, compliant flag, and which rules were deliberately violated. It is a
generator-side, per-unit label, NOT checkov ground truth (e.g. a deleted companion
public-access-block changes the real answer for its bucket).

Usage:
  gen_tfplan.py -n 1000 --seed 42 -o plan.json [--pretty] [--manifest plan.manifest.json]
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import uuid
import zlib
from typing import Any

TF_VERSION = "1.9.8"
PROVIDERS = {
    "aws": "registry.terraform.io/hashicorp/aws",
    "azurerm": "registry.terraform.io/hashicorp/azurerm",
    "google": "registry.terraform.io/hashicorp/google",
    "kubernetes": "registry.terraform.io/hashicorp/kubernetes",
}
ACCOUNT = "123456789012"
REGIONS = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1"]
AZ_LOCATIONS = ["westeurope", "northeurope", "eastus2", "uksouth"]
GCP_LOCATIONS = ["EU", "US", "europe-west1", "us-central1"]
TEAMS = ["payments", "identity", "search", "platform", "data", "web", "ml", "billing"]
ENVS = ["dev", "staging", "prod"]

# Marker used inside our value trees for "known only after apply".
UNKNOWN = object()


class Ref:
    """A configuration reference (e.g. aws_s3_bucket.logs.id). Value is unknown at plan time."""

    def __init__(self, target: str, attr: str = "id"):
        self.target = target
        self.attr = attr

    def refs(self) -> list[str]:
        return [f"{self.target}.{self.attr}", self.target]


def provider_of(rtype: str) -> str:
    return rtype.split("_", 1)[0]


class Res:
    """One resource instance as the generator models it."""

    def __init__(self, rtype: str, name: str, values: dict[str, Any], *, computed: list[str] | None = None,
                 explicit: list[str] | None = None, sensitive: list[str] | None = None,
                 unit: str = "", compliant: bool = True, violations: list[str] | None = None):
        self.rtype = rtype
        self.name = name
        self.values = values          # may contain UNKNOWN / Ref leaves (top level only for Ref)
        self.computed = computed or ["id"]
        self.explicit = explicit      # attrs the user wrote in HCL (None = all non-null known attrs)
        self.sensitive = sensitive or []
        self.unit = unit
        self.compliant = compliant
        self.violations = violations or []
        self.module: str | None = None   # child module name, e.g. "storage"
        self.index: Any = None           # count/for_each key
        self.group_size = 1              # >1 when part of a count / for_each group
        self.count_kind: str | None = None  # "count" | "for_each"
        self.action: list[str] = ["create"]
        self.support = False

    @property
    def local_address(self) -> str:
        a = f"{self.rtype}.{self.name}"
        if self.index is None:
            return a
        if isinstance(self.index, int):
            return f"{a}[{self.index}]"
        return f'{a}["{self.index}"]'

    @property
    def address(self) -> str:
        if self.module:
            return f"module.{self.module}.{self.local_address}"
        return self.local_address


# ----------------------------------------------------------------------------------------
# helpers


def tags(rng: random.Random, name: str) -> dict[str, str]:
    return {"Name": name, "team": rng.choice(TEAMS), "env": rng.choice(ENVS), "managed-by": "terraform"}


def pick_violations(rng: random.Random, rules: list[str], lo: int = 1, hi: int = 3) -> list[str]:
    k = rng.randint(lo, min(hi, len(rules)))
    return sorted(rng.sample(rules, k))


def kms_arn(rng: random.Random) -> str:
    return f"arn:aws:kms:{rng.choice(REGIONS)}:{ACCOUNT}:key/{uuid.UUID(int=rng.getrandbits(128))}"


def short(rng: random.Random, n: int = 6) -> str:
    return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(n))


# ----------------------------------------------------------------------------------------
# unit builders: each returns a list of Res and consumes rng deterministically


def unit_azurerm_storage_account(rng: random.Random, idx: int, compliant: bool) -> list[Res]:
    rules = ["public_network_access", "nested_items_public", "min_tls", "https_only", "network_default_allow"]
    bad = [] if compliant else pick_violations(rng, rules)
    name = f"st{short(rng, 8)}{idx:05d}"[:24]
    tls = "TLS1_2"
    if "min_tls" in bad:
        tls = rng.choice(["TLS1_0", "TLS1_1"])
    net_rules = []
    if "network_default_allow" in bad:
        net_rules = [{"default_action": "Allow", "bypass": ["AzureServices"], "ip_rules": [],
                      "private_link_access": [], "virtual_network_subnet_ids": []}]
    elif compliant or rng.random() < 0.7:
        net_rules = [{"default_action": "Deny", "bypass": ["AzureServices"],
                      "ip_rules": [f"203.0.113.{rng.randint(1, 254)}"], "private_link_access": [],
                      "virtual_network_subnet_ids": []}]
    values = {
        "name": name,
        "resource_group_name": f"rg-{rng.choice(TEAMS)}-{rng.choice(ENVS)}",
        "location": rng.choice(AZ_LOCATIONS),
        "account_kind": "StorageV2",
        "account_tier": "Standard",
        "account_replication_type": rng.choice(["LRS", "GRS", "ZRS", "RAGRS"]),
        "access_tier": "Hot",
        "allow_nested_items_to_be_public": "nested_items_public" in bad,
        "public_network_access_enabled": "public_network_access" in bad,
        "min_tls_version": tls,
        "https_traffic_only_enabled": "https_only" not in bad,
        "shared_access_key_enabled": rng.random() < 0.5,
        "infrastructure_encryption_enabled": compliant,
        "cross_tenant_replication_enabled": False,
        "default_to_oauth_authentication": False,
        "is_hns_enabled": False,
        "local_user_enabled": True,
        "nfsv3_enabled": False,
        "sftp_enabled": False,
        "large_file_share_enabled": None,
        "queue_encryption_key_type": "Service",
        "table_encryption_key_type": "Service",
        "dns_endpoint_type": "Standard",
        "allowed_copy_scope": None,
        "edge_zone": None,
        "network_rules": net_rules,
        "blob_properties": [{
            "change_feed_enabled": False, "change_feed_retention_in_days": None, "cors_rule": [],
            "default_service_version": None, "last_access_time_enabled": False,
            "versioning_enabled": compliant,
            "container_delete_retention_policy": [{"days": 7}] if compliant else [],
            "delete_retention_policy": [{"days": 7, "permanent_delete_enabled": False}] if compliant else [],
            "restore_policy": [],
        }],
        "azure_files_authentication": [], "custom_domain": [], "customer_managed_key": [], "identity": [],
        "immutability_policy": [], "routing": [], "sas_policy": [], "share_properties": [],
        "static_website": [], "timeouts": None,
        "tags": tags(rng, name),
    }
    computed = ["id", "primary_access_key", "primary_blob_endpoint", "primary_connection_string",
                "secondary_access_key", "primary_location", "queue_properties"]
    explicit = ["name", "resource_group_name", "location", "account_tier", "account_replication_type",
                "allow_nested_items_to_be_public", "public_network_access_enabled", "min_tls_version",
                "https_traffic_only_enabled", "network_rules", "blob_properties", "tags"]
    return [Res("azurerm_storage_account", f"sa_{idx:05d}", values, computed=computed, explicit=explicit,
                sensitive=["primary_access_key", "secondary_access_key", "primary_connection_string"],
                unit="azure_storage", compliant=compliant, violations=bad)]


def unit_aws_s3(rng: random.Random, idx: int, compliant: bool) -> list[Res]:
    rules = ["no_public_access_block", "pab_flags_off", "no_sse", "sse_aes256"]
    bad = [] if compliant else pick_violations(rng, rules, 1, 2)
    if "no_public_access_block" in bad and "pab_flags_off" in bad:
        bad.remove("pab_flags_off")
    if "no_sse" in bad and "sse_aes256" in bad:
        bad.remove("sse_aes256")
    bname = f"{rng.choice(TEAMS)}-{rng.choice(ENVS)}-{short(rng)}-{idx:05d}"
    base = f"bucket_{idx:05d}"
    bucket = Res("aws_s3_bucket", base, {
        "bucket": bname,
        "bucket_prefix": None,
        "force_destroy": False,
        "object_lock_enabled": UNKNOWN,
        "tags": tags(rng, bname),
        "tags_all": UNKNOWN,
        "timeouts": None,
    }, computed=["id", "arn", "bucket_domain_name", "bucket_regional_domain_name", "hosted_zone_id",
                 "region", "acceleration_status", "acl", "policy", "request_payer", "cors_rule", "grant",
                 "lifecycle_rule", "logging", "replication_configuration", "versioning", "website",
                 "server_side_encryption_configuration", "object_lock_configuration"],
        explicit=["bucket", "force_destroy", "tags"], unit="aws_s3", compliant=compliant, violations=bad)
    out = [bucket]
    if "no_public_access_block" not in bad:
        flags = {"block_public_acls": True, "block_public_policy": True,
                 "ignore_public_acls": True, "restrict_public_buckets": True}
        if "pab_flags_off" in bad:
            for k in rng.sample(sorted(flags), rng.randint(1, 4)):
                flags[k] = False
        out.append(Res("aws_s3_bucket_public_access_block", base,
                       {"bucket": Ref(f"aws_s3_bucket.{base}"), **flags},
                       explicit=["bucket", *flags], unit="aws_s3", compliant=compliant, violations=bad))
    if "no_sse" not in bad:
        if "sse_aes256" in bad:
            default = [{"sse_algorithm": "AES256", "kms_master_key_id": ""}]
        else:
            default = [{"sse_algorithm": "aws:kms", "kms_master_key_id": kms_arn(rng)}]
        out.append(Res("aws_s3_bucket_server_side_encryption_configuration", base, {
            "bucket": Ref(f"aws_s3_bucket.{base}"),
            "expected_bucket_owner": None,
            "rule": [{"apply_server_side_encryption_by_default": default,
                      "bucket_key_enabled": "sse_aes256" not in bad}],
        }, explicit=["bucket", "rule"], unit="aws_s3", compliant=compliant, violations=bad))
    return out


def _sg_rule(from_port: int, to_port: int, proto: str, cidrs: list[str], desc: str | None,
             ipv6: list[str] | None = None, self_ref: bool = False) -> dict[str, Any]:
    return {"cidr_blocks": cidrs, "description": desc or "", "from_port": from_port,
            "ipv6_cidr_blocks": ipv6 or [], "prefix_list_ids": [], "protocol": proto,
            "security_groups": [], "self": self_ref, "to_port": to_port}


def unit_aws_security_group(rng: random.Random, idx: int, compliant: bool) -> list[Res]:
    rules = ["ssh_world", "rdp_world", "all_world", "ssh_world_v6", "no_description", "egress_all"]
    bad = [] if compliant else pick_violations(rng, rules, 1, 2)
    ingress = [_sg_rule(443, 443, "tcp", ["0.0.0.0/0"], "HTTPS from anywhere")]
    if compliant or rng.random() < 0.5:
        ingress.append(_sg_rule(22, 22, "tcp", ["10.0.0.0/8"], "SSH from corp VPN"))
    if "ssh_world" in bad:
        ingress.append(_sg_rule(22, 22, "tcp", ["0.0.0.0/0"], "SSH"))
    if "rdp_world" in bad:
        lo = rng.choice([3389, 3000])
        ingress.append(_sg_rule(lo, 3389 if lo == 3389 else 3400, "tcp", ["0.0.0.0/0"], "RDP"))
    if "all_world" in bad:
        ingress.append(_sg_rule(0, 0, "-1", ["0.0.0.0/0"], "everything"))
    if "ssh_world_v6" in bad:
        ingress.append(_sg_rule(22, 22, "tcp", [], "SSH v6", ipv6=["::/0"]))
    # rare but realistic: self-referencing rule mixed in (exercises rule-order semantics)
    if not compliant and rng.random() < 0.15:
        ingress.insert(0, _sg_rule(0, 65535, "tcp", [], "intra-group", self_ref=True))
    if "no_description" in bad:
        for r in ingress:
            r["description"] = ""
    egress = [_sg_rule(0, 0, "-1", ["0.0.0.0/0"] if "egress_all" in bad else ["10.0.0.0/8"],
                       "" if "no_description" in bad else "egress")]
    name = f"sg-{rng.choice(TEAMS)}-{idx:05d}"
    values = {
        "name": name, "name_prefix": UNKNOWN,
        "description": "Managed by Terraform" if "no_description" in bad else f"{name} security group",
        "vpc_id": f"vpc-{short(rng, 17)}", "ingress": ingress, "egress": egress,
        "revoke_rules_on_delete": False, "tags": tags(rng, name), "tags_all": UNKNOWN, "timeouts": None,
    }
    out = [Res("aws_security_group", f"sg_{idx:05d}", values, computed=["id", "arn", "owner_id"],
               explicit=["name", "description", "vpc_id", "ingress", "egress", "tags"],
               unit="aws_sg", compliant=compliant, violations=bad)]
    return out


def unit_aws_sg_rule(rng: random.Random, idx: int, compliant: bool) -> list[Res]:
    """Standalone rule resources (aws_security_group_rule or aws_vpc_security_group_ingress_rule)."""
    port = rng.choice([22, 3389, 443, 5432])
    world = (not compliant) and port in (22, 3389) or (not compliant and rng.random() < 0.5)
    if not compliant and port not in (22, 3389):
        port = rng.choice([22, 3389])
        world = True
    bad = [] if compliant else [f"port_{port}_world"]
    if rng.random() < 0.5:
        v = {"type": "ingress", "from_port": port, "to_port": port, "protocol": "tcp",
             "cidr_blocks": ["0.0.0.0/0"] if world else ["172.16.0.0/12"], "ipv6_cidr_blocks": None,
             "prefix_list_ids": None, "description": f"port {port}", "security_group_id": Ref(f"aws_security_group.shared_{idx % 7}"),
             "self": False, "source_security_group_id": None, "timeouts": None}
        rtype = "aws_security_group_rule"
    else:
        v = {"from_port": port, "to_port": port, "ip_protocol": "tcp",
             "cidr_ipv4": "0.0.0.0/0" if world else "172.16.0.0/12", "cidr_ipv6": None,
             "description": f"port {port}", "prefix_list_id": None, "referenced_security_group_id": None,
             "security_group_id": Ref(f"aws_security_group.shared_{idx % 7}"), "tags": None}
        rtype = "aws_vpc_security_group_ingress_rule"
    return [Res(rtype, f"rule_{idx:05d}", v, computed=["id", "security_group_rule_id", "arn"],
                unit="aws_sg_rule", compliant=compliant, violations=bad)]


def unit_aws_db_instance(rng: random.Random, idx: int, compliant: bool) -> list[Res]:
    rules = ["publicly_accessible", "unencrypted", "no_backups", "no_deletion_protection", "no_iam_auth"]
    bad = [] if compliant else pick_violations(rng, rules)
    engine = rng.choice(["postgres", "mysql"])
    ver = {"postgres": rng.choice(["15.7", "16.3"]), "mysql": rng.choice(["8.0.36", "8.0.39"])}[engine]
    name = f"db-{rng.choice(TEAMS)}-{idx:05d}"
    values = {
        "identifier": name, "engine": engine, "engine_version": ver,
        "instance_class": rng.choice(["db.t3.medium", "db.r6g.large", "db.m6g.xlarge"]),
        "allocated_storage": rng.choice([20, 100, 500]), "max_allocated_storage": 1000, "storage_type": "gp3",
        "username": "app_admin", "manage_master_user_password": True, "password": None,
        "publicly_accessible": "publicly_accessible" in bad,
        "storage_encrypted": "unencrypted" not in bad,
        "kms_key_id": kms_arn(rng) if "unencrypted" not in bad else UNKNOWN,
        "backup_retention_period": 0 if "no_backups" in bad else 14,
        "deletion_protection": "no_deletion_protection" not in bad,
        "iam_database_authentication_enabled": "no_iam_auth" not in bad,
        "multi_az": compliant,
        "auto_minor_version_upgrade": True,
        "copy_tags_to_snapshot": compliant,
        "monitoring_interval": 60 if compliant else 0,
        "monitoring_role_arn": f"arn:aws:iam::{ACCOUNT}:role/rds-monitoring" if compliant else None,
        "performance_insights_enabled": compliant,
        "performance_insights_kms_key_id": kms_arn(rng) if compliant else UNKNOWN,
        "enabled_cloudwatch_logs_exports": (["postgresql", "upgrade"] if engine == "postgres" else
                                            ["audit", "error", "general", "slowquery"]) if compliant else None,
        "skip_final_snapshot": not compliant, "final_snapshot_identifier": f"{name}-final" if compliant else None,
        "db_subnet_group_name": f"{rng.choice(TEAMS)}-db-subnets", "apply_immediately": False,
        "blue_green_update": [], "restore_to_point_in_time": [], "s3_import": [],
        "tags": tags(rng, name), "timeouts": None, "delete_automated_backups": True,
    }
    return [Res("aws_db_instance", f"db_{idx:05d}", values,
                computed=["id", "arn", "address", "endpoint", "port", "ca_cert_identifier", "availability_zone",
                          "master_user_secret", "resource_id", "status", "parameter_group_name",
                          "option_group_name", "vpc_security_group_ids"],
                explicit=["identifier", "engine", "engine_version", "instance_class", "allocated_storage",
                          "username", "manage_master_user_password", "publicly_accessible",
                          "storage_encrypted", "kms_key_id", "backup_retention_period", "deletion_protection",
                          "iam_database_authentication_enabled", "multi_az", "tags"],
                unit="aws_rds", compliant=compliant, violations=bad)]


def unit_aws_iam_policy(rng: random.Random, idx: int, compliant: bool) -> list[Res]:
    team = rng.choice(TEAMS)
    if compliant:
        stmts = [{"Sid": "ReadBucket", "Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"],
                  "Resource": [f"arn:aws:s3:::{team}-data-{idx}", f"arn:aws:s3:::{team}-data-{idx}/*"]},
                 {"Sid": "Logs", "Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                  "Resource": f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:/app/{team}:*"}]
        bad: list[str] = []
    else:
        kind = rng.choice(["admin_star", "star_action_scoped", "service_star", "deny_star_plus_admin",
                           "iam_passrole_star"])
        bad = [kind]
        if kind == "admin_star":
            stmts = [{"Effect": "Allow", "Action": "*", "Resource": "*"}]
        elif kind == "star_action_scoped":
            stmts = [{"Effect": "Allow", "Action": ["*"], "Resource": f"arn:aws:s3:::{team}-data-{idx}/*"}]
        elif kind == "service_star":
            stmts = [{"Effect": "Allow", "Action": ["s3:*", "ec2:Describe*"], "Resource": "*"}]
        elif kind == "deny_star_plus_admin":
            stmts = [{"Effect": "Deny", "Action": "*", "Resource": "*",
                      "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
                     {"Effect": "Allow", "Action": "*", "Resource": "*"}]
        else:
            stmts = [{"Effect": "Allow", "Action": ["iam:PassRole", "iam:CreatePolicyVersion"], "Resource": "*"}]
    doc = json.dumps({"Version": "2012-10-17", "Statement": stmts}, separators=(",", ":"))
    name = f"{team}-policy-{idx:05d}"
    values = {"name": name, "name_prefix": UNKNOWN, "path": "/", "description": f"Policy for {team}",
              "policy": doc, "tags": tags(rng, name), "tags_all": UNKNOWN}
    return [Res("aws_iam_policy", f"policy_{idx:05d}", values, computed=["id", "arn", "policy_id", "attachment_count"],
                explicit=["name", "path", "description", "policy", "tags"],
                unit="aws_iam", compliant=compliant, violations=bad)]


def unit_google_storage_bucket(rng: random.Random, idx: int, compliant: bool) -> list[Res]:
    rules = ["no_uniform_access", "no_public_access_prevention", "no_versioning", "no_logging"]
    bad = [] if compliant else pick_violations(rng, rules)
    name = f"{rng.choice(TEAMS)}-{rng.choice(ENVS)}-gcs-{idx:05d}"
    values = {
        "name": name, "location": rng.choice(GCP_LOCATIONS), "project": f"acme-{rng.choice(ENVS)}",
        "storage_class": "STANDARD", "force_destroy": False, "default_event_based_hold": None,
        "enable_object_retention": None, "requester_pays": None,
        "uniform_bucket_level_access": "no_uniform_access" not in bad,
        "public_access_prevention": "inherited" if "no_public_access_prevention" in bad else "enforced",
        "versioning": [] if "no_versioning" in bad else [{"enabled": True}],
        "logging": [] if "no_logging" in bad else [{"log_bucket": "acme-audit-logs", "log_object_prefix": name}],
        "labels": {"team": rng.choice(TEAMS), "env": rng.choice(ENVS)},
        "autoclass": [], "cors": [], "custom_placement_config": [], "encryption": [], "lifecycle_rule": [],
        "retention_policy": [], "soft_delete_policy": [], "website": [], "timeouts": None,
    }
    return [Res("google_storage_bucket", f"gcs_{idx:05d}", values,
                computed=["id", "self_link", "url", "effective_labels", "terraform_labels", "project_number", "rpo"],
                explicit=["name", "location", "project", "uniform_bucket_level_access", "public_access_prevention",
                          "versioning", "logging", "labels"],
                unit="gcp_gcs", compliant=compliant, violations=bad)]


def unit_azurerm_key_vault(rng: random.Random, idx: int, compliant: bool) -> list[Res]:
    rules = ["no_purge_protection", "public_network", "acl_allow"]
    bad = [] if compliant else pick_violations(rng, rules, 1, 2)
    name = f"kv-{rng.choice(TEAMS)}-{idx:05d}"[:24]
    values = {
        "name": name, "location": rng.choice(AZ_LOCATIONS), "resource_group_name": f"rg-{rng.choice(TEAMS)}",
        "tenant_id": str(uuid.UUID(int=rng.getrandbits(128))), "sku_name": rng.choice(["standard", "premium"]),
        "purge_protection_enabled": "no_purge_protection" not in bad,
        "soft_delete_retention_days": 90,
        "public_network_access_enabled": "public_network" in bad,
        "enable_rbac_authorization": True, "enabled_for_deployment": False,
        "enabled_for_disk_encryption": True, "enabled_for_template_deployment": False,
        "network_acls": [{"bypass": "AzureServices", "default_action": "Allow" if "acl_allow" in bad else "Deny",
                          "ip_rules": [] if "acl_allow" in bad else ["198.51.100.0/24"],
                          "virtual_network_subnet_ids": []}],
        "contact": [], "access_policy": UNKNOWN, "timeouts": None, "tags": tags(rng, name),
    }
    return [Res("azurerm_key_vault", f"kv_{idx:05d}", values, computed=["id", "vault_uri"],
                explicit=["name", "location", "resource_group_name", "tenant_id", "sku_name",
                          "purge_protection_enabled", "public_network_access_enabled", "network_acls", "tags"],
                unit="azure_kv", compliant=compliant, violations=bad)]


def unit_aws_ebs_volume(rng: random.Random, idx: int, compliant: bool) -> list[Res]:
    mode = "ok" if compliant else rng.choice(["encrypted_false", "encrypted_omitted", "no_cmk"])
    enc: Any = {"ok": True, "encrypted_false": False, "encrypted_omitted": UNKNOWN, "no_cmk": True}[mode]
    values = {"availability_zone": f"{rng.choice(REGIONS)}{rng.choice('abc')}", "size": rng.choice([20, 50, 200]),
              "type": rng.choice(["gp3", "gp2", "io2"]), "encrypted": enc,
              "kms_key_id": kms_arn(rng) if mode == "ok" else UNKNOWN,
              "final_snapshot": False, "multi_attach_enabled": False, "outpost_arn": None,
              "snapshot_id": UNKNOWN, "tags": tags(rng, f"vol-{idx}"), "tags_all": UNKNOWN, "timeouts": None}
    explicit = ["availability_zone", "size", "type", "tags"] + (["encrypted"] if mode != "encrypted_omitted" else []) \
        + (["kms_key_id"] if mode == "ok" else [])
    return [Res("aws_ebs_volume", f"vol_{idx:05d}", values, computed=["id", "arn", "iops", "throughput"],
                explicit=explicit, unit="aws_ebs", compliant=compliant, violations=[] if compliant else [mode])]


def unit_aws_cloudtrail(rng: random.Random, idx: int, compliant: bool) -> list[Res]:
    rules = ["no_log_validation", "single_region", "no_kms", "logging_disabled", "no_cloudwatch"]
    bad = [] if compliant else pick_violations(rng, rules)
    name = f"trail-{rng.choice(TEAMS)}-{idx:05d}"
    out: list[Res] = []
    kms: Any
    if "no_kms" in bad:
        kms = None
    elif rng.random() < 0.5:
        kms = kms_arn(rng)
    else:
        kname = f"trail_key_{idx:05d}"
        kms = Ref(f"aws_kms_key.{kname}", "arn")
        out.append(Res("aws_kms_key", kname, {
            "description": f"CloudTrail key for {name}", "enable_key_rotation": True,
            "deletion_window_in_days": 30, "is_enabled": True, "key_usage": "ENCRYPT_DECRYPT",
            "customer_master_key_spec": "SYMMETRIC_DEFAULT", "multi_region": False,
            "policy": UNKNOWN, "tags": tags(rng, kname), "timeouts": None,
        }, computed=["id", "arn", "key_id"], explicit=["description", "enable_key_rotation",
                                                        "deletion_window_in_days", "tags"],
            unit="aws_cloudtrail", compliant=compliant, violations=bad))
    values = {
        "name": name, "s3_bucket_name": f"acme-cloudtrail-{rng.choice(ENVS)}", "s3_key_prefix": None,
        "enable_log_file_validation": "no_log_validation" not in bad,
        "is_multi_region_trail": "single_region" not in bad,
        "include_global_service_events": True, "is_organization_trail": False,
        "enable_logging": "logging_disabled" not in bad,
        "kms_key_id": kms,
        "cloud_watch_logs_group_arn": None if "no_cloudwatch" in bad else
        f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:cloudtrail-{idx}:*",
        "cloud_watch_logs_role_arn": None if "no_cloudwatch" in bad else f"arn:aws:iam::{ACCOUNT}:role/ct-cw",
        "sns_topic_name": f"cloudtrail-{idx}" if compliant else None,
        "advanced_event_selector": [], "event_selector": [], "insight_selector": [],
        "tags": tags(rng, name), "tags_all": UNKNOWN,
    }
    out.append(Res("aws_cloudtrail", f"trail_{idx:05d}", values, computed=["id", "arn", "home_region"],
                   explicit=["name", "s3_bucket_name", "enable_log_file_validation", "is_multi_region_trail",
                             "enable_logging", "kms_key_id", "cloud_watch_logs_group_arn",
                             "cloud_watch_logs_role_arn", "sns_topic_name", "tags"],
                   unit="aws_cloudtrail", compliant=compliant, violations=bad))
    return out


def unit_aws_lb_listener(rng: random.Random, idx: int, compliant: bool) -> list[Res]:
    if compliant:
        mode = rng.choice(["https", "http_redirect"])
    else:
        mode = rng.choice(["http_forward", "https_weak_tls"])
    tg = f"arn:aws:elasticloadbalancing:us-east-1:{ACCOUNT}:targetgroup/tg-{idx}/{short(rng, 16)}"
    if mode in ("https", "https_weak_tls"):
        v = {"port": 443, "protocol": "HTTPS",
             "ssl_policy": "ELBSecurityPolicy-TLS13-1-2-2021-06" if mode == "https" else "ELBSecurityPolicy-2016-08",
             "certificate_arn": f"arn:aws:acm:us-east-1:{ACCOUNT}:certificate/{uuid.UUID(int=rng.getrandbits(128))}",
             "default_action": [{"type": "forward", "target_group_arn": tg, "order": 1, "redirect": [],
                                 "fixed_response": [], "forward": [], "authenticate_cognito": [],
                                 "authenticate_oidc": []}]}
    elif mode == "http_redirect":
        v = {"port": 80, "protocol": "HTTP", "ssl_policy": UNKNOWN, "certificate_arn": None,
             "default_action": [{"type": "redirect", "target_group_arn": None, "order": 1,
                                 "redirect": [{"host": "#{host}", "path": "/#{path}", "port": "443",
                                               "protocol": "HTTPS", "query": "#{query}",
                                               "status_code": "HTTP_301"}],
                                 "fixed_response": [], "forward": [], "authenticate_cognito": [],
                                 "authenticate_oidc": []}]}
    else:
        v = {"port": 80, "protocol": "HTTP", "ssl_policy": UNKNOWN, "certificate_arn": None,
             "default_action": [{"type": "forward", "target_group_arn": tg, "order": 1, "redirect": [],
                                 "fixed_response": [], "forward": [], "authenticate_cognito": [],
                                 "authenticate_oidc": []}]}
    v.update({"load_balancer_arn": Ref(f"aws_lb.shared_{idx % 5}", "arn"), "alpn_policy": None,
              "mutual_authentication": UNKNOWN, "tags": None, "timeouts": None})
    return [Res("aws_lb_listener", f"listener_{idx:05d}", v, computed=["id", "arn", "tags_all"],
                explicit=["load_balancer_arn", "port", "protocol", "ssl_policy", "certificate_arn", "default_action"],
                unit="aws_lb_listener", compliant=compliant, violations=[] if compliant else [mode])]


def _k8s_container(rng: random.Random, name: str, bad: list[str]) -> dict[str, Any]:
    tag = "latest" if "latest_tag" in bad else f"1.{rng.randint(0, 30)}.{rng.randint(0, 9)}"
    image = f"registry.example.com/{name}:{tag}"
    sc = {"allow_privilege_escalation": "priv_escalation" in bad, "privileged": "privileged" in bad,
          "read_only_root_filesystem": "rw_rootfs" not in bad, "run_as_non_root": "run_as_root" not in bad,
          "run_as_user": "0" if "run_as_root" in bad else "10001", "run_as_group": "10001",
          "capabilities": [{"add": ["NET_ADMIN"] if "cap_add" in bad else [], "drop": ["ALL"]}],
          "procmount": None, "se_linux_options": [], "seccomp_profile": [{"type": "RuntimeDefault",
                                                                         "localhost_profile": None}]}
    res = [] if "no_resources" in bad else [{"limits": {"cpu": "500m", "memory": "512Mi"},
                                             "requests": {"cpu": "250m", "memory": "256Mi"}}]
    probe = [{"http_get": [{"path": "/healthz", "port": "8080", "scheme": "HTTP", "host": None, "http_header": []}],
              "initial_delay_seconds": 5, "period_seconds": 10, "failure_threshold": 3, "success_threshold": 1,
              "timeout_seconds": 1, "exec": [], "grpc": [], "tcp_socket": []}]
    return {"name": name, "image": image, "image_pull_policy": "Always", "args": [], "command": [],
            "env": [], "env_from": [], "port": [{"container_port": 8080, "name": "http", "protocol": "TCP",
                                                 "host_ip": None, "host_port": None}],
            "resources": res, "security_context": [sc], "liveness_probe": [] if "no_probes" in bad else probe,
            "readiness_probe": [] if "no_probes" in bad else probe, "startup_probe": [], "lifecycle": [],
            "volume_mount": [], "stdin": False, "stdin_once": False, "tty": False,
            "termination_message_path": "/dev/termination-log", "termination_message_policy": "File",
            "working_dir": None}


def unit_kubernetes(rng: random.Random, idx: int, compliant: bool) -> list[Res]:
    rules = ["privileged", "run_as_root", "priv_escalation", "latest_tag", "no_resources", "host_network",
             "default_namespace", "no_probes", "cap_add", "rw_rootfs"]
    bad = [] if compliant else pick_violations(rng, rules, 1, 3)
    app = f"{rng.choice(TEAMS)}-svc-{idx:05d}"
    meta = [{"name": app, "namespace": "default" if "default_namespace" in bad else rng.choice(TEAMS),
             "labels": {"app": app}, "annotations": None, "generate_name": None}]
    pod_spec = {"container": [_k8s_container(rng, app, bad)], "init_container": [],
                "host_network": "host_network" in bad, "host_pid": False, "host_ipc": False,
                "automount_service_account_token": False, "service_account_name": app,
                "security_context": [{"run_as_non_root": "run_as_root" not in bad, "run_as_user": "10001",
                                      "fs_group": "10001", "seccomp_profile": [{"type": "RuntimeDefault",
                                                                                "localhost_profile": None}],
                                      "supplemental_groups": [], "sysctl": [], "se_linux_options": [],
                                      "windows_options": []}],
                "volume": [], "restart_policy": "Always", "dns_policy": "ClusterFirst",
                "termination_grace_period_seconds": 30, "node_selector": None, "toleration": [],
                "affinity": [], "image_pull_secrets": []}
    if rng.random() < 0.7:
        rtype = "kubernetes_deployment_v1"
        values = {"metadata": meta, "wait_for_rollout": True, "timeouts": None,
                  "spec": [{"replicas": str(rng.choice([2, 3, 5])), "min_ready_seconds": 0,
                            "paused": False, "progress_deadline_seconds": 600, "revision_history_limit": 10,
                            "selector": [{"match_labels": {"app": app}, "match_expressions": []}],
                            "strategy": [], "template": [{"metadata": [{"labels": {"app": app}, "annotations": None,
                                                                         "name": None, "namespace": None,
                                                                         "generate_name": None}],
                                                          "spec": [pod_spec]}]}]}
        rname = f"deploy_{idx:05d}"
    else:
        rtype = "kubernetes_pod_v1"
        values = {"metadata": meta, "spec": [pod_spec], "timeouts": None, "target_state": None}
        rname = f"pod_{idx:05d}"
    return [Res(rtype, rname, values, computed=["id"], explicit=["metadata", "spec"],
                unit="k8s", compliant=compliant, violations=bad)]


def support_resource(rng: random.Random, target: str) -> Res:
    """Resources that other units reference (aws_security_group.shared_K, aws_lb.shared_K).

    Terraform rejects references to undeclared resources, so every Ref target must exist in
    the plan; these are emitted just before their first referrer and are never deleted.
    """
    rtype, name = target.split(".", 1)
    if rtype == "aws_security_group":
        v = {"name": f"shared-{name}", "name_prefix": UNKNOWN, "description": f"shared group {name}",
             "vpc_id": f"vpc-{short(rng, 17)}", "ingress": [],
             "egress": [_sg_rule(443, 443, "tcp", ["10.0.0.0/8"], "egress to internal https")],
             "revoke_rules_on_delete": False, "tags": tags(rng, name), "tags_all": UNKNOWN, "timeouts": None}
        r = Res(rtype, name, v, computed=["id", "arn", "owner_id"],
                explicit=["name", "description", "vpc_id", "egress", "tags"], unit="support")
    elif rtype == "aws_lb":
        internal = rng.random() < 0.5
        v = {"name": f"alb-{name.replace('_', '-')}", "internal": internal, "load_balancer_type": "application",
             "security_groups": [], "subnets": [f"subnet-{short(rng, 17)}", f"subnet-{short(rng, 17)}"],
             "drop_invalid_header_fields": True, "enable_deletion_protection": True,
             "enable_http2": True, "idle_timeout": 60, "ip_address_type": "ipv4",
             "access_logs": [{"bucket": "acme-alb-logs", "enabled": True, "prefix": name}],
             "desync_mitigation_mode": "defensive", "preserve_host_header": False,
             "tags": tags(rng, name), "tags_all": UNKNOWN, "timeouts": None}
        r = Res(rtype, name, v, computed=["id", "arn", "arn_suffix", "dns_name", "zone_id", "vpc_id"],
                explicit=["name", "internal", "load_balancer_type", "subnets", "drop_invalid_header_fields",
                          "enable_deletion_protection", "access_logs", "tags"], unit="support")
    else:  # pragma: no cover - only the two kinds above are referenced
        raise ValueError(target)
    r.support = True
    return r


# weight ~ share of *units*; multi-resource units (s3 = 2-3, cloudtrail 1-2) get less weight
MIX = [
    (unit_azurerm_storage_account, 14),
    (unit_aws_s3, 7),
    (unit_aws_security_group, 11),
    (unit_aws_sg_rule, 4),
    (unit_aws_db_instance, 7),
    (unit_aws_iam_policy, 8),
    (unit_google_storage_bucket, 8),
    (unit_azurerm_key_vault, 6),
    (unit_aws_ebs_volume, 8),
    (unit_aws_cloudtrail, 4),
    (unit_aws_lb_listener, 6),
    (unit_kubernetes, 5),
]
MODULES = ["storage", "network", "data", "platform"]


# ----------------------------------------------------------------------------------------
# plan assembly


def _strip(v: Any) -> Any:
    """Known planned value: drop UNKNOWN/Ref leaves (they are absent from planned values)."""
    if isinstance(v, dict):
        return {k: _strip(x) for k, x in v.items() if x is not UNKNOWN and not isinstance(x, Ref)}
    if isinstance(v, list):
        return [_strip(x) for x in v]
    return v


def _after_unknown(r: Res) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in r.values.items():
        if v is UNKNOWN or isinstance(v, Ref):
            out[k] = True
        elif isinstance(v, list):
            out[k] = [({} if isinstance(x, dict) else False) for x in v]
        elif isinstance(v, dict):
            out[k] = {}
    for k in r.computed:
        out.setdefault(k, True)
    return out


def _mask_shape(v: Any) -> Any:
    """sensitive_values shape: {} for maps/blocks, [] lists, omitted scalars."""
    if isinstance(v, dict):
        out = {}
        for k, x in v.items():
            if isinstance(x, (dict, list)):
                out[k] = _mask_shape(x)
        return out
    if isinstance(v, list):
        return [_mask_shape(x) if isinstance(x, (dict, list)) else False for x in v]
    return False


def _expressions(r: Res) -> dict[str, Any]:
    keys = r.explicit if r.explicit is not None else [k for k, v in r.values.items() if v is not None]
    ex: dict[str, Any] = {}
    for k in keys:
        v = r.values.get(k)
        if isinstance(v, Ref):
            ex[k] = {"references": v.refs()}
        elif v is UNKNOWN or v is None:
            continue
        elif isinstance(v, list) and v and all(isinstance(x, dict) for x in v):
            ex[k] = [_block_expr(x) for x in v]
        else:
            ex[k] = {"constant_value": v}
    return ex


def _block_expr(d: dict[str, Any]) -> dict[str, Any]:
    ex: dict[str, Any] = {}
    for k, v in d.items():
        if v is None or v is UNKNOWN or v == [] or v == "":
            continue
        if isinstance(v, list) and all(isinstance(x, dict) for x in v):
            ex[k] = [_block_expr(x) for x in v]
        else:
            ex[k] = {"constant_value": v}
    return ex


def _mutate_before(rng: random.Random, r: Res, after: dict[str, Any]) -> dict[str, Any]:
    """Plausible prior state for an update: tags differ, computed attrs known."""
    before = json.loads(json.dumps(after))
    for k in r.computed:
        before.setdefault(k, f"{k}-{short(rng, 10)}" if k != "id" else f"{r.name}-{short(rng, 8)}")
    if isinstance(before.get("tags"), dict):
        before["tags"] = dict(before["tags"], env="legacy")
    return before


def _prior_values(rng: random.Random, r: Res, after: dict[str, Any]) -> dict[str, Any]:
    v = json.loads(json.dumps(after))
    for k in r.computed:
        v.setdefault(k, f"{r.name}-{short(rng, 8)}" if k == "id" else f"{k}-{short(rng, 10)}")
    return v


def build(n: int, seed: int, compliant_ratio: float = 0.5, module_ratio: float = 0.12,
          count_ratio: float = 0.08) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    rng = random.Random(seed)
    builders = [b for b, _ in MIX]
    weights = [w for _, w in MIX]
    resources: list[Res] = []
    unit_idx = 0
    while len(resources) < n:
        b = rng.choices(builders, weights)[0]
        compliant = rng.random() < compliant_ratio
        group = rng.random() < count_ratio and b in (unit_aws_ebs_volume, unit_google_storage_bucket,
                                                     unit_aws_sg_rule, unit_azurerm_storage_account)
        module = rng.choice(MODULES) if rng.random() < module_ratio else None
        if group:
            size = rng.randint(2, 4)
            kind = rng.choice(["count", "for_each"])
            sub_rng_seed = rng.getrandbits(32)
            keys = list(range(size)) if kind == "count" else [rng.choice(["blue", "green", "red", "amber", "teal",
                                                                          "gold", "iris", "jade"]) + str(i)
                                                              for i in range(size)]
            first_name = None
            for key in keys:
                sub = random.Random(sub_rng_seed)  # same config for every instance of the group
                rs = b(sub, unit_idx, compliant)
                for r in rs:
                    if first_name is None:
                        first_name = r.name
                    r.index = key
                    r.count_kind = kind
                    r.group_size = size
                    r.module = module
                    # instance-specific names: differ per key like real count.index interpolation
                    for nk in ("name", "bucket", "identifier"):
                        if isinstance(r.values.get(nk), str):
                            r.values[nk] = f"{r.values[nk]}-{key}"[:63]
                    resources.append(r)
        else:
            for r in b(rng, unit_idx, compliant):
                r.module = module
                resources.append(r)
        unit_idx += 1
    # make every Ref target exist: emit missing support resources just before their first referrer
    known = {(r.module, f"{r.rtype}.{r.name}") for r in resources}
    with_support: list[Res] = []
    for r in resources:
        for v in r.values.values():
            if isinstance(v, Ref) and (r.module, v.target) not in known:
                sup = support_resource(rng, v.target)
                sup.module = r.module
                known.add((r.module, v.target))
                with_support.append(sup)
        with_support.append(r)
    resources = with_support[:n]

    # lifecycle actions
    referenced = {(r.module, v.target) for r in resources for v in r.values.values() if isinstance(v, Ref)}
    for r in resources:
        x = rng.random()
        if x < 0.03 and (r.module, f"{r.rtype}.{r.name}") in referenced:
            x = 0.1  # a referenced resource cannot lose its configuration: update instead of delete
        if r.support:
            r.action = ["no-op"] if x < 0.8 else ["update"]
        elif x < 0.03:
            r.action = ["delete"]
        elif x < 0.07:
            r.action = ["delete", "create"] if rng.random() < 0.5 else ["create", "delete"]
        elif x < 0.17:
            r.action = ["update"]
        elif x < 0.24:
            r.action = ["no-op"]
        else:
            r.action = ["create"]

    root_pv: list[dict[str, Any]] = []
    child_pv: dict[str, list[dict[str, Any]]] = {}
    changes: list[dict[str, Any]] = []
    prior_root: list[dict[str, Any]] = []
    prior_child: dict[str, list[dict[str, Any]]] = {}
    conf_root: list[dict[str, Any]] = []
    conf_mod: dict[str, list[dict[str, Any]]] = {}
    seen_conf: set[tuple[str | None, str, str]] = set()
    manifest: list[dict[str, Any]] = []

    for r in resources:
        prov = PROVIDERS[provider_of(r.rtype)]
        after = _strip(r.values)
        sens = _mask_shape(after)
        for s in r.sensitive:
            sens[s] = True
        pv = {"address": r.address, "mode": "managed", "type": r.rtype, "name": r.name}
        if r.index is not None:
            pv["index"] = r.index
        pv.update({"provider_name": prov, "schema_version": 0, "values": after, "sensitive_values": sens})
        known_state = r.action != ["create"]
        if known_state:
            prior = _prior_values(rng, r, after)
            pr = dict(pv, values=prior)
            (prior_child.setdefault(r.module, []) if r.module else prior_root).append(pr)
        if r.action != ["delete"]:
            if r.action == ["no-op"]:
                pv = dict(pv, values=_prior_values(random.Random(zlib.crc32(r.address.encode())), r, after))
            (child_pv.setdefault(r.module, []) if r.module else root_pv).append(pv)
        if r.action == ["create"]:
            before, after_c, after_unknown = None, after, _after_unknown(r)
        elif r.action == ["delete"]:
            before, after_c, after_unknown = _prior_values(rng, r, after), None, {}
        elif r.action == ["no-op"]:
            before = pv["values"]
            after_c, after_unknown = before, {}
        elif r.action == ["update"]:
            after_c = _prior_values(random.Random(seed ^ len(changes)), r, after)
            before = _mutate_before(rng, r, after_c)
            after_unknown = {k: True for k in ("tags_all",) if k in r.values}
        else:  # replace
            before = _prior_values(rng, r, after)
            after_c, after_unknown = after, _after_unknown(r)
        rc: dict[str, Any] = {"address": r.address}
        if r.module:
            rc["module_address"] = f"module.{r.module}"
        rc.update({"mode": "managed", "type": r.rtype, "name": r.name})
        if r.index is not None:
            rc["index"] = r.index
        rc["provider_name"] = prov
        rc["change"] = {"actions": r.action, "before": before, "after": after_c, "after_unknown": after_unknown,
                        "before_sensitive": False if before is None else _mask_shape(before),
                        "after_sensitive": False if after_c is None else sens}
        if r.action in (["delete", "create"], ["create", "delete"]):
            rc["action_reason"] = "replace_because_cannot_update"
            rc["change"]["replace_paths"] = [["name"]] if "name" in r.values else [["id"]]
        if r.action == ["delete"]:
            rc["action_reason"] = "delete_because_no_resource_config"
        changes.append(rc)

        key = (r.module, r.rtype, r.name)
        if key not in seen_conf and r.action != ["delete"]:
            seen_conf.add(key)
            c: dict[str, Any] = {"address": f"{r.rtype}.{r.name}", "mode": "managed", "type": r.rtype,
                                 "name": r.name,
                                 "provider_config_key": provider_of(r.rtype) if not r.module else
                                 f"module.{r.module}:{provider_of(r.rtype)}",
                                 "expressions": _expressions(r), "schema_version": 0}
            if r.count_kind == "count":
                c["count_expression"] = {"constant_value": r.group_size}
            elif r.count_kind == "for_each":
                c["for_each_expression"] = {"references": ["var.instances"]}
            (conf_mod.setdefault(r.module, []) if r.module else conf_root).append(c)
        manifest.append({"address": r.address, "type": r.rtype, "unit": r.unit, "compliant": r.compliant,
                         "violations": r.violations, "actions": r.action})

    def module_block(res_map: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
        return [{"resources": res_map[m], "address": f"module.{m}"} for m in sorted(res_map)]

    planned_root: dict[str, Any] = {"resources": root_pv}
    if child_pv:
        planned_root["child_modules"] = module_block(child_pv)
    prior_rm: dict[str, Any] = {"resources": prior_root}
    if prior_child:
        prior_rm["child_modules"] = module_block(prior_child)

    provider_config = {
        "aws": {"name": "aws", "full_name": PROVIDERS["aws"], "version_constraint": "~> 5.70",
                "expressions": {"region": {"constant_value": "us-east-1"}}},
        "azurerm": {"name": "azurerm", "full_name": PROVIDERS["azurerm"], "version_constraint": "~> 4.10",
                    "expressions": {"features": [{}]}},
        "google": {"name": "google", "full_name": PROVIDERS["google"], "version_constraint": "~> 6.10",
                   "expressions": {"project": {"constant_value": "acme-prod"},
                                   "region": {"constant_value": "europe-west1"}}},
        "kubernetes": {"name": "kubernetes", "full_name": PROVIDERS["kubernetes"], "version_constraint": "~> 2.33"},
    }
    for m in sorted(conf_mod):
        for p in ("aws", "azurerm", "google", "kubernetes"):
            provider_config[f"module.{m}:{p}"] = {"name": p, "full_name": PROVIDERS[p], "module_address": f"module.{m}"}

    plan: dict[str, Any] = {
        "format_version": "1.2",
        "terraform_version": TF_VERSION,
        "variables": {"environment": {"value": "prod"}, "instances": {"value": {}}},
        "planned_values": {"root_module": planned_root},
        "resource_changes": changes,
        "prior_state": {"format_version": "1.0", "terraform_version": TF_VERSION,
                        "values": {"root_module": prior_rm}},
        "configuration": {
            "provider_config": provider_config,
            "root_module": {
                "resources": conf_root,
                "module_calls": {m: {"source": f"./modules/{m}", "module": {"resources": conf_mod[m]}}
                                 for m in sorted(conf_mod)},
                "variables": {"environment": {"default": "prod"}, "instances": {"default": {}}},
            },
        },
        "relevant_attributes": [],
        "timestamp": "2025-01-01T00:00:00Z",
        "applyable": True,
        "complete": True,
        "errored": False,
    }
    return plan, manifest


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", "--num", type=int, required=True, help="number of resource_changes entries")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--compliant-ratio", type=float, default=0.5)
    ap.add_argument("--module-ratio", type=float, default=0.12, help="share of units placed in child modules")
    ap.add_argument("--count-ratio", type=float, default=0.08, help="share of eligible units expanded by count/for_each")
    ap.add_argument("-o", "--out", default="-")
    ap.add_argument("--pretty", action="store_true", help="indent=2 (like `| jq .`); default is terraform's compact form")
    ap.add_argument("--manifest", help="write generator intent labels (address -> compliant/violations)")
    a = ap.parse_args(argv)
    plan, manifest = build(a.num, a.seed, a.compliant_ratio, a.module_ratio, a.count_ratio)
    text = json.dumps(plan, indent=2 if a.pretty else None, separators=None if a.pretty else (",", ":"))
    if a.out == "-":
        sys.stdout.write(text + "\n")
    else:
        with open(a.out, "w") as f:
            f.write(text + "\n")
    if a.manifest:
        with open(a.manifest, "w") as f:
            json.dump({"seed": a.seed, "n": a.num, "resources": manifest}, f, indent=1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
