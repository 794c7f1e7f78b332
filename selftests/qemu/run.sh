#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boot one test kernel in QEMU (TCG) with plink and its tests:
#   run.sh --kernel stock-6.1|stock-6.12|debug [--part 1|2] [--interactive]
#          [--timeout SEC] [--module PLINK.KO]
# Builds the module for that kernel and the initramfs, boots, and prints the
# guest's TAP with the kernel's name in each test's name.  The console log is
# kept in build/KERNEL/console.log; any splat in it fails the run and is
# printed.  Exit status: 0 when every test passed.  The guest's TAP carries
# "# time: NAME S.s" lines (boot, KUnit, each kselftest file, kmemleak), and
# run.sh adds the host's ("host:build-module", "host:initramfs", "host:vm").
# PLINK_VM_SMP and PLINK_VM_MEM override QEMU's -smp (2) and -m (1G, the
# debug kernel 2G); PLINK_VM_APPEND adds to the kernel command line
# (plink.times: a "# t=SECONDS" line after each check, to find what is
# slow).  --part 2 runs only the kselftests the manifest's
# "part2" line names for this kernel, --part 1 everything else (KUnit
# too): run-all.sh boots a slow kernel's two parts side by side.  Their
# consoles are build/KERNEL/part1|part2/console.log.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
# time_line, cache_* (scripts/lib.sh)
. "$top/scripts/lib.sh"
kernel=stock-6.12
interactive=0
part=0
tmo=${PLINK_VM_TIMEOUT:-}
module=
while [ $# -gt 0 ]; do
	case "$1" in
	--kernel) kernel=$2; shift 2 ;;
	--part) part=$2; shift 2 ;;
	--interactive) interactive=1; shift ;;
	--timeout) tmo=$2; shift 2 ;;
	--module) module=$(realpath "$2"); shift 2 ;;
	*) echo "run.sh: unknown argument \"$1\"" >&2; exit 2 ;;
	esac
done

# The whole VM run: the debug kernel (KASAN, lockdep, kmemleak under TCG)
# runs the same tests three to five times slower.
if [ -z "$tmo" ]; then
	tmo=1800
	[ "$kernel" = debug ] && tmo=4200
fi

case "$part" in
0|1|2) ;;
*) echo "run.sh: --part takes 1 or 2, not \"$part\"" >&2; exit 2 ;;
esac
eval "$("$top/scripts/kernels.sh" "$kernel")"
work=$top/build/$kernel
if [ -n "$module" ]; then
	if [ "$kernel" = debug ] || [ "$part" != 0 ]; then
		echo "run.sh: --module is for a whole run of a stock kernel" >&2
		exit 2
	fi
	vermagic=$(modinfo -F vermagic "$module") || exit 2
	if [ "${vermagic%% *}" != "$KREL" ]; then
		echo "run.sh: $module is for \"${vermagic%% *}\", not $KREL" >&2
		exit 2
	fi
	work=$top/build/$kernel-module
fi
mkdir -p "$work"
# The VM's own files: the two parts of a kernel run at once.
vmdir=$work
[ "$part" != 0 ] && vmdir=$work/part$part
mkdir -p "$vmdir"
# The builds below are shared by both parts: one at a time.
exec 8>"$work/build.lock"
flock 8

t=$EPOCHREALTIME
if [ -n "$module" ]; then
	modules=("$module")
else
	"$top/scripts/build-module.sh" "$kernel" >&2
	modules=("$top/build/$kernel/mod/"*.ko)
