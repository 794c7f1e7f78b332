#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The documented limits (Documentation/plink.rst, "Limits"), each reached:
# the last one that fits is accepted, the next is refused with its
# extended ACK, and nothing is made of it.  8 addresses per endpoint, 64
# principals, the max-flows ceilings (4194304, and the flow table's
# max_flows), 1024 endpoints per netns and 8192 per service.
#
# Everything runs as uid 0, whom the owner quotas (owner_max_endpoints,
# 1024 by default) do not bind: the endpoint counts hit the kernel's own
# PLINK_MAX_ENDPOINTS_PER_NET and PLINK_MAX_ENDPOINTS_PER_SERVICE, which
# no module parameter lowers (quota.sh covers the owner quotas).  The
# 8192 endpoints are made 1024 to each of 8 consumer netns (one device
# each, 1024 addresses on it) by the raw client of lib/genl.sh, one
# datagram of 1024 endpoint-new requests a netns: 8192 plinkctl processes
# would take many minutes under TCG.

source "$(dirname "$0")/lib/datapath.sh"
source "$(dirname "$0")/lib/genl.sh"
require_plink
setup_ns P C || exit $ksft_fail

FAM=$(genl_family plink)
expect_match "the plink family has an id" "$FAM" '^[0-9]+$'

dp_provider "$P"
dp_consumer "$C"

# --- 8 addresses per endpoint ---------------------------------------------------

plinkctl -n "$P" service add lim dev nlb0 addr 10.0.0.100 listener tcp:80:8080 \
	acceptance auto allow '*'
addrs=()
for i in $(seq 1 9); do
	addrs+=(addr "10.0.2.$i")
done
expect_fail "endpoint add, 9 addresses: \"too many addresses\"" \
	'too many addresses' plinkctl -n "$C" endpoint add lim dev pl0 "${addrs[@]}"
expect_eq "no endpoint was made of it" \
	"$(plinkctl -n "$C" -j endpoint show | jq length)" 0
expect_ok "endpoint add, 8 addresses: accepted" \
	plinkctl -n "$C" endpoint add lim dev pl0 "${addrs[@]:0:16}"
expect_eq "the endpoint has its 8 addresses" \
	"$(plinkctl -n "$C" -j endpoint show | jq '.[0].endpoint_addrs | length')" 8
ip -n "$C" link del pl0

# --- 64 principals ----------------------------------------------------------------

allow=()
for i in $(seq 1 65); do
	allow+=(allow "uid:$((1000 + i))")
done
expect_fail "service add, 65 principals: \"too many principals (max 64)\"" \
	'too many principals \(max 64\)' \
	plinkctl -n "$P" service add lim65 dev nlb0 addr 10.0.0.101 \
	listener tcp:80 "${allow[@]}"
expect_fail "service set, 65 principals: \"too many principals (max 64)\"" \
	'too many principals \(max 64\)' \
	plinkctl -n "$P" service set lim "${allow[@]}"
expect_eq "no service was made of it, and lim's principal stays" \
	"$(plinkctl -n "$P" -j service show | jq -c '[.[] | .name, .principals]')" \
	'["lim",["*"]]'
expect_ok "service add, 64 principals: accepted" \
	plinkctl -n "$P" service add lim64 dev nlb0 addr 10.0.0.101 \
	listener tcp:80 "${allow[@]:0:128}"
expect_eq "the service has its 64 principals" \
	"$(plinkctl -n "$P" -j service show lim64 | jq '.[0].principals | length')" 64
plinkctl -n "$P" service del lim64

# --- max-flows: 1-4194304, and at most the flow table's max_flows -----------------

MAXF=$(cat /sys/module/plink/parameters/max_flows)
expect_fail "max-flows 4194305: refused (1-4194304)" \
	'\(1-4194304\)' plinkctl -n "$P" service set lim max-flows 4194305
expect_fail "max-flows 0: refused (1-4194304)" \
	'\(1-4194304\)' plinkctl -n "$P" service set lim max-flows 0
