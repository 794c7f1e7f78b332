#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Teardown races and unusual callers of the datapath: AF_PACKET transmit on
# an endpoint device and on an NLB device (no rcu_read_lock() of the
# caller's), flushes and RSTs while both devices flap, and 'flow flush' in
# a loop while the module is removed.  The debug kernel (KASAN, lockdep,
# PROVE_RCU, DEBUG_PREEMPT) turns a mistake here into a splat.

source "$(dirname "$0")/lib/datapath.sh"
require_plink
setup_ns P C || exit $ksft_fail

# 25 cycles each; on the debug kernel (KASAN, lockdep under TCG: a cycle
# takes 10-15 s) 8, where its checkers see misuse on the first cycle
# that has it, and the stock kernels the races.
CYCLES=25
dp_debug && CYCLES=8

dp_provider "$P"
dp_target "$P" t1 10.0.0.1
plinkctl -n "$P" service add tdweb dev nlb0 addr 10.0.0.200 \
	listener tcp:80:8080 acceptance auto allow '*'
plinkctl -n "$P" target add tdweb 10.0.0.1
# No target: every SYN to it is refused with a RST from plink.
plinkctl -n "$P" service add tdnone dev nlb0 addr 10.0.0.201 \
	listener tcp:80:8080 acceptance auto allow '*'
dp_consumer "$C"
ID=$(plinkctl -n "$C" endpoint add tdweb dev pl0 addr 10.0.0.100)
IDN=$(plinkctl -n "$C" endpoint add tdnone dev pl0 addr 10.0.0.101)
td_reaches()
{
	dp_get "$C" 10.0.0.100 80 | grep -q '^t1 10\.0\.0\.200 '
}
slowwait 30 td_reaches
expect_match "setup: the consumer reaches the target" \
	"$(dp_get "$C" 10.0.0.100 80)" '^t1 10\.0\.0\.200 '

# --- AF_PACKET transmit -----------------------------------------------------

n0=$(dp_stat "$C" endpoint "$ID" flows_new)
dp_packet "$C" pl0 "$(dp_tcp4 10.0.0.5 40001 10.0.0.100 80 02)"
slowwait 10 bash -c "[ \$(plinkctl -n $C -j stats endpoint $ID | jq '.endpoints[0].stats.flows_new') -gt $n0 ]" >/dev/null
expect_gt "AF_PACKET on the endpoint device: a SYN opens a flow" \
	"$(dp_stat "$C" endpoint "$ID" flows_new)" "$n0"

n0=$(dp_stat "$P" service tdweb drop_no_flow)
dp_packet "$P" nlb0 "$(dp_tcp4 10.0.0.1 8080 10.0.0.200 1111 10)"
slowwait 10 bash -c "[ \$(plinkctl -n $P -j stats service tdweb | jq '.services[0].stats.drop_no_flow') -gt $n0 ]" >/dev/null
expect_gt "AF_PACKET on the NLB device: a segment of no flow is counted" \
	"$(dp_stat "$P" service tdweb drop_no_flow)" "$n0"

# --- flushes and RSTs while the devices flap --------------------------------

t0=$SECONDS

# Connections to both endpoints (flows to reset, SYNs to refuse), and
# flushes from both sides, while the devices go down and up.
ip netns exec "$C" bash -c '
	while :; do
		for a in 10.0.0.100 10.0.0.101; do
			exec 5<>"/dev/tcp/$a/80" && read -r -t 2 l <&5
			exec 5<&-
		done
	done' >/dev/null 2>&1 &
conn=$!
(while :; do
	plinkctl -n "$C" flow flush
	plinkctl -n "$P" flow flush
done) >/dev/null 2>&1 &
flush=$!
r0=$(dp_stat "$C" endpoint "$IDN" flows_new)
for ((i = 0; i < CYCLES; i++)); do
	# The module puts the host routes back as each device comes up.
	ip -n "$C" -batch - <<-EOF
		link set pl0 down
		link set pl0 up
	EOF
	ip -n "$P" -batch - <<-EOF
		link set nlb0 down
		link set nlb0 up
	EOF
done
kill "$conn" "$flush"
wait "$conn" "$flush" 2>/dev/null
echo "flaps: $((SECONDS - t0)) s"
slowwait 30 td_reaches
expect_gt "$CYCLES flaps under flushes: flows were reset" \
	"$(dp_stat "$P" service tdweb flows_reset)" 0
expect_gt "$CYCLES flaps: SYNs to the service with no target were refused" \
	"$(dp_stat "$P" service tdnone drop_no_target)" 0
expect_match "after the flaps, the consumer reaches the target" \
	"$(dp_get "$C" 10.0.0.100 80)" '^t1 10\.0\.0\.200 '

# --- flow flush while the module goes -----------------------------------------

t0=$SECONDS
ip netns pids "$P" | xargs -r kill
ip -n "$C" link del pl0
ip -n "$P" link del nlb0
bad=0
for ((i = 0; i < CYCLES; i++)); do
	[ -d /sys/module/plink ] || insmod "$PLINK_KO" || { bad=$((bad + 1)); continue; }
	rm -f "$DP_TMP/flushed"
	(while :; do
		plinkctl flow flush && : >"$DP_TMP/flushed"
	done) >/dev/null 2>&1 &
	flush=$!
	slowwait 10 test -e "$DP_TMP/flushed"
	rmmod plink || bad=$((bad + 1))
	kill "$flush"
	wait "$flush" 2>/dev/null
done
echo "rmmod cycles: $((SECONDS - t0)) s"
expect_eq "$CYCLES times rmmod under a loop of flow flush" "$bad" 0
[ -d /sys/module/plink ] || insmod "$PLINK_KO"
expect_ok "the module works after that" plinkctl service show

exit "$EXIT_STATUS"
