#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Lifetimes: deleting a device or a netns, on either side, tears down
# exactly what depends on it, and the other side sees the change; module
# unload with services and endpoints alive.  Events tell both sides.

source "$(dirname "$0")/lib/plink.sh"
require_plink
setup_ns P C1 C2 C3 || exit $ksft_fail

ip -n "$P" link add nlb0 type plink
ip -n "$P" link set nlb0 up
plinkctl -n "$P" service add web dev nlb0 addr 10.0.0.100 listener tcp:80 \
	allow uid:0 acceptance required
plinkctl -n "$P" target add web 192.168.1.10:8080
# A second service whose events tell that a monitor has joined.
plinkctl -n "$P" service add probe dev nlb0 addr 10.0.0.101 listener tcp:80 \
	allow '*' acceptance auto
plinkctl -n "$P" target add probe 192.168.1.11
for ns in "$C1" "$C2" "$C3"; do
	ip -n "$ns" link add pl0 type plink
	ip -n "$ns" link set pl0 up
done

# mon_start NS FILE PROBE: start "plinkctl -j monitor" in NS, writing to
# FILE, its pid in $monpid; run the command PROBE until an event shows
# that the monitor hears (no event is lost to a monitor still starting).
mon_start()
{
	ip netns exec "$1" plinkctl -j monitor >"$2" &
	monpid=$!
	slowwait 10 bash -c "$3 >/dev/null; [ -s $2 ]" ||
		echo "# the monitor in $1 heard nothing" >&2
}
mon=/tmp/lifetime-monitor.$$
mon_start "$P" "$mon" "plinkctl -n $P target set probe 192.168.1.11 health unhealthy;
		       plinkctl -n $P target set probe 192.168.1.11 health healthy"
P_monpid=$monpid
mon3=/tmp/lifetime-monitor-c3.$$
mon_start "$C3" "$mon3" "id=\$(plinkctl -n $C3 endpoint add probe dev pl0 addr 10.0.0.6) &&
			 plinkctl -n $C3 endpoint del \$id"
C3_monpid=$monpid

ids=()
for ns in "$C1" "$C2" "$C3"; do
	ids+=("$(plinkctl -n "$ns" endpoint add web dev pl0 addr 10.0.0.5)")
done
plinkctl -n "$P" endpoint accept "${ids[0]}"
plinkctl -n "$P" endpoint reject "${ids[1]}"
plinkctl -n "$P" endpoint accept "${ids[2]}"
plinkctl -n "$P" endpoint reject "${ids[2]}"
plinkctl -n "$P" target set web 192.168.1.10:8080 health unhealthy

expect_ok "delete consumer netns C1 with an available endpoint" ip netns del "$C1"
remove_ns_list "$C1"
busywait 5000 bash -c "! plinkctl -n $P -j endpoint show | grep -q ${ids[0]}"
expect_eq "the provider no longer lists C1's endpoint" \
	"$(plinkctl -n "$P" -j endpoint show | jq -r 'map(.id) | sort | join(" ")')" \
	"$(printf '%s\n' "${ids[1]}" "${ids[2]}" | sort | tr '\n' ' ' | sed 's/ $//')"
expect_eq "the service counts 2 endpoints" \
	"$(plinkctl -n "$P" -j service show web | jq '.[0].n_endpoints')" 2

expect_ok "delete C2's endpoint device" ip -n "$C2" link del pl0
expect_eq "its endpoint is gone on both sides" \
	"$(plinkctl -n "$C2" -j endpoint show | jq length)/$(plinkctl -n "$P" -j endpoint show | jq length)" \
	0/1

# Not the events of the monitors' probes.
web='(.service != "probe")'
ev() { jq -sc "map(select($web and $1)) | map($2)" "$mon"; }
slowwait 10 bash -c "[ \$(jq -s 'map(select($web and .state == \"deleted\")) | length' $mon) -ge 2 ]"
kill "$P_monpid"
wait "$P_monpid" 2>/dev/null
expect_eq "the provider heard 3 endpoint requests" \
	"$(ev '.event == "endpoint" and .state == "pending-acceptance"' .id | jq length)" 3
expect_eq "then the acceptances and the rejections" \
	"$(ev '.event == "endpoint" and (.state == "available" or .state == "rejected")' '[.id, .state]')" \
	"[[\"${ids[0]}\",\"available\"],[\"${ids[1]}\",\"rejected\"],[\"${ids[2]}\",\"available\"],[\"${ids[2]}\",\"rejected\"]]"
expect_eq "then the deletions of C1's and C2's endpoints" \
	"$(ev '.event == "endpoint" and .state == "deleted"' .id)" \
	"[\"${ids[0]}\",\"${ids[1]}\"]"
expect_eq "and the target's health change" \
	"$(ev '.event == "target"' '[.service, .target_addr, .target_port, .health]')" \
	'[["web","192.168.1.10",8080,"unhealthy"]]'
expect_eq "the provider heard nothing of the consumers' netns" \
	"$(ev '.event == "endpoint"' 'has("endpoint_addrs") or has("ifindex")' | jq -c unique)" '[false]'
rm -f "$mon"

expect_ok "delete the provider netns with the service alive" ip netns del "$P"
remove_ns_list "$P"
busywait 5000 bash -c "plinkctl -n $C3 -j endpoint show | grep -q '\"deleted\"'"
expect_eq "C3's endpoint is deleted" \
	"$(plinkctl -n "$C3" -j endpoint show | jq -r '.[0].state')" deleted
mon=$mon3
web="(.id == \"${ids[2]}\")"
slowwait 10 bash -c "jq -s 'map(select($web and .state == \"deleted\"))' $mon | grep -q deleted"
kill "$C3_monpid"
wait "$C3_monpid" 2>/dev/null
expect_eq "the consumer heard its request, the acceptance, the rejection, the deletion" \
	"$(ev '.event == "endpoint"' '[.id, .state]')" \
	"[[\"${ids[2]}\",\"pending-acceptance\"],[\"${ids[2]}\",\"available\"],[\"${ids[2]}\",\"rejected\"],[\"${ids[2]}\",\"deleted\"]]"
rm -f "$mon"
expect_eq "no service is left anywhere" "$(plinkctl -n "$C3" -j service show | jq length)" 0

# Unload with everything alive.
setup_ns P2 C4 || exit $ksft_fail
ip -n "$P2" link add nlb0 type plink
ip -n "$P2" link set nlb0 up
ip -n "$C4" link add pl0 type plink
ip -n "$C4" link set pl0 up
plinkctl -n "$P2" service add web2 dev nlb0 addr 10.0.0.100 listener tcp:80 \
	allow '*' acceptance auto
plinkctl -n "$P2" target add web2 192.168.1.10
plinkctl -n "$C4" endpoint add web2 dev pl0 addr 10.0.0.5 >/dev/null
expect_ok "unload with services, targets and endpoints alive" rmmod plink
expect_ok "reload" insmod "$PLINK_KO"
expect_eq "nothing survived the reload" \
	"$(plinkctl -n "$C4" -j endpoint show | jq length)/$(plinkctl -n "$P2" -j service show | jq length)" \
	0/0

exit "$EXIT_STATUS"
