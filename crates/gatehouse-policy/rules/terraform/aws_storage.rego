# Amazon S3, EBS and EFS storage: public access blocks, versioning, encryption.
package gatehouse.terraform.aws_storage

import data.gatehouse.lib.terraform as tf
import rego.v1

# METADATA
# title: S3 public access block does not set block_public_acls
# description: "The bucket's public access block must set `block_public_acls = true` (it blocks new public ACLs); absent means false."
# custom:
#   id: GH-AWS-020
#   severity: high
#   checkov: CKV_AWS_53
#   input: terraform
#   remediation: Set `block_public_acls = true` on the `aws_s3_bucket_public_access_block`.
#   before: |
#     resource "aws_s3_bucket_public_access_block" "b" {
#       block_public_acls = false
#     }
#   after: |
#     resource "aws_s3_bucket_public_access_block" "b" {
#       block_public_acls = true
#     }
#   references:
#     - https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
deny_pab_block_public_acls contains result if {
	some r in tf.resources("aws_s3_bucket_public_access_block")
	tf.effective(r, "block_public_acls", false) == false
	result := tf.result(r, "block_public_acls", sprintf("Public access block '%s' does not set block_public_acls.", [r.address]))
}

# METADATA
# title: S3 public access block does not set block_public_policy
# description: "The bucket's public access block must set `block_public_policy = true` (it blocks public bucket policies); absent means false."
# custom:
#   id: GH-AWS-021
#   severity: high
#   checkov: CKV_AWS_54
#   input: terraform
#   remediation: Set `block_public_policy = true` on the `aws_s3_bucket_public_access_block`.
#   before: |
#     resource "aws_s3_bucket_public_access_block" "b" {
#       block_public_policy = false
#     }
#   after: |
#     resource "aws_s3_bucket_public_access_block" "b" {
#       block_public_policy = true
#     }
#   references:
#     - https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
deny_pab_block_public_policy contains result if {
	some r in tf.resources("aws_s3_bucket_public_access_block")
	tf.effective(r, "block_public_policy", false) == false
	result := tf.result(r, "block_public_policy", sprintf("Public access block '%s' does not set block_public_policy.", [r.address]))
}

# METADATA
# title: S3 public access block does not set ignore_public_acls
# description: "The bucket's public access block must set `ignore_public_acls = true` (it ignores existing public ACLs); absent means false."
# custom:
#   id: GH-AWS-022
#   severity: high
#   checkov: CKV_AWS_55
#   input: terraform
#   remediation: Set `ignore_public_acls = true` on the `aws_s3_bucket_public_access_block`.
#   before: |
#     resource "aws_s3_bucket_public_access_block" "b" {
#       ignore_public_acls = false
#     }
#   after: |
#     resource "aws_s3_bucket_public_access_block" "b" {
#       ignore_public_acls = true
#     }
#   references:
#     - https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
deny_pab_ignore_public_acls contains result if {
	some r in tf.resources("aws_s3_bucket_public_access_block")
	tf.effective(r, "ignore_public_acls", false) == false
	result := tf.result(r, "ignore_public_acls", sprintf("Public access block '%s' does not set ignore_public_acls.", [r.address]))
}

# METADATA
# title: S3 public access block does not set restrict_public_buckets
# description: "The bucket's public access block must set `restrict_public_buckets = true` (it restricts access to buckets with public policies); absent means false."
# custom:
#   id: GH-AWS-023
#   severity: high
#   checkov: CKV_AWS_56
#   input: terraform
#   remediation: Set `restrict_public_buckets = true` on the `aws_s3_bucket_public_access_block`.
#   before: |
#     resource "aws_s3_bucket_public_access_block" "b" {
#       restrict_public_buckets = false
#     }
#   after: |
#     resource "aws_s3_bucket_public_access_block" "b" {
#       restrict_public_buckets = true
#     }
#   references:
#     - https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
deny_pab_restrict_public_buckets contains result if {
	some r in tf.resources("aws_s3_bucket_public_access_block")
	tf.effective(r, "restrict_public_buckets", false) == false
	result := tf.result(r, "restrict_public_buckets", sprintf("Public access block '%s' does not set restrict_public_buckets.", [r.address]))
}

# METADATA
# title: S3 bucket versioning is not enabled
# description: |
#   Versioning lets you recover overwritten or deleted objects. Checked on
#   `aws_s3_bucket_versioning` (status must be `Enabled`) and on the legacy inline
#   `versioning` block of `aws_s3_bucket`. Checkov's CKV_AWS_21 is a graph check that also fails
#   buckets with no versioning resource at all; gatehouse reads one plan resource at a time and does
#   not mirror it.
# custom:
#   id: GH-AWS-024
#   severity: low
#   input: terraform
#   remediation: Add an `aws_s3_bucket_versioning` resource with `status = "Enabled"`.
#   before: |
#     versioning_configuration {
#       status = "Suspended"
#     }
#   after: |
#     versioning_configuration {
#       status = "Enabled"
#     }
#   references:
#     - https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html
deny_versioning_disabled contains result if {
	some r in tf.resources("aws_s3_bucket_versioning")
	some c in tf.list(r.values.versioning_configuration)
	c.status != "Enabled"
	result := tf.result(r, "versioning_configuration", sprintf("Bucket versioning '%s' has status '%s'.", [r.address, c.status]))
}

