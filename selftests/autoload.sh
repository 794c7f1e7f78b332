#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Module autoload by alias: with plink.ko installed under /lib/modules and
# depmod run, but the module not loaded, "ip link add type plink" loads it
# (rtnl-link-plink), and so does a first plinkctl request (the genetlink
# family alias).  The kernel runs modprobe; the guest's is busybox's.

source "$(dirname "$0")/lib/plink.sh"
setup_ns A || exit $ksft_fail

kver=$(uname -r)
mdir=/lib/modules/$kver

loaded()
{
	[ -d /sys/module/plink ] && echo loaded || echo absent
}

[ -d /sys/module/plink ] && rmmod plink
expect_eq "plink is not loaded at the start" "$(loaded)" absent

mkdir -p "$mdir/extra"
cp "$PLINK_KO" "$mdir/extra/plink.ko"
# The kernel's modprobe (CONFIG_MODPROBE_PATH): this guest has it in /bin.
mp=$(cat /proc/sys/kernel/modprobe)
made_mp=
[ -e "$mp" ] || { ln -s "$(command -v modprobe)" "$mp" && made_mp=1; }
expect_ok "depmod" depmod "$kver"
expect_eq "modules.alias: the rtnl-link and genetlink family aliases" \
	"$(grep -c -x -e 'alias rtnl-link-plink plink' \
		      -e 'alias net-pf-16-proto-16-family-plink plink' "$mdir/modules.alias")" 2

expect_ok "ip link add type plink, module not loaded" \
	ip -n "$A" link add pl0 type plink
expect_eq "the link type alias loaded plink" "$(loaded)" loaded
expect_eq "and pl0 is a plink device" \
	"$(ip -n "$A" -j -d link show pl0 | jq -r '.[0].linkinfo.info_kind')" plink

ip -n "$A" link del pl0
expect_ok "rmmod plink" rmmod plink
expect_ok "plinkctl service show, module not loaded" plinkctl -n "$A" service show
expect_eq "the genetlink family alias loaded plink" "$(loaded)" loaded

# Leave no autoload behind: the tests that follow rmmod plink under
# running requests and expect it to stay unloaded until they insmod it.
rm -f "$mdir/extra/plink.ko"
depmod "$kver"
[ -n "$made_mp" ] && rm -f "$mp"

exit "$EXIT_STATUS"
