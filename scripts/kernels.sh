#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Describe one of the kernels plink is tested on, as shell assignments:
#   eval "$(scripts/kernels.sh NAME)"
# NAME is stock-6.1, stock-6.12 or debug.  Sets KNAME, KREL (the release the
# module is built for), VMLINUZ (the image QEMU boots), KDIR (the tree to
# build modules against) and KMODS (the kernel's own modules, empty when the
# kernel has what plink's tests need built in).  The stock kernels are the
# newest installed Debian packages linux-image-6.1.0-*-amd64-unsigned and
# linux-image-6.12.*+deb12-amd64-unsigned with their linux-headers-*.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)

newest() {
	# newest release among /boot/vmlinuz-$1 with matching headers
	local rel best=
	for f in /boot/vmlinuz-$1; do
		[ -e "$f" ] || continue
		rel=${f#/boot/vmlinuz-}
		[ -d "/usr/src/linux-headers-$rel" ] || continue
		best=$(printf '%s\n%s\n' "$best" "$rel" | sed '/^$/d' | sort -V | tail -n 1)
	done
	[ -n "$best" ] || { echo "kernels: no kernel matching $1 with headers installed" >&2; return 1; }
	echo "$best"
}

name=${1:?usage: kernels.sh stock-6.1|stock-6.12|debug}
case "$name" in
stock-6.1|stock-6.12)
	case "$name" in
	stock-6.1) rel=$(newest '6.1.0-*-amd64') ;;
	*) rel=$(newest '6.12.*+deb12-amd64') ;;
	esac
	vmlinuz=/boot/vmlinuz-$rel
	kdir=/usr/src/linux-headers-$rel
	kmods=/lib/modules/$rel/kernel
	;;
debug)
	kdir=$("$top/selftests/qemu/build-debug-kernel.sh")
	rel=$(make -s -C "$kdir" kernelrelease)
	vmlinuz=$kdir/arch/x86/boot/bzImage
	kmods=
	;;
*)
	echo "kernels: unknown kernel \"$name\"" >&2
	exit 1
	;;
esac

printf 'KNAME=%q\nKREL=%q\nVMLINUZ=%q\nKDIR=%q\nKMODS=%q\n' \
	"$name" "$rel" "$vmlinuz" "$kdir" "$kmods"
