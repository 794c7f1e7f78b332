#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The global flow table's bound: plink loaded with max_flows=3 refuses a
# fourth flow of any service (TCP with a RST, UDP dropped), counts it as
# drop_table_full, and takes new flows once a flush frees the table.  The
# per-service max-flows ceiling through netlink: 1-4194304, and never above
# the global table.

source "$(dirname "$0")/lib/datapath.sh"
setup_ns P C1 || exit $ksft_fail

[ -d /sys/module/plink ] && rmmod plink
expect_ok "load plink with max_flows=3 flow_buckets=16" \
	insmod "$PLINK_KO" max_flows=3 flow_buckets=16
expect_eq "the parameters read back" \
	"$(cat /sys/module/plink/parameters/max_flows)/$(cat /sys/module/plink/parameters/flow_buckets)" 3/16

dp_provider "$P"
dp_target "$P" t1 10.0.0.1
# Two services: the bound is the table's, not a service's nor an
# endpoint's (whose share, a quarter of max-flows by default, is raised).
plinkctl -n "$P" service add ftab1 dev nlb0 addr 10.0.0.200 \
	listener tcp:80:8080 listener udp:53:5353 acceptance auto allow '*' \
	endpoint-max-flows 3
plinkctl -n "$P" service add ftab2 dev nlb0 addr 10.0.0.201 \
	listener tcp:80:8080 listener udp:53:5353 acceptance auto allow '*' \
	endpoint-max-flows 3
plinkctl -n "$P" target add ftab1 10.0.0.1
plinkctl -n "$P" target add ftab2 10.0.0.1
dp_consumer "$C1"
ID1=$(plinkctl -n "$C1" endpoint add ftab1 dev pl0 addr 10.0.0.100)
plinkctl -n "$C1" endpoint add ftab2 dev pl0 addr 10.0.0.101 >/dev/null

expect_eq "three UDP flows over two services are answered" \
	"$(dp_udp "$C1" 10.0.0.100 53 sourceport=40001 | cut -d' ' -f1)$(dp_udp "$C1" 10.0.0.100 53 sourceport=40002 | cut -d' ' -f1)$(dp_udp "$C1" 10.0.0.101 53 sourceport=40003 | cut -d' ' -f1)" \
	t1t1t1
expect_eq "the table holds 3 flows" "$(plinkctl -n "$P" -j flow show | jq length)" 3
tf0=$(dp_stat "$P" service ftab2 drop_table_full)
expect_eq "full: a fourth UDP flow gets no answer" \
	"$(DP_UDP_WAIT=2 dp_udp "$C1" 10.0.0.101 53 sourceport=40004)" ""
tf1=$(dp_stat "$P" service ftab2 drop_table_full)
expect_eq "stats: drop_table_full counts its datagram" "$((tf1 - tf0))" 1
DP_CONNECT_TIMEOUT=10 dp_get "$C1" 10.0.0.101 80 >/dev/null
expect_match "full: a TCP connection is refused with a RST" \
	"$(cat "$DP_TMP/get.err")" 'Connection refused'
expect_eq "stats: drop_table_full counts its SYN" \
	"$(($(dp_stat "$P" service ftab2 drop_table_full) - tf1))" 1
expect_match "full: an existing flow still works" \
	"$(dp_udp "$C1" 10.0.0.100 53 sourceport=40001)" '^t1 '
expect_ok "flow flush" plinkctl -n "$C1" flow flush endpoint "$ID1"
# The flushed flows leave the count after a grace period: poll for it.
for ((i = 0; i < 20; i++)); do
	l=$(dp_get "$C1" 10.0.0.101 80)
	[ -n "$l" ] && break
	sleep 0.5
done
expect_match "after the flush, a new TCP flow passes" "$l" '^t1 10\.0\.0\.201 '

# The per-service ceiling.
expect_fail "service max-flows 4194305 is refused, with the range" '\(1-4194304\)' \
	plinkctl -n "$P" service set ftab1 max-flows 4194305
expect_fail "service max-flows 0 is refused, with the range" '\(1-4194304\)' \
	plinkctl -n "$P" service set ftab1 max-flows 0
expect_fail "service max-flows 4, above the global table, is refused" \
	"max-flows is above the global flow table" \
	plinkctl -n "$P" service set ftab1 max-flows 4
expect_ok "service max-flows 3, the global table, is accepted" \
	plinkctl -n "$P" service set ftab1 max-flows 3
expect_eq "service show: max_flows 3" \
	"$(plinkctl -n "$P" -j service show ftab1 | jq '.[0].max_flows')" 3

# Back to the defaults for the tests that follow.
dp_cleanup
trap - EXIT
rmmod plink
insmod "$PLINK_KO"
exit "$EXIT_STATUS"
