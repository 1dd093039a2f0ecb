# AWS EKS, ECR and Lambda: public endpoints, image scanning, tag immutability, function URL auth.
package gatehouse.terraform.aws_compute

import data.gatehouse.lib.terraform as tf
import rego.v1

# METADATA
# title: EKS cluster API endpoint is public
# description: "`vpc_config.endpoint_public_access` defaults to true; absent fails, as in Checkov."
# custom:
#   id: GH-AWS-060
#   severity: high
#   checkov: CKV_AWS_39
#   input: terraform
#   remediation: Set `endpoint_public_access = false` and `endpoint_private_access = true` in `vpc_config`.
#   before: |
#     vpc_config {
#       endpoint_public_access = true
#     }
#   after: |
#     vpc_config {
#       endpoint_private_access = true
#       endpoint_public_access  = false
#     }
#   references:
#     - https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html
deny_eks_public_endpoint contains result if {
	some r in tf.resources("aws_eks_cluster")
	not tf.unknown(r, "vpc_config")
	public_endpoint(r)
	result := tf.result(r, "vpc_config", sprintf("EKS cluster '%s' API endpoint is public.", [r.address]))
}

public_endpoint(r) if {
	some c in tf.list(r.values.vpc_config)
	object.get(c, "endpoint_public_access", true) != false
}

public_endpoint(r) if count(object.get(r.values, "vpc_config", [])) == 0

# METADATA
# title: ECR repository does not scan images on push
# description: "`image_scanning_configuration.scan_on_push` must be true; absent fails."
# custom:
#   id: GH-AWS-061
#   severity: medium
#   checkov: CKV_AWS_163
#   input: terraform
#   remediation: Add `image_scanning_configuration { scan_on_push = true }` (or enable enhanced scanning for the registry).
#   before: |
#     resource "aws_ecr_repository" "app" {
#       name = "app"
#     }
#   after: |
#     resource "aws_ecr_repository" "app" {
#       name = "app"
#       image_scanning_configuration { scan_on_push = true }
#     }
#   references:
#     - https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-scanning.html
deny_ecr_no_scan contains result if {
	some r in tf.resources("aws_ecr_repository")
	not tf.unknown(r, "image_scanning_configuration")
	not scans_on_push(r)
	result := tf.result(r, "image_scanning_configuration", sprintf("ECR repository '%s' does not scan images on push.", [r.address]))
}

scans_on_push(r) if {
	some c in tf.list(r.values.image_scanning_configuration)
	c.scan_on_push == true
}

# METADATA
# title: ECR repository tags are mutable
# description: "With `image_tag_mutability = \"MUTABLE\"` (the default) a pushed tag can be silently replaced."
# custom:
#   id: GH-AWS-062
#   severity: medium
#   checkov: CKV_AWS_51
#   input: terraform
#   remediation: Set `image_tag_mutability = "IMMUTABLE"`.
#   before: |
#     resource "aws_ecr_repository" "app" {
#       image_tag_mutability = "MUTABLE"
#     }
#   after: |
#     resource "aws_ecr_repository" "app" {
#       image_tag_mutability = "IMMUTABLE"
#     }
#   references:
#     - https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-tag-mutability.html
deny_ecr_mutable_tags contains result if {
	some r in tf.resources("aws_ecr_repository")
	not tf.unknown(r, "image_tag_mutability")
	not tf.value_or(r, "image_tag_mutability", "MUTABLE") in {"IMMUTABLE", "IMMUTABLE_WITH_EXCLUSION"}
	result := tf.result(r, "image_tag_mutability", sprintf("ECR repository '%s' allows tags to be overwritten.", [r.address]))
}

# METADATA
# title: Lambda function URL has no authentication
# description: A function URL with `authorization_type = "NONE"` lets anyone on the internet invoke the function.
# custom:
#   id: GH-AWS-063
#   severity: high
#   checkov: CKV_AWS_258
#   input: terraform
#   remediation: Set `authorization_type = "AWS_IAM"` and sign requests, or front the function with API Gateway.
#   before: |
#     resource "aws_lambda_function_url" "api" {
#       authorization_type = "NONE"
#     }
#   after: |
#     resource "aws_lambda_function_url" "api" {
#       authorization_type = "AWS_IAM"
#     }
#   references:
#     - https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html
deny_lambda_url_no_auth contains result if {
	some r in tf.resources("aws_lambda_function_url")
	r.values.authorization_type == "NONE"
	result := tf.result(r, "authorization_type", sprintf("Lambda function URL '%s' has no authentication.", [r.address]))
}
