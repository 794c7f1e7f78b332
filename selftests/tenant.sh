#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A hostile tenant: uid 1000 in its own user and network namespace, as
# root of both, is a provider and a consumer there.  Its service names never
# block, shadow or capture the host's; a consumer names services as NAME,
# uid:N/NAME or plsvc-ID; nothing answers differently for a service, flow or
# listener port it may not see than for one that does not exist; and the
# kernel memory its requests allocate is charged to its memory cgroup.

source "$(dirname "$0")/lib/datapath.sh"
source "$(dirname "$0")/lib/ynl.sh"
require_plink
setup_ns P C || exit $ksft_fail

CGROOT=/sys/fs/cgroup
CG=$CGROOT/plink-tenant
TPID=

tenant_cleanup()
{
	[ -n "$TPID" ] && kill "$TPID" 2>/dev/null
	[ -d "$CG" ] && rmdir "$CG" 2>/dev/null
	dp_cleanup
}
trap tenant_cleanup EXIT

# The tenant's processes are charged to $CG: the memory of its requests too.
grep -q " $CGROOT cgroup2 " /proc/mounts ||
	mount -t cgroup2 none "$CGROOT" || exit $ksft_fail
grep -qw memory "$CGROOT/cgroup.controllers" || {
	echo "no memory controller in $CGROOT"
	exit $ksft_fail
}
echo +memory > "$CGROOT/cgroup.subtree_control" || exit $ksft_fail
mkdir -p "$CG" || exit $ksft_fail

# The tenant's namespaces live as long as this process.
setpriv --reuid 1000 --regid 1000 --clear-groups unshare -Urn sleep 100000 &
TPID=$!
if ! slowwait 10 bash -c \
	"[ \"\$(readlink /proc/$TPID/ns/net)\" != \"\$(readlink /proc/self/ns/net)\" ]"; then
	echo "the tenant's namespaces did not come up"
	exit $ksft_fail
fi

# tenant CMD: run CMD (bash) as the tenant, in its namespaces and cgroup.
tenant()
{
	bash -c 'echo $$ > "$0/cgroup.procs" &&
		 exec setpriv --reuid 1000 --regid 1000 --clear-groups \
			nsenter --preserve-credentials -t "$1" -U -n \
			bash -c "$2"' "$CG" "$TPID" "$1"
}
# outcome CMD...: what CMD printed and its exit status, on one line.
outcome()
{
	local out rc

	out=$("$@" 2>&1)
	rc=$?
	echo "$(tr '\n' ' ' <<<"$out")rc=$rc"
}
# memory.current of the tenant's cgroup, and the kernel's memory, in KiB.
cg_kib() { echo $(($(cat "$CG/memory.current") / 1024)); }
kmem_kib() { awk '/^(Slab|VmallocUsed|Percpu):/ { s += $2 } END { print s }' /proc/meminfo; }

expect_eq "setup: the tenant is uid 1000, root of its own namespaces" \
	"$(tenant 'id -u; cat /proc/self/uid_map' | tr -s ' \n' ' ')" "0 0 1000 1 "

# --- names are per owner ----------------------------------------------------

expect_ok "the tenant creates 'web' and 'db' first, open to everyone" tenant '
	ip link set lo up &&
	ip link add nlb0 type plink && ip link set nlb0 up &&
	plinkctl service add web dev nlb0 addr 10.9.0.1 listener tcp:80 \
		allow "*" acceptance auto &&
	plinkctl service add db dev nlb0 addr 10.9.0.2 listener tcp:5432 \
		allow "*" acceptance auto'

dp_provider "$P"
dp_target "$P" t1 10.0.0.1
expect_ok "the host's 'service add web' succeeds all the same" \
	plinkctl -n "$P" service add web dev nlb0 addr 10.0.0.200 \
		listener tcp:80:8080 listener udp:53:5353 allow '*' acceptance auto
