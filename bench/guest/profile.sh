# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# The profile family, sourced by bench.sh (emit, diag, $smoke): where
# plink's instructions go per packet, function by function, against veth's.
#
# ftrace's function_graph tracer, under QEMU -icount shift=0 (its durations
# are instruction counts), on graphs rooted where a packet leaves L3 for a
# device (ip_finish_output2, and plink_xmit and veth_xmit should anything
# call them from elsewhere) and where the receiving netns takes it from the
# backlog (__netif_receive_skb).  A client in C does N operations to the
# provider's 10.0.0.1 in P, through plink (endpoint 10.0.0.104 of service
# "prof") or over the routed veth: UDP request and echo (one forward and
# one reverse packet each), and short TCP connections (connect, the
# server closes, close).  Each variant runs three times:
#   phase 0: no tracer (the whole operation's instructions, the client's
#            clock)
#   phase 1: only the roots traced (set_ftrace_filter): each root's
#            duration is the untraced one plus the tracer's own share
#   phase 2: every function traced: the per-function figures
# bench/profile.py takes phase 2's figures and subtracts the tracer's cost
# per traced call, measured from phases 1 and 2.  Output (/dev/ttyS1):
#   U VARIANT PHASE N NS FAILS   the client's N operations took NS ns
#   D VARIANT PHASE OVERRUN DROPPED   the ring buffer's losses
#   F/G/T/E/X VARIANT PHASE ...  bprof agg (bench/tools/bprof.c); none is
#                                an R or V line (bench/report.py reads those)

prof_xmit=ip_finish_output2,plink_xmit,veth_xmit
prof_rcv=__netif_receive_skb
# Interrupt entries, traced in phase 1 too so that bprof agg can take an
# interrupt out of the root it landed in.
prof_irq="irq_enter_rcu irq_exit_rcu __sysvec_apic_timer_interrupt"
# tracefs, outside /sys: "ip netns exec" mounts a sysfs of its own there,
# and the client writes tracing_on from C.
prof_t=/tmp/tracefs

# prof_set FILE NAME...: write each NAME to tracefs FILE (appending).
prof_set()
{
	local f=$1 n
	shift
	for n in "$@"; do
		echo "$n" >>"$prof_t/$f" 2>/dev/null || diag "profile: $f: no $n"
	done
}

# prof_run VARIANT PHASE PROTO DST PORT N WARM
prof_run()
{
	local v=$1 ph=$2 proto=$3 dst=$4 port=$5 n=$6 warm=$7 out on=()
	[ "$ph" = 0 ] || on=("$prof_t/tracing_on")
	[ "$ph" = 0 ] || echo >"$prof_t/trace"
	out=$(ip netns exec C bprof "$proto" "$dst" "$port" "$warm" "$n" "${on[@]}")
	set -- $out
	emit "U $v $ph $n ${2:-0} ${3:-0}"
	[ "${3:-0}" = 0 ] || diag "profile: $v phase $ph: $3 operations failed"
	[ "$ph" = 0 ] && return
	emit "D $v $ph $(awk '/^overrun:/ { o = $2 } /^dropped events:/ { d = $3 }
		END { print o + 0, d + 0 }' "$prof_t/per_cpu/cpu0/stats")"
	bprof agg "$proto" "${1:-0}" "$v $ph" "$prof_xmit" "$prof_rcv" \
		<"$prof_t/trace" >&3
}

fam_profile()
{
	# Phase 0 (untraced, cheap) runs more operations: its figure is a
	# mean over timer ticks and the like.
	local nudp=200 ntcp=40 nudp0=2000 ntcp0=400 wudp=20 wtcp=5 ph v t0
	[ "$smoke" = 1 ] && nudp=10 ntcp=3 nudp0=10 ntcp0=3 wudp=3 wtcp=1
	if [ ! -e "$prof_t/trace" ]; then
		mkdir -p "$prof_t"
		mount -t tracefs nodev "$prof_t" || diag "profile: no tracefs"
	fi
	plinkctl -n P service add prof dev nlb0 addr 10.0.0.220 \
		listener tcp:8100 listener udp:9100 acceptance auto allow '*' \
		max-flows "$(cat /sys/module/plink/parameters/max_flows)" \
		endpoint-max-flows "$(cat /sys/module/plink/parameters/max_flows)" ||
		diag "profile: service add failed"
	plinkctl -n P target add prof 10.0.0.1 || diag "profile: target add failed"
	plinkctl -n C endpoint add prof dev pl0 addr 10.0.0.104 >/dev/null ||
		diag "profile: endpoint add failed"
	ip netns exec P bprof udpecho 10.0.0.1 9100 &
	ip netns exec P bprof tcpsrv 10.0.0.1 8100 &
	sleep 0.5

	echo 0 >"$prof_t/tracing_on"
	echo nop >"$prof_t/current_tracer"
	echo 32768 >"$prof_t/buffer_size_kb"
	echo 0 >"$prof_t/options/overwrite"
	echo local >"$prof_t/trace_clock"
	: >"$prof_t/set_graph_function"
	: >"$prof_t/set_ftrace_filter"
	prof_set set_graph_function ${prof_xmit//,/ } $prof_rcv
	for ph in 0 1 2; do
		t0=$(now_ns)
		case $ph in
		1)
			prof_set set_ftrace_filter ${prof_xmit//,/ } $prof_rcv $prof_irq
			echo function_graph >"$prof_t/current_tracer"
			echo 0 >"$prof_t/tracing_on"
			echo 0 >"$prof_t/options/funcgraph-overhead"
			echo 1 >"$prof_t/options/funcgraph-proc"
			echo 1 >"$prof_t/options/funcgraph-tail"
			echo 1 >"$prof_t/options/funcgraph-irqs"
			;;
		2)
			if [ "$smoke" = 1 ]; then
				# Patching every function's call site takes a
				# few host seconds: the smoke test traces
				# plink's and the few the checks look for.
				prof_set set_ftrace_filter :mod:plink veth_xmit \
					__rcu_read_lock
			else
				: >"$prof_t/set_ftrace_filter"	# every function
			fi
			;;
		esac
		diag "profile: phase $ph set up in $(( ($(now_ns) - t0) / 1000000 )) guest ms"
		for v in "udp-plink udp 10.0.0.104 9100" "udp-veth udp 10.0.0.1 9100" \
			"tcp-plink tcp 10.0.0.104 8100" "tcp-veth tcp 10.0.0.1 8100"; do
			set -- $v
			t0=$(now_ns)
			case $2:$ph in
			udp:0) prof_run "$1" "$ph" "$2" "$3" "$4" "$nudp0" "$wudp" ;;
			tcp:0) prof_run "$1" "$ph" "$2" "$3" "$4" "$ntcp0" "$wtcp" ;;
			udp:*) prof_run "$1" "$ph" "$2" "$3" "$4" "$nudp" "$wudp" ;;
			tcp:*) prof_run "$1" "$ph" "$2" "$3" "$4" "$ntcp" "$wtcp" ;;
			esac
			diag "profile: $1 phase $ph took $(( ($(now_ns) - t0) / 1000000 )) guest ms"
		done
	done
	t0=$(now_ns)
	echo nop >"$prof_t/current_tracer"
	: >"$prof_t/set_graph_function"
	: >"$prof_t/set_ftrace_filter"
	echo 1 >"$prof_t/options/overwrite"
	echo 1408 >"$prof_t/buffer_size_kb"
	echo 1 >"$prof_t/tracing_on"
	diag "profile: tracer off in $(( ($(now_ns) - t0) / 1000000 )) guest ms"
}
