#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Consumer identity for providers: the proxy-protocol setting (refused
# for a service with no TCP listener, shown, saved), and a target looking
# up who is behind a connection: flow get in the service's netns, by the
# NLB address and port the target sees as its peer and its own address
# and port, answers the endpoint id and its owner; the consumer may not
# ask.
#
# Then the header itself, at a target in netns T behind a veth from the
# provider (which forwards): nginx with "listen ... proxy_protocol" names
# each v4 and v6 client of two consumers; a raw capture holds the whole
# header (signature, addresses and ports, TLV 0xEA/0x01 with the endpoint
# id, TLV 0xE0 with the owner's uid) and then the client's bytes; 10 MB
# each way arrive intact; a server that speaks first gets the header
# before the client's bytes.  An nftables rule in T drops the first copy
# of each header: a banner-first server, a client that speaks first and a
# quiet connection (the flow GC's turn) each get it again, and
# ppv2-retransmits counts it.  With netem dropping 5 % of what the
# provider sends T, transfers and requests still come out right.
#
#   C, D (pl0) ~plink~ P (nlb0) --veth pt0/tp0-- T (nginx, socat)

source "$(dirname "$0")/lib/datapath.sh"
require_plink
# nftables, from the initramfs (not loaded at boot).
if [ ! -d /sys/module/nf_tables ] && [ -e /lib/modules/nft/order ]; then
	while read -r m; do
		[ -d "/sys/module/$m" ] || insmod "/lib/modules/nft/$m.ko"
	done </lib/modules/nft/order
fi
setup_ns P C T D || exit $ksft_fail

dp_provider "$P"
dp_target "$P" t1 10.0.0.1
dp_target "$P" t6 fd00::1
plinkctl -n "$P" service add ppweb dev nlb0 addr 10.0.0.200 addr fd00::200 \
	listener tcp:80:8080 acceptance auto allow '*'
plinkctl -n "$P" target add ppweb 10.0.0.1
plinkctl -n "$P" target add ppweb fd00::1
dp_consumer "$C"
ID=$(plinkctl -n "$C" endpoint add ppweb dev pl0 addr 10.0.0.100 \
	addr fd00::100)

# --- the setting --------------------------------------------------------------

expect_eq "proxy-protocol is off by default" \
	"$(plinkctl -n "$P" -j service show ppweb | jq -r '.[0].proxy_protocol')" off
expect_fail "a service with only UDP listeners is refused proxy-protocol" \
	'proxy-protocol applies to TCP listeners' \
	plinkctl -n "$P" service add ppudp dev nlb0 addr 10.0.0.201 \
	listener udp:53 proxy-protocol v2
expect_ok "a TCP service takes proxy-protocol v2" \
	plinkctl -n "$P" service set ppweb proxy-protocol v2
expect_eq "service show says so, text and JSON" \
	"$(plinkctl -n "$P" service show ppweb | grep -o 'proxy-protocol v2')/$(plinkctl -n "$P" -j service show ppweb | jq -r '.[0].proxy_protocol')" \
	"proxy-protocol v2/v2"
expect_fail "its listeners may not become UDP only" \
	'proxy-protocol applies to TCP listeners' \
	plinkctl -n "$P" service set ppweb listener udp:53
expect_eq "save writes it" \
	"$(plinkctl -n "$P" save | grep -c '^service add ppweb .* proxy-protocol v2')" 1
expect_ok "proxy-protocol off" \
	plinkctl -n "$P" service set ppweb proxy-protocol off
expect_eq "then save leaves it out" \
	"$(plinkctl -n "$P" save | grep -c 'proxy-protocol')" 0

# --- who is behind a connection -------------------------------------------------

