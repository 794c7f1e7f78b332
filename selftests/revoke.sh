#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Revocation that takes effect at once, and per-endpoint marks.  A provider
# that rejects an available endpoint, or removes the principal an endpoint
# was created under, and a consumer that narrows its security group: the
# live flows no longer allowed are reset on both sides in the same request
# (the TCP client sees a RST at once, not after the idle timeout; UDP flows
# go), and the reply and the endpoint event say how many; "revoke keep"
# keeps them.  A provider's mark on an endpoint: an nftables rule in the
# provider's netns drops that endpoint's traffic by "meta mark", and only
# that consumer is refused; the consumer can neither set nor see the mark.

source "$(dirname "$0")/lib/datapath.sh"
require_plink
# nftables, from the initramfs (not loaded at boot).
if [ ! -d /sys/module/nf_tables ] && [ -e /lib/modules/nft/order ]; then
	while read -r m; do
		[ -d "/sys/module/$m" ] || insmod "/lib/modules/nft/$m.ko"
	done </lib/modules/nft/order
fi
setup_ns P C1 C2 || exit $ksft_fail
DP_CONNECT_TIMEOUT=2

dp_provider "$P"
dp_target "$P" t1 10.0.0.1
plinkctl -n "$P" service add rvweb dev nlb0 addr 10.0.0.200 \
	listener tcp:80:8080 listener udp:53:5353 acceptance auto allow uid:0
plinkctl -n "$P" target add rvweb 10.0.0.1
dp_consumer "$C1" 10.0.0.6/24
dp_consumer "$C2"
plinkctl -n "$C1" -j monitor endpoint >"$DP_TMP/mon" 2>&1 &
MON=$!

# rv_flows NS ID: the endpoint's flows in the table.
rv_flows()
{
	plinkctl -n "$1" -j flow show endpoint "$2" | jq length
}

# rv_state NS ID: the endpoint's state.
rv_state()
{
	plinkctl -n "$1" -j endpoint show "$2" | jq -r '.[0].state'
}

# rv_live NAME ADDR: a TCP session NAME (its first line in $DP_LINE) and a
# UDP flow to the endpoint address ADDR, from C1.
rv_live()
{
	dp_sess_open "$1" "$C1" "$2" 80
	dp_udp "$C1" "$2" 53 >/dev/null
}

# --- reject -------------------------------------------------------------------

E1=$(plinkctl -n "$C1" endpoint add rvweb dev pl0 addr 10.0.0.100)
rv_live s1 10.0.0.100
expect_match "reject: a live TCP session" "$DP_LINE" '^t1 10\.0\.0\.200 '
n=$(rv_flows "$C1" "$E1")
expect_gt "reject: TCP and UDP flows in the table" "$n" 1
t0=$SECONDS
out=$(plinkctl -n "$P" -j endpoint reject "$E1")
expect_eq "reject: the reply counts the flows reset" \
	"$(jq -r .revoked <<<"$out")" "$n"
dp_sess_reset s1 3
RET=$?
retmsg="the client was not reset: $(cat "$DP_TMP/s-s1.err")"
log_test "reject: the TCP client is reset at once ($((SECONDS - t0)) s)"
expect_eq "reject: no flow of the endpoint is left (UDP too)" \
	"$(rv_flows "$P" "$E1")" 0
slowwait 5 grep -q "\"$E1\".*\"revoked\":$n" "$DP_TMP/mon"
expect_match "reject: the consumer's endpoint event counts them" \
	"$(grep "\"$E1\"" "$DP_TMP/mon" | grep -o '"revoked":[0-9]*')" \
	"^\"revoked\":$n\$"
dp_sess_close s1

# --- principal removed ----------------------------------------------------------

E2=$(plinkctl -n "$C1" endpoint add rvweb dev pl0 addr 10.0.0.101)
rv_live s2 10.0.0.101
expect_match "principal: a live TCP session" "$DP_LINE" '^t1 10\.0\.0\.200 '
n=$(rv_flows "$C1" "$E2")
t0=$SECONDS
out=$(plinkctl -n "$P" -j service set rvweb allow uid:1000)
expect_eq "principal removed: the reply counts the flows reset ($n)" \
	"$(jq -r .revoked <<<"$out")" "$n"
dp_sess_reset s2 3
RET=$?
retmsg="the client was not reset: $(cat "$DP_TMP/s-s2.err")"
log_test "principal removed: the TCP client is reset at once ($((SECONDS - t0)) s)"
expect_eq "principal removed: the endpoint is rejected, no flow left" \
	"$(rv_state "$C1" "$E2") $(rv_flows "$P" "$E2")" "rejected 0"
