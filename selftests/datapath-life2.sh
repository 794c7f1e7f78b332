#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# What ends under a live TCP session: the consumer deletes its endpoint,
# the provider rejects it, the provider deletes the service with force.
# Each time the session is reset on both sides (the idle client gets
# "Connection reset", the target's socket goes), its flow is gone at once
# and counted as reset, and no flow stays active.  Then the provider's
# netns is deleted under a session and a connection loop from two
# consumers: their endpoints become deleted, the session is reset, the
# flows go, the loop's packets are counted drops, and a new provider works.

source "$(dirname "$0")/lib/datapath.sh"
require_plink
setup_ns P C || exit $ksft_fail

dp_provider "$P"
dp_target "$P" t1 10.0.0.1
dp_consumer "$C"

# life_svc: service lweb (10.0.0.200, tcp 80 -> 8080) with target t1.
life_svc()
{
	plinkctl -n "$P" service add lweb dev nlb0 addr 10.0.0.200 \
		listener tcp:80:8080 acceptance auto allow '*' &&
	plinkctl -n "$P" target add lweb 10.0.0.1
}

# life_open NAME: a session from C to the endpoint 10.0.0.100 (an
# endpoint $ID of lweb); sets $SRV, the target's view of it ("NLB:PORT ").
life_open()
{
	local port

	slowwait 30 bash -c "ip netns exec $C timeout 5 socat -T 3 - TCP:10.0.0.100:80,connect-timeout=2 </dev/null | grep -q '^t1 '" >/dev/null
	# The probe's flow goes: the session's is the only one.
	plinkctl -n "$P" flow flush service lweb
	dp_sess_open "$1" "$C" 10.0.0.100 80
	read -r _ _ port _ <<<"$DP_LINE"
	SRV="10.0.0.200:$port "
	expect_eq "$2: the session answers" "$(dp_sess_say "$1" hi)" "t1 hi"
}

life_srv_open()
{
	ip netns exec "$P" netstat -tn | grep -q " $SRV"
}

# life_check NAME WHAT R0: the session NAME was reset on both sides by
# WHAT; R0 is the service's flows_reset before.
life_check()
{
	RET=0; retmsg=
	if ! dp_sess_reset "$1" 10; then
		RET=$ksft_fail
		retmsg="no reset; the client $(dp_sess_alive "$1" && echo still runs || echo ended): $(cat "$DP_TMP/s-$1.err")"
	fi
	log_test "$2: the idle client gets \"Connection reset\""
	slowwait 10 bash -c "! ip netns exec $P netstat -tn | grep -q ' $SRV'"
	RET=0; retmsg=
	if life_srv_open; then
		RET=$ksft_fail
		retmsg="the target still has a socket to $SRV"
	fi
	log_test "$2: the target's socket is reset"
	dp_sess_close "$1"
}

# --- endpoint del (consumer) ------------------------------------------------------

life_svc
ID=$(plinkctl -n "$C" endpoint add lweb dev pl0 addr 10.0.0.100)
life_open s1 "endpoint del"
r0=$(dp_stat "$P" service lweb flows_reset)
expect_eq "endpoint del: the session has a flow" \
	"$(plinkctl -n "$P" -j flow show service lweb | jq length)" 1
expect_ok "endpoint del: the consumer deletes its endpoint" \
	plinkctl -n "$C" endpoint del "$ID"
expect_eq "endpoint del: the flow is gone at once" \
	"$(plinkctl -n "$P" -j flow show service lweb | jq length)" 0
life_check s1 "endpoint del"
expect_eq "endpoint del: the service counts one reset, no active flow" \
	"$(plinkctl -n "$P" -j stats service lweb | jq -c "[.services[0].stats.flows_reset - $r0, .services[0].stats.flows_active, .services[0].targets[0].stats.flows_active]")" \
	'[1,0,0]'

# --- endpoint reject (provider) ---------------------------------------------------

