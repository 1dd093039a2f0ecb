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

# Graph edges between buckets and the resources that configure them, indexed so that each rule
# does one pass over the configuration resources (not one per bucket): a configuration resource
# names its bucket through `bucket`, by reference (`["ref", key]`) or by literal name
# (`["name", "acme-logs"]`); a bucket answers to its key and its planned `bucket`/`id`.
bucket_targets(c) := {["ref", k] | some k in object.get(c, ["references", "bucket"], [])} | {["name", v] |
	v := c.values.bucket
	is_string(v)
	v != ""
}

bucket_names(b) := {["ref", b.key]} | {["name", v] |
	some id in ["bucket", "id"]
	v := b.values[id]
	is_string(v)
	v != ""
}

# True when some configuration resource whose targets are in `targets` names bucket `b`.
named_in(b, targets) if {
	some n in bucket_names(b)
	n in targets
}

# (target, algorithm) of every default encryption rule of the standalone configurations.
sse_pairs := {[t, d.sse_algorithm] |
	some c in tf.resources("aws_s3_bucket_server_side_encryption_configuration")
	some rule in tf.list(c.values.rule)
	some d in tf.list(rule.apply_server_side_encryption_by_default)
	some t in bucket_targets(c)
}

inline_sse_algorithms(b) := {a |
	some c in tf.list(b.values.server_side_encryption_configuration)
	some rule in tf.list(c.rule)
	some d in tf.list(rule.apply_server_side_encryption_by_default)
	a := d.sse_algorithm
}

# The default encryption algorithms that apply to bucket `b` (inline and connected). Scans the
# pairs: call it only for buckets already known to fail.
sse_algorithms(b) := inline_sse_algorithms(b) | {a |
	some [t, a] in sse_pairs
	t in bucket_names(b)
}

kms_algorithms := {"aws:kms", "aws:kms:dsse"}

kms_targets := {t | some [t, a] in sse_pairs; a in kms_algorithms}

allowed_algorithms := {"AES256", "aws:kms", "aws:kms:dsse"}

bad_algorithm_targets := {t | some [t, a] in sse_pairs; not a in allowed_algorithms}

# METADATA
# title: S3 bucket has no public access block that blocks public ACLs and policies
# description: |
#   A bucket must be covered by an `aws_s3_bucket_public_access_block` whose `bucket` refers to it
#   (by reference or by name) with `block_public_acls` and `block_public_policy` set. Like
#   Checkov's graph check, the other two flags are their own rules (GH-AWS-022, GH-AWS-023). A
#   flag whose planned value is unknown but configured counts as set.
# custom:
#   id: GH-AWS-064
#   severity: high
#   checkov: CKV2_AWS_6
#   input: terraform
#   remediation: Add an `aws_s3_bucket_public_access_block` for the bucket with all four flags true.
#   before: |
#     resource "aws_s3_bucket" "logs" {
#       bucket = "acme-logs"
#     }
#   after: |
#     resource "aws_s3_bucket" "logs" {
#       bucket = "acme-logs"
#     }
#     resource "aws_s3_bucket_public_access_block" "logs" {
#       bucket                  = aws_s3_bucket.logs.id
#       block_public_acls       = true
#       block_public_policy     = true
#       ignore_public_acls      = true
#       restrict_public_buckets = true
#     }
#   references:
#     - https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
deny_bucket_without_public_access_block contains result if {
	some b in tf.resources("aws_s3_bucket")
	not bucket_blocks_public_access(b)
	result := tf.result(b, "bucket", sprintf("S3 bucket '%s' has no public access block that sets block_public_acls and block_public_policy.", [b.address]))
}

blocking_targets := {t |
	some p in tf.resources("aws_s3_bucket_public_access_block")
	tf.effective(p, "block_public_acls", false) != false
	tf.effective(p, "block_public_policy", false) != false
	some t in bucket_targets(p)
}

bucket_blocks_public_access(b) if named_in(b, blocking_targets)

