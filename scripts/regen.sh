#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Regenerate the uapi header and the kernel policy/op tables from the YNL
# spec with the kernel's own ynl-gen-c.py.  With --check, generate into a
# temporary directory and fail if the committed files differ.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
ksrc=$(scripts/ksrc.sh)
spec=Documentation/netlink/specs/plink.yaml
gen="python3 $ksrc/tools/net/ynl/ynl-gen-c.py --spec $spec"

out=$top
if [ "${1:-}" = "--check" ]; then
	out=$(mktemp -d)
	trap 'rm -rf "$out"' EXIT
	mkdir -p "$out/uapi/linux" "$out/kmod"
fi

$gen --mode uapi --header -o "$out/uapi/linux/plink.h"
$gen --mode kernel --header -o "$out/kmod/netlink-gen.h"
$gen --mode kernel --source -o "$out/kmod/netlink-gen.c"

if [ "$out" != "$top" ]; then
	stale=0
	for f in uapi/linux/plink.h kmod/netlink-gen.h kmod/netlink-gen.c; do
		if ! diff -u "$f" "$out/$f"; then
			echo "regen: $f is stale: run 'make regen'" >&2
			stale=1
		fi
	done
	[ "$stale" = 0 ] && echo "regen: generated files are up to date"
	exit "$stale"
fi