plinkctl -n "$P" target add web 10.0.0.1
plinkctl -n "$P" service add secret dev nlb0 addr 10.0.0.201 listener tcp:80 \
	allow uid:0
expect_eq "each 'web' shows its owner, to its provider" \
	"$(plinkctl -n "$P" -j service show web | jq -c '[.[0].owner_uid, .[0].nlb_addrs]')/$(tenant 'plinkctl -j service show web' | jq -c '[.[0].owner_uid, .[0].nlb_addrs]')" \
	'[0,["10.0.0.200"]]/[1000,["10.9.0.1"]]'
expect_eq "the tenant's provider operations act on its own 'web'" \
	"$(tenant 'plinkctl service set web timeout tcp 61 &&
		   plinkctl -j service show web' | jq -c '.[0] | [.owner_uid, .timeout_tcp]')/$(plinkctl -n "$P" -j service show web | jq '.[0].timeout_tcp')" \
	'[1000,61]/350'
expect_eq "a provider cannot reach another owner's service by any name" \
	"$(tenant 'for s in uid:0/web uid:0/secret; do
			plinkctl service del "$s"; plinkctl target add "$s" 10.0.0.9
		   done 2>&1' | sort | uniq -c | tr -s ' ')" " 4 plinkctl: no such service"

dp_consumer "$C"
ID=$(plinkctl -n "$C" endpoint add web dev pl0 addr 10.0.0.100)
expect_eq "a host consumer's bare 'web' is the host's, not the tenant's" \
	"$(plinkctl -n "$C" -j endpoint show "$ID" | jq -c '.[0] | [.service, .service_owner_uid]')/$(plinkctl -n "$P" -j endpoint show | jq -r '.[0].id == "'"$ID"'"')" \
	'["web",0]/true'
expect_match "and its connections reach the host's target" \
	"$(dp_get "$C" 10.0.0.100 80)" '^t1 10\.0\.0\.200 '
expect_fail "a bare name never resolves to another owner's service" \
	"^plinkctl: no such service$" \
	plinkctl -n "$C" endpoint add db dev pl0 addr 10.0.0.101
IDT=$(plinkctl -n "$C" endpoint add uid:1000/web dev pl0 addr 10.0.0.102)
expect_eq "uid:1000/web names the tenant's service" \
	"$(plinkctl -n "$C" -j endpoint show "$IDT" | jq -c '.[0] | [.service, .service_owner_uid, .state]')" \
	'["web",1000,"available"]'
SID=$(plinkctl -n "$C" -j service show uid:1000/db | jq -r '.[0].id')
expect_eq "plsvc-ID names a service: the consumer sees its id and owner" \
	"$(plinkctl -n "$C" -j service show "$SID" | jq -c '.[0] | [.name, .owner_uid]')/$(plinkctl -n "$C" -j endpoint show "$(plinkctl -n "$C" endpoint add "$SID" dev pl0 addr 10.0.0.103)" | jq -c '.[0] | [.service, .service_owner_uid]')" \
	'["db",1000]/["db",1000]'
expect_eq "the tenant's bare 'web' is its own; uid:0/web is the host's" \
	"$(tenant 'plinkctl -j service show web; plinkctl -j service show uid:0/web' | jq -c '.[0].owner_uid' | tr '\n' ' ')" \
	"1000 0 "
expect_eq "the tenant sees the host consumer's endpoint of its own 'web' only" \
	"$(tenant 'plinkctl -j endpoint show' | jq -r 'map(.id) | join(",")')" \
	"$IDT,$(plinkctl -n "$C" -j endpoint show | jq -r 'map(select(.service == "db")) | .[0].id')"

# --- no existence oracles -----------------------------------------------------

