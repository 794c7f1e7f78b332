#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install what plink's build and tests need from Debian's archive, if it is
# missing: QEMU, busybox, iproute2 and the test clients, valgrind and
# prometheus's promtool (for plinkctl's host tests), debhelper, dh-dkms,
# dkms and lintian (make deb, scripts/check-packaging.sh), the kernel source (for the debug kernel,
# ynl-gen-c.py, checkpatch.pl and the guest's YNL client cli.py, which runs
# on Debian's python3 and python3-yaml), and the newest Debian 6.1 and
# 6.12 kernel images with their headers.
set -euo pipefail

pkgs=(qemu-system-x86 busybox-static iproute2 libmnl-dev sparse
      linux-source-6.12 python3 python3-yaml python3-jsonschema
      build-essential bc bison flex libelf-dev libssl-dev dwarves
      cpio xz-utils gzip kmod jq ethtool socat iperf3 ipvsadm nftables
      valgrind prometheus debhelper dh-dkms dkms lintian)

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done

# The newest 6.1 and 6.12 Debian kernels, unless one of each is installed
# with its headers already.
have_kernel() {
	local f
	for f in /boot/vmlinuz-$1; do
		[ -e "$f" ] && [ -d "/usr/src/linux-headers-${f#/boot/vmlinuz-}" ] && return 0
	done
	return 1
}
need_kernels=()
have_kernel '6.1.0-*-amd64' || need_kernels+=('6\.1\.0-[0-9]+-amd64')
have_kernel '6.12.*+deb12-amd64' || need_kernels+=('6\.12\.[0-9]+\+deb12-amd64')

if [ ${#missing[@]} -eq 0 ] && [ ${#need_kernels[@]} -eq 0 ]; then
	echo "deps: all installed"
	exit 0
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
for re in "${need_kernels[@]}"; do
	rel=$(apt-cache search --names-only "^linux-headers-$re\$" |
	      awk '{print $1}' | sed 's/^linux-headers-//' | sort -V |
	      while read -r r; do
		apt-cache show "linux-image-$r-unsigned" >/dev/null 2>&1 && echo "$r"
	      done | tail -n 1)
	[ -n "$rel" ] || { echo "deps: no Debian kernel matches $re" >&2; exit 1; }
	missing+=("linux-image-$rel-unsigned" "linux-headers-$rel")
done
echo "deps: installing ${missing[*]}"
apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
