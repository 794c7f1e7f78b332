#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The kernel's own YNL client, tools/net/ynl/cli.py, against our spec: a
# second, independent client.  It reaches the kernel's checks that plinkctl
# makes first and so never sends (port 0, prefix length 33 or 129, a
# protocol other than TCP or UDP, weight 1000, a name too long, a Maglev
# size not prime, missing attributes, 61 rules): each gets its extended-ACK
# message, and each refused request has an accepted twin that differs only
# in the field checked.  The policy's ranges (an idle timeout, max-flows)
# are checked for their errno and attribute path.  And every operation of
# the spec is reachable and every reply decodes: the spec and the kernel
# agree.

source "$(dirname "$0")/lib/plink.sh"
source "$(dirname "$0")/lib/ynl.sh"
require_plink
setup_ns P C || exit $ksft_fail

ip -n "$P" link add nlb0 type plink
ip -n "$P" link set nlb0 up
ip -n "$C" link add pl0 type plink
ip -n "$C" link set pl0 up
ynl_open_ns "$P"
ynl_open_ns "$C"
nlb=$(ip -n "$P" -j link show nlb0 | jq '.[0].ifindex')
pl=$(ip -n "$C" -j link show pl0 | jq '.[0].ifindex')
lo=$(ip -n "$P" -j link show lo | jq '.[0].ifindex')

# --- dev-get ------------------------------------------------------------------

expect_eq "dev-get with neither ifindex nor ifname: \"missing ifindex or ifname\"" \
	"$(req "$P" dev-get '{}')" "22 missing ifindex or ifname"
expect_eq "dev-get of nlb0: accepted" \
	"$(ynl "$P" --do dev-get --json '{"ifname": "nlb0"}' | jq -c .)" \
	"{\"ifindex\":$nlb,\"ifname\":\"nlb0\",\"binding\":\"none\"}"
expect_eq "dev-get of a name that does not exist: \"no such device\"" \
	"$(req "$P" dev-get '{"ifname": "nosuch0"}')" "19 no such device (.ifname)"
expect_eq "dev-get of pl0 in another netns: \"no such device\"" \
	"$(req "$P" dev-get '{"ifname": "pl0"}')" "19 no such device (.ifname)"
expect_eq "dev-get of lo: \"not a plink device\"" \
	"$(req "$P" dev-get "{\"ifindex\": $lo}")" "95 not a plink device (.ifindex)"
expect_eq "dev-get of nlb0's ifindex and lo's name: \"ifname and ifindex name different devices\"" \
	"$(req "$P" dev-get "{\"ifindex\": $nlb, \"ifname\": \"lo\"}")" \
	"22 ifname and ifindex name different devices (.ifname)"
expect_eq "dev-get of nlb0's ifindex and name: accepted" \
	"$(req "$P" dev-get "{\"ifindex\": $nlb, \"ifname\": \"nlb0\"}")" 0
expect_eq "dev-get of an ifname of 16 bytes: refused by the policy (max-len 15)" \
	"$(req "$P" dev-get '{"ifname": "nlb0nlb0nlb0nlb0"}')" \
	"22 Attribute failed policy validation (.ifname)"
expect_eq "dev-get of an ifname of 15 bytes: passes the policy" \
	"$(req "$P" dev-get '{"ifname": "nlb0nlb0nlb0nlb"}')" \
	"19 no such device (.ifname)"
expect_eq "dev-get dump: nlb0" \
	"$(ynl "$P" --dump dev-get | jq -r 'map(.ifname) | join(",")')" nlb0

# --- service-new ----------------------------------------------------------------

