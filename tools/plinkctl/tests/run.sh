#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host tests of plinkctl (TAP): the command line, its error paths, the JSON
# writer, the netlink messages (tests/nl_test), and the host routes (in a
# network namespace of their own, where unshare -rn works).  They need no
# plink module: where the module is loaded, the tests that expect "family
# not found" are skipped.  Every command line is parsed whole before
# plinkctl talks to the kernel, so the parsing tests hold either way.
# Run by "make check"; PLINKCTL, JSON_TEST and NL_TEST may name other
# binaries.

set -u

dir=$(cd "$(dirname "$0")/.." && pwd)
PLINKCTL=${PLINKCTL:-$dir/plinkctl}
JSON_TEST=${JSON_TEST:-$dir/tests/json_test}
NL_TEST=${NL_TEST:-$dir/tests/nl_test}
NOFAMILY='plinkctl: generic netlink family "plink" not found (is the plink module loaded?)'
NONS=plinkctl-test-no-such-netns-$$
NODEV=plnodev$$

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

# run ARGS...: run plinkctl; sets $rc, and $tmp/out and $tmp/err.
run()
{
	"$PLINKCTL" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
}

# diag MSG: say why a test failed (TAP comments), and return 1.  Checks
# read "CONDITION || diag MSG || return 1".
diag()
{
	echo "# $*"
	echo "#   exit status $rc"
	sed 's/^/#   stdout: /' "$tmp/out"
	sed 's/^/#   stderr: /' "$tmp/err"
	return 1
}

expect_rc()
{
	[ "$rc" -eq "$1" ] || diag "expected exit status $1"
}

# expect_err1 WORD: exactly one line on stderr, naming "WORD"; no stdout.
expect_err1()
{
	[ "$(wc -l <"$tmp/err")" -eq 1 ] ||
		diag "expected one line on stderr" || return 1
	grep -qF -- "\"$1\"" "$tmp/err" ||
		diag "stderr does not name \"$1\"" || return 1
	[ ! -s "$tmp/out" ] || diag "expected nothing on stdout"
}

# expect_usage WORD ARGS...: exit 1, and one line on stderr naming WORD.
expect_usage()
{
	local word=$1

	shift
	run "$@"
	expect_rc 1 || return 1
	expect_err1 "$word"
}

# expect_line LINE: stderr is exactly LINE.
expect_line()
{
	[ "$(cat "$tmp/err")" = "$1" ] || diag "expected: $1"
}

# expect_help ARGS...: exit 0, TEXT on stdout, nothing on stderr.
expect_help()
{
	local text=$1

	shift
	run "$@"
	expect_rc 0 || return 1
	grep -qF -- "$text" "$tmp/out" ||
		diag "no \"$text\" on stdout" || return 1
	[ ! -s "$tmp/err" ] || diag "expected nothing on stderr"
}

module_loaded()
{
	[ -d /sys/module/plink ]
}

# expect_nofamily ARGS...: exit 2, the one "family not found" line.
expect_nofamily()
{
	run "$@"
	expect_rc 2 || return 1
	expect_line "$NOFAMILY" || return 1
	[ ! -s "$tmp/out" ] || diag "expected nothing on stdout"
}

t_version()
{
	run -V
	expect_rc 0 || return 1
	grep -qxE 'plinkctl [^ ]+' "$tmp/out" && [ "$(wc -l <"$tmp/out")" = 1 ] ||
		diag "expected one line: plinkctl VERSION" || return 1
	[ ! -s "$tmp/err" ] || diag "expected nothing on stderr"
}

t_version_long()
{
	run --version
	expect_rc 0 || return 1
	grep -qxE 'plinkctl [^ ]+' "$tmp/out" ||
		diag "expected: plinkctl VERSION"
}

t_help_option()		{ expect_help "Usage: plinkctl" -h; }
t_help_long_option()	{ expect_help "Usage: plinkctl" --help; }
t_help_object()		{ expect_help "Usage: plinkctl" help; }
t_help_dev()		{ expect_help "plinkctl dev" help dev; }
t_dev_help()		{ expect_help "plinkctl dev" dev help; }

