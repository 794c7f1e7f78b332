#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Save and restore: "plinkctl save" of a provider (acceptance required)
# and of three consumers whose endpoints it accepted; every netns deleted;
# "plinkctl -batch" rebuilds them in new ones (the provider first), the
# endpoints keep their ids and are available with no new acceptance,
# traffic flows, and a second save is the same, byte for byte.  The same
# with the consumers restored first: their endpoints wait in
# pending-service until the provider's service appears.  Then
# -batch's errors: FILE:LINE: and the kernel's message, the first error
# stops the batch, -force goes on and still fails.

source "$(dirname "$0")/lib/datapath.sh"
require_plink
sysctl -qw kernel.unprivileged_userns_clone=1 2>/dev/null
setup_ns P C1 C2 C3 || exit $ksft_fail
CS=("$C1" "$C2" "$C3")
D=$DP_TMP

sv_provider_lan()
{
	ip -n "$1" link add tg0 type dummy
	ip -n "$1" link set tg0 up
	dp_target "$1" t1 10.0.0.1
	dp_target "$1" t6 fd00::1
}

# What a consumer has besides plink: lan0 (the client's addresses).
sv_consumer_lan()
{
	ip -n "$1" link add lan0 type dummy
	ip -n "$1" link set lan0 up
	ip -n "$1" addr add 10.0.0.5/24 dev lan0
	ip -n "$1" addr add fd00::5/64 dev lan0 nodad
	ip netns exec "$1" sysctl -qw net.ipv4.tcp_syn_retries=1
}

# sv_reach NS: the consumer gets answers over IPv4 and IPv6.
sv_reach()
{
	[[ "$(dp_get "$1" 10.0.0.100 80)" == t1* ]] &&
		[[ "$(dp_get "$1" fd00::100 80)" == t6* ]]
}

sv_provider_lan "$P"
ip -n "$P" link add nlb0 type plink
ip -n "$P" link set nlb0 mtu 1400 up
plinkctl -n "$P" service add web dev nlb0 addr 10.0.0.200 addr fd00::200 \
	listener tcp:80:8080 acceptance required allow '*' timeout tcp 600 \
	max-flows 5000 fail-open on health-check tcp interval 5 timeout 2 \
	healthy-threshold 2
plinkctl -n "$P" target add web 10.0.0.1 weight 50 zone z1
plinkctl -n "$P" target add web fd00::1
ids=()
for C in "${CS[@]}"; do
	sv_consumer_lan "$C"
	ip -n "$C" link add pl0 type plink
	ip -n "$C" link set pl0 up
	id=$(plinkctl -n "$C" endpoint add web dev pl0 addr 10.0.0.100 \
		addr fd00::100 allow 10.0.0.0/24 tcp:80 allow fd00::/64)
	plinkctl -n "$P" endpoint accept "$id"
	ids+=("$id")
done
ok=0
for C in "${CS[@]}"; do
	slowwait 20 sv_reach "$C" && ok=$((ok + 1))
done
expect_eq "setup: three consumers reach the provider" "$ok" 3

save_all()
{
	local tag=$1 i
	plinkctl -n "$P" save >"$D/p.$tag" || return 1
	for i in 0 1 2; do
		plinkctl -n "${CS[$i]}" save >"$D/c$i.$tag" || return 1
	done
}
expect_ok "save the provider and the consumers" save_all 1
sv_line() { sed -n "$2p" "$1"; }
expect_eq "the provider's save: its device" "$(sv_line "$D/p.1" 2)" \
	"dev add nlb0 mtu 1400 up"
expect_match "the provider's save: the service, its settings and health check, the three endpoints it accepted" \
	"$(sv_line "$D/p.1" 3)" \
	'^service add web dev nlb0 addr 10\.0\.0\.200 addr fd00::200 listener tcp:80:8080 acceptance required allow \* timeout tcp 600 .* max-flows 5000 .* fail-open on .* health-check tcp port traffic-port interval 5 timeout 2 healthy-threshold 2 unhealthy-threshold 2 passive off( accepted uid:0/plep-[0-9a-f]{16}){3}$'
expect_eq "the provider's save: the targets" \
	"$(sv_line "$D/p.1" 4,5 | tr '\n' ' ')" \
	"target add web 10.0.0.1 weight 50 zone z1 target add web fd00::1 weight 1 "
