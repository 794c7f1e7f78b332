#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Links that go down come back: taking an endpoint device or an NLB device
# down flushes the host routes of its addresses; the module puts them back
# when the device comes up (kmod/route.c), so that with a loop of requests
# running (IPv4 and IPv6), every request made a second after the device is
# up again succeeds, with no command from anyone; for an unprivileged
# tenant's device in its own user and network namespace too.

source "$(dirname "$0")/lib/datapath.sh"
require_plink
sysctl -qw kernel.unprivileged_userns_clone=1 2>/dev/null
setup_ns P C || exit $ksft_fail

dp_provider "$P"
dp_target "$P" t1 10.0.0.1
dp_target "$P" t6 fd00::1
plinkctl -n "$P" service add flap dev nlb0 addr 10.0.0.200 addr fd00::200 \
	listener tcp:80:8080 acceptance auto allow '*'
plinkctl -n "$P" target add flap 10.0.0.1
plinkctl -n "$P" target add flap fd00::1
dp_consumer "$C"
plinkctl -n "$C" endpoint add flap dev pl0 addr 10.0.0.100 addr fd00::100 >/dev/null

fl_reaches()
{
	[ -n "$(dp_get "$C" 10.0.0.100 80)" ] && [ -n "$(dp_get "$C" fd00::100 80)" ]
}
slowwait 30 fl_reaches
expect_match "setup: the consumer reaches the service over IPv4 and IPv6" \
	"$(dp_get "$C" 10.0.0.100 80) / $(dp_get "$C" fd00::100 80)" '^t1 .* / t6 '

# The request loop: one connection at a time, alternately IPv4 and IPv6,
# each logged as "START ADDR ok|noanswer|noconnect" (START: when it began).
LOG=$DP_TMP/loop.log
: >"$LOG"
ip netns exec "$C" bash -c '
	while :; do
		for a in 10.0.0.100 fd00::100; do
			t=$EPOCHREALTIME r=noconnect
			if exec 5<>"/dev/tcp/$a/80"; then
				# Connected through plink; the answer may be slow
				# on debug (a target forks a server a connection).
				r=noanswer
				read -r -t 10 name rest <&5 && [ -n "$name" ] && r=ok
				exec 5<&-
			fi
			echo "$t $a $r"
		done
	done' >>"$LOG" 2>/dev/null &
LOOP=$!

# The requests checked after each flap: 8, on debug 4 (a connection costs
# the target a fork, dear there).
FL_N=8
dp_debug && FL_N=4

# fl_after T FAMILY_ADDR: how many requests to ADDR began after time T.
fl_after()
{
	awk -v t="$1" -v a="$2" '$1 > t && $2 == a' "$LOG" | wc -l
}

# fl_flap NS DEV ADDR4 ADDR6: take DEV down and up, then check that both
# routes are back within a second and that every request that began a
# second after DEV came up succeeded (the first $FL_N).
fl_flap()
{
	local ns=$1 dev=$2 a4=$3 a6=$4 up t1 bad

	ip -n "$ns" link set "$dev" down
	expect_eq "$dev down: the stack flushed the route to $a4" \
		"$(ip -n "$ns" route show "$a4/32" dev "$dev")" ""
	ip -n "$ns" link set "$dev" up
	up=$EPOCHREALTIME
	busywait 1000 bash -c "ip -n $ns route show $a4/32 dev $dev | grep -q . &&
		ip -n $ns -6 route show $a6/128 dev $dev | grep -q ." >/dev/null
	expect_match "$dev up: the route to $a4 is back within a second" \
		"$(ip -n "$ns" route show "$a4/32" dev "$dev")" \
		"^$a4 .*scope link"
	expect_match "$dev up: the route to $a6 is back within a second" \
		"$(ip -n "$ns" -6 route show "$a6/128" dev "$dev")" "^$a6 "

	t1=$(awk -v t="$up" 'BEGIN { printf "%.6f", t + 1 }')
	slowwait 60 bash -c "[ \$(awk -v t=$t1 '\$1 > t' $LOG | wc -l) -ge $FL_N ]" >/dev/null
	# Every connection a second after DEV came up is made (a missing
	# route leaves the SYN unanswered), and each family gets answers.
	bad=$(awk -v t="$t1" '$1 > t' "$LOG" | head -n "$FL_N" | grep ' noconnect$' | tr '\n' ' ')
	expect_eq "$dev flap: connections a second after it came up succeed (IPv4: $(fl_after "$t1" 10.0.0.100), IPv6: $(fl_after "$t1" fd00::100))" \
		"$bad" ""
	expect_eq "$dev flap: and get answers over IPv4 and IPv6" \
		"$(awk -v t="$t1" '$1 > t && $3 == "ok" { print $2 }' "$LOG" | sort -u | tr '\n' ' ')" \
		"10.0.0.100 fd00::100 "
}

fl_flap "$C" pl0 10.0.0.100 fd00::100
fl_flap "$P" nlb0 10.0.0.200 fd00::200

kill "$LOOP"
wait "$LOOP" 2>/dev/null

# --- an unprivileged tenant --------------------------------------------------

as_user() { setpriv --reuid 1000 --regid 1000 --clear-groups "$@"; }

# In its own user and network namespace, uid 1000 makes an endpoint,
# flaps its device, and waits up to a second for a request to succeed.
out=$(as_user unshare -Urn bash -c "
	$(declare -f busywait loopy_wait timestamp_ms)
	get() { timeout 3 bash -c 'exec 5<>/dev/tcp/10.0.0.110/80 && read -r -t 2 n r <&5 && echo \$n'; }
	sysctl -qw net.ipv4.tcp_syn_retries=1
	ip link set lo up && ip link add lan0 type dummy && ip link set lan0 up &&
	ip addr add 10.0.0.5/24 dev lan0 &&
	ip link add pl0 type plink && ip link set pl0 up &&
	plinkctl endpoint add flap dev pl0 addr 10.0.0.110 >/dev/null &&
	get && ip link set pl0 down && ip link set pl0 up &&
	busywait 1000 get && echo && ip route show 10.0.0.110/32" 2>&1)
expect_eq "an unprivileged tenant's endpoint: a request succeeds, and after a flap within a second" \
	"$(sed -n 1,2p <<<"$out" | tr '\n' ' ')" "t1 t1 "
expect_match "and its route is back" "$(sed -n 3p <<<"$out")" \
	'^10\.0\.0\.110 dev pl0 .*scope link'

exit "$EXIT_STATUS"
