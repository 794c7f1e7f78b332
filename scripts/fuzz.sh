#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make fuzz: the long fuzz campaign, split over boots of one test kernel:
#   fuzz.sh [--kernel K] [--boots N] [--nl N] [--pkt N]
# Each boot runs selftests/fuzz-netlink.sh and fuzz-packet.sh (and KUnit)
# with plink.fuzz_nl=NL (requests per nlfuzz process: four a boot, root
# and a tenant, a fixed seed and a random one) and plink.fuzz_pkt=PKT
# (packets per pktfuzz run: six a boot, a consumer's device, an NLB device
# and one under real flows, for each seed).  The defaults (debug kernel,
# 2 boots, 128000 and 105000) send over 1,000,000 requests and 1,000,000
# packets (a request the socket refuses at once, about 1%, or a packet,
# about 19%: too long for the device, is not counted as sent).  Each
# boot's TAP and console are kept in build/fuzz/; a splat, a failed check
# or a hang fails the boot.  Prints every seed, the totals and the
# failures; exit status 0 when no boot failed.  Slow: the debug kernel
# under TCG answers some 330 requests and takes some 330 packets a second
# on this 2-core machine (a boot of the default campaign: about 26
# minutes of requests, then 26 of packets).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
kernel=debug
boots=2
nl=128000
pkt=105000
while [ $# -gt 0 ]; do
	case "$1" in
	--kernel) kernel=$2; shift 2 ;;
	--boots) boots=$2; shift 2 ;;
	--nl) nl=$2; shift 2 ;;
	--pkt) pkt=$2; shift 2 ;;
	*) echo "fuzz.sh: unknown argument \"$1\"" >&2; exit 2 ;;
	esac
done

out=$top/build/fuzz
mkdir -p "$out"
failed=0
for ((b = 1; b <= boots; b++)); do
	log=$out/boot-$b.log
	echo "# fuzz: boot $b of $boots on $kernel: $nl requests a process, $pkt packets a run"
	rc=0
	PLINK_ONLY=fuzz-netlink,fuzz-packet \
	PLINK_VM_APPEND="plink.fuzz_nl=$nl plink.fuzz_pkt=$pkt plink.timeout=10000" \
		nice -n 10 "$top/selftests/qemu/run.sh" --kernel "$kernel" \
		--timeout 10800 >"$log" 2>&1 || rc=$?
	cp "$top/build/$kernel/console.log" "$out/console-$b.log"
	grep -E '^(not )?ok |nlfuzz: seed .* sent|pktfuzz: seed .* sent|FAIL' "$log" |
		grep -vE '^ok .*: (nlfuzz|pktfuzz|pl0|nlb)' || true
	if [ "$rc" != 0 ]; then
		echo "not ok fuzz: boot $b failed (exit $rc): $log, $out/console-$b.log"
		failed=$((failed + 1))
	fi
done

# Totals, from the guests' summary lines.
sum()
{
	sed -nE "s/.*$1: seed ([0-9]+) sent ([0-9]+) .*/\\2/p" "$out"/boot-*.log |
		awk '{ s += $1 } END { print s + 0 }'
}
seeds()
{
	sed -nE "s/.*$1: seed ([0-9]+) sent .*/\\1/p" "$out"/boot-*.log |
		sort -un | tr '\n' ' '
}
echo "# fuzz: netlink requests sent: $(sum nlfuzz) (seeds: $(seeds nlfuzz))"
echo "# fuzz: packets sent: $(sum pktfuzz) (seeds: $(seeds pktfuzz))"
echo "# fuzz: $boots boots on $kernel, $failed failed"
[ "$failed" = 0 ]
