#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The packets at the edges of the datapath: ICMP errors other than port
# unreachable and PMTU (time exceeded, destination unreachable, parameter
# problem), IPv6 extension headers, fragments, malformed packets and
# packets to a port with no listener, from either side, each counter
# checked for the exact number of packets sent.
#
#   C (pl0) ~plink~ P (nlb0) --veth-- R --veth-- T (target)
#
# R forwards to T, and has no route to 192.168.3.0/24 and fd03::/64: the
# services edge4u and edge6u have their targets there.  Raw packets are
# written onto pl0 and nlb0 with AF_PACKET (dp_packet, dp_packet6); ICMP
# that reaches the consumer is captured with a raw socket.

source "$(dirname "$0")/lib/datapath.sh"
require_plink
setup_ns C P R T || exit $ksft_fail

dp_consumer "$C"
ip -n "$P" link add nlb0 type plink
ip -n "$P" link set nlb0 up
ip link add pr0 netns "$P" type veth peer name rp0 netns "$R"
ip link add rt0 netns "$R" type veth peer name tr0 netns "$T"
for l in "$P pr0 192.168.1.1/24 fd01::1/64" "$R rp0 192.168.1.2/24 fd01::2/64" \
	 "$R rt0 192.168.2.1/24 fd02::1/64" "$T tr0 192.168.2.10/24 fd02::10/64"; do
	read -r ns dev a4 a6 <<<"$l"
	ip -n "$ns" addr add "$a4" dev "$dev"
	ip -n "$ns" addr add "$a6" dev "$dev" nodad
	ip -n "$ns" link set "$dev" up
done
ip -n "$P" route add 192.168.2.0/23 via 192.168.1.2
ip -n "$P" route add fd02::/15 via fd01::2
ip -n "$R" route add default via 192.168.1.1
ip -n "$R" route add default via fd01::1
ip -n "$R" route add unreachable 192.168.3.0/24
ip -n "$R" route add unreachable fd03::/64
ip -n "$T" route add default via 192.168.2.1
ip -n "$T" route add default via fd02::1
for ns in "$P" "$R"; do
	ip netns exec "$ns" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
done
# Every error R and T send counts here: none may be rate-limited.
for ns in "$R" "$T"; do
	ip netns exec "$ns" sysctl -qw net.ipv4.icmp_ratelimit=0 net.ipv6.icmp.ratelimit=0
done

dp_servers "$T" t4 192.168.2.10
dp_servers "$T" t6 fd02::10
add_service()
{
	plinkctl -n "$P" service add "$1" dev nlb0 addr "$2" listener tcp:80:8080 \
		listener udp:5353 acceptance auto allow '*' >/dev/null
	plinkctl -n "$P" target add "$1" "$3" >/dev/null
	plinkctl -n "$C" endpoint add "$1" dev pl0 addr "$4"
}
EP4=$(add_service edge4 10.0.0.200 192.168.2.10 10.0.0.100)
EP6=$(add_service edge6 fd00::200 fd02::10 fd00::100)
EP4U=$(add_service edge4u 10.0.0.201 192.168.3.10 10.0.0.101)
EP6U=$(add_service edge6u fd00::201 fd03::10 fd00::101)

expect_eq "setup: the consumer reaches both targets through the router" \
	"$(dp_get "$C" 10.0.0.100 80 | cut -d' ' -f1)/$(dp_get "$C" fd00::100 80 | cut -d' ' -f1)" \
	t4/t6

S4=$(dp_ip4 10.0.0.5) E4=$(dp_ip4 10.0.0.100) N4=$(dp_ip4 10.0.0.200)
T4=$(dp_ip4 192.168.2.10)
S6=$(dp_ip6 fd00::5) E6=$(dp_ip6 fd00::100) N6=$(dp_ip6 fd00::200)
T6=$(dp_ip6 fd02::10)

# --- packet builders (hex) ----------------------------------------------------

