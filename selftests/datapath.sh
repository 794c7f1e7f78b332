#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The datapath: consumers in three netns that reuse the provider's CIDR
# reach a service's targets over TCP and UDP, IPv4 and IPv6, through NAT
# (the targets see the NLB address); only listener ports pass, only
# consumers open flows; security groups and acceptance gate the traffic;
# ICMP errors come back translated; 10 MB each way arrive intact; counters,
# the flow table and its flush.

source "$(dirname "$0")/lib/datapath.sh"
require_plink
setup_ns P C1 C2 C3 || exit $ksft_fail

NLB6=fd00:0000:0000:0000:0000:0000:0000:0200
MB=10
# KASAN under TCG: a smaller transfer crosses the same paths.
dp_debug && MB=1

dp_provider "$P"
for i in 1 2 3; do
	dp_target "$P" "t$i" "10.0.0.$i"
	dp_target "$P" "t$i" "fd00::$i"
done
plinkctl -n "$P" service add web dev nlb0 addr 10.0.0.200 addr fd00::200 \
	listener tcp:80:8080 listener udp:53:5353 listener udp:54:5454 \
	listener tcp:9000 listener tcp:9001 acceptance auto allow '*'
for i in 1 2 3; do
	plinkctl -n "$P" target add web "10.0.0.$i"
	plinkctl -n "$P" target add web "fd00::$i"
done

dp_consumer "$C1" 10.0.0.6/24
dp_consumer "$C2" 10.0.0.6/24
dp_consumer "$C3"
ID1=$(plinkctl -n "$C1" endpoint add web dev pl0 addr 10.0.0.100 addr fd00::100)
ID2=$(plinkctl -n "$C2" endpoint add web dev pl0 addr 10.0.0.100 addr fd00::100 \
	allow 10.0.0.5/32 tcp:80)
expect_eq "setup: the targets answer inside the provider" \
	"$(dp_get "$P" 10.0.0.2 8080 | cut -d' ' -f1,4,5)/$(dp_get "$P" fd00::3 8080 | cut -d' ' -f1)/$(dp_udp "$P" 10.0.0.1 5353 | cut -d' ' -f1)" \
	"t2 10.0.0.2 8080/t3/t1"
expect_eq "setup: both endpoints are available" \
	"$(plinkctl -n "$C1" -j endpoint show "$ID1" | jq -r '.[0].state')/$(plinkctl -n "$C2" -j endpoint show "$ID2" | jq -r '.[0].state')" \
	available/available

# --- reachability and NAT ---------------------------------------------------

tx0=$(dp_link "$C1" pl0 tx packets)
rx0=$(dp_link "$C1" pl0 rx packets)
l=$(dp_get "$C1" 10.0.0.100 80)
expect_match "TCP/IPv4: a consumer reaches a target" "$l" '^t[123] '
expect_match "TCP/IPv4: the target sees the NLB address and a SNAT port, on its own port 8080" \
	"$l" '^t([123]) 10\.0\.0\.200 [0-9]+ 10\.0\.0\.\1 8080$'
l=$(dp_get "$C1" fd00::100 80)
expect_match "TCP/IPv6: the target sees the NLB address, on port 8080" \
	"$l" "^t([123]) \[$NLB6\] [0-9]+ \[fd00(:0000){6}:000\1\] 8080\$"
l=$(dp_udp "$C1" 10.0.0.100 53)
expect_match "UDP/IPv4: request and response, the target sees the NLB address" \
	"$l" '^t[123] 10\.0\.0\.200 [0-9]+$'
l=$(dp_udp "$C1" fd00::100 53)
expect_match "UDP/IPv6: request and response" \
	"$l" "^t[123] \[$NLB6\] [0-9]+\$"
expect_gt "ip -s link: pl0 counts what it sent" "$(dp_link "$C1" pl0 tx packets)" "$tx0"
expect_gt "ip -s link: pl0 counts what it received" "$(dp_link "$C1" pl0 rx packets)" "$rx0"

expect_match "a second consumer with the same addresses reaches the service" \
	"$(dp_get "$C2" 10.0.0.100 80)" '^t[123] 10\.0\.0\.200 '

# --- a session: flow table, counters, flush ---------------------------------

dp_sess_open s1 "$C1" 10.0.0.100 80 bind=10.0.0.5:40000
l=$DP_LINE
expect_match "a long-lived connection opens" "$l" '^t[123] 10\.0\.0\.200 [0-9]+ '
read -r s1t _ s1port s1addr _ <<<"$l"
expect_eq "and answers" "$(dp_sess_say s1 hello)" "$s1t hello"

