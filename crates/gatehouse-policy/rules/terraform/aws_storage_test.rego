package gatehouse.terraform.aws_storage_test

import data.gatehouse.terraform.aws_storage as st
import rego.v1

one(type, values, unknown, configured) := {"resources": [{"address": sprintf("%s.x", [type]), "type": type, "name": "x", "values": values, "unknown": unknown, "configured": configured}]}

flags := {"block_public_acls": true, "block_public_policy": true, "ignore_public_acls": true, "restrict_public_buckets": true}

pab(values) := one("aws_s3_bucket_public_access_block", values, {"bucket": true}, ["bucket"])

test_public_access_block_flags if {
	count(st.deny_pab_block_public_acls) == 0 with input as pab(flags)
	count(st.deny_pab_block_public_policy) == 0 with input as pab(flags)
	count(st.deny_pab_ignore_public_acls) == 0 with input as pab(flags)
	count(st.deny_pab_restrict_public_buckets) == 0 with input as pab(flags)
	count(st.deny_pab_block_public_acls) == 1 with input as pab(object.union(flags, {"block_public_acls": false}))
	count(st.deny_pab_block_public_policy) == 1 with input as pab(object.remove(flags, ["block_public_policy"]))
	count(st.deny_pab_ignore_public_acls) == 1 with input as pab(object.union(flags, {"ignore_public_acls": false}))
	count(st.deny_pab_restrict_public_buckets) == 1 with input as pab(object.union(flags, {"restrict_public_buckets": false}))
}

test_versioning if {
	count(st.deny_versioning_disabled) == 1 with input as one("aws_s3_bucket_versioning", {"versioning_configuration": [{"status": "Suspended"}]}, {}, [])
	count(st.deny_versioning_disabled) == 0 with input as one("aws_s3_bucket_versioning", {"versioning_configuration": [{"status": "Enabled"}]}, {}, [])
	count(st.deny_versioning_disabled) == 1 with input as one("aws_s3_bucket", {"versioning": [{"enabled": false}]}, {}, [])
	count(st.deny_versioning_disabled) == 0 with input as one("aws_s3_bucket", {}, {"versioning": true}, [])
}

sse(algorithm) := one("aws_s3_bucket_server_side_encryption_configuration", {"rule": [{"apply_server_side_encryption_by_default": [{"sse_algorithm": algorithm}]}]}, {}, [])

test_sse_not_kms if {
	count(st.deny_sse_not_kms) == 1 with input as sse("AES256")
	count(st.deny_sse_not_kms) == 0 with input as sse("aws:kms")
}

test_ebs_encryption if {
	count(st.deny_ebs_unencrypted) == 0 with input as one("aws_ebs_volume", {"encrypted": true}, {}, ["encrypted"])
	count(st.deny_ebs_unencrypted) == 1 with input as one("aws_ebs_volume", {"encrypted": false}, {}, ["encrypted"])
	# Omitted: unknown in the plan, not configured, left to the account default.
	count(st.deny_ebs_unencrypted) == 1 with input as one("aws_ebs_volume", {}, {"encrypted": true}, [])
	# Configured from an expression not known until apply: not decided.
	count(st.deny_ebs_unencrypted) == 0 with input as one("aws_ebs_volume", {}, {"encrypted": true}, ["encrypted"])
}

test_ebs_cmk if {
	count(st.deny_ebs_no_cmk) == 0 with input as one("aws_ebs_volume", {"kms_key_id": "arn:aws:kms:us-east-1:1:key/x"}, {}, ["kms_key_id"])
	count(st.deny_ebs_no_cmk) == 0 with input as one("aws_ebs_volume", {}, {"kms_key_id": true}, ["kms_key_id"])
	count(st.deny_ebs_no_cmk) == 1 with input as one("aws_ebs_volume", {}, {"kms_key_id": true}, [])
	count(st.deny_ebs_no_cmk) == 1 with input as one("aws_ebs_volume", {"kms_key_id": ""}, {}, ["kms_key_id"])
}

test_efs_encryption if {
	count(st.deny_efs_unencrypted) == 0 with input as one("aws_efs_file_system", {"encrypted": true}, {}, ["encrypted"])
	count(st.deny_efs_unencrypted) == 1 with input as one("aws_efs_file_system", {"encrypted": false}, {}, ["encrypted"])
}
