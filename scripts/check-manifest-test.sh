#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Tests of scripts/check-manifest.sh, without a VM: a log made from
# selftests/manifest (every kernel, every entry at its minimum) must pass,
# and each way a run can fall short must fail it.  TAP; make check runs it.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
manifest=$top/selftests/manifest
check=$top/scripts/check-manifest.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The manifest, and a directory as selftests/ is: the kselftest files it
# names, the Makefile that lists them, config and qemu/debug.config.
cp "$manifest" "$tmp/manifest"
mkdir "$tmp/files"
cp "$top/selftests/Makefile" "$top/selftests/config" "$tmp/files/"
mkdir "$tmp/files/qemu"
cp "$top/selftests/qemu/debug.config" "$tmp/files/qemu/"
awk '$1 == "selftest" { print $NF }' "$manifest" | while read -r f; do
	touch "$tmp/files/$f.sh"
done

# A good log: what run-all.sh writes for a run that met every minimum.
python3 - "$manifest" > "$tmp/good.log" <<'PY'
import sys

kernels, entries = [], []
for line in open(sys.argv[1]):
    f = line.split('#', 1)[0].split()
    if not f:
        continue
    if f[0] == 'kernels':
        kernels = f[1:]
    elif f[0] in ('selftest', 'kunit', 'step'):
        n = len(kernels)
        entries.append((f[0], f[1:1 + n], ' '.join(f[1 + n:])))
for i, k in enumerate(kernels):
    names = []
    for kind, mins, name in entries:
        if mins[i] == '-':
            continue
        m = int(mins[i])
        if kind == 'selftest':
            names += ['selftest: %s: test %d' % (name, j) for j in range(m)]
            names.append('selftest: %s' % name)
        elif kind == 'kunit':
            names += ['kunit: suite: case %d' % j for j in range(m)]
        else:
            names += [name] * m
    print('TAP version 13')
    print('# kernel: %s' % k)
    for j, name in enumerate(names, 1):
        print('ok %d [%s] %s' % (j, k, name))
    print('1..%d' % len(names))
    print('# plink-vm-done [%s] tests=%d failed=0' % (k, len(names)))
PY

n=0
failed=0
# expect PASS|FAIL NAME [PATTERN]: check $tmp/log; on FAIL, the checker's
# output must match PATTERN (what it says is wrong).
expect() {
	local want=$1 name=$2 pattern=${3:-} rc=0

	n=$((n + 1))
	"$check" --manifest "$tmp/manifest" --files "$tmp/files" "$tmp/log" \
		> "$tmp/out" 2>&1 || rc=$?
	if { [ "$want" = PASS ] && [ "$rc" -eq 0 ]; } ||
	   { [ "$want" = FAIL ] && [ "$rc" -eq 1 ] &&
	     grep -qE -- "^not ok .*$pattern" "$tmp/out"; }; then
		echo "ok $n - $name"
		return
	fi
	echo "not ok $n - $name (want $want, exit status $rc)"
	sed 's/^/# /' "$tmp/out" | grep -vE '^# ok ' | tail -n 20
	failed=$((failed + 1))
}
# edit SED-SCRIPT: $tmp/log is the good log, edited.
edit() {
	sed -E "$1" "$tmp/good.log" > "$tmp/log"
}
k1=$(awk '$1 == "kernels" { print $2; exit }' "$manifest")
kd=debug

echo "TAP version 13"
edit ''
expect PASS "a log that meets the manifest passes"

edit 's/$/\r/'
expect PASS "a log with CR LF line ends (a serial port's) passes"

edit "/\[$k1\] /d; /plink-vm-done \[$k1\]/d"
expect FAIL "a kernel missing from the log fails" "\[$k1\] is missing"

edit "/plink-vm-done \[$k1\]/d"
expect FAIL "a kernel that did not finish fails" "\[$k1\] is missing or did not finish"

edit "0,/^ok [0-9]+ \[$k1\] selftest: dev: /{//d}"
expect FAIL "a TAP line lost on the way fails" "guest sent tests="

edit "/\[$k1\] selftest: dev(: |$)/d"
expect FAIL "a file that did not run fails (removed, or PLINK_ONLY)" "selftest dev did not run"