# svc NAME N [FIELD JSON]...: a service-new request: name NAME on nlb0,
# address 10.0.1.N, listener tcp 80, auto acceptance, principal "*"; each
# FIELD JSON pair replaces (or, JSON null, removes) one attribute.
svc()
{
	local name=$1 j

	j=$(jq -nc --arg n "$name" --argjson i "$nlb" --arg a "$(printf 0a0001%02x "$2")" \
		'{name: $n, ifindex: $i, addr: [$a],
		  listener: [{proto: 6, port: 80}], acceptance: "auto",
		  principal: ["*"]}')
	shift 2
	while [ $# -ge 2 ]; do
		j=$(jq -c --arg k "$1" --argjson v "$2" \
			'if $v == null then del(.[$k]) else .[$k] = $v end' <<<"$j")
		shift 2
	done
	echo "$j"
}

expect_eq "service-new, listener port 0: refused by the policy (min 1)" \
	"$(req "$P" service-new "$(svc s1 1 listener '[{"proto": 6, "port": 0}]')")" \
	"34 integer out of range (.listener.port)"
expect_eq "service-new, listener port 1: accepted" \
	"$(req "$P" service-new "$(svc s1 1 listener '[{"proto": 6, "port": 1}]')")" 0

expect_eq "service-new, listener protocol 1: \"listener protocol must be tcp or udp\"" \
	"$(req "$P" service-new "$(svc s2 2 listener '[{"proto": 1, "port": 80}]')")" \
	"22 listener protocol must be tcp or udp (.listener.proto)"
expect_eq "service-new, listener protocol 17: accepted" \
	"$(req "$P" service-new "$(svc s2 2 listener '[{"proto": 17, "port": 80}]')")" 0

n63=$(printf 'n%.0s' {1..63})
expect_eq "service-new, a name of 64 characters: \"service name must be 1-63 ...\", not cut to 63" \
	"$(req "$P" service-new "$(svc "${n63}x" 7)")" \
	"22 service name must be 1-63 letters, digits, '.', '-' or '_' (.name)"
expect_eq "service-new, a name of 63 characters: accepted" \
	"$(req "$P" service-new "$(svc "$n63" 7)")" 0

expect_eq "service-new, maglev-size 252: \"Maglev table size must be a prime ...\"" \
	"$(req "$P" service-new "$(svc s3 3 maglev-size 252)")" \
	"22 Maglev table size must be a prime from 251 to 65537 (.maglev-size)"
expect_eq "service-new, maglev-size 251: accepted" \
	"$(req "$P" service-new "$(svc s3 3 maglev-size 251)")" 0

expect_eq "service-new, timeout-tcp 59: refused by the policy (60-6000)" \
	"$(req "$P" service-new "$(svc s8 8 timeout-tcp 59)")" \
	"34 integer out of range (.timeout-tcp)"
expect_eq "service-new, max-flows 4194305: refused by the policy (1-4194304)" \
	"$(req "$P" service-new "$(svc s8 8 max-flows 4194305)")" \
	"34 integer out of range (.max-flows)"
expect_eq "service-new, timeout-tcp 60 and max-flows 1: accepted" \
	"$(req "$P" service-new "$(svc s8 8 timeout-tcp 60 max-flows 1)")" 0
# plinkctl refuses it first: the kernel's own check of a principal.
expect_eq "service-new, principal \"bob\": refused by the kernel" \
	"$(req "$P" service-new "$(svc s9 9 principal '["bob"]')" |
	   grep -c 'principal must be "uid:N" or "\*"')" 1

expect_eq "service-new without ifindex: \"missing device (ifindex)\"" \
	"$(req "$P" service-new "$(svc s4 4 ifindex null)")" \
	"22 missing device (ifindex)"
expect_eq "service-new without name: \"missing service name\"" \
	"$(req "$P" service-new "$(svc s4 4 name null)")" "22 missing service name"
expect_eq "service-new without address: \"a service needs at least one NLB address\"" \
	"$(req "$P" service-new "$(svc s4 4 addr null)")" \
	"22 a service needs at least one NLB address"
expect_eq "service-new without listener: \"a service needs at least one listener\"" \
	"$(req "$P" service-new "$(svc s4 4 listener null)")" \
	"22 a service needs at least one listener"
expect_eq "service-new with all four: accepted" \
	"$(req "$P" service-new "$(svc s4 4)")" 0

addrs9='["0a000201","0a000202","0a000203","0a000204","0a000205","0a000206","0a000207","0a000208","0a000209"]'
expect_eq "service-new, 9 addresses: \"too many addresses\"" \
	"$(req "$P" service-new "$(svc s5 5 addr "$addrs9")")" \
	"7 too many addresses (.addr)"
