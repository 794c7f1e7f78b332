#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# plink's benchmarks: boot Debian's stock 6.12 in QEMU (TCG) with
# -icount shift=0,sleep=off (guest time counts instructions, so a rate
# repeats whatever the host's load), one boot per benchmark family, and
# report each case's median ratio to its baseline measured in the same boot.
#
#   bench/run.sh [--smoke] [--plain] [--rounds N] [FAMILY...]
#
# FAMILY: tput cps udp rr ipv6 mem micro balance scale profile (default:
#   all, one boot each).  profile (per-function instructions per packet, plink against
#   veth, from ftrace's function_graph) writes bench/profile.md instead of
#   a row of results.md (bench/profile.py); it needs -icount: --plain skips it.
# --smoke: every family in one boot, one round, tiny sizes (proves that
#   each benchmark still runs; make bench-smoke); exits non-zero when one
#   produced no number.
# --plain: plain TCG, no -icount (figures for the record only: a separate
#   section of bench/results.md, from build/bench/plain-FAMILY.raw).
# The table goes to stdout and to bench/results.md, made from the newest
# run of each family (build/bench/icount-FAMILY.raw, plain-FAMILY.raw).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# secs, cache_* (scripts/lib.sh)
. "$top/scripts/lib.sh"
smoke=0
plain=0
rounds=5
fams=()
while [ $# -gt 0 ]; do
	case "$1" in
	--smoke) smoke=1; rounds=1; shift ;;
	--plain) plain=1; shift ;;
	--rounds) rounds=$2; shift 2 ;;
	-*) echo "bench: unknown option $1" >&2; exit 2 ;;
	*) fams+=("$1"); shift ;;
	esac