# As ip(8): a bare plinkctl prints the usage on stderr, and fails.
t_no_object()
{
	run
	expect_rc 1 || return 1
	grep -q '^Usage: plinkctl' "$tmp/err" || diag "no usage on stderr" ||
		return 1
	[ ! -s "$tmp/out" ] || diag "expected nothing on stdout"
}

t_unknown_option()
{
	expect_usage -x -x dev show || return 1
	expect_line 'plinkctl: unknown option "-x", try "plinkctl help"'
}

t_unknown_long_option()		{ expect_usage --bogus -j --bogus dev show; }
t_option_after_object()		{ expect_usage -j dev -j; }
t_missing_netns_argument()	{ expect_usage -n -n; }

t_unknown_object()
{
	run foo show
	expect_rc 1 || return 1
	expect_err1 foo || return 1
	expect_line 'plinkctl: unknown object "foo", try "plinkctl help"'
}

t_unknown_command()
{
	expect_usage frobnicate dev frobnicate || return 1
	expect_line 'plinkctl: unknown command "frobnicate" for "dev", try "plinkctl dev help"'
}

t_extra_argument()		{ expect_usage extra dev show pl0 extra; }
t_help_extra_argument()		{ expect_usage extra help dev extra; }
t_help_unknown_object()		{ expect_usage foo help foo; }
t_dev_name_too_long()		{ expect_usage abcdefghijklmnop dev show abcdefghijklmnop; }
t_dev_index_zero()		{ expect_usage 0 dev show 0; }
t_dev_index_too_big()		{ expect_usage 4294967296 dev show 4294967296; }
t_dev_empty_name()		{ expect_usage "" dev show ""; }

t_netns_nonexistent()
{
	run -n "$NONS" dev show
	expect_rc 1 || return 1
	expect_line "plinkctl: cannot open netns \"$NONS\": No such file or directory"
}

t_netns_bad_name()		{ expect_usage ../etc -n ../etc dev show; }

t_dev_show_nofamily()
{
	module_loaded && { skip="plink module loaded"; return 0; }
	expect_nofamily dev show
}

t_dev_show_json_nofamily()
{
	module_loaded && { skip="plink module loaded"; return 0; }
	expect_nofamily -j dev show
}

t_dev_show_one_nofamily()
{
	module_loaded && { skip="plink module loaded"; return 0; }
	expect_nofamily --json dev show pl0
}

t_dev_default_command()
{
	module_loaded && { skip="plink module loaded"; return 0; }
	expect_nofamily dev
}

t_dev_list_alias()
{
	module_loaded && { skip="plink module loaded"; return 0; }
	expect_nofamily dev list
}

# Unique prefixes work for objects and commands: they reach the kernel.
t_abbreviations()
{
	run d sh
	[ "$rc" -eq 0 ] || [ "$rc" -eq 2 ] || diag "\"d sh\" was refused"
}

t_ambiguous_or_empty_command()	{ expect_usage "" dev ""; }

# unit_test BINARY: a TAP unit test binary passes; its output on failure.
unit_test()
{
	local out

	out=$("$1" 2>&1)
	rc=$?
	[ "$rc" -eq 0 ] && return 0
	sed 's/^/# /' <<<"$out"
	return 1
}

t_json_escaping()	{ unit_test "$JSON_TEST"; }
t_netlink_messages()	{ unit_test "$NL_TEST"; }

