#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Helpers for the plink datapath kselftests: a provider netns with targets
# that answer with their name, consumer netns that reuse the provider's
# CIDR, clients, long-lived sessions and counters.
#
# A target's TCP server (port 8080) first sends one line,
#	NAME PEERADDR PEERPORT SOCKADDR SOCKPORT
# (socat's view of the connection: the provider sees the NLB address and
# the SNAT port as the peer), then answers each line L it reads with
# "NAME L".  Its UDP server (port 5353) answers each datagram with
# "NAME PEERADDR PEERPORT".  Port 9000 takes an upload and answers with
# sha256sum's line; port 9001 sends $DP_BULK.  (socat drops single quotes
# from a SYSTEM command.)

source "$(dirname "${BASH_SOURCE[0]}")/plink.sh"

DP_TMP=/tmp/plink-dp.$$
mkdir -p "$DP_TMP"
DP_BULK=$DP_TMP/bulk.bin

# Writing to a session whose client has gone must fail, not kill the test.
trap '' PIPE

dp_cleanup()
{
	local fd ns dev
	for fd in "${DP_SESS_FD[@]}"; do
		exec {fd}>&- 2>/dev/null
	done
	# Service names are global, and a deleted netns goes asynchronously:
	# delete the plink devices (and with them services and endpoints) now,
	# so that the next test may reuse the names.
	for ns in "${NS_LIST[@]}"; do
		for dev in $(ip -n "$ns" -o link show type plink 2>/dev/null |
			     awk -F': ' '{ print $2 }'); do
			ip -n "$ns" link del "$dev" 2>/dev/null
		done
	done
	cleanup_all_ns >/dev/null 2>&1
	rm -rf "$DP_TMP"
}
trap dp_cleanup EXIT

# dp_debug: true on the debug kernel (KASAN, lockdep: slow under TCG).
dp_debug()
{
	[[ "$(uname -r)" == *plinkdbg* ]]
}

# DP_IPERF: options for an iperf3 client that runs alongside the checks;
# on debug it is paced (TCP too): flat out, it takes the VM's vCPUs from
# the checks that wait for counters and lines.  DP_FLOOD_PPS: dp_flood's
# pace, the same way.
DP_IPERF=()
DP_FLOOD_PPS=
dp_debug && DP_IPERF=(-b 5M) DP_FLOOD_PPS=1000

# dp_provider NS: nlb0 (plink, up) and tg0 (dummy, up) for the targets.
dp_provider()
{
	ip -n "$1" link add nlb0 type plink
	ip -n "$1" link set nlb0 up
	ip -n "$1" link add tg0 type dummy
	ip -n "$1" link set tg0 up
}

# dp_consumer NS [ADDR...]: a dummy with the provider's CIDR (10.0.0.5/24,
# fd00::5/64, and each extra ADDR), and pl0 (plink, up).
dp_consumer()
{
	local ns=$1 a
	shift
	ip -n "$ns" link add lan0 type dummy
	ip -n "$ns" link set lan0 up
	ip -n "$ns" addr add 10.0.0.5/24 dev lan0
	ip -n "$ns" addr add fd00::5/64 dev lan0 nodad
	for a in "$@"; do
		if [[ "$a" == *:* ]]; then
			ip -n "$ns" addr add "$a" dev lan0 nodad
		else
			ip -n "$ns" addr add "$a" dev lan0
		fi
	done
	ip -n "$ns" link add pl0 type plink
	ip -n "$ns" link set pl0 up
	# A connection whose SYN is dropped fails in 3 s, not 127.
	ip netns exec "$ns" sysctl -qw net.ipv4.tcp_syn_retries=1
}

# dp_target NS NAME ADDR[/PLEN]: ADDR on tg0 in NS, and the servers of a
# target bound to it (TCP 8080 sessions, UDP 5353, TCP 9000/9001 bulk).
dp_target()
{
	local ns=$1 name=$2 addr=${3%/*} plen=${3#*/}

	if [ "$plen" = "$3" ]; then
		plen=24
		[[ "$addr" == *:* ]] && plen=64
	fi
	if [[ "$addr" == *:* ]]; then
		ip -n "$ns" addr add "$addr/$plen" dev tg0 nodad
	else
		ip -n "$ns" addr add "$addr/$plen" dev tg0
	fi
	dp_servers "$ns" "$name" "$addr"
}

