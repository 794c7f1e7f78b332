#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# plinkctl and the dev-get operation: do and dump, JSON output, per-netns
# isolation, dump paging, and errors for bad input.

source "$(dirname "$0")/lib/plink.sh"
require_plink
setup_ns A B || exit $ksft_fail

ip -n "$A" link add pl0 type plink
ip -n "$A" link add pl1 type plink
ip -n "$A" link add dummy0 type dummy

# dump
out=$(plinkctl -n "$A" -j dev show)
expect_eq "dump lists the 2 plink devices of A (not lo, not dummy0)" \
	"$(jq -r 'map(.ifname) | sort | join(",")' <<<"$out")" "pl0,pl1"
expect_eq "dump ifindex matches ip" \
	"$(jq -r '.[] | select(.ifname == "pl1") | .ifindex' <<<"$out")" \
	"$(ip -n "$A" -j link show pl1 | jq -r '.[0].ifindex')"
expect_eq "unbound devices have binding none" \
	"$(jq -r 'map(.binding) | unique | join(",")' <<<"$out")" none
expect_eq "B sees no plink device: []" "$(plinkctl -n "$B" -j dev show | jq -c .)" "[]"
expect_eq "human output: one line per device" \
	"$(plinkctl -n "$A" dev show | awk '{print $1, $3}' | sort | tr '\n' ' ')" \
	"pl0 none pl1 none "

# do, by name and by index
out=$(plinkctl -n "$A" -j dev show pl1)
expect_eq "do by name" "$(jq -r 'length, .[0].ifname' <<<"$out" | tr '\n' ' ')" "1 pl1 "
idx=$(ip -n "$A" -j link show pl0 | jq -r '.[0].ifindex')
expect_eq "do by ifindex" \
	"$(plinkctl -n "$A" -j dev show "$idx" | jq -r '.[0].ifname')" pl0

# errors: the kernel's extack text, one line, non-zero exit
expect_fail "a non-plink device is refused with the kernel's message" \
	"^plinkctl: not a plink device$" plinkctl -n "$A" dev show dummy0
expect_fail "a non-plink ifindex is refused" "not a plink device" \
	plinkctl -n "$A" dev show 1
expect_fail "an unknown device is refused" "^plinkctl: no such device$" \
	plinkctl -n "$A" dev show nosuch0
expect_fail "another netns's device is not found" "no such device" \
	plinkctl -n "$B" dev show pl0
expect_fail "an unknown option is refused" "unknown option" plinkctl -x dev show
expect_fail "an unknown object is refused" "unknown object" plinkctl bogus show
expect_fail "an unknown command is refused" "unknown command" plinkctl dev frobnicate
expect_fail "an unknown netns is refused" "cannot open netns" \
	plinkctl -n no-such-netns dev show

# A dump larger than one netlink message must page correctly.
n=400
for i in $(seq 1 $n); do
	echo "link add plx$i type plink"
done | ip -n "$B" -batch -
out=$(plinkctl -n "$B" -j dev show)
expect_eq "dump of $n devices returns $n" "$(jq length <<<"$out")" "$n"
expect_eq "dump of $n devices returns each once" \
	"$(jq -r 'map(.ifname) | unique | length' <<<"$out")" "$n"

exit "$EXIT_STATUS"
