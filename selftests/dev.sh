#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The plink netdevice: creation and deletion in several netns, its link
# properties, MTU bounds, netns pinning, and drops while unbound.

source "$(dirname "$0")/lib/plink.sh"
require_plink
setup_ns A B C || exit $ksft_fail

expect_ok "create pl0 in A" ip -n "$A" link add pl0 type plink
expect_ok "create pl0 in B (same name, other netns)" ip -n "$B" link add pl0 type plink
expect_ok "create pl1 in C from A (ip link add ... netns C)" \
	ip -n "$A" link add pl1 netns "$C" type plink

info=$(ip -n "$A" -j -d link show pl0)
expect_eq "kind is plink" "$(jq -r '.[0].linkinfo.info_kind' <<<"$info")" plink
expect_eq "link type none" "$(jq -r '.[0].link_type' <<<"$info")" none
expect_eq "flags NOARP and POINTOPOINT" \
	"$(jq -r '.[0].flags | map(select(. == "NOARP" or . == "POINTOPOINT")) | sort | join(",")' <<<"$info")" \
	"NOARP,POINTOPOINT"
expect_eq "default mtu 1500" "$(jq -r '.[0].mtu' <<<"$info")" 1500
expect_eq "min_mtu 68" "$(jq -r '.[0].min_mtu' <<<"$info")" 68
expect_eq "max_mtu 65535" "$(jq -r '.[0].max_mtu' <<<"$info")" 65535
# plink keeps the default 64 KB (GSO_LEGACY_MAX_SIZE, the largest a 16-bit
# IPv4 length can carry); datapath.sh checks that such segments cross.
expect_eq "gso_max_size is 65536, gso_max_segs 65535" \
	"$(jq -r '"\(.[0].gso_max_size) \(.[0].gso_max_segs)"' <<<"$info")" "65536 65535"
expect_eq "pl1 lives in C" "$(ip -n "$C" -j link show pl1 | jq -r '.[0].ifname')" pl1

feat=$(ip netns exec "$A" ethtool -k pl0)
for f in tx-checksumming scatter-gather tcp-segmentation-offload \
	 tx-tcp6-segmentation generic-segmentation-offload; do
	expect_eq "feature $f on" "$(awk -v f="$f:" '$1 == f {print $2}' <<<"$feat")" on
done

expect_fail "mtu 67 is refused" "mtu less than device minimum" ip -n "$A" link set pl0 mtu 67
expect_ok "mtu 68 is accepted" ip -n "$A" link set pl0 mtu 68
expect_ok "mtu 65535 is accepted" ip -n "$A" link set pl0 mtu 65535
expect_fail "mtu 65536 is refused" "mtu greater than device maximum" ip -n "$A" link set pl0 mtu 65536
expect_eq "mtu is 65535" "$(ip -n "$A" -j link show pl0 | jq -r '.[0].mtu')" 65535

expect_fail "a link-layer address is refused" "no link-layer address" \
	ip -n "$A" link add pl2 address 02:00:00:00:00:01 type plink

# 6.1 has no extack for it, only EINVAL.
immutable="The interface netns is immutable"
[[ "$(uname -r)" == 6.1.* ]] && immutable="RTNETLINK answers: Invalid argument"
expect_fail "moving a plink device to another netns is refused" "$immutable" \
	ip -n "$A" link set pl0 netns "$B"
expect_eq "pl0 stayed in A" "$(ip -n "$A" -j link show pl0 | jq -r '.[0].ifname')" pl0

# Unbound, the device drops what it is asked to send, and counts it.
ip netns exec "$A" sysctl -qw net.ipv6.conf.pl0.disable_ipv6=1
ip -n "$A" link set pl0 mtu 1500
ip -n "$A" addr add 192.0.2.1/24 dev pl0
ip -n "$A" link set pl0 up
expect_eq "no queue (noqueue qdisc once up)" \
	"$(ip -n "$A" -j link show pl0 | jq -r '.[0].qdisc')" noqueue
before=$(ip -n "$A" -s -j link show pl0 | jq '.[0].stats64.tx.dropped')
ip netns exec "$A" ping -c 3 -i 0.2 -W 1 192.0.2.2 >/dev/null 2>&1
after=$(ip -n "$A" -s -j link show pl0 | jq '.[0].stats64.tx.dropped')
expect_eq "unbound device counts 3 tx drops for 3 pings" "$((after - before))" 3
expect_eq "unbound device sent nothing" \
	"$(ip -n "$A" -s -j link show pl0 | jq '.[0].stats64.tx.packets')" 0

expect_ok "delete pl0 in A" ip -n "$A" link del pl0
expect_fail "pl0 is gone from A" "does not exist" ip -n "$A" link show pl0
expect_ok "pl0 in B is untouched" ip -n "$B" link show pl0

# A netns going away takes its plink devices with it.
expect_ok "delete netns B with pl0 alive" ip netns del "$B"
expect_ok "delete netns C with pl1 alive" ip netns del "$C"
remove_ns_list "$B"
remove_ns_list "$C"

exit "$EXIT_STATUS"