# dp_servers NS NAME ADDR: the servers of target NAME, bound to ADDR (an
# address NS has).
dp_servers()
{
	local ns=$1 name=$2 addr=$3 tcp baddr
	local hello='echo "'$name' $SOCAT_PEERADDR $SOCAT_PEERPORT $SOCAT_SOCKADDR $SOCAT_SOCKPORT"'

	if [[ "$addr" == *:* ]]; then
		tcp=TCP6-LISTEN baddr="[$addr]"
	else
		tcp=TCP4-LISTEN baddr=$addr
	fi
	ip netns exec "$ns" socat "$tcp:8080,bind=$baddr,reuseaddr,fork,backlog=128" \
		SYSTEM:"$hello; while read -r l; do echo \"$name \$l\"; done" \
		</dev/null >/dev/null 2>&1 &
	# UDP: one process, one socket (selftests/tools/udp-reply.c).
	ip netns exec "$ns" udp-reply "$name" "$addr" 5353 \
		</dev/null >/dev/null 2>&1 &
	ip netns exec "$ns" socat "$tcp:9000,bind=$baddr,reuseaddr,fork" \
		SYSTEM:sha256sum </dev/null >/dev/null 2>&1 &
	ip netns exec "$ns" socat -U "$tcp:9001,bind=$baddr,reuseaddr,fork" \
		OPEN:"$DP_BULK" </dev/null >/dev/null 2>&1 &
	# One netstat a try for all four (a process is dear on debug).
	slowwait 10 dp_servers_up "$ns" "$addr" >/dev/null
}

# dp_servers_up NS ADDR: the four servers of dp_servers listen on ADDR.
dp_servers_up()
{
	local proto addr have= p

	while read -r proto _ _ addr _; do
		have+=" ${proto:0:3}:$addr"
	done < <(ip netns exec "$1" netstat -tuln)
	for p in tcp:8080 tcp:9000 tcp:9001 udp:5353; do
		[[ "$have " == *" ${p%%:*}:$2:${p#*:} "* ]] || return 1
	done
}

# dp_wait_listen NS PORT [ADDR [-u]]: wait until a TCP socket listens on
# PORT (with -u: a UDP socket is bound to it).
dp_wait_listen()
{
	local p=t

	[ "${4:-}" = -u ] && p=u
	slowwait 10 bash -c "ip netns exec $1 netstat -${p}ln | grep -q '${3:-}:$2 '" >/dev/null
}

# dp_flood NS ADDR PORT: the first datagram to ADDR:PORT (UDP) gets an
# endless stream of 1000-byte datagrams back; returns once the server is
# bound (before that, the client would get port unreachable and never ask
# again).  RECVFROM's socket is at EOF after that one datagram: -t keeps
# socat waiting for cat, slow to start on debug.  On debug the stream is
# paced (DP_FLOOD_PPS datagrams a second, from python3): flat out, it
# takes the VM's vCPUs from the checks, as an unpaced iperf3 would.
dp_flood()
{
	if [ -n "${DP_FLOOD_PPS:-}" ]; then
		ip netns exec "$1" python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], int(sys.argv[2])))
peer = s.recvfrom(2048)[1]
gap, buf, end = 1.0 / int(sys.argv[3]), bytes(1000), time.time() + 600
while time.time() < end:
    try:
        s.sendto(buf, peer)
    except OSError:
        pass
    time.sleep(gap)' "$2" "$3" "$DP_FLOOD_PPS" </dev/null >/dev/null 2>&1 &
	else
		ip netns exec "$1" socat -t 600 -b 1000 "UDP4-RECVFROM:$3,bind=$2" \
			SYSTEM:'cat /dev/zero' </dev/null >/dev/null 2>&1 &
	fi
	slowwait 10 bash -c "ip netns exec $1 netstat -uln | grep -q '$2:$3 '" >/dev/null
}

