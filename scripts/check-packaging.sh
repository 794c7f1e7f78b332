#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make check's packaging step: "make deb" builds plink-dkms and plinkctl
# and lintian finds no error in them; "make install-tools install-dkms
# DESTDIR=..." lays out the expected files; DKMS builds plink.ko from that
# copy of the sources for every installed kernel that has its headers
# (both Debian kernels here), in a DKMS tree of its own, and keeps each
# plink.ko it built as build/dkms/KVER/plink.ko: make check runs every
# test of that stock kernel on it.  About a minute of CPU, most of it the two
# module builds.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
say() { echo "check-packaging: $*"; }
bad() { echo "check-packaging: FAIL: $*"; fail=1; }

# 1. Debian packages, lintian.
"$top/scripts/build-deb.sh" >/dev/null || bad "make deb failed"
debs=("$top"/build/deb/plink-dkms_*_all.deb "$top"/build/deb/plinkctl_*.deb)
for d in "${debs[@]}"; do
	[ -e "$d" ] || bad "no $d"
done
if [ "$fail" = 0 ]; then
	lintian --fail-on error "${debs[@]}" >/dev/null 2>&1 ||
		bad "lintian reports errors"
	dpkg-deb -c "$top"/build/deb/plinkctl_*.deb >"$tmp/c1"
	dpkg-deb -c "$top"/build/deb/plink-dkms_*_all.deb >"$tmp/c2"
	grep -q '/lib/systemd/system/plink.service$' "$tmp/c1" ||
		bad "plinkctl has no plink.service"
	grep -q '/usr/src/plink-0.1/dkms.conf$' "$tmp/c2" ||
		bad "plink-dkms has no dkms.conf"
	! grep -q '/usr/src/' "$tmp/c1" || bad "plinkctl has module sources"
	say "make deb: $(cd "$top/build/deb" && ls ./*.deb | tr '\n' ' '); lintian: no error"
fi

# 2. make install-tools install-dkms DESTDIR=...
root=$tmp/root
make -s -C "$top" install-tools install-dkms DESTDIR="$root" PREFIX=/usr >/dev/null
for f in /usr/sbin/plinkctl /usr/share/man/man8/plinkctl.8 \
	 /usr/share/bash-completion/completions/plinkctl \
	 /usr/libexec/plink/plink-boot /lib/systemd/system/plink.service \
	 /etc/default/plink /usr/src/plink-0.1/dkms.conf \
	 /usr/src/plink-0.1/Kbuild /usr/src/plink-0.1/kmod/main.c \
	 /usr/src/plink-0.1/uapi/linux/plink.h; do
	[ -e "$root$f" ] || bad "make install DESTDIR: no $f"
done
grep -q '^ExecStart=/usr/libexec/plink/plink-boot start$' \
	"$root/lib/systemd/system/plink.service" || bad "plink.service: ExecStart"
# systemd's own check of the unit, against the installed tree (its
# programs must be there and executable); not on a host without systemd.
if command -v systemd-analyze >/dev/null; then
	systemd-analyze verify --man=no --root="$root" \
		/lib/systemd/system/plink.service >"$tmp/verify" 2>&1 ||
		bad "systemd-analyze verify plink.service: $(cat "$tmp/verify")"
	say "systemd-analyze verify plink.service: no error"
fi
bash -n "$root/usr/share/bash-completion/completions/plinkctl" ||
	bad "bash completion: syntax"
say "make install DESTDIR: $(cd "$root" && find . -type f | wc -l) files"

# plink-boot (plink.service's work), with a plinkctl that logs its words.
b=$tmp/boot
mkdir -p "$b/netns-conf" "$b/run" "$b/mod"
printf '#!/bin/sh\necho "$*" >>%s/log\n[ "$3" = save ] || [ "$1" = save ] && echo "dev add pl0 up"\nexit 0\n' "$b" >"$b/plinkctl"
chmod +x "$b/plinkctl"
echo "dev add pl0 up" >"$b/plink.conf"
echo x >"$b/netns-conf/a.conf"
echo x >"$b/netns-conf/gone.conf"
: >"$b/run/a"
: >"$b/run/b"
boot() {
	env PLINKCTL="$b/plinkctl" PLINK_MODPROBE=true PLINK_CONF="$b/plink.conf" \
		PLINK_NETNS_CONF="$b/netns-conf" PLINK_NETNS_RUN="$b/run" \
		PLINK_SYSMODULE="$b/mod" "$@" "$root/usr/libexec/plink/plink-boot" "$cmd"
}
cmd=start boot PLINK_FORCE=yes
[ "$(cat "$b/log")" = "-force -batch $b/plink.conf
-n a -force -batch $b/netns-conf/a.conf" ] || bad "plink-boot start: $(cat "$b/log")"
: >"$b/log"
cmd=stop boot PLINK_SAVE=no
[ ! -s "$b/log" ] || bad "plink-boot stop saved without PLINK_SAVE=yes"
cmd=reload boot PLINK_SAVE=yes
[ "$(cat "$b/log")" = "save
-n a save
-n b save" ] && [ -s "$b/netns-conf/b.conf" ] ||
	bad "plink-boot reload: $(cat "$b/log")"
say "plink-boot: start restores, reload saves only when told"

# 3. DKMS, for each kernel with headers, from the installed copy.
mkdir -p "$tmp/dkms"
rm -rf "$top/build/dkms"
dk=(--sourcetree "$root/usr/src" --dkmstree "$tmp/dkms" -m plink -v 0.1)
dkms add "${dk[@]}" >/dev/null || bad "dkms add"
n=0
for b in /lib/modules/*/build; do
	[ -e "$b/Makefile" ] || continue
	k=$(basename "$(dirname "$b")")
	if dkms build "${dk[@]}" -k "$k" >"$tmp/dkms-$k.log" 2>&1 &&
	   ko=$(compgen -G "$tmp/dkms/plink/0.1/$k/*/module/plink.ko*"); then
		mkdir -p "$top/build/dkms/$k"
		case "$ko" in
		*.xz) xz -dc "$ko" ;;
		*.zst) zstd -qdc "$ko" ;;
		*.gz) gzip -dc "$ko" ;;
		*) cat "$ko" ;;
		esac >"$top/build/dkms/$k/plink.ko"
		say "dkms build: $k: $(basename "$ko")"
		n=$((n + 1))
	else
		tail -n 30 "$tmp/dkms-$k.log"
		bad "dkms build for $k"
	fi
done
[ "$n" -ge 2 ] || bad "dkms built for $n kernels, expected both Debian kernels"
exit "$fail"