fi
make -s -C "$top/tools/plinkctl" >&2
time_line host:build-module "$t"
# The initramfs (about 15 s to build) is rebuilt only when what goes into
# it may have changed: the modules, plinkctl, anything under selftests/
# or packaging/,
# the spec, the scripts' library, the kernel's lib.sh and kselftest runner,
# the kernel, or the host's packages (the programs it copies).
t=$EPOCHREALTIME
ksft=$("$top/scripts/ksrc.sh")/tools/testing/selftests
ikey=$( {
	echo "$kernel $KREL $KMODS"
	stat -c '%n %s %Y' /var/lib/dpkg/status
	sha256sum "${modules[@]}"
	cd "$top" && sha256sum tools/plinkctl/plinkctl \
		$(find selftests packaging -type f | LC_ALL=C sort) \
		Documentation/netlink/specs/plink.yaml scripts/lib.sh \
		"$ksft/net/lib.sh" "$ksft"/kselftest/* "$ksft/run_kselftest.sh"
} | cache_key)
img=$work/initramfs.cpio.gz
if ! cache_valid "$work/initramfs.key" "$ikey" "$img"; then
	rm -f "$work/initramfs.key"
	PLINK_MODULES="${modules[*]}" \
		"$top/selftests/qemu/mkinitramfs.sh" "$kernel" "$img"
	cache_store "$work/initramfs.key" "$ikey" "$img"
fi
time_line host:initramfs "$t"
exec 8>&-

mem=1G
[ "$kernel" = debug ] && mem=2G
mem=${PLINK_VM_MEM:-$mem}
smp=${PLINK_VM_SMP:-2}
append="console=ttyS0 panic=-1 oops=panic panic_on_warn=1 loglevel=7"
append="$append ${PLINK_VM_APPEND:-}"
# PLINK_ONLY=dev,endpoint runs only those kselftests (KUnit always runs).
[ -n "${PLINK_ONLY:-}" ] && append="$append plink.only=$PLINK_ONLY"
[ "$part" != 0 ] && append="$append plink.part=$part"
# One TCG thread for all vCPUs: with one thread per vCPU (MTTCG), a static
# key flipped on one vCPU (text_poke_bp(): int3, then the new bytes) was
# seen to leave the other executing a stale int3 after the patch was done:
# "Oops: int3" in inet_ehashfn() at the first TCP connection
# (net_get_random_once()), and in sched_clock_cpu() at boot.  The vCPUs
# still interleave, and two VMs still fill the two cores.
qemu=(qemu-system-x86_64 -M pc -accel tcg,thread=single -cpu max -smp "$smp"
      -m "$mem" -nodefaults -no-reboot -display none -nic none
      -kernel "$VMLINUZ" -initrd "$work/initramfs.cpio.gz")

if [ "$interactive" = 1 ]; then
	exec "${qemu[@]}" -serial mon:stdio -append "$append plink.mode=shell"
fi

console=$vmdir/console.log
results=$vmdir/tap.log
# The debug kernel under TCG has once died in early boot, before any test
# ran (KASAN wild-memory-access in rcu_is_watching, from an interrupt during
# identify_cpu).  A kernel that never reached /init is booted once more; the
# first console is kept as console.boot1.log and reported.
for boot in 1 2; do
	rm -f "$console" "$results"
	t=$EPOCHREALTIME
	c=$(children_cpu)
	rc=0
	timeout --foreground "$tmo" "${qemu[@]}" \
		-serial "file:$console" -serial "file:$results" \
		-append "$append plink.mode=test" </dev/null >&2 || rc=$?
	echo "# $kernel: VM ran $(secs "$t")s (qemu exit $rc)" >&2
	time_line host:vm "$t"
	# The host CPU the VM took: far below host:vm, it waited (timers,
	# sleeps) and left its core to the other runs.
	echo "# time: host:vm-cpu $(awk -v a="$c" -v b="$(children_cpu)" \
		'BEGIN { printf "%.1f", b - a }')"
	if [ "$boot" = 2 ] || grep -q 'Run /init as init process' "$console"; then
		break
	fi
	cp "$console" "$vmdir/console.boot1.log"
	echo "# $kernel: the kernel died before /init; booting again (first console: $vmdir/console.boot1.log):" >&2
	grep -m 3 -E 'BUG|panic' "$vmdir/console.boot1.log" | sed 's/^/#   /' >&2 || true
done

touch "$results"
# Name each test after its kernel: "ok 3 [stock-6.12] selftest: dev", and
# "# plink-vm-done [stock-6.12] tests=N failed=N" (scripts/check-manifest.sh
# reads both).
sed -E -e "s/^((not )?ok [0-9]+) /\1 [$kernel] /" \
	-e "s/^# plink-vm-done /# plink-vm-done [$kernel] /" "$results"

status=0
if ! grep -q '^# plink-vm-done' "$results"; then
	# The first splat's head (its message and RIP) comes first: a log
	# reader that keeps only a part still sees what went wrong.
	first=$(grep -m 1 -nE -f "$top/selftests/qemu/splats.re" "$console" |
		cut -d: -f1)
	if [ -n "$first" ]; then
		echo "not ok [$kernel] the VM did not finish its tests: a splat at console line $first:"
		sed -n "$((first > 5 ? first - 5 : 1)),$((first + 45))p" "$console" |
			sed 's/^/# /'
		echo "# console tail:"
		tail -n 25 "$console" | sed 's/^/# /'
	else
		echo "not ok [$kernel] the VM did not finish its tests (timeout, panic or crash); console tail:"
		tail -n 80 "$console" | sed 's/^/# /'
	fi
	status=1
else
	# Every line the guest counted must have arrived.
	sent=$(sed -nE 's/^# plink-vm-done tests=([0-9]+).*/\1/p' "$results" | tail -n 1)
	got=$(grep -cE '^(not )?ok [0-9]+ ' "$results" || true)
	if [ "$sent" != "$got" ]; then
		echo "not ok [$kernel] the guest reported tests=$sent, $got TAP lines arrived"
		status=1
	fi
fi
if [ -n "$module" ]; then
	sum=$(sha256sum <"$module" | cut -d' ' -f1)
	if grep -qE "^# module: plink.ko sha256 $sum"$'\r?$' "$results"; then
		echo "# module: $module, sha256 $sum"
		echo "ok [$kernel] module: the guest loaded the plink.ko given"
	else
		echo "not ok [$kernel] module: the guest did not load the plink.ko given ($module, sha256 $sum)"
		status=1
	fi
fi
if grep -q '^not ok ' "$results"; then
	status=1
fi
if grep -qE -f "$top/selftests/qemu/splats.re" "$console"; then
	echo "not ok [$kernel] kernel console has a splat:"
	grep -nE -A 40 -f "$top/selftests/qemu/splats.re" "$console" |
		head -n 200 | sed 's/^/# /'
	status=1
fi
exit $status
