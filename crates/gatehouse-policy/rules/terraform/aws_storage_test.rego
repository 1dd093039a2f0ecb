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

bucket(values) := {"address": "aws_s3_bucket.b", "key": "aws_s3_bucket.b", "type": "aws_s3_bucket", "name": "b", "values": values, "unknown": {}, "configured": [], "references": {}}

# A resource of `type` whose `bucket` refers to aws_s3_bucket.b by reference.
child(type, values) := {"address": sprintf("%s.c", [type]), "key": sprintf("%s.c", [type]), "type": type, "name": "c", "values": values, "unknown": {"bucket": true}, "configured": ["bucket"], "references": {"bucket": ["aws_s3_bucket.b"]}}

plan(resources) := {"resources": resources}

test_bucket_public_access_block_through_the_graph if {
	count(st.deny_bucket_without_public_access_block) == 1 with input as plan([bucket({})])
	count(st.deny_bucket_without_public_access_block) == 0 with input as plan([bucket({}), child("aws_s3_bucket_public_access_block", flags)])
	# Connected by name instead of by reference.
	by_name := object.union(child("aws_s3_bucket_public_access_block", object.union(flags, {"bucket": "acme"})), {"references": {}, "unknown": {}})
	count(st.deny_bucket_without_public_access_block) == 0 with input as plan([bucket({"bucket": "acme"}), by_name])
	# A block for another bucket does not count; one flag off fails.
	other := object.union(child("aws_s3_bucket_public_access_block", flags), {"references": {"bucket": ["aws_s3_bucket.other"]}})
	count(st.deny_bucket_without_public_access_block) == 1 with input as plan([bucket({}), other])
	count(st.deny_bucket_without_public_access_block) == 1 with input as plan([bucket({}), child("aws_s3_bucket_public_access_block", object.union(flags, {"block_public_policy": false}))])
}

test_versioning if {
	count(st.deny_versioning_disabled) == 1 with input as plan([bucket({})])
	count(st.deny_versioning_disabled) == 1 with input as plan([bucket({"versioning": [{"enabled": false}]})])
	count(st.deny_versioning_disabled) == 0 with input as plan([bucket({"versioning": [{"enabled": true}]})])
	count(st.deny_versioning_disabled) == 0 with input as plan([bucket({}), child("aws_s3_bucket_versioning", {"versioning_configuration": [{"status": "Enabled"}]})])
	count(st.deny_versioning_disabled) == 1 with input as plan([bucket({}), child("aws_s3_bucket_versioning", {"versioning_configuration": [{"status": "Suspended"}]})])
	# Computed by the provider (unknown, not configured) is not versioning; configured from an
	# expression known only after apply is not reported.
	computed := object.union(bucket({}), {"unknown": {"versioning": true}})
	count(st.deny_versioning_disabled) == 1 with input as plan([computed])
	count(st.deny_versioning_disabled) == 0 with input as plan([object.union(computed, {"configured": ["versioning"]})])
}

sse_config(algorithm) := child("aws_s3_bucket_server_side_encryption_configuration", {"rule": [{"apply_server_side_encryption_by_default": [{"sse_algorithm": algorithm}]}]})

test_sse_not_kms if {
	count(st.deny_sse_not_kms) == 1 with input as plan([bucket({})])
	count(st.deny_sse_not_kms) == 1 with input as plan([bucket({}), sse_config("AES256")])
	count(st.deny_sse_not_kms) == 0 with input as plan([bucket({}), sse_config("aws:kms")])
	inline := {"server_side_encryption_configuration": [{"rule": [{"apply_server_side_encryption_by_default": [{"sse_algorithm": "aws:kms"}]}]}]}
	count(st.deny_sse_not_kms) == 0 with input as plan([bucket(inline)])
}

test_sse_unknown_algorithm if {
	count(st.deny_sse_unknown_algorithm) == 0 with input as plan([bucket({})])
	count(st.deny_sse_unknown_algorithm) == 0 with input as plan([bucket({}), sse_config("AES256")])
	count(st.deny_sse_unknown_algorithm) == 1 with input as plan([bucket({}), sse_config("none")])
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
