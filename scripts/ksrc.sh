#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Print the directory of an unpacked linux-source-6.12 (Debian's package),
# unpacking it into $PLINK_CACHE on first use.  Used for ynl-gen-c.py and
# checkpatch.pl; the debug kernel builds from its own copy.
set -euo pipefail

cache=${PLINK_CACHE:-$HOME/.cache/plink}
tarball=$(ls /usr/src/linux-source-6.12.tar.* 2>/dev/null | head -n 1)
[ -n "$tarball" ] || { echo "ksrc: linux-source-6.12 is not installed" >&2; exit 1; }
ver=$(dpkg-query -W -f='${Version}' linux-source-6.12)
dir=$cache/linux-source-$ver

# One unpack at a time: a second caller waits for the first one's tree
# instead of deleting it under it.
mkdir -p "$cache"
exec 9>"$cache/ksrc.lock"
flock 9
if [ ! -f "$dir/.plink-done" ]; then
	rm -rf "$dir" "$dir.tmp"
	mkdir -p "$dir.tmp"
	tar -C "$dir.tmp" --strip-components=1 -xf "$tarball"
	touch "$dir.tmp/.plink-done"
	mv "$dir.tmp" "$dir"
fi
echo "$dir"