expect_eq "service-new, 8 addresses: accepted" \
	"$(req "$P" service-new "$(svc s5 5 addr "$(jq -c '.[:8]' <<<"$addrs9")")")" 0

expect_eq "service-new, an address of 5 bytes: \"address must be 4 (IPv4) or 16 (IPv6) bytes\"" \
	"$(req "$P" service-new "$(svc s6 6 addr '["0a00030100"]')")" \
	"22 address must be 4 (IPv4) or 16 (IPv6) bytes (.addr)"
expect_eq "service-new, an address of 16 bytes: accepted" \
	"$(req "$P" service-new "$(svc s6 6 addr '["fd000000000000000000000000000001"]')")" 0

expect_eq "the refused requests made no service" \
	"$(plinkctl -n "$P" -j service show | jq -r 'map(.name) | sort | join(",")')" \
	"$n63,s1,s2,s3,s4,s5,s6,s8"

# --- target-add -----------------------------------------------------------------

expect_eq "target-add, weight 1000: refused by the policy (max 999)" \
	"$(req "$P" target-add '{"service": "s1", "addr": "0a000a01", "weight": 1000}')" \
	"34 integer out of range (.weight)"
expect_eq "target-add, weight 999: accepted" \
	"$(req "$P" target-add '{"service": "s1", "addr": "0a000a01", "weight": 999}')" 0
expect_eq "target-add without address: \"missing target address\"" \
	"$(req "$P" target-add '{"service": "s1", "port": 8080}')" \
	"22 missing target address"
expect_eq "target-add with address: accepted" \
	"$(req "$P" target-add '{"service": "s1", "port": 8080, "addr": "0a000a02"}')" 0
expect_eq "target-add without service: \"missing service name\"" \
	"$(req "$P" target-add '{"addr": "0a000a03"}')" "22 missing service name"

# --- endpoint-new ---------------------------------------------------------------

# ep RULES: an endpoint-new request for s1 on pl0, one address, RULES.
ep()
{
	jq -nc --argjson i "$pl" --argjson r "$1" \
		'{service: "s1", ifindex: $i, addr: ["0a000164"], rule: $r}'
}

expect_eq "endpoint-new, an IPv4 rule of prefix length 33: refused by the kernel" \
	"$(req "$C" endpoint-new "$(ep '[{"prefix": "0a000000", "prefix-len": 33}]')")" \
	"22 prefix length exceeds the address family's (.rule)"
expect_eq "endpoint-new, an IPv6 rule of prefix length 129: refused by the policy (max 128)" \
	"$(req "$C" endpoint-new "$(ep '[{"prefix": "fd000000000000000000000000000000", "prefix-len": 129}]')")" \
	"34 integer out of range (.rule.prefix-len)"
expect_eq "endpoint-new, a rule of protocol 1: \"rule protocol must be tcp or udp\"" \
	"$(req "$C" endpoint-new "$(ep '[{"prefix": "0a000000", "prefix-len": 8, "proto": 1}]')")" \
	"22 rule protocol must be tcp or udp (.rule)"
rules61=$(jq -nc '[range(61) | {prefix: ("0a" + ("0" + (. | tostring) | .[-2:]) + "0000"), "prefix-len": 16}]')
expect_eq "endpoint-new, 61 rules: \"too many rules (max 60)\"" \
	"$(req "$C" endpoint-new "$(ep "$rules61")")" "7 too many rules (max 60)"
expect_eq "endpoint-new without service: \"missing service name\"" \
	"$(req "$C" endpoint-new "$(ep '[]' | jq -c 'del(.service)')")" \
	"22 missing service name"
expect_eq "no endpoint was made of them" \
	"$(plinkctl -n "$C" -j endpoint show | jq length)" 0
expect_eq "endpoint-new, 60 rules (IPv4 /32, IPv6 /128, tcp): accepted" \
	"$(req "$C" endpoint-new "$(ep "$(jq -c '.[:58] + [{prefix: "0a000001", "prefix-len": 32}, {prefix: "fd000000000000000000000000000001", "prefix-len": 128, proto: 6}]' <<<"$rules61")")")" 0
expect_eq "the endpoint has its 60 rules" \
	"$(plinkctl -n "$C" -j endpoint show | jq '.[0].rules | length')" 60

