#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# checkpatch.pl --strict (from linux-source-6.12) over every C source.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# cache_* (scripts/lib.sh)
. "$top/scripts/lib.sh"
cd "$top"
ksrc=$(scripts/ksrc.sh)
files=$(git ls-files 'kmod/*.[ch]' 'tools/*.[ch]' 'uapi/*.h' 'selftests/*.[ch]')
# checkpatch takes seconds a file: a file is checked again only when it or
# checkpatch.pl changed since it was last found clean (in any clone: the
# stamps are under $PLINK_CACHE, keyed by path and contents).
cache=${PLINK_CACHE:-$HOME/.cache/plink}/checkpatch
mkdir -p "$cache"
cpkey=$(sha256sum "$ksrc/scripts/checkpatch.pl" "$ksrc/scripts/spelling.txt" \
	"$ksrc/scripts/const_structs.checkpatch" 2>/dev/null | cache_key)
fail=0
for f in $files; do
	key=$( (echo "$cpkey $f"; cat "$f") | cache_key)
	stamp=$cache/${key:0:32}
	cache_valid "$stamp" "$key" && continue
	# Generated code (regen.sh checks it for drift) keeps the
	# generator's lines: a policy entry is one line, however long.
	ignore=()
	if head -3 "$f" | grep -q 'Do not edit directly, auto-generated'; then
		ignore=(--ignore LONG_LINE)
	fi
	if ! out=$(perl "$ksrc/scripts/checkpatch.pl" --strict --no-tree \
			--terse --show-types "${ignore[@]}" -f "$f" 2>&1); then
		echo "$out"
		fail=1
	else
		cache_store "$stamp" "$key"
	fi
done
if [ "$fail" = 0 ]; then
	echo "checkpatch: $(echo "$files" | wc -w) files clean"
fi
exit "$fail"
