#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make deb: build the Debian packages plink-dkms and plinkctl with Debian's
# own tooling (debhelper, dh-dkms) from a copy of the tree's files, in
# build/deb; the .deb files land there.  Needs debhelper, dh-dkms,
# libmnl-dev (scripts/install-deps.sh).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/build/deb
src=$out/plink-0.1
rm -rf "$out"
mkdir -p "$src"
# What git tracks (the working tree's version of it), else everything but
# build output.
cd "$top"
if git rev-parse --git-dir >/dev/null 2>&1; then
	git ls-files -z --cached --others --exclude-standard |
		grep -zvE '^(build|bench)/' | xargs -0 cp --parents -t "$src"
else
	tar --exclude=./build --exclude=./.git -cf - . | tar -C "$src" -xf -
fi
cd "$src"
DEB_BUILD_OPTIONS="${DEB_BUILD_OPTIONS:-} noddebs" \
	dpkg-buildpackage -us -uc -b -tc --no-pre-clean >"$out/build.log" 2>&1 || {
	tail -n 40 "$out/build.log" >&2
	exit 1
}
ls "$out"/*.deb