edit "/\] selftest: (dev|service|endpoint)(: |$)/!{/\] selftest: /d}"
expect FAIL "PLINK_ONLY=dev,service,endpoint fails" "selftest datapath did not run"

edit "0,/^(ok [0-9]+ \[$k1\]) selftest: dev: .*/s//\1 selftest: not-a-file: a new test/"
expect FAIL "a file the manifest does not name fails, saying what to add" \
	"selftest not-a-file ran but is not in the manifest; add: selftest [0-9?]"

edit "s/^(ok [0-9]+ \[$k1\] selftest: userns)\$/\1 # SKIP/"
expect FAIL "a SKIP of a whole file fails" "selftest: userns: SKIP"

edit "s/^(ok [0-9]+ \[$kd\] selftest: dev: test 3)\$/\1 # SKIP no reason/"
expect FAIL "a SKIP of one test fails" "selftest: dev: test 3: SKIP"

echo "skip $kd | selftest: dev: test 3 | a feature" >> "$tmp/manifest"
expect PASS "a SKIP the manifest allows passes"
cp "$manifest" "$tmp/manifest"

edit "/\[$kd\] selftest: dev: test 0\$/d"
perl -pi -e 's/(plink-vm-done \['"$kd"'\] tests=)(\d+)/$1 . ($2 - 1)/e' "$tmp/log"
expect FAIL "a file with fewer TEST lines than its minimum fails" \
	"selftest dev: [0-9]+ TEST lines, the manifest wants at least"

edit "/\[$kd\] kunit: /d"
expect FAIL "no KUnit case on the debug kernel fails" "kunit did not run"

edit "s/^(ok [0-9]+ \[$k1\]) selftest: dev: test 0\$/\1 kunit: suite: case/"
expect FAIL "KUnit where the manifest says '-' fails" "kunit ran"

edit "/\[$kd\] kernel: kmemleak /d"
expect FAIL "a harness step that did not run fails" "step 'kernel: kmemleak reports no leak' did not run"

edit ''
touch "$tmp/files/not-a-file.sh"
expect FAIL "a kselftest file the manifest does not list fails" \
	"selftests/not-a-file.sh is not in the manifest; add: selftest N N N not-a-file"
rm "$tmp/files/not-a-file.sh" "$tmp/files/dev.sh"
expect FAIL "a kselftest file removed from the tree fails" \
	"names selftest dev, but selftests/dev.sh does not exist"
touch "$tmp/files/dev.sh"

sed -i '/^TEST_PROGS += dev\.sh$/d' "$tmp/files/Makefile"
expect FAIL "a file the manifest names but TEST_PROGS lacks fails" \
	"TEST_PROGS \(selftests/Makefile\) lacks it; add: TEST_PROGS \+= dev.sh"
cp "$top/selftests/Makefile" "$tmp/files/Makefile"
echo "TEST_PROGS += not-a-file.sh" >> "$tmp/files/Makefile"
touch "$tmp/files/not-a-file.sh"
expect FAIL "a TEST_PROGS file the manifest does not name fails" \
	"TEST_PROGS \(selftests/Makefile\) has not-a-file.sh, which the manifest does not name"
rm "$tmp/files/not-a-file.sh"
cp "$top/selftests/Makefile" "$tmp/files/Makefile"
edit ''
expect PASS "the Makefile restored passes again"

echo "CONFIG_NOT_AN_OPTION=y" >> "$tmp/files/config"
expect FAIL "an option of selftests/config the debug kernel lacks fails" \
	"selftests/config has CONFIG_NOT_AN_OPTION=y, which selftests/qemu/debug.config lacks"
cp "$top/selftests/config" "$tmp/files/config"

echo "part2 $kd not-a-file" >> "$tmp/manifest"
expect FAIL "a part2 line naming a file without a selftest line fails" \
	"part2 names not-a-file, which has no selftest line"
cp "$manifest" "$tmp/manifest"
echo "part2 not-a-kernel dev" >> "$tmp/manifest"
expect FAIL "a part2 line naming an unknown kernel fails" \
	"part2 names the kernel not-a-kernel"
cp "$manifest" "$tmp/manifest"

echo "1..$n"
[ "$failed" -eq 0 ]
