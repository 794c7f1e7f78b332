#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Flow dumps: with the module loaded with 64 buckets (long chains, and a
# dump that stops in the middle of them), a dump sends every flow once,
# also while flows are being added; a netns with no plink object gets an
# empty dump.

source "$(dirname "$0")/lib/datapath.sh"
require_plink
setup_ns P C E || exit $ksft_fail

rmmod plink || exit $ksft_fail
insmod "$PLINK_KO" flow_buckets=64 || exit $ksft_fail

dp_provider "$P"
ip -n "$P" addr add 10.0.0.1/24 dev tg0
plinkctl -n "$P" service add dumpsvc dev nlb0 addr 10.0.0.200 \
	listener udp:54:6000 acceptance auto allow '*'
plinkctl -n "$P" target add dumpsvc 10.0.0.1
dp_consumer "$C"
ID=$(plinkctl -n "$C" endpoint add dumpsvc dev pl0 addr 10.0.0.100)

# dump_udp N: N datagrams from as many sockets (new source ports): a UDP
# flow each, but where a port comes again.
dump_udp()
{
	ip netns exec "$C" bash -c '
		for ((i = 0; i < $0; i++)); do
			exec 5>/dev/udp/10.0.0.100/54 && echo x >&5
			exec 5>&-
		done' "$1" 2>/dev/null
}

dump_udp 300
n=$(dp_stat "$C" endpoint "$ID" flows_active)
expect_gt "300 datagrams opened flows in 64 buckets" "$n" 200
expect_eq "a consumer's dump sends each flow once" \
	"$(plinkctl -n "$C" -j flow show | jq -c '[length, ([.[] | [.client_addr, .client_port]] | unique | length)]')" \
	"[$n,$n]"
expect_eq "a provider's dump sends each flow once" \
	"$(plinkctl -n "$P" -j flow show | jq -c '[length, ([.[].nlb_port] | unique | length)]')" \
	"[$n,$n]"

dump_udp 600 &
more=$!
dups=0
for ((i = 0; i < 10; i++)); do
	d=$(plinkctl -n "$C" -j flow show |
		jq 'length - ([.[] | [.client_addr, .client_port]] | unique | length)')
	dups=$((dups + d))
done
wait "$more"
expect_eq "10 dumps while flows are added: no flow sent twice" "$dups" 0
expect_gt "and flows were added meanwhile" \
	"$(dp_stat "$C" endpoint "$ID" flows_active)" "$n"
expect_eq "a netns with no plink object: an empty dump" \
	"$(plinkctl -n "$E" -j flow show | jq length)" 0

ip -n "$C" link del pl0
ip -n "$P" link del nlb0
rmmod plink
insmod "$PLINK_KO"

exit "$EXIT_STATUS"