x=plsvc-0123456789abcdef
s=$(plinkctl -n "$P" -j service show secret | jq -r '.[0].id')
expect_eq "endpoint add: a closed service answers as a missing one (NAME, uid:N/NAME, id)" \
	"$(tenant "ip link add pl0 type plink && ip link set pl0 up
		for s in secret nosuch uid:0/secret uid:0/nosuch $s $x; do
			plinkctl endpoint add \$s dev pl0 addr 10.0.0.5 2>&1; echo rc=\$?
		done" | sort | uniq -c | tr -s ' \n' ' ')" \
	" 6 plinkctl: no such service 6 rc=2 "
expect_eq "service show: likewise" \
	"$(tenant "for s in secret nosuch uid:0/secret uid:0/nosuch $s $x; do
			plinkctl service show \$s 2>&1; echo rc=\$?
		done" | sort | uniq -c | tr -s ' \n' ' ')" \
	" 6 plinkctl: no such service 6 rc=2 "
expect_eq "the tenant may own names the host uses: 'secret' too" \
	"$(tenant 'plinkctl service add secret dev nlb0 addr 10.9.0.3 listener tcp:80 &&
		   plinkctl -j service show secret' | jq -c '[.[0].owner_uid]')" "[1000]"
expect_eq "a consumer sees no target port of a listener" \
	"$(tenant 'plinkctl -j service show uid:0/web' | jq -c '.[0].listeners')" \
	'[{"proto":"tcp","listener_port":80},{"proto":"udp","listener_port":53}]'

# A flow of the host consumer, and the provider guessing at it.
expect_match "setup: a UDP flow through the host's endpoint" \
	"$(dp_udp "$C" 10.0.0.100 53 sourceport=40053)" '^t1 10\.0\.0\.200 '
expect_eq "setup: its consumer gets it by its addresses" \
	"$(plinkctl -n "$C" -j flow get endpoint "$ID" proto udp client 10.0.0.5:40053 \
		dst 10.0.0.100:53 | jq -c '.[0] | [.client_port, .endpoint_port]')" "[40053,53]"
expect_eq "flow get: to the provider, the real flow and a guessed one are alike" \
	"$(for c in 10.0.0.5:40053 10.0.0.5:40054 10.0.0.6:40053; do
		outcome plinkctl -n "$P" flow get endpoint "$ID" proto udp client "$c" dst 10.0.0.100:53
	   done | sort | uniq -c | tr -s ' ')" " 3 plinkctl: no such flow rc=2"

# --- memory is charged to the tenant ------------------------------------------

# 15 of them: 16 x 65537 slots would be over a tenant's default quota of
# 1048576 Maglev slots (owner_max_maglev_slots).
NSVC=15
tenant 'ip link add nlbm type plink && ip link set nlbm up' || exit $ksft_fail
# mem_services FIRST LAST: services mFIRST..mLAST, each with one target and
# a Maglev table of 65537 slots (128 KiB or more); stops at the first failure.
mem_services()
{
	tenant "for i in \$(seq $1 $2); do
		plinkctl service add m\$i dev nlbm addr 10.8.\$((i / 250)).\$((i % 250 + 1)) \
			listener tcp:80 maglev-size 65537 >/dev/null &&
		plinkctl target add m\$i 10.7.0.1 || exit 1
	done"
}
mem_services_del()
{
	tenant 'for s in $(plinkctl -j service show | jq -r ".[].name | select(test(\"^m[0-9]+$\"))"); do
		plinkctl service del "$s" || exit 1
	done'
}

m0=$(cg_kib)
k0=$(kmem_kib)
expect_ok "the tenant creates $NSVC services with 64K-slot Maglev tables" \
	mem_services 1 $NSVC
m1=$(cg_kib)
k1=$(kmem_kib)
echo "# kernel memory +$((k1 - k0)) KiB, the tenant's memory.current +$((m1 - m0)) KiB"
expect_gt "the kernel made at least 128 KiB per service" $((k1 - k0)) $((NSVC * 128 - 1))
expect_gt "the tenant's memory.current grew by at least 90% of it" \
	$((m1 - m0)) $(((k1 - k0) * 9 / 10 - 1))

