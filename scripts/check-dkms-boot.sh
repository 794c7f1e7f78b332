#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make check's "the module DKMS built boots": boot KERNEL (stock-6.1 or
# stock-6.12) with the plink.ko that scripts/check-packaging.sh had DKMS
# build for it (build/dkms/KVER/plink.ko), not the harness's own build, and
# run a few quick kselftests with it:
#   check-dkms-boot.sh KERNEL
# The debug kernel is not a Debian package and has no headers package for
# DKMS to build against: DKMS is not run for it.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
kernel=${1:?usage: check-dkms-boot.sh stock-6.1|stock-6.12}
eval "$("$top/scripts/kernels.sh" "$kernel")"
ko=$top/build/dkms/$KREL/plink.ko
if [ ! -s "$ko" ]; then
	echo "check-dkms-boot: no $ko (scripts/check-packaging.sh builds it)" >&2
	exit 1
fi
# Not niced: at nice 10 beside make check's two test VMs it got a tenth of
# a core and timed out (boot 46 s, 300 s for two short files).
PLINK_ONLY=${PLINK_DKMS_TESTS:-dev,datapath-dump} \
	"$top/selftests/qemu/run.sh" --kernel "$kernel" \
	--module "$ko" --timeout 600
