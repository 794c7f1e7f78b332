#!/usr/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The plink benchmarks, inside the VM (booted by bench/run.sh with QEMU
# -icount shift=0,sleep=off: guest time counts instructions).  Kernel
# command line: bench.family=F[,F...] (tput cps udp rr ipv6 mem micro
# balance scale),
# bench.rounds=N, bench.smoke=1 (tiny sizes: proves each benchmark runs).
# Writes to /dev/ttyS1:
#   R CASE VARIANT ROUND VALUE   one measurement (plink or its baseline)
#   V KEY VALUE                  one figure
#   # ...                        diagnostics; "# bench-done" at the end
# Each case's variants run interleaved, round by round (A B A B ...).

out=/dev/ttyS1
[ -c "$out" ] || out=/dev/console
exec 3>"$out"
exec 2>/tmp/bench.err

arg() { sed -n "s/.*bench\.$1=\([^ ]*\).*/\1/p" /proc/cmdline; }
families=$(arg family | tr , ' ')
rounds=$(arg rounds)
rounds=${rounds:-5}
smoke=$(arg smoke)
smoke=${smoke:-0}

emit() { echo "$*" >&3; }
diag() { echo "# $*" >&3; }
# now_ns: the guest's clock (instructions under icount), in ns.
now_ns() { local t=$EPOCHREALTIME; echo $((${t/./} * 1000)); }

emit "# uptime at start: $(cut -d" " -f1 /proc/uptime) s"
emit "# kernel: $(uname -r), families: $families, rounds: $rounds, smoke: $smoke"

