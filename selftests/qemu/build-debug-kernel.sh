#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build (or reuse) the plink debug kernel from Debian's linux-source-6.12.
#
# The build lives outside the repository, in $PLINK_CACHE (default
# ~/.cache/plink), keyed by the source version and the hash of the config
# fragment (its settings, not its comments) and of the build recipe (bump
# $recipe when the steps below change).
# Prints the build directory on stdout.  --ready: builds nothing, exits 0
# when the kernel is already built (run-all.sh orders its VMs by it).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cache=${PLINK_CACHE:-$HOME/.cache/plink}
tarball=$(ls /usr/src/linux-source-6.12.tar.* 2>/dev/null | head -n 1)
[ -n "$tarball" ] || { echo "linux-source-6.12 is not installed" >&2; exit 1; }

srcver=$(dpkg-query -W -f='${Version}' linux-source-6.12)
recipe=2
# Comments and blank lines do not change the kernel, nor its key.
key=$( (grep -v -e '^#' -e '^$' "$here/debug.config"; echo "recipe=$recipe") |
	sha256sum | cut -c1-12)
dir=$cache/debug-$srcver-$key

if [ "${1:-}" = --ready ]; then
	[ -f "$dir/.plink-done" ]
	exit
fi

# One build at a time: a second caller (another make check, a run.sh
# --kernel debug) waits for the first one's tree instead of deleting it.
mkdir -p "$cache"
exec 9>"$cache/debug-build.lock"
flock 9

if [ -f "$dir/.plink-done" ]; then
	echo "$dir"
	exit 0
fi

rm -rf "$dir" "$dir.tmp"
mkdir -p "$dir.tmp"
echo "debug kernel: unpacking $tarball" >&2
tar -C "$dir.tmp" --strip-components=1 -xf "$tarball"

cd "$dir.tmp"
make -s allnoconfig >&2
scripts/kconfig/merge_config.sh -m .config "$here/debug.config" >&2
make -s olddefconfig >&2
missing=0
while read -r line; do
	case "$line" in
	CONFIG_*=y)
		if ! grep -qx "$line" .config; then
			echo "debug kernel: $line did not survive merge" >&2
			missing=1
		fi
		;;
	esac
done < "$here/debug.config"
[ "$missing" = 0 ] || exit 1

echo "debug kernel: building (this takes several minutes)" >&2
# "modules" writes Module.symvers (everything is built in) for out-of-tree builds.
make -j"$(nproc)" -s bzImage modules modules_prepare >&2
touch .plink-done
cd /
mv "$dir.tmp" "$dir"
echo "$dir"
