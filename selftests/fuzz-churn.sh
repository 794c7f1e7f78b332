#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Churn under traffic, in loops: a consumer keeps a connection loop and
# UDP requests going while, cycle after cycle, its netns is deleted and
# created again, its device and the NLB device are flapped and deleted,
# the target and the service are deleted and added again, the flows are
# flushed, and plink itself is unloaded and loaded again.  After each
# cycle a new connection works; at the end, with the traffic stopped and
# the flows flushed, no flow is left, and after the last unload no
# plink_flow object either (its cache is gone).  The harness fails the
# run on any splat (and, on debug, any kmemleak report).
#
# plink.churn=N on the kernel command line sets the cycles of each kind.

source "$(dirname "$0")/lib/datapath.sh"
require_plink
setup_ns P C || exit $ksft_fail

cycles=1
n=$(sed -n 's/.*plink\.churn=\([0-9]*\).*/\1/p' /proc/cmdline)
[ -n "$n" ] && cycles=$n

provider()
{
	# tg0 and its address survive everything but the first call.
	dp_provider "$P" 2>/dev/null
	ip -n "$P" addr add 10.0.0.1/24 dev tg0 2>/dev/null
	plinkctl -n "$P" service add churn dev nlb0 addr 10.0.0.200 listener tcp:80:8080 \
		listener udp:5353 acceptance auto allow '*' >/dev/null
	plinkctl -n "$P" target add churn 10.0.0.1
}
consumer()
{
	ip -n "$C" link del lan0 2>/dev/null
	dp_consumer "$C"
	plinkctl -n "$C" endpoint add churn dev pl0 addr 10.0.0.100 >/dev/null
}
# traffic: the loop and UDP requests from C, in the background.
traffic()
{
	DP_LOOP_PACE=0.2 dp_loop "$C" 10.0.0.100 100000 >/dev/null 2>&1 &
	TPID=$!
	ip netns exec "$C" bash -c 'while :; do
		echo x | timeout 3 socat -t 1 - UDP:10.0.0.100:5353 >/dev/null 2>&1
	done' &
	UPID=$!
}
stop_traffic()
{
	# Its processes run in C: all of them go (the children too).
	kill "$TPID" "$UPID" 2>/dev/null
	ip netns pids "$C" 2>/dev/null | xargs -r kill 2>/dev/null
	wait "$TPID" "$UPID" 2>/dev/null
	slowwait 10 bash -c "[ -z \"\$(ip netns pids $C 2>/dev/null)\" ]"
}
works()
{
	slowwait 20 bash -c "ip netns exec $C timeout 5 socat -t 3 - TCP:10.0.0.100:80,connect-timeout=3 </dev/null | grep -q '^t1 '"
}
# busy: flows carry traffic (the loop's and the UDP requests').
busy()
{
	slowwait 20 bash -c "[ \$(plinkctl -n $P -j stats service churn | jq '.services[0].stats.flows_new') -gt $1 ]"
}

provider
dp_servers "$P" t1 10.0.0.1
consumer
traffic
expect_ok "traffic flows before the churn" busy 0

# cycle DESC CMD: CMD CYCLES times under traffic, then a connection works.
cycle()
{
	local desc=$1 i ok=0 f
	shift

	for ((i = 0; i < cycles; i++)); do
		"$@" || break
		works || break
		# Fresh traffic (the loop gives up after three failures).
		stop_traffic
		f=$(plinkctl -n "$P" -j stats service churn | jq '.services[0].stats.flows_new')
		traffic
		busy "${f:-0}" || break
		ok=$((ok + 1))
	done
	expect_eq "$desc: $cycles cycles under traffic, each followed by working connections" \
		"$ok" "$cycles"
}

netns_cycle()
{
	stop_traffic
	setup_ns C
	consumer
	traffic
}
cycle "consumer netns deleted and created again" netns_cycle

flap_cycle()
{
	ip -n "$C" link set pl0 down && ip -n "$P" link set nlb0 down &&
		ip -n "$P" link set nlb0 up && ip -n "$C" link set pl0 up
}
cycle "consumer and NLB devices flapped" flap_cycle

devdel_cycle()
{
	ip -n "$C" link del pl0 && consumer
}
cycle "consumer device deleted and added again" devdel_cycle

target_cycle()
{
	plinkctl -n "$P" target del churn 10.0.0.1 && plinkctl -n "$P" target add churn 10.0.0.1
}
cycle "target deleted and added again" target_cycle

service_cycle()
{
	plinkctl -n "$P" service del churn force &&
		ip -n "$P" link del nlb0 && provider &&
		ip -n "$C" link del pl0 && consumer
}
cycle "service and NLB device deleted and added again" service_cycle

flush_cycle()
{
	plinkctl -n "$P" flow flush
}
cycle "flows flushed" flush_cycle

rmmod_cycle()
{
	rmmod plink && insmod "$PLINK_KO" && provider && consumer
}
cycle "plink unloaded and loaded again" rmmod_cycle

stop_traffic
plinkctl -n "$P" flow flush
expect_ok "no flow left once the traffic stops and the flows are flushed" \
	slowwait 20 bash -c "[ \$(plinkctl -n $P -j stats service churn | jq '.services[0].stats.flows_active') = 0 ]"
ip -n "$P" link del nlb0
ip -n "$C" link del pl0
expect_ok "plink unloads at the end" rmmod plink
expect_eq "no plink_flow cache (nor objects) after the unload" \
	"$(grep -c '^plink_flow ' /proc/slabinfo)" 0
insmod "$PLINK_KO"
exit "$EXIT_STATUS"
