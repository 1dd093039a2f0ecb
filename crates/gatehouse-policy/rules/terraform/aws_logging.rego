# AWS CloudTrail and KMS: audit trail coverage, integrity and encryption; key rotation.
package gatehouse.terraform.aws_logging

import data.gatehouse.lib.terraform as tf
import rego.v1

# METADATA
# title: CloudTrail log file validation is off
# description: "Without `enable_log_file_validation` nobody can prove the logs were not altered; absent means false."
# custom:
#   id: GH-AWS-040
#   severity: medium
#   checkov: CKV_AWS_36
#   input: terraform
#   remediation: Set `enable_log_file_validation = true`.
#   before: |
#     resource "aws_cloudtrail" "main" {
#       enable_log_file_validation = false
#     }
#   after: |
#     resource "aws_cloudtrail" "main" {
#       enable_log_file_validation = true
#     }
#   references:
#     - https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-intro.html
deny_no_log_validation contains result if {
	some r in tf.resources("aws_cloudtrail")
	tf.effective(r, "enable_log_file_validation", false) == false
	result := tf.result(r, "enable_log_file_validation", sprintf("CloudTrail '%s' does not validate log files.", [r.address]))
}

# METADATA
# title: CloudTrail is not multi-region
# description: "A single-region trail misses activity in every other region; absent means false."
# custom:
#   id: GH-AWS-041
#   severity: medium
#   checkov: CKV_AWS_67
#   input: terraform
#   remediation: Set `is_multi_region_trail = true`.
#   before: |
#     resource "aws_cloudtrail" "main" {
#       is_multi_region_trail = false
#     }
#   after: |
#     resource "aws_cloudtrail" "main" {
#       is_multi_region_trail = true
#     }
#   references:
#     - https://docs.aws.amazon.com/awscloudtrail/latest/userguide/receive-cloudtrail-log-files-from-multiple-regions.html
deny_single_region contains result if {
	some r in tf.resources("aws_cloudtrail")
	tf.effective(r, "is_multi_region_trail", false) == false
	result := tf.result(r, "is_multi_region_trail", sprintf("CloudTrail '%s' covers one region only.", [r.address]))
}

# METADATA
# title: CloudTrail logs are not encrypted with KMS
# description: "`kms_key_id` must be set; a reference to a key created in the same plan counts as set."
# custom:
#   id: GH-AWS-042
#   severity: medium
#   checkov: CKV_AWS_35
#   input: terraform
#   remediation: Set `kms_key_id` to a customer managed key whose policy allows CloudTrail.
#   before: |
#     resource "aws_cloudtrail" "main" {
#       name = "main"
#     }
#   after: |
#     resource "aws_cloudtrail" "main" {
#       name       = "main"
#       kms_key_id = aws_kms_key.trail.arn
#     }
#   references:
#     - https://docs.aws.amazon.com/awscloudtrail/latest/userguide/encrypting-cloudtrail-log-files-with-aws-kms.html
deny_no_kms contains result if {
	some r in tf.resources("aws_cloudtrail")
	not tf.present(tf.effective(r, "kms_key_id", ""))
	result := tf.result(r, "kms_key_id", sprintf("CloudTrail '%s' logs are not encrypted with a KMS key.", [r.address]))
}

# METADATA
# title: CloudTrail logging is stopped
# description: "`enable_logging = false` creates a trail that records nothing; absent means true."
# custom:
#   id: GH-AWS-043
#   severity: high
#   checkov: CKV_AWS_251
#   input: terraform
#   remediation: Set `enable_logging = true`.
#   before: |
#     resource "aws_cloudtrail" "main" {
#       enable_logging = false
#     }
#   after: |
#     resource "aws_cloudtrail" "main" {
#       enable_logging = true
#     }
#   references:
#     - https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-turning-off-logging.html
deny_logging_stopped contains result if {
	some r in tf.resources("aws_cloudtrail")
	r.values.enable_logging == false
	result := tf.result(r, "enable_logging", sprintf("CloudTrail '%s' has logging stopped.", [r.address]))
}

# METADATA
# title: KMS key rotation is disabled
# description: |
#   Symmetric customer managed keys (and HMAC keys) should rotate yearly; absent means false.
#   Asymmetric keys cannot rotate and are not checked.
# custom:
#   id: GH-AWS-044
#   severity: medium
#   checkov: CKV_AWS_7
#   input: terraform
#   remediation: Set `enable_key_rotation = true`.
#   before: |
#     resource "aws_kms_key" "data" {
#       enable_key_rotation = false
#     }
#   after: |
#     resource "aws_kms_key" "data" {
#       enable_key_rotation = true
#     }
#   references:
#     - https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html
deny_kms_no_rotation contains result if {
	some r in tf.resources("aws_kms_key")
	rotatable(tf.value_or(r, "customer_master_key_spec", "SYMMETRIC_DEFAULT"))
	tf.effective(r, "enable_key_rotation", false) == false
	result := tf.result(r, "enable_key_rotation", sprintf("KMS key '%s' does not rotate.", [r.address]))
}

rotatable(spec) if spec == "SYMMETRIC_DEFAULT"

rotatable(spec) if startswith(spec, "HMAC")
