# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Shell helpers the scripts share (bash; sourced, never run):
#   . "$top/scripts/lib.sh"
# Timing: what a step took, as "S.s" seconds.  Caching: a step whose output
# depends only on its inputs is skipped when its stamp file records the
# same key (a hash of the inputs) and the same outputs as its last good run.
# The test VM's guest-run.sh sources it too (mkinitramfs.sh copies it).

# secs START: seconds since START (an $EPOCHREALTIME), one decimal.
secs()
{
	local d=$(( (${EPOCHREALTIME/./} - ${1/./}) / 100000 ))

	echo "$((d / 10)).$((d % 10))"
}

# time_line NAME START: "# time: NAME S.s", the seconds since START.  The
# VM runs' TAP carries these diagnostics; run-all.sh sums them up.
time_line()
{
	echo "# time: $1 $(secs "$2")"
}

# children_cpu: the CPU time (user + system, seconds) of the main shell's
# waited-for children so far (/proc/$$/stat's cutime and cstime).
children_cpu()
{
	awk -v hz="$(getconf CLK_TCK)" '{ printf "%.1f\n", ($16 + $17) / hz }' \
		"/proc/$$/stat"
}

# cache_key: the key of what stdin describes (names, sizes, contents'
# hashes, versions): its sha256, in hex.
cache_key()
{
	sha256sum | cut -d' ' -f1
}

# cache_line KEY [OUT...]: what a stamp holds: KEY, then each output's size
# and mtime, so an output replaced or removed since is noticed.  Fails when
# an output is missing or empty.
cache_line()
{
	local line=$1 f

	shift
	for f in "$@"; do
		[ -s "$f" ] || return 1
		line="$line $(stat -c %s.%Y "$f")"
	done
	echo "$line"
}

# cache_valid STAMP KEY [OUT...]: true when STAMP was written by
# cache_store with KEY and these OUTs, and the OUTs are unchanged since.
cache_valid()
{
	local stamp=$1 want

	shift
	[ -r "$stamp" ] || return 1
	want=$(cache_line "$@") || return 1
	[ "$(cat "$stamp")" = "$want" ]
}

# cache_store STAMP KEY [OUT...]: record a good run (after it succeeded).
cache_store()
{
	local stamp=$1 line

	shift
	line=$(cache_line "$@") || return 1
	echo "$line" > "$stamp"
}
