#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Module unload with the datapath busy: a UDP flood from a target to a
# consumer, an iperf3 upload and a loop of short connections run through
# plink while it is removed (with its devices, services, endpoints and
# flows in place); then a reload that works end to end.

source "$(dirname "$0")/lib/datapath.sh"
require_plink
# A paced connection loop on debug: see dp_loop.
dp_debug && DP_LOOP_PACE=0.2
setup_ns P C1 C2 || exit $ksft_fail

setup()
{
	dp_provider "$P"
	plinkctl -n "$P" service add webunl dev nlb0 addr 10.0.0.200 listener tcp:80:8080 \
		listener tcp:5201 listener udp:54:5454 acceptance auto allow '*'
	plinkctl -n "$P" target add webunl 10.0.0.1
	dp_consumer "$C1"
	dp_consumer "$C2"
	for ns in "$C1" "$C2"; do
		plinkctl -n "$ns" endpoint add webunl dev pl0 addr 10.0.0.100 >/dev/null
	done
}
setup
dp_target "$P" t1 10.0.0.1
ip netns exec "$P" iperf3 -s -B 10.0.0.1 -p 5201 >/dev/null 2>&1 &
# The flood: the first datagram to 10.0.0.1:5454 gets an endless stream of
# 1000-byte datagrams back.
dp_flood "$P" 10.0.0.1 5454
dp_wait_listen "$P" 5201

echo go | ip netns exec "$C1" socat -t 600 - UDP4:10.0.0.100:54 >/dev/null 2>&1 &
ip netns exec "$C2" iperf3 -c 10.0.0.100 -p 5201 -t 120 -i 0 "${DP_IPERF[@]}" >/dev/null 2>&1 &
dp_loop "$C1" 10.0.0.100 100000 >"$DP_TMP/loop" &
slowwait 30 bash -c "[ \$(plinkctl -n $P -j stats service webunl | jq '.services[0].stats.flows_active') -gt 2 ]" >/dev/null
expect_gt "traffic flows before the unload (flood, iperf3, loop)" \
	"$(dp_stat "$P" service webunl flows_active)" 2
# The flood's own flow (the only UDP one) carries thousands of packets.
udp_pkts()
{
	plinkctl -n "$C1" -j flow show |
		jq '[.[] | select(.proto == "udp" or .proto == 17) | .packets] | add // 0'
}
slowwait 30 bash -c "[ \$(plinkctl -n $C1 -j flow show | jq '[.[] | select(.proto == \"udp\" or .proto == 17) | .packets] | add // 0') -gt 1000 ]" >/dev/null
expect_gt "the flood runs before the unload (its UDP flow's packets)" "$(udp_pkts)" 1000
l0=$(dp_count t1 <"$DP_TMP/loop")
slowwait 30 bash -c "[ \$(grep -cx t1 $DP_TMP/loop) -gt $l0 ]" >/dev/null
expect_gt "the loop gets answers before the unload" "$(dp_count t1 <"$DP_TMP/loop")" "$l0"
expect_ok "rmmod plink under traffic" rmmod plink
expect_eq "the devices are gone" \
	"$(ip -n "$P" link show nlb0 2>/dev/null | wc -l)/$(ip -n "$C1" link show pl0 2>/dev/null | wc -l)" 0/0
for ns in "$P" "$C1" "$C2"; do
	ip netns pids "$ns" | xargs -r kill
done
for ns in "$P" "$C1" "$C2"; do
	slowwait 10 bash -c "[ -z \"\$(ip netns pids $ns)\" ]"
done

expect_ok "reload plink" insmod "$PLINK_KO"
ip -n "$C1" link del lan0
ip -n "$C2" link del lan0
ip -n "$P" link del tg0
setup
dp_target "$P" t1 10.0.0.1
expect_match "after the reload, a consumer reaches the target again" \
	"$(dp_get "$C1" 10.0.0.100 80)" '^t1 10\.0\.0\.200 '

exit "$EXIT_STATUS"