done
all=(tput cps udp rr ipv6 mem micro balance scale profile)
[ ${#fams[@]} -gt 0 ] || fams=("${all[@]}")
for f in "${fams[@]}"; do
	[[ " ${all[*]} " == *" $f "* ]] || { echo "bench: unknown family $f" >&2; exit 2; }
done

kernel=stock-6.12
eval "$("$top/scripts/kernels.sh" "$kernel")"
out=$top/build/bench
mkdir -p "$out"

# plink.ko and plinkctl, as the tests build them.
"$top/scripts/build-module.sh" "$kernel" >&2
make -s -C "$top/tools/plinkctl" >&2

# plink_bench.ko: plink's own maglev.c, flow.c and flow-gc.c with the bench driver.
bdir=$top/build/$kernel/bench
bkey=$( { echo "$KDIR $KREL"; cd "$top" && find bench/kmod kmod uapi -type f \
	-name '*.[ch]' -o -name Kbuild | LC_ALL=C sort | xargs sha256sum; } |
	cache_key)
if ! cache_valid "$bdir/build.stamp" "$bkey" "$bdir/plink_bench.ko"; then
	rm -rf "$bdir"
	mkdir -p "$bdir/kmod"
	cp -a "$top/uapi" "$bdir/"
	cp -a "$top"/kmod/*.[ch] "$bdir/kmod/"
	cp -a "$top/bench/kmod/Kbuild" "$top/bench/kmod/bench.c" "$bdir/"
	if ! make -C "$KDIR" M="$bdir" modules >"$bdir/build.log" 2>&1; then
		cat "$bdir/build.log" >&2
		echo "bench: plink_bench.ko failed to build" >&2
		exit 1
	fi
	cache_store "$bdir/build.stamp" "$bkey" "$bdir/plink_bench.ko"
fi

# bnet, static.
if [ ! -x "$out/bnet" ] || [ "$top/bench/tools/bnet.c" -nt "$out/bnet" ]; then
	gcc -O2 -Wall -static -o "$out/bnet" "$top/bench/tools/bnet.c"
fi
if [ ! -x "$out/bprof" ] || [ "$top/bench/tools/bprof.c" -nt "$out/bprof" ]; then
	gcc -O2 -Wall -static -o "$out/bprof" "$top/bench/tools/bprof.c"
fi

# The initramfs: the tests' (mkinitramfs.sh), and appended to it a second
# archive with the benchmark's /init, scripts, bnet, ipvsadm, IPVS's
# modules from the stock kernel and plink_bench.ko.
base=$out/base.cpio.gz
ikey=$( {
	echo "$kernel $KREL"
	stat -c '%n %s %Y' /var/lib/dpkg/status
	cd "$top" && sha256sum build/$kernel/mod/*.ko tools/plinkctl/plinkctl \
		selftests/qemu/mkinitramfs.sh selftests/Makefile scripts/lib.sh
} | cache_key)
if ! cache_valid "$out/base.key" "$ikey" "$base"; then
	"$top/selftests/qemu/mkinitramfs.sh" "$kernel" "$base"
	cache_store "$out/base.key" "$ikey" "$base"
fi
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/plink/bench" "$root/lib/modules/ipvs" "$root/lib/modules/plink" \
	"$root/usr/local/bin"
install -m 0755 "$top/bench/guest/init" "$root/init"
install -m 0755 "$top/bench/guest/bench.sh" "$root/plink/bench/bench.sh"
install -m 0755 "$out/bnet" "$root/usr/local/bin/bnet"
install -m 0644 "$top/bench/guest/profile.sh" "$root/plink/bench/profile.sh"
install -m 0755 "$out/bprof" "$root/usr/local/bin/bprof"
cp "$bdir/plink_bench.ko" "$root/lib/modules/plink/"
# ipvsadm and nft (the IPVS + SNAT baseline), with their libraries.
for prog in ipvsadm nft; do
	p=$(command -v "$prog") || { echo "bench: $prog is missing (make deps)" >&2; exit 1; }
	install -D -m 0755 "$p" "$root/usr/local/bin/$prog"
	for lib in $(ldd "$p" | grep -oE '/[^ ]+\.so[^ ]*'); do
		[ -e "$root$lib" ] || install -D -m 0755 "$lib" "$root$lib"
	done
done
# The stock kernel's modules for IPVS (ip_vs_mh) and for nftables'
# masquerade and kube-proxy-style DNAT (nft_chain_nat, nft_masq, nft_nat,
# nft_numgen), each after what it needs (modules.dep lists a module's
# dependencies last-needed first).
: > "$root/lib/modules/ipvs/order"
# libcrc32c asks the crypto API for "crc32c": crc32c_generic first.
for m in kernel/crypto/crc32c_generic.ko.xz $(
	for top in kernel/net/netfilter/ipvs/ip_vs_mh.ko.xz \
		kernel/net/netfilter/nft_chain_nat.ko.xz kernel/net/netfilter/nft_masq.ko.xz \
		kernel/net/netfilter/nft_nat.ko.xz kernel/net/netfilter/nft_numgen.ko.xz; do
		sed -n "s|^${top//./\\.}: ||p" "/lib/modules/$KREL/modules.dep" | tr ' ' '\n' | tac
		echo "$top"
	done | awk 'NF && !seen[$0]++'); do
	name=$(basename "$m" .xz)
	case "$m" in
	*.xz) xz -dc "/lib/modules/$KREL/$m" > "$root/lib/modules/ipvs/$name" ;;
	*) cp "/lib/modules/$KREL/$m" "$root/lib/modules/ipvs/$name" ;;
	esac
	echo "$name" >> "$root/lib/modules/ipvs/order"
done
(cd "$root" && find . -print0 | cpio --null -o -H newc --quiet) | gzip -1 > "$out/overlay.cpio.gz"
cat "$base" "$out/overlay.cpio.gz" > "$out/initramfs.cpio.gz"

# boot NAME FAMILIES MEM: one VM; its output in $out/NAME.raw.
boot() {
	local name=$1 families=$2 mem=$3 t=$EPOCHREALTIME rc=0 icount=()
	[ "$plain" = 1 ] || icount=(-icount shift=0,sleep=off)
	rm -f "$out/$name.raw" "$out/$name.console"
	timeout --foreground "${BENCH_TIMEOUT:-2400}" \
		qemu-system-x86_64 -M pc -cpu max -smp 1 -m "$mem" "${icount[@]}" \
		-nodefaults -no-reboot -display none -nic none \
		-kernel "$VMLINUZ" -initrd "$out/initramfs.cpio.gz" \
		-serial "file:$out/$name.console" -serial "file:$out/$name.raw" \
		-append "console=ttyS0 panic=-1 oops=panic panic_on_warn=1 loglevel=4 slab_nomerge bench.family=$families bench.rounds=$rounds bench.smoke=$smoke" \
		</dev/null >&2 || rc=$?
	echo "# bench: $name: VM ran $(secs "$t") s host time (qemu exit $rc)" >&2
	[ ! -e "$out/$name.raw" ] ||
		echo "# host: VM ran $(secs "$t") s host time" >> "$out/$name.raw"
	# The benchmarks drive paths no test does (a million flows): a splat
	# fails them as it fails the tests.  loglevel=4 keeps warnings off the
	# console, but panic_on_warn makes each one a "Kernel panic" there.
	if grep -qE -f "$top/selftests/qemu/splats.re" "$out/$name.console" 2>/dev/null; then
		echo "bench: $name: kernel console has a splat:" >&2
		grep -nE -A 40 -f "$top/selftests/qemu/splats.re" "$out/$name.console" |
			head -n 200 >&2
		return 1
	fi
	if ! grep -q '^# bench-done' "$out/$name.raw" 2>/dev/null; then
		echo "bench: $name did not finish; console tail:" >&2
		tail -n 40 "$out/$name.console" >&2
		return 1
	fi
}

status=0
raws=()
mode=icount
[ "$plain" = 1 ] && mode=plain
if [ "$smoke" = 1 ]; then
	boot smoke "$(IFS=,; echo "${fams[*]}")" 1G || status=1
	raws=("$out/smoke.raw")
else
	for f in "${fams[@]}"; do
		if [ "$f" = profile ]; then
			# Its own raw file: results.md is made from icount-*.raw.
			if [ "$plain" = 1 ]; then
				echo "bench: profile needs -icount: skipped with --plain" >&2
			else
				boot profile-icount profile 1G || status=1
			fi
			continue
		fi
		mem=1G
		[ "$f" = scale ] && mem=3G
		boot "$mode-$f" "$f" "$mem" || status=1
		raws+=("$out/$mode-$f.raw")
	done
fi

args=(--mode "$mode" --kernel "$KREL" --rounds "$rounds")
if [ "$smoke" = 1 ]; then
	args+=(--smoke)
else
	args+=(--md "$top/bench/results.md")
fi
if [ "${fams[*]}" != profile ]; then
	python3 "$top/bench/report.py" "${args[@]}" "${raws[@]}" || status=1
fi
if [[ " ${fams[*]} " == *" profile "* ]]; then
	if [ "$smoke" = 1 ]; then
		python3 "$top/bench/profile.py" --smoke "$out/smoke.raw" || status=1
	elif [ "$plain" = 0 ]; then
		# The module's commit: the last to change kmod/ or uapi/ (and
		# HEAD), and whether they differ from it.
		commit="$(git -C "$top" log -1 --format=%h -- kmod uapi 2>/dev/null || echo unknown)"
		commit="$commit (HEAD $(git -C "$top" rev-parse --short HEAD 2>/dev/null))"
		git -C "$top" diff --quiet HEAD -- kmod uapi 2>/dev/null ||
			commit="$commit with uncommitted changes to kmod/ or uapi/"
		python3 "$top/bench/profile.py" --kernel "$KREL" --commit "$commit" \
			--md "$top/bench/profile.md" "$out/profile-icount.raw" || status=1
	fi
fi
exit $status