# dp_bulk SIZE_MB: the file the bulk servers send.
dp_bulk()
{
	[ -s "$DP_BULK" ] || head -c $(($1 * 1048576)) /dev/urandom >"$DP_BULK"
}

# dp_get NS ADDR PORT [SOCAT_OPTS]: one TCP connection; prints the server's
# first line, nothing when the connection fails.  Exit status: socat's.
dp_get()
{
	local host=$2
	[[ "$host" == *:* ]] && host="[$host]"
	ip netns exec "$1" timeout 20 socat -t 10 -T 10 - \
		"TCP:$host:$3,connect-timeout=${DP_CONNECT_TIMEOUT:-5}${4:+,$4}" \
		</dev/null 2>"$DP_TMP/get.err" | head -n 1
	return "${PIPESTATUS[0]}"
}

# dp_udp NS ADDR PORT [SOCAT_OPTS]: one UDP request, prints the answer.
# Waits for it up to $DP_UDP_WAIT seconds (5 by default: slow at times
# under TCG, on the debug kernel), but returns as
# soon as it comes or socat ends (an ICMP error: "Connection refused" in
# udp.err).
dp_udp()
{
	local host=$2 w=${DP_UDP_WAIT:-5} out=$DP_TMP/udp.out pid

	[[ "$host" == *:* ]] && host="[$host]"
	: >"$out"
	echo ping | ip netns exec "$1" timeout $((w + 5)) socat -t "$w" - \
		"UDP:$host:$3${4:+,$4}" >"$out" 2>"$DP_TMP/udp.err" &
	pid=$!
	slowwait "$w" bash -c "[ -s $out ] || ! kill -0 $pid 2>/dev/null" >/dev/null
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	head -n 1 "$out"
}

# dp_udp_many NS ADDR PORT N: N UDP requests at once, each from its own
# source port (one python3, not a socat per request); prints the first word
# of each answer, one line per request in order, "fail" for one unanswered
# within $DP_UDP_WAIT seconds (15: the targets fork a responder per
# datagram).
dp_udp_many()
{
	ip netns exec "$1" python3 -c '
import select, socket, sys, time
host, port, n, wait = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
fam = socket.AF_INET6 if ":" in host else socket.AF_INET
socks = [socket.socket(fam, socket.SOCK_DGRAM) for _ in range(n)]
for s in socks:
	s.setblocking(False)
	try:
		s.sendto(b"ping\n", (host, port))
	except OSError:
		pass
ans = {}
end = time.monotonic() + wait
while len(ans) < n and time.monotonic() < end:
	r, _, _ = select.select([s for s in socks if s not in ans], [], [],
				end - time.monotonic())
	for s in r:
		try:
			w = s.recv(2048).split()
			ans[s] = w[0].decode() if w else "fail"
		except OSError:
			ans[s] = "fail"
print("\n".join(ans.get(s, "fail") for s in socks))
' "$2" "$3" "$4" "${DP_UDP_WAIT:-15}"
}

# dp_loop NS ADDR N: N short TCP connections to ADDR:80 one after the
# other, printing the name of the target that answered each ("fail" when
# none did; after 3 failures in a row, the rest are "fail" at once).
# With DP_LOOP_PACE=SEC, SEC seconds pass between two connections (each
# costs the target a few processes, dear on debug).
dp_loop()
{
	ip netns exec "$1" timeout 600 bash -c '
		bad=0
		[ -n "$2" ] && exec 9<> <(:)
		for ((i = 0; i < $1; i++)); do
			((i)) && [ -n "$2" ] && read -r -t "$2" -u 9
			name=fail
			if ((bad < 3)) && exec 5<>"/dev/tcp/$0/80"; then
				read -r -t 10 name rest <&5 || name=fail
				exec 5<&-
			fi
			[ "$name" = fail ] && bad=$((bad + 1)) || bad=0
			echo "$name"
		done 2>/dev/null' "$2" "$3" "${DP_LOOP_PACE:-}"
}

# dp_count NAME <LINES: how many lines are NAME.
dp_count()
{
	grep -cx -- "$1"
}

