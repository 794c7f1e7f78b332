#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# plink.service's work, run as systemd runs it: each Exec line of the unit
# (packaging/plink.service), in a clean environment with the settings of
# its EnvironmentFile (/etc/default/plink), calling packaging/plink-boot.
# Stop without PLINK_SAVE=yes saves nothing; reload with it saves the
# initial netns to /etc/plink/plink.conf and each named netns to
# /etc/plink/netns/NAME.conf; once every plink device is gone, start
# restores them all (a consumer's netns before its provider's: C sorts
# before P), the endpoint is available with no new acceptance, traffic
# flows, and the files of a named netns that does not exist are left alone.

source "$(dirname "$0")/lib/datapath.sh"
require_plink
UNIT=/lib/systemd/system/plink.service
[ -e "$UNIT" ] || { echo "no $UNIT in this system"; exit $ksft_fail; }
ENVF=$(sed -n 's/^EnvironmentFile=-\{0,1\}//p' "$UNIT")
setup_ns C P || exit $ksft_fail
cp "$ENVF" "$DP_TMP/default"
rm -rf /etc/plink
cleanup()
{
	ip link del plboot0 2>/dev/null
	cp "$DP_TMP/default" "$ENVF"
	rm -rf /etc/plink
	dp_cleanup
}
trap cleanup EXIT

# sd_exec KIND: the unit's ExecKIND= command line, as systemd runs it.
sd_exec()
{
	local cmd
	cmd=$(sed -n "s/^Exec$1=//p" "$UNIT")
	# shellcheck disable=SC2046,SC2086 # KEY=VALUE words, a command line
	env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		$(grep -E '^[A-Za-z_][A-Za-z0-9_]*=' "$ENVF") $cmd
}

# bt_saves_are_files: each netns's save is the file the unit keeps.
bt_saves_are_files()
{
	cmp -s <(plinkctl save) /etc/plink/plink.conf &&
		cmp -s <(plinkctl -n "$P" save) "/etc/plink/netns/$P.conf" &&
		cmp -s <(plinkctl -n "$C" save) "/etc/plink/netns/$C.conf"
}

bt_reach() { dp_get "$C" 10.0.0.100 80 | grep -q '^t1 10\.0\.0\.200 '; }

dp_provider "$P"
dp_target "$P" t1 10.0.0.1
plinkctl -n "$P" service add web dev nlb0 addr 10.0.0.200 \
	listener tcp:80:8080 acceptance required allow '*'
plinkctl -n "$P" target add web 10.0.0.1
dp_consumer "$C"
ID=$(plinkctl -n "$C" endpoint add web dev pl0 addr 10.0.0.100)
plinkctl -n "$P" endpoint accept "$ID"
ip link add plboot0 type plink
ip link set plboot0 mtu 1400 up
slowwait 20 bt_reach
expect_ok "setup: the consumer reaches the provider" bt_reach

sed -i 's/^PLINK_SAVE=.*/PLINK_SAVE=no/' "$ENVF"
expect_ok "ExecStop= with PLINK_SAVE=no succeeds" sd_exec Stop
expect_eq "and saves nothing" "$([ -e /etc/plink ] && echo saved)" ""
sed -i 's/^PLINK_SAVE=.*/PLINK_SAVE=yes/' "$ENVF"
expect_ok "ExecReload= with PLINK_SAVE=yes succeeds" sd_exec Reload
expect_ok "it saved the initial netns and each named netns to /etc/plink" \
	bt_saves_are_files
expect_match "the initial netns's file has its device" \
	"$(cat /etc/plink/plink.conf)" 'dev add plboot0 mtu 1400 up'

# Everything plink's goes; a file for a netns that does not exist stays.
echo "dev add plx up" >/etc/plink/netns/nosuch.conf
ip link del plboot0
ip -n "$C" link del pl0
ip -n "$P" link del nlb0
busywait 5000 bash -c "[ -z \"\$(plinkctl -n $C endpoint show)\" ]" >/dev/null
expect_ok "ExecStart= restores" sd_exec Start
expect_eq "the endpoint is back with its id, available with no new acceptance" \
	"$(plinkctl -n "$C" -j endpoint show | jq -r '.[0] | .id + " " + .state')" \
	"$ID available"
expect_eq "the initial netns's device is back" \
	"$(ip -o link show plboot0 2>/dev/null | grep -c 'mtu 1400')" 1
slowwait 20 bt_reach
expect_ok "traffic flows again" bt_reach
expect_ok "each netns's save is the file it came from" bt_saves_are_files
expect_ok "ExecStop= with PLINK_SAVE=yes succeeds" sd_exec Stop
expect_ok "and saves the same files again" bt_saves_are_files
expect_eq "a netns that does not exist: its file is left alone" \
	"$(cat /etc/plink/netns/nosuch.conf)" "dev add plx up"

exit "$EXIT_STATUS"
