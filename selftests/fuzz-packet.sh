#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Both datapaths under pktfuzz (selftests/tools/pktfuzz.c) while real flows
# run, then floods:
#
#   C1 (pl0) --\                      /-- nlb0: fzp, fzp6 (real flows)
#   C2 (pl0) ---+~plink~ P ----------+-- nlb1: fzq, fzq6 (fuzzed)
#                                     tg0: target 10.0.0.1, fd00::1
#
# C2 keeps TCP sessions and runs connections one after the other through
# fzp and fzp6 (nlb0).  pktfuzz writes random and mutated packets onto
# C1's pl0 (to its endpoints of fzq and fzq6), onto P's nlb1 (from the
# target to the NLB addresses, as replies would be) and onto nlb0 under
# the real flows.  fzq's listeners lead to ports the target does not
# listen on: it answers each SYN that gets through with one RST, and
# nothing is left in flight once pktfuzz ends.  Every packet a plink
# device takes is passed on or dropped, each counted: on C1's pl0 (its own
# stack sends nothing there: ip rules blackhole its traffic to the
# endpoints) tx_packets + tx_dropped grow by exactly what
# pktfuzz sent and tx_packets by the endpoints' fwd_packets; on nlb1
# tx_packets grow by fzq's and fzq6's rev_packets.  The real flows still
# work afterwards.  Then a SYN flood from C1 (new source ports, no
# handshake) against fzp with max-flows set: its flows stay within it,
# the refused SYNs are counted, and C2's established session still works;
# and a UDP flood from the provider side to ports with no flow: each
# datagram a counted drop_no_flow.
#
# plink.fuzz_pkt=N on the kernel command line (make fuzz) sends N packets
# a run and seed instead of the short slice.

source "$(dirname "$0")/lib/datapath.sh"
require_plink
setup_ns P C1 C2 || exit $ksft_fail

# A short slice: 2000 a run, 300 on the debug kernel (KASAN under TCG:
# 1000 took 160 s there; make fuzz runs the long campaign).
count=2000
[[ "$(uname -r)" == *plinkdbg* ]] && count=300
n=$(sed -n 's/.*plink\.fuzz_pkt=\([0-9]*\).*/\1/p' /proc/cmdline)
[ -n "$n" ] && count=$n
seeds="1 $(od -An -N4 -tu4 /dev/urandom | tr -d ' ')"
MAXF=300

dp_provider "$P"
ip -n "$P" link add nlb1 type plink
ip -n "$P" link set nlb1 up
dp_target "$P" t1 10.0.0.1
dp_target "$P" t6 fd00::1
svc()
{
	plinkctl -n "$P" service add "$1" dev "$2" addr "$3" listener "$4" \
		listener "$5" acceptance auto allow '*' >/dev/null
	plinkctl -n "$P" target add "$1" "$6"
}
svc fzp nlb0 10.0.0.200 tcp:80:8080 udp:5353 10.0.0.1
svc fzp6 nlb0 fd00::200 tcp:80:8080 udp:5353 fd00::1
# C2's sessions idle through every pktfuzz run: in make fuzz's campaign
# (105000 packets a run, on a loaded host) that was once over the default
# TCP idle timeout of 350 s, and their flows expired.
for s in fzp fzp6; do
	plinkctl -n "$P" service set "$s" timeout-tcp 6000
done
svc fzq nlb1 10.0.0.210 tcp:81:8181 udp:5354:5454 10.0.0.1
svc fzq6 nlb1 fd00::210 tcp:81:8181 udp:5354:5454 fd00::1
# The UDP flood's service: no endpoint, no flow.
svc fzflood nlb0 10.0.0.201 udp:5353 udp:5354 10.0.0.1
for ns in "$C1" "$C2"; do
	dp_consumer "$ns"
	plinkctl -n "$ns" endpoint add fzp dev pl0 addr 10.0.0.100 >/dev/null
	plinkctl -n "$ns" endpoint add fzp6 dev pl0 addr fd00::100 >/dev/null
done
plinkctl -n "$C1" endpoint add fzq dev pl0 addr 10.0.0.110 >/dev/null
plinkctl -n "$C1" endpoint add fzq6 dev pl0 addr fd00::110 >/dev/null
for a in 10.0.0.100 10.0.0.110; do
	ip -n "$C1" rule add to $a blackhole pref 10
done
for a in fd00::100 fd00::110; do
	ip -n "$C1" -6 rule add to $a blackhole pref 10
done
ip netns exec "$C1" sysctl -qw net.ipv6.conf.pl0.disable_ipv6=1

# The real flows, from C2.
dp_sess_open s4 "$C2" 10.0.0.100 80
expect_match "a TCP session through the service" "$DP_LINE" '^t1 '
dp_sess_open s6 "$C2" fd00::100 80
expect_match "an IPv6 TCP session through the service" "$DP_LINE" '^t6 '
DP_LOOP_PACE=0.2 dp_loop "$C2" 10.0.0.100 100000 >"$DP_TMP/loop" &
loop=$!

# ep_sum NS KEY: KEY summed over the endpoints of NS.
ep_sum()
{
	local id s=0 v

	for id in $(plinkctl -n "$1" -j endpoint show | jq -r '.[].id'); do
		v=$(dp_stat "$1" endpoint "$id" "$2")
		s=$((s + v))
	done
	echo $s
}
fzq_rev() { echo $(($(dp_stat "$P" service fzq rev_packets) + $(dp_stat "$P" service fzq6 rev_packets))); }
dev_out() { echo $(($(dp_link "$1" "$2" tx packets) + $(dp_link "$1" "$2" tx dropped))); }
# same DIFF1 DIFF2: true when the two shell expressions give one number.
same() { [ "$(eval "$1")" = "$(eval "$2")" ]; }

