#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The plink family under nlfuzz (selftests/tools/nlfuzz.c): valid requests
# that build services, targets and endpoints, interleaved with random and
# mutated ones and dumps, from root in one netns and at the same time from
# an unprivileged tenant (uid 1000, its own user and network namespace)
# with its own devices.  Each run: a fixed seed, then a random one, printed
# (rerun it with "nlfuzz --seed N").  Every request must be answered with
# an errno or success, and the kernel must not splat (the harness reads
# the console).  Afterwards the module unloads (nothing holds it) and
# loads again.
#
# plink.fuzz_nl=N on the kernel command line (make fuzz) sends N requests
# a process and seed instead of the short slice.

source "$(dirname "$0")/lib/plink.sh"
require_plink
setup_ns P || exit $ksft_fail

count=3000
# The debug kernel answers some 330 requests a second under TCG (KASAN,
# lockdep), two processes at a time: a smaller slice there.
[[ "$(uname -r)" == *plinkdbg* ]] && count=500
n=$(sed -n 's/.*plink\.fuzz_nl=\([0-9]*\).*/\1/p' /proc/cmdline)
[ -n "$n" ] && count=$n
seeds="1 $(od -An -N4 -tu4 /dev/urandom | tr -d ' ')"

for d in nlb0 pl0; do
	ip -n "$P" link add "$d" type plink
	ip -n "$P" link set "$d" up
done
devs="--dev $(ip -n "$P" -j link show nlb0 | jq '.[0].ifindex')"
devs+=" --dev $(ip -n "$P" -j link show pl0 | jq '.[0].ifindex')"

as_user() { setpriv --reuid 1000 --regid 1000 --clear-groups "$@"; }

# fuzz DESC LOG CMD...: CMD (nlfuzz) must exit 0; its summary in the output.
fuzz_check()
{
	local desc=$1 log=$2 rc=$3

	RET=0
	retmsg=
	grep '^nlfuzz: ' "$log" | sed 's/^/# /'
	if [ "$rc" != 0 ]; then
		RET=$ksft_fail
		retmsg="exit status $rc: $(grep -v '^nlfuzz: seed .* count' "$log" | head -60)"
	fi
	log_test "$desc"
}

tmp=$(mktemp -d)
for seed in $seeds; do
	# The tenant: its own netns, devices, services and endpoints.
	as_user unshare -Urn bash -c '
		for d in nlb0 pl0; do
			ip link add $d type plink && ip link set $d up || exit 1
		done
		exec nlfuzz --seed '"$seed"' --count '"$count"' --prefix fzu \
			--dev $(ip -o link show nlb0 | cut -d: -f1) \
			--dev $(ip -o link show pl0 | cut -d: -f1)' \
		>"$tmp/user" 2>&1 &
	upid=$!
	rc=0
	# shellcheck disable=SC2086 # $devs: words
	ip netns exec "$P" nlfuzz --seed "$seed" --count "$count" --prefix fzr \
		$devs >"$tmp/root" 2>&1 || rc=$?
	fuzz_check "nlfuzz as root, seed $seed, $count requests" "$tmp/root" $rc
	rc=0
	wait $upid || rc=$?
	fuzz_check "nlfuzz as an unprivileged tenant, seed $seed, $count requests" \
		"$tmp/user" $rc
done

expect_ok "plink dev show still works" plinkctl -n "$P" dev show
# What the fuzz built goes with its devices; then nothing holds the module.
ip -n "$P" link del nlb0
ip -n "$P" link del pl0
cleanup_all_ns >/dev/null 2>&1
slowwait 30 rmmod plink 2>/dev/null
expect_eq "rmmod plink after the fuzz" "$(test -d /sys/module/plink && echo loaded)" ""
expect_ok "insmod plink again" insmod "$PLINK_KO"
rm -rf "$tmp"
exit "$EXIT_STATUS"
