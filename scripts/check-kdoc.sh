#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# scripts/kernel-doc -none (from linux-source-6.12) over the module's
# sources: every /** comment must be well-formed kernel-doc and describe
# every parameter and member.  Prints the warnings; exits non-zero on any.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
ksrc=$(scripts/ksrc.sh)
mapfile -t files < <(git ls-files 'kmod/*.[ch]')
# kernel-doc's exit status counts only some problems: judge by its output.
out=$("$ksrc/scripts/kernel-doc" -none "${files[@]}" 2>&1) || true
if [ -n "$out" ]; then
	echo "$out"
	echo "kernel-doc: $(echo "$out" | grep -c 'warning:') warnings"
	exit 1
fi
echo "kernel-doc: ${#files[@]} files clean"
