#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# What the datapath lets through, and how it tracks TCP: IPv4 packets with
# options are dropped and counted both ways; a RST out of window ends no
# flow, one in window does; ICMP errors from the consumer's side reach the
# target, and a client's port unreachable closes its UDP flow.

source "$(dirname "$0")/lib/datapath.sh"
require_plink
setup_ns P C || exit $ksft_fail

# Four IPv4 options: three NOPs and the end of the list.
NOPS=01010100

dp_provider "$P"
dp_target "$P" t1 10.0.0.1
plinkctl -n "$P" service add tcpweb dev nlb0 addr 10.0.0.200 \
	listener tcp:80:8080 listener udp:54:6000 acceptance auto allow '*'
plinkctl -n "$P" target add tcpweb 10.0.0.1
dp_consumer "$C"
ID=$(plinkctl -n "$C" endpoint add tcpweb dev pl0 addr 10.0.0.100)
tcp_reaches()
{
	dp_get "$C" 10.0.0.100 80 | grep -q '^t1 10\.0\.0\.200 '
}
slowwait 30 tcp_reaches
expect_match "setup: the consumer reaches the target" \
	"$(dp_get "$C" 10.0.0.100 80)" '^t1 10\.0\.0\.200 '

# --- IPv4 options -------------------------------------------------------------

n0=$(dp_stat "$C" endpoint "$ID" flows_new)
d0=$(dp_stat "$C" endpoint "$ID" drop_ip_options)
dp_packet "$C" pl0 "$(dp_tcp4 10.0.0.5 40001 10.0.0.100 80 02 1000 $NOPS)"
slowwait 10 bash -c "[ \$(plinkctl -n $C -j stats endpoint $ID | jq '.endpoints[0].stats.drop_ip_options') -gt $d0 ]" >/dev/null
expect_eq "IPv4 options, consumer side: dropped and counted, no flow" \
	"$(($(dp_stat "$C" endpoint "$ID" drop_ip_options) - d0))/$(($(dp_stat "$C" endpoint "$ID" flows_new) - n0))" \
	1/0
expect_eq "the same SYN without options opens a flow" \
	"$(dp_packet "$C" pl0 "$(dp_tcp4 10.0.0.5 40001 10.0.0.100 80 02)";
	   slowwait 10 bash -c "[ \$(plinkctl -n $C -j stats endpoint $ID | jq '.endpoints[0].stats.flows_new') -gt $n0 ]" >/dev/null;
	   echo $(($(dp_stat "$C" endpoint "$ID" flows_new) - n0)))" 1

d0=$(dp_stat "$P" service tcpweb drop_ip_options)
dp_packet "$P" nlb0 "$(dp_tcp4 10.0.0.1 8080 10.0.0.200 2000 10 1000 $NOPS)"
slowwait 10 bash -c "[ \$(plinkctl -n $P -j stats service tcpweb | jq '.services[0].stats.drop_ip_options') -gt $d0 ]" >/dev/null
expect_eq "IPv4 options, provider side: dropped and counted" \
	"$(($(dp_stat "$P" service tcpweb drop_ip_options) - d0))" 1
expect_match "plinkctl stats shows the counter" \
	"$(plinkctl -n "$P" stats service tcpweb)" 'ip-options'

# --- RST in and out of window -------------------------------------------------

# flow_state NS SELECTOR: the state of the one flow jq SELECTOR picks.
flow_state()
{
	plinkctl -n "$1" -j flow show | jq -r "[.[] | select($2)][0].state"
}

dp_sess_open s1 "$C" 10.0.0.100 80 bind=10.0.0.5:40100
expect_match "a session opens" "$DP_LINE" '^t1 10\.0\.0\.200 [0-9]+ '
read -r _ _ nport _ <<<"$DP_LINE"
expect_eq "and answers" "$(dp_sess_say s1 hello)" "t1 hello"
# Sequence numbers a long way from the session's: out of any window.
dp_packet "$C" pl0 "$(dp_tcp4 10.0.0.5 40100 10.0.0.100 80 04 $((RANDOM << 15 ^ 0x40000000)))"
dp_packet "$P" nlb0 "$(dp_tcp4 10.0.0.1 8080 10.0.0.200 "$nport" 04 $((RANDOM << 15 ^ 0x40000000)))"
expect_eq "a RST out of window from either side: the flow stays established" \
	"$(flow_state "$C" '.client_port == 40100')" established
expect_eq "and the session still answers" "$(dp_sess_say s1 again)" "t1 again"
dp_sess_close s1

# A client that closes with unread data resets the connection in window.
ip netns exec "$C" timeout 10 socat -u - \
	TCP:10.0.0.100:80,bind=10.0.0.5:40101,linger=0 </dev/null >/dev/null 2>&1
slowwait 10 bash -c "plinkctl -n $C -j flow show | jq -e '[.[] | select(.client_port == 40101)][0].state == \"closed\"'" >/dev/null
expect_eq "a RST in window (SO_LINGER 0) closes the flow" \
	"$(flow_state "$C" '.client_port == 40101')" closed

# --- ICMP errors from the consumer's side ------------------------------------

# A datagram to a target port where nothing listens opens a UDP flow.
echo x | ip netns exec "$C" timeout 5 socat -u - UDP4:10.0.0.100:54,bind=10.0.0.5:40200
slowwait 10 bash -c "plinkctl -n $P -j flow show | jq -e '[.[] | select(.proto == \"udp\")] | length == 1'" >/dev/null
nport=$(plinkctl -n "$P" -j flow show | jq '[.[] | select(.proto == "udp")][0].nlb_port')
# The target's own port unreachable comes back first (provider side).
slowwait 10 bash -c "[ \$(plinkctl -n $C -j stats endpoint $ID | jq '.endpoints[0].stats.icmp_errors') -gt 0 ]" >/dev/null
i0=$(dp_stat "$C" endpoint "$ID" icmp_errors)
r0=$(dp_stat "$C" endpoint "$ID" rev_packets)
# The target sends to the client, whose socket is gone: the consumer's
# kernel answers with a port unreachable, to the endpoint address.
echo y | ip netns exec "$P" socat -u - UDP4-SENDTO:10.0.0.200:"$nport",bind=10.0.0.1:6000
slowwait 10 bash -c "[ \$(plinkctl -n $C -j stats endpoint $ID | jq '.endpoints[0].stats.icmp_errors') -gt $i0 ]" >/dev/null
expect_eq "the client's port unreachable goes to the target (one datagram, one error)" \
	"$(($(dp_stat "$C" endpoint "$ID" rev_packets) - r0))/$(($(dp_stat "$C" endpoint "$ID" icmp_errors) - i0))" 1/1
expect_eq "and closes the UDP flow" "$(flow_state "$C" '.client_port == 40200')" closed
s0=$(dp_stat "$P" service tcpweb drop_state)
echo z | ip netns exec "$P" socat -u - UDP4-SENDTO:10.0.0.200:"$nport",bind=10.0.0.1:6000
slowwait 10 bash -c "[ \$(plinkctl -n $P -j stats service tcpweb | jq '.services[0].stats.drop_state') -gt $s0 ]" >/dev/null
expect_eq "the target's next datagram is dropped: it cannot keep the flow alive" \
	"$(($(dp_stat "$P" service tcpweb drop_state) - s0))/$(($(dp_stat "$C" endpoint "$ID" rev_packets) - r0))" 1/1

exit "$EXIT_STATUS"