# whoami: what flow get answers the target of the session, asking with
# what it sees ($DP_LINE: "NAME PEERADDR PEERPORT SOCKADDR SOCKPORT"; socat
# writes an IPv6 address in brackets).
whoami()
{
	plinkctl -n "$P" -j flow get service ppweb proto tcp \
		nlb "$paddr:$pport" target "$saddr:$sport" |
		jq -c '.[0] | [.endpoint, .owner_uid]'
}

for v in 4 6; do
	if [ "$v" = 4 ]; then addr=10.0.0.100; else addr=fd00::100; fi
	dp_sess_open s$v "$C" "$addr" 80
	expect_match "IPv$v: a session reaches a target" "$DP_LINE" '^t[16] '
	read -r _ paddr pport saddr sport <<<"$DP_LINE"
	expect_eq "IPv$v: the target learns the endpoint and its owner" \
		"$(whoami)" "[\"$ID\",0]"
	expect_fail "IPv$v: another port is no flow" 'no such flow' \
		plinkctl -n "$P" flow get service ppweb proto tcp \
		nlb "$paddr:$((pport ^ 1))" target "$saddr:$sport"
	expect_fail "IPv$v: the consumer may not ask by NLB address" \
		'no such service' \
		plinkctl -n "$C" flow get service ppweb proto tcp \
		nlb "$paddr:$pport" target "$saddr:$sport"
	expect_match "IPv$v: text output names the owner" \
		"$(plinkctl -n "$P" flow get service ppweb proto tcp \
		   nlb "$paddr:$pport" target "$saddr:$sport")" \
		"endpoint $ID service ppweb owner uid:0\$"
	dp_sess_close s$v
done

# --- the header ---------------------------------------------------------------

ip link add pt0 netns "$P" type veth peer name tp0 netns "$T"
ip -n "$P" addr add 192.168.1.1/24 dev pt0
ip -n "$P" addr add fd01::1/64 dev pt0 nodad
ip -n "$T" addr add 192.168.1.10/24 dev tp0
ip -n "$T" addr add fd01::10/64 dev tp0 nodad
ip -n "$P" link set pt0 up
ip -n "$T" link set tp0 up
ip -n "$T" route add default via 192.168.1.1
ip -n "$T" route add default via fd01::1
ip netns exec "$P" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1

# nginx answers every request with the client the header names.
NGX=$DP_TMP/nginx
mkdir -p "$NGX/tmp"
cat >"$NGX/nginx.conf" <<NGINX
daemon off;
master_process off;
worker_processes 1;
user root;
pid $NGX/nginx.pid;
error_log $NGX/error.log;
events { worker_connections 64; }
http {
	access_log off;
	client_body_temp_path $NGX/tmp;
	proxy_temp_path $NGX/tmp;
	fastcgi_temp_path $NGX/tmp;
	uwsgi_temp_path $NGX/tmp;
	scgi_temp_path $NGX/tmp;
	server {
		listen 192.168.1.10:8080 proxy_protocol;
		listen [fd01::10]:8080 proxy_protocol;
		location / {
			return 200 "\$proxy_protocol_addr \$proxy_protocol_port\n";
		}
	}
}
NGINX
ip netns exec "$T" nginx -e "$NGX/error.log" -p "$NGX" -c "$NGX/nginx.conf" \
	</dev/null >/dev/null 2>&1 &
# The bulk servers: 9001 sends $DP_BULK, 9002 a smaller file.  Each reads
# what it gets (the header): a socket closed with bytes unread sends a RST,
# and the client would lose the end of the file.
MB=10
dp_bulk $MB
SMALL=$DP_TMP/small.bin
head -c $((2 * 1048576)) "$DP_BULK" >"$SMALL"
for a in 192.168.1.10 '[fd01::10]'; do
	l=TCP4-LISTEN
	[[ "$a" == *:* ]] && l=TCP6-LISTEN
	ip netns exec "$T" socat "$l:9001,bind=$a,reuseaddr,fork" \
		SYSTEM:"cat $DP_BULK" </dev/null >/dev/null 2>&1 &
	ip netns exec "$T" socat "$l:9002,bind=$a,reuseaddr,fork" \
		SYSTEM:"cat $SMALL" </dev/null >/dev/null 2>&1 &
	# 8082 speaks first, then prints the first 16 bytes it reads.
	ip netns exec "$T" socat "$l:8082,bind=$a,reuseaddr,fork" \
		SYSTEM:"echo banner; head -c 16 | od -An -tx1" \
		</dev/null >/dev/null 2>&1 &
