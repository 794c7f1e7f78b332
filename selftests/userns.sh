#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Permissions: mutating operations need CAP_NET_ADMIN over the caller's
# netns, so an unprivileged user in its own user+net namespace manages its
# own netns (with its uid as principal) and nothing else.

source "$(dirname "$0")/lib/plink.sh"
require_plink
sysctl -qw kernel.unprivileged_userns_clone=1 2>/dev/null
setup_ns P || exit $ksft_fail

ip -n "$P" link add nlb0 type plink
ip -n "$P" link set nlb0 up
plinkctl -n "$P" service add web dev nlb0 addr 10.0.0.100 listener tcp:80 \
	allow uid:1000 acceptance auto
plinkctl -n "$P" service add closed dev nlb0 addr 10.0.0.101 listener tcp:80 \
	allow uid:0

as_user() { setpriv --reuid 1000 --regid 1000 --clear-groups "$@"; }
in_userns() { as_user unshare -Urn bash -c "ip link set lo up; $1"; }

if ! in_userns true 2>/dev/null; then
	# Every kernel under test has them: their absence is a failure.
	echo "FAIL: uid 1000 cannot create a user and network namespace"
	exit $ksft_fail
fi

expect_fail "an unprivileged user cannot add a service in init_net" \
	"Operation not permitted" \
	as_user plinkctl service add mine dev lo addr 10.1.1.1 listener tcp:80
expect_fail "nor enter the provider's netns" "cannot (enter|open) netns" \
	as_user plinkctl -n "$P" service del web
expect_ok "but may read (dev show) in init_net" as_user plinkctl dev show

out=$(in_userns '
	ip link add pl0 type plink && ip link set pl0 up &&
	id=$(plinkctl endpoint add web dev pl0 addr 10.0.0.5) &&
	plinkctl -j endpoint show "$id" &&
	plinkctl -j service show &&
	{ plinkctl service del web 2>&1; echo "rc=$?"; } &&
	{ plinkctl endpoint accept "$id" 2>&1; echo "rc=$?"; } &&
	{ plinkctl endpoint add closed dev pl0 addr 10.0.0.6 2>&1; echo "rc=$?"; } &&
	{ plinkctl service add mine dev pl0 addr 10.1.1.1 listener tcp:80 2>&1; echo "rc=$?"; } &&
	ip link add nlb1 type plink && ip link set nlb1 up &&
	plinkctl service add mine dev nlb1 addr 10.1.1.1 listener tcp:80 &&
	plinkctl -j service show mine &&
	ip route show 10.0.0.5/32' 2>&1)
lines() { sed -n "$1p" <<<"$out"; }
expect_eq "in its own user+net ns it creates a device and an endpoint, owned by uid 1000" \
	"$(lines 1 | jq -c '.[0] | [.state, .owner_uid, .dev]')" '["available",1000,"pl0"]'
expect_eq "it sees the services uid 1000 may use" \
	"$(lines 2 | jq -r 'map(.name) | join(",")')" web
expect_eq "it cannot delete the provider's service" "$(lines 3,4 | tr '\n' ' ')" \
	"plinkctl: no such service rc=2 "
expect_eq "it cannot accept its own endpoint" "$(lines 5 | cut -c1-60)" \
	"plinkctl: only the service's provider can accept or reject a"
expect_eq "a service not allowing uid 1000 does not exist for it" \
	"$(lines 7,8 | tr '\n' ' ')" "plinkctl: no such service rc=2 "
expect_eq "its endpoint device cannot be an NLB device" "$(lines 9)" \
	"plinkctl: device holds endpoints and cannot be an NLB device"
expect_eq "it can run a service of its own, owned by uid 1000" \
	"$(lines 11 | jq -c '.[0] | [.name, .owner_uid]')" '["mine",1000]'
expect_eq "the tool routed the endpoint address in the user's netns" \
	"$(lines 12 | awk '{print $1, $2, $3}')" "10.0.0.5 dev pl0"

# The user's netns is gone with its process: so is its endpoint.
busywait 5000 bash -c "[ \$(plinkctl -n $P -j endpoint show | jq length) = 0 ]"
expect_eq "the provider saw the endpoint go with the user's netns" \
	"$(plinkctl -n "$P" -j endpoint show | jq length)" 0
expect_eq "and its service 'mine' went with it" \
	"$(plinkctl -j service show | jq -r 'map(select(.name == "mine")) | length')" 0

exit "$EXIT_STATUS"
