#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Health checks (issue 12), with real servers in the provider's netns:
# a TCP check finds a killed target (unhealthy, connection-refused) within
# interval x unhealthy-threshold + timeout, the others serve every request,
# and the restarted target comes back; an HTTP check against busybox httpd
# (404) and a server that answers 500 marks them response-code-mismatch
# until the match list takes them; passive health marks a target whose
# port is closed unhealthy after N refused SYNs, with no active check due;
# target-ntf events reach "plinkctl -j monitor"; 1000 targets at interval
# 5 s are each checked on time (the CPU it costs is in the test's name); a
# tenant's probes stay within its rate; and a deleted service, NLB device,
# check or netns leaves no probe socket behind.  On the debug kernel only
# the last part runs.

source "$(dirname "$0")/lib/datapath.sh"
require_plink
LIBDIR=$(cd "$(dirname "$0")/lib" && pwd)
PARAMS=/sys/module/plink/parameters

# health NS SERVICE ADDR: "HEALTH/REASON" of a target.
health()
{
	plinkctl -n "$1" -j target show "$2" "$3" |
		jq -r '.[0].health + "/" + .[0].reason'
}

# health_is NS SERVICE ADDR WANT: the target's "HEALTH/REASON" is WANT.
health_is()
{
	[ "$(health "$1" "$2" "$3")" = "$4" ]
}

# serve NS NAME ADDR PORT: a TCP server on ADDR:PORT that sends NAME; its
# pid in SRV[NAME].
declare -A SRV
serve()
{
	ip netns exec "$1" socat "TCP4-LISTEN:$4,bind=$3,reuseaddr,fork" \
		SYSTEM:"echo $2" </dev/null >/dev/null 2>&1 &
	SRV[$2]=$!
	dp_wait_listen "$1" "$4" "$3"
}

# probes NS ADDR: probe sockets (any TCP socket) to ADDR:8080 in NS.
probes()
{
	ip netns exec "$1" netstat -tn 2>/dev/null | grep -c " $2:8080 "
}

# no_probes NS ADDR: none left.
no_probes()
{
	[ "$(probes "$1" "$2")" = 0 ]
}

# some_probe NS ADDR: one in flight.
some_probe()
{
	[ "$(probes "$1" "$2")" != 0 ]
}

# checks NS SERVICE: the checks of all the service's targets, summed.
checks()
{
	plinkctl -n "$1" -j stats service "$2" |
		jq '[.services[0].targets[].stats.checks] | add // 0'
}

# cpu_busy: the busy and total jiffies of all CPUs (/proc/stat).
cpu_busy()
{
	local _ user nice sys idle iowait irq softirq
	read -r _ user nice sys idle iowait irq softirq _ </proc/stat
	echo "$((user + nice + sys + irq + softirq)) $((user + nice + sys + idle + iowait + irq + softirq))"
}

# --- teardown: probes go with the service, the device, the check, the netns --

setup_ns T || exit $ksft_fail
td_setup()
{
	ip -n "$T" link add nlbx type plink 2>/dev/null
	ip -n "$T" link set nlbx up
	plinkctl -n "$T" service add td dev nlbx addr 10.0.0.200 \
		listener tcp:80:8080 acceptance auto allow '*' >/dev/null
	# Nothing has 10.0.0.77: the probe's SYN goes into the dummy and
	# the probe waits (timeout 8 s).
	plinkctl -n "$T" target add td 10.0.0.77
	plinkctl -n "$T" service set td health-check tcp interval 10 timeout 8
	slowwait 10 some_probe "$T" 10.0.0.77
}
ip -n "$T" link add tg0 type dummy
ip -n "$T" link set tg0 up
ip -n "$T" addr add 10.0.0.1/24 dev tg0

td_setup
expect_eq "teardown: a probe to an address that does not answer is in flight" \
	"$(probes "$T" 10.0.0.77)" 1
plinkctl -n "$T" service del td
busywait 2000 no_probes "$T" 10.0.0.77
expect_eq "teardown: service del closes its probe at once" \
	"$(probes "$T" 10.0.0.77)" 0

td_setup
# The debug kernel runs the short version: service, device and netns.
if ! dp_debug; then
	plinkctl -n "$T" service set td health-check off
	busywait 2000 no_probes "$T" 10.0.0.77
	expect_eq "teardown: health-check off closes the probe at once" \
		"$(probes "$T" 10.0.0.77)" 0
	expect_eq "teardown: health-check off: the target shows unused again" \
		"$(health "$T" td 10.0.0.77)" unused/no-health-check
	plinkctl -n "$T" service set td health-check tcp interval 10 timeout 8
	slowwait 10 some_probe "$T" 10.0.0.77