expect_ok "the tenant deletes them" mem_services_del
expect_ok "their memory goes back" \
	slowwait 20 bash -c "[ \$((\$(cat $CG/memory.current) / 1024)) -le $((m0 + 512)) ]"

# --- and so are its endpoints' flows -----------------------------------------

# The tenant's UDP service and an endpoint of it.  The datagrams come from a
# host process that enters only the tenant's netns: the flows they open are
# what the tenant's cgroup is charged for, not the sender's sockets.
slab_b() { awk '$1 == "slab_unreclaimable" { print $2 }' "$CG/memory.stat"; }
fl_active() { tenant "plinkctl -j stats endpoint $1" | jq '.endpoints[0].stats.flows_active'; }
# fl_send N PORT: N datagrams to the endpoint, from source ports PORT on,
# through one raw socket (IP_HDRINCL: the kernel fills in the source address,
# the length and the checksum; a UDP checksum of 0 is "none"), so that the
# sender costs the kernel a send per flow and not a socket.
fl_send()
{
	nsenter -t "$TPID" -n python3 -c '
import socket, struct, sys
n, base = int(sys.argv[1]), int(sys.argv[2])
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 0, 0, 0, 64, socket.IPPROTO_UDP, 0,
                 bytes(4), socket.inet_aton("10.8.0.5"))
for port in range(base, base + n):
    s.sendto(ip + struct.pack("!HHHH", port, 53, 9, 0) + b"x", ("10.8.0.5", 0))
