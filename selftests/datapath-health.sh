#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Target health and the service's balancing knobs, over TCP and UDP, IPv4
# and IPv6: maglev-size through netlink; a draining target takes no new
# flow while its flows go on; fail-open sends new flows to targets that are
# not healthy (never to a draining one); reset-unhealthy resets a session
# at once.  UDP flows: spread, stickiness, the deregistration delay, flush,
# reject and max-flows.  An IPv6 session is reset by a flush.

source "$(dirname "$0")/lib/datapath.sh"
require_plink
setup_ns P C1 || exit $ksft_fail

M=30		# connections per round: a target left out by chance is
		# (2/3)^30, once in 190 000 runs

dp_provider "$P"
for i in 1 2 3; do
	dp_target "$P" "t$i" "10.0.0.$i"
	dp_target "$P" "t$i" "fd00::$i"
done
plinkctl -n "$P" service add webh dev nlb0 addr 10.0.0.200 addr fd00::200 \
	listener tcp:80:8080 listener udp:53:5353 acceptance auto allow '*' \
	deregistration-delay 0
for i in 1 2 3; do
	plinkctl -n "$P" target add webh "10.0.0.$i"
	plinkctl -n "$P" target add webh "fd00::$i"
done
dp_consumer "$C1"
ID=$(plinkctl -n "$C1" endpoint add webh dev pl0 addr 10.0.0.100 addr fd00::100)

# rnd NAME ADDR: $M connections from C1 to ADDR:80, one after the other; the
# names that answered in $DP_TMP/NAME.
rnd()
{
	dp_loop "$C1" "$2" "$M" >"$DP_TMP/$1"
}

# counts NAME: "t1/t2/t3/fail/total" of a round.
counts()
{
	local t out=
	for t in t1 t2 t3 fail; do
		out+="$(dp_count "$t" <"$DP_TMP/$1")/"
	done
	echo "$out$(wc -l <"$DP_TMP/$1")"
}

# all_three COUNTS: "yes" when each target answered in COUNTS (of counts).
all_three()
{
	IFS=/ read -r a b c _ <<<"$1"
	((a > 0 && b > 0 && c > 0)) && echo yes || echo no
}

# --- maglev-size --------------------------------------------------------------

expect_fail "maglev-size 250 is refused by the kernel" \
	"Maglev table size must be a prime from 251 to 65537" \
	plinkctl -n "$P" service set webh maglev-size 250
expect_fail "maglev-size 65539 (prime, too large) is refused" \
	"Maglev table size must be a prime from 251 to 65537" \
	plinkctl -n "$P" service set webh maglev-size 65539
expect_eq "the refused sizes left the default" \
	"$(plinkctl -n "$P" -j service show webh | jq '.[0].maglev_size')" 16381
expect_ok "maglev-size 251 is accepted" plinkctl -n "$P" service set webh maglev-size 251
expect_eq "service show: maglev_size 251" \
	"$(plinkctl -n "$P" -j service show webh | jq '.[0].maglev_size')" 251
rnd m4 10.0.0.100
c=$(counts m4)
expect_eq "TCP/IPv4, table of 251: all $M answered, by each target ($c)" \
	"$(cut -d/ -f4,5 <<<"$c")/$(all_three "$c")" "0/$M/yes"
rnd m6 fd00::100
c=$(counts m6)
expect_eq "TCP/IPv6, table of 251: all $M answered, by each target ($c)" \
	"$(cut -d/ -f4,5 <<<"$c")/$(all_three "$c")" "0/$M/yes"

# --- draining -----------------------------------------------------------------