# The host routes, as service and endpoint commands add and remove them,
# on lo of a network namespace of the test's own.
t_host_routes()
{
	local out want

	if ! command -v unshare >/dev/null || ! unshare -rn true 2>/dev/null; then
		skip="no unshare -rn"
		return 0
	fi
	command -v ip >/dev/null || { skip="no ip"; return 0; }
	# shellcheck disable=SC2016
	out=$(unshare -rn sh -c '
		ip link set lo up || exit 1
		"$1" route-add lo 192.0.2.1 2001:db8::1 || exit 1
		"$1" route-add lo 192.0.2.1 || exit 1	# replaced, no error
		show() {
			ip -4 route show dev lo | cut -d" " -f1-5
			ip -6 route show dev lo | grep db8 | cut -d" " -f1-3
		}
		show
		"$1" route-del lo 192.0.2.1 2001:db8::1 198.51.100.1 || exit 1
		echo --
		show
		"$1" route-add 999 192.0.2.1
		echo "rc $?"' sh "$NL_TEST" 2>&1)
	rc=$?
	want='192.0.2.1 proto static scope link
2001:db8::1 proto static
--
plinkctl: test, but cannot add the route to 192.0.2.1 dev 999: No such device
rc 2'
	[ "$out" = "$want" ] && return 0
	echo "# expected:"
	sed 's/^/#   /' <<<"$want"
	echo "# got (exit status $rc):"
	sed 's/^/#   /' <<<"$out"
	return 1
}

t_help_service()		{ expect_help "plinkctl service add NAME dev DEV" help service; }
t_service_help()		{ expect_help "listener LISTENER" service help; }
t_help_target()			{ expect_help "plinkctl target del SERVICE TARGET" help target; }
t_target_help()			{ expect_help "HEALTH := { initial" target help; }
t_help_endpoint()		{ expect_help "plinkctl endpoint add SERVICE" help endpoint; }
t_endpoint_help()		{ expect_help "del { ID | dev DEV }" endpoint help; }
t_help_monitor()		{ expect_help "plinkctl monitor" help monitor; }
t_monitor_help()		{ expect_help "plinkctl monitor" monitor help; }
t_help_lists_objects()		{ expect_help "plinkctl endpoint { accept" help; }
t_help_stats()			{ expect_help "plinkctl stats [service NAME | endpoint ID | dev DEV]" help stats; }
t_stats_help()			{ expect_help "plinkctl stats" stats help; }
t_help_flow()			{ expect_help "plinkctl flow get EP" help flow; }
t_flow_help()			{ expect_help "plinkctl flow flush" flow help; }
t_help_lists_new_objects()	{ expect_help "plinkctl flow flush [service NAME | EP]" help; }
t_service_help_settings()	{ expect_help "fail-open { on | off }" service help; }

# The words of service add, before any kernel: one line naming the word.
SVC=(service add web dev lo)
t_service_bad_address()		{ expect_usage 192.0.2.256 "${SVC[@]}" addr 192.0.2.256 listener tcp:80; }
t_service_ipv6_address()	{ expect_usage 2001:db8::g "${SVC[@]}" addr 2001:db8::g listener tcp:80; }
t_service_port_zero()		{ expect_usage tcp:0 "${SVC[@]}" addr 192.0.2.1 listener tcp:0; }
t_service_port_too_big()	{ expect_usage tcp:80:65536 "${SVC[@]}" addr 192.0.2.1 listener tcp:80:65536; }
t_service_bad_protocol()	{ expect_usage sctp:80 "${SVC[@]}" addr 192.0.2.1 listener sctp:80; }
t_service_listener_no_port()	{ expect_usage tcp "${SVC[@]}" addr 192.0.2.1 listener tcp; }
t_service_unknown_keyword()	{ expect_usage bogus "${SVC[@]}" addr 192.0.2.1 listener tcp:80 bogus 1; }
t_service_missing_value()	{ expect_usage addr "${SVC[@]}" listener tcp:80 addr; }
t_service_bad_acceptance()	{ expect_usage maybe "${SVC[@]}" addr 192.0.2.1 listener tcp:80 acceptance maybe; }
t_service_bad_timeout()		{ expect_usage sctp "${SVC[@]}" addr 192.0.2.1 listener tcp:80 timeout sctp 60; }
t_service_bad_number()		{ expect_usage 12x "${SVC[@]}" addr 192.0.2.1 listener tcp:80 max-flows 12x; }
t_service_negative_number()	{ expect_usage -1 "${SVC[@]}" addr 192.0.2.1 listener tcp:80 deregistration-delay -1; }
t_service_duplicate_keyword()	{ expect_usage max-flows "${SVC[@]}" addr 192.0.2.1 listener tcp:80 max-flows 1 max-flows 2; }
t_service_dev_too_long()	{ expect_usage abcdefghijklmnop service add web dev abcdefghijklmnop addr 192.0.2.1 listener tcp:80; }
t_service_set_dev()		{ expect_usage dev service set web dev lo; }
t_service_set_nothing()		{ expect_usage "service set" service set web; }
t_service_del_extra()		{ expect_usage now service del web now; }
t_service_show_extra()		{ expect_usage b service show a b; }

t_service_missing_dev()
{
	expect_usage dev service add web addr 192.0.2.1 listener tcp:80 || return 1
	expect_line 'plinkctl: missing "dev" for "service add"'
}

t_service_bad_fail_open()	{ expect_usage yes "${SVC[@]}" addr 192.0.2.1 listener tcp:80 fail-open yes; }
t_service_bad_reset_unhealthy()	{ expect_usage 1 service set web reset-unhealthy 1; }
t_service_bad_maglev_size()	{ expect_usage 16k service set web maglev-size 16k; }
t_service_fail_open_twice()	{ expect_usage fail-open service set web fail-open on fail-open off; }

t_service_missing_addr()	{ expect_usage addr service add web dev lo listener tcp:80; }
t_service_missing_listener()	{ expect_usage listener service add web dev lo addr 192.0.2.1; }
t_service_missing_name()	{ expect_usage NAME service add; }

# The device is looked up (in the -n netns) before the kernel is asked.
t_service_no_such_device()
{
	run service add web dev "$NODEV" addr 192.0.2.1 listener tcp:80
	expect_rc 1 || return 1
	expect_line "plinkctl: cannot find device \"$NODEV\""
}

t_target_bad_address()		{ expect_usage 192.0.2 target add web 192.0.2; }
t_target_port_zero()		{ expect_usage 192.0.2.1:0 target add web 192.0.2.1:0; }
t_target_ipv6_port_too_big()	{ expect_usage "[2001:db8::1]:65536" target add web "[2001:db8::1]:65536"; }
t_target_ipv4_in_brackets()	{ expect_usage "[192.0.2.1]:80" target add web "[192.0.2.1]:80"; }
t_target_bad_weight()		{ expect_usage heavy target set web 192.0.2.1 weight heavy; }
t_target_del_setting()		{ expect_usage weight target del web 192.0.2.1 weight 1; }
t_target_set_nothing()		{ expect_usage "target set" target set web 192.0.2.1; }
t_target_missing_addr()		{ expect_usage ADDR target add web; }
t_target_show_bad_address()	{ expect_usage 192.0.2 target show web 192.0.2; }
t_target_show_extra()		{ expect_usage c target show web 192.0.2.1 c; }

t_target_unknown_health()
{
	expect_usage sick target set web 192.0.2.1 health sick || return 1
	expect_line 'plinkctl: invalid health "sick" (initial, healthy, unhealthy, draining, up, down)'
}

EP=(endpoint add web dev lo addr 10.1.0.5)
t_endpoint_prefix_33()		{ expect_usage 10.0.0.0/33 "${EP[@]}" allow 10.0.0.0/33; }
t_endpoint_prefix_129()		{ expect_usage 2001:db8::/129 "${EP[@]}" allow 2001:db8::/129; }
t_endpoint_prefix_host_bits()	{ expect_usage 10.0.0.1/8 "${EP[@]}" allow 10.0.0.1/8; }
t_endpoint_bad_prefix()		{ expect_usage 10.0.0/8 "${EP[@]}" allow 10.0.0/8; }
t_endpoint_rule_port_zero()	{ expect_usage tcp:0-80 "${EP[@]}" allow 10.0.0.0/8 tcp:0-80; }
t_endpoint_rule_bad_protocol()	{ expect_usage icmp:1 "${EP[@]}" allow 10.0.0.0/8 icmp:1; }
t_endpoint_bad_address()	{ expect_usage 10.1.0.256 endpoint add web dev lo addr 10.1.0.256; }
t_endpoint_unknown_keyword()	{ expect_usage rule "${EP[@]}" rule 10.0.0.0/8; }
t_endpoint_missing_dev()	{ expect_usage dev endpoint add web addr 10.1.0.5; }
t_endpoint_missing_addr()	{ expect_usage addr endpoint add web dev lo; }
t_endpoint_accept_no_id()	{ expect_usage ID endpoint accept; }
t_endpoint_reject_extra()	{ expect_usage b endpoint reject a b; }
t_endpoint_del_extra()		{ expect_usage b endpoint del a b; }
t_endpoint_show_extra()		{ expect_usage b endpoint show a b; }

t_endpoint_no_such_device()
{
	run endpoint add web dev "$NODEV" addr 10.1.0.5
	expect_rc 1 || return 1
	expect_line "plinkctl: cannot find device \"$NODEV\""
}

t_stats_both()			{ expect_usage stats stats service web endpoint plep-1; }
t_stats_unknown_keyword()	{ expect_usage target stats target web; }
t_stats_missing_value()		{ expect_usage endpoint stats endpoint; }
t_stats_twice()			{ expect_usage service stats service a service b; }
t_flow_show_proto()		{ expect_usage proto flow show proto tcp; }
t_flow_show_missing_value()	{ expect_usage service flow show service; }
t_flow_flush_both()		{ expect_usage "flow flush" flow flush service web endpoint plep-1; }
t_flow_get_bad_proto()		{ expect_usage icmp flow get endpoint e proto icmp client 10.0.0.5:1 dst 10.0.0.100:80; }
t_flow_get_no_port()		{ expect_usage 10.0.0.5 flow get endpoint e proto tcp client 10.0.0.5 dst 10.0.0.100:80; }
t_flow_get_bad_address()	{ expect_usage 10.0.0.256:80 flow get endpoint e proto tcp client 10.0.0.5:1 dst 10.0.0.256:80; }
t_flow_get_service()		{ expect_usage service flow get service web endpoint e proto tcp client 10.0.0.5:1 dst 10.0.0.100:80; }
t_flow_unknown_command()	{ expect_usage drop flow drop; }

t_flow_get_missing_dst()
{
	expect_usage dst flow get endpoint e proto tcp client 10.0.0.5:1 || return 1
	expect_line 'plinkctl: missing "dst" for "flow get"'
}

t_monitor_extra()		{ expect_usage x monitor all x; }
t_monitor_unknown()		{ expect_usage foo monitor foo; }

# Good command lines reach the kernel: without the module, the one line.
nofamily()
{
	module_loaded && { skip="plink module loaded"; return 0; }
	expect_nofamily "$@"
}

t_service_show_nofamily()	{ nofamily service show; }
t_service_show_json_nofamily()	{ nofamily -j service show web; }
t_service_show_stats_nofamily()	{ nofamily -s service show web; }
t_show_stats_long_nofamily()	{ nofamily --stats -p target show; }
t_service_add_nofamily()	{ nofamily service add web dev lo addr 192.0.2.1 addr 2001:db8::1 listener tcp:80:8080 listener udp:53 acceptance auto allow uid:1000 allow '*' max-flows 100 timeout tcp 350 timeout udp 120 deregistration-delay 300; }
t_service_set_nofamily()	{ nofamily service set web addr 192.0.2.2 timeout udp 60; }
t_service_del_nofamily()	{ nofamily service del web force; }
t_target_add_nofamily()		{ nofamily target add web "[2001:db8::1]:8080" weight 5 zone a health up; }
t_target_show_nofamily()	{ nofamily target show web; }
t_endpoint_add_nofamily()	{ nofamily endpoint add web dev lo addr 10.1.0.5 allow 10.0.0.0/8 tcp:80 allow 2001:db8::/32 udp:1000-2000 allow 192.0.2.7; }
t_endpoint_accept_nofamily()	{ nofamily endpoint accept plep-0000000000000001; }
t_endpoint_del_nofamily()	{ nofamily endpoint del plep-0000000000000001; }
t_endpoint_show_nofamily()	{ nofamily -j endpoint; }
t_monitor_nofamily()		{ nofamily monitor; }
t_service_settings_nofamily()	{ nofamily service set web maglev-size 251 fail-open on reset-unhealthy off; }
t_stats_nofamily()		{ nofamily stats; }
t_stats_service_nofamily()	{ nofamily -j stats service web; }
t_stats_endpoint_nofamily()	{ nofamily stats endpoint plep-0000000000000001; }
t_flow_nofamily()		{ nofamily flow; }
t_flow_show_nofamily()		{ nofamily -j flow show service web endpoint plep-1; }
t_flow_get_nofamily()		{ nofamily flow get endpoint plep-1 proto udp client "[fd00::9]:5353" dst "[fd00::5]:53"; }
t_flow_flush_nofamily()		{ nofamily flow flush endpoint plep-1; }

t_new_abbreviations()
{
	run s sh
	[ "$rc" -eq 0 ] || [ "$rc" -eq 2 ] || diag "\"s sh\" was refused" || return 1
	run e l
	[ "$rc" -eq 0 ] || [ "$rc" -eq 2 ] || diag "\"e l\" was refused" || return 1
	# "a" is add, which wants a dev.
	expect_usage dev endpoint a x
}

# Abbreviations resolve in a fixed order, as ip's do, and are never
# ambiguous: "a" is add, "d" del, "s" show, "se" set.
t_abbreviations_fixed_order()
{
	local obj

	for obj in service target endpoint; do
		run $obj a
		expect_rc 1 || return 1
		grep -qF "for \"$obj add\"" "$tmp/err" ||
			diag "\"$obj a\" is not add" || return 1
	done
	expect_usage SERVICE target d || return 1
	grep -qF 'for "target del"' "$tmp/err" ||
		diag '"target d" is not del' || return 1
	expect_usage extra service s web extra || return 1
	expect_usage NAME service se || return 1
	grep -qF 'for "service set"' "$tmp/err" ||
		diag '"service se" is not set' || return 1
	expect_usage ADDR target de web || return 1
	grep -qF 'for "target del"' "$tmp/err" ||
		diag '"target de" is not del'
}

# Ranges are checked before anything is sent, from linux/plink.h.
t_range_weight()
{
	expect_usage 1000 target add web 192.0.2.1 weight 1000 || return 1
	expect_line 'plinkctl: invalid weight "1000" (0-999)'
}

t_range_timeout()
{
	expect_usage 59 service set web timeout tcp 59 || return 1
	expect_line 'plinkctl: invalid timeout tcp "59" (60-6000)'
}

t_range_max_flows()		{ expect_usage 0 service set web max-flows 0; }
t_range_dereg_delay()		{ expect_usage 3601 service set web dereg-delay 3601; }
t_range_hc_interval()		{ expect_usage 301 service set web health-check tcp interval 301; }
t_range_endpoint_max_flows()	{ expect_usage 4194305 service set web endpoint-max-flows 4194305; }

# "dev DEV" names the endpoint on DEV wherever an endpoint ID goes.
t_endpoint_dev_missing()	{ expect_usage dev endpoint show dev; }
t_endpoint_dev_extra()		{ expect_usage x endpoint del dev pl0 x; }
t_flow_endpoint_and_dev()	{ expect_usage dev flow show endpoint plep-1 dev pl0; }
t_stats_service_and_dev()	{ expect_usage stats stats service web dev pl0; }
t_flow_get_dev_nofamily()
{
	module_loaded && { skip="plink module loaded"; return 0; }
	expect_nofamily flow get dev pl0 proto tcp client 10.0.0.5:1000 dst 10.0.0.100:80
}

t_endpoint_show_dev_nofamily()
{
	module_loaded && { skip="plink module loaded"; return 0; }
	expect_nofamily endpoint show dev pl0
}

# The spellings of plink.rst are accepted.
t_documented_spellings_nofamily()
{
	module_loaded && { skip="plink module loaded"; return 0; }
	expect_nofamily service set web timeout-tcp 350 timeout-udp 120 dereg-delay 300
}

# "s" stays service's; stats is "st" at the least.
t_stats_abbreviations()
{
	module_loaded && { skip="plink module loaded"; return 0; }
	expect_nofamily s show web || return 1
	expect_nofamily st || return 1
	expect_nofamily f fl
}

# valgrind ARGS...: no leak, no invalid access, on the path ARGS take.
# plinkctl's own exit status does not matter here (many of these fail on
# purpose), but valgrind's error status does, and so does a plinkctl that
# valgrind could not run (126, 127) or that died of a signal (128 + N:
# valgrind passes a SIGSEGV on).  valgrind is one of make deps' packages:
# without it these fail.
valgrind_clean()
{
	rc=127
	: >"$tmp/out"
	: >"$tmp/err"
	command -v valgrind >/dev/null ||
		diag "valgrind is not installed (make deps)" || return 1
	valgrind -q --error-exitcode=99 --leak-check=full \
		--show-leak-kinds=all --errors-for-leak-kinds=all \
		"$PLINKCTL" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ "$rc" -ne 99 ] || diag "valgrind found errors" || return 1
	[ "$rc" -le 128 ] ||
		diag "plinkctl died of signal $((rc - 128)) under valgrind" || return 1
	[ "$rc" -lt 126 ] || diag "valgrind could not run plinkctl"
}

