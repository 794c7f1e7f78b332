#!/usr/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The plink demo, inside the VM (plink.mode=demo): a provider netns with an
# endpoint service and three targets (busybox httpd, each serving its own
# name), three consumer netns that all use the provider's own CIDR, 30
# requests from each; who answered, the flow table and the counters.
# (busybox wget -T crashes in Debian 12's busybox-static: timeout(1) bounds it.)
# Writes to /dev/ttyS1; the last line is "# plink-demo: ok" or
# "# plink-demo: FAILED ...".

out=/dev/ttyS1
[ -c "$out" ] || out=/dev/console
exec >"$out" 2>&1
stty -onlcr 2>/dev/null

N=30
fails=()
run()
{
	echo "  \$ $*" >&2
	"$@" || { fails+=("'$*' failed"); return 1; }
}
say()
{
	printf '\n== %s\n' "$*"
}

for m in /lib/modules/*.ko /lib/modules/plink/plink.ko; do
	[ -e "$m" ] && insmod "$m"
done
echo "plink demo on $(cat /plink/kernel)"

say "provider netns 'prov': an NLB device, three targets on 10.0.0.1-3 (httpd on :8080)"
ip netns add prov
ip -n prov link set lo up
run ip -n prov link add nlb0 type plink
run ip -n prov link set nlb0 up
ip -n prov link add tg0 type dummy
ip -n prov link set tg0 up
for i in 1 2 3; do
	ip -n prov addr add "10.0.0.$i/24" dev tg0
	mkdir -p "/srv/t$i"
	echo "target-$i" >"/srv/t$i/index.html"
	ip netns exec prov httpd -f -p "10.0.0.$i:8080" -h "/srv/t$i" &
done
run plinkctl -n prov service add web dev nlb0 addr 10.0.0.200 \
	listener tcp:80:8080 acceptance auto allow any
for i in 1 2 3; do
	run plinkctl -n prov target add web "10.0.0.$i"
done
run plinkctl -n prov service show web

say "three consumer netns, each with the provider's own CIDR (10.0.0.5/24), an endpoint on 10.0.0.100"
declare -A id
for c in cons1 cons2 cons3; do
	ip netns add "$c"
	ip -n "$c" link set lo up
	ip -n "$c" link add lan0 type dummy
	ip -n "$c" link set lan0 up
	ip -n "$c" addr add 10.0.0.5/24 dev lan0
	run ip -n "$c" link add pl0 type plink
	run ip -n "$c" link set pl0 up
	echo "  \$ plinkctl -n $c endpoint add web dev pl0 addr 10.0.0.100"
	id[$c]=$(plinkctl -n "$c" endpoint add web dev pl0 addr 10.0.0.100) ||
		fails+=("endpoint add in $c failed")
	echo "  ${id[$c]}"
done
run plinkctl -n cons1 endpoint show dev pl0
sleep 1

say "$N requests from each consumer to http://10.0.0.100/"
declare -A got
for c in cons1 cons2 cons3; do
	bad=0
	for ((i = 0; i < N; i++)); do
		r=
		# After 3 failures in a row, count the rest as failed.
		((bad < 3)) &&
			r=$(ip netns exec "$c" timeout 10 wget -q -O - http://10.0.0.100/ 2>/dev/null)
		[ -n "$r" ] && bad=0 || { r=failed; bad=$((bad + 1)); }
		got[$c,$r]=$((${got[$c,$r]:-0} + 1))
	done
done
printf '\n  %-8s %10s %10s %10s %8s\n' consumer target-1 target-2 target-3 failed
for c in cons1 cons2 cons3; do
	printf '  %-8s' "$c"
	for t in target-1 target-2 target-3 failed; do
		n=${got[$c,$t]:-0}
		[ "$t" = failed ] && printf ' %8s' "$n" || printf ' %10s' "$n"
	done
	echo
done
for t in target-1 target-2 target-3; do
	n=0
	for c in cons1 cons2 cons3; do n=$((n + ${got[$c,$t]:-0})); done
	[ "$n" -gt 0 ] || fails+=("$t answered no request")
done
nf=$((${got[cons1,failed]:-0} + ${got[cons2,failed]:-0} + ${got[cons3,failed]:-0}))
[ "$nf" = 0 ] || fails+=("$nf requests failed")

say "what the targets saw: the NLB address, never the consumers' 10.0.0.5"
run plinkctl -n prov flow show service web >/tmp/flows || true
head -n 6 /tmp/flows
echo "  ... $(wc -l </tmp/flows) lines"
echo "  (the provider does not see the consumers' addresses; cons1 does:)"
run plinkctl -n cons1 flow show >/tmp/flows || true
head -n 3 /tmp/flows

say "counters"
run plinkctl -n prov stats service web
run plinkctl -n cons1 stats dev pl0

say "isolation: the provider cannot reach the consumers, a consumer only the listener"
if (ip netns exec prov timeout 5 wget -q -O - http://10.0.0.200/) >/dev/null 2>&1; then
	fails+=("the provider reached the NLB address")
else
	echo "  prov -> 10.0.0.200:80: no answer (good)"
fi
if (ip netns exec cons1 timeout 5 wget -q -O - http://10.0.0.100:8080/) >/dev/null 2>&1; then
	fails+=("a consumer reached a port with no listener")
else
	echo "  cons1 -> 10.0.0.100:8080: no answer (good)"
fi

echo
if [ ${#fails[@]} -eq 0 ]; then
	echo "# plink-demo: ok"
else
	echo "# plink-demo: FAILED: $(printf '%s; ' "${fails[@]}")"
fi
sync
reboot -f
