#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host tests of plinkctl (TAP): the command line, its error paths, and the
# JSON writer.  They need no plink module: where the module is loaded, the
# tests that expect "family not found" are skipped.
# Run by "make check"; PLINKCTL and JSON_TEST may name other binaries.

set -u

dir=$(cd "$(dirname "$0")/.." && pwd)
PLINKCTL=${PLINKCTL:-$dir/plinkctl}
JSON_TEST=${JSON_TEST:-$dir/tests/json_test}
NOFAMILY='plinkctl: generic netlink family "plink" not found (is the plink module loaded?)'
NONS=plinkctl-test-no-such-netns-$$

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

t_no_object()
{
	run
	expect_rc 1 || return 1
	expect_line 'plinkctl: missing object, try "plinkctl help"'
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

t_json_escaping()
{
	local out

	out=$("$JSON_TEST" 2>&1)
	rc=$?
	[ "$rc" -eq 0 ] && return 0
	sed 's/^/# /' <<<"$out"
	return 1
}

# valgrind ARGS...: no leak, no invalid access, on the path ARGS take.
valgrind_clean()
{
	command -v valgrind >/dev/null || { skip="no valgrind"; return 0; }
	valgrind -q --error-exitcode=99 --leak-check=full \
		--show-leak-kinds=all --errors-for-leak-kinds=all \
		"$PLINKCTL" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ "$rc" -ne 99 ] || diag "valgrind found errors"
}

t_valgrind_dev_show()		{ valgrind_clean dev show; }
t_valgrind_dev_show_json()	{ valgrind_clean -j dev show; }
t_valgrind_dev_show_one()	{ valgrind_clean dev show 7; }
t_valgrind_bad_netns()		{ valgrind_clean -n "$NONS" dev show; }
t_valgrind_usage()		{ valgrind_clean dev show a b; }

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