t_valgrind_dev_show()		{ valgrind_clean dev show; }
t_valgrind_dev_show_json()	{ valgrind_clean -j dev show; }
t_valgrind_dev_show_one()	{ valgrind_clean dev show 7; }
t_valgrind_bad_netns()		{ valgrind_clean -n "$NONS" dev show; }
t_valgrind_usage()		{ valgrind_clean dev show a b; }
t_valgrind_service_add()	{ valgrind_clean service add web dev lo addr 192.0.2.1 addr 2001:db8::1 listener tcp:80:8080 allow '*' timeout tcp 350; }
t_valgrind_service_bad()	{ valgrind_clean service add web dev lo addr 192.0.2.1 listener tcp:0; }
t_valgrind_service_nodev()	{ valgrind_clean service add web dev "$NODEV" addr 192.0.2.1 listener tcp:80; }
t_valgrind_service_set()	{ valgrind_clean service set web addr 192.0.2.2; }
t_valgrind_service_del()	{ valgrind_clean service del web force; }
t_valgrind_service_show()	{ valgrind_clean -j service show; }
t_valgrind_target_add()		{ valgrind_clean target add web 192.0.2.10:80 health up; }
t_valgrind_target_bad()		{ valgrind_clean target add web 192.0.2.10 health sick; }
t_valgrind_endpoint_add()	{ valgrind_clean -j endpoint add web dev lo addr 10.1.0.5 allow 10.0.0.0/8 tcp:80-90; }
t_valgrind_endpoint_bad()	{ valgrind_clean endpoint add web dev lo addr 10.1.0.5 allow 10.0.0.0/33; }
t_valgrind_endpoint_del()	{ valgrind_clean endpoint del plep-1; }
t_valgrind_monitor()		{ valgrind_clean -j monitor; }
t_valgrind_stats()		{ valgrind_clean -j stats; }
t_valgrind_stats_service()	{ valgrind_clean stats service web; }
t_valgrind_stats_bad()		{ valgrind_clean stats service web endpoint e; }
t_valgrind_flow_show()		{ valgrind_clean -j flow show service web; }
t_valgrind_flow_get()		{ valgrind_clean flow get endpoint e proto tcp client 10.0.0.5:1 dst 10.0.0.100:80; }
t_valgrind_flow_bad()		{ valgrind_clean flow get endpoint e proto tcp client 10.0.0.5; }
t_valgrind_flow_flush()		{ valgrind_clean flow flush; }
t_valgrind_netns_service()	{ valgrind_clean -n "$NONS" service add web dev lo addr 192.0.2.1 listener tcp:80; }