f=$(plinkctl -n "$C1" -j flow show endpoint "$ID1")
fl=$(jq -c '[.[] | select(.client_port == 40000)]' <<<"$f")
expect_eq "flow show (consumer): one flow for the connection" "$(jq length <<<"$fl")" 1
# Least exposure: a consumer sees its side of a flow, not the provider's.
expect_eq "flow show (consumer): the fields, none of the provider's" \
	"$(jq -c '.[0] | keys' <<<"$fl")" \
	'["age_ms","client_addr","client_port","endpoint","endpoint_addr","endpoint_port","idle_ms","owner_uid","packets","proto","service","state"]'
expect_eq "flow show: what the flow is" \
	"$(jq -c '.[0] | [.service, .endpoint, (.proto == "tcp" or .proto == 6), .client_addr, .client_port, .endpoint_addr, .endpoint_port, .state]' <<<"$fl")" \
	"[\"web\",\"$ID1\",true,\"10.0.0.5\",40000,\"10.0.0.100\",80,\"established\"]"
expect_eq "flow show: it counted the packets, and is older than idle" \
	"$(jq -c '.[0] | [.packets >= 4, .age_ms >= .idle_ms]' <<<"$fl")" \
	'[true,true]'
f=$(plinkctl -n "$P" -j flow show service web)
expect_eq "flow show (provider): the same flow by its NLB port" \
	"$(jq -c "[.[] | select(.nlb_port == $s1port) | [.endpoint, .nlb_addr, .target_addr, .target_port]]" <<<"$f")" \
	"[[\"$ID1\",\"10.0.0.200\",\"$s1addr\",8080]]"
