#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Quotas per owner: unprivileged tenants (uid 1000, 1001, 1002, each in its
# own user and network namespace) cannot starve the host or each other.
# plink is reloaded with a table of 400 flows: uid 1000 may then hold 100
# (a quarter), and an endpoint a quarter of its service's max-flows.
#  (1) tenant A floods its own service with UDP from 1000 source ports
#      (300 on debug): it stops at its quota, and the host and tenant B
#      still connect;
#  (2) one endpoint floods a host service: it stops at a quarter of the
#      service's max-flows, and another endpoint of the service connects;
#  (3) the host's limit changes (limits set, module parameter) take effect;
#  (4) nobody else may change them;
#  (5) the service, endpoint, target and Maglev-slot quotas, and max-flows
#      above the table, are refused with an extack naming the limit.

source "$(dirname "$0")/lib/datapath.sh"
sysctl -qw kernel.unprivileged_userns_clone=1 2>/dev/null

MAXF=400
PARAMS=/sys/module/plink/parameters
# Everything of the previous tests is gone by now: reload with a small table.
if [ "$(cat $PARAMS/max_flows 2>/dev/null)" != $MAXF ]; then
	[ -d /sys/module/plink ] && { rmmod plink || exit $ksft_fail; }
	insmod "$PLINK_KO" max_flows=$MAXF || exit $ksft_fail
fi

# Datagrams a flood sends, each from a new socket: well over what each
# quota lets through (tenant A: 100, then 150; an endpoint: 10, then 30).
# On debug (KASAN under TCG) each costs tens of milliseconds.
FLOOD=1000 FLOOD2=200
dp_debug && FLOOD=300 FLOOD2=100

Q=$DP_TMP/q
mkdir -p "$Q"
chmod 0777 "$DP_TMP" "$Q"

quota_cleanup()
{
	# Tenant A's loop ends with its fifo's writer.
	[ -n "${AIN:-}" ] && exec {AIN}>&-
	[ -n "${HOLDER:-}" ] && wait "$HOLDER"
	dp_cleanup
	# The default table again, for what runs next; owners must not leak
	# (plink warns at unload if one does).
	rmmod plink && insmod "$PLINK_KO"
}
trap quota_cleanup EXIT

as_user() { local u=$1; shift; setpriv --reuid "$u" --regid "$u" --clear-groups "$@"; }
in_userns() { as_user "$1" unshare -Urn bash -c "ip link set lo up; $2"; }

if ! in_userns 1000 true 2>/dev/null; then
	echo "unprivileged user namespaces are off"
	exit $ksft_fail
fi

limit() { plinkctl -j limits show "uid:$1" | jq -r ".[0].${2/./_quota.}"; }

setup_ns P C1 C2 || exit $ksft_fail
dp_provider "$P"
dp_target "$P" t1 10.0.0.1
plinkctl -n "$P" service add web dev nlb0 addr 10.0.0.200 \
	listener tcp:80:8080 acceptance auto allow '*'
plinkctl -n "$P" target add web 10.0.0.1
dp_consumer "$C1"
dp_consumer "$C2"
EP1=$(plinkctl -n "$C1" endpoint add web dev pl0 addr 10.0.0.100)

expect_eq "the table is $MAXF flows, uid 1000 may hold a quarter" \
	"$(cat $PARAMS/max_flows) $(limit 1000 flows.limit)" "$MAXF $((MAXF / 4))"
expect_eq "uid 0 has no flow limit by default" "$(limit 0 flows.limit)" null
expect_eq "the host connects before the flood" \
	"$(dp_loop "$C1" 10.0.0.100 3 | dp_count t1)" 3

