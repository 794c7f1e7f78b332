#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Lifetimes under live traffic: a UDP flood from a target to a consumer's
# flow, an iperf3 upload and a loop of short connections keep running
# while (a) the flooded consumer's netns is destroyed, (b) a consumer's
# device is deleted, (c) the provider's NLB device is deleted.  The flows
# of what went away go with it, the rest keeps working, and a new service
# works afterwards.  (The harness fails the run on any kernel splat.)

source "$(dirname "$0")/lib/datapath.sh"
require_plink
# A paced connection loop on debug: see dp_loop.
dp_debug && DP_LOOP_PACE=0.2
setup_ns P C1 C2 C3 || exit $ksft_fail

# iperf3 runs until (c) stops it.
T=900

# wait_gt SEC CMD N: wait until CMD (a shell command) prints more than N.
wait_gt()
{
	slowwait "$1" bash -c "v=\$($2); [ \"\$v\" -gt $3 ] 2>/dev/null" >/dev/null
}

dp_provider "$P"
dp_target "$P" t1 10.0.0.1
ip netns exec "$P" iperf3 -s -B 10.0.0.1 -p 5201 >/dev/null 2>&1 &
# The flood: the first datagram to 10.0.0.1:5454 gets an endless stream
# of 1000-byte datagrams back.
dp_flood "$P" 10.0.0.1 5454
dp_wait_listen "$P" 5201
plinkctl -n "$P" service add weblife dev nlb0 addr 10.0.0.200 listener tcp:80:8080 \
	listener tcp:5201 listener udp:54:5454 acceptance auto allow '*'
plinkctl -n "$P" target add weblife 10.0.0.1
declare -A ID
for c in C1 C2 C3; do
	dp_consumer "${!c}"
	ID[$c]=$(plinkctl -n "${!c}" endpoint add weblife dev pl0 addr 10.0.0.100)
done

r0=$(dp_link "$C1" pl0 rx packets)
echo go | ip netns exec "$C1" socat -t 600 - UDP4:10.0.0.100:54 >/dev/null 2>&1 &
ip netns exec "$C2" iperf3 -c 10.0.0.100 -p 5201 -t $T -i 0 "${DP_IPERF[@]}" >"$DP_TMP/iperf3" 2>&1 &
iperf=$!
dp_loop "$C3" 10.0.0.100 100000 >"$DP_TMP/loop3" &
# The debug kernel under TCG takes its time to start all of it.
slowwait 30 bash -c "[ \$(ip -n $C1 -j -s link show pl0 | jq '.[0].stats64.rx.packets') -gt $((r0 + 1000)) ]" >/dev/null
expect_gt "the flood reaches C1" "$(dp_link "$C1" pl0 rx packets)" $((r0 + 1000))
slowwait 30 bash -c "[ \$(ip -n $C2 -j -s link show pl0 | jq '.[0].stats64.tx.bytes') -gt 100000 ]" >/dev/null
b0=$(dp_link "$C2" pl0 tx bytes)
wait_gt 10 "ip -n $C2 -j -s link show pl0 | jq '.[0].stats64.tx.bytes'" $((b0 + 10000))
expect_gt "iperf3 runs from C2" "$(dp_link "$C2" pl0 tx bytes)" $((b0 + 10000))
expect_gt "the loop in C3 gets answers" "$(dp_count t1 <"$DP_TMP/loop3")" 0

# (a) destroy C1: its processes go, then its name; the netns dies with the
# flood still coming.
ip netns pids "$C1" | xargs -r kill -9
expect_ok "(a) delete the flooded consumer's netns" ip netns del "$C1"
remove_ns_list "$C1"
slowwait 20 bash -c "! plinkctl -n $P -j endpoint show | grep -q ${ID[C1]}" >/dev/null
expect_eq "(a) its endpoint is gone" \
	"$(plinkctl -n "$P" -j endpoint show | jq -c "map(select(.id == \"${ID[C1]}\")) | length")" 0
expect_eq "(a) so are its flows" \
	"$(plinkctl -n "$P" -j flow show service weblife | jq -c "map(select(.endpoint == \"${ID[C1]}\")) | length")" 0
n0=$(dp_stat "$P" service weblife drop_no_flow)
wait_gt 10 "plinkctl -n $P -j stats service weblife | jq '.services[0].stats.drop_no_flow'" "$n0"
expect_gt "(a) the flood now counts as drop_no_flow" \
	"$(dp_stat "$P" service weblife drop_no_flow)" "$n0"
RET=0; retmsg=
kill -0 $iperf 2>/dev/null || { RET=$ksft_fail; retmsg=$(cat "$DP_TMP/iperf3"); }
log_test "(a) iperf3 from C2 still runs"
c0=$(dp_count t1 <"$DP_TMP/loop3")
wait_gt 20 "grep -cx t1 $DP_TMP/loop3" "$c0"
expect_gt "(a) the loop in C3 still gets answers" "$(dp_count t1 <"$DP_TMP/loop3")" "$c0"

# (b) C3's device goes, with connections opening through it.
expect_ok "(b) delete C3's endpoint device under its connection loop" \
	ip -n "$C3" link del pl0
expect_eq "(b) its endpoint is gone on the provider's side" \
	"$(plinkctl -n "$P" -j endpoint show | jq -c "map(select(.id == \"${ID[C3]}\")) | length")" 0
expect_eq "(b) so are its flows" \
	"$(plinkctl -n "$P" -j flow show service weblife | jq -c "map(select(.endpoint == \"${ID[C3]}\")) | length")" 0
b0=$(dp_link "$C2" pl0 tx bytes)
wait_gt 10 "ip -n $C2 -j -s link show pl0 | jq '.[0].stats64.tx.bytes'" $((b0 + 10000))
expect_gt "(b) iperf3 from C2 still sends" "$(dp_link "$C2" pl0 tx bytes)" $((b0 + 10000))

# (c) the NLB device goes under the iperf3 upload and the flood's sender.
expect_ok "(c) delete the NLB device under traffic" ip -n "$P" link del nlb0
expect_eq "(c) the service is gone" "$(plinkctl -n "$P" -j service show | jq length)" 0
expect_eq "(c) C2's endpoint is deleted" \
	"$(plinkctl -n "$C2" -j endpoint show "${ID[C2]}" | jq -r '.[0].state')" deleted
expect_eq "(c) no flow is left on either side" \
	"$(plinkctl -n "$C2" -j flow show | jq length)/$(plinkctl -n "$P" -j flow show | jq length)" 0/0
ip netns pids "$C2" | xargs -r kill
ip netns pids "$C3" | xargs -r kill
wait $iperf 2>/dev/null

# Start again in the same namespaces.
ip -n "$P" link add nlb1 type plink
ip -n "$P" link set nlb1 up
plinkctl -n "$P" service add weblife2 dev nlb1 addr 10.0.0.200 listener tcp:80:8080 \
	acceptance auto allow '*'
plinkctl -n "$P" target add weblife2 10.0.0.1
plinkctl -n "$C2" endpoint del "${ID[C2]}"
plinkctl -n "$C2" endpoint add weblife2 dev pl0 addr 10.0.0.100 >/dev/null
expect_match "a new service and endpoint work afterwards" \
	"$(dp_get "$C2" 10.0.0.100 80)" '^t1 10\.0\.0\.200 '

exit "$EXIT_STATUS"
