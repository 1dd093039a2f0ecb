# AWS IAM policy documents: wildcard actions and administrator access.
package gatehouse.terraform.aws_iam

import data.gatehouse.lib.terraform as tf
import rego.v1

policy_types := {"aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy"}

# [resource, statement] for every Allow statement with an Action of a known policy document.
allow_statements := [[r, s] |
	some r in input.resources
	r.type in policy_types
	is_string(r.values.policy)
	json.is_valid(r.values.policy)
	doc := json.unmarshal(r.values.policy)
	some s in as_list(doc.Statement)
	object.get(s, "Effect", "Allow") == "Allow"
	s.Action
]

as_list(x) := x if is_array(x)

as_list(x) := [x] if not is_array(x)

# METADATA
# title: IAM policy grants full administrator access
# description: An Allow statement with Action `*` on Resource `*` gives every permission in the account.
# custom:
#   id: GH-AWS-030
#   severity: critical
#   checkov: CKV_AWS_62
#   input: terraform
#   remediation: Grant the specific actions and resources the principal needs; use AWS managed job-function policies as a start.
#   before: |
#     policy = jsonencode({Statement = [{Effect = "Allow", Action = "*", Resource = "*"}]})
#   after: |
#     policy = jsonencode({Statement = [{Effect = "Allow", Action = ["s3:GetObject"], Resource = [aws_s3_bucket.data.arn]}]})
#   references:
#     - https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege
deny_admin contains result if {
	some [r, s] in allow_statements
	"*" in as_list(s.Action)
	"*" in as_list(object.get(s, "Resource", ""))
	result := tf.result(r, "policy", sprintf("IAM policy '%s' allows '*' on '*' (full administrator).", [r.address]))
}

# METADATA
# title: IAM policy allows every action
# description: An Allow statement with Action `*` grants every current and future action, whatever the resource.
# custom:
#   id: GH-AWS-031
#   severity: high
#   checkov: CKV_AWS_63
#   input: terraform
#   remediation: List the actions the principal needs instead of `*`.
#   before: |
#     policy = jsonencode({Statement = [{Effect = "Allow", Action = ["*"], Resource = "arn:aws:s3:::data/*"}]})
#   after: |
#     policy = jsonencode({Statement = [{Effect = "Allow", Action = ["s3:GetObject"], Resource = "arn:aws:s3:::data/*"}]})
#   references:
#     - https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege
deny_star_action contains result if {
	some [r, s] in allow_statements
	"*" in as_list(s.Action)
	result := tf.result(r, "policy", sprintf("IAM policy '%s' allows Action '*'.", [r.address]))
}