' "$1" "$2"
}
NFL=2000
FID=$(tenant 'plinkctl service add fl dev nlbm addr 10.8.9.1 listener udp:53 \
		acceptance auto allow uid:1000 max-flows 16384 endpoint-max-flows 16384 \
		timeout udp 600 >/dev/null &&
	plinkctl target add fl 10.7.0.1 &&
	plinkctl endpoint add fl dev pl0 addr 10.8.0.5')
expect_match "setup: the tenant's endpoint of its own UDP service" "$FID" '^plep-'
export CG
export -f slab_b
s0=$(slab_b)
fl_send $NFL 20000
expect_eq "the host's datagrams opened $NFL flows on the tenant's endpoint" \
	"$(fl_active "$FID")" $NFL
# A flow is 112 bytes; 90% of them, as for the services above.
# memory.stat may lag the charges by a moment.
expect_ok "the tenant's cgroup is charged for them: at least 90% of 112 B each" \
	slowwait 10 bash -c "[ \$(slab_b) -ge $((s0 + NFL * 112 * 9 / 10)) ]"
echo "# $NFL flows: the tenant's slab_unreclaimable +$((($(slab_b) - s0) / 1024)) KiB"
expect_ok "flushed, they are uncharged" tenant "plinkctl flow flush endpoint $FID"
expect_ok "its slab goes back" \
	slowwait 20 bash -c "[ \$(slab_b) -le $((s0 + NFL * 128 / 10)) ]"

# At memory.max, the tenant's flows are refused and counted, and nothing is
# forced past the limit or killed (GFP_NOWAIT, not __GFP_HIGH).
oom0=$(awk '$1 == "oom_kill" { print $2 }' "$CG/memory.events")
q0=$(tenant "plinkctl -j stats endpoint $FID" | jq '.endpoints[0].stats.drop_quota')
# 64 KiB of room, and up to 64 pages per CPU charged ahead (the memcg's
# per-CPU stock, which the flush above may have refilled): 8000 flows
# (1 MiB) do not fit.
NMAX=8000
echo $(($(cat "$CG/memory.current") + 64 * 1024)) > "$CG/memory.max"
fl_send $NMAX 30000
cur=$(cat "$CG/memory.current")
max=$(cat "$CG/memory.max")
# No tenant process may run at the limit: the OOM killer would take it.
echo max > "$CG/memory.max"
n=$(fl_active "$FID")
echo "# under memory.max: $n of $NMAX flows"
expect_gt "under memory.max, some flows fit" "$n" 0
expect_gt "and the rest are refused" $NMAX "$n"
expect_eq "counted as drop_quota" \
	"$(tenant "plinkctl -j stats endpoint $FID" | jq '.endpoints[0].stats.drop_quota')" \
	$((q0 + NMAX - n))
expect_eq "memory.current stayed within memory.max" "$((cur <= max))" 1
expect_eq "and the cgroup's OOM killer took nothing" \
	"$(awk '$1 == "oom_kill" { print $2 }' "$CG/memory.events")" "$oom0"
expect_ok "the tenant deletes its endpoint and service" tenant \
	"plinkctl endpoint del $FID && plinkctl service del fl"

# --- over memory.max, a request fails cleanly ---------------------------------

# One python3 makes the requests (the kernel's YNL client, lib/ynl.sh): a
# new plinkctl per request would itself be what no longer fits, and the
# cgroup's OOM killer would take it, which no test can tell from a failure.
# For the same reason the session holds 16 MiB of heap it touched before the
# limit: at the limit, its next reply must not need a page.
ynl_open T tenant "exec env $(ynl_session_env 16) python3 $(ynl_session_cmd)"
tifx=$(tenant 'ip -j link show nlbm' | jq '.[0].ifindex')
expect_eq "the tenant's YNL session answers: its services, as plinkctl lists them" \
	"$(ynl T --dump service-get | jq -c 'map(.name) | sort')" \
	"$(tenant 'plinkctl -j service show' | jq -c 'map(.name) | sort')"
oom0=$(awk '$1 == "oom_kill" { print $2 }' "$CG/memory.events")
# Room for a few 128 KiB Maglev tables, not for 30.
echo $(($(cat "$CG/memory.current") + 1024 * 1024)) > "$CG/memory.max"
fit=0
fail=
for ((i = 1; i <= 30; i++)); do
	r=$(req T service-new "$(jq -nc --arg n "x$i" --argjson d "$tifx" \
		--arg a "$(printf 0a0901%02x "$i")" \
		'{name: $n, ifindex: $d, addr: [$a], listener: [{proto: 6, port: 80}],
		  "maglev-size": 65537}')")
	bare=0
	if [ "$r" = 0 ]; then
		bare=1
		r=$(req T target-add "{\"service\": \"x$i\", \"addr\": \"0a070001\"}")
	fi
	if [ "$r" != 0 ]; then
		fail=$r
		break
	fi
	bare=0
	fit=$i
done
echo max > "$CG/memory.max"
echo "# under memory.max: $fit services with a Maglev table, then: $fail"
expect_gt "under memory.max, services with a 64K-slot table fit at first" "$fit" 0
expect_match "then a request fails with ENOMEM and the kernel's message" \
	"$fail" '^12 no memory for '
expect_eq "the cgroup's OOM killer took nothing" \
	"$(awk '$1 == "oom_kill" { print $2 }' "$CG/memory.events")" "$oom0"
# A refused target-add leaves its service as it was: without a target.
expect_eq "the failed request left nothing half made ($fit services with a target, $bare without)" \
	"$(tenant 'for s in $(plinkctl -j service show | jq -r ".[].name | select(startswith(\"x\"))"); do
		plinkctl -j target show "$s" | jq length
	   done' | awk '{ n++; t += $1 } END { print t + 0 "/" (n - t) }')" \
	"$fit/$bare"
expect_eq "the YNL session lived through it" \
	"$(ynl T --dump service-get | jq '[.[] | select(.name | startswith("x"))] | length')" \
	"$(tenant 'plinkctl -j service show | jq "[.[] | select(.name | startswith(\"x\"))] | length"')"
expect_ok "the tenant deletes them" tenant \
	'for s in $(plinkctl -j service show | jq -r ".[].name | select(startswith(\"x\"))"); do
		plinkctl service del "$s" || exit 1
	done'

exit "$EXIT_STATUS"