fi
ip -n "$T" link del nlbx
busywait 2000 no_probes "$T" 10.0.0.77
expect_eq "teardown: deleting the NLB device closes the probe at once" \
	"$(probes "$T" 10.0.0.77)" 0

td_setup
if ! dp_debug; then
	plinkctl -n "$T" target set td 10.0.0.77 weight 0
	busywait 2000 no_probes "$T" 10.0.0.77
	expect_eq "teardown: a target of weight 0 is not checked" \
		"$(probes "$T" 10.0.0.77)" 0
	plinkctl -n "$T" target set td 10.0.0.77 weight 1
	slowwait 10 some_probe "$T" 10.0.0.77
fi
ip netns del "$T"
setup_ns C0 || exit $ksft_fail
# The netns goes asynchronously; its service (and its probe) with it.
slowwait 20 bash -c "! plinkctl -n $C0 service show td >/dev/null 2>&1"
expect_fail "teardown: the netns's exit took the service with its probe" \
	"no such service" plinkctl -n "$C0" service show td

if dp_debug; then
	exit "$EXIT_STATUS"
fi

# --- the services, and the tenant in the background -----------------------------
#
# The parts wait for checks at interval 5 s: they run side by side, each
# checked when the TCP part's waits have given it time.

setup_ns P C1 || exit $ksft_fail
plinkctl -n "$P" -j monitor target >"$DP_TMP/mon" 2>&1 &
MON=$!
dp_provider "$P"
dp_consumer "$C1"

# A tenant (uid 1000, its own user and net namespaces) with six targets at
# interval 5 s, at a rate of 1 probe a second: the sixth's first probe
# waits 5 s.  Its netns goes when its shell ends.
as_user() { local u=$1; shift; setpriv --reuid "$u" --regid "$u" --clear-groups "$@"; }
echo 1 >"$PARAMS/owner_max_probes"
as_user 1000 unshare -Urn bash -c "
	source $LIBDIR/lib.sh
	ip link set lo up
	ip link add nlb0 type plink && ip link set nlb0 up
	ip route add local 10.1.0.0/24 dev lo
	plinkctl service add ten dev nlb0 addr 10.0.0.200 listener tcp:80:8080
	for i in 1 2 3 4 5 6; do plinkctl target add ten 10.1.0.\$i; done
	plinkctl service set ten health-check tcp interval 5 timeout 2
	t0=\$SECONDS
	slowwait 20 bash -c '[ \$(plinkctl -j stats service ten | jq \"[.services[0].targets[].stats.checks] | min\") -ge 1 ]'
	echo \$((SECONDS - t0)) \$(plinkctl -j limits show | jq -c '.[0].probes') \
		\$(plinkctl -j stats service ten | jq -c '[.services[0].targets[].stats.checks]')
" >"$DP_TMP/tenant" 2>&1 &
TENANT=$!

# TCP: t1-t3 answer on 8080.
for i in 1 2 3; do
	ip -n "$P" addr add "10.0.0.$i/24" dev tg0
	serve "$P" "t$i" "10.0.0.$i" 8080
done
plinkctl -n "$P" service add hc dev nlb0 addr 10.0.0.200 \
	listener tcp:80:8080 acceptance auto allow '*' \
	health-check tcp interval 5 timeout 2 healthy-threshold 2 \
	unhealthy-threshold 2
for i in 1 2 3; do
	plinkctl -n "$P" target add hc "10.0.0.$i"
done
t0=$SECONDS
expect_eq "a new target starts initial, initial-checking" \
	"$(health "$P" hc 10.0.0.3)" initial/initial-checking
plinkctl -n "$C1" endpoint add hc dev pl0 addr 10.0.0.100 >/dev/null

# HTTP: busybox httpd on t4 (404 for /missing), a server that answers 500
# on t7.
mkdir -p "$DP_TMP/www"
echo t4 >"$DP_TMP/www/index.html"
printf 'printf "HTTP/1.1 500 Oops\\r\\nContent-Length: 0\\r\\n\\r\\n"\n' >"$DP_TMP/500.sh"
ip -n "$P" addr add 10.0.0.4/24 dev tg0
ip -n "$P" addr add 10.0.0.7/24 dev tg0
ip netns exec "$P" busybox httpd -f -p 10.0.0.4:8081 -h "$DP_TMP/www" \
	</dev/null >/dev/null 2>&1 &
ip netns exec "$P" socat TCP4-LISTEN:8081,bind=10.0.0.7,reuseaddr,fork \
	EXEC:"sh $DP_TMP/500.sh" </dev/null >/dev/null 2>&1 &
dp_wait_listen "$P" 8081 10.0.0.4
dp_wait_listen "$P" 8081 10.0.0.7
plinkctl -n "$P" service add hh dev nlb0 addr 10.0.0.201 listener tcp:80:8081 \
	health-check http path /missing interval 5 timeout 2 \
	healthy-threshold 2 unhealthy-threshold 2
