#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# checkpatch.pl --strict (from linux-source-6.12) over every C source.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
ksrc=$(scripts/ksrc.sh)
files=$(git ls-files 'kmod/*.[ch]' 'tools/*.[ch]' 'uapi/*.h')
fail=0
for f in $files; do
	if ! out=$(perl "$ksrc/scripts/checkpatch.pl" --strict --no-tree \
			--terse --show-types -f "$f" 2>&1); then
		echo "$out"
		fail=1
	fi
done
if [ "$fail" = 0 ]; then
	echo "checkpatch: $(echo "$files" | wc -w) files clean"
fi
exit "$fail"