# pktfuzz_run DESC NS DEV OUT ARGS...: pktfuzz must run through; its
# summary goes to the log and the number it sent to $SENT.
pktfuzz_run()
{
	local desc=$1 ns=$2 dev=$3 out=$4 rc=0
	shift 4

	ip netns exec "$ns" pktfuzz --dev "$dev" --count "$count" "$@" >"$out" 2>&1 || rc=$?
	sed 's/^/# /' "$out"
	SENT=$(sed -n 's/.* sent \([0-9]*\) .*/\1/p' "$out")
	RET=0
	retmsg=
	if [ "$rc" != 0 ] || [ -z "$SENT" ]; then
		RET=$ksft_fail
		retmsg="pktfuzz failed ($rc): $(tail -5 "$out")"
	fi
	log_test "$desc"
}

for seed in $seeds; do
	o0=$(dev_out "$C1" pl0)
	t0=$(dp_link "$C1" pl0 tx packets)
	f0=$(ep_sum "$C1" fwd_packets)
	pktfuzz_run "pktfuzz onto a consumer's pl0, seed $seed, $count packets" \
		"$C1" pl0 "$DP_TMP/c.$seed" --seed "$seed" --port 81 --port 5354 \
		--port 80 --src4 10.0.0.5 --dst4 10.0.0.110 --src6 fd00::5 --dst6 fd00::110
	expect_eq "pl0 passed or dropped (and counted) each of the $SENT packets" \
		"$(($(dev_out "$C1" pl0) - o0))" "$SENT"
	expect_eq "pl0's tx_packets grew by the endpoints' fwd_packets" \
		"$(($(dp_link "$C1" pl0 tx packets) - t0))" "$(($(ep_sum "$C1" fwd_packets) - f0))"

	o0=$(dev_out "$P" nlb1)
	t0=$(dp_link "$P" nlb1 tx packets)
	r0=$(fzq_rev)
	pktfuzz_run "pktfuzz onto the provider's nlb1, seed $seed, $count packets" \
		"$P" nlb1 "$DP_TMP/p.$seed" --seed "$seed" --reverse --port 8181 --port 5454 \
		--src4 10.0.0.1 --dst4 10.0.0.210 --src6 fd00::1 --dst6 fd00::210
	expect_gt "nlb1 passed or dropped at least the $SENT packets" \
		"$(($(dev_out "$P" nlb1) - o0 + 1))" "$SENT"
	# The target's RSTs to what got through may still be on their way.
	slowwait 10 same "echo \$((\$(dp_link $P nlb1 tx packets) - $t0))" \
		"echo \$((\$(fzq_rev) - $r0))"
	expect_eq "nlb1's tx_packets grew by the services' rev_packets" \
		"$(($(dp_link "$P" nlb1 tx packets) - t0))" "$(($(fzq_rev) - r0))"
	pktfuzz_run "pktfuzz onto nlb0 under the real flows, seed $seed, $count packets" \
		"$P" nlb0 "$DP_TMP/r.$seed" --seed "$seed" --reverse --port 8080 --port 5353 \
		--src4 10.0.0.1 --dst4 10.0.0.200 --src6 fd00::1 --dst6 fd00::200
done

expect_match "the TCP session still works after the fuzz" "$(dp_sess_say s4 hello)" '^t1 hello$'
expect_match "the IPv6 TCP session still works after the fuzz" "$(dp_sess_say s6 hello)" '^t6 hello$'
expect_match "a new connection works after the fuzz" "$(dp_get "$C2" 10.0.0.100 80)" '^t1 '
expect_match "UDP works after the fuzz" "$(dp_udp "$C2" 10.0.0.100 5353)" '^t1 '
expect_eq "the connection loop never failed" "$(dp_count fail <"$DP_TMP/loop")" 0
kill $loop 2>/dev/null
wait $loop 2>/dev/null

# --- floods -------------------------------------------------------------------

flood=$((MAXF * 4))
plinkctl -n "$P" service set fzp max-flows $MAXF
full0=$(($(dp_stat "$P" service fzp drop_table_full) + $(dp_stat "$P" service fzp drop_quota)))
count=$flood pktfuzz_run "a SYN flood of $flood new ports from C1" "$C1" pl0 "$DP_TMP/syn" \
	--mode syn --port 80 --src4 10.0.0.5 --dst4 10.0.0.100
expect_range "the flows stay within the service's max-flows ($MAXF)" \
	"$(dp_stat "$P" service fzp flows_active)" 1 $MAXF
expect_gt "the SYNs past max-flows were counted drops" \
	"$(($(dp_stat "$P" service fzp drop_table_full) + $(dp_stat "$P" service fzp drop_quota) - full0))" \
	$((flood - MAXF - 1))
expect_match "the established session works through the SYN flood" \
	"$(dp_sess_say s4 flood)" '^t1 flood$'

nf0=$(dp_stat "$P" service fzflood drop_no_flow)
count=$flood pktfuzz_run "a UDP flood from the target, to ports with no flow" "$P" nlb0 \
	"$DP_TMP/udp" --mode udp --reverse --port 5353 --src4 10.0.0.1 --dst4 10.0.0.201
expect_eq "each of the $SENT datagrams is a counted drop_no_flow" \
	"$(($(dp_stat "$P" service fzflood drop_no_flow) - nf0))" "$SENT"
expect_match "the established session works after the floods" \
	"$(dp_sess_say s4 after)" '^t1 after$'
exit "$EXIT_STATUS"