expect_fail "max-flows max_flows+1 ($((MAXF + 1))): \"above the global flow table\"" \
	'max-flows is above the global flow table \(max_flows\)' \
	plinkctl -n "$P" service set lim max-flows $((MAXF + 1))
expect_ok "max-flows max_flows ($MAXF): accepted" \
	plinkctl -n "$P" service set lim max-flows "$MAXF"
expect_eq "the service's max-flows is $MAXF" \
	"$(plinkctl -n "$P" -j service show lim | jq '.[0].max_flows')" "$MAXF"
expect_fail "endpoint-max-flows 4194305: refused (0-4194304)" \
	'\(0-4194304\)' \
	plinkctl -n "$P" service set lim endpoint-max-flows 4194305
expect_ok "endpoint-max-flows 4194304: accepted" \
	plinkctl -n "$P" service set lim endpoint-max-flows 4194304

# --- 1024 endpoints per netns, 8192 per service ----------------------------------

# lim_batch NS IFINDEX FIRST N: endpoint-new requests to lim on IFINDEX in
# NS, of the addresses FIRST .. FIRST+N-1 (10.1.x.y), N in one datagram,
# without NLM_F_ACK: each made endpoint is answered by its reply (with its
# id, "plep-" and 16 hex digits), each refused one by an error (with its
# extended ACK's message).  Prints "made M", and the first error's message
# after a colon if any came.
lim_batch()
{
	local ns=$1 pre hex='' a j msg
	local f=$DP_TMP/batch-$2-$3-$4.bin r=$DP_TMP/batch.out

	# 44 bytes: nlmsghdr (NLM_F_REQUEST, seq 1), genlmsghdr (endpoint-new,
	# version 1), service "lim", ifindex, an IPv4 address.  Made once for
	# each IFINDEX FIRST N (a second of bash under TCG).
	if [ ! -s "$f" ]; then
		pre="2c000000$(genl_le16 "$FAM")010001000000000000000a010000"
		pre+="080002006c696d0008000300$(genl_le32 "$2")08000400"
		for ((j = $3; j < $3 + $4; j++)); do
			printf -v a '0a01%02x%02x' $((j / 250)) $((j % 250 + 1))
			hex+=$pre$a
		done
		printf '%b' "$(sed 's/../\\x&/g' <<<"$hex")" >"$f"
	fi
	# One read of the file, one datagram.  The kernel answers each request
	# as it takes it, in the send: every reply is queued (in a receive
	# buffer of 16 MB, SO_RCVBUFFORCE) when socat's input ends, and socat
	# waits 1 s more (-t) for them.
	ip netns exec "$ns" socat -b 262144 -t 1 - \
		SOCKET-DATAGRAM:16:3:16:x00000000000000000000,setsockopt-int=1:33:16777216 \
		<"$f" >"$r"
	# Counted with grep, not parsed in bash (slow on 50 KB under TCG).
	echo -n "made $(grep -ao 'plep-[0-9a-f]\{16\}' "$r" | wc -l)"
	msg=$(tr -c ' -~' '\n' <"$r" | grep -E '.{8,}' | grep -v '^plep-' | head -n 1)
	echo "${msg:+: $msg}"
}

# lim_one NS IFINDEX J: one endpoint-new of address J, with NLM_F_ACK:
# "ERRNO MESSAGE".
lim_one()
{
	local a

	printf -v a '10.1.%d.%d' $(($3 / 250)) $(($3 % 250 + 1))
	GENL_NETNS=$1 genl_req "$FAM" 10 "$(genl_attr 2 "$(genl_str lim)")$(genl_attr 3 "$(genl_le32 "$2")")$(genl_attr 4 "$(genl_ip4 "$a")")"
}

# lim_count NS: the endpoints in NS (their routes are not made: no
# plinkctl), from the consumer's dump.
lim_count()
{
	plinkctl -n "$1" -j endpoint show | jq length
}

