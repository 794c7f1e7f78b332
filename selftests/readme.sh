#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The README's quick start, run as it is written: the block between the
# "quick-start" markers of README.md, with bash -e, must carry a request
# and answer it, and show the flow on both sides.

source "$(dirname "$0")/lib/plink.sh"
require_plink

# A quick start that stopped half way leaves its namespaces and server.
readme_cleanup()
{
	ip netns pids prov 2>/dev/null | xargs -r kill 2>/dev/null
	ip netns del cons 2>/dev/null
	ip netns del prov 2>/dev/null
	plink_cleanup
}
trap readme_cleanup EXIT

readme=$(dirname "$0")/../README.md
script=$(sed -n '/^<!-- quick-start -->$/,/^<!-- quick-start end -->$/p' \
	"$readme" | sed '/^<!--/d; /^```/d')
expect_eq "README.md has a quick start" \
	"$(grep -c 'plinkctl' <<<"$script" | awk '$1 > 5 { print "yes" }')" yes

out=$(bash -e <<<"$script" 2>&1)
rc=$?
expect_eq "the quick start runs to its end" "$rc" 0
expect_eq "the request is answered by the provider's server" \
	"$(grep -c '^hello from prov$' <<<"$out")" 1
expect_eq "flow show: the consumer's flow" \
	"$(grep -cE '^tcp +[a-z]+ +10\.0\.0\.5:[0-9]+ +10\.0\.0\.100:80 ' <<<"$out")" 1
expect_eq "flow show: the provider's flow" \
	"$(grep -cE '^tcp +[a-z]+ +10\.0\.0\.200:[0-9]+ +10\.0\.0\.1:8080 ' <<<"$out")" 1
expect_eq "stats: the service's row counted one flow" \
	"$(awk '$1 == "web" && $2 ~ /^[0-9]+$/ { print $2 }' <<<"$out")" 1
expect_eq "the teardown left no namespace" \
	"$(ip netns list | grep -cE '^(prov|cons)( |$)')" 0
[ "$EXIT_STATUS" = 0 ] || sed 's/^/# /' <<<"$out"

exit "$EXIT_STATUS"
