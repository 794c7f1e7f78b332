#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Provider side of the control plane: services and targets, their
# attributes, defaults, limits and errors, and provider isolation.

source "$(dirname "$0")/lib/plink.sh"
require_plink
setup_ns P Q || exit $ksft_fail

ip -n "$P" link add nlb0 type plink
ip -n "$P" link set nlb0 up
ip -n "$Q" link add nlb0 type plink
ip -n "$Q" link set nlb0 up

svc_json() { plinkctl -n "$1" -j service show "$2"; }

expect_ok "service add" plinkctl -n "$P" service add web dev nlb0 \
	addr 10.0.0.100 listener tcp:80:8080 listener udp:53
s=$(svc_json "$P" web)
expect_eq "one service shown" "$(jq length <<<"$s")" 1
expect_eq "generated id plsvc-<16 hex>" \
	"$(jq -r '.[0].id | test("^plsvc-[0-9a-f]{16}$")' <<<"$s")" true
expect_eq "NLB device" "$(jq -r '.[0].dev' <<<"$s")" nlb0
expect_eq "NLB addresses" "$(jq -c '.[0].nlb_addrs' <<<"$s")" '["10.0.0.100"]'
expect_eq "listeners" "$(jq -c '.[0].listeners' <<<"$s")" \
	'[{"proto":"tcp","listener_port":80,"target_port":8080},{"proto":"udp","listener_port":53,"target_port":53}]'
expect_eq "acceptance defaults to required" "$(jq -r '.[0].acceptance' <<<"$s")" required
expect_eq "a new service allows nobody" "$(jq -c '.[0].principals // []' <<<"$s")" '[]'
expect_eq "default timeouts 350/120, deregistration delay 300" \
	"$(jq -r '.[0] | "\(.timeout_tcp)/\(.timeout_udp)/\(.deregistration_delay)"' <<<"$s")" \
	"350/120/300"
expect_eq "state available" "$(jq -r '.[0].state' <<<"$s")" available
expect_eq "device is bound as NLB" \
	"$(plinkctl -n "$P" -j dev show nlb0 | jq -r '.[0].binding')" nlb
expect_eq "host route to the NLB address on nlb0" \
	"$(ip -n "$P" -j route get 10.0.0.100 | jq -r '.[0].dev')" nlb0

expect_fail "duplicate name" "a service with this name exists" \
	plinkctl -n "$P" service add web dev nlb0 addr 10.0.0.101 listener tcp:80
expect_fail "names are per owner: root's own name from another netns" \
	"a service with this name exists" \
	plinkctl -n "$Q" service add web dev nlb0 addr 10.0.0.101 listener tcp:80
expect_fail "bad name" "service name must be" \
	plinkctl -n "$P" service add "bad/name" dev nlb0 addr 10.0.0.102 listener tcp:80
expect_fail "NLB address already used on the device" "NLB address is used" \
	plinkctl -n "$P" service add web2 dev nlb0 addr 10.0.0.100 listener tcp:81
expect_ok "the same NLB address in another netns (overlapping CIDRs)" \
	plinkctl -n "$Q" service add web-q dev nlb0 addr 10.0.0.100 listener tcp:80
expect_fail "port 0" "port" \
	plinkctl -n "$P" service add web3 dev nlb0 addr 10.0.0.103 listener tcp:0
# plinkctl refuses what the spec's ranges refuse before sending it (the
# policy's own answers: ynl.sh).
expect_fail "TCP timeout below 60 s: refused, with the range" \
	'^plinkctl: invalid timeout tcp "59" \(60-6000\)$' \
	plinkctl -n "$P" service add web3 dev nlb0 addr 10.0.0.103 listener tcp:80 timeout tcp 59
expect_fail "UDP timeout above 6000 s: refused, with the range" '\(60-6000\)' \
	plinkctl -n "$P" service add web3 dev nlb0 addr 10.0.0.103 listener tcp:80 timeout udp 6001
expect_fail "deregistration delay above 3600 s: refused, with the range" '\(0-3600\)' \
	plinkctl -n "$P" service add web3 dev nlb0 addr 10.0.0.103 listener tcp:80 deregistration-delay 3601
expect_fail "max-flows 0: refused, with the range" '\(1-4194304\)' \
	plinkctl -n "$P" service add web3 dev nlb0 addr 10.0.0.103 listener tcp:80 max-flows 0
expect_fail "bad principal" 'invalid principal "bob"' \
	plinkctl -n "$P" service add web3 dev nlb0 addr 10.0.0.103 listener tcp:80 allow bob
expect_fail "service on a non-plink device" "not a plink device" \
	plinkctl -n "$P" service add web3 dev lo addr 10.0.0.103 listener tcp:80
listeners=()
for port in $(seq 1 51); do listeners+=(listener "tcp:$port"); done
expect_fail "51 listeners" "too many listeners" \
	plinkctl -n "$P" service add web3 dev nlb0 addr 10.0.0.103 "${listeners[@]}"
