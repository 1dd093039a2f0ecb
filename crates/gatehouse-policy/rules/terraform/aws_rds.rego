# Amazon RDS instances: exposure, encryption, backups, deletion protection, IAM authentication.
package gatehouse.terraform.aws_rds

import data.gatehouse.lib.terraform as tf
import rego.v1

# METADATA
# title: RDS instance is publicly accessible
# description: A publicly accessible instance gets a public DNS name and IP; absent means the default (private).
# custom:
#   id: GH-AWS-010
#   severity: high
#   checkov: CKV_AWS_17
#   input: terraform
#   remediation: Set `publicly_accessible = false` and reach the database from inside the VPC.
#   before: |
#     resource "aws_db_instance" "db" {
#       publicly_accessible = true
#     }
#   after: |
#     resource "aws_db_instance" "db" {
#       publicly_accessible = false
#     }
#   references:
#     - https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.WorkingWithRDSInstanceinaVPC.html
deny_public contains result if {
	some r in tf.resources("aws_db_instance")
	r.values.publicly_accessible == true
	result := tf.result(r, "publicly_accessible", sprintf("RDS instance '%s' is publicly accessible.", [r.address]))
}

deny_public contains result if {
	some r in tf.resources("aws_rds_cluster_instance")
	r.values.publicly_accessible == true
	result := tf.result(r, "publicly_accessible", sprintf("RDS cluster instance '%s' is publicly accessible.", [r.address]))
}

# METADATA
# title: RDS instance storage is not encrypted
# description: "`storage_encrypted` must be true; the provider default is false, so an absent value fails."
# custom:
#   id: GH-AWS-011
#   severity: high
#   checkov: CKV_AWS_16
#   input: terraform
#   remediation: Set `storage_encrypted = true` (and `kms_key_id` for a customer managed key). Existing instances need a snapshot-restore.
#   before: |
#     resource "aws_db_instance" "db" {
#       storage_encrypted = false
#     }
#   after: |
#     resource "aws_db_instance" "db" {
#       storage_encrypted = true
#     }
#   references:
#     - https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html
deny_unencrypted contains result if {
	some r in tf.resources("aws_db_instance")
	tf.effective(r, "storage_encrypted", false) == false
	result := tf.result(r, "storage_encrypted", sprintf("RDS instance '%s' storage is not encrypted.", [r.address]))
}

# METADATA
# title: RDS instance has no automated backups
# description: "`backup_retention_period` must be between 1 and 35 days; 0 disables backups. Absent means the provider default (1)."
# custom:
#   id: GH-AWS-012
#   severity: medium
#   checkov: CKV_AWS_133
#   input: terraform
#   remediation: Set `backup_retention_period` to 7 or more days.
#   before: |
#     resource "aws_db_instance" "db" {
#       backup_retention_period = 0
#     }
#   after: |
#     resource "aws_db_instance" "db" {
#       backup_retention_period = 14
#     }
#   references:
#     - https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithAutomatedBackups.html
deny_no_backups contains result if {
	some r in array.concat(tf.resources("aws_db_instance"), tf.resources("aws_rds_cluster"))
	period := r.values.backup_retention_period
	period != null
	not backups_on(period)
	result := tf.result(r, "backup_retention_period", sprintf("'%s' has backup_retention_period %v; use 1-35 days.", [r.address, period]))
}

backups_on(period) if {
	n := to_number(period)
	n > 0
	n <= 35
}

# METADATA
# title: RDS instance has no deletion protection
# description: "`deletion_protection` must be true; absent means the provider default (false)."
# custom:
#   id: GH-AWS-013
#   severity: low
#   checkov: CKV_AWS_293
#   input: terraform
#   remediation: Set `deletion_protection = true`.
#   before: |
#     resource "aws_db_instance" "db" {
#       deletion_protection = false
#     }
#   after: |
#     resource "aws_db_instance" "db" {
#       deletion_protection = true
#     }
#   references:
#     - https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_DeleteInstance.html
deny_no_deletion_protection contains result if {
	some r in tf.resources("aws_db_instance")
	tf.effective(r, "deletion_protection", false) == false
	result := tf.result(r, "deletion_protection", sprintf("RDS instance '%s' has no deletion protection.", [r.address]))
}

# METADATA
# title: RDS instance has no IAM database authentication
# description: "`iam_database_authentication_enabled` must be true so people log in with short-lived IAM tokens; absent means false."
# custom:
#   id: GH-AWS-014
#   severity: low
#   checkov: CKV_AWS_161
#   input: terraform
#   remediation: Set `iam_database_authentication_enabled = true`.
#   before: |
#     resource "aws_db_instance" "db" {
#       iam_database_authentication_enabled = false
#     }
#   after: |
#     resource "aws_db_instance" "db" {
#       iam_database_authentication_enabled = true
#     }
#   references:
#     - https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.IAMDBAuth.html
deny_no_iam_auth contains result if {
	some r in tf.resources("aws_db_instance")
	tf.effective(r, "iam_database_authentication_enabled", false) == false
	result := tf.result(r, "iam_database_authentication_enabled", sprintf("RDS instance '%s' has IAM database authentication disabled.", [r.address]))
}
