#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Consumer side of the control plane: interface endpoints, acceptance,
# principals, what each side sees of the other, and who may do what.

source "$(dirname "$0")/lib/plink.sh"
require_plink
setup_ns P C1 C2 || exit $ksft_fail

ip -n "$P" link add nlb0 type plink
ip -n "$P" link set nlb0 up
for ns in "$C1" "$C2"; do
	ip -n "$ns" link add pl0 type plink
	ip -n "$ns" link set pl0 up
done
plinkctl -n "$P" service add web dev nlb0 addr 10.0.0.100 listener tcp:80:8080 \
	allow uid:0
plinkctl -n "$P" service add closed dev nlb0 addr 10.0.0.101 listener tcp:80
plinkctl -n "$P" service add other dev nlb0 addr 10.0.0.102 listener tcp:80 \
	allow uid:4242

# What a consumer sees of services
s=$(plinkctl -n "$C1" -j service show)
expect_eq "a consumer lists the services its principal may use" \
	"$(jq -r 'map(.name) | join(",")' <<<"$s")" web
expect_eq "and sees only their id, name, owner, listeners and acceptance" \
	"$(jq -c '.[0] | keys' <<<"$s")" '["acceptance","id","listeners","name","owner_uid"]'
expect_eq "but no target port" "$(jq -c '.[0].listeners' <<<"$s")" \
	'[{"proto":"tcp","listener_port":80}]'
expect_fail "a closed service is invisible" "no such service" \
	plinkctl -n "$C1" service show closed

# Create
id=$(plinkctl -n "$C1" endpoint add web dev pl0 addr 10.0.0.5)
expect_eq "endpoint add prints its id" \
	"$(grep -cE '^plep-[0-9a-f]{16}$' <<<"$id")" 1
e=$(plinkctl -n "$C1" -j endpoint show "$id")
expect_eq "consumer view" \
	"$(jq -c '.[0] | [.service, .dev, .endpoint_addrs, .state, .owner_uid]' <<<"$e")" \
	'["web","pl0",["10.0.0.5"],"pending-acceptance",0]'
expect_eq "device is bound as endpoint" \
	"$(plinkctl -n "$C1" -j dev show pl0 | jq -r '.[0].binding')" endpoint
expect_eq "host route to the endpoint address on pl0" \
	"$(ip -n "$C1" -j route get 10.0.0.5 | jq -r '.[0].dev')" pl0
e=$(plinkctl -n "$P" -j endpoint show)
expect_eq "the provider sees the request, not the consumer's netns" \
	"$(jq -c '.[0] | [.id == "'"$id"'", .state, .owner_uid, has("endpoint_addrs"), has("ifindex")]' <<<"$e")" \
	'[true,"pending-acceptance",0,false,false]'
expect_eq "the provider's service counts it" \
	"$(plinkctl -n "$P" -j service show web | jq '.[0].n_endpoints')" 1

# Errors
expect_fail "unknown service" "no such service" \
	plinkctl -n "$C2" endpoint add nosuch dev pl0 addr 10.0.0.5
expect_fail "closed service: as if it did not exist" "^plinkctl: no such service$" \
	plinkctl -n "$C2" endpoint add closed dev pl0 addr 10.0.0.5
expect_fail "service for another principal: as if it did not exist" \
	"^plinkctl: no such service$" \
	plinkctl -n "$C2" endpoint add other dev pl0 addr 10.0.0.5
expect_fail "address family the service lacks" "no NLB address of the endpoint address's family" \
	plinkctl -n "$C2" endpoint add web dev pl0 addr 2001:db8::5
expect_fail "same address twice on a device" "address is used by another endpoint" \
	plinkctl -n "$C1" endpoint add web dev pl0 addr 10.0.0.5
expect_fail "rule prefix length 33" "33|prefix" \
	plinkctl -n "$C2" endpoint add web dev pl0 addr 10.0.0.5 allow 10.0.0.0/33
expect_fail "rule prefix with host bits" "host bits" \
	plinkctl -n "$C2" endpoint add web dev pl0 addr 10.0.0.5 allow 10.0.0.1/8
expect_fail "endpoint on the NLB device" "NLB device and cannot hold endpoints" \
	plinkctl -n "$P" endpoint add web dev nlb0 addr 10.0.0.9
expect_fail "service on an endpoint device" "device holds endpoints" \
	plinkctl -n "$C1" service add mine dev pl0 addr 10.9.9.9 listener tcp:80