# (1) Tenant A: its own service and endpoint in its own netns; a flood of
# $FLOOD UDP datagrams, each from a new socket (a new source port, a new
# flow), on each line "flood" read from its fifo; then its endpoint's
# counters.
mkfifo "$Q/a.in"
chmod 0666 "$Q/a.in"
in_userns 1000 "
	ip link add nlb0 type plink && ip link set nlb0 up &&
	ip link add tg0 type dummy && ip link set tg0 up &&
	ip addr add 10.9.0.1/24 dev tg0 &&
	plinkctl service add flood dev nlb0 addr 10.9.0.200 listener udp:53 \
		acceptance auto allow uid:1000 max-flows $MAXF \
		endpoint-max-flows $MAXF timeout udp 600 &&
	plinkctl target add flood 10.9.0.1 &&
	ip link add pl0 type plink && ip link set pl0 up &&
	id=\$(plinkctl endpoint add flood dev pl0 addr 10.8.0.5) || exit 1
	exec 3<$Q/a.in
	n=0
	while read -r cmd <&3; do
		[ \"\$cmd\" = flood ] || break
		for ((i = 0; i < $FLOOD; i++)); do
			echo x >/dev/udp/10.8.0.5/53
		done 2>/dev/null
		n=\$((n + 1))
		plinkctl -j stats endpoint \$id >$Q/a.stats.tmp &&
			mv $Q/a.stats.tmp $Q/a.stats.\$n
	done" >"$Q/a.out" 2>&1 &
HOLDER=$!
exec {AIN}>"$Q/a.in"

echo flood >&$AIN
slowwait 300 test -e "$Q/a.stats.1" >/dev/null
expect_eq "(1) tenant A's flood stops at its quota (a quarter of the table)" \
	"$(limit 1000 flows.used)" $((MAXF / 4))
expect_gt "(1) and counts the rest as drop_quota" \
	"$(jq -r '.endpoints[0].stats.drop_quota' "$Q/a.stats.1" 2>/dev/null)" 0
expect_eq "(1) the host still connects: 5 of 5" \
	"$(dp_loop "$C1" 10.0.0.100 5 | dp_count t1)" 5
out=$(in_userns 1001 "
	ip link add lan0 type dummy && ip link set lan0 up &&
	ip addr add 10.0.0.5/24 dev lan0 &&
	ip link add pl0 type plink && ip link set pl0 up &&
	plinkctl endpoint add web dev pl0 addr 10.0.0.100 >/dev/null || exit 1
	sysctl -qw net.ipv4.tcp_syn_retries=1 2>/dev/null
	for ((i = 0; i < 5; i++)); do
		name=fail
		if exec 5<>/dev/tcp/10.0.0.100/80; then
			read -r -t 10 name rest <&5 || name=fail
			exec 5<&-
		fi
		echo \$name
	done 2>/dev/null" 2>&1)
expect_eq "(1) so does tenant B (uid 1001): 5 of 5" "$(dp_count t1 <<<"$out")" 5

# (2) One endpoint floods a service of 40 flows: it may take 10.
plinkctl -n "$P" service add web2 dev nlb0 addr 10.0.0.201 \
	listener tcp:80:8080 listener udp:55:5399 acceptance auto allow '*' \
	max-flows 40
plinkctl -n "$P" target add web2 10.0.0.1
expect_eq "(2) a service's endpoints may each take a quarter of its max-flows" \
	"$(plinkctl -n "$P" -j service show web2 | jq -r '.[0].endpoint_max_flows')" 10
E1=$(plinkctl -n "$C1" endpoint add web2 dev pl0 addr 10.0.0.101)
plinkctl -n "$C2" endpoint add web2 dev pl0 addr 10.0.0.101 >/dev/null
ip netns exec "$C1" bash -c '
	for ((i = 0; i < $0; i++)); do
		echo x >/dev/udp/10.0.0.101/55
	done 2>/dev/null' "$FLOOD2"
expect_eq "(2) the flooding endpoint holds 10 flows" \
	"$(dp_stat "$C1" endpoint "$E1" flows_active)" 10
expect_gt "(2) and counts the rest as drop_quota" \
	"$(dp_stat "$C1" endpoint "$E1" drop_quota)" 0
expect_eq "(2) another endpoint of the service still connects: 5 of 5" \
	"$(dp_loop "$C2" 10.0.0.101 5 | dp_count t1)" 5
expect_ok "(2) the provider may give an endpoint more" \
	plinkctl -n "$P" service set web2 endpoint-max-flows 30
ip netns exec "$C1" bash -c '
	for ((i = 0; i < $0; i++)); do
		echo x >/dev/udp/10.0.0.101/55
	done 2>/dev/null' "$FLOOD2"
expect_eq "(2) which it then takes" \
	"$(dp_stat "$C1" endpoint "$E1" flows_active)" 30

# (3) The host's changes take effect.
expect_ok "(3) the host raises uid 1000's flow limit" \
	plinkctl limits set uid:1000 flows 150
expect_eq "(3) limits show has it, as uid 1000's own" \
	"$(limit 1000 flows.limit) $(limit 1000 flows.own)" "150 true"
echo flood >&$AIN
slowwait 300 test -e "$Q/a.stats.2" >/dev/null
expect_eq "(3) tenant A's next flood stops at the new limit" \
	"$(limit 1000 flows.used)" 150
expect_ok "(3) the host drops uid 1000's own limits" \
	plinkctl limits set uid:1000 default
expect_eq "(3) uid 1000 has the default again" \
	"$(limit 1000 flows.limit) $(limit 1000 flows.own)" "$((MAXF / 4)) false"
echo 60 >$PARAMS/owner_max_flows
expect_eq "(3) the module parameter sets the default" \
	"$(limit 1000 flows.limit)" 60
echo 0 >$PARAMS/owner_max_flows
expect_eq "(3) 0: a quarter of the table" "$(limit 1000 flows.limit)" $((MAXF / 4))

# (4) Only the host administrator changes limits.
expect_fail "(4) root of a user namespace cannot change limits" \
	"Operation not permitted" \
	in_userns 1000 "plinkctl limits set uid:1000 flows 100000"
expect_fail "(4) nor can uid 1000 in the initial namespaces" \
	"Operation not permitted" \
	as_user 1000 plinkctl limits set uid:1000 flows 100000
expect_eq "(4) uid 1000's limit did not change" "$(limit 1000 flows.limit)" \
	$((MAXF / 4))
expect_eq "(4) a tenant sees its own limits only" \
	"$(in_userns 1000 'plinkctl -j limits show' | jq -c 'map(.uid) | unique')" \
	"[1000]"
expect_fail "(4) and not another uid's" "only the host administrator" \
	in_userns 1000 "plinkctl limits show uid:0"

# (5) The configuration quotas, each refused with its extack.
plinkctl limits set uid:1002 services 1 endpoints 1 targets 1 maglev-slots 20000
out=$(in_userns 1002 "
	for d in nlb0 nlb1 pl0 pl1; do
		ip link add \$d type plink && ip link set \$d up
	done
	plinkctl service add s1 dev nlb0 addr 10.7.0.1 listener tcp:80 &&
		echo s1 ok
	plinkctl service add s2 dev nlb1 addr 10.7.0.2 listener tcp:80 maglev-size 251
	plinkctl target add s1 10.7.1.1 && echo t1 ok
	plinkctl target add s1 10.7.1.2
	plinkctl service set s1 maglev-size 65537
	plinkctl service set s1 max-flows $((MAXF + 1))
	plinkctl endpoint add web dev pl0 addr 10.0.0.100 >/dev/null && echo e1 ok
	plinkctl endpoint add web dev pl1 addr 10.0.0.102
	plinkctl -j limits show" 2>&1)
lines() { sed -n "$1p" <<<"$out"; }
expect_eq "(5) the first service fits" "$(lines 1)" "s1 ok"
expect_eq "(5) a second service is over the services quota" "$(lines 2)" \
	"plinkctl: over the owner's services quota"
expect_eq "(5) the first target fits" "$(lines 3)" "t1 ok"
expect_eq "(5) a second target is over the targets quota" "$(lines 4)" \
	"plinkctl: over the owner's targets quota"
expect_eq "(5) a bigger Maglev table is over the maglev-slots quota" \
	"$(lines 5)" "plinkctl: over the owner's maglev-slots quota"
expect_eq "(5) max-flows above the table is refused" "$(lines 6)" \
	"plinkctl: max-flows is above the global flow table (max_flows)"
expect_eq "(5) the first endpoint fits" "$(lines 7)" "e1 ok"
expect_eq "(5) a second endpoint is over the endpoints quota" "$(lines 8)" \
	"plinkctl: over the owner's endpoints quota"
expect_eq "(5) what uid 1002 held then" \
	"$(lines 9 | jq -c '.[0] | [.services_quota.used, .endpoints_quota.used, .targets_quota.used, .maglev_slots_quota.used]')" \
	"[1,1,1,16381]"
slowwait 20 bash -c '[ "$(plinkctl -j limits show uid:1002 | jq .[0].services_quota.used)" = 0 ]' >/dev/null
expect_eq "(5) its namespace gone, uid 1002 holds nothing" \
	"$(plinkctl -j limits show uid:1002 | jq -c '.[0] | [.services_quota.used, .endpoints_quota.used, .targets_quota.used, .maglev_slots_quota.used]')" \
	"[0,0,0,0]"

echo quit >&$AIN
exec {AIN}>&-
AIN=
wait "$HOLDER"
HOLDER=
exit "$EXIT_STATUS"
