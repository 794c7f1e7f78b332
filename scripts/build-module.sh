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

# Skip kbuild (about 10 s even with nothing to do) when the last good build
# had the same sources, kernel tree and make arguments.  W=1 and C=1 only add
# diagnostics: a build without arguments takes a good W=1 C=1 build's
# modules, so make check's VM runs reuse its warning-free builds.
key=$( {
	echo "$KDIR $KREL"
	stat -c '%n %s %Y' "$KDIR/Module.symvers" "$KDIR/.config" 2>/dev/null
	cd "$top" && find Kbuild kmod uapi -type f | LC_ALL=C sort | xargs sha256sum
} | sha256sum | cut -d' ' -f1)
stamp=$out/build.stamp
if [ -f "$stamp" ] && ls "$out"/*.ko >/dev/null 2>&1; then
	read -r skey sargs < "$stamp" || true
	if [ "$skey" = "$key" ] && { [ "${sargs:-}" = "$*" ] ||
	   { [ $# -eq 0 ] && [ -z "$(tr ' ' '\n' <<<"${sargs:-}" | grep -vE '^(W|C)=1$')" ]; }; }; then
		echo "build-module: $name: $(cd "$out" && ls *.ko | tr '\n' ' ')(make ${sargs:-}, up to date)"
		exit 0
	fi
fi
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
echo "$key $*" > "$stamp"
echo "build-module: $name: $(cd "$out" && ls *.ko | tr '\n' ' ')(make $*)"