# Long-lived TCP sessions: a socat client in a consumer netns fed from a
# fifo, its output in a file.  Not in $(...): the session lives in the
# shell that opens it.
declare -A DP_SESS_FD DP_SESS_PID
# dp_sess_open NAME NS ADDR PORT [SOCAT_OPTS]: connect; the server's first
# line is in $DP_LINE (fails when none comes).
dp_sess_open()
{
	local name=$1 ns=$2 host=$3 port=$4 opts=${5:-} fd
	[[ "$host" == *:* ]] && host="[$host]"
	rm -f "$DP_TMP/s-$name".*
	mkfifo "$DP_TMP/s-$name.in"
	: >"$DP_TMP/s-$name.out"
	# -d: socat logs a reset ("W read(...): Connection reset by peer").
	ip netns exec "$ns" socat -d -t 5 - "TCP:$host:$port,connect-timeout=5${opts:+,$opts}" \
		<"$DP_TMP/s-$name.in" >"$DP_TMP/s-$name.out" 2>"$DP_TMP/s-$name.err" &
	DP_SESS_PID[$name]=$!
	exec {fd}>"$DP_TMP/s-$name.in"
	DP_SESS_FD[$name]=$fd
	DP_LINE=$(dp_sess_wait "$name" 1)
}

# dp_sess_wait NAME N: wait for the session's Nth line, print it; fails
# when it does not come, or the client has gone without it.
dp_sess_wait()
{
	local f=$DP_TMP/s-$1.out
	slowwait 10 bash -c "[ \$(wc -l <$f) -ge $2 ] || ! kill -0 ${DP_SESS_PID[$1]} 2>/dev/null" >/dev/null
	[ "$(wc -l <"$f")" -ge "$2" ] || return 1
	sed -n "${2}p" "$f"
}

# dp_sess_say NAME LINE: send LINE, print the answer.
dp_sess_say()
{
	local f=$DP_TMP/s-$1.out n
	n=$(($(wc -l <"$f") + 1))
	echo "$2" >&"${DP_SESS_FD[$1]}" 2>/dev/null || return 1
	dp_sess_wait "$1" "$n"
}

# dp_sess_alive NAME: the session's client still runs.
dp_sess_alive()
{
	kill -0 "${DP_SESS_PID[$1]}" 2>/dev/null
}

# dp_sess_reset NAME SEC: wait up to SEC seconds for the session's client
# to be reset (or to end); true when it was reset.  Sends nothing.
dp_sess_reset()
{
	local e=$DP_TMP/s-$1.err

	slowwait "$2" bash -c "grep -q 'Connection reset' $e || ! kill -0 ${DP_SESS_PID[$1]} 2>/dev/null" >/dev/null
	grep -q 'Connection reset' "$e"
}

# dp_sess_close NAME
dp_sess_close()
{
	local fd=${DP_SESS_FD[$1]:-}
	[ -n "$fd" ] && exec {fd}>&-
	unset "DP_SESS_FD[$1]"
	kill "${DP_SESS_PID[$1]}" 2>/dev/null
	wait "${DP_SESS_PID[$1]}" 2>/dev/null
	return 0
}

# dp_stat NS {service NAME|endpoint ID} KEY: one counter.
dp_stat()
{
	plinkctl -n "$1" -j stats "$2" "$3" | jq -r ".${2}s[0].stats.$4"
}

# dp_target_stat NS SERVICE ADDR KEY: one target's counter.
dp_target_stat()
{
	plinkctl -n "$1" -j stats service "$2" |
		jq -r --arg a "$3" '.services[0].targets[] | select(.target_addr == $a) | .stats.'"$4"
}

# dp_link NS DEV {rx|tx} {packets|bytes|dropped}
dp_link()
{
	ip -n "$1" -j -s link show "$2" | jq -r ".[0].stats64.$3.$4"
}

# expect_gt DESC A B: A > B (numbers).
expect_gt()
{
	RET=0
	retmsg=
	if ! [[ "$2" =~ ^[0-9]+$ ]] || ! [[ "$3" =~ ^[0-9]+$ ]] || (($2 <= $3)); then
		RET=$ksft_fail
		retmsg="got '$2', expected more than '$3'"
	fi
	log_test "$1"
}