# -batch, save, metrics: what needs no kernel.
t_batch_bad_line()
{
	printf '# comment\n\n  service add x bogus 1\n' >"$tmp/b"
	run -batch "$tmp/b"
	expect_rc 1 || return 1
	expect_line "$tmp/b:3: unknown keyword \"bogus\" for \"service add\""
}
t_batch_stops()
{
	printf 'dev show x extra\nhelp\n' >"$tmp/b"
	run -batch "$tmp/b"
	expect_rc 1 || return 1
	[ ! -s "$tmp/out" ] || diag "the line after the error ran"
}
t_batch_force()
{
	printf 'dev show x extra\nhelp\n' | "$PLINKCTL" -force -batch - >"$tmp/out" 2>"$tmp/err"
	rc=$?
	expect_rc 1 || return 1
	expect_line '<stdin>:1: unexpected argument "extra"' || return 1
	grep -q "Usage: plinkctl" "$tmp/out" || diag "the line after the error did not run"
}
t_batch_quotes()
{
	printf 'service add "a b" bogus\n' >"$tmp/b"
	run -batch "$tmp/b"
	expect_rc 1 || return 1
	expect_line "$tmp/b:1: unknown keyword \"bogus\" for \"service add\""
}
t_batch_unterminated_quote()
{
	printf 'service add "a b bogus\n' >"$tmp/b"
	run -batch "$tmp/b"
	expect_rc 1 || return 1
	expect_line "$tmp/b:1: unterminated quote"
}
t_batch_no_file()		{ expect_usage "$tmp/none" -batch "$tmp/none"; }
t_batch_with_command()		{ expect_usage dev -batch - dev show; }
t_force_without_batch()		{ expect_usage -force -force dev show; }
t_save_extra_argument()		{ expect_usage extra save extra; }
t_metrics_extra_argument()	{ expect_usage extra metrics extra; }
t_dev_add_unknown_keyword()	{ expect_usage bogus dev add pl9 bogus; }
t_dev_add_bad_mtu()		{ expect_usage x dev add pl9 mtu x; }
t_endpoint_add_id_twice()	{ expect_usage id endpoint add web dev lo addr 10.0.0.1 id plep-1 id plep-2; }
t_service_add_bad_accepted()	{ expect_usage uid:x/plep-1 service add web dev lo addr 10.0.0.1 listener tcp:80 accepted uid:x/plep-1; }