# --- every operation, every reply decoded -----------------------------------------

# op NS DESC ARGS...: cli.py ARGS in NS must succeed and print JSON (null
# for an operation without a reply).
op()
{
	local ns=$1 desc=$2 out

	shift 2
	RET=0
	retmsg=
	if ! out=$(ynl "$ns" "$@" 2>&1) || [ -z "$out" ] ||
	   ! jq . >/dev/null 2>&1 <<<"$out"; then
		RET=$ksft_fail
		retmsg="cli.py $*: $out"
	fi
	log_test "cli.py: $desc"
}

op "$P" "service-get dump decodes" --dump service-get
op "$C" "service-get dump from the consumer decodes" --dump service-get
op "$P" "service-set" --do service-set \
	--json '{"name": "s1", "timeout-tcp": 120, "fail-open": 1, "max-flows": 1000}'
expect_eq "service-get: service-set changed s1" \
	"$(ynl "$P" --do service-get --json '{"name": "s1"}' |
	   jq -c '[.["timeout-tcp"], .["fail-open"], .["max-flows"]]')" '[120,1,1000]'
op "$P" "target-set" --do target-set \
	--json '{"service": "s1", "addr": "0a000a01", "health": "healthy"}'
expect_eq "target-get: weight, health and stats decode" \
	"$(ynl "$P" --do target-get --json '{"service": "s1", "addr": "0a000a01"}' |
	   jq -c '[.weight, .health, .stats["fwd-packets"]]')" '[999,"healthy",0]'
op "$P" "target-get dump decodes" --dump target-get
op "$P" "target-del" --do target-del \
	--json '{"service": "s1", "addr": "0a000a02", "port": 8080}'
ep_id=$(plinkctl -n "$C" -j endpoint show | jq -r '.[0].id')
expect_eq "endpoint-get: state, addr and rules decode" \
	"$(ynl "$C" --do endpoint-get --json "{\"id\": \"$ep_id\"}" |
	   jq -c '[.state, .addr, (.rule | length), .rule[59]]')" \
	'["available",["0a000164"],60,{"prefix":"fd000000000000000000000000000001","prefix-len":128,"proto":6,"port-min":1,"port-max":65535}]'
op "$P" "endpoint-get dump from the provider decodes" --dump endpoint-get
expect_eq "flow-get of no flow: \"no such flow\"" \
	"$(req "$C" flow-get "{\"endpoint\": \"$ep_id\", \"proto\": 6, \"client-addr\": \"0a000101\", \"client-port\": 1000, \"endpoint-addr\": \"0a000164\", \"endpoint-port\": 80}")" \
	"2 no such flow"
op "$P" "endpoint-set (the provider's mark)" --do endpoint-set \
	--json "{\"id\": \"$ep_id\", \"mark\": 7}"
op "$P" "endpoint-reject" --do endpoint-reject --json "{\"id\": \"$ep_id\"}"
expect_eq "endpoint-accept of a rejected endpoint: \"endpoint was rejected\"" \
	"$(req "$P" endpoint-accept "{\"id\": \"$ep_id\"}")" \
	"22 endpoint was rejected"
op "$C" "endpoint-del" --do endpoint-del --json "{\"id\": \"$ep_id\"}"
op "$C" "flow-get dump decodes" --dump flow-get
op "$P" "flow-flush" --do flow-flush --json '{"service": "s1"}'
op "$P" "limits-get do decodes" --do limits-get --json '{"uid": 0}'
op "$P" "limits-set" --do limits-set --json '{"uid": 1234, "services": 3}'
expect_eq "limits-get: uid 1234's own services limit" \
	"$(ynl "$P" --do limits-get --json '{"uid": 1234}' | jq -c '[.services, .own]')" \
	'[3,2]'
op "$P" "limits-get dump decodes" --dump limits-get
op "$P" "service-del" --do service-del --json '{"name": "s1", "force": true}'
expect_eq "service-del removed s1 only" \
	"$(ynl "$P" --dump service-get | jq -r 'map(.name) | sort | join(",")')" \
	"$n63,s2,s3,s4,s5,s6,s8"

exit "$EXIT_STATUS"
