#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The kernel's YNL client, tools/net/ynl/cli.py, for the selftests: one
# python3 per session (selftests/tools/ynl-session.py; a python3 start
# takes seconds under TCG) runs cli.py for each request.  YNL_DIR holds
# cli.py, lib/, plink.yaml and ynl-session.py (the initramfs's /plink/ynl).

YNL_DIR=${YNL_DIR:-/plink/ynl}
declare -A YNL_IN YNL_OUT

# ynl_open KEY CMD...: a session named KEY (a netns name, say): CMD...
# runs ynl-session.py, e.g. "ip netns exec NS python3 $(ynl_session_cmd)".
ynl_open()
{
	local key=$1 d fi fo

	shift
	d=$(mktemp -d)
	chmod 755 "$d"
	mkfifo -m 666 "$d/in" "$d/out"
	"$@" <"$d/in" >"$d/out" 2>&1 &
	exec {fi}>"$d/in"
	exec {fo}<"$d/out"
	rm -r "$d"
	YNL_IN[$key]=$fi
	YNL_OUT[$key]=$fo
}

# ynl_session_cmd: python3's arguments that run the session.
ynl_session_cmd()
{
	echo "$YNL_DIR/ynl-session.py $YNL_DIR"
}

# ynl_session_env MIB: env's arguments for a session that touches MIB MiB of
# heap first and never gives them back (see ynl-session.py): python3's
# objects from glibc's malloc, its heap never trimmed, no mmap below 24 MiB.
ynl_session_env()
{
	echo "YNL_SESSION_RESERVE=$1 PYTHONMALLOC=malloc" \
	     "GLIBC_TUNABLES=glibc.malloc.mmap_threshold=25165824:glibc.malloc.trim_threshold=1073741824:glibc.malloc.arena_max=1"
}

# ynl_open_ns NS: a session in netns NS, named NS.
ynl_open_ns()
{
	# shellcheck disable=SC2046 # the paths have no spaces
	ynl_open "$1" ip netns exec "$1" python3 $(ynl_session_cmd)
}

# ynl KEY ARGS...: cli.py ARGS... in session KEY, replies as JSON; its exit
# status.
ynl()
{
	local key=$1 line

	shift
	[ -n "${YNL_IN[$key]:-}" ] || { echo "ynl: no session $key"; return 1; }
	jq -nc '$ARGS.positional' --args -- --no-schema \
		--spec "$YNL_DIR/plink.yaml" --output-json "$@" >&"${YNL_IN[$key]}"
	while IFS= read -r line <&"${YNL_OUT[$key]}"; do
		if [[ "$line" == "--ynl-session-end "* ]]; then
			return "${line#--ynl-session-end }"
		fi
		printf '%s\n' "$line"
	done
	echo "ynl: the session $key ended"
	return 1
}

# req KEY OP JSON: "0" when cli.py's do OP succeeds, else "ERRNO MESSAGE"
# from its extended ACK (the kernel's errno and message), and " (PATH)"
# when the ACK names the attribute (cli.py decodes the path, ".a.b").
req()
{
	local out err msg bad

	if out=$(ynl "$1" --do "$2" --json "$3" 2>&1); then
		echo 0
		return
	fi
	err=$(sed -nE 's/^\terror: -([0-9]+)$/\1/p' <<<"$out")
	if [ -z "$err" ]; then
		echo "cli.py failed: $out"
		return
	fi
	msg=$(sed -nE -e "s/.*'msg': '([^']*)'.*/\\1/p" \
		      -e "s/.*'msg': \"([^\"]*)\".*/\\1/p" <<<"$out")
	bad=$(sed -nE "s/.*'bad-attr': '([^']*)'.*/ (\\1)/p" <<<"$out")
	echo "$err $msg$bad"
}
