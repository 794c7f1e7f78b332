#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build plink.ko (and plink_kunit.ko where the kernel has KUnit) for one of
# the test kernels, in build/NAME/mod (a copy of the sources, so that builds
# for different kernels never share objects).  Extra arguments go to make,
# e.g. W=1 C=1.  With W=1 or C=1, any compiler or sparse warning fails.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
name=${1:?usage: build-module.sh KERNEL [make args]}
shift
eval "$("$top/scripts/kernels.sh" "$name")"

out=$top/build/$name/mod
mkdir -p "$out"
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
echo "build-module: $name: $(cd "$out" && ls *.ko | tr '\n' ' ')(make $*)"
