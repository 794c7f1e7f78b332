#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Module unload with live plink devices in several netns, busy with traffic,
# then a reload that works as a fresh start.

source "$(dirname "$0")/lib/plink.sh"
require_plink
setup_ns A B C || exit $ksft_fail

pids=()
for ns in "$A" "$B" "$C"; do
	ip -n "$ns" link add pl0 type plink
	ip -n "$ns" link add pl1 type plink
	ip -n "$ns" addr add 198.51.100.1/24 dev pl0
	ip -n "$ns" link set pl0 up
	ip netns exec "$ns" ping -q -i 0.01 198.51.100.2 >/dev/null 2>&1 &
	pids+=($!)
done
ip link add pl-init type plink
# Under traffic: each netns's pings are reaching pl0 (which drops them).
for ns in "$A" "$B" "$C"; do
	slowwait 10 bash -c "[ \$(ip -n $ns -j -s link show pl0 | jq '.[0].stats64.tx.dropped') -gt 10 ]"
done

expect_ok "unload plink with 7 devices in 4 netns, under traffic" rmmod plink
for ns in "$A" "$B" "$C"; do
	expect_fail "the devices in ${ns%%-*} are gone" "does not exist" \
		ip -n "$ns" link show pl0
done
expect_fail "the device in init_net is gone" "does not exist" ip link show pl-init
kill "${pids[@]}" 2>/dev/null
wait 2>/dev/null

expect_ok "reload plink" insmod "$PLINK_KO"
expect_ok "create a device after the reload" ip -n "$A" link add pl0 type plink
expect_eq "the new device is listed" \
	"$(plinkctl -n "$A" -j dev show | jq -r '.[].dev')" pl0
expect_ok "the family works in init_net after the reload" plinkctl dev show

exit "$EXIT_STATUS"
