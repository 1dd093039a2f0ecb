# AWS load balancer listeners: plain HTTP and weak TLS policies.
package gatehouse.terraform.aws_lb

import data.gatehouse.lib.terraform as tf
import rego.v1

listeners := array.concat(tf.resources("aws_lb_listener"), tf.resources("aws_alb_listener"))

redirects_to_https(r) if {
	some a in tf.list(r.values.default_action)
	a.type == "redirect"
	some rd in tf.list(a.redirect)
	rd.protocol == "HTTPS"
}

# METADATA
# title: Load balancer listener serves plain HTTP
# description: |
#   An HTTP listener must only redirect to HTTPS. HTTPS, TLS, TCP, UDP and TCP_UDP listeners pass;
#   an unknown protocol is not decided.
# custom:
#   id: GH-AWS-050
#   severity: high
#   checkov: CKV_AWS_2
#   input: terraform
#   remediation: Serve HTTPS, and make the port 80 listener a redirect to HTTPS.
#   before: |
#     resource "aws_lb_listener" "http" {
#       protocol = "HTTP"
#       default_action { type = "forward" }
#     }
#   after: |
#     resource "aws_lb_listener" "http" {
#       protocol = "HTTP"
#       default_action {
#         type = "redirect"
#         redirect { protocol = "HTTPS", port = "443", status_code = "HTTP_301" }
#       }
#     }
#   references:
#     - https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-listeners.html
deny_http_listener contains result if {
	some r in listeners
	not tf.unknown(r, "protocol")
	protocol := tf.value_or(r, "protocol", "missing")
	not protocol in {"HTTPS", "TLS", "TCP", "UDP", "TCP_UDP"}
	not redirects_to_https(r)
	result := tf.result(r, "protocol", sprintf("Listener '%s' serves %s without redirecting to HTTPS.", [r.address, protocol]))
}

# METADATA
# title: Load balancer listener allows TLS older than 1.2
# description: |
#   HTTPS/TLS listeners need an `ssl_policy` starting with `ELBSecurityPolicy-TLS13`,
#   `ELBSecurityPolicy-TLS-1-2` or `ELBSecurityPolicy-FS-1-2`; TCP/UDP listeners and HTTP listeners
#   that redirect to HTTPS pass; any other HTTP listener fails, as in Checkov.
#   Differs from Checkov: CKV_AWS_103 also passes listeners of Gateway load balancers through the
#   resource graph; gatehouse reads the listener alone.
# custom:
#   id: GH-AWS-051
#   severity: medium
#   checkov: CKV_AWS_103
#   input: terraform
#   remediation: Set `ssl_policy = "ELBSecurityPolicy-TLS13-1-2-2021-06"`.
#   before: |
#     resource "aws_lb_listener" "https" {
#       protocol   = "HTTPS"
#       ssl_policy = "ELBSecurityPolicy-2016-08"
#     }
#   after: |
#     resource "aws_lb_listener" "https" {
#       protocol   = "HTTPS"
#       ssl_policy = "ELBSecurityPolicy-TLS13-1-2-2021-06"
#     }
#   references:
#     - https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html
deny_weak_tls contains result if {
	some r in listeners
	not tf.unknown(r, "protocol")
	protocol := tf.value_or(r, "protocol", "missing")
	not protocol in {"TCP", "UDP", "TCP_UDP"}
	not strong_tls(r, protocol)
	not redirects_to_https(r)
	result := tf.result(r, "ssl_policy", sprintf("Listener '%s' (%s) does not enforce TLS 1.2 or newer.", [r.address, protocol]))
}

strong_tls(r, protocol) if {
	protocol in {"HTTPS", "TLS"}
	policy := tf.value_or(r, "ssl_policy", "")
	some prefix in ["ELBSecurityPolicy-FS-1-2", "ELBSecurityPolicy-TLS-1-2", "ELBSecurityPolicy-TLS13"]
	startswith(policy, prefix)
}

strong_tls(r, protocol) if {
	protocol in {"HTTPS", "TLS"}
	tf.unknown(r, "ssl_policy")
}