done
dp_wait_listen "$T" 8080 192.168.1.10
dp_wait_listen "$T" 8082 192.168.1.10
dp_wait_listen "$T" 9002 fd01::10

plinkctl -n "$P" service add pp dev nlb0 addr 10.0.0.210 addr fd00::210 \
	listener tcp:80:8080 listener tcp:81:8081 listener tcp:82:8082 \
	listener tcp:91:9001 listener tcp:92:9002 \
	acceptance auto allow '*' proxy-protocol v2
plinkctl -n "$P" target add pp 192.168.1.10
plinkctl -n "$P" target add pp fd01::10
dp_consumer "$D" 10.0.0.7/24 fd00::7/64
for ns in "$C" "$D"; do
	# netem below may drop a SYN twice: the default retries, not 1.
	ip netns exec "$ns" sysctl -qw net.ipv4.tcp_syn_retries=6
done
PP_C=$(plinkctl -n "$C" endpoint add pp dev pl0 addr 10.0.0.110 addr fd00::110)
PP_D=$(plinkctl -n "$D" endpoint add pp dev pl0 addr 10.0.0.120 addr fd00::120)

# pp_get NS SRC SPORT DST PORT: one HTTP request from SRC:SPORT, the body.
pp_get()
{
	local src=$2 dst=$4
	[[ "$dst" == *:* ]] && src="[$src]" dst="[$dst]"
	printf 'GET / HTTP/1.0\r\n\r\n' |
		ip netns exec "$1" timeout 30 socat -t 20 - \
		"TCP:$dst:$5,bind=$src,sourceport=$3,reuseaddr,connect-timeout=20" \
		2>/dev/null | tail -n 1
}

expect_eq "nginx: each client, v4 and v6, of each consumer is named" \
	"$(pp_get "$C" 10.0.0.5 40001 10.0.0.110 80)/$(pp_get "$C" fd00::5 40002 fd00::110 80)/$(pp_get "$D" 10.0.0.7 40003 10.0.0.120 80)/$(pp_get "$D" fd00::7 40004 fd00::120 80)" \
	"10.0.0.5 40001/fd00::5 40002/10.0.0.7 40003/fd00::7 40004"
expect_eq "ppv2-sent counts one header a connection" \
	"$(dp_stat "$P" service pp ppv2_sent)/$(dp_stat "$C" endpoint "$PP_C" ppv2_sent)/$(dp_stat "$D" endpoint "$PP_D" ppv2_sent)" \
	"4/2/2"

