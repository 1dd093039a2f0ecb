#!/usr/bin/env python3
"""Write a small Terraform plan covering the mirrored Checkov checks that gen_tfplan.py does not
generate (NSG rules, Azure SQL/PostgreSQL, AKS, EKS, ECR, EFS, Lambda URLs, GCS IAM, Cloud SQL,
GKE, GCP firewalls): one failing and one passing variant of each, so bench/checkov.sh can compare
gatehouse and Checkov on them too.

Usage: checkov_extra_plan.py OUT.json
"""
from __future__ import annotations

import json
import sys

AZ = "registry.terraform.io/hashicorp/azurerm"
AWS = "registry.terraform.io/hashicorp/aws"
GCP = "registry.terraform.io/hashicorp/google"


def nsg_rule(port: str, source: str, access: str = "Allow") -> dict:
    return {"name": f"r{port}", "priority": 100, "direction": "Inbound", "access": access, "protocol": "Tcp",
            "source_port_range": "*", "destination_port_range": port, "source_address_prefix": source,
            "destination_address_prefix": "*", "destination_port_ranges": [], "source_address_prefixes": []}


RESOURCES: list[tuple[str, str, str, dict]] = [
    (AZ, "azurerm_network_security_group", "open", {"name": "open", "security_rule": [nsg_rule("22", "*"), nsg_rule("3389", "Internet")]}),
    (AZ, "azurerm_network_security_group", "closed", {"name": "closed", "security_rule": [nsg_rule("22", "10.0.0.0/8"), nsg_rule("3389", "*", "Deny")]}),
    (AZ, "azurerm_network_security_rule", "ssh_world", {"name": "ssh", **nsg_rule("20-30", "0.0.0.0/0")}),
    (AZ, "azurerm_mssql_server", "bad", {"name": "bad", "public_network_access_enabled": True, "minimum_tls_version": "1.0"}),
    (AZ, "azurerm_mssql_server", "good", {"name": "good", "public_network_access_enabled": False, "minimum_tls_version": "1.2"}),
    (AZ, "azurerm_postgresql_server", "bad", {"name": "bad", "public_network_access_enabled": True, "ssl_enforcement_enabled": True, "ssl_minimal_tls_version_enforced": "TLS1_0"}),
    (AZ, "azurerm_postgresql_server", "good", {"name": "good", "public_network_access_enabled": False, "ssl_enforcement_enabled": True, "ssl_minimal_tls_version_enforced": "TLS1_2"}),
    (AZ, "azurerm_kubernetes_cluster", "bad", {"name": "bad", "role_based_access_control_enabled": False, "private_cluster_enabled": False, "network_profile": [{"network_plugin": "kubenet", "network_policy": None}]}),
    (AZ, "azurerm_kubernetes_cluster", "good", {"name": "good", "role_based_access_control_enabled": True, "private_cluster_enabled": True, "network_profile": [{"network_plugin": "azure", "network_policy": "azure"}]}),
    (AWS, "aws_eks_cluster", "bad", {"name": "bad", "vpc_config": [{"endpoint_public_access": True, "endpoint_private_access": False, "subnet_ids": ["subnet-1"]}]}),
    (AWS, "aws_eks_cluster", "good", {"name": "good", "vpc_config": [{"endpoint_public_access": False, "endpoint_private_access": True, "subnet_ids": ["subnet-1"]}]}),
    (AWS, "aws_ecr_repository", "bad", {"name": "bad", "image_tag_mutability": "MUTABLE", "image_scanning_configuration": [{"scan_on_push": False}]}),
    (AWS, "aws_ecr_repository", "good", {"name": "good", "image_tag_mutability": "IMMUTABLE", "image_scanning_configuration": [{"scan_on_push": True}]}),
    (AWS, "aws_efs_file_system", "bad", {"creation_token": "bad", "encrypted": False}),
    (AWS, "aws_efs_file_system", "good", {"creation_token": "good", "encrypted": True}),
    (AWS, "aws_lambda_function_url", "bad", {"function_name": "bad", "authorization_type": "NONE"}),
    (AWS, "aws_lambda_function_url", "good", {"function_name": "good", "authorization_type": "AWS_IAM"}),
    (GCP, "google_storage_bucket_iam_member", "bad", {"bucket": "b", "role": "roles/storage.objectViewer", "member": "allUsers"}),
    (GCP, "google_storage_bucket_iam_member", "good", {"bucket": "b", "role": "roles/storage.objectViewer", "member": "group:readers@example.com"}),
    (GCP, "google_sql_database_instance", "bad", {"name": "bad", "database_version": "POSTGRES_15", "settings": [{"tier": "db-f1-micro", "ip_configuration": [{"ipv4_enabled": True, "ssl_mode": "ALLOW_UNENCRYPTED_AND_ENCRYPTED"}]}]}),
    (GCP, "google_sql_database_instance", "good", {"name": "good", "database_version": "POSTGRES_15", "settings": [{"tier": "db-f1-micro", "ip_configuration": [{"ipv4_enabled": False, "ssl_mode": "TRUSTED_CLIENT_CERTIFICATE_REQUIRED"}]}]}),
    (GCP, "google_container_cluster", "bad", {"name": "bad", "enable_legacy_abac": True, "private_cluster_config": []}),
    (GCP, "google_container_cluster", "good", {"name": "good", "enable_legacy_abac": False, "private_cluster_config": [{"enable_private_nodes": True, "enable_private_endpoint": False, "master_ipv4_cidr_block": "172.16.0.0/28"}]}),
    (GCP, "google_compute_firewall", "ssh_world", {"name": "ssh", "network": "default", "direction": "INGRESS", "source_ranges": ["0.0.0.0/0"], "allow": [{"protocol": "tcp", "ports": ["22"]}]}),
    (GCP, "google_compute_firewall", "rdp_world", {"name": "rdp", "network": "default", "direction": "INGRESS", "source_ranges": ["0.0.0.0/0"], "allow": [{"protocol": "tcp", "ports": ["3389"]}]}),
    (GCP, "google_compute_firewall", "https_world", {"name": "https", "network": "default", "direction": "INGRESS", "source_ranges": ["0.0.0.0/0"], "allow": [{"protocol": "tcp", "ports": ["443"]}]}),
]


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    planned, changes, config = [], [], []
    for provider, rtype, name, values in RESOURCES:
        address = f"{rtype}.{name}"
        planned.append({"address": address, "mode": "managed", "type": rtype, "name": name,
                        "provider_name": provider, "schema_version": 0, "values": values, "sensitive_values": {}})
        changes.append({"address": address, "mode": "managed", "type": rtype, "name": name, "provider_name": provider,
                        "change": {"actions": ["create"], "before": None, "after": values,
                                   "after_unknown": {"id": True}, "before_sensitive": False, "after_sensitive": {}}})
        config.append({"address": address, "mode": "managed", "type": rtype, "name": name,
                       "provider_config_key": rtype.split("_")[0], "schema_version": 0,
                       "expressions": {k: {"constant_value": v} for k, v in values.items() if v is not None}})
    plan = {"format_version": "1.2", "terraform_version": "1.9.8",
            "planned_values": {"root_module": {"resources": planned}}, "resource_changes": changes,
            "configuration": {"root_module": {"resources": config}}, "applyable": True, "complete": True, "errored": False}
    with open(sys.argv[1], "w") as f:
        json.dump(plan, f, indent=1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
