#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# 1000 endpoints from 100 consumer netns to one service: created, and
# dumped completely by the provider (the dump spans many messages) and by
# each consumer.

source "$(dirname "$0")/lib/plink.sh"
require_plink
NCONS=100
PER=10
# The debug kernel (KASAN, lockdep) creates a netns in about a second under
# TCG: it runs a tenth of the namespaces; both stock kernels run them all.
[[ "$(uname -r)" == *plinkdbg* ]] && NCONS=10

setup_ns P || exit $ksft_fail
ip -n "$P" link add nlb0 type plink
ip -n "$P" link set nlb0 up
plinkctl -n "$P" service add big dev nlb0 addr 10.0.0.100 listener tcp:80 \
	allow '*' acceptance auto

# One ip process makes the namespaces and their devices (created up, in
# their netns): under TCG each program started costs a tenth of a second.
cons=()
for i in $(seq 1 $NCONS); do
	cons+=("scale-$i-$$")
done
NS_LIST+=("${cons[@]}")
for ns in "${cons[@]}"; do
	echo "netns add $ns"
	echo "link add pl0 netns $ns up type plink"
done | ip -batch - || exit $ksft_fail

# One plinkctl -batch a netns, not a plinkctl an endpoint.
fail=0
for ns in "${cons[@]}"; do
	for j in $(seq 1 $PER); do
		echo "endpoint add big dev pl0 addr 10.0.1.$j"
	done | plinkctl -n "$ns" -batch - >/dev/null || fail=$((fail + 1))
done
expect_eq "$((NCONS * PER)) endpoints created" "$fail" 0

d=$(plinkctl -n "$P" -j endpoint show)
expect_eq "the provider's dump has all $((NCONS * PER))" "$(jq length <<<"$d")" $((NCONS * PER))
expect_eq "each once" "$(jq 'map(.id) | unique | length' <<<"$d")" $((NCONS * PER))
expect_eq "the service counts them" \
	"$(plinkctl -n "$P" -j service show big | jq '.[0].n_endpoints')" $((NCONS * PER))
expect_eq "a consumer's dump has its $PER" \
	"$(plinkctl -n "${cons[NCONS / 2]}" -j endpoint show | jq length)" $PER

for ns in "${cons[@]}"; do
	echo "netns delete $ns"
done | ip -batch -
for ns in "${cons[@]}"; do
	remove_ns_list "$ns"
done
busywait 20000 bash -c "[ \$(plinkctl -n $P -j endpoint show | jq length) = 0 ]"
expect_eq "deleting the consumer netns removed every endpoint" \
	"$(plinkctl -n "$P" -j service show big | jq '.[0].n_endpoints')" 0

exit "$EXIT_STATUS"
