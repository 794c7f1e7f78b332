#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install what plink's build and tests need from Debian's archive, if it is
# missing (apt-get update once, then by name).  Two groups, so that make
# check can build the debug kernel while the second one downloads:
#
#   install-deps.sh build   what the builds need: the compiler and sparse,
#                           the kernel source (for the debug kernel,
#                           ynl-gen-c.py, checkpatch.pl and the guest's YNL
#                           client cli.py, which runs on Debian's python3
#                           and python3-yaml) and the newest Debian 6.1
#                           and 6.12 kernels with their headers
#   install-deps.sh test    what the tests need: QEMU, busybox, iproute2 and
#                           the test clients (nginx-light: a PROXY
#                           protocol target), valgrind and prometheus's
#                           promtool (plinkctl's host tests), debhelper,
#                           dh-dkms, dkms and lintian (make deb,
#                           scripts/check-packaging.sh)
#   install-deps.sh [all]   both
set -euo pipefail

group=${1:-all}
build_pkgs=(build-essential bc bison flex libelf-dev libssl-dev dwarves
	    sparse libmnl-dev linux-source-6.12 python3 python3-yaml
	    python3-jsonschema cpio xz-utils gzip kmod)
test_pkgs=(qemu-system-x86 busybox-static iproute2 jq ethtool socat iperf3
	   ipvsadm nftables valgrind prometheus debhelper dh-dkms dkms lintian
	   nginx-light)
case "$group" in
build)	pkgs=("${build_pkgs[@]}") ;;
test)	pkgs=("${test_pkgs[@]}") ;;
all)	pkgs=("${build_pkgs[@]}" "${test_pkgs[@]}") ;;
*)	echo "usage: install-deps.sh [build|test|all]" >&2; exit 2 ;;
esac

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
if [ "$group" != test ]; then
	have_kernel '6.1.0-*-amd64' || need_kernels+=('6\.1\.0-[0-9]+-amd64')
	have_kernel '6.12.*+deb12-amd64' ||
		need_kernels+=('6\.12\.[0-9]+\+deb12-amd64')
fi

if [ ${#missing[@]} -eq 0 ] && [ ${#need_kernels[@]} -eq 0 ]; then
	echo "deps: all installed ($group)"
	exit 0
fi

export DEBIAN_FRONTEND=noninteractive
# One update serves both groups: the second finds lists under an hour old.
if ! find /var/lib/apt/lists -maxdepth 1 -name '*_Packages*' -mmin -60 |
	grep -q .; then
	apt-get update -q >/dev/null
fi
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
# The test servers (nginx-light, prometheus) run only inside the test VMs:
# their packages must not start them on this host (invoke-rc.d asks
# policy-rc.d, and 101 means "not now"), unless a policy is in place.
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
	printf '#!/bin/sh\nexit 101\n' > "$policy"
	chmod 755 "$policy"
	trap 'rm -f "$policy"' EXIT
fi
apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