expect_fail "the consumer cannot accept its own endpoint" \
	"only the service's provider can accept" plinkctl -n "$C1" endpoint accept "$id"
expect_fail "the provider cannot delete the consumer's endpoint" \
	"only the endpoint's consumer can delete it" plinkctl -n "$P" endpoint del "$id"
expect_fail "a third netns cannot see the endpoint" "no such endpoint" \
	plinkctl -n "$C2" endpoint show "$id"
expect_fail "a third netns cannot accept it" "no such endpoint" \
	plinkctl -n "$C2" endpoint accept "$id"

# Rules
id2=$(plinkctl -n "$C2" endpoint add web dev pl0 addr 10.0.0.5 \
	allow 192.168.0.0/16 allow 172.16.0.0/12 tcp:80-90 allow 2001:db8::/32 udp:53)
expect_eq "rules kept" \
	"$(plinkctl -n "$C2" -j endpoint show "$id2" | jq -c '[.[0].rules[] | [.prefix, .proto, .min_port, .max_port]]')" \
	'[["192.168.0.0/16",null,null,null],["172.16.0.0/12","tcp",80,90],["2001:db8::/32","udp",53,53]]'
expect_eq "each consumer sees only its own endpoints" \
	"$(plinkctl -n "$C2" -j endpoint show | jq -r 'map(.id) | join(",")')" "$id2"

# Acceptance
expect_ok "the provider accepts" plinkctl -n "$P" endpoint accept "$id"
expect_eq "available on both sides" \
	"$(plinkctl -n "$C1" -j endpoint show "$id" | jq -r '.[0].state')/$(plinkctl -n "$P" -j endpoint show "$id" | jq -r '.[0].state')" \
	available/available
expect_fail "accepting twice" "already available" plinkctl -n "$P" endpoint accept "$id"
expect_ok "the provider rejects the other" plinkctl -n "$P" endpoint reject "$id2"
expect_eq "rejected" "$(plinkctl -n "$C2" -j endpoint show "$id2" | jq -r '.[0].state')" rejected
expect_fail "a rejected endpoint cannot be accepted" "endpoint was rejected" \
	plinkctl -n "$P" endpoint accept "$id2"
expect_ok "the consumer deletes its rejected endpoint" plinkctl -n "$C2" endpoint del "$id2"
expect_eq "its route is gone" "$(ip -n "$C2" route show 10.0.0.5/32 | wc -l)" 0
expect_eq "the device is unbound" \
	"$(plinkctl -n "$C2" -j dev show pl0 | jq -r '.[0].binding')" none

plinkctl -n "$P" service set web acceptance auto
id3=$(plinkctl -n "$C2" endpoint add web dev pl0 addr 10.0.0.6)
expect_eq "acceptance auto: available at once" \
	"$(plinkctl -n "$C2" -j endpoint show "$id3" | jq -r '.[0].state')" available

# Deleting a service
expect_fail "a service with available endpoints is not deleted" \
	"service has available endpoints" plinkctl -n "$P" service del web
expect_ok "reject them, then delete" bash -c \
	"plinkctl -n $P endpoint reject $id && plinkctl -n $P endpoint reject $id3 &&
	 plinkctl -n $P service del web"
expect_eq "the consumers see their endpoints deleted" \
	"$(plinkctl -n "$C1" -j endpoint show "$id" | jq -r '.[0].state')/$(plinkctl -n "$C2" -j endpoint show "$id3" | jq -r '.[0].state')" \
	deleted/deleted
expect_eq "the provider no longer sees them" \
	"$(plinkctl -n "$P" -j endpoint show | jq length)" 0
expect_ok "a deleted endpoint is deleted by its consumer" \
	plinkctl -n "$C1" endpoint del "$id"

plinkctl -n "$P" service add web dev nlb0 addr 10.0.0.100 listener tcp:80 \
	allow '*' acceptance auto
plinkctl -n "$C1" endpoint add web dev pl0 addr 10.0.0.5 >/dev/null
expect_fail "available endpoints hold the service" "available endpoints" \
	plinkctl -n "$P" service del web
expect_ok "service del force" plinkctl -n "$P" service del web force
expect_eq "forced: the endpoint is deleted" \
	"$(plinkctl -n "$C1" -j endpoint show | jq -r '.[0].state')" deleted

exit "$EXIT_STATUS"