# l4csum PSEUDO L4 OFF: L4 with the checksum over PSEUDO and L4 (odd
# length padded) written at hex digit OFF.
l4csum()
{
	local l4=$2 pad=

	((${#l4} % 4)) && pad=00
	echo "${l4:0:$3}$(dp_csum "$1$l4$pad")${l4:$(($3 + 4))}"
}

# ip4 SRC DST PROTO PAYLOAD [IHL [TOTLEN [FRAG]]]: an IPv4 packet (20-byte
# header whatever IHL says), its header checksum right.
ip4()
{
	local len=$((20 + ${#4} / 2)) h

	h=$(printf '4%x00%04x0000%04x40%s' "${5:-5}" "${6:-$len}" \
		$((16#${7:-4000})) "$3")
	echo "$h$(dp_csum "${h}0000$1$2")$1$2$4"
}

# udp4 SRC SPORT DST DPORT PAYLOAD [ULEN]: a UDP datagram in IPv4.
udp4()
{
	local n=$((8 + ${#5} / 2)) u

	u=$(printf '%04x%04x%04x0000' "$2" "$4" "${6:-$n}")$5
	ip4 "$1" "$3" 11 "$(l4csum "$1${3}0011$(printf %04x "$n")" "$u" 12)"
}

# tcp SPORT DPORT FLAGS [DOFF]: a TCP header (20 bytes, DOFF in its
# offset field), checksum zero.
tcp()
{
	printf '%04x%04x%08x%08x%x0%s721000000000' "$1" "$2" 1000 0 "${4:-5}" "$3"
}

# tcp4 SRC SPORT DST DPORT FLAGS [DOFF [CUT]]: a TCP segment in IPv4, cut
# to its first CUT bytes.
tcp4()
{
	local t

	t=$(l4csum "$1${3}00060014" "$(tcp "$2" "$4" "$5" "${6:-5}")" 32)
	ip4 "$1" "$3" 06 "${t:0:$((${7:-20} * 2))}"
}

# ip6 SRC DST NEXTHDR PAYLOAD [PLEN]: an IPv6 packet.
ip6()
{
	printf '60000000%04x%s40%s%s%s\n' "${5:-$((${#4} / 2))}" "$3" "$1" "$2" "$4"
}

# l4v6 SRC DST PROTO L4 OFF: L4 with its checksum for SRC -> DST.
l4v6()
{
	l4csum "$1$2$(printf '%08x' $((${#4} / 2)))000000$3" "$4" "$5"
}

# udp6h SRC SPORT DST DPORT PAYLOAD [ULEN]: a UDP header and payload.
udp6h()
{
	local n=$((8 + ${#5} / 2))

	l4v6 "$1" "$3" 11 "$(printf '%04x%04x%04x0000' "$2" "$4" "${6:-$n}")$5" 12
}

# Extension headers, 8 bytes each, before next header NH: hop-by-hop and
# destination options with a PadN, destination options with option 0x80
# (unknown, "discard and send a parameter problem"); a type 0 routing
# header (24 bytes) with SEGLEFT segments left.
hbh()    { echo "${1}00010400000000"; }
dstopt() { echo "${1}00010400000000"; }
dstbad() { echo "${1}00800400000000"; }
rthdr()  { echo "${1}0200$(printf %02x "$2")00000000$(dp_ip6 fd02::99)"; }

# --- raw ICMP capture in the consumer -------------------------------------

CAP=$DP_TMP/cap.bin
# cap_start 4|6: capture the first ICMP message C receives (from its type
# on, without the IP header), and its source address in $CAP.peer.
cap_start()
{
	local proto=IP4-RECVFROM:1
	[ "$1" = 6 ] && proto=IP6-RECVFROM:58
	rm -f "$CAP" "$CAP.peer"
	ip netns exec "$C" socat -u "$proto" \
		SYSTEM:"echo \$SOCAT_PEERADDR >$CAP.peer; cat >$CAP" </dev/null &
	CAP_PID=$!
	slowwait 10 bash -c "ip netns exec $C cat /proc/net/raw /proc/net/raw6 | grep -q ' 07 '" >/dev/null
}
# cap_hex: wait for a packet (10 s at most), print the capture in hex.
cap_hex()
{
	slowwait 10 bash -c "[ -s $CAP ] && [ -s $CAP.peer ]" >/dev/null
	kill "$CAP_PID" 2>/dev/null
	wait "$CAP_PID" 2>/dev/null
	od -An -tx1 -v "$CAP" | tr -d ' \n'
}

# --- ICMP errors from the provider's side, translated -------------------------

# per_syn SERVICE EP I0 F0: each SYN the client sent (fwd_packets since F0;
# one, or two when the first error reached the socket while connect() still
# held it, a soft error then) drew one error (icmp_errors since I0).
per_syn()
{
	local i f

	i=$(($(dp_stat "$P" service "$1" icmp_errors) - $3))
	f=$(($(dp_stat "$C" endpoint "$2" fwd_packets) - $4))
	echo "$i/$((f >= 1))"
}

# time exceeded: the SYN leaves the consumer with TTL/hop limit 2, P takes
# one, R has none left for T.
i0=$(dp_stat "$P" service edge4 icmp_errors)
f0=$(dp_stat "$C" endpoint "$EP4" fwd_packets)
cap_start 4
expect_fail "IPv4: a SYN whose TTL runs out at R: the client gets \"No route to host\"" \
	'No route to host' ip netns exec "$C" timeout 10 socat -u /dev/null \
	TCP:10.0.0.100:80,bind=10.0.0.5:40001,connect-timeout=5,ttl=2
h=$(cap_hex)
expect_eq "IPv4: time exceeded from the endpoint address, quoting client -> endpoint:80" \
	"$(cat "$CAP.peer")/${h:0:4}/${h:34:2}/${h:40:16}/${h:56:8}" \
	"10.0.0.100/0b00/06/$S4$E4/9c410050"
expect_eq "IPv4: its ICMP and quoted IP checksums are right" \
	"$(dp_csum "$h")/$(dp_csum "${h:16:40}")" 0000/0000
expect_eq "IPv4: stats: icmp_errors counts one error per SYN" \
	"$(per_syn edge4 "$EP4" "$i0" "$f0")" "$(($(dp_stat "$C" endpoint "$EP4" fwd_packets) - f0))/1"

i0=$(dp_stat "$P" service edge6 icmp_errors)
f0=$(dp_stat "$C" endpoint "$EP6" fwd_packets)
cap_start 6
expect_fail "IPv6: a SYN whose hop limit runs out at R: the client gets \"No route to host\"" \
	'No route to host' ip netns exec "$C" timeout 10 socat -u /dev/null \
	"TCP6:[fd00::100]:80,bind=[fd00::5]:40002,connect-timeout=5,unicast-hops=2"
h=$(cap_hex)
expect_eq "IPv6: time exceeded from the endpoint address, quoting client -> endpoint:80" \
	"$(dp_ip6 "$(tr -d '[]' <"$CAP.peer")")/${h:0:4}/${h:32:64}/${h:96:8}" \
	"$E6/0300/$S6$E6/9c420050"
expect_eq "IPv6: stats: icmp_errors counts one error per SYN" \
	"$(per_syn edge6 "$EP6" "$i0" "$f0")" "$(($(dp_stat "$C" endpoint "$EP6" fwd_packets) - f0))/1"

# destination unreachable: R has an unreachable route to the target.
i0=$(dp_stat "$P" service edge4u icmp_errors)
f0=$(dp_stat "$C" endpoint "$EP4U" fwd_packets)
DP_CONNECT_TIMEOUT=5 dp_get "$C" 10.0.0.101 80 >/dev/null
expect_match "IPv4: a target R has no route to: the client gets \"No route to host\"" \
	"$(cat "$DP_TMP/get.err")" 'No route to host'
expect_eq "IPv4: stats: icmp_errors counts one host unreachable per SYN" \
	"$(per_syn edge4u "$EP4U" "$i0" "$f0")" "$(($(dp_stat "$C" endpoint "$EP4U" fwd_packets) - f0))/1"
i0=$(dp_stat "$P" service edge6u icmp_errors)
f0=$(dp_stat "$C" endpoint "$EP6U" fwd_packets)
DP_CONNECT_TIMEOUT=5 dp_get "$C" fd00::101 80 >/dev/null
expect_match "IPv6: a target R has no route to: the client gets \"Network is unreachable\"" \
	"$(cat "$DP_TMP/get.err")" 'Network is unreachable'
expect_eq "IPv6: stats: icmp_errors counts one no-route unreachable per SYN" \
	"$(per_syn edge6u "$EP6U" "$i0" "$f0")" "$(($(dp_stat "$C" endpoint "$EP6U" fwd_packets) - f0))/1"
# A host unreachable is a soft error for UDP: only IP_RECVERR reports it.
i0=$(dp_stat "$P" service edge4u icmp_errors)
DP_UDP_WAIT=10
expect_eq "IPv4 UDP (IP_RECVERR): the client gets \"No route to host\"" \
	"$(dp_udp "$C" 10.0.0.101 5353 ip-recverr=1)/$(grep -c 'No route to host' "$DP_TMP/udp.err")" /1
expect_eq "IPv4 UDP: stats: icmp_errors counts the one host unreachable" \
	"$(($(dp_stat "$P" service edge4u icmp_errors) - i0))" 1

# parameter problem, IPv6: T does not know destination option 0x80.
i0=$(dp_stat "$P" service edge6 icmp_errors)
n0=$(dp_stat "$C" endpoint "$EP6" flows_new)
cap_start 6
u=$(udp6h "$S6" 40003 "$E6" 5353 70696e67)
dp_packet6 "$C" pl0 "$(ip6 "$S6" "$E6" 3c "$(dstbad 11)$u")"
h=$(cap_hex)
expect_eq "IPv6: a destination option T must refuse opens a flow, and T's parameter problem comes back" \
	"$(($(dp_stat "$C" endpoint "$EP6" flows_new) - n0))/${h:0:4}" 1/0402
expect_eq "IPv6: the parameter problem, from the endpoint address, quotes client -> endpoint and points at the option" \
	"$(dp_ip6 "$(tr -d '[]' <"$CAP.peer")")/${h:8:8}/${h:16:8}/${h:32:64}" \
	"$E6/0000002a/60000000/$S6$E6"
expect_eq "IPv6: stats: icmp_errors counts the parameter problem" \
	"$(($(dp_stat "$P" service edge6 icmp_errors) - i0))" 1

# parameter problem, IPv4: plink forwards no IPv4 options, so T would
# never send one; P sends it on nlb0, about a live UDP flow whose client
# is connected, and the client's socket gets EPROTO.
mkfifo "$DP_TMP/u.in"
ip netns exec "$C" timeout 30 socat -T 20 - UDP4:10.0.0.100:5353,bind=10.0.0.5:40004 \
	<"$DP_TMP/u.in" >"$DP_TMP/u.out" 2>"$DP_TMP/u.err" &
upid=$!
exec {ufd}>"$DP_TMP/u.in"
echo ping >&"$ufd"
slowwait 10 bash -c "[ -s $DP_TMP/u.out ]" >/dev/null
nport=$(plinkctl -n "$P" -j flow show |
	jq '[.[] | select(.proto == "udp" and .nlb_addr == "10.0.0.200")][0].nlb_port')
expect_match "IPv4 UDP: a connected client gets its answer" "$(cat "$DP_TMP/u.out")" '^t4 '
i0=$(dp_stat "$P" service edge4 icmp_errors)
cap_start 4
q=$(ip4 "$N4" "$T4" 11 "$(printf '%04x%04x00080000' "$nport" 5353)")
m=0c00000000000000$q
dp_packet "$P" nlb0 "$(ip4 "$T4" "$N4" 01 "0c00$(dp_csum "$m")${m:8}")"
h=$(cap_hex)
expect_eq "IPv4: the parameter problem reaches the client translated" \
	"$(cat "$CAP.peer")/${h:0:4}/${h:40:16}/${h:56:8}" "10.0.0.100/0c00/$S4$E4/9c4414e9"
expect_eq "IPv4: its ICMP and quoted IP checksums are right" \
	"$(dp_csum "$h")/$(dp_csum "${h:16:40}")" 0000/0000
slowwait 10 bash -c "! kill -0 $upid 2>/dev/null" >/dev/null
expect_match "IPv4: the client's socket gets \"Protocol error\"" \
	"$(cat "$DP_TMP/u.err")" 'Protocol error'
expect_eq "IPv4: stats: icmp_errors counts the parameter problem" \
	"$(($(dp_stat "$P" service edge4 icmp_errors) - i0))" 1
exec {ufd}>&-
wait "$upid" 2>/dev/null

# --- IPv6 extension headers -----------------------------------------------------

# Hop-by-hop and destination options, and a routing header with no
# segments left, are skipped: a UDP datagram behind them is answered.
ip netns exec "$C" socat -u UDP6-RECV:40005 "OPEN:$DP_TMP/x.out,creat,append" \
	</dev/null &
xpid=$!
dp_wait_listen "$C" 40005 "" -u
k=0
u=$(udp6h "$S6" 40005 "$E6" 5353 70696e67)
for x in "hop-by-hop options:00:$(hbh 11)" "destination options:3c:$(dstopt 11)" \
	 "a routing header with no segments left:2b:$(rthdr 11 0)" \
	 "hop-by-hop and destination options:00:$(hbh 3c)$(dstopt 11)" \
	 "an atomic fragment header:2c:110000000000abcd"; do
	IFS=: read -r desc nh ext <<<"$x"
	f0=$(dp_stat "$C" endpoint "$EP6" fwd_packets)
	dp_packet6 "$C" pl0 "$(ip6 "$S6" "$E6" "$nh" "$ext$u")"
	k=$((k + 1))
	slowwait 10 bash -c "[ \$(wc -l <$DP_TMP/x.out) -ge $k ]" >/dev/null
	expect_eq "IPv6 UDP behind $desc: forwarded once, and answered" \
		"$(($(dp_stat "$C" endpoint "$EP6" fwd_packets) - f0))/$(sed -n "${k}p" "$DP_TMP/x.out" | cut -d' ' -f1)" \
		1/t6
done
kill "$xpid" 2>/dev/null
wait "$xpid" 2>/dev/null

# A TCP SYN behind destination options: T answers with a SYN-ACK.
r0=$(dp_stat "$C" endpoint "$EP6" rev_packets)
n0=$(dp_stat "$C" endpoint "$EP6" flows_new)
t=$(l4v6 "$S6" "$E6" 06 "$(tcp 40006 80 02)" 32)
dp_packet6 "$C" pl0 "$(ip6 "$S6" "$E6" 3c "$(dstopt 06)$t")"
slowwait 10 bash -c "[ \$(plinkctl -n $C -j stats endpoint $EP6 | jq '.endpoints[0].stats.rev_packets') -gt $r0 ]" >/dev/null
expect_eq "IPv6 TCP SYN behind destination options: a new flow, and T's SYN-ACK comes back" \
	"$(($(dp_stat "$C" endpoint "$EP6" flows_new) - n0))/$(($(dp_stat "$C" endpoint "$EP6" rev_packets) - r0))" \
	1/1

# A routing header with segments left would send the packet on, past the
# target, to an address the consumer chose: dropped, either way.
o0=$(dp_stat "$C" endpoint "$EP6" drop_ip_options)
f0=$(dp_stat "$C" endpoint "$EP6" fwd_packets)
u=$(udp6h "$S6" 40007 "$E6" 5353 70696e67)
dp_packet6 "$C" pl0 "$(ip6 "$S6" "$E6" 2b "$(rthdr 11 1)$u")"
expect_eq "IPv6: a routing header with segments left is dropped as drop_ip_options (consumer)" \
	"$(($(dp_stat "$C" endpoint "$EP6" drop_ip_options) - o0))/$(($(dp_stat "$C" endpoint "$EP6" fwd_packets) - f0))" \
	1/0
o0=$(dp_stat "$P" service edge6 drop_ip_options)
u=$(udp6h "$T6" 5353 "$N6" 40007 70696e67)
dp_packet6 "$P" nlb0 "$(ip6 "$T6" "$N6" 2b "$(rthdr 11 1)$u")"
expect_eq "IPv6: a routing header with segments left is dropped as drop_ip_options (provider)" \
	"$(($(dp_stat "$P" service edge6 drop_ip_options) - o0))" 1

# --- fragments ------------------------------------------------------------------

# 3000 bytes of UDP over an MTU of 1500 go as three fragments, in IPv4
# (1480 + 1480 + 48 bytes) and in IPv6 (1448 + 1448 + 112).
big()
{
	head -c 3000 /dev/zero | ip netns exec "$1" socat -u - "$2"
}
d0=$(dp_stat "$C" endpoint "$EP4" drop_fragment)
big "$C" UDP4:10.0.0.100:5353
expect_eq "IPv4: a 3000-byte datagram from the consumer: drop_fragment counts its 3 fragments" \
	"$(($(dp_stat "$C" endpoint "$EP4" drop_fragment) - d0))" 3
d0=$(dp_stat "$C" endpoint "$EP6" drop_fragment)
big "$C" "UDP6:[fd00::100]:5353"
expect_eq "IPv6: a 3000-byte datagram from the consumer: drop_fragment counts its 3 fragments" \
	"$(($(dp_stat "$C" endpoint "$EP6" drop_fragment) - d0))" 3
d0=$(dp_stat "$P" service edge4 drop_fragment)
big "$P" UDP4-SENDTO:10.0.0.200:7000,bind=192.168.1.1
expect_eq "IPv4: a 3000-byte datagram from the provider: drop_fragment counts its 3 fragments" \
	"$(($(dp_stat "$P" service edge4 drop_fragment) - d0))" 3
d0=$(dp_stat "$P" service edge6 drop_fragment)
big "$P" "UDP6-SENDTO:[fd00::200]:7000,bind=[fd01::1]"
expect_eq "IPv6: a 3000-byte datagram from the provider: drop_fragment counts its 3 fragments" \
	"$(($(dp_stat "$P" service edge6 drop_fragment) - d0))" 3
# One fragment written whole, from either side (an atomic fragment, offset
# 0 and no more, is a whole datagram: see the extension headers above).
u=$(udp6h "$S6" 40008 "$E6" 5353 70696e67)
d0=$(dp_stat "$C" endpoint "$EP6" drop_fragment)
dp_packet6 "$C" pl0 "$(ip6 "$S6" "$E6" 2c "110000090000abce$u")"
expect_eq "IPv6: a non-first fragment from the consumer: drop_fragment counts it" \
	"$(($(dp_stat "$C" endpoint "$EP6" drop_fragment) - d0))" 1
d0=$(dp_stat "$P" service edge4 drop_fragment)
dp_packet "$P" nlb0 "$(udp4 "$T4" 5353 "$N4" 40008 70696e67 "" | sed 's/^\(.\{12\}\)4000/\12000/')"
expect_eq "IPv4: a first fragment from the provider: drop_fragment counts it" \
	"$(($(dp_stat "$P" service edge4 drop_fragment) - d0))" 1

# --- malformed packets -------------------------------------------------------------

# bad NS DEV FAMILY DESC HEX: HEX, sent on DEV, is counted as
# drop_malformed once (on EP4 from the consumer, on the service edge4 or
# edge6 from the provider) and as a tx drop of DEV (at least: the stack's
# own router solicitations and MLD reports may be dropped meanwhile).
bad()
{
	local ns=$1 dev=$2 v=$3 desc=$4 hex=$5 obj d0 t0 send=dp_packet

	if [ "$ns" = "$C" ]; then
		obj=(endpoint "$EP4")
	else
		obj=(service "edge$v")
	fi
	[ "$v" = 6 ] && send=dp_packet6
	d0=$(dp_stat "$ns" "${obj[@]}" drop_malformed)
	t0=$(dp_link "$ns" "$dev" tx dropped)
	$send "$ns" "$dev" "$hex"
	expect_eq "malformed, $desc: drop_malformed and tx dropped count it" \
		"$(($(dp_stat "$ns" "${obj[@]}" drop_malformed) - d0))/$(($(dp_link "$ns" "$dev" tx dropped) > t0))" \
		1/1
}
syn=$(tcp4 "$S4" 40010 "$E4" 80 02)
bad "$C" pl0 4 "IPv4 header length 16" "$(tcp4 "$S4" 40010 "$E4" 80 02 | sed 's/^45/44/')"
bad "$C" pl0 4 "IPv4 header length 24 in a 20-byte packet" "$(ip4 "$S4" "$E4" 06 "" 6)"
bad "$C" pl0 4 "IPv4 total length past the packet's end" "$(ip4 "$S4" "$E4" 06 "${syn:40}" 5 50)"
bad "$C" pl0 4 "TCP header cut at 10 bytes" "$(tcp4 "$S4" 40010 "$E4" 80 02 5 10)"
bad "$C" pl0 4 "TCP data offset 4 (< 5)" "$(tcp4 "$S4" 40010 "$E4" 80 02 4)"
bad "$C" pl0 4 "TCP data offset 15 in a 20-byte segment" "$(tcp4 "$S4" 40010 "$E4" 80 02 15)"
bad "$C" pl0 4 "UDP header cut at 4 bytes" "$(ip4 "$S4" "$E4" 11 "$(printf '%04x%04x' 40010 5353)")"
bad "$C" pl0 4 "UDP length past the datagram's end" "$(udp4 "$S4" 40010 "$E4" 5353 70696e67 14)"
bad "$C" pl0 4 "UDP length 4 (< 8)" "$(udp4 "$S4" 40010 "$E4" 5353 70696e67 4)"
u=$(udp6h "$S6" 40010 "$E6" 5353 70696e67)
bad "$C" pl0 6 "IPv6 payload length past the packet's end" "$(ip6 "$S6" "$E6" 11 "$u" 40)"
bad "$C" pl0 6 "IPv6 hop-by-hop header cut short" "$(ip6 "$S6" "$E6" 00 "1101010400000000")"
bad "$C" pl0 6 "IPv6 TCP data offset 3" "$(ip6 "$S6" "$E6" 06 "$(l4v6 "$S6" "$E6" 06 "$(tcp 40010 80 02 3)" 32)")"
bad "$C" pl0 6 "IPv6 UDP length past the datagram's end" \
	"$(ip6 "$S6" "$E6" 11 "$(udp6h "$S6" 40010 "$E6" 5353 70696e67 14)")"
bad "$P" nlb0 4 "from the provider, UDP length past the datagram's end" \
	"$(udp4 "$T4" 5353 "$N4" 40010 70696e67 14)"
bad "$P" nlb0 4 "from the provider, TCP data offset 4" "$(tcp4 "$T4" 8080 "$N4" 40010 12 4)"
bad "$P" nlb0 6 "from the provider, IPv6 TCP data offset 3" \
	"$(ip6 "$T6" "$N6" 06 "$(l4v6 "$T6" "$N6" 06 "$(tcp 8080 40010 12 3)" 32)")"
t0=$(dp_link "$P" nlb0 tx dropped)
dp_packet "$P" nlb0 "$(tcp4 "$T4" 8080 "$N4" 40010 12 | sed 's/^45/44/')"
expect_gt "malformed from the provider, IPv4 header length 16: a tx drop of nlb0" \
	"$(dp_link "$P" nlb0 tx dropped)" "$t0"

# --- no listener ---------------------------------------------------------------------

# A SYN to a port with no listener is dropped and counted, and answered
# with nothing (no RST: an endpoint answers only its listeners); so is a
# datagram.  (drop_no_port is SNAT port exhaustion: KUnit's flow tests.)
l0=$(dp_stat "$C" endpoint "$EP4" drop_no_listener)
rx0=$(dp_link "$C" pl0 rx packets)
dp_packet "$C" pl0 "$(tcp4 "$S4" 40011 "$E4" 81 02)"
dp_packet "$C" pl0 "$(udp4 "$S4" 40011 "$E4" 81 70696e67)"
expect_eq "a SYN and a datagram to port 81 (no listener): drop_no_listener counts 2" \
	"$(($(dp_stat "$C" endpoint "$EP4" drop_no_listener) - l0))" 2
l0=$(dp_stat "$C" endpoint "$EP6" drop_no_listener)
dp_packet6 "$C" pl0 "$(ip6 "$S6" "$E6" 06 "$(l4v6 "$S6" "$E6" 06 "$(tcp 40011 81 02)" 32)")"
dp_packet6 "$C" pl0 "$(ip6 "$S6" "$E6" 11 "$(udp6h "$S6" 40011 "$E6" 81 70696e67)")"
expect_eq "IPv6: a SYN and a datagram to port 81: drop_no_listener counts 2" \
	"$(($(dp_stat "$C" endpoint "$EP6" drop_no_listener) - l0))" 2
expect_eq "nothing comes back to the consumer (no RST)" "$(dp_link "$C" pl0 rx packets)" "$rx0"

expect_match "after it all, the endpoints still work" \
	"$(dp_get "$C" 10.0.0.100 80 | cut -d' ' -f1)/$(dp_udp "$C" fd00::100 5353 | cut -d' ' -f1)" \
	'^t4/t6$'

exit "$EXIT_STATUS"