plinkctl -n "$P" target add hh 10.0.0.4
plinkctl -n "$P" target add hh 10.0.0.7

# --- TCP: a killed target ------------------------------------------------------

expect_eq "service show: the health check as set" \
	"$(plinkctl -n "$P" -j service show hc | jq -c '.[0].health_check')" \
	'{"type":"tcp","traffic_port":true,"interval":5,"timeout":2,"healthy_threshold":2,"unhealthy_threshold":2,"passive":false}'
for i in 1 2 3; do
	slowwait 15 health_is "$P" hc "10.0.0.$i" healthy/none
done
expect_eq "the three targets are healthy within 2 intervals ($((SECONDS - t0)) s)" \
	"$(plinkctl -n "$P" -j target show hc | jq '[.[] | select(.health == "healthy")] | length')" 3

kill "${SRV[t2]}"
wait "${SRV[t2]}" 2>/dev/null
t0=$SECONDS
slowwait 20 health_is "$P" hc 10.0.0.2 unhealthy/connection-refused
took=$((SECONDS - t0))
expect_eq "killed t2: unhealthy, connection-refused" \
	"$(health "$P" hc 10.0.0.2)" unhealthy/connection-refused
# interval x unhealthy-threshold + timeout, and a second of rounding.
expect_range "killed t2: unhealthy within 5 x 2 + 2 s ($took s)" "$took" 0 13
dp_loop "$C1" 10.0.0.100 12 >"$DP_TMP/after-kill"
expect_eq "killed t2 gets no new flow, t1 and t3 serve all 12 (t2/fail)" \
	"$(dp_count t2 <"$DP_TMP/after-kill")/$(dp_count fail <"$DP_TMP/after-kill")" 0/0

# --- HTTP: status codes and the match list -----------------------------------

slowwait 10 health_is "$P" hh 10.0.0.4 unhealthy/response-code-mismatch
slowwait 10 health_is "$P" hh 10.0.0.7 unhealthy/response-code-mismatch
expect_eq "HTTP: a path that answers 404: unhealthy, response-code-mismatch" \
	"$(health "$P" hh 10.0.0.4)" unhealthy/response-code-mismatch
expect_eq "HTTP: a server that answers 500: unhealthy, response-code-mismatch" \
	"$(health "$P" hh 10.0.0.7)" unhealthy/response-code-mismatch
expect_fail "HTTP: a path with a space is refused" "path" \
	plinkctl -n "$P" service set hh health-check http path "/a b"
expect_fail "HTTP: a malformed match list is refused" "match" \
	plinkctl -n "$P" service set hh health-check http match 200-
expect_fail "the timeout must be less than the interval" "less than" \
	plinkctl -n "$P" service set hh health-check http interval 5 timeout 5
expect_ok "HTTP: path / and match 200,500" \
	plinkctl -n "$P" service set hh health-check http path / match 200,500
expect_eq "service show: path and match" \
	"$(plinkctl -n "$P" -j service show hh | jq -r '.[0].health_check | .path + " " + .match')" \
	"/ 200,500"

# --- TCP: back, and a manual health ---------------------------------------------

serve "$P" t2 10.0.0.2 8080
expect_ok "manual health still works: t1 set unhealthy" \
	plinkctl -n "$P" target set hc 10.0.0.1 health unhealthy
expect_eq "manual health wins until the checks change it: unhealthy, manual" \
	"$(health "$P" hc 10.0.0.1)" unhealthy/manual
t0=$SECONDS
slowwait 20 health_is "$P" hc 10.0.0.2 healthy/none
expect_eq "restarted t2: healthy again after 2 passes ($((SECONDS - t0)) s)" \
	"$(health "$P" hc 10.0.0.2)" healthy/none
slowwait 20 health_is "$P" hc 10.0.0.1 healthy/none
expect_eq "and the passing checks make the manually unhealthy t1 healthy again" \
	"$(health "$P" hc 10.0.0.1)" healthy/none
expect_eq "monitor: target-ntf healthy -> unhealthy (connection-refused) for t2" \
	"$(jq -c 'select(.target_addr == "10.0.0.2" and .old_health == "healthy") | [.health, .reason]' "$DP_TMP/mon" | head -n 1)" \
	'["unhealthy","connection-refused"]'
expect_eq "monitor: and back, unhealthy -> healthy" \
	"$(jq -c 'select(.target_addr == "10.0.0.2" and .old_health == "unhealthy") | .health' "$DP_TMP/mon" | head -n 1)" \
	'"healthy"'
