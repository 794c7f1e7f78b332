#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the module with W=1 and sparse (C=1) against each test kernel; any
# warning fails.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
for k in ${PLINK_KERNELS:-stock-6.1 stock-6.12 debug}; do
	"$top/scripts/build-module.sh" "$k" W=1 C=1
done