# METADATA
# title: S3 bucket versioning is not enabled
# description: |
#   Versioning lets you recover overwritten or deleted objects. A bucket passes with an inline
#   `versioning { enabled = true }` (AWS provider < 4) or a connected `aws_s3_bucket_versioning`
#   whose status is `Enabled`; a bucket without either fails, like Checkov's graph check.
# custom:
#   id: GH-AWS-024
#   severity: low
#   checkov: CKV_AWS_21
#   input: terraform
#   remediation: Add an `aws_s3_bucket_versioning` resource with `status = "Enabled"` for the bucket.
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
	some b in tf.resources("aws_s3_bucket")
	not bucket_versioned(b)
	result := tf.result(b, "versioning", sprintf("S3 bucket '%s' does not have versioning enabled.", [b.address]))
}

bucket_versioned(b) if {
	some v in tf.list(b.values.versioning)
	v.enabled == true
}

enabled_versioning_targets := {t |
	some c in tf.resources("aws_s3_bucket_versioning")
	some v in tf.list(c.values.versioning_configuration)
	v.status == "Enabled"
	some t in bucket_targets(c)
}

bucket_versioned(b) if named_in(b, enabled_versioning_targets)

# An inline `versioning` block set from an expression known only after apply is not reported
# (with AWS provider 4+ `versioning` is unknown on every bucket but not configured: that is the
# provider's computed value, not the user's choice, and does not count).
bucket_versioned(b) if {
	tf.unknown(b, "versioning")
	tf.configured(b, "versioning")
}

# METADATA
# title: S3 bucket is not encrypted with KMS
# description: |
#   S3 encrypts with S3-managed keys (AES256) by default; a KMS key adds key policies, audit trails and
#   revocation. A bucket passes when its inline or connected server-side encryption configuration
#   uses `aws:kms` (or `aws:kms:dsse`), and fails otherwise, including with no configuration at all
#   (Checkov's graph check CKV_AWS_145).
# custom:
#   id: GH-AWS-025
#   severity: medium
#   checkov: CKV_AWS_145
#   input: terraform
#   remediation: Set `sse_algorithm = "aws:kms"` (with `kms_master_key_id`) in the bucket's encryption configuration.
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
	some b in tf.resources("aws_s3_bucket")
	count(inline_sse_algorithms(b) & kms_algorithms) == 0
	not named_in(b, kms_targets)
	algorithms := sse_algorithms(b)
	result := tf.result(b, "server_side_encryption_configuration", sprintf("S3 bucket '%s' is not encrypted with a KMS key (%s).", [b.address, describe_algorithms(algorithms)]))
}

describe_algorithms(algorithms) := "no encryption configuration" if count(algorithms) == 0

describe_algorithms(algorithms) := concat(", ", sort(algorithms)) if count(algorithms) > 0

bucket_has_bad_algorithm(b) if {
	some a in inline_sse_algorithms(b)
	not a in allowed_algorithms
}

bucket_has_bad_algorithm(b) if named_in(b, bad_algorithm_targets)

# METADATA
# title: S3 bucket encryption uses an unknown algorithm
# description: |
#   Every bucket is encrypted at rest (S3 applies SSE-S3 by default since January 2023), so a bucket
#   without an encryption configuration passes; one whose inline or connected configuration names an
#   algorithm other than `AES256`, `aws:kms` or `aws:kms:dsse` fails (Checkov's graph check
#   CKV_AWS_19).
# custom:
#   id: GH-AWS-065
#   severity: low
#   checkov: CKV_AWS_19
#   input: terraform
#   remediation: Use `sse_algorithm = "aws:kms"` (preferred) or `"AES256"`.
#   before: |
#     apply_server_side_encryption_by_default {
#       sse_algorithm = "none"
#     }
#   after: |
#     apply_server_side_encryption_by_default {
#       sse_algorithm = "aws:kms"
#     }
#   references:
#     - https://docs.aws.amazon.com/AmazonS3/latest/userguide/default-bucket-encryption.html
deny_sse_unknown_algorithm contains result if {
	some b in tf.resources("aws_s3_bucket")
	bucket_has_bad_algorithm(b)
	some a in sse_algorithms(b)
	is_string(a)
	not a in allowed_algorithms
	result := tf.result(b, "server_side_encryption_configuration", sprintf("S3 bucket '%s' uses encryption algorithm '%s'.", [b.address, a]))
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