ID=$(plinkctl -n "$C" endpoint add lweb dev pl0 addr 10.0.0.100)
life_open s2 "endpoint reject"
r0=$(dp_stat "$P" service lweb flows_reset)
e0=$(dp_stat "$C" endpoint "$ID" flows_reset)
expect_ok "endpoint reject: the provider rejects the endpoint" \
	plinkctl -n "$P" endpoint reject "$ID"
expect_eq "endpoint reject: the flow is gone at once" \
	"$(plinkctl -n "$C" -j flow show | jq length)" 0
life_check s2 "endpoint reject"
expect_eq "endpoint reject: the endpoint counts one reset, no active flow" \
	"$(plinkctl -n "$C" -j stats endpoint "$ID" | jq -c "[.endpoints[0].stats.flows_reset - $e0, .endpoints[0].stats.flows_active]")" \
	'[1,0]'
expect_eq "endpoint reject: the service counts one reset" \
	"$(plinkctl -n "$P" -j stats service lweb | jq -c "[.services[0].stats.flows_reset - $r0, .services[0].stats.flows_active]")" \
	'[1,0]'
expect_eq "endpoint reject: its state" \
	"$(plinkctl -n "$C" -j endpoint show | jq -r --arg id "$ID" '.[] | select(.id == $id) | .state')" \
	rejected
plinkctl -n "$C" endpoint del "$ID"

# --- service del force (provider) -------------------------------------------------

ID=$(plinkctl -n "$C" endpoint add lweb dev pl0 addr 10.0.0.100)
life_open s3 "service del force"
e0=$(dp_stat "$C" endpoint "$ID" flows_reset)
expect_fail "service del without force: refused while the endpoint is available" \
	'service has available endpoints' plinkctl -n "$P" service del lweb
expect_eq "service del: the session still answers" "$(dp_sess_say s3 again)" "t1 again"
expect_ok "service del force: deleted" plinkctl -n "$P" service del lweb force
expect_eq "service del force: the consumer's flow is gone at once" \
	"$(plinkctl -n "$C" -j flow show | jq length)" 0
life_check s3 "service del force"
expect_eq "service del force: the endpoint counts one reset, no active flow" \
	"$(plinkctl -n "$C" -j stats endpoint "$ID" | jq -c "[.endpoints[0].stats.flows_reset - $e0, .endpoints[0].stats.flows_active]")" \
	'[1,0]'
expect_eq "service del force: the endpoint's state" \
	"$(plinkctl -n "$C" -j endpoint show | jq -r --arg id "$ID" '.[] | select(.id == $id) | .state')" \
	deleted
plinkctl -n "$C" endpoint del "$ID"

# A new service of the same name works.
life_svc
ID=$(plinkctl -n "$C" endpoint add lweb dev pl0 addr 10.0.0.100)
slowwait 30 bash -c "ip netns exec $C timeout 5 socat -T 3 - TCP:10.0.0.100:80,connect-timeout=2 </dev/null | grep -q '^t1 '" >/dev/null
expect_match "afterwards, a new service of the name answers" \
	"$(dp_get "$C" 10.0.0.100 80)" '^t1 10\.0\.0\.200 '

# --- the provider's netns deleted under traffic -----------------------------------

# Provider P2 holds no process (a process would keep its netns alive): its
# target is in T, behind a veth, and P2 routes to it.
setup_ns P2 T C2 || exit $ksft_fail
dp_provider "$P2"
ip -n "$P2" link add p2t type veth peer name tp2 netns "$T"
ip -n "$P2" addr add 10.9.0.1/24 dev p2t
ip -n "$P2" link set p2t up
ip -n "$T" addr add 10.9.0.2/24 dev tp2
ip -n "$T" link set tp2 up
ip -n "$T" addr add 10.8.0.1/32 dev lo
ip -n "$T" route add default via 10.9.0.1
ip -n "$P2" route add 10.8.0.1/32 via 10.9.0.2
ip netns exec "$P2" sysctl -qw net.ipv4.ip_forward=1
dp_servers "$T" t8 10.8.0.1
plinkctl -n "$P2" service add lnet dev nlb0 addr 10.0.0.200 \
	listener tcp:80:8080 acceptance auto allow '*'