# Bash completion: objects, commands, keywords (names need the module).
complete_words()
{
	bash -c 'complete() { :; }; source "$1/plinkctl.bash-completion"; shift
		COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		_plinkctl; echo "${COMPREPLY[*]}"' _ "$dir" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
}
t_completion_objects()
{
	complete_words plinkctl sa
	[ "$(cat "$tmp/out")" = save ] || diag "expected save"
}
t_completion_keywords()
{
	complete_words plinkctl endpoint add web dev pl0 ""
	[ "$(cat "$tmp/out")" = "dev addr allow id" ] || diag "expected endpoint add's keywords"
}

# Output of "plinkctl metrics" recorded in the test VM (selftests/save.sh:
# its provider's, then a consumer's, after traffic) passes Prometheus's own
# check.
t_metrics_promtool()
{
	command -v promtool >/dev/null || diag "no promtool (Debian package prometheus)" || return 1
	promtool check metrics <"$dir/tests/metrics.prom" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	expect_rc 0 || return 1
	grep -q '^plink_endpoint_state{' "$dir/tests/metrics.prom" ||
		diag "no endpoint in the recording"
}

# The tests, in the order they are defined above.
tests=$(grep -oE '^t_[a-z0-9_]+\(\)' "$0" | tr -d '()')
total=$(wc -w <<<"$tests")

echo "TAP version 13"
echo "1..$total"

n=0
failed=0
for t in $tests; do
	n=$((n + 1))
	name=${t#t_}
	name=${name//_/ }
	skip=
	if "$t" >"$tmp/diag"; then
		if [ -n "$skip" ]; then
			echo "ok $n - $name # SKIP $skip"
		else
			echo "ok $n - $name"
		fi
	else
		echo "not ok $n - $name"
		failed=$((failed + 1))
	fi
	cat "$tmp/diag"
done

[ "$failed" -eq 0 ] || echo "# $failed of $total failed"
exit $((failed != 0))