dp_sess_open s1 "$C1" 10.0.0.100 80
read -r st _ <<<"$DP_LINE"
sa=10.0.0.${st#t}
expect_match "a session opens" "$st" '^t[123]$'
plinkctl -n "$P" target set webh "$sa" health draining
expect_eq "health draining: target show says so" \
	"$(plinkctl -n "$P" -j target show webh | jq -r --arg a "$sa" '.[] | select(.target_addr == $a) | .health')" \
	draining
expect_eq "health draining: the session on $st goes on" "$(dp_sess_say s1 on)" "$st on"
rnd dr 10.0.0.100
c=$(counts dr)
expect_eq "health draining: $st takes none of $M new flows ($c)" \
	"$(dp_count "$st" <"$DP_TMP/dr")/$(cut -d/ -f4,5 <<<"$c")" "0/0/$M"
plinkctl -n "$P" target set webh "$sa" health healthy

# --- reset-unhealthy ------------------------------------------------------------

plinkctl -n "$P" service set webh reset-unhealthy on
plinkctl -n "$P" target set webh "$sa" health unhealthy
RET=0; retmsg=
if ! dp_sess_reset s1 10; then
	RET=$ksft_fail
	retmsg="no reset; the client $(dp_sess_alive s1 && echo still runs || echo ended): $(cat "$DP_TMP/s-s1.err")"
fi
log_test "reset-unhealthy: the idle session on the unhealthy target is reset at once"
dp_sess_close s1
plinkctl -n "$P" service set webh reset-unhealthy off
plinkctl -n "$P" target set webh "$sa" health healthy

# --- fail-open ------------------------------------------------------------------

for i in 1 2; do
	plinkctl -n "$P" target set webh "10.0.0.$i" health unhealthy
	plinkctl -n "$P" target set webh "fd00::$i" health unhealthy
done
plinkctl -n "$P" target set webh 10.0.0.3 health draining
plinkctl -n "$P" target set webh fd00::3 health draining
DP_CONNECT_TIMEOUT=10 dp_get "$C1" 10.0.0.100 80 >/dev/null
expect_match "no healthy target, fail-open off: TCP is refused" \
	"$(cat "$DP_TMP/get.err")" 'Connection refused'
expect_ok "service set fail-open on" plinkctl -n "$P" service set webh fail-open on
expect_eq "service show: fail_open true" \
	"$(plinkctl -n "$P" -j service show webh | jq '.[0].fail_open')" true
rnd fo4 10.0.0.100
c=$(counts fo4)
expect_eq "fail-open, IPv4: the unhealthy t1 and t2 take all $M, the draining t3 none ($c)" \
	"$(cut -d/ -f3,4,5 <<<"$c")/$(IFS=/ read -r a b _ <<<"$c"; ((a > 0 && b > 0)) && echo both)" \
	"0/0/$M/both"
rnd fo6 fd00::100
c=$(counts fo6)
expect_eq "fail-open, IPv6: t1 and t2 take all $M, t3 none ($c)" \
	"$(cut -d/ -f3,4,5 <<<"$c")" "0/0/$M"
expect_match "fail-open, UDP: answered by an unhealthy target" \
	"$(dp_udp "$C1" 10.0.0.100 53)" '^t[12] 10\.0\.0\.200 '
plinkctl -n "$P" service set webh fail-open off
for i in 1 2 3; do
	plinkctl -n "$P" target set webh "10.0.0.$i" health healthy
	plinkctl -n "$P" target set webh "fd00::$i" health healthy
done

# --- UDP ------------------------------------------------------------------------

dp_udp_many "$C1" 10.0.0.100 53 "$M" >"$DP_TMP/udp"
c=$(counts udp)
expect_eq "UDP: $M datagrams from $M source ports, all answered, by each target ($c)" \
	"$(cut -d/ -f4,5 <<<"$c")/$(all_three "$c")" "0/$M/yes"
if [ "$(dp_count fail <"$DP_TMP/udp")" != 0 ]; then
	echo "# lines: $(tr '\n' ' ' <"$DP_TMP/udp"); stats: $(plinkctl -n "$P" -j stats service webh | jq -c '.services[0].stats')"
	for ns in "$C1" "$P"; do
		echo "# ${ns%%-*}: $(ip netns exec "$ns" grep '^Udp:' /proc/net/snmp | tr '\n' ' ')"
	done
fi
u=$(dp_udp "$C1" 10.0.0.100 53 sourceport=40001 | cut -d' ' -f1)
expect_eq "UDP: one source port keeps its target" \
	"$(dp_udp "$C1" 10.0.0.100 53 sourceport=40001 | cut -d' ' -f1)/$(dp_udp "$C1" 10.0.0.100 53 sourceport=40001 | cut -d' ' -f1)" \
	"$u/$u"
expect_eq "flow show: the UDP flow, from port 40001" \
	"$(plinkctl -n "$C1" -j flow show endpoint "$ID" | jq -c '[.[] | select(.client_port == 40001) | .state]')" \
	'["udp"]'

# The deregistration delay: the UDP flow drains to its deleted target.
ua=10.0.0.${u#t}
plinkctl -n "$P" service set webh deregistration-delay 60
plinkctl -n "$P" target del webh "$ua"
expect_eq "UDP: the flow to the deleted target $u goes on during the delay" \
	"$(dp_udp "$C1" 10.0.0.100 53 sourceport=40001 | cut -d' ' -f1)" "$u"
dp_udp_many "$C1" 10.0.0.100 53 10 >"$DP_TMP/udpdel"
expect_eq "UDP: new flows avoid $u, all 10 answered" \
	"$(dp_count "$u" <"$DP_TMP/udpdel")/$(grep -c '^t[123]$' "$DP_TMP/udpdel")" 0/10

# Flush: the flow goes, the next datagram opens a new one.
expect_ok "flow flush endpoint (UDP flows)" plinkctl -n "$C1" flow flush endpoint "$ID"
expect_eq "the UDP flows are gone" \
	"$(plinkctl -n "$C1" -j flow show endpoint "$ID" | jq length)" 0
expect_match "after the flush, port 40001 gets a new flow, not to $u" \
	"$(dp_udp "$C1" 10.0.0.100 53 sourceport=40001 | cut -d' ' -f1)/$(plinkctl -n "$C1" -j flow show endpoint "$ID" | jq '[.[] | select(.client_port == 40001)] | length')" \
	"^t[$(tr -d "${u#t}" <<<123)]/1\$"
plinkctl -n "$P" service set webh deregistration-delay 0
plinkctl -n "$P" target add webh "$ua"

# max-flows: the third UDP flow is refused and counted (one endpoint: its
# share, endpoint-max-flows, is raised to the whole service's).
plinkctl -n "$P" flow flush service webh
plinkctl -n "$P" service set webh max-flows 2 endpoint-max-flows 2
tf0=$(dp_stat "$P" service webh drop_table_full)
expect_eq "max-flows 2: two UDP flows are answered" \
	"$(dp_udp "$C1" 10.0.0.100 53 sourceport=40011 | cut -c1)$(dp_udp "$C1" fd00::100 53 sourceport=40012 | cut -c1)" tt
expect_eq "max-flows 2: a third gets no answer" \
	"$(DP_UDP_WAIT=2 dp_udp "$C1" 10.0.0.100 53 sourceport=40013)" ""
expect_eq "stats: drop_table_full counts its datagram" \
	"$(($(dp_stat "$P" service webh drop_table_full) - tf0))" 1
expect_match "max-flows 2: the first flow still works" \
	"$(dp_udp "$C1" 10.0.0.100 53 sourceport=40011)" '^t[123] '
plinkctl -n "$P" flow flush service webh
plinkctl -n "$P" service set webh max-flows 65536 endpoint-max-flows 0

# --- an IPv6 session through flush ------------------------------------------------

dp_sess_open s6 "$C1" fd00::100 80
expect_match "an IPv6 session opens" "$DP_LINE" '^t[123] '
expect_ok "flow flush endpoint (IPv6 session)" plinkctl -n "$C1" flow flush endpoint "$ID"
RET=0; retmsg=
if ! dp_sess_reset s6 10; then
	RET=$ksft_fail
	retmsg="no reset; the client $(dp_sess_alive s6 && echo still runs || echo ended): $(cat "$DP_TMP/s-s6.err")"
fi
log_test "flush resets the idle IPv6 session"
dp_sess_close s6

# Last: a rejected endpoint cannot be accepted again.
# Reject: the endpoint's live UDP flow stops, its datagram counted.
expect_match "UDP flow before the rejection" \
	"$(dp_udp "$C1" 10.0.0.100 53 sourceport=40021)" '^t[123] '
st0=$(dp_stat "$C1" endpoint "$ID" drop_state)
expect_ok "the provider rejects the available endpoint" plinkctl -n "$P" endpoint reject "$ID"
expect_eq "rejected: the same UDP flow gets no answer" \
	"$(DP_UDP_WAIT=2 dp_udp "$C1" 10.0.0.100 53 sourceport=40021)" ""
expect_eq "rejected: drop_state counts its datagram" \
	"$(($(dp_stat "$C1" endpoint "$ID" drop_state) - st0))" 1

exit "$EXIT_STATUS"