expect_eq "a consumer's save: its device and endpoint, with its id and rules" \
	"$(sv_line "$D/c0.1" 2,3 | tr '\n' ' ')" \
	"dev add pl0 mtu 1500 up endpoint add uid:0/web dev pl0 addr 10.0.0.100 addr fd00::100 allow 10.0.0.0/24 tcp:80 allow fd00::/64 id ${ids[0]} "

# Every netns goes; new ones get what is not plink's, then the saves.
sv_renew()
{
	local ns

	for ns in "$P" "${CS[@]}"; do
		ip netns pids "$ns" | xargs -r kill
		ip -n "$ns" link del nlb0 2>/dev/null
		ip -n "$ns" link del pl0 2>/dev/null
	done
	cleanup_all_ns >/dev/null 2>&1
	busywait 5000 bash -c "[ \"\$(plinkctl endpoint show 2>&1; plinkctl service show 2>&1)\" = '' ]" >/dev/null
	setup_ns P C1 C2 C3 || exit $ksft_fail
	CS=("$C1" "$C2" "$C3")
	sv_provider_lan "$P"
	for C in "${CS[@]}"; do
		sv_consumer_lan "$C"
	done
}
sv_renew

expect_ok "-batch restores the provider" plinkctl -n "$P" -batch "$D/p.1"
# Another owner cannot take an id the restored service accepted in advance.
out=$(setpriv --reuid 1000 --regid 1000 --clear-groups unshare -Urn bash -c "
	ip link add pl0 type plink && ip link set pl0 up &&
	plinkctl endpoint add web dev pl0 addr 10.0.0.100 id ${ids[0]}" 2>&1)
expect_eq "another owner cannot create an endpoint with an id accepted for uid 0" \
	"$out" "plinkctl: endpoint id reserved for another owner"
rc=0
for i in 0 1 2; do
	plinkctl -n "${CS[$i]}" -batch - <"$D/c$i.1" >/dev/null || rc=1
done
expect_eq "-batch - restores the consumers" "$rc" 0
expect_eq "the endpoints kept their ids and are available, with no new acceptance" \
	"$(for C in "${CS[@]}"; do plinkctl -n "$C" -j endpoint show | jq -r '.[0] | .id + " " + .state'; done | tr '\n' ' ')" \
	"${ids[0]} available ${ids[1]} available ${ids[2]} available "
ok=0
for C in "${CS[@]}"; do
	slowwait 20 sv_reach "$C" && ok=$((ok + 1))
done
expect_eq "traffic flows again from the three consumers, IPv4 and IPv6" "$ok" 3
# Metrics of the service and the endpoints, with that traffic.
# The restored health check finds the target healthy again (fail-open
# carried the traffic until then).
slowwait 20 bash -c "plinkctl -n $P metrics | grep -qx 'plink_target_health{service=\"web\",owner=\"0\",target=\"10.0.0.1\",health=\"healthy\"} 1'"
plinkctl -n "$P" metrics >"$D/p.prom"
plinkctl -n "$C1" metrics >"$D/c.prom"
sv_metric() { awk -v k="$2" '$1 == k { print $2 }' "$1"; }
expect_gt "metrics: the provider's service counts the consumers' flows" \
	"$(sv_metric "$D/p.prom" 'plink_service_flows_new_total{service="web",owner="0"}')" 2
expect_eq "metrics: its target's health and drop counter by reason" \
	"$(sv_metric "$D/p.prom" 'plink_target_health{service="web",owner="0",target="10.0.0.1",health="healthy"}') $(sv_metric "$D/p.prom" 'plink_target_drops_total{service="web",owner="0",target="10.0.0.1",reason="no_flow"}')" \
	"1 0"
expect_gt "metrics: the consumer's endpoint counts its packets" \
	"$(sv_metric "$D/c.prom" "plink_endpoint_fwd_packets_total{service=\"web\",owner=\"0\",endpoint=\"${ids[0]}\"}")" 0
expect_eq "metrics: and is available" \
	"$(sv_metric "$D/c.prom" "plink_endpoint_state{service=\"web\",owner=\"0\",endpoint=\"${ids[0]}\",state=\"available\"}")" 1
expect_ok "save the restored netns" save_all 2
same=yes
for f in p c0 c1 c2; do
	cmp -s "$D/$f.1" "$D/$f.2" || same="no: $f: $(diff "$D/$f.1" "$D/$f.2" | tr '\n' ' ')"
done
expect_eq "the second saves are the same as the first, byte for byte" "$same" yes

# --- the consumers first ------------------------------------------------------

# sv_states: each consumer's endpoint's id and state.
sv_states()
{
	for C in "${CS[@]}"; do
		plinkctl -n "$C" -j endpoint show | jq -r '.[0] | .id + " " + .state'
	done | tr '\n' ' '
}
sv_renew
rc=0
for i in 0 1 2; do
	plinkctl -n "${CS[$i]}" -batch "$D/c$i.1" >/dev/null || rc=1
done
expect_eq "consumers first: -batch restores the consumers before their service exists" "$rc" 0
expect_eq "consumers first: their endpoints keep their ids and wait for the service" \
	"$(sv_states)" \
	"${ids[0]} pending-service ${ids[1]} pending-service ${ids[2]} pending-service "
DP_CONNECT_TIMEOUT=2 expect_fail "consumers first: nothing flows while they wait" \
	'' dp_get "$C1" 10.0.0.100 80
out=$(setpriv --reuid 1000 --regid 1000 --clear-groups unshare -Urn bash -c "
	ip link add pl0 type plink && ip link set pl0 up &&
	plinkctl endpoint add uid:0/web dev pl0 addr 10.0.0.100 id ${ids[0]}" 2>&1)
expect_eq "consumers first: another owner cannot take a waiting endpoint's id" \
	"$out" "plinkctl: endpoint id in use"
out=$(plinkctl -n "$C1" endpoint add uid:0/web dev pl0 addr 10.0.0.101 2>&1)
expect_eq "consumers first: only a saved endpoint (with its id) waits" \
	"$out" "plinkctl: no such service"
expect_ok "consumers first: -batch restores the provider" \
	plinkctl -n "$P" -batch "$D/p.1"
expect_eq "consumers first: the endpoints joined the service, available with no new acceptance" \
	"$(sv_states)" \
	"${ids[0]} available ${ids[1]} available ${ids[2]} available "
ok=0
for C in "${CS[@]}"; do
	slowwait 20 sv_reach "$C" && ok=$((ok + 1))
done
expect_eq "consumers first: traffic flows from the three consumers, IPv4 and IPv6" "$ok" 3
expect_ok "consumers first: save the restored netns" save_all 3
same=yes
for f in p c0 c1 c2; do
	cmp -s "$D/$f.1" "$D/$f.3" || same="no: $f: $(diff "$D/$f.1" "$D/$f.3" | tr '\n' ' ')"
done
expect_eq "consumers first: the saves are the same as the first, byte for byte" "$same" yes

# --- -batch errors ------------------------------------------------------------

cat >"$D/bad" <<EOF
# a comment, then a blank line

dev add plx up
endpoint add nosuch dev plx addr 10.0.0.150
dev add ply up
EOF
out=$(plinkctl -n "$C1" -batch "$D/bad" 2>&1)
rc=$?
expect_eq "-batch: a kernel error fails the batch with exit status 2" "$rc" 2
expect_eq "-batch: the error is FILE:LINE: and the kernel's message" \
	"$out" "$D/bad:4: no such service"
expect_eq "-batch: the first error stops the batch" \
	"$(ip -n "$C1" -o link show ply 2>/dev/null | wc -l)" 0
out=$(plinkctl -n "$C2" -force -batch - <"$D/bad" 2>&1)
rc=$?
expect_eq "-force -batch -: the lines after the error run, and it still fails" \
	"$rc $(ip -n "$C2" -o link show ply 2>/dev/null | wc -l)" "2 1"
expect_eq "-force -batch -: <stdin>:LINE: on stdin" "$out" "<stdin>:4: no such service"
out=$(printf 'service add x dev plx bogus 1\n' | plinkctl -n "$C2" -batch - 2>&1)
expect_eq "-batch: a bad command line is FILE:LINE: too, exit status 1" \
	"$?: $out" "1: <stdin>:1: unknown keyword \"bogus\" for \"service add\""

exit "$EXIT_STATUS"
