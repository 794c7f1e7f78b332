#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Consumer identity for providers: the proxy-protocol setting (refused
# for a service with no TCP listener, shown, saved), and a target looking
# up who is behind a connection: flow get in the service's netns, by the
# NLB address and port the target sees as its peer and its own address
# and port, answers the endpoint id and its owner; the consumer may not
# ask.

source "$(dirname "$0")/lib/datapath.sh"
require_plink
setup_ns P C || exit $ksft_fail

dp_provider "$P"
dp_target "$P" t1 10.0.0.1
dp_target "$P" t6 fd00::1
plinkctl -n "$P" service add ppweb dev nlb0 addr 10.0.0.200 addr fd00::200 \
	listener tcp:80:8080 acceptance auto allow '*'
plinkctl -n "$P" target add ppweb 10.0.0.1
plinkctl -n "$P" target add ppweb fd00::1
dp_consumer "$C"
ID=$(plinkctl -n "$C" endpoint add ppweb dev pl0 addr 10.0.0.100 \
	addr fd00::100)

# --- the setting --------------------------------------------------------------

expect_eq "proxy-protocol is off by default" \
	"$(plinkctl -n "$P" -j service show ppweb | jq -r '.[0].proxy_protocol')" off
expect_fail "a service with only UDP listeners is refused proxy-protocol" \
	'proxy-protocol applies to TCP listeners' \
	plinkctl -n "$P" service add ppudp dev nlb0 addr 10.0.0.201 \
	listener udp:53 proxy-protocol v2
expect_ok "a TCP service takes proxy-protocol v2" \
	plinkctl -n "$P" service set ppweb proxy-protocol v2
expect_eq "service show says so, text and JSON" \
	"$(plinkctl -n "$P" service show ppweb | grep -o 'proxy-protocol v2')/$(plinkctl -n "$P" -j service show ppweb | jq -r '.[0].proxy_protocol')" \
	"proxy-protocol v2/v2"
expect_fail "its listeners may not become UDP only" \
	'proxy-protocol applies to TCP listeners' \
	plinkctl -n "$P" service set ppweb listener udp:53
expect_eq "save writes it" \
	"$(plinkctl -n "$P" save | grep -c '^service add ppweb .* proxy-protocol v2')" 1
expect_ok "proxy-protocol off" \
	plinkctl -n "$P" service set ppweb proxy-protocol off
expect_eq "then save leaves it out" \
	"$(plinkctl -n "$P" save | grep -c 'proxy-protocol')" 0

# --- who is behind a connection -------------------------------------------------

# whoami: what flow get answers the target of the session, asking with
# what it sees ($DP_LINE: "NAME PEERADDR PEERPORT SOCKADDR SOCKPORT"; socat
# writes an IPv6 address in brackets).
whoami()
{
	plinkctl -n "$P" -j flow get service ppweb proto tcp \
		nlb "$paddr:$pport" target "$saddr:$sport" |
		jq -c '.[0] | [.endpoint, .owner_uid]'
}

for v in 4 6; do
	if [ "$v" = 4 ]; then addr=10.0.0.100; else addr=fd00::100; fi
	dp_sess_open s$v "$C" "$addr" 80
	expect_match "IPv$v: a session reaches a target" "$DP_LINE" '^t[16] '
	read -r _ paddr pport saddr sport <<<"$DP_LINE"
	expect_eq "IPv$v: the target learns the endpoint and its owner" \
		"$(whoami)" "[\"$ID\",0]"
	expect_fail "IPv$v: another port is no flow" 'no such flow' \
		plinkctl -n "$P" flow get service ppweb proto tcp \
		nlb "$paddr:$((pport ^ 1))" target "$saddr:$sport"
	expect_fail "IPv$v: the consumer may not ask by NLB address" \
		'no such service' \
		plinkctl -n "$C" flow get service ppweb proto tcp \
		nlb "$paddr:$pport" target "$saddr:$sport"
	expect_match "IPv$v: text output names the owner" \
		"$(plinkctl -n "$P" flow get service ppweb proto tcp \
		   nlb "$paddr:$pport" target "$saddr:$sport")" \
		"endpoint $ID service ppweb owner uid:0\$"
	dp_sess_close s$v
done

exit "$EXIT_STATUS"
