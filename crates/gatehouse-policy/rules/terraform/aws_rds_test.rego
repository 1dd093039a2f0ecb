package gatehouse.terraform.aws_rds_test

import data.gatehouse.terraform.aws_rds as rds
import rego.v1

good := {
	"publicly_accessible": false,
	"storage_encrypted": true,
	"backup_retention_period": 14,
	"deletion_protection": true,
	"iam_database_authentication_enabled": true,
}

db(values) := {"resources": [{"address": "aws_db_instance.db", "type": "aws_db_instance", "name": "db", "values": values, "unknown": {}}]}

with_(values) := db(object.union(good, values))

test_compliant_instance_passes_every_rule if {
	count(rds.deny_public) == 0 with input as db(good)
	count(rds.deny_unencrypted) == 0 with input as db(good)
	count(rds.deny_no_backups) == 0 with input as db(good)
	count(rds.deny_no_deletion_protection) == 0 with input as db(good)
	count(rds.deny_no_iam_auth) == 0 with input as db(good)
}

test_public_fails_absent_passes if {
	count(rds.deny_public) == 1 with input as with_({"publicly_accessible": true})
	count(rds.deny_public) == 0 with input as db(object.remove(good, ["publicly_accessible"]))
}

test_unencrypted_or_absent_fails if {
	count(rds.deny_unencrypted) == 1 with input as with_({"storage_encrypted": false})
	count(rds.deny_unencrypted) == 1 with input as db(object.remove(good, ["storage_encrypted"]))
}

test_backups if {
	count(rds.deny_no_backups) == 1 with input as with_({"backup_retention_period": 0})
	count(rds.deny_no_backups) == 1 with input as with_({"backup_retention_period": 36})
	count(rds.deny_no_backups) == 0 with input as db(object.remove(good, ["backup_retention_period"]))
}

test_deletion_protection if {
	count(rds.deny_no_deletion_protection) == 1 with input as with_({"deletion_protection": false})
	count(rds.deny_no_deletion_protection) == 1 with input as db(object.remove(good, ["deletion_protection"]))
}

test_iam_auth if {
	count(rds.deny_no_iam_auth) == 1 with input as with_({"iam_database_authentication_enabled": false})
}
