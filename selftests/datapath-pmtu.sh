#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Path MTU discovery across plink: the target sits behind a router whose
# link to it has MTU 1280.  A bulk upload from the consumer still
# completes, because the router's ICMP "fragmentation needed" (IPv4) and
# "packet too big" (IPv6), sent to the NLB address, reach the client
# translated.  The provider forwards (ip_forward, IPv6 forwarding).
#
#   C (pl0) ~plink~ P (nlb0) --veth-- R (rt0 mtu 1280) --veth-- T (target)

source "$(dirname "$0")/lib/datapath.sh"
require_plink
setup_ns C P R T || exit $ksft_fail

MB=2
# KASAN under TCG: the path MTU is learnt from the first segments.
dp_debug && MB=1

dp_consumer "$C"
ip -n "$P" link add nlb0 type plink
ip -n "$P" link set nlb0 up
ip link add pr0 netns "$P" type veth peer name rp0 netns "$R"
# Only the router's side has MTU 1280: the target advertises an MSS of 1460,
# so the consumer sends full-sized segments that the router cannot forward.
ip link add rt0 netns "$R" mtu 1280 type veth peer name tr0 netns "$T"
for l in "$P pr0 192.168.1.1/24 fd01::1/64" "$R rp0 192.168.1.2/24 fd01::2/64" \
	 "$R rt0 192.168.2.1/24 fd02::1/64" "$T tr0 192.168.2.10/24 fd02::10/64"; do
	read -r ns dev a4 a6 <<<"$l"
	ip -n "$ns" addr add "$a4" dev "$dev"
	ip -n "$ns" addr add "$a6" dev "$dev" nodad
	ip -n "$ns" link set "$dev" up
done
ip -n "$P" route add 192.168.2.0/24 via 192.168.1.2
ip -n "$P" route add fd02::/64 via fd01::2
ip -n "$R" route add default via 192.168.1.1
ip -n "$R" route add default via fd01::1
ip -n "$T" route add default via 192.168.2.1
ip -n "$T" route add default via fd02::1
for ns in "$P" "$R"; do
	ip netns exec "$ns" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
done

dp_bulk $MB
dp_servers "$T" t4 192.168.2.10
dp_servers "$T" t6 fd02::10
# The IPv4 and IPv6 targets in two services, so that each family has one.
plinkctl -n "$P" service add pmtu4 dev nlb0 addr 10.0.0.200 listener tcp:9000 \
	listener tcp:80:8080 acceptance auto allow '*'
plinkctl -n "$P" service add pmtu6 dev nlb0 addr fd00::200 listener tcp:9000 \
	listener tcp:80:8080 acceptance auto allow '*'
plinkctl -n "$P" target add pmtu4 192.168.2.10
plinkctl -n "$P" target add pmtu6 fd02::10
plinkctl -n "$C" endpoint add pmtu4 dev pl0 addr 10.0.0.100 >/dev/null
plinkctl -n "$C" endpoint add pmtu6 dev pl0 addr fd00::100 >/dev/null

expect_eq "setup: the provider reaches the target through the router (MTU 1280)" \
	"$(dp_get "$P" 192.168.2.10 8080 | cut -d' ' -f1)/$(dp_get "$P" fd02::10 8080 | cut -d' ' -f1)" \
	t4/t6

sum=$(sha256sum <"$DP_BULK" | cut -d' ' -f1)
for v in 4 6; do
	if [ $v = 4 ]; then a=10.0.0.100 h=10.0.0.100 what='fragmentation needed'
	else a=fd00::100 h='[fd00::100]' what='packet too big'
	fi
	expect_match "IPv$v: a connection through the router works" \
		"$(dp_get "$C" "$a" 80)" "^t$v "
	i0=$(dp_stat "$P" service pmtu$v icmp_errors)
	got=$(ip netns exec "$C" timeout 120 socat -t 60 - "TCP:$h:9000,connect-timeout=5" <"$DP_BULK" 2>&1 | sed -E 's/^([0-9a-f]{64})  -$/\1/')
	expect_eq "IPv$v: $MB MB upload through the 1280 link completes intact" "$got" "$sum"
	expect_match "IPv$v: the client learnt the path MTU from the translated $what" \
		"$(ip -n "$C" -$v route get "$a")" 'mtu 1280( |$)'
	expect_gt "IPv$v: stats: icmp_errors counts it" \
		"$(dp_stat "$P" service pmtu$v icmp_errors)" "$i0"
done

exit "$EXIT_STATUS"
