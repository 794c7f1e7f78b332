#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Helpers for the plink kselftests, on top of the kernel's
# tools/testing/selftests/net/lib.sh (copied beside this file in the VM).

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PLINK_KO=${PLINK_KO:-/lib/modules/plink/plink.ko}

if grep -q plink.times /proc/cmdline; then
	eval "$(declare -f log_test | sed '1s/log_test/__plink_log_test/')"
	log_test() { __plink_log_test "$@"; echo "# t=$SECONDS"; }
fi

# expect_ok DESC CMD...: CMD must succeed.
expect_ok()
{
	local desc=$1 out
	shift

	RET=0
	retmsg=
	if ! out=$("$@" 2>&1); then
		RET=$ksft_fail
		retmsg="'$*' failed: $out"
	fi
	log_test "$desc"
}

# expect_fail DESC PATTERN CMD...: CMD must fail, and what it printed must
# match the extended regular expression PATTERN.
expect_fail()
{
	local desc=$1 pattern=$2 out
	shift 2

	RET=0
	retmsg=
	if out=$("$@" 2>&1); then
		RET=$ksft_fail
		retmsg="'$*' succeeded: $out"
	elif ! grep -qE -- "$pattern" <<<"$out"; then
		RET=$ksft_fail
		retmsg="'$*' failed without /$pattern/: $out"
	fi
	log_test "$desc"
}

# expect_eq DESC ACTUAL EXPECTED
expect_eq()
{
	RET=0
	retmsg=
	if [ "$2" != "$3" ]; then
		RET=$ksft_fail
		retmsg="got '$2', expected '$3'"
	fi
	log_test "$1"
}

# require_plink: the module must be loaded for these tests.
require_plink()
{
	if [ ! -d /sys/module/plink ]; then
		insmod "$PLINK_KO" || exit $ksft_fail
	fi
}

plink_cleanup()
{
	cleanup_all_ns >/dev/null 2>&1
}
trap plink_cleanup EXIT