plinkctl -n "$P2" target add lnet 10.8.0.1
dp_consumer "$C2"
plinkctl -n "$C" endpoint del "$ID"
ID=$(plinkctl -n "$C" endpoint add lnet dev pl0 addr 10.0.0.100)
ID2=$(plinkctl -n "$C2" endpoint add lnet dev pl0 addr 10.0.0.100)
slowwait 30 bash -c "ip netns exec $C2 timeout 5 socat -T 3 - TCP:10.0.0.100:80,connect-timeout=2 </dev/null | grep -q '^t8 '" >/dev/null
dp_sess_open s4 "$C2" 10.0.0.100 80
expect_match "netns: a session from C2 through P2 to the target in T" \
	"$DP_LINE" '^t8 10\.0\.0\.200 '
dp_loop "$C" 10.0.0.100 100000 >"$DP_TMP/loop" &
loop=$!
slowwait 30 bash -c "grep -q t8 $DP_TMP/loop" >/dev/null
expect_gt "netns: C's connection loop gets answers" "$(dp_count t8 <"$DP_TMP/loop")" 0
d0=$(dp_stat "$C" endpoint "$ID" drop_state)

expect_ok "netns: delete the provider's netns under traffic" ip netns del "$P2"
remove_ns_list "$P2"
slowwait 30 bash -c "[ \"\$(plinkctl -n $C2 -j endpoint show | jq -r '.[0].state')\" = deleted ]" >/dev/null
expect_eq "netns: both consumers' endpoints are deleted" \
	"$(plinkctl -n "$C" -j endpoint show "$ID" | jq -r '.[0].state') $(plinkctl -n "$C2" -j endpoint show "$ID2" | jq -r '.[0].state')" \
	"deleted deleted"
RET=0; retmsg=
if ! dp_sess_reset s4 10; then
	RET=$ksft_fail
	retmsg="no reset; the client $(dp_sess_alive s4 && echo still runs || echo ended): $(cat "$DP_TMP/s-s4.err")"
fi
log_test "netns: C2's idle session gets \"Connection reset\""
dp_sess_close s4
slowwait 10 bash -c "[ \$(plinkctl -n $C -j flow show | jq length)\$(plinkctl -n $C2 -j flow show | jq length) = 00 ]" >/dev/null
expect_eq "netns: no flow is left to either consumer" \
	"$(plinkctl -n "$C" -j flow show | jq length)/$(plinkctl -n "$C2" -j flow show | jq length)" 0/0
slowwait 20 bash -c "[ \$(plinkctl -n $C -j stats endpoint $ID | jq '.endpoints[0].stats.drop_state') -gt $d0 ]" >/dev/null
expect_gt "netns: C's loop now counts drops (drop_state)" \
	"$(dp_stat "$C" endpoint "$ID" drop_state)" "$d0"
kill "$loop" 2>/dev/null
wait "$loop" 2>/dev/null

# A new provider, in a new netns, works for the same consumer.
setup_ns P3 || exit $ksft_fail
dp_provider "$P3"
dp_target "$P3" t3 10.0.0.3
slowwait 30 bash -c "! plinkctl -n $P -j service show | grep -q lnet" >/dev/null
expect_ok "netns: a new provider adds the service of the name" \
	plinkctl -n "$P3" service add lnet dev nlb0 addr 10.0.0.200 \
	listener tcp:80:8080 acceptance auto allow '*'
plinkctl -n "$P3" target add lnet 10.0.0.3
plinkctl -n "$C" endpoint del "$ID"
plinkctl -n "$C" endpoint add lnet dev pl0 addr 10.0.0.100 >/dev/null
slowwait 30 bash -c "ip netns exec $C timeout 5 socat -T 3 - TCP:10.0.0.100:80,connect-timeout=2 </dev/null | grep -q '^t3 '" >/dev/null
expect_match "netns: the consumer reaches the new provider's target" \
	"$(dp_get "$C" 10.0.0.100 80)" '^t3 10\.0\.0\.200 '

exit "$EXIT_STATUS"
