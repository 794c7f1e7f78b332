#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Large packets cross whole, and IPv6 through drain and max-flows (which
# datapath-balance.sh drives over IPv4):
#  - one UDP GSO packet (UDP_SEGMENT, selftests/tools/udp-gso.c) of 8
#    datagrams is received on the NLB device as one packet, and the target
#    answers all 8;
#  - a TCP upload of 2 MB reaches the NLB device in TSO segments (many MSS
#    a packet), and arrives intact;
#  - IPv6: a draining target keeps its session and takes no new flow; a
#    deleted one keeps its session for the deregistration delay, then it is
#    reset on both sides; max-flows 2 refuses a third connection with a RST.

source "$(dirname "$0")/lib/datapath.sh"
require_plink
setup_ns P C || exit $ksft_fail

dp_provider "$P"
dp_target "$P" t1 10.0.0.1
dp_target "$P" t1 fd00::1
dp_target "$P" t2 fd00::2
dp_consumer "$C"
dp_bulk 2
plinkctl -n "$P" service add g6 dev nlb0 addr 10.0.0.200 addr fd00::200 \
	listener tcp:80:8080 listener udp:53:5353 listener tcp:90:9000 \
	acceptance auto allow '*' deregistration-delay 0
plinkctl -n "$P" target add g6 10.0.0.1
ID=$(plinkctl -n "$C" endpoint add g6 dev pl0 addr 10.0.0.100 addr fd00::100)
slowwait 30 bash -c "ip netns exec $C timeout 5 socat -T 3 - TCP:10.0.0.100:80,connect-timeout=2 </dev/null | grep -q '^t1 '" >/dev/null

# --- UDP GSO ------------------------------------------------------------------

r0=$(dp_link "$P" nlb0 rx packets)
b0=$(dp_link "$P" nlb0 rx bytes)
n=$(ip netns exec "$C" udp-gso 10.0.0.100 53 1000 8)
expect_eq "UDP GSO: one send of 8 datagrams of 1000 bytes gets 8 answers" "$n" 8
expect_eq "UDP GSO: the NLB device received it as one packet of 8 datagrams" \
	"$(($(dp_link "$P" nlb0 rx packets) - r0)) $(($(dp_link "$P" nlb0 rx bytes) - b0))" \
	"1 $((8 * 1000 + 28))"

# --- a TCP upload in TSO segments -----------------------------------------------

r0=$(dp_link "$P" nlb0 rx packets)
b0=$(dp_link "$P" nlb0 rx bytes)
sum=$(ip netns exec "$C" timeout 120 socat -t 60 - TCP:10.0.0.100:90,connect-timeout=5 \
	<"$DP_BULK" 2>/dev/null | cut -d' ' -f1)
expect_eq "TSO: 2 MB uploaded intact (sha256 at the target)" \
	"$sum" "$(sha256sum <"$DP_BULK" | cut -d' ' -f1)"
dr=$(($(dp_link "$P" nlb0 rx packets) - r0))
db=$(($(dp_link "$P" nlb0 rx bytes) - b0))
echo "TSO: $dr packets, $db bytes on nlb0"
# An MSS is 1448 bytes: 2 MB segmented would be some 1450 packets.
expect_range "TSO: the NLB device received segments of many MSS (bytes/packet)" \
	$((db / (dr > 0 ? dr : 1))) 8000 65536

# --- IPv6: draining ---------------------------------------------------------------

plinkctl -n "$P" target add g6 fd00::1
plinkctl -n "$P" target add g6 fd00::2
dp_sess_open d1 "$C" fd00::100 80
read -r st _ <<<"$DP_LINE"
expect_match "IPv6: a session opens to a target" "$st" '^t[12]$'
sa=fd00::${st#t}
other=t$((3 - ${st#t}))
plinkctl -n "$P" target set g6 "$sa" health draining
expect_eq "IPv6 draining $st: its session goes on" "$(dp_sess_say d1 more)" "$st more"
got=
for i in 1 2 3 4 5 6; do
	got+="$(dp_get "$C" fd00::100 80 | cut -d' ' -f1) "
done
expect_eq "IPv6 draining $st: 6 new connections all go to $other" \
	"$got" "$other $other $other $other $other $other "

# --- IPv6: target del with a deregistration delay --------------------------------

DELAY=3
plinkctl -n "$P" service set g6 deregistration-delay $DELAY
r0=$(dp_stat "$P" service g6 flows_reset)
t0=$(date +%s)
plinkctl -n "$P" target del g6 "$sa"
expect_eq "IPv6 deleted $st: its session still works during the delay" \
	"$(dp_sess_say d1 during)" "$st during"
dp_sess_reset d1 $((DELAY + 30))
el=$(($(date +%s) - t0))
RET=0; retmsg=
if ! grep -q 'Connection reset' "$DP_TMP/s-d1.err"; then
	RET=$ksft_fail
	retmsg="no reset; the client $(dp_sess_alive d1 && echo still runs || echo ended): $(cat "$DP_TMP/s-d1.err")"
elif ((el < DELAY)); then
	RET=$ksft_fail
	retmsg="reset after ${el}s, before the delay"
fi
log_test "IPv6: after the delay the idle client is reset (\"Connection reset\")"
expect_eq "IPv6: flows_reset counts it, no flow of $sa is left" \
	"$(($(dp_stat "$P" service g6 flows_reset) - r0)) $(plinkctl -n "$P" -j flow show service g6 | jq --arg a "$sa" '[.[] | select(.target_addr == $a)] | length')" \
	"1 0"
dp_sess_close d1
plinkctl -n "$P" service set g6 deregistration-delay 0

# --- IPv6: max-flows ------------------------------------------------------------

plinkctl -n "$P" flow flush service g6
# One endpoint: its own limit (a quarter of max-flows by default) is
# raised above the service's, so that the service's is the one reached.
plinkctl -n "$P" service set g6 max-flows 2 endpoint-max-flows 4
tf0=$(dp_stat "$P" service g6 drop_table_full)
dp_sess_open m1 "$C" fd00::100 80
l1=$DP_LINE
dp_sess_open m2 "$C" fd00::100 80
l2=$DP_LINE
expect_eq "IPv6 max-flows 2: two connections open" \
	"${l1:0:1}${l2:0:1}" tt
dp_get "$C" fd00::100 80 >/dev/null
expect_match "IPv6 max-flows 2: a third is refused with a RST" \
	"$(cat "$DP_TMP/get.err")" 'Connection refused'
expect_eq "IPv6 max-flows 2: drop_table_full counts it, 2 flows active" \
	"$(($(dp_stat "$P" service g6 drop_table_full) - tf0)) $(dp_stat "$P" service g6 flows_active)" \
	"1 2"
expect_eq "IPv6 max-flows 2: the two established ones keep working" \
	"$(dp_sess_say m1 x | cut -d' ' -f2)$(dp_sess_say m2 y | cut -d' ' -f2)" xy
dp_sess_close m1
dp_sess_close m2
plinkctl -n "$P" flow flush service g6
plinkctl -n "$P" service set g6 max-flows 65536 endpoint-max-flows 0
expect_match "IPv6: after raising max-flows, connections pass (to $other)" \
	"$(dp_get "$C" fd00::100 80)" "^$other "

exit "$EXIT_STATUS"
