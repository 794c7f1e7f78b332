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
	"$(jq -r 'map(.dev) | sort | join(",")' <<<"$out")" "pl0,pl1"
expect_eq "dump ifindex matches ip" \
	"$(jq -r '.[] | select(.dev == "pl1") | .ifindex' <<<"$out")" \
	"$(ip -n "$A" -j link show pl1 | jq -r '.[0].ifindex')"
expect_eq "unbound devices have binding none" \
	"$(jq -r 'map(.binding) | unique | join(",")' <<<"$out")" none
expect_eq "B sees no plink device: []" "$(plinkctl -n "$B" -j dev show | jq -c .)" "[]"
expect_eq "human output: one line per device" \
	"$(plinkctl -n "$A" dev show | awk '{print $1, $3}' | sort | tr '\n' ' ')" \
	"pl0 none pl1 none "

# do, by name and by index
out=$(plinkctl -n "$A" -j dev show pl1)
expect_eq "do by name" "$(jq -r 'length, .[0].dev' <<<"$out" | tr '\n' ' ')" "1 pl1 "
idx=$(ip -n "$A" -j link show pl0 | jq -r '.[0].ifindex')
expect_eq "do by ifindex" \
	"$(plinkctl -n "$A" -j dev show "$idx" | jq -r '.[0].dev')" pl0

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
	"$(jq -r 'map(.dev) | unique | length' <<<"$out")" "$n"

# "show" output is valid input: every object's first line, typed back into
# "add" in fresh namespaces (after a del: names and ids are global), makes
# an object that shows the same.
setup_ns P1 P2 C1 C2 || exit $ksft_fail
for ns in "$P1" "$P2"; do
	ip -n "$ns" link add nlb0 type plink
	ip -n "$ns" link set nlb0 up
done
for ns in "$C1" "$C2"; do
	ip -n "$ns" link add pl0 type plink
	ip -n "$ns" link set pl0 up
done
plinkctl -n "$P1" service add rt dev nlb0 addr 10.9.0.1 addr fd00:9::1 \
	listener tcp:80:8080 listener udp:53 acceptance auto allow any \
	allow uid:1000 timeout-tcp 400 dereg-delay 10 max-flows 1000 \
	maglev-size 251 fail-open on health-check tcp interval 10 timeout 5
plinkctl -n "$P1" target add rt 10.9.1.1:8080 weight 7 zone a
plinkctl -n "$P1" target add rt fd00:9::10 weight 0
id=$(plinkctl -n "$C1" endpoint add rt dev pl0 addr 10.9.0.100 \
	allow 10.0.0.0/8 tcp:80-90 allow fd00::/8 private-dns off)
svc=$(plinkctl -n "$P1" service show rt | head -n 1)
tgt=$(plinkctl -n "$P1" target show rt | grep -v '^ ')
ep=$(plinkctl -n "$C1" endpoint show "$id" | head -n 1)
plinkctl -n "$C1" endpoint del "$id"
plinkctl -n "$P1" service del rt

# shellcheck disable=SC2086 # the words of the line, as typed
expect_ok "service show, typed into service add" \
	plinkctl -n "$P2" service add $svc
expect_eq "service show: the same again" \
	"$(plinkctl -n "$P2" service show rt | head -n 1)" "$svc"
errs=$(while read -r line; do
	# shellcheck disable=SC2086
	plinkctl -n "$P2" target add $line || echo "failed: $line"
done <<<"$tgt" 2>&1)
expect_eq "target show, typed into target add" "$errs" ""
expect_eq "target show: the same again" \
	"$(plinkctl -n "$P2" target show rt | grep -v '^ ')" "$tgt"
# shellcheck disable=SC2086
expect_ok "endpoint show, typed into endpoint add" \
	plinkctl -n "$C2" endpoint add $ep
expect_eq "endpoint show: the same again" \
	"$(plinkctl -n "$C2" endpoint show "$id" | head -n 1)" "$ep"

exit "$EXIT_STATUS"
