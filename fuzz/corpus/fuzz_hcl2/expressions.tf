variable "region" {
  type    = string
  default = "eu-west-1"
}

locals {
  name   = "app-${var.env}"
  tags   = merge(var.tags, { Name = local.name })
  count  = length(var.subnets) > 0 ? 2 : 1
  ports  = [for p in var.ports : p * 2]
  plain  = "${var.region}"
  lit    = "${true}"
  neg    = -1
  ratio  = 0.75
  nested = { a = { b = [1, "two", null] }, "quoted key" = 3 }
  cond   = "%{if var.enabled}on%{else}off%{endif}"
  loop   = "%{for i, s in var.list}${s},%{endfor}"
  policy = <<-EOT
    {
      "Version": "2012-10-17"
    }
  EOT
}

resource "aws_s3_bucket" "b" {
  bucket = "my-bucket-${var.env}"
  acl    = "private"

  versioning {
    enabled = true
  }

  lifecycle_rule {
    id      = "a"
    enabled = true
  }

  lifecycle_rule {
    id      = "b"
    enabled = false
  }
}

resource "aws_s3_bucket" "c" {
  bucket = aws_s3_bucket.b.id
}

module "vpc" {
  source = "terraform-aws-modules/vpc/aws"
  cidr   = "10.0.0.0/16"
}

terraform {
  required_version = ">= 1.5"
  backend "s3" {
    bucket = "state"
  }
}
