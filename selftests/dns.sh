#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Private DNS names: a service's dns-name, and the consumer's
# /etc/netns/NETNS/hosts that plinkctl keeps in step (endpoint add and del,
# service del), other lines untouched; "ip netns exec" then resolves the
# name (getent, from /etc/hosts) and connects by it; private-dns off; dns
# show; service set dns-name renames or removes the lines, dns sync makes
# them again from the kernel; the name is unique per owner and checked;
# save keeps it.

source "$(dirname "$0")/lib/datapath.sh"
require_plink
setup_ns P C || exit $ksft_fail
H=/etc/netns/$C/hosts
NAME=web.example.internal

dp_provider "$P"
dp_target "$P" t1 10.0.0.1
dp_target "$P" t6 fd00::1
plinkctl -n "$P" service add web dev nlb0 addr 10.0.0.200 addr fd00::200 \
	listener tcp:80:8080 acceptance auto allow '*' dns-name "$NAME"
plinkctl -n "$P" target add web 10.0.0.1
plinkctl -n "$P" target add web fd00::1
dp_consumer "$C"
mkdir -p "/etc/netns/$C"
printf '127.0.0.1\tlocalhost\n192.0.2.9\tother.example # kept\n' >"$H"

ID=$(plinkctl -n "$C" endpoint add web dev pl0 addr 10.0.0.100 addr fd00::100)
expect_eq "endpoint add: a line per address in /etc/netns/NETNS/hosts, the others kept" \
	"$(cat "$H")" "127.0.0.1	localhost
192.0.2.9	other.example # kept
10.0.0.100	$NAME	# plink $ID uid:0/web
fd00::100	$NAME	# plink $ID uid:0/web"
expect_match "ip netns exec resolves the name (getent)" \
	"$(ip netns exec "$C" getent ahostsv4 "$NAME" | head -n 1)" "^10\.0\.0\.100 "
slowwait 20 bash -c "ip netns exec $C timeout 10 socat -T 5 - TCP4:$NAME:80,connect-timeout=5 </dev/null | grep -q '^t1 '"
expect_match "and connects to the service by it" \
	"$(ip netns exec "$C" timeout 10 socat -T 5 - "TCP4:$NAME:80,connect-timeout=5" </dev/null | head -n 1)" '^t1 '
expect_eq "dns show: the entries, from the kernel" \
	"$(plinkctl -n "$C" dns show | tr '\t\n' '  ')" \
	"10.0.0.100 $NAME $ID fd00::100 $NAME $ID "
expect_match "save keeps the DNS name" "$(plinkctl -n "$P" save)" \
	" dns-name $NAME( |\$)"

ID2=$(plinkctl -n "$C" endpoint add web dev pl0 addr 10.0.0.101 private-dns off)
expect_eq "private-dns off: no line" "$(grep -c "$ID2" "$H")" 0
plinkctl -n "$C" endpoint del "$ID"
expect_eq "endpoint del: its lines go, the others stay" "$(cat "$H")" \
	"127.0.0.1	localhost
192.0.2.9	other.example # kept"

ID=$(plinkctl -n "$C" endpoint add web dev pl0 addr 10.0.0.100)
# The provider renames the service: its lines follow, the others stay.
plinkctl -n "$P" service set web dns-name new.example.internal
expect_eq "service set dns-name: its lines in every netns get the new name" \
	"$(grep -v localhost "$H")" "192.0.2.9	other.example # kept
10.0.0.100	new.example.internal	# plink $ID uid:0/web"
expect_match "ip netns exec resolves the new name" \
	"$(ip netns exec "$C" getent hosts new.example.internal)" '^10\.0\.0\.100 '
plinkctl -n "$P" service set web dns-name ""
expect_eq "service set dns-name \"\": its lines go" "$(grep -c plink "$H")" 0
plinkctl -n "$P" service set web dns-name "$NAME"
expect_eq "a name set after the endpoint: no line until dns sync" \
	"$(grep -c plink "$H")" 0
plinkctl -n "$C" dns sync
expect_eq "dns sync: the netns's lines, from the kernel, the others kept" \
	"$(grep -v localhost "$H")" "192.0.2.9	other.example # kept
10.0.0.100	$NAME	# plink $ID uid:0/web"
plinkctl -n "$P" service del web force
expect_eq "service del: its endpoints' lines go from every netns" \
	"$(grep -c plink "$H") $(grep -c other.example "$H")" "0 1"

plinkctl -n "$P" service add a dev nlb0 addr 10.0.0.210 listener tcp:80 dns-name x.example
expect_fail "a DNS name is unique among its owner's services" \
	"another service of this owner has this DNS name" \
	plinkctl -n "$P" service add b dev nlb0 addr 10.0.0.211 listener tcp:80 dns-name x.example
expect_fail "a DNS name is checked" "DNS name must be" \
	plinkctl -n "$P" service set a dns-name "bad_name.example"

exit "$EXIT_STATUS"