expect_eq "flow show (provider): none of the consumer's addresses" \
	"$(jq -c "[.[] | select(.nlb_port == $s1port) | has(\"client\"), has(\"endpoint_addr\")]" <<<"$f")" \
	'[false,false]'

expect_eq "flow show (consumer): C2 sees only its own endpoint's flows" \
	"$(plinkctl -n "$C2" -j flow show | jq -c 'map(.endpoint) | unique')" "[\"$ID2\"]"
expect_eq "flow show: a netns with no endpoint sees no flow" \
	"$(plinkctl -n "$C3" -j flow show | jq length)" 0

s=$(plinkctl -n "$P" -j stats service web)
keys='["drop_fragment","drop_ip_options","drop_malformed","drop_no_flow","drop_no_listener","drop_no_port","drop_no_target","drop_quota","drop_security_group","drop_state","drop_table_full","flows_active","flows_new","flows_reset","fwd_bytes","fwd_packets","icmp_errors","ppv2_retransmits","ppv2_sent","rev_bytes","rev_packets"]'
# A target's also has its health's: passive failures and active checks.
tkeys='["checks","checks_failed","drop_fragment","drop_ip_options","drop_malformed","drop_no_flow","drop_no_listener","drop_no_port","drop_no_target","drop_quota","drop_security_group","drop_state","drop_table_full","flows_active","flows_new","flows_reset","fwd_bytes","fwd_packets","icmp_errors","passive_icmp_unreach","passive_syn_rst","passive_syn_timeout","ppv2_retransmits","ppv2_sent","rev_bytes","rev_packets"]'
expect_eq "stats service: its shape" \
	"$(jq -c '.services[0] | [.name, (.stats | keys), (.targets | map(.target_addr) | sort), (.targets | map(.target_port) | unique), (.targets | map(.stats | keys) | unique)]' <<<"$s")" \
	"[\"web\",$keys,[\"10.0.0.1\",\"10.0.0.2\",\"10.0.0.3\",\"fd00::1\",\"fd00::2\",\"fd00::3\"],[0],[$tkeys]]"
expect_eq "stats service: traffic both ways, new flows, one active at least" \
	"$(jq -c '.services[0].stats | [.fwd_packets > 0, .fwd_bytes > .fwd_packets * 20, .rev_packets > 0, .rev_bytes > .rev_packets * 20, .flows_new >= 6, .flows_active >= 1]' <<<"$s")" \
	'[true,true,true,true,true,true]'
expect_eq "stats service: the session's target counts its flow" \
	"$(jq -c --arg a "$s1addr" '.services[0].targets[] | select(.target_addr == $a) | .stats | [.flows_new >= 1, .flows_active >= 1, .fwd_packets >= 4, .rev_packets >= 4]' <<<"$s")" \
	'[true,true,true,true]'
e=$(plinkctl -n "$C1" -j stats endpoint "$ID1")
expect_eq "stats endpoint: its shape" "$(jq -c '[(.services | length), (.endpoints[0] | .id, (.stats | keys))]' <<<"$e")" \
	"[0,\"$ID1\",$keys]"
expect_eq "stats endpoint: C1's traffic" \
	"$(jq -c '.endpoints[0].stats | [.fwd_packets > 0, .rev_packets > 0, .flows_new >= 5, .flows_active >= 1]' <<<"$e")" \
	'[true,true,true,true]'
expect_eq "stats endpoint: C2's endpoint counts only its own flows" \
	"$(plinkctl -n "$C2" -j stats endpoint "$ID2" | jq '.endpoints[0].stats.flows_new')" 1

r0=$(dp_stat "$C1" endpoint "$ID1" flows_reset)
# The target's side of the session: its socket to the NLB address and port.
srv="10.0.0.200:$s1port "
srv_open()
{
	ip netns exec "$P" netstat -tn | grep -q " $srv"
}
srv_open || echo "# the target has no socket to $srv" >&2
expect_ok "flow flush endpoint" plinkctl -n "$C1" flow flush endpoint "$ID1"
expect_eq "the flushed flow is gone" \
	"$(plinkctl -n "$C1" -j flow show endpoint "$ID1" | jq '[.[] | select(.client_port == 40000)] | length')" 0
# The flush's RST must fall in the client's window (it carries the
# sequence number the client expects): the idle client dies of it before
# it sends anything more.
RET=0; retmsg=
if ! dp_sess_reset s1 10; then
	RET=$ksft_fail
	retmsg="no reset; the client $(dp_sess_alive s1 && echo still runs || echo ended): $(cat "$DP_TMP/s-s1.err")"
fi
log_test "flush resets the connection: the idle client gets \"Connection reset\""
# And the target's socket is reset too, though the target sends nothing.
slowwait 10 bash -c "! ip netns exec $P netstat -tn | grep -q ' $srv'"
RET=0; retmsg=
if srv_open; then
	RET=$ksft_fail
	retmsg="the target still has a socket to $srv"
fi
log_test "flush resets the connection: the target's socket is reset"
expect_gt "flush counts flows_reset" "$(dp_stat "$C1" endpoint "$ID1" flows_reset)" "$r0"
dp_sess_close s1

# --- a flow's listener goes, and comes back ---------------------------------

# A packet of a flow skips the listener lookup only while its service has
# lost no listener since the flow was opened: without its listener, the
# flow's packets are dropped as any packet to that port; with it back, the
# client's retransmission gets through on the same flow.
LISTENERS="listener udp:53:5353 listener udp:54:5454 listener tcp:9000 listener tcp:9001"
dp_sess_open s2 "$C1" 10.0.0.100 80 bind=10.0.0.5:40002
dp_sess_say s2 before >/dev/null
d0=$(dp_stat "$C1" endpoint "$ID1" drop_no_listener)
plinkctl -n "$P" service set web $LISTENERS
n=$(($(wc -l <"$DP_TMP/s-s2.out") + 1))
echo during >&"${DP_SESS_FD[s2]}"
slowwait 10 bash -c "[ \$(plinkctl -n $C1 -j stats endpoint $ID1 | jq '.endpoints[0].stats.drop_no_listener') -gt $d0 ]" >/dev/null
sleep 1
expect_eq "listener tcp:80 removed: the flow's data is dropped (no answer), counted as drop_no_listener" \
	"$(wc -l <"$DP_TMP/s-s2.out")/$(($(dp_stat "$C1" endpoint "$ID1" drop_no_listener) > d0))" \
	"$((n - 1))/1"
plinkctl -n "$P" service set web listener tcp:80:8080 $LISTENERS
expect_match "listener tcp:80 back: the retransmitted data gets its answer on the same flow" \
	"$(dp_sess_wait s2 "$n")" '^t[123] during$'
expect_eq "and the flow is the one it was" \
	"$(plinkctl -n "$C1" -j flow show endpoint "$ID1" | jq '[.[] | select(.client_port == 40002)] | length')" 1
dp_sess_close s2

# --- only consumers open flows, only to listeners ---------------------------

# Each kind of packet is counted on its own: TCP (its SYN and the one
# retransmission), one UDP datagram, two echo requests.
d0=$(dp_stat "$C1" endpoint "$ID1" drop_no_listener)
DP_CONNECT_TIMEOUT=2 dp_get "$C1" 10.0.0.100 81 >/dev/null
expect_match "TCP to a port with no listener: no connection" "$(cat "$DP_TMP/get.err")" 'timed out'
d1=$(dp_stat "$C1" endpoint "$ID1" drop_no_listener)
expect_range "stats endpoint: drop_no_listener counts the SYNs" "$((d1 - d0))" 1 3
expect_eq "UDP to a port with no listener: no answer" "$(DP_UDP_WAIT=2 dp_udp "$C1" 10.0.0.100 55)" ""
d2=$(dp_stat "$C1" endpoint "$ID1" drop_no_listener)
expect_eq "stats endpoint: drop_no_listener counts the datagram" "$((d2 - d1))" 1
expect_fail "ICMP echo to the endpoint address: no answer" "100% packet loss" \
	ip netns exec "$C1" ping -c 2 -W 1 10.0.0.100
d3=$(dp_stat "$C1" endpoint "$ID1" drop_no_listener)
expect_eq "stats endpoint: drop_no_listener counts the 2 echo requests" "$((d3 - d2))" 2

n0=$(dp_stat "$P" service web drop_no_flow)
rx1=$(dp_link "$C1" pl0 rx packets); rx2=$(dp_link "$C2" pl0 rx packets)
rx3=$(dp_link "$C3" pl0 rx packets)
DP_CONNECT_TIMEOUT=2 dp_get "$P" 10.0.0.200 80 >/dev/null
expect_match "the provider cannot connect to the NLB address (TCP)" "$(cat "$DP_TMP/get.err")" 'timed out'
n1=$(dp_stat "$P" service web drop_no_flow)
expect_range "stats service: drop_no_flow counts the provider's SYNs" "$((n1 - n0))" 1 3
expect_eq "the provider gets no answer from the NLB address (UDP)" \
	"$(DP_UDP_WAIT=2 dp_udp "$P" 10.0.0.200 53)" ""
n2=$(dp_stat "$P" service web drop_no_flow)
expect_eq "stats service: drop_no_flow counts the provider's datagram" "$((n2 - n1))" 1
expect_fail "ICMP echo from the provider to the NLB address (IPv4): no answer" \
	"100% packet loss" ip netns exec "$P" ping -c 1 -W 1 10.0.0.200
expect_fail "ICMP echo from the provider to the NLB address (IPv6): no answer" \
	"100% packet loss" ip netns exec "$P" ping -c 1 -W 1 fd00::200
expect_eq "stats service: drop_no_flow counts the 2 echo requests" \
	"$(($(dp_stat "$P" service web drop_no_flow) - n2))" 2
expect_eq "nothing of it reached a consumer" \
	"$(dp_link "$C1" pl0 rx packets)/$(dp_link "$C2" pl0 rx packets)/$(dp_link "$C3" pl0 rx packets)" \
	"$rx1/$rx2/$rx3"

# --- security groups --------------------------------------------------------

sg0=$(dp_stat "$C2" endpoint "$ID2" drop_security_group)
expect_match "rule 10.0.0.5/32 tcp:80: 10.0.0.5 reaches port 80" \
	"$(dp_get "$C2" 10.0.0.100 80)" '^t[123] '
expect_eq "stats endpoint: what the rule allows is not counted as drop_security_group" \
	"$(dp_stat "$C2" endpoint "$ID2" drop_security_group)" "$sg0"
DP_CONNECT_TIMEOUT=2 dp_get "$C2" 10.0.0.100 80 bind=10.0.0.6 >/dev/null
expect_match "another source (10.0.0.6) is dropped" "$(cat "$DP_TMP/get.err")" 'timed out'
sg1=$(dp_stat "$C2" endpoint "$ID2" drop_security_group)
expect_range "stats endpoint: drop_security_group counts its SYNs" "$((sg1 - sg0))" 1 3
expect_eq "UDP (no rule for it) is dropped" "$(DP_UDP_WAIT=2 dp_udp "$C2" 10.0.0.100 53)" ""
sg2=$(dp_stat "$C2" endpoint "$ID2" drop_security_group)
expect_eq "stats endpoint: drop_security_group counts the datagram" "$((sg2 - sg1))" 1
DP_CONNECT_TIMEOUT=2 dp_get "$C2" fd00::100 80 >/dev/null
expect_match "IPv6 (no rule for it) is dropped" "$(cat "$DP_TMP/get.err")" 'timed out'
expect_range "stats endpoint: drop_security_group counts the IPv6 SYNs" \
	"$(($(dp_stat "$C2" endpoint "$ID2" drop_security_group) - sg2))" 1 3
expect_match "no rules: every source passes (10.0.0.6 in C1)" \
	"$(dp_get "$C1" 10.0.0.100 80 bind=10.0.0.6)" '^t[123] 10\.0\.0\.200 '

# --- acceptance -------------------------------------------------------------

plinkctl -n "$P" service set web acceptance required
ID3=$(plinkctl -n "$C3" endpoint add web dev pl0 addr 10.0.0.100 addr fd00::100)
expect_eq "acceptance required: C3's endpoint is pending" \
	"$(plinkctl -n "$C3" -j endpoint show "$ID3" | jq -r '.[0].state')" pending-acceptance
st0=$(dp_stat "$C3" endpoint "$ID3" drop_state)
DP_CONNECT_TIMEOUT=2 dp_get "$C3" 10.0.0.100 80 >/dev/null
expect_match "pending: TCP does not pass" "$(cat "$DP_TMP/get.err")" 'timed out'
st1=$(dp_stat "$C3" endpoint "$ID3" drop_state)
expect_range "pending: drop_state counts the SYNs" "$((st1 - st0))" 1 3
expect_eq "pending: UDP does not pass" "$(DP_UDP_WAIT=2 dp_udp "$C3" 10.0.0.100 53)" ""
expect_eq "pending: drop_state counts the datagram" \
	"$(($(dp_stat "$C3" endpoint "$ID3" drop_state) - st1))" 1
expect_match "an endpoint accepted before still passes" "$(dp_get "$C1" 10.0.0.100 80)" '^t[123] '
plinkctl -n "$P" endpoint accept "$ID3"
expect_match "accepted: C3 reaches the service" "$(dp_get "$C3" 10.0.0.100 80)" '^t[123] 10\.0\.0\.200 '
expect_match "accepted: over IPv6 too" "$(dp_udp "$C3" fd00::100 53)" "^t[123] \[$NLB6\]"
plinkctl -n "$P" endpoint reject "$ID3"
st0=$(dp_stat "$C3" endpoint "$ID3" drop_state)
DP_CONNECT_TIMEOUT=2 dp_get "$C3" 10.0.0.100 80 >/dev/null
expect_match "rejected: nothing passes" "$(cat "$DP_TMP/get.err")" 'timed out'
expect_gt "rejected: drop_state counted" "$(dp_stat "$C3" endpoint "$ID3" drop_state)" "$st0"
plinkctl -n "$P" service set web acceptance auto

# --- ICMP errors --------------------------------------------------------------

i0=$(dp_stat "$P" service web icmp_errors)
dp_udp "$C1" 10.0.0.100 54 >/dev/null
expect_match "UDP/IPv4 to a closed target port: the client gets ECONNREFUSED" \
	"$(cat "$DP_TMP/udp.err")" 'Connection refused'
i1=$(dp_stat "$P" service web icmp_errors)
expect_eq "stats service: icmp_errors counts the IPv4 port unreachable" "$((i1 - i0))" 1
dp_udp "$C1" fd00::100 54 >/dev/null
expect_match "UDP/IPv6 to a closed target port: ECONNREFUSED" \
	"$(cat "$DP_TMP/udp.err")" 'Connection refused'
expect_eq "stats service: icmp_errors counts the IPv6 port unreachable" \
	"$(($(dp_stat "$P" service web icmp_errors) - i1))" 1

# --- a route change under a flow --------------------------------------------

# plink hands the provider each packet with its input route, cached per
# target: a route the provider changes under an established UDP flow
# takes effect at the flow's next datagram, and so does its undoing.
u=(10.0.0.100 53 bind=10.0.0.5:40053)
l=$(dp_udp "$C1" "${u[@]}")
expect_match "UDP: a flow from a fixed port is answered" "$l" '^t[123] 10\.0\.0\.200 [0-9]+$'
rt=${l%% *}
ta=10.0.0.${rt#t}
dp_udp "$C1" "${u[@]}" >/dev/null
ip -n "$P" route replace blackhole "$ta" table local
expect_eq "UDP: a blackhole route to the target in the provider takes effect for an established flow" \
	"$(DP_UDP_WAIT=2 dp_udp "$C1" "${u[@]}")" ""
ip -n "$P" route replace local "$ta" dev tg0 table local proto kernel \
	scope host src "$ta"
expect_eq "UDP: the local route back, the same flow's next datagram is answered (same target, same NLB port)" \
	"$(dp_udp "$C1" "${u[@]}")" "$l"
# The consumer's routes take effect likewise (plink caches the consumer's
# input route per endpoint for a SYN-ACK, the kernel's early demux one for
# a connected UDP socket): a blackhole route to the client's address in
# the consumer (bound regardless: freebind) at the flow's next answer.
u=(10.0.0.100 53 bind=10.0.0.5:40054,freebind=1)
l=$(dp_udp "$C1" "${u[@]}")
expect_match "UDP: a flow from another fixed port is answered" "$l" '^t[123] 10\.0\.0\.200 [0-9]+$'
dp_udp "$C1" "${u[@]}" >/dev/null
ip -n "$C1" route replace blackhole 10.0.0.5 table local
expect_eq "UDP: a blackhole route to the client in the consumer takes effect for an established flow" \
	"$(DP_UDP_WAIT=2 dp_udp "$C1" "${u[@]}")" ""
ip -n "$C1" route replace local 10.0.0.5 dev lan0 table local proto kernel \
	scope host src 10.0.0.5
expect_eq "UDP: the consumer's local route back, the flow's next datagram is answered" \
	"$(dp_udp "$C1" "${u[@]}")" "$l"

# --- bulk transfers (TSO/GSO, checksum offload) -----------------------------

dp_bulk $MB
sum=$(sha256sum <"$DP_BULK" | cut -d' ' -f1)
# seg_avg NS DEV DIR P0 B0: bytes per packet DEV sent (tx) or received (rx)
# since it had counted P0 packets and B0 bytes.
seg_avg()
{
	local p b
	p=$(dp_link "$1" "$2" "$3" packets)
	b=$(dp_link "$1" "$2" "$3" bytes)
	echo $(((b - $5) / (p - $4 > 0 ? p - $4 : 1)))
}
for a in 10.0.0.100 fd00::100; do
	h=$a
	[[ "$a" == *:* ]] && h="[$a]" v=IPv6 || v=IPv4
	tx0=$(dp_link "$C1" pl0 tx bytes)
	txp0=$(dp_link "$C1" pl0 tx packets)
	nrx0=$(dp_link "$P" nlb0 rx bytes)
	nrxp0=$(dp_link "$P" nlb0 rx packets)
	got=$(ip netns exec "$C1" timeout 300 socat -t 120 - "TCP:$h:9000,connect-timeout=5" <"$DP_BULK" 2>&1 | sed -E 's/^([0-9a-f]{64})  -$/\1/')
	expect_eq "TCP/$v: $MB MB consumer -> target, same sha256 at the target" "$got" "$sum"
	expect_gt "ip -s link: pl0 tx bytes grew by the upload" \
		"$(dp_link "$C1" pl0 tx bytes)" "$((tx0 + MB * 1048576))"
	# TSO: the upload leaves pl0 in segments larger than its MTU (1500),
	# and they arrive at nlb0 as large as they left (not resegmented).
	txa=$(seg_avg "$C1" pl0 tx "$txp0" "$tx0")
	rxa=$(seg_avg "$P" nlb0 rx "$nrxp0" "$nrx0")
	expect_gt "TCP/$v: pl0 sends TSO segments over the MTU ($txa bytes a packet)" "$txa" 1500
	expect_range "TCP/$v: nlb0 receives them whole ($rxa bytes a packet)" \
		"$rxa" $((txa * 9 / 10)) $((txa * 11 / 10))
	rx0=$(dp_link "$C1" pl0 rx bytes)
	got=$(ip netns exec "$C1" timeout 300 socat -u "TCP:$h:9001,connect-timeout=5" - 2>&1 | sha256sum | cut -d' ' -f1)
	expect_eq "TCP/$v: $MB MB target -> consumer, same sha256 at the consumer" "$got" "$sum"
	expect_gt "ip -s link: pl0 rx bytes grew by the download" \
		"$(dp_link "$C1" pl0 rx bytes)" "$((rx0 + MB * 1048576))"
done
expect_eq "no packet was dropped as malformed or fragment" \
	"$(dp_stat "$P" service web drop_malformed)/$(dp_stat "$P" service web drop_fragment)" 0/0

exit "$EXIT_STATUS"