dp_sess_close s2

# --- revoke keep ------------------------------------------------------------------

plinkctl -n "$P" service set rvweb allow uid:0 revoke keep
expect_match "revoke keep: shown" \
	"$(plinkctl -n "$P" -j service show rvweb | jq -r '.[0].revoke')" '^keep$'
E3=$(plinkctl -n "$C1" endpoint add rvweb dev pl0 addr 10.0.0.102)
rv_live s3 10.0.0.102
out=$(plinkctl -n "$P" service set rvweb allow uid:1000)
expect_eq "revoke keep: removing the principal resets nothing" "$out" ""
expect_match "revoke keep: the session goes on" "$(dp_sess_say s3 hello)" \
	'^t1 hello$'
expect_eq "revoke keep: the endpoint stays available" \
	"$(rv_state "$C1" "$E3")" available
dp_sess_close s3
plinkctl -n "$P" service set rvweb allow uid:0 revoke reset

# --- security group narrowed ------------------------------------------------------

rv_live s4 10.0.0.102
dp_sess_open s5 "$C1" 10.0.0.102 80 bind=10.0.0.6
expect_match "security group: a session from 10.0.0.6 too" "$DP_LINE" \
	'^t1 10\.0\.0\.200 '
expect_fail "security group: the provider cannot change it" \
	"only the endpoint's consumer" \
	plinkctl -n "$P" endpoint set "$E3" allow all
out=$(plinkctl -n "$C1" -j endpoint set "$E3" allow 10.0.0.6/32)
# s4's TCP flow, the UDP flow and what dp_get left from 10.0.0.5.
expect_gt "security group narrowed: the reply counts the flows reset" \
	"$(jq -r .revoked <<<"$out")" 1
dp_sess_reset s4 3
RET=$?
retmsg="the client was not reset: $(cat "$DP_TMP/s-s4.err")"
log_test "security group narrowed: 10.0.0.5's client is reset at once"
expect_match "security group narrowed: 10.0.0.6's session goes on" \
	"$(dp_sess_say s5 still)" '^t1 still$'
plinkctl -n "$P" service set rvweb revoke keep
out=$(plinkctl -n "$C1" endpoint set "$E3" allow 10.0.0.5/32)
expect_eq "security group narrowed, revoke keep: nothing reset" "$out" ""
expect_match "revoke keep: 10.0.0.6's session still goes on" \
	"$(dp_sess_say s5 kept)" '^t1 kept$'
dp_sess_close s4
dp_sess_close s5
plinkctl -n "$C1" endpoint set "$E3" allow all
kill "$MON"

# --- marks ---------------------------------------------------------------------------

E4=$(plinkctl -n "$C2" endpoint add rvweb dev pl0 addr 10.0.0.100)
expect_fail "mark: the consumer cannot set it" "only the endpoint's provider" \
	plinkctl -n "$C2" endpoint set "$E4" mark 7
expect_ok "mark: the provider sets it" \
	plinkctl -n "$P" endpoint set "$E4" mark 42
expect_eq "mark: the provider sees it, the consumer does not" \
	"$(plinkctl -n "$P" -j endpoint show "$E4" | jq -c '.[0].mark') $(plinkctl -n "$C2" -j endpoint show "$E4" | jq -c '.[0].mark')" \
	"42 null"
expect_match "mark: saved on the provider's side" \
	"$(plinkctl -n "$P" save)" "^endpoint set $E4 mark 42\$"
ip netns exec "$P" nft -f - <<-EOF
	table inet rv {
		chain pre {
			type filter hook prerouting priority 0;
			meta mark 42 counter drop
		}
	}
EOF
expect_eq "mark: nftables drops the marked consumer's connection" \
	"$(dp_get "$C2" 10.0.0.100 80)" ""
expect_match "mark: another consumer is served" \
	"$(dp_get "$C1" 10.0.0.102 80)" '^t1 10\.0\.0\.200 '
expect_gt "mark: the nftables rule counted the marked packets" \
	"$(ip netns exec "$P" nft -j list chain inet rv pre |
	   jq '[.nftables[].rule? // empty | .expr[] | .counter? // empty | .packets] | add')" 0
plinkctl -n "$P" endpoint set "$E4" mark 0
expect_match "mark 0: the consumer is served again" \
	"$(dp_get "$C2" 10.0.0.100 80)" '^t1 10\.0\.0\.200 '

exit "$EXIT_STATUS"