deny_versioning_disabled contains result if {
	some r in tf.resources("aws_s3_bucket")
	some v in tf.list(r.values.versioning)
	v.enabled == false
	result := tf.result(r, "versioning", sprintf("S3 bucket '%s' has versioning disabled.", [r.address]))
}

# METADATA
# title: S3 bucket is not encrypted with KMS
# description: |
#   S3 encrypts with S3-managed keys (AES256) by default; a KMS key adds key policies, audit trails and
#   revocation. Checked on `aws_s3_bucket_server_side_encryption_configuration`. Checkov's
#   CKV_AWS_145 is the same check on the bucket through the graph of connected resources;
#   gatehouse flags the encryption configuration itself and does not mirror it.
# custom:
#   id: GH-AWS-025
#   severity: medium
#   input: terraform
#   remediation: Set `sse_algorithm = "aws:kms"` (with `kms_master_key_id`) in the encryption configuration.
#   before: |
#     apply_server_side_encryption_by_default {
#       sse_algorithm = "AES256"
#     }
#   after: |
#     apply_server_side_encryption_by_default {
#       sse_algorithm     = "aws:kms"
#       kms_master_key_id = aws_kms_key.s3.arn
#     }
#   references:
#     - https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html
deny_sse_not_kms contains result if {
	some r in tf.resources("aws_s3_bucket_server_side_encryption_configuration")
	some rule in tf.list(r.values.rule)
	some d in tf.list(rule.apply_server_side_encryption_by_default)
	not d.sse_algorithm in {"aws:kms", "aws:kms:dsse"}
	result := tf.result(r, "rule", sprintf("'%s' encrypts with '%s', not a KMS key.", [r.address, d.sse_algorithm]))
}

# METADATA
# title: EBS volume is not encrypted
# description: |
#   `encrypted` must be true. An absent value, or one left to the provider (unknown in the plan and
#   not set in the configuration), fails like in Checkov: the volume is then encrypted only if the
#   account happens to enable EBS encryption by default.
# custom:
#   id: GH-AWS-026
#   severity: high
#   checkov: CKV_AWS_3
#   input: terraform
#   remediation: Set `encrypted = true` (and enable EBS encryption by default for the account).
#   before: |
#     resource "aws_ebs_volume" "data" {
#       size = 100
#     }
#   after: |
#     resource "aws_ebs_volume" "data" {
#       size      = 100
#       encrypted = true
#     }
#   references:
#     - https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html
deny_ebs_unencrypted contains result if {
	some r in tf.resources("aws_ebs_volume")
	tf.effective(r, "encrypted", false) == false
	result := tf.result(r, "encrypted", sprintf("EBS volume '%s' is not encrypted.", [r.address]))
}

# METADATA
# title: EBS volume does not use a customer managed key
# description: |
#   `kms_key_id` must name a customer managed KMS key. A reference to a key created in the same plan
#   counts as set; a value the provider computes (not in the configuration) means the AWS managed key.
# custom:
#   id: GH-AWS-027
#   severity: low
#   checkov: CKV_AWS_189
#   input: terraform
#   remediation: Set `kms_key_id` to a customer managed key's ARN.
#   before: |
#     resource "aws_ebs_volume" "data" {
#       encrypted = true
#     }
#   after: |
#     resource "aws_ebs_volume" "data" {
#       encrypted  = true
#       kms_key_id = aws_kms_key.ebs.arn
#     }
#   references:
#     - https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html
deny_ebs_no_cmk contains result if {
	some r in tf.resources("aws_ebs_volume")
	not tf.present(tf.effective(r, "kms_key_id", ""))
	result := tf.result(r, "kms_key_id", sprintf("EBS volume '%s' does not use a customer managed KMS key.", [r.address]))
}

# METADATA
# title: EFS file system is not encrypted
# description: "`encrypted` must be true; absent means the provider default (false)."
# custom:
#   id: GH-AWS-028
#   severity: high
#   checkov: CKV_AWS_42
#   input: terraform
#   remediation: Set `encrypted = true` (file systems must be recreated to encrypt them).
#   before: |
#     resource "aws_efs_file_system" "shared" {
#       encrypted = false
#     }
#   after: |
#     resource "aws_efs_file_system" "shared" {
#       encrypted = true
#     }
#   references:
#     - https://docs.aws.amazon.com/efs/latest/ug/encryption.html
deny_efs_unencrypted contains result if {
	some r in tf.resources("aws_efs_file_system")
	tf.effective(r, "encrypted", false) == false
	result := tf.result(r, "encrypted", sprintf("EFS file system '%s' is not encrypted.", [r.address]))
}