expect_fail "duplicate listener" "duplicate listener" \
	plinkctl -n "$P" service add web3 dev nlb0 addr 10.0.0.103 listener tcp:80 listener tcp:80
expect_eq "failed adds left nothing behind" \
	"$(plinkctl -n "$P" -j service show | jq -r 'map(.name) | join(",")')" web

expect_ok "service set" plinkctl -n "$P" service set web acceptance auto \
	allow uid:0 allow uid:1000 timeout tcp 600 deregistration-delay 0
s=$(svc_json "$P" web)
expect_eq "set: acceptance, principals, timeouts" \
	"$(jq -c '.[0] | [.acceptance, .principals, .timeout_tcp, .timeout_udp, .deregistration_delay]' <<<"$s")" \
	'["auto",["uid:0","uid:1000"],600,120,0]'
expect_ok "service set replaces listeners" plinkctl -n "$P" service set web listener tcp:443:8443
expect_eq "listeners replaced" "$(svc_json "$P" web | jq -c '[.[0].listeners[].listener_port]')" '[443]'
expect_fail "set from another netns: the service does not exist there" "no such service" \
	plinkctl -n "$Q" service set web acceptance required

# targets
expect_ok "target add with port, weight and zone" \
	plinkctl -n "$P" target add web 192.168.1.10:8080 weight 10 zone az1
expect_ok "target add without port" plinkctl -n "$P" target add web 192.168.1.11
t=$(plinkctl -n "$P" -j target show web)
expect_eq "targets listed" "$(jq -c 'map([.target_addr, .target_port, .weight, .health]) ' <<<"$t")" \
	'[["192.168.1.10",8080,10,"unused"],["192.168.1.11",0,1,"unused"]]'
expect_eq "zone" "$(jq -r '.[0].zone' <<<"$t")" az1
expect_fail "duplicate target" "target exists" \
	plinkctl -n "$P" target add web 192.168.1.10:8080
expect_fail "weight 1000" "range|999" \
	plinkctl -n "$P" target add web 192.168.1.12 weight 1000
expect_ok "weight 999" plinkctl -n "$P" target add web 192.168.1.12 weight 999
expect_fail "IPv6 target on an IPv4-only service" "no NLB address of the target's family" \
	plinkctl -n "$P" target add web "[2001:db8::10]:8080"
expect_ok "target set health down, weight 0" \
	plinkctl -n "$P" target set web 192.168.1.10:8080 health down weight 0
expect_eq "target set" \
	"$(plinkctl -n "$P" -j target show web | jq -c '.[] | select(.target_port == 8080) | [.health, .weight]')" \
	'["unhealthy",0]'
expect_fail "target of an unknown service" "no such service" \
	plinkctl -n "$P" target add nosuch 192.168.1.10
expect_fail "target add from another netns" "no such service" \
	plinkctl -n "$Q" target add web 192.168.1.20
expect_eq "another netns sees no targets of the service" \
	"$(plinkctl -n "$Q" -j target show | jq length)" 0
expect_ok "target del" plinkctl -n "$P" target del web 192.168.1.11
expect_fail "target del of a missing target" "no such target" \
	plinkctl -n "$P" target del web 192.168.1.11
expect_eq "service counts its targets" "$(svc_json "$P" web | jq '.[0].n_targets')" 2

# IPv6
expect_ok "IPv6 service" plinkctl -n "$P" service add web6 dev nlb0 \
	addr 2001:db8::100 addr 10.0.0.106 listener tcp:443
expect_ok "IPv6 target" plinkctl -n "$P" target add web6 "[2001:db8:1::10]:8443"
expect_fail "dropping the family a target uses" "address family" \
	plinkctl -n "$P" service set web6 addr 10.0.0.106
expect_eq "host route to the IPv6 NLB address" \
	"$(ip -n "$P" -j -6 route get 2001:db8::100 | jq -r '.[0].dev')" nlb0

# deletion
expect_fail "delete from another netns" "no such service" plinkctl -n "$Q" service del web
expect_ok "service del" plinkctl -n "$P" service del web
expect_fail "deleted service is gone" "no such service" plinkctl -n "$P" service show web
expect_eq "its host route is gone" \
	"$(ip -n "$P" route show 10.0.0.100/32 | wc -l)" 0
expect_eq "device still NLB for web6" \
	"$(plinkctl -n "$P" -j dev show nlb0 | jq -r '.[0].binding')" nlb
expect_ok "service del web6" plinkctl -n "$P" service del web6
expect_eq "device unbound once its last service is gone" \
	"$(plinkctl -n "$P" -j dev show nlb0 | jq -r '.[0].binding')" none

# Deleting the NLB device takes its services along.
plinkctl -n "$Q" target add web-q 192.168.9.9
expect_ok "delete the NLB device of web-q" ip -n "$Q" link del nlb0
expect_eq "web-q is gone with its device" "$(plinkctl -n "$Q" -j service show | jq length)" 0

exit "$EXIT_STATUS"