for m in /lib/modules/*.ko; do
	[ -e "$m" ] && insmod "$m"
done
plink_params=
if [[ " $families " == *" scale "* ]] && [ "$smoke" = 0 ]; then
	plink_params="max_flows=1100000 flow_buckets=1048576"
fi
insmod /lib/modules/plink/plink.ko $plink_params || diag "insmod plink.ko failed"

# --- the common topology ------------------------------------------------------
#
#   C (consumer)  pl0: endpoint 10.0.0.100 -> service "bench" (plink),
#                 endpoint 10.0.0.101 -> "benchpp" (proxy-protocol v2)
#                 vc0 192.168.1.1 === vp0 192.168.1.2   (veth, routed)
#   I (consumer)  vi0 192.168.2.1 === vq0 192.168.2.2   (veth, routed),
#                 IPVS NAT (mh) 10.0.0.100 -> 10.0.0.1 (added by cps)
#   J (consumer)  vj0 192.168.3.1 === vr0 192.168.3.2   (veth, routed),
#                 client address 172.31.0.1 (lo; P has no route to it),
#                 IPVS NAT (mh) 10.0.0.100 -> 10.0.0.1, vs.conntrack=1, and
#                 nft masquerade to 192.168.3.1 out of vj0 (peers_setup)
#   K (consumer)  nkk 192.168.4.1 === nkp 192.168.4.2   (netkit L3 pair, no
#                 program; absent when the kernel has no netkit)
#   N (consumer)  vn0 192.168.5.1 === vs0 192.168.5.2   (veth, routed),
#                 client address 172.31.0.1 (lo), nftables DNAT as
#                 kube-proxy's nftables mode builds it, and masquerade to
#                 192.168.5.1 out of vn0 (peers_setup)
#   P (provider)  nlb0: NLB 10.0.0.200 (bench), 10.0.0.210 (benchpp);
#                 tg0 (dummy): target 10.0.0.1
#
# plink: C -> 10.0.0.100 -> P 10.0.0.1.  veth: C -> 10.0.0.1 over vc0.
# IPVS: I -> 10.0.0.100 -> (DNAT) 10.0.0.1 over vi0.
# IPVS + SNAT: J 172.31.0.1 -> 10.0.0.100 -> (DNAT, SNAT) 192.168.3.1 ->
# 10.0.0.1 over vj0: like plink, the provider never sees the consumer's
# address.  nft: the same from N (DNAT by nftables, SNAT 192.168.5.1).
# netkit: K -> 10.0.0.1 over nkk.  loopback: P -> 10.0.0.1 (one netns).
# IPVS and conntrack hook I, J and N only, never C, K or P.

topology()
{
	local n
	for n in P C I J K N; do
		ip netns add $n
		ip -n $n link set lo up
	done
	ip -n P link add nlb0 type plink
	ip -n P link set nlb0 up
	ip -n P link add tg0 type dummy
	ip -n P link set tg0 up
	ip -n P addr add 10.0.0.1/24 dev tg0
	ip link add vc0 netns C type veth peer name vp0 netns P
	ip link add vi0 netns I type veth peer name vq0 netns P
	ip link add vj0 netns J type veth peer name vr0 netns P
	ip link add vn0 netns N type veth peer name vs0 netns P
	ip -n C addr add 192.168.1.1/24 dev vc0
	ip -n P addr add 192.168.1.2/24 dev vp0
	ip -n I addr add 192.168.2.1/24 dev vi0
	ip -n P addr add 192.168.2.2/24 dev vq0
	ip -n J addr add 192.168.3.1/24 dev vj0
	ip -n P addr add 192.168.3.2/24 dev vr0
	ip -n J addr add 172.31.0.1/32 dev lo
	ip -n N addr add 192.168.5.1/24 dev vn0
	ip -n P addr add 192.168.5.2/24 dev vs0
	ip -n N addr add 172.31.0.1/32 dev lo
	for n in "C vc0" "P vp0" "I vi0" "P vq0" "J vj0" "P vr0" "N vn0" "P vs0"; do
		ip -n ${n% *} link set ${n#* } up
	done
	ip -n C route add 10.0.0.0/24 via 192.168.1.2
	ip -n I route add 10.0.0.0/24 via 192.168.2.2
	ip -n J route add 10.0.0.0/24 via 192.168.3.2 src 172.31.0.1
	ip -n N route add 10.0.0.0/24 via 192.168.5.2 src 172.31.0.1
	# netkit, L3 (the default), no program (both ends pass): made in
	# the root netns (the peer is named nk0 there), then moved.
	netkit=0
	if ip link add nkk type netkit 2>/tmp/netkit.err; then
		ip link set nkk netns K
		ip link set nk0 netns P name nkp
		ip -n K addr add 192.168.4.1/24 dev nkk
		ip -n P addr add 192.168.4.2/24 dev nkp
		ip -n K link set nkk up
		ip -n P link set nkp up
		ip -n K route add 10.0.0.0/24 via 192.168.4.2
		netkit=1
		diag "netkit: $(ip -n K -d link show nkk | sed -n 's/^ *\(netkit.*\)/\1/p' | head -n 1)"
	else
		diag "netkit: none ($(cat /tmp/netkit.err))"
	fi
	emit "V netkit $netkit"
	for n in C I J K N P; do
		ip netns exec $n sysctl -qw net.ipv4.ip_local_port_range="1024 65535"
		# A connection whose SYN is lost fails in 3 s, not 127.
		ip netns exec $n sysctl -qw net.ipv4.tcp_syn_retries=1
	done
	plinkctl -n P service add bench dev nlb0 addr 10.0.0.200 \
		listener tcp:5201 listener tcp:8000 listener udp:9000 \
		listener tcp:8002 listener udp:9001 \
		acceptance auto allow '*' \
		max-flows "$(cat /sys/module/plink/parameters/max_flows)" \
		endpoint-max-flows "$(cat /sys/module/plink/parameters/max_flows)" ||
		diag "service add failed"
	plinkctl -n P target add bench 10.0.0.1 || diag "target add failed"
	# The same with PROXY protocol v2 (and 8001, 5202 on both: the
	# servers that read a header), for the PPv2 cases of tput and cps.
	plinkctl -n P service set bench listener tcp:5201 listener tcp:8000 \
		listener udp:9000 listener tcp:8001 listener tcp:5202 \
		listener tcp:8002 listener udp:9001 ||
		diag "service set failed"
	plinkctl -n P service add benchpp dev nlb0 addr 10.0.0.210 \
		listener tcp:8001 listener tcp:5202 acceptance auto allow '*' \
		proxy-protocol v2 \
		max-flows "$(cat /sys/module/plink/parameters/max_flows)" \
		endpoint-max-flows "$(cat /sys/module/plink/parameters/max_flows)" ||
		diag "service add benchpp failed"
	plinkctl -n P target add benchpp 10.0.0.1 || diag "target add failed"
	ip -n C link add pl0 type plink
	ip -n C link set pl0 up
	plinkctl -n C endpoint add bench dev pl0 addr 10.0.0.100 >/dev/null ||
		diag "endpoint add failed"
	plinkctl -n C endpoint add benchpp dev pl0 addr 10.0.0.101 >/dev/null ||
		diag "endpoint add benchpp failed"
}

# --- (1) bulk TCP throughput: iperf3, 1 and 4 streams ---------------------------

gso() { ip -n "$1" -d -j link show "$2" | jq -r '.[0].gso_max_size'; }

# bigtcp SIZE: the GSO and GRO maximum sizes, IPv4 and IPv6 (bnet bigtcp:
# iproute2 6.1 cannot set IPv4's), of both paths' devices, where a device
# takes it (no more than its TSO maximum).
bigtcp()
{
	local d
	for d in "C vc0" "P vp0" "C pl0" "P nlb0"; do
		ip netns exec ${d% *} bnet bigtcp ${d#* } "$1" 2>/dev/null ||
			diag "bigtcp: ${d#* } does not take $1"
	done
}

iperf()
{
	# iperf NS DST STREAMS SECS: received Gbit/s.  The smoke test sends
	# 4 MB instead (iperf3 counts whole seconds, 1 at least).
	local len=(-t "$4")

	[ "$smoke" = 1 ] && len=(-n 4M)
	ip netns exec "$1" timeout 120 iperf3 -c "$2" -p 5201 -P "$3" "${len[@]}" -J \
		2>/dev/null | jq -r '.end.sum_received.bits_per_second / 1e9'
}

fam_tput()
{
	local secs=2 r p
	[ "$smoke" = 1 ] && secs=0.2
	ip netns exec P iperf3 -s -B 10.0.0.1 -p 5201 -D
	sleep 0.5
	for p in 1 4; do
		for ((r = 0; r < rounds; r++)); do
			emit "R tput$p plink $r $(iperf C 10.0.0.100 $p $secs)"
			emit "R tput$p veth $r $(iperf C 10.0.0.1 $p $secs)"
		done
	done
	# PROXY protocol v2 on and off: one bnet stream each (iperf3 would
	# read the header as its own protocol).
	ip netns exec P bnet tcpsink 10.0.0.1 5202 &
	sleep 0.5
	for ((r = 0; r < rounds; r++)); do
		emit "R tputpp plink-ppv2 $r $(ip netns exec C bnet tcpsend 10.0.0.101 5202 $secs)"
		emit "R tputpp plink $r $(ip netns exec C bnet tcpsend 10.0.0.100 5202 $secs)"
	done
	# BIG TCP where a device takes it, 1 stream; then back to 64 KiB.
	bigtcp 185000
	emit "V gso_pl0 $(gso C pl0)"
	emit "V gso_vc0 $(gso C vc0)"
	for ((r = 0; r < rounds; r++)); do
		emit "R tputbig plink $r $(iperf C 10.0.0.100 1 $secs)"
		emit "R tputbig veth $r $(iperf C 10.0.0.1 1 $secs)"
	done
	bigtcp 65536
}

# --- (2) new connections per second ---------------------------------------------

# peers_setup: the stock load balancers, once a boot: IPVS in I, IPVS and
# masquerade in J, kube-proxy-style nftables in N; for TCP 8000 (cps) and
# 8002 (rr, crr, mem), and in N also UDP 9000 (udp) and 9001 (udprr).
peers_setup()
{
	local m p
	[ -z "${peers_done:-}" ] || return 0
	peers_done=1
	for m in $(cat /lib/modules/ipvs/order); do
		insmod "/lib/modules/ipvs/$m" || diag "insmod $m failed"
	done
	for p in 8000 8002; do
		ip netns exec I ipvsadm -A -t 10.0.0.100:$p -s mh &&
		ip netns exec I ipvsadm -a -t 10.0.0.100:$p -r 10.0.0.1:$p -m ||
			diag "ipvsadm $p failed"
	done
	# J: the same, plus what the PrivateLink case needs (the provider
	# must not see, nor route to, the consumer's address): IPVS keeps
	# conntrack's entries (vs.conntrack=1, as kube-proxy's IPVS mode
	# does) and nftables masquerades to the director's own address.
	# conntrack's table as kube-proxy sizes it (32768 entries a CPU, at
	# least 131072; hashsize a quarter of that): the default for 1 GB,
	# 8192, fills with TIME_WAIT entries in one round and drops SYNs.
	sysctl -qw net.netfilter.nf_conntrack_buckets=32768 \
		net.netfilter.nf_conntrack_max=131072 || diag "conntrack sysctls failed"
	ip netns exec J sysctl -qw net.ipv4.vs.conntrack=1 || diag "vs.conntrack failed"
	for p in 8000 8002; do
		ip netns exec J ipvsadm -A -t 10.0.0.100:$p -s mh &&
		ip netns exec J ipvsadm -a -t 10.0.0.100:$p -r 10.0.0.1:$p -m ||
			diag "ipvsadm (J) $p failed"
	done
	ip netns exec J nft -f - <<-'EOF' || diag "nft (J) failed"
	table ip bench_nat {
		chain post {
			type nat hook postrouting priority srcnat; policy accept;
			oifname "vj0" ip daddr 10.0.0.1 masquerade
		}
	}
	EOF
	nft_setup
}

# nft_setup: N's NAT as kube-proxy's nftables mode writes it for a
# ClusterIP service with one endpoint (pkg/proxy/nftables): the output
# hook looks ip daddr . l4proto . dport up in a verdict map, the service
# chain marks a client from outside the cluster CIDR for masquerade and
# picks an endpoint chain with numgen random, the endpoint chain DNATs,
# and postrouting masquerades what was marked.  kube-proxy's filter chains
# (endpoint, firewall and cluster-IP checks on new connections) are left
# out: this is the NAT part of its cost, a lower bound.
nft_setup()
{
	local svc p proto elems= chains=
	for svc in tcp:8000 tcp:8002 udp:9000 udp:9001; do
		proto=${svc%:*} p=${svc#*:}
		elems+="10.0.0.100 . $proto . $p : goto svc-$proto-$p, "
		chains+="
	chain svc-$proto-$p {
		ip daddr 10.0.0.100 $proto dport $p ip saddr != 10.244.0.0/16 jump mark-for-masquerade
		numgen random mod 1 vmap { 0 : goto ep-$proto-$p-0 }
	}
	chain ep-$proto-$p-0 {
		ip saddr 10.0.0.1 jump mark-for-masquerade
		meta l4proto $proto dnat to 10.0.0.1:$p
	}"
	done
	ip netns exec N nft -f - <<-EOF || diag "nft (N) failed"
	table ip kube-proxy {
		map service-ips {
			type ipv4_addr . inet_proto . inet_service : verdict
			elements = { ${elems%, } }
		}
		chain nat-output {
			type nat hook output priority -100; policy accept;
			jump services
		}
		chain nat-postrouting {
			type nat hook postrouting priority srcnat; policy accept;
			jump masquerading
		}
		chain services {
			ip daddr . meta l4proto . th dport vmap @service-ips
		}
		chain mark-for-masquerade {
			meta mark set meta mark | 0x4000
		}
		chain masquerading {
			meta mark & 0x4000 == 0 return
			meta mark set meta mark ^ 0x4000
			masquerade fully-random
		}$chains
	}
	EOF
}

# The variants a case can compare: the client's netns and the address it
# connects to (the target 10.0.0.1 is on P's dummy tg0).
ns_of()
{
	case $1 in
	plink | veth) echo C ;;
	ipvs) echo I ;;
	ipvs-snat) echo J ;;
	nft) echo N ;;
	netkit) echo K ;;
	loopback) echo P ;;
	esac
}
dst_of()
{
	case $1 in
	plink | ipvs | ipvs-snat | nft) echo 10.0.0.100 ;;
	*) echo 10.0.0.1 ;;
	esac
}
# have VARIANT: false for netkit on a kernel without it.
have() { [ "$1" != netkit ] || [ "$netkit" = 1 ]; }

# peer_seen NS: the peer address P's server accepts NS's connection to
# 10.0.0.100:8000 from.
peer_seen()
{
	ip netns exec P timeout 5 socat TCP-LISTEN:8000,bind=10.0.0.1,reuseaddr \
		SYSTEM:'echo $SOCAT_PEERADDR' &
	sleep 0.3
	ip netns exec "$1" timeout 5 socat -T 3 - TCP:10.0.0.100:8000 </dev/null
	wait $!
}

# ct_count NS: conntrack entries in NS (0 when conntrack never hooked it).
ct_count() { ip netns exec "$1" cat /proc/net/nf_conntrack 2>/dev/null | wc -l; }

fam_cps()
{
	local secs=1 clients=8 r v
	[ "$smoke" = 1 ] && secs=0.2
	peers_setup
	# The address the provider's server accepts each variant's
	# connection from: plink's NLB address, I's own, J's and N's director
	# address.
	local plp ip ipsnat nft
	plp=$(peer_seen C) ip=$(peer_seen I) ipsnat=$(peer_seen J) nft=$(peer_seen N)
	diag "cps: the provider accepts from: plink $plp, ipvs $ip, ipvs-snat $ipsnat, nft $nft"
	[ "$ipsnat" = 192.168.3.1 ] && emit "V cps_snat_ok 1" || emit "V cps_snat_ok 0"
	[ "$nft" = 192.168.5.1 ] && emit "V cps_nft_ok 1" || emit "V cps_nft_ok 0"
	ip netns exec P bnet tcpsrv 10.0.0.1 8000 &
	ip netns exec P bnet tcpsrvpp 10.0.0.1 8001 &
	sleep 0.5
	for ((r = 0; r < rounds; r++)); do
		for v in plink ipvs ipvs-snat nft netkit loopback veth; do
			have $v || continue
			set -- $(ip netns exec "$(ns_of $v)" bnet connrate "$(dst_of $v)" 8000 \
				$clients $secs)
			emit "R cps $v $r $1"
			[ "${3:-1}" = 0 ] || diag "cps $v: $3 failed connections"
		done
		# PROXY protocol v2 on and off, to a server that reads it.
		set -- $(ip netns exec C bnet connrate 10.0.0.101 8001 $clients $secs)
		emit "R cpspp plink-ppv2 $r $1"
		[ "${3:-1}" = 0 ] || diag "cps plink-ppv2: $3 failed connections"
		set -- $(ip netns exec C bnet connrate 10.0.0.100 8001 $clients $secs)
		emit "R cpspp plink $r $1"
		[ "${3:-1}" = 0 ] || diag "cps plink (8001): $3 failed connections"
	done
	# IPVS's estimator folds the per-CPU counters in every 2 s.
	sleep 2.5
	ip netns exec I ipvsadm -Ln --stats | sed 's/^/# ipvs: /' >&3
	ip netns exec J ipvsadm -Ln --stats | sed 's/^/# ipvs-snat: /' >&3
	# Conntrack hooks J and N only (their NAT rules): C, P, I and K never
	# had it.
	diag "cps: conntrack entries: C $(ct_count C), P $(ct_count P), I $(ct_count I), K $(ct_count K), J $(ct_count J), N $(ct_count N)"
	dmesg | grep -i conntrack | sort | uniq -c | head -n 5 | sed 's/^/# dmesg: /' >&3
	[ "$(ct_count C)$(ct_count P)$(ct_count I)$(ct_count K)" = 0000 ] &&
		emit "V cps_ct_clean 1" || emit "V cps_ct_clean 0"
}

# --- (3) small-packet UDP forwarding rate ---------------------------------------

udp_in() { ip netns exec P awk '/^Udp:/ && $2 ~ /^[0-9]/ { print $2 }' /proc/net/snmp; }

udpflood()
{
	# udpflood NS DST SECS: datagrams delivered to the target per second
	local a b
	a=$(udp_in)
	ip netns exec "$1" bnet udpflood "$2" 9000 18 "$3" >/dev/null
	sleep 0.1
	b=$(udp_in)
	awk -v d=$((b - a)) -v s="$3" 'BEGIN { printf "%.0f\n", d / s }'
}

fam_udp()
{
	local secs=1 r v
	[ "$smoke" = 1 ] && secs=0.2
	peers_setup
	ip netns exec P bnet udpsink 10.0.0.1 9000 &
	sleep 0.5
	for ((r = 0; r < rounds; r++)); do
		for v in plink nft netkit loopback veth; do
			have $v || continue
			emit "R udp $v $r $(udpflood "$(ns_of $v)" "$(dst_of $v)" $secs)"
		done
	done
}

# --- request/response: TCP_RR, TCP_CRR, UDP ------------------------------------

# rr_servers: the echo servers of rr and mem (TCP 8002, UDP 9001), once.
rr_servers()
{
	[ -z "${rr_done:-}" ] || return 0
	rr_done=1
	ip netns exec P bnet tcpecho 10.0.0.1 8002 &
	ip netns exec P bnet udpreflect 10.0.0.1 9001 &
	sleep 0.5
}

fam_rr()
{
	local secs=0.5 clients=8 r v
	[ "$smoke" = 1 ] && secs=0.1
	peers_setup
	rr_servers
	# TCP_RR: one persistent connection, 1-byte ping-pong (after the
	# first packets, every one is a flow hit).
	for ((r = 0; r < rounds; r++)); do
		for v in plink ipvs ipvs-snat nft netkit loopback veth; do
			have $v || continue
			set -- $(ip netns exec "$(ns_of $v)" bnet rr "$(dst_of $v)" 8002 $secs)
			emit "R rr $v $r $1"
		done
	done
	# TCP_CRR: connect, 1-byte request, 1-byte response, close (the
	# client closes first, as netperf's does).
	for ((r = 0; r < rounds; r++)); do
		for v in plink ipvs ipvs-snat nft netkit loopback veth; do
			have $v || continue
			set -- $(ip netns exec "$(ns_of $v)" bnet crr "$(dst_of $v)" 8002 \
				$clients $secs)
			emit "R crr $v $r $1"
			[ "${3:-1}" = 0 ] || diag "crr $v: $3 failed connections"
		done
	done
	# UDP request/response, 1 byte each way, one socket (IPVS: TCP only).
	for ((r = 0; r < rounds; r++)); do
		for v in plink nft netkit loopback veth; do
			have $v || continue
			set -- $(ip netns exec "$(ns_of $v)" bnet udprr "$(dst_of $v)" 9001 $secs)
			emit "R udprr $v $r $1"
			[ "${3:-1}" = 0 ] || diag "udprr $v: $3 lost"
		done
	done
}

# --- IPv6: bulk and connections per second -------------------------------------

fam_ipv6()
{
	local secs=1 csecs=1 clients=8 r v dst
	[ "$smoke" = 1 ] && secs=0.3 csecs=0.2
	ip -n P addr add fd00::1/64 dev tg0 nodad
	ip -n C addr add fd01::1/64 dev vc0 nodad
	ip -n P addr add fd01::2/64 dev vp0 nodad
	ip -n C route add fd00::/64 via fd01::2
	plinkctl -n P service add bench6 dev nlb0 addr fd00::200 \
		listener tcp:5203 listener tcp:8000 acceptance auto allow '*' \
		max-flows "$(cat /sys/module/plink/parameters/max_flows)" \
		endpoint-max-flows "$(cat /sys/module/plink/parameters/max_flows)" ||
		diag "service add bench6 failed"
	plinkctl -n P target add bench6 fd00::1 || diag "target add fd00::1 failed"
	plinkctl -n C endpoint add bench6 dev pl0 addr fd00::100 >/dev/null ||
		diag "endpoint add bench6 failed"
	ip netns exec P bnet tcpsink fd00::1 5203 &
	ip netns exec P bnet tcpsrv fd00::1 8000 &
	sleep 0.5
	for ((r = 0; r < rounds; r++)); do
		emit "R tput6 plink $r $(ip netns exec C bnet tcpsend fd00::100 5203 $secs)"
		emit "R tput6 veth $r $(ip netns exec C bnet tcpsend fd00::1 5203 $secs)"
	done
	for ((r = 0; r < rounds; r++)); do
		for v in plink veth; do
			dst=fd00::1
			[ $v = plink ] && dst=fd00::100
			set -- $(ip netns exec C bnet connrate $dst 8000 $clients $csecs)
			emit "R cps6 $v $r $1"
			[ "${3:-1}" = 0 ] || diag "cps6 $v: $3 failed connections"
		done
	done
	# BIG TCP on every device of both paths that takes it.
	bigtcp 185000
	emit "V gso6_pl0 $(gso C pl0)"
	emit "V gso6_vc0 $(gso C vc0)"
	for ((r = 0; r < rounds; r++)); do
		emit "R tput6big plink $r $(ip netns exec C bnet tcpsend fd00::100 5203 $secs)"
		emit "R tput6big veth $r $(ip netns exec C bnet tcpsend fd00::1 5203 $secs)"
	done
	bigtcp 65536
}

# --- memory per connection held open ---------------------------------------------

# slab_objs: each slab cache's object bytes (active objects x size) and
# its name.
slab_objs() { awk 'NR > 2 { print $1, $2 * $4 }' /proc/slabinfo; }

# A round takes some 6 guest s (0.7 s a variant and the connections):
# all 5 end before the first round's TIME_WAIT sockets (60 s) expire and
# are freed inside a later reading (plink's, IPVS's and conntrack's
# entries of closed connections last 120 s).
fam_mem()
{
	local n=2000 r v got d
	[ "$smoke" = 1 ] && n=40
	peers_setup
	rr_servers
	for ((r = 0; r < rounds; r++)); do
		for v in plink ipvs ipvs-snat nft netkit loopback veth; do
			have $v || continue
			# The last variant's server side closes, and its TIME_WAIT
			# sockets are made, before the first reading.
			sleep 0.2
			slab_objs >/tmp/mem0
			# The slabs are read while bnet holds the connections.
			ip netns exec "$(ns_of $v)" bnet hold "$(dst_of $v)" 8002 $n 0.5 |
				{ read -r got; echo "$got" >/tmp/memgot; slab_objs >/tmp/mem1; cat >/dev/null; }
			got=$(cat /tmp/memgot)
			if [ "$got" != $n ]; then
				diag "mem $v: $got of $n connections opened"
				emit "R mem $v $r"
				continue
			fi
			# All caches, and the load balancers' own (the rest is
			# both sockets' memory, and conntrack's extensions).
			d=$(awk -v n=$n 'NR == FNR { b[$1] = $2; next }
				{ d = $2 - b[$1]; t += d
				  if ($1 ~ /^(nf_conntrack|ip_vs_conn|plink_flow)$/) { o[$1] = d; lb += d } }
				END { printf "%.1f %.1f", t / n, lb / n
				      for (c in o) printf " %s=%.1f", c, o[c] / n }' /tmp/mem0 /tmp/mem1)
			set -- $d
			emit "R mem $v $r $1"
			emit "R memlb $v $r $2"
			shift 2
			[ $r != 0 ] || diag "mem $v: bytes per connection: all slabs ${d%% *}; $*"
		done
	done
}

# --- (4) in-kernel micro-benchmarks ---------------------------------------------

fam_micro()
{
	local keys=8192
	[ "$smoke" = 1 ] && keys=512
	dmesg -c >/dev/null
	insmod /lib/modules/plink/plink_bench.ko mode=micro rounds="$rounds" \
		nkeys=$keys 2>/dev/null
	rmmod plink_bench
	dmesg | grep -q 'plink_bench: done' || diag "plink_bench micro did not finish"
	dmesg | sed -n 's/.*plink_bench: \([RV] .*\)/\1/p' >&3
}

# --- (6) balance over 100 targets, and flows that move ---------------------------

fam_balance()
{
	local n=2000 i t
	[ "$smoke" = 1 ] && n=200
	dmesg -c >/dev/null
	insmod /lib/modules/plink/plink_bench.ko mode=balance 2>/dev/null
	rmmod plink_bench
	dmesg | grep -q 'plink_bench: done' || diag "plink_bench balance did not finish"
	dmesg | sed -n 's/.*plink_bench: \(V .*\)/\1/p' >&3

	# The datapath: $n UDP flows over 100 targets, one target removed.
	for i in $(seq 1 100); do
		echo "addr add 10.0.1.$i/32 dev tg0"
	done | ip -n P -batch -
	plinkctl -n P service add bal dev nlb0 addr 10.0.0.201 listener udp:7000 \
		acceptance auto allow '*' timeout udp 6000 >/dev/null || diag "bal service failed"
	for i in $(seq 1 100); do
		plinkctl -n P target add bal "10.0.1.$i" || diag "bal target $i failed"
	done
	ip netns exec P bnet udpecho 7000 &
	udpecho=1
	ip netns add B
	ip -n B link set lo up
	ip -n B link add pl0 type plink
	ip -n B link set pl0 up
	ip -n B addr add 10.9.9.9/32 dev pl0
	plinkctl -n B endpoint add bal dev pl0 addr 10.0.0.102 >/dev/null ||
		diag "bal endpoint failed"
	sleep 0.3
	ip netns exec B bnet udpprobe 10.0.0.102 7000 20000 $n >/tmp/before
	diag "balance: $(grep -c fail /tmp/before) of $n probes failed before"
	awk '{ c[$2]++ } END { m = 0; for (t in c) if (c[t] > m) m = c[t];
		printf "V dp_flows_max_mean %d\n", m * 100 * 1000 / NR }' /tmp/before >&3
	t=10.0.1.37
	plinkctl -n P target del bal $t || diag "target del failed"
	ip netns exec B bnet udpprobe 10.0.0.102 7000 20000 $n >/tmp/after
	ip netns exec B bnet udpprobe 10.0.0.102 7000 40000 $n >/tmp/new
	paste -d' ' /tmp/before /tmp/after | awk -v t=$t '
		$2 != "fail" { n++; if ($4 != $2) { m++; if ($2 == t) mr++ } if ($2 == t) on++ }
		END { printf "V existing_moved_ppm %d\n", m * 1000000 / n;
		      printf "V existing_on_removed %d\n", on;
		      printf "V existing_on_removed_moved %d\n", mr }' >&3
	emit "V newflows_to_removed $(grep -c " $t\$" /tmp/new)"
	emit "V newflows_failed $(grep -c fail /tmp/new)"
}

# --- (5) scale: memory per flow; 4096 consumer netns ----------------------------

slab_bytes()
{
	# bytes of the plink_flow cache's slabs, and its active objects
	awk '$1 == "plink_flow" { print $14 * $6 * 4096, $2 }' /proc/slabinfo
}

memkb()
{
	# Slab + Percpu + PageTables + KernelStack, kB
	awk '/^(Slab|Percpu|PageTables|KernelStack):/ { s += $2 } END { print s }' /proc/meminfo
}

slabs()
{
	# each slab cache's bytes (its slabs' pages)
	awk 'NR > 2 { print $1, $14 * $6 * 4096 }' /proc/slabinfo
}

fam_scale()
{
	local f1=100000 f2=1000000 neps=4096 nbase=256 i b0 o0 b1 o1 t0 t1 m0 m1 sent
	if [ "$smoke" = 1 ]; then
		f1=5000 f2=10000 neps=32 nbase=8
	fi
	# A (NLB address, target) pair holds at most 64 512 flows of a proto
	# (one per SNAT port): 8 NLB addresses and 4 targets hold 2 million.
	# max-flows may not exceed the global table; one endpoint may hold it
	# all (its default share is a quarter).
	tflows=$(cat /sys/module/plink/parameters/max_flows)
	plinkctl -n P service add scale dev nlb0 addr 10.0.0.202 addr 10.0.0.203 \
		addr 10.0.0.204 addr 10.0.0.205 addr 10.0.0.206 addr 10.0.0.207 \
		addr 10.0.0.208 addr 10.0.0.209 listener udp:53 \
		listener udp:7000 acceptance auto allow '*' timeout udp 6000 \
		max-flows "$tflows" endpoint-max-flows "$tflows" >/dev/null ||
		diag "scale service failed"
	for i in 1 2 3 4; do
		[ $i = 1 ] || ip -n P addr add 10.0.0.$i/32 dev tg0
		plinkctl -n P target add scale 10.0.0.$i || diag "scale target failed"
	done
	ip netns exec P bnet udpsink 0.0.0.0 53 &
	[ -n "${udpecho:-}" ] || ip netns exec P bnet udpecho 7000 &
	ip netns add S
	ip -n S link add pl0 type plink
	ip -n S link set pl0 up
	plinkctl -n S endpoint add scale dev pl0 addr 10.0.0.103 >/dev/null ||
		diag "scale endpoint failed"
	set -- $(slab_bytes)
	b0=${1:-0} o0=${2:-0}
	sent=0
	# Each flow: its own source address and port (60 000 ports an address);
	# the second batch comes from another /16.
	for n in $f1 $f2; do
		net=172.16.0.0
		[ $sent -gt 0 ] && net=172.20.0.0
		ip netns exec S bnet spray $net 10.0.0.103 53 $((n - sent)) >/dev/null
		sent=$n
		sleep 0.2
		set -- $(slab_bytes)
		b1=${1:-0} o1=${2:-0}
		local act
		act=$(plinkctl -n P -j stats service scale | jq -r '.services[0].stats.flows_active')
		diag "scale: $n sent, $act flows active, plink_flow: $((o1 - o0)) objects, $((b1 - b0)) bytes"
		emit "V flows_$n $act"
		awk -v b=$((b1 - b0)) -v o=$((o1 - o0)) -v n=$n 'BEGIN {
			printf "V mem_per_flow_%d %.1f\n", n, b / o }' >&3
	done
	grep '^plink_flow ' /proc/slabinfo | sed 's/^/# slabinfo: /' >&3

	# 4096 consumer netns, one endpoint each, to one service.  One ip
	# process makes the netns and their devices; then one plinkctl each.
	# ip -batch keeps each new netns open: one file each.
	ulimit -n 65536
	for ((i = 1; i <= neps; i++)); do
		echo "netns add e$i"
		echo "link add pl0 netns e$i up type plink"
	done | ip -force -batch - 2>/tmp/batch.err || diag "scale: ip -batch failed: $(sort /tmp/batch.err | uniq -c | sort -rn | head -n 3)"
	diag "scale: $(ls /run/netns | wc -l) netns"
	free -m | sed 's/^/# free: /' >&3
	# Both sides enter the netns the same way, nsenter (setns, then exec):
	# "ip -n" would also copy the mount namespace, one bind mount per netns
	# in /run/netns, and charge the baseline for it.
	t0=$(now_ns)
	for ((i = 1; i <= 16; i++)); do
		ip -n "e$i" link set lo up
	done
	t1=$(now_ns)
	diag "scale: one 'ip -n NS' with $(ls /run/netns | wc -l) netns: $(( (t1 - t0) / 16 )) ns (not used)"
	# Baseline: one "ip" process each doing one netlink change in $nbase netns.
	t0=$(now_ns)
	for ((i = 1; i <= nbase; i++)); do
		nsenter --net="/run/netns/e$i" ip addr add 10.0.0.5/32 dev pl0
	done
	t1=$(now_ns)
	emit "V ep_base_ns $(( (t1 - t0) / nbase ))"
	sync
	echo 3 >/proc/sys/vm/drop_caches
	m0=$(memkb)
	slabs >/tmp/slab0
	t0=$(now_ns)
	fails=0
	for ((i = 1; i <= neps; i++)); do
		nsenter --net="/run/netns/e$i" \
			plinkctl endpoint add scale dev pl0 addr 10.0.0.100 >/dev/null ||
			fails=$((fails + 1))
	done
	t1=$(now_ns)
	sleep 1
	m1=$(memkb)
	slabs >/tmp/slab1
	# The slab caches that grew most, per endpoint.
	diag "scale: slab growth per endpoint: $(awk 'NR == FNR { b[$1] = $2; next }
		{ d = $2 - b[$1]; if (d > 0) print d, $1 }' /tmp/slab0 /tmp/slab1 |
		sort -rn | head -n 6 | awk -v n=$neps '{ printf "%s %.0f B; ", $2, $1 / n }')"
	emit "V ep_count $neps"
	emit "V ep_fails $fails"
	emit "V ep_create_ns $(( (t1 - t0) / neps ))"
	emit "V ep_mem_bytes $(( (m1 - m0) * 1024 / neps ))"
	ip -n "e$neps" addr add 10.0.0.5/32 dev pl0 2>/dev/null
	r=$(ip netns exec "e$neps" bnet udpprobe 10.0.0.100 7000 33000 1)
	diag "scale: the last endpoint's probe: $r"
	[[ "$r" == "33000 10.0.0."[1-4] ]] && emit "V ep_last_ok 1" || emit "V ep_last_ok 0"
}

# The profile family (fam_profile), in a file of its own.
. /plink/bench/profile.sh
topology
for f in $families; do
	t0=$(now_ns)
	diag "family $f"
	"fam_$f"
	diag "family $f took $(( ($(now_ns) - t0) / 1000000 )) guest ms"
done
sed 's/^/# stderr: /' /tmp/bench.err | tail -n 20 >&3
dmesg | grep -E 'BUG|WARNING|Oops|RIP' | head -n 20 | sed 's/^/# dmesg: /' >&3
emit "# uptime at end: $(cut -d" " -f1 /proc/uptime) s"
emit "# bench-done"
exec 3>&-
sync
reboot -f