# expect_range DESC N MIN MAX
expect_range()
{
	RET=0
	retmsg=
	if ! [[ "$2" =~ ^[0-9]+$ ]] || (($2 < $3 || $2 > $4)); then
		RET=$ksft_fail
		retmsg="got '$2', expected $3..$4"
	fi
	log_test "$1"
}

# expect_match DESC STRING ERE
expect_match()
{
	RET=0
	retmsg=
	if ! grep -qE -- "$3" <<<"$2"; then
		RET=$ksft_fail
		retmsg="got '$2', expected /$3/"
	fi
	log_test "$1"
}

# dp_csum HEX: the Internet checksum of the bytes HEX (whole 16-bit
# words), as four hex digits.
dp_csum()
{
	local h=$1 s=0 i

	for ((i = 0; i < ${#h}; i += 4)); do
		s=$((s + 16#${h:i:4}))
	done
	while ((s >> 16)); do
		s=$(((s & 0xffff) + (s >> 16)))
	done
	printf '%04x' $((~s & 0xffff))
}

# dp_ip4 A.B.C.D: the address as eight hex digits.
dp_ip4()
{
	local IFS=.

	# shellcheck disable=SC2086
	printf '%02x%02x%02x%02x' $1
}

# dp_tcp4 SRC SPORT DST DPORT FLAGS [SEQ [IPOPTS]]: an IPv4 TCP segment
# without payload, its checksums right, as hex.  FLAGS is a byte in hex
# (02 SYN, 04 RST, 10 ACK); IPOPTS are IPv4 options in hex (whole words).
dp_tcp4()
{
	local s d tcp ip opts=${7:-}

	s=$(dp_ip4 "$1")
	d=$(dp_ip4 "$3")
	tcp=$(printf '%04x%04x%08x%08x50%s721000000000' "$2" "$4" "${6:-1000}" 0 "$5")
	tcp=${tcp:0:32}$(dp_csum "${s}${d}00060014${tcp}")${tcp:36}
	ip=$(printf '4%x00%04x000040004006' $((5 + ${#opts} / 8)) \
		$((40 + ${#opts} / 2)))
	ip=${ip}$(dp_csum "${ip}0000${s}${d}${opts}")${s}${d}${opts}
	echo "${ip}${tcp}"
}

# dp_packet_type ETHERTYPE NS DEV HEX: send the packet HEX on DEV through an
# AF_PACKET SOCK_DGRAM socket (sockaddr_ll: ETHERTYPE, DEV's ifindex, no
# address).
dp_packet_type()
{
	local ifindex sll

	ifindex=$(ip -n "$2" -j link show "$3" | jq '.[0].ifindex')
	sll=$1$(printf '%02x%02x%02x%02x' $((ifindex & 255)) \
		$((ifindex >> 8 & 255)) $((ifindex >> 16 & 255)) $((ifindex >> 24)))
	sll=${sll}00000000$(printf '%016x' 0)
	# shellcheck disable=SC2059
	printf "$(sed 's/../\\x&/g' <<<"$4")" |
		ip netns exec "$2" socat -u - "SOCKET-SENDTO:17:2:0:x$sll"
}

# dp_packet NS DEV HEX: send the IPv4 packet HEX on DEV.
dp_packet()
{
	dp_packet_type 0800 "$@"
}

# dp_packet6 NS DEV HEX: send the IPv6 packet HEX on DEV.
dp_packet6()
{
	dp_packet_type 86dd "$@"
}

# dp_ip6 ADDR: the IPv6 address as 32 hex digits.
dp_ip6()
{
	local a=$1 head tail g out= n i
	local -a hg=() tg=()

	if [[ "$a" == *::* ]]; then
		head=${a%%::*} tail=${a#*::}
	else
		head=$a tail=
	fi
	IFS=: read -ra hg <<<"$head"
	IFS=: read -ra tg <<<"$tail"
	n=$((8 - ${#hg[@]} - ${#tg[@]}))
	for g in "${hg[@]}"; do out+=$(printf '%04x' "0x$g"); done
	for ((i = 0; i < n; i++)); do out+=0000; done
	for g in "${tg[@]}"; do out+=$(printf '%04x' "0x$g"); done
	echo "$out"
}