kill "$MON"
slowwait 15 health_is "$P" hh 10.0.0.4 healthy/none
slowwait 15 health_is "$P" hh 10.0.0.7 healthy/none
expect_eq "HTTP: both healthy with the new path and match list" \
	"$(health "$P" hh 10.0.0.4) $(health "$P" hh 10.0.0.7)" \
	"healthy/none healthy/none"

# --- passive: refused SYNs ------------------------------------------------------

ip -n "$P" addr add 10.0.0.8/24 dev tg0
serve "$P" t8 10.0.0.8 8080
# The active check (port 8080) passes; the traffic port 8082 is closed.
plinkctl -n "$P" service add pv dev nlb0 addr 10.0.0.202 listener tcp:80:8082 \
	acceptance auto allow '*' \
	health-check tcp port 8080 interval 300 timeout 10 unhealthy-threshold 3 \
	passive on
plinkctl -n "$P" target add pv 10.0.0.8
plinkctl -n "$C1" endpoint add pv dev pl0 addr 10.0.0.102 >/dev/null
slowwait 10 bash -c "[ \$(plinkctl -n $P -j stats service pv | jq '.services[0].targets[0].stats.checks') = 1 ]"
plinkctl -n "$P" target set pv 10.0.0.8 health healthy
dp_loop "$C1" 10.0.0.102 3 >"$DP_TMP/passive"
slowwait 10 health_is "$P" pv 10.0.0.8 unhealthy/failed-checks
expect_eq "passive: 3 refused SYNs make the target unhealthy, failed-checks" \
	"$(health "$P" pv 10.0.0.8)" unhealthy/failed-checks
expect_eq "passive: stats count the refused SYNs, and one active check only" \
	"$(plinkctl -n "$P" -j stats service pv | jq -c '.services[0].targets[0].stats | [.passive_syn_rst, .checks]')" \
	"[3,1]"

# --- the tenant's probes stayed within its rate ---------------------------------

wait "$TENANT"
echo 200 >"$PARAMS/owner_max_probes"
read -r took probes _ <"$DP_TMP/tenant"
expect_range "tenant at 1 probe/s: its 6 targets' first checks took 4-20 s ($(cat "$DP_TMP/tenant"))" \
	"$took" 4 20
expect_match "tenant: limits show its rate and the probes it put off" \
	"$probes" '^\{"limit":1,"limited":[1-9][0-9]*\}$'

# --- 1000 targets, interval 5 s -------------------------------------------------

# All of 10.1.0.0/22 is local: nothing listens on 8090, each probe is
# refused at once.
ip -n "$P" route add local 10.1.0.0/22 dev lo
plinkctl -n "$P" service add big dev nlb0 addr 10.0.0.203 listener tcp:80:8090
# One netlink socket for the 1000 (a plinkctl each takes minutes on TCG).
ip netns exec "$P" target-bulk big 10.1.0.1 1000
expect_eq "1000 targets added" \
	"$(plinkctl -n "$P" -j service show big | jq '.[0].n_targets')" 1000
# min_checks: the fewest checks of a target of big (dumps may be cut short
# while the targets' health changes: then none).
min_checks()
{
	plinkctl -n "$P" -j stats service big 2>/dev/null |
		jq '[.services[0].targets[].stats.checks] | min'
}

# min_checks_ge N: every target of big has had N checks.
min_checks_ge()
{
	local n

	n=$(min_checks)
	[[ "$n" =~ ^[0-9]+$ ]] && ((n >= $1))
}
# cpu_window SEC: the CPUs' busy share over SEC seconds of nothing else (a
# measurement, not a wait), in percent of all CPUs.
cpu_window()
{
	local b0 t0 b1 t1

	read -r b0 t0 < <(cpu_busy)
	read -r -t "$1" -u 9 9<> <(:)
	read -r b1 t1 < <(cpu_busy)
	echo $(((b1 - b0) * 100 / (t1 - t0 + 1)))
}
idle=$(cpu_window 3)
t0=$SECONDS
plinkctl -n "$P" service set big health-check tcp interval 5 timeout 2
# The first check at once, the second within the next interval, the third
# an interval later: every target has had 3 within 2 intervals.
slowwait 30 min_checks_ge 3
took=$((SECONDS - t0))
# What the checks cost: an interval of 1000 probes, 200 a second.
cpu=$(cpu_window 5)
slowwait 5 min_checks_ge 0
expect_range "1000 targets at interval 5 s: each checked 3 times in $took s; CPU ${cpu}% of the VM's (idle ${idle}%)" \
	"$(min_checks)" 3 5
expect_eq "1000 targets: all unhealthy (nothing listens on 8090)" \
	"$(plinkctl -n "$P" -j target show big | jq '[.[] | select(.health == "unhealthy")] | length')" 1000
plinkctl -n "$P" service del big

exit "$EXIT_STATUS"