# Nine consumer netns, each with pl0 (one ip process for all).
cons=()
for i in $(seq 1 9); do
	cons+=("lim-$i-$$")
done
NS_LIST+=("${cons[@]}")
for ns in "${cons[@]}"; do
	echo "netns add $ns"
	echo "link add pl0 netns $ns up type plink"
done | ip -batch - || exit $ksft_fail
declare -A IFI
for ns in "${cons[@]}"; do
	IFI[$ns]=$(ip -n "$ns" -j link show pl0 | jq '.[0].ifindex')
done

t0=$SECONDS
c1=${cons[0]}
expect_eq "1023 endpoints in one netns, one datagram" \
	"$(lim_batch "$c1" "${IFI[$c1]}" 0 1023)" "made 1023"
expect_eq "the 1024th endpoint in the netns: accepted" \
	"$(lim_one "$c1" "${IFI[$c1]}" 1023)" "0 "
expect_eq "the 1025th endpoint in the netns: \"too many endpoints in this netns\"" \
	"$(lim_one "$c1" "${IFI[$c1]}" 1024)" "28 too many endpoints in this netns"
expect_eq "the netns has 1024 endpoints" "$(lim_count "$c1")" 1024
# Another device in the same netns counts against the same limit.
ip -n "$c1" link add pl1 up type plink
expect_eq "on a second device of the netns: \"too many endpoints in this netns\"" \
	"$(lim_one "$c1" "$(ip -n "$c1" -j link show pl1 | jq '.[0].ifindex')" 0)" \
	"28 too many endpoints in this netns"

bad=0
for ns in "${cons[@]:1:6}"; do
	r=$(lim_batch "$ns" "${IFI[$ns]}" 0 1024)
	[ "$r" = "made 1024" ] || { echo "$ns: $r"; bad=$((bad + 1)); }
done
c8=${cons[7]}
[ "$(lim_batch "$c8" "${IFI[$c8]}" 0 1023)" = "made 1023" ] ||
	bad=$((bad + 1))
expect_eq "8191 endpoints of the service in 8 netns" "$bad" 0
expect_eq "the 8192nd endpoint of the service: accepted" \
	"$(lim_one "$c8" "${IFI[$c8]}" 1023)" "0 "
c9=${cons[8]}
expect_eq "the 8193rd, from a ninth netns: \"too many endpoints for the service\"" \
	"$(lim_one "$c9" "${IFI[$c9]}" 0)" "28 too many endpoints for the service"
expect_eq "the service counts 8192 endpoints" \
	"$(plinkctl -n "$P" -j service show lim | jq '.[0].n_endpoints')" 8192
expect_eq "the ninth netns has none" "$(lim_count "$c9")" 0
# Another service takes the ninth netns's endpoint: the limit is the
# service's.
plinkctl -n "$P" service add lim2 dev nlb0 addr 10.0.0.102 listener tcp:80 \
	acceptance auto allow '*'
expect_ok "an endpoint of another service from the ninth netns: accepted" \
	plinkctl -n "$c9" endpoint add lim2 dev pl0 addr 10.1.0.1
echo "8192 endpoints: $((SECONDS - t0)) s"

# One endpoint gone, one fits again.
id=$(plinkctl -n "$c8" -j endpoint show | jq -r '.[0].id')
plinkctl -n "$c8" endpoint del "$id"
expect_eq "after one endpoint del, the 8192nd fits again" \
	"$(lim_one "$c9" "${IFI[$c9]}" 1)" "0 "

for ns in "${cons[@]}"; do
	echo "netns delete $ns"
done | ip -batch -
for ns in "${cons[@]}"; do
	remove_ns_list "$ns"
done
slowwait 120 bash -c "[ \$(plinkctl -n $P -j service show lim | jq '.[0].n_endpoints') = 0 ]" >/dev/null
expect_eq "deleting the consumer netns removed all 8192" \
	"$(plinkctl -n "$P" -j service show lim | jq '.[0].n_endpoints')" 0

exit "$EXIT_STATUS"
