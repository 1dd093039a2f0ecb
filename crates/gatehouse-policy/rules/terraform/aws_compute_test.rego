package gatehouse.terraform.aws_compute_test

import data.gatehouse.terraform.aws_compute as cp
import rego.v1

one(type, values) := {"resources": [{"address": sprintf("%s.x", [type]), "type": type, "name": "x", "values": values, "unknown": {}}]}

test_eks_public_endpoint if {
	count(cp.deny_eks_public_endpoint) == 1 with input as one("aws_eks_cluster", {"vpc_config": [{"endpoint_public_access": true}]})
	count(cp.deny_eks_public_endpoint) == 1 with input as one("aws_eks_cluster", {"vpc_config": [{}]})
	count(cp.deny_eks_public_endpoint) == 0 with input as one("aws_eks_cluster", {"vpc_config": [{"endpoint_public_access": false}]})
}

test_ecr_scan_on_push if {
	count(cp.deny_ecr_no_scan) == 1 with input as one("aws_ecr_repository", {"image_scanning_configuration": []})
	count(cp.deny_ecr_no_scan) == 0 with input as one("aws_ecr_repository", {"image_scanning_configuration": [{"scan_on_push": true}]})
}

test_ecr_mutable_tags if {
	count(cp.deny_ecr_mutable_tags) == 1 with input as one("aws_ecr_repository", {"image_tag_mutability": "MUTABLE"})
	count(cp.deny_ecr_mutable_tags) == 1 with input as one("aws_ecr_repository", {})
	count(cp.deny_ecr_mutable_tags) == 0 with input as one("aws_ecr_repository", {"image_tag_mutability": "IMMUTABLE"})
}

test_lambda_url_auth if {
	count(cp.deny_lambda_url_no_auth) == 1 with input as one("aws_lambda_function_url", {"authorization_type": "NONE"})
	count(cp.deny_lambda_url_no_auth) == 0 with input as one("aws_lambda_function_url", {"authorization_type": "AWS_IAM"})
}