# The addresses the headers carry, in hex.
declare -A PP_HEX=(
	[10.0.0.5]=0a000005 [10.0.0.110]=0a00006e
	[fd00::5]=fd000000000000000000000000000005
	[fd00::110]=fd000000000000000000000000000110
)
# pp_str STR: a string's bytes in hex.
pp_str()
{
	printf '%s' "$1" | od -An -tx1 | tr -d ' \n'
}
# pp_want FAMILY CLIENT SPORT ENDPOINT DPORT ID: the header plink sends
# (the owner's uid is 0: TLV 0xE0 holds "0").
pp_want()
{
	local fam=11 alen=12

	[ "$1" = 6 ] && fam=21 alen=36
	printf '0d0a0d0a000d0a515549540a21%s%04x%s%s%04x%04xea%04x01%se0000130\n' \
		"$fam" $((alen + 3 + 1 + ${#6} + 4)) "${PP_HEX[$2]}" \
		"${PP_HEX[$4]}" "$3" "$5" $((1 + ${#6})) "$(pp_str "$6")"
}
# pp_capture NAME ADDR: a one-shot listener on 8081 that keeps what it reads.
pp_capture()
{
	local l=TCP4-LISTEN a=$2
	[[ "$a" == *:* ]] && l=TCP6-LISTEN a="[$a]"
	: >"$DP_TMP/cap.$1"
	ip netns exec "$T" socat -u "$l:8081,bind=$a,reuseaddr" \
		OPEN:"$DP_TMP/cap.$1",append </dev/null >/dev/null 2>&1 &
	dp_wait_listen "$T" 8081 "$2"
}
# pp_head NAME: the header at the start of capture NAME, in hex.
pp_head()
{
	local n
	n=$(od -An -tu1 -j14 -N2 "$DP_TMP/cap.$1" | awk '{ print $1 * 256 + $2 }')
	head -c $((16 + n)) "$DP_TMP/cap.$1" | od -An -tx1 | tr -d ' \n'
	echo
}
# pp_send NS SRC SPORT DST: "hello" to DST:81 from SRC:SPORT.
pp_send()
{
	local src=$2 dst=$4
	[[ "$dst" == *:* ]] && src="[$src]" dst="[$dst]"
	echo hello | ip netns exec "$1" timeout 30 socat -u - \
		"TCP:$dst:81,bind=$src,sourceport=$3,reuseaddr,connect-timeout=20"
}

for v in 4 6; do
	if [ $v = 4 ]; then src=10.0.0.5 ep=10.0.0.110 ta=192.168.1.10
	else src=fd00::5 ep=fd00::110 ta=fd01::10; fi
	pp_capture raw$v $ta
	pp_send "$C" $src 4108$v $ep
	slowwait 10 grep -q hello "$DP_TMP/cap.raw$v"
	expect_eq "IPv$v: the target reads the header, then the client's bytes" \
		"$(pp_head raw$v)/$(tail -c 6 "$DP_TMP/cap.raw$v")" \
		"$(pp_want $v $src 4108$v $ep 81 "$PP_C")/hello"
done

# pp_upload NS DST FILE: FILE up to a capture; prints its sha256 once the
# header is taken off.
pp_upload()
{
	local dst=$2 ta=192.168.1.10 n
	[[ "$dst" == *:* ]] && dst="[$dst]" ta=fd01::10
	pp_capture up "$ta"
	ip netns exec "$1" timeout 120 socat -u FILE:"$3" \
		"TCP:$dst:81,connect-timeout=20"
	slowwait 60 bash -c "[ \$(stat -c %s $DP_TMP/cap.up) -gt $(stat -c %s "$3") ]"
	n=$(od -An -tu1 -j14 -N2 "$DP_TMP/cap.up" | awk '{ print $1 * 256 + $2 }')
	tail -c +$((16 + n + 1)) "$DP_TMP/cap.up" | sha256sum | cut -d' ' -f1
}
# pp_download NS DST PORT: the sha256 of what a bulk server sends.
pp_download()
{
	local dst=$2
	[[ "$dst" == *:* ]] && dst="[$dst]"
	ip netns exec "$1" timeout 120 socat -u "TCP:$dst:$3,connect-timeout=20" - |
		sha256sum | cut -d' ' -f1
}
sum=$(sha256sum <"$DP_BULK" | cut -d' ' -f1)
expect_eq "$MB MB each way arrive intact" \
	"$(pp_upload "$C" 10.0.0.110 "$DP_BULK") $(pp_download "$C" 10.0.0.110 91)" \
	"$sum $sum"

BANNER=banner/0d0a0d0a000d0a515549540a21110029
dp_sess_open b1 "$C" 10.0.0.110 82
expect_eq "a server that speaks first gets the header before the client's bytes" \
	"$DP_LINE/$(dp_sess_wait b1 2 | tr -d ' ')" "$BANNER"
dp_sess_close b1

# --- lost headers ---------------------------------------------------------------

# The first copy of each header to 8081 and 8082 (IPv4) is dropped in T.
cat >"$DP_TMP/drop.nft" <<'NFT'
table inet pp {
	set seen {
		type ipv4_addr . inet_service
		flags dynamic
	}
	chain in {
		type filter hook input priority 0;
		ip saddr . tcp sport @seen accept
		tcp dport { 8081, 8082 } @th,160,32 0x0d0a0d0a add @seen { ip saddr . tcp sport } drop
	}
}
NFT
expect_ok "nftables in T drops the first copy of each header" \
	ip netns exec "$T" nft -f "$DP_TMP/drop.nft"
rx0=$(dp_stat "$P" service pp ppv2_retransmits)
dp_sess_open b2 "$C" 10.0.0.110 82
expect_eq "a lost header: a server that speaks first gets it again" \
	"$DP_LINE/$(dp_sess_wait b2 2 | tr -d ' ')" "$BANNER"
dp_sess_close b2
pp_capture lost4 192.168.1.10
pp_send "$C" 10.0.0.5 41090 10.0.0.110
slowwait 10 grep -q hello "$DP_TMP/cap.lost4"
expect_eq "a lost header: a client that speaks first, its bytes after it" \
	"$(pp_head lost4)/$(tail -c 6 "$DP_TMP/cap.lost4")" \
	"$(pp_want 4 10.0.0.5 41090 10.0.0.110 81 "$PP_C")/hello"
# A client that sends nothing (not even its FIN, for as long as the check
# runs: the target would answer that with a duplicate ACK): only the GC
# has the header sent again.
pp_capture quiet4 192.168.1.10
ip netns exec "$C" socat -u SYSTEM:"sleep 30" \
	TCP:10.0.0.110:81,connect-timeout=20 </dev/null >/dev/null 2>&1 &
quiet=$!
slowwait 15 bash -c "[ \$(stat -c %s $DP_TMP/cap.quiet4) -ge 16 ]"
expect_eq "a lost header: a quiet connection gets it from the GC" \
	"$(head -c 12 "$DP_TMP/cap.quiet4" | od -An -tx1 | tr -d ' \n')" \
	0d0a0d0a000d0a515549540a
kill $quiet 2>/dev/null
wait $quiet 2>/dev/null
dropped=$(ip netns exec "$T" nft -j list set inet pp seen |
	  jq '[.nftables[].set.elem // empty | length] | add')
rx=$(($(dp_stat "$P" service pp ppv2_retransmits) - rx0))
expect_eq "3 first copies dropped, ppv2-retransmits counts 3 or more" \
	"$dropped/$((rx >= 3))" "3/1"
ip netns exec "$T" nft delete table inet pp

# 5 % of what P sends T is lost: headers, data and ACKs.
tc -n "$P" qdisc add dev pt0 root netem loss 5%
small=$(sha256sum <"$SMALL" | cut -d' ' -f1)
expect_eq "netem loss 5%: 2 MB each way arrive intact (IPv6)" \
	"$(pp_upload "$D" fd00::120 "$SMALL") $(pp_download "$D" fd00::120 92)" \
	"$small $small"
ok=0
for i in $(seq 6); do
	[ "$(pp_get "$D" 10.0.0.7 $((42000 + i)) 10.0.0.120 80)" = "10.0.0.7 $((42000 + i))" ] &&
		ok=$((ok + 1))
done
expect_eq "netem loss 5%: 6 requests, each client named" "$ok" 6
echo "# netem: ppv2_sent $(dp_stat "$P" service pp ppv2_sent)" \
	"ppv2_retransmits $(dp_stat "$P" service pp ppv2_retransmits)"
tc -n "$P" qdisc del dev pt0 root

exit "$EXIT_STATUS"
