package gatehouse.terraform.aws_lb_test

import data.gatehouse.terraform.aws_lb as lb
import rego.v1

listener(values, unknown) := {"resources": [{"address": "aws_lb_listener.l", "type": "aws_lb_listener", "name": "l", "values": values, "unknown": unknown}]}

forward := [{"type": "forward", "redirect": []}]

redirect := [{"type": "redirect", "redirect": [{"protocol": "HTTPS", "port": "443"}]}]

test_http_listener if {
	count(lb.deny_http_listener) == 1 with input as listener({"protocol": "HTTP", "default_action": forward}, {})
	count(lb.deny_http_listener) == 0 with input as listener({"protocol": "HTTP", "default_action": redirect}, {})
	count(lb.deny_http_listener) == 0 with input as listener({"protocol": "HTTPS", "default_action": forward}, {})
	count(lb.deny_http_listener) == 0 with input as listener({"default_action": forward}, {"protocol": true})
}

test_weak_tls if {
	count(lb.deny_weak_tls) == 1 with input as listener({"protocol": "HTTPS", "ssl_policy": "ELBSecurityPolicy-2016-08", "default_action": forward}, {})
	count(lb.deny_weak_tls) == 0 with input as listener({"protocol": "HTTPS", "ssl_policy": "ELBSecurityPolicy-TLS13-1-2-2021-06", "default_action": forward}, {})
	count(lb.deny_weak_tls) == 1 with input as listener({"protocol": "HTTP", "default_action": forward}, {"ssl_policy": true})
	count(lb.deny_weak_tls) == 0 with input as listener({"protocol": "HTTP", "default_action": redirect}, {"ssl_policy": true})
	count(lb.deny_weak_tls) == 0 with input as listener({"protocol": "TCP"}, {})
}
