package gatehouse.terraform.aws_iam_test

import data.gatehouse.terraform.aws_iam as iam
import rego.v1

policy(statements) := {"resources": [{"address": "aws_iam_policy.p", "type": "aws_iam_policy", "name": "p", "values": {"policy": json.marshal({"Version": "2012-10-17", "Statement": statements})}, "unknown": {}}]}

scoped := {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "arn:aws:s3:::data/*"}

test_admin_star_star if {
	count(iam.deny_admin) == 1 with input as policy([{"Effect": "Allow", "Action": "*", "Resource": "*"}])
	count(iam.deny_admin) == 1 with input as policy({"Action": ["*"], "Resource": ["*"]})
	count(iam.deny_admin) == 0 with input as policy([scoped])
	count(iam.deny_admin) == 0 with input as policy([{"Effect": "Deny", "Action": "*", "Resource": "*"}])
	count(iam.deny_admin) == 0 with input as policy([{"Effect": "Allow", "Action": ["*"], "Resource": "arn:aws:s3:::data/*"}])
}

test_star_action_on_any_resource if {
	count(iam.deny_star_action) == 1 with input as policy([{"Effect": "Allow", "Action": ["*"], "Resource": "arn:aws:s3:::data/*"}])
	count(iam.deny_star_action) == 0 with input as policy([scoped, {"Effect": "Allow", "Action": ["s3:*"], "Resource": "*"}])
}

test_unknown_policy_is_not_decided if {
	count(iam.deny_star_action) == 0 with input as {"resources": [{"address": "aws_iam_policy.p", "type": "aws_iam_policy", "values": {}, "unknown": {"policy": true}}]}
}

test_malformed_policy_is_not_decided if {
	count(iam.deny_admin) == 0 with input as {"resources": [{"address": "aws_iam_policy.p", "type": "aws_iam_policy", "values": {"policy": "{not json"}, "unknown": {}}]}
}
