package gatehouse.terraform.aws_logging_test

import data.gatehouse.terraform.aws_logging as lg
import rego.v1

good := {"enable_log_file_validation": true, "is_multi_region_trail": true, "enable_logging": true, "kms_key_id": "arn:aws:kms:us-east-1:1:key/k"}

trail(values, unknown, configured) := {"resources": [{"address": "aws_cloudtrail.t", "type": "aws_cloudtrail", "name": "t", "values": values, "unknown": unknown, "configured": configured}]}

with_(values) := trail(object.union(good, values), {}, ["kms_key_id"])

test_compliant_trail_passes if {
	count(lg.deny_no_log_validation) == 0 with input as with_({})
	count(lg.deny_single_region) == 0 with input as with_({})
	count(lg.deny_no_kms) == 0 with input as with_({})
	count(lg.deny_logging_stopped) == 0 with input as with_({})
}

test_validation_and_multi_region if {
	count(lg.deny_no_log_validation) == 1 with input as with_({"enable_log_file_validation": false})
	count(lg.deny_single_region) == 1 with input as with_({"is_multi_region_trail": false})
}

test_kms_reference_to_new_key_counts_as_set if {
	count(lg.deny_no_kms) == 0 with input as trail(object.remove(good, ["kms_key_id"]), {"kms_key_id": true}, ["kms_key_id"])
	count(lg.deny_no_kms) == 1 with input as trail(object.union(good, {"kms_key_id": null}), {}, [])
}

test_logging_stopped if {
	count(lg.deny_logging_stopped) == 1 with input as with_({"enable_logging": false})
	count(lg.deny_logging_stopped) == 0 with input as trail(object.remove(good, ["enable_logging"]), {}, [])
}

key(values) := {"resources": [{"address": "aws_kms_key.k", "type": "aws_kms_key", "name": "k", "values": values, "unknown": {}}]}

test_kms_rotation if {
	count(lg.deny_kms_no_rotation) == 0 with input as key({"enable_key_rotation": true})
	count(lg.deny_kms_no_rotation) == 1 with input as key({"enable_key_rotation": false})
	count(lg.deny_kms_no_rotation) == 1 with input as key({})
	count(lg.deny_kms_no_rotation) == 0 with input as key({"enable_key_rotation": false, "customer_master_key_spec": "RSA_2048"})
}
