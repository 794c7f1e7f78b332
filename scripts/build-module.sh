#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build plink.ko (and plink_kunit.ko where the kernel has KUnit) for one of
# the test kernels, in build/NAME/mod (a copy of the sources, so that builds
# for different kernels never share objects).  Extra arguments go to make,
# e.g. W=1 C=1.  With W=1 or C=1, any compiler or sparse warning fails.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# cache_* (scripts/lib.sh)
. "$top/scripts/lib.sh"
name=${1:?usage: build-module.sh KERNEL [make args]}
shift
eval "$("$top/scripts/kernels.sh" "$name")"

out=$top/build/$name/mod
mkdir -p "$out"
# One build per kernel at a time (make check's benchmark VM and its test
# VMs may ask for the same module at once).
exec 8>"$out.lock"
flock 8

# Skip kbuild (about 10 s even with nothing to do) when the last good build
# had the same sources, kernel tree and make arguments, and made the
# modules that are there.  W=1 and C=1 only add diagnostics: a build
# without arguments takes a good W=1 C=1 build's modules, so make check's
# VM runs reuse its warning-free builds.
key=$( {
	echo "$KDIR $KREL"
	stat -c '%n %s %Y' "$KDIR/Module.symvers" "$KDIR/.config" 2>/dev/null
	cd "$top" && find Kbuild kmod uapi -type f | LC_ALL=C sort | xargs sha256sum
} | cache_key)
stamp=$out/build.stamp
same=("$*")
[ $# -eq 0 ] && same+=("W=1 C=1" "C=1 W=1" "W=1" "C=1")
for args in "${same[@]}"; do
	if cache_valid "$stamp" "$key make $args" "$out"/*.ko; then
		echo "build-module: $name: $(cd "$out" && ls *.ko | tr '\n' ' ')(make $args, up to date)"
		exit 0
	fi
done
rm -f "$stamp"

# cp -a keeps timestamps, so kbuild rebuilds only what changed.
cp -a "$top/Kbuild" "$top/kmod" "$top/uapi" "$out/"
log=$out/build.log
if ! make -C "$KDIR" M="$out" "$@" modules >"$log" 2>&1; then
	cat "$log" >&2
	echo "build-module: $name: build failed" >&2
	exit 1
fi
if grep -E '(warning|error):' "$log" >&2; then
	echo "build-module: $name: warnings (make $*)" >&2
	exit 1
fi
cache_store "$stamp" "$key make $*" "$out"/*.ko
echo "build-module: $name: $(cd "$out" && ls *.ko | tr '\n' ' ')(make $*)"
