#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn the benchmark VMs' output (bench/guest/bench.sh) into one table:
case, plink, baseline, ratio, goal, met?  Each ratio is the median over the
rounds of plink's figure over its baseline's, measured in the same round
(A B A B ...); the spread is (max - min) / median of those ratios.

  report.py --mode icount|plain --kernel REL --rounds N [--smoke] [--md FILE] RAW...

With --md, FILE is rebuilt from every icount-*.raw next to the first RAW
(the newest icount run of each family): the table; and from every
plain-*.raw there, a short "for the record" section of plain-TCG medians,
which are never results (guest time is host time there). In plain mode
stdout shows the plain table, and FILE only gets its plain section renewed.
--smoke checks only that every case produced a number.

Under -icount one guest nanosecond is one instruction, so a rate's cost per
operation is 1e9 / rate instructions, and what a variant adds over plain
veth is 1e9 / rate - 1e9 / veth_rate (per round, against the same round's
veth; the median of the rounds).  Every rate cell shows the rate, the
instructions per operation and that overhead; the overhead table below the
main one lists every variant of every case and its overhead over plink's.
"""
import argparse
import glob
import os
import platform
import statistics
import subprocess
import sys
import time

# case: (title, plink variant, baseline variant, kind, goal, unit, scale)
# kind "rate": higher is better, goal: ratio >= goal; "cost": lower is
# better, goal: ratio <= goal.  goal None: reported, no goal.
VETH = "veth"
NAMES = {
    "plink": "plink", "veth": "veth", "ipvs": "IPVS-NAT (mh)",
    "ipvs-snat": "IPVS-NAT (mh) + SNAT (conntrack, nft masquerade)",
    "nft": "nft DNAT + masquerade (kube-proxy's nftables mode)",
    "netkit": "netkit L3 pair, no program", "loopback": "loopback (client and server in one netns)",
    "plink-ppv2": "plink, PROXY protocol v2",
}
# The variants of each multi-peer case, in the overhead table's order.
PEERS = ["plink", "veth", "netkit", "loopback", "ipvs", "ipvs-snat", "nft"]
# case: (what one operation is, instructions per operation = FACTOR / value)
# Gbit/s: 8192 / Gbit/s = instructions per KiB.
OPS = {
    "tput1": ("KiB", 8192), "tput4": ("KiB", 8192), "tputpp": ("KiB", 8192),
    "tput6": ("KiB", 8192), "tput6big": ("KiB", 8192), "tputbig": ("KiB", 8192),
    "cps": ("conn", 1e9), "cpspp": ("conn", 1e9), "cps6": ("conn", 1e9), "crr": ("conn", 1e9),
    "udp": ("datagram", 1e9), "rr": ("round trip", 1e9), "udprr": ("round trip", 1e9),
}
CPS = "new TCP connections/s (8 clients)"
RR = "TCP_RR: 1-byte request/response transactions/s on one persistent connection"
CRR = "TCP_CRR: connect, 1-byte request/response, close; transactions/s (8 clients)"
UDPRR = "UDP request/response, 1 byte each way, transactions/s"
MEM = "memory per TCP connection held open: slab bytes (objects x size) over veth's"
CASES = [
    ("tput1", "TCP bulk throughput, 1 stream (iperf3), vs veth", "plink", "veth", "rate", 0.95, "Gbit/s", 1),
    ("tput4", "TCP bulk throughput, 4 streams (iperf3), vs veth", "plink", "veth", "rate", 0.95, "Gbit/s", 1),
    ("cps", "new TCP connections/s (8 clients), vs IPVS-NAT (mh)", "plink", "ipvs", "rate", 1.5, "conn/s", 1),
    ("cps", "new TCP connections/s (8 clients), vs IPVS-NAT (mh) + SNAT (conntrack, nft masquerade)",
     "plink", "ipvs-snat", "rate", 1.5, "conn/s", 1),
    ("cps", f"{CPS}, vs nft DNAT + masquerade (kube-proxy's nftables mode)", "plink", "nft", "rate", None, "conn/s", 1),
    ("cps", f"{CPS}, vs a netkit L3 pair", "plink", "netkit", "rate", None, "conn/s", 1),
    ("cps", f"{CPS}, vs loopback (one netns: the floor)", "plink", "loopback", "rate", None, "conn/s", 1),
    ("cps", "new TCP connections/s (8 clients), vs veth", "plink", "veth", "rate", 0.8, "conn/s", 1),
    ("cpspp", "new TCP connections/s (8 clients), PROXY protocol v2 on vs off",
     "plink-ppv2", "plink", "rate", 0.85, "conn/s", 1),
    ("tputpp", "TCP bulk throughput, 1 stream (bnet), PROXY protocol v2 on vs off",
     "plink-ppv2", "plink", "rate", 0.97, "Gbit/s", 1),
    ("udp", "UDP 18-byte datagrams delivered/s, vs veth", "plink", "veth", "rate", 0.85, "kpps", 1e-3),
    ("udp", "UDP 18-byte datagrams delivered/s, vs nft DNAT + masquerade", "plink", "nft", "rate", None, "kpps", 1e-3),
    ("udp", "UDP 18-byte datagrams delivered/s, vs a netkit L3 pair", "plink", "netkit", "rate", None, "kpps", 1e-3),
    ("udp", "UDP 18-byte datagrams delivered/s, vs loopback", "plink", "loopback", "rate", None, "kpps", 1e-3),
    ("rr", f"{RR}, vs veth", "plink", "veth", "rate", None, "/s", 1),
    ("rr", f"{RR}, vs a netkit L3 pair", "plink", "netkit", "rate", None, "/s", 1),
    ("rr", f"{RR}, vs loopback", "plink", "loopback", "rate", None, "/s", 1),
    ("rr", f"{RR}, vs IPVS-NAT (mh)", "plink", "ipvs", "rate", None, "/s", 1),
    ("rr", f"{RR}, vs IPVS-NAT + SNAT", "plink", "ipvs-snat", "rate", None, "/s", 1),
    ("rr", f"{RR}, vs nft DNAT + masquerade", "plink", "nft", "rate", None, "/s", 1),
    ("crr", f"{CRR}, vs veth", "plink", "veth", "rate", None, "/s", 1),
    ("crr", f"{CRR}, vs a netkit L3 pair", "plink", "netkit", "rate", None, "/s", 1),
    ("crr", f"{CRR}, vs loopback", "plink", "loopback", "rate", None, "/s", 1),
    ("crr", f"{CRR}, vs IPVS-NAT (mh)", "plink", "ipvs", "rate", None, "/s", 1),
    ("crr", f"{CRR}, vs IPVS-NAT + SNAT", "plink", "ipvs-snat", "rate", None, "/s", 1),
    ("crr", f"{CRR}, vs nft DNAT + masquerade", "plink", "nft", "rate", None, "/s", 1),
    ("udprr", f"{UDPRR}, vs veth", "plink", "veth", "rate", None, "/s", 1),
    ("udprr", f"{UDPRR}, vs a netkit L3 pair", "plink", "netkit", "rate", None, "/s", 1),
    ("udprr", f"{UDPRR}, vs loopback", "plink", "loopback", "rate", None, "/s", 1),
    ("udprr", f"{UDPRR}, vs nft DNAT + masquerade", "plink", "nft", "rate", None, "/s", 1),
    ("tputbig", "TCP bulk throughput, 1 stream (iperf3), GSO/GRO maximum 185000 where a device takes it "
     "(BIG TCP), vs veth", "plink", "veth", "rate", None, "Gbit/s", 1),
    ("tput6", "IPv6 TCP bulk throughput, 1 stream (bnet), vs veth", "plink", "veth", "rate", 0.95, "Gbit/s", 1),
    ("tput6big", "IPv6 TCP bulk throughput, 1 stream (bnet), GSO/GRO maximum 185000 where a device takes it "
     "(BIG TCP), vs veth", "plink", "veth", "rate", None, "Gbit/s", 1),
    ("cps6", "IPv6 new TCP connections/s (8 clients), vs veth", "plink", "veth", "rate", 0.8, "conn/s", 1),
    ("mem", f"{MEM}, plink vs IPVS-NAT (mh)", "plink", "ipvs", "mem", None, "B", 1),
    ("mem", f"{MEM}, plink vs IPVS-NAT + SNAT", "plink", "ipvs-snat", "mem", None, "B", 1),
    ("mem", f"{MEM}, plink vs nft DNAT + masquerade", "plink", "nft", "mem", None, "B", 1),
    ("select", "target selection (hash + Maglev lookup), vs jhash", "plink", "base", "cost", 2.5, "instr/op", 1),
    ("hit", "flow table hit (hash + lookup), vs jhash", "plink", "base", "cost", 3.0, "instr/op", 1),
    ("missins", "flow miss + insert (hash, lookup, select, add), into an empty table (new slab pages), vs jhash",
     "plink", "base", "cost", 10.0, "instr/op", 1),
    ("missins_steady", "flow miss + insert, steady state (half the flows replaced, their memory reused), vs jhash",
     "plink", "base", "cost", 10.0, "instr/op", 1),
]


def parse(path):
    r = {}  # (case, variant) -> {round: value}
    v = {}
    notes = []
    for line in open(path, errors="replace"):
        f = line.split()
        if not f:
            continue
        if f[0] == "R" and len(f) >= 4:
            val = None
            if len(f) >= 5:
                try:
                    val = float(f[4])
                except ValueError:
                    pass
            r.setdefault((f[1], f[2]), {})[int(f[3])] = val
        elif f[0] == "V" and len(f) >= 3:
            try:
                v[f[1]] = float(f[2])
            except ValueError:
                v[f[1]] = None
        elif line.startswith("# ") and not line.startswith("# stderr"):
            notes.append(line[2:].rstrip())
    return r, v, notes


def fmt(x, unit, scale):
    if x is None:
        return "—"
    x *= scale
    if abs(x) >= 100:
        s = f"{x:,.0f}"
    elif abs(x) >= 10:
        s = f"{x:.1f}"
    else:
        s = f"{x:.3g}"
    return f"{s} {unit}"


def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def per_round(a, b, f):
    """f(a[i], b[i]) for each round both have (and b[i] is not 0)."""
    return [f(a[i], b[i]) for i in sorted(a) if i in b and a[i] is not None
            and b[i] not in (None, 0) and a[i] != 0]


def overheads(r, key, var):
    """Per round: what var adds over veth, in instructions per operation
    (rates) or bytes per connection (mem)."""
    a, b = r.get((key, var), {}), r.get((key, VETH), {})
    if key == "mem":
        return [a[i] - b[i] for i in sorted(a) if a[i] is not None and b.get(i) is not None]
    f = OPS[key][1]
    return per_round(a, b, lambda x, y: f / x - f / y)


def instr(x):
    if x is None:
        return "—"
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:.3g}"


def cell(r, key, var, unit, scale):
    """A variant's median rate, its instructions per operation and its
    overhead over veth."""
    a = r.get((key, var), {})
    m = med(a.values())
    if key == "mem":
        o = med(overheads(r, key, var))
        return "—" if o is None else f"{o:,.0f} B (all slabs {m:,.0f} B)"
    s = fmt(m, unit, scale)
    if key in OPS and m:
        name, f = OPS[key]
        s += f" · {instr(med(f / x for x in a.values() if x) or 0)} instr/{name}"
        o = med(overheads(r, key, var)) if var != VETH else None
        if o is not None:
            s += f" · {'+' if o >= 0 else '−'}{instr(abs(o))} over veth"
    return s


def rows(r, v):
    out = []  # (case, plink, base, ratio, goal, met)
    for key, title, pv, bv, kind, goal, unit, scale in CASES:
        if bv == "ipvs-snat" and v.get("cps_snat_ok") == 0:
            title += " (**the provider did not see the director's address**)"
        if bv == "ipvs-snat" and v.get("cps_ct_clean") == 0:
            title += " (**conntrack entries in C, P, I or K**)"
        if bv == "nft" and v.get("cps_nft_ok") == 0:
            title += " (**the provider did not see N's address**)"
        a = r.get((key, pv), {})
        b = r.get((key, bv), {})
        g = "report" if goal is None else (f"≥ {goal}" if kind == "rate" else f"≤ {goal}")
        if bv == "netkit" and v.get("netkit") == 0 and a:
            out.append((title, cell(r, key, pv, unit, scale), "skipped: no netkit", "—", g, "—"))
            continue
        if not a and not b:
            continue
        if kind == "mem":
            ratios = per_round(dict(enumerate(overheads(r, key, pv))),
                               dict(enumerate(overheads(r, key, bv))), lambda x, y: x / y)
        else:
            ratios = per_round(a, b, lambda x, y: x / y)
        if ratios:
            m = statistics.median(ratios)
            spread = (max(ratios) - min(ratios)) / m * 100 if m else 0
            ratio = f"{m:.3f} (±{abs(spread) / 2:.2f}%, n={len(ratios)})"
            met = goal is not None and (m >= goal if kind == "rate" else m <= goal)
        else:
            m, ratio, met = None, "—", False
        out.append((title, cell(r, key, pv, unit, scale), cell(r, key, bv, unit, scale), ratio, g,
                    "—" if goal is None else ("yes" if met else ("**no**" if m is not None else "no data"))))
    mg = [x for x in r.get(("maglev", "plink"), {}).values() if x is not None]
    if mg:
        m = statistics.median(mg)
        spread = (max(mg) - min(mg)) / m * 100
        out.append(("Maglev rebuild, 1000 targets, M=65537 (guest instructions)",
                    f"{m / 1e6:.2f} M (±{spread / 2:.2f}%, n={len(mg)})", "—", "—",
                    "≤ 12 M", "yes" if m <= 12e6 else "**no**"))
    for n, label in ((100000, "100 000"), (1000000, "1 000 000"),
                     (5000, "5 000 (smoke)"), (10000, "10 000 (smoke)")):
        k = f"mem_per_flow_{n}"
        if k in v:
            x = v[k]
            flows = v.get(f"flows_{n}")
            out.append((f"memory per flow at {label} flows (plink_flow slabs; "
                        f"{int(flows) if flows is not None else '?'} active)",
                        f"{x:.1f} B" if x is not None else "—", "—", "—", "≤ 128 B",
                        "yes" if x is not None and x <= 128 else "**no**"))
    if "ep_create_ns" in v:
        n = int(v.get("ep_count") or 0)
        c, b = v["ep_create_ns"], v.get("ep_base_ns")
        out.append((f"endpoint creation, {n} consumer netns, one `plinkctl endpoint add` each, "
                    f"vs one `ip addr add` each, both under `nsenter --net` "
                    f"({int(v.get('ep_fails') or 0)} failed)",
                    f"{c / 1e6:.2f} M instr/endpoint", f"{b / 1e6:.2f} M instr" if b else "—",
                    f"{c / b:.2f}" if b else "—", "report", "—"))
        out.append((f"memory per endpoint ({n} endpoints; Slab+Percpu+PageTables+KernelStack)",
                    f"{v.get('ep_mem_bytes', 0) / 1024:.1f} KiB", "—", "—", "report", "—"))
        ok = v.get("ep_last_ok") == 1
        out.append((f"traffic from the last ({n}th) consumer netns", "works" if ok else "fails",
                    "—", "—", "works", "yes" if ok else "**no**"))
    for k, title in (("slots_max_mean", "balance, 100 targets: Maglev slots max/mean (bench module)"),
                     ("flows_max_mean", "balance, 100 targets: 100 000 flow keys max/mean (bench module)"),
                     ("dp_flows_max_mean", "balance, 100 targets: datapath UDP flows max/mean")):
        if k in v and v[k] is not None:
            out.append((title, f"{v[k] / 1000:.3f}", "—", "—", "report", "—"))
    if "existing_moved_ppm" in v:
        x = v["existing_moved_ppm"]
        out.append(("existing flows that change target when 1 of 100 targets is removed "
                    f"(datapath; {int(v.get('existing_on_removed') or 0)} on the removed one)",
                    f"{x / 1e4:.2f}%" if x is not None else "—", "—", "—", "0",
                    "yes" if x == 0 else "**no**"))
    if "newflow_moved_ppm" in v:
        x = v["newflow_moved_ppm"]
        other = v.get("newflow_moved_other_ppm") or 0
        share = v.get("removed_share_ppm") or 0
        out.append(("new-flow assignments that move when 1 of 100 is removed "
                    f"(bench module; {share / 1e4:.2f}% were on it, {other / 1e4:.3f}% moved between others)",
                    f"{x / 1e4:.2f}%", "—", "—", "≤ 1.1%", "yes" if x <= 11000 else "**no**"))
    if "newflow_moved_ppm_65537" in v:
        x = v["newflow_moved_ppm_65537"]
        out.append(("for the record: the same at M=65537 (flows max/mean "
                    f"{(v.get('flows_max_mean_65537') or 0) / 1000:.3f})",
                    f"{x / 1e4:.2f}%", "—", "—", "(≤ 1.1%)", "yes" if x <= 11000 else "no"))
    if "newflows_to_removed" in v:
        x = v["newflows_to_removed"]
        out.append(("new datapath flows sent to the removed target", f"{int(x)}", "—", "—", "0",
                    "yes" if x == 0 else "**no**"))
    return out


OVERHEAD_CASES = [
    ("cps", "new TCP connection (cps)"), ("crr", "TCP_CRR transaction"),
    ("rr", "TCP_RR round trip"), ("udp", "UDP datagram (flood)"),
    ("udprr", "UDP request/response round trip"), ("cps6", "IPv6 new TCP connection"),
    ("tput1", "TCP bulk, 1 stream, per KiB"),
    ("tputbig", "TCP bulk, 1 stream, BIG TCP where taken, per KiB"), ("tput6", "IPv6 TCP bulk, per KiB"),
    ("tput6big", "IPv6 TCP bulk, BIG TCP where taken, per KiB"),
    ("mem", "memory per connection held open (bytes)"),
]


def overhead_rows(r, v):
    """(case, variant, per op, over veth, over plink's overhead)."""
    out = []
    for key, title in OVERHEAD_CASES:
        if not any(k == key for k, _ in r):
            continue
        po = med(overheads(r, key, "plink"))
        for var in PEERS:
            if var == "netkit" and v.get("netkit") == 0:
                out.append((title, NAMES[var], "skipped: no netkit", "—", "—"))
                continue
            a = r.get((key, var), {})
            if not a:
                continue
            if key == "mem":
                lb = med(r.get(("memlb", var), {}).values())
                per = f"{med(a.values()):,.0f} B all slabs" + (
                    f"; {lb:,.0f} B in nf_conntrack, ip_vs_conn, plink_flow" if lb is not None else "")
            else:
                name, f = OPS[key]
                per = f"{instr(med(f / x for x in a.values() if x))} instr/{name}"
            o = med(overheads(r, key, var))
            if var == VETH or o is None:
                over, rel = ("0" if var == VETH else "—"), "—"
            else:
                over = f"{'+' if o >= 0 else '−'}{instr(abs(o))}"
                rel = "1" if var == "plink" else (
                    f"{o / po:.2f}" if po else "— (plink adds nothing)")
            out.append((title, NAMES[var], per, over, rel))
    return out


def overhead_table(rs):
    lines = ["| case | variant | cost per operation (median) | overhead over veth | "
             "overhead ÷ plink's |", "|---|---|---|---|---|"]
    for row in rs:
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def ratio_of(r, key, pv, bv):
    rs = per_round(r.get((key, pv), {}), r.get((key, bv), {}), lambda x, y: x / y)
    return statistics.median(rs) if rs else None


def goal_rows(r, v):
    """Issue 15's goals: (goal, today, target, met?)."""
    out = []

    def row(name, x, fmtx, target, ok, why=None):
        if x is None:
            out.append((name, why or "no data", target, "cannot be computed"))
        else:
            out.append((name, fmtx(x), target, "yes" if ok(x) else "**no**"))

    o = lambda k, var="plink": med(overheads(r, k, var))  # noqa: E731
    n = lambda x: f"{x:,.0f} instr"  # noqa: E731
    f3 = lambda x: f"{x:.3f}"  # noqa: E731
    row("UDP datagram: plink's overhead over veth", o("udp"), n, "≤ 200", lambda x: x <= 200)
    cps, ipvs = o("cps"), o("cps", "ipvs")
    row("new TCP connection: plink's overhead over veth (IPVS-NAT's: "
        f"{n(ipvs) if ipvs is not None else '—'})", cps,
        lambda x: n(x) + (f" (1/{ipvs / x:.1f} of IPVS-NAT's)" if ipvs and x > 0 else ""),
        "≤ 2,000 and ≤ 1/7 of IPVS-NAT's",
        lambda x: x <= 2000 and ipvs is not None and x <= ipvs / 7)
    row("TCP_RR round trip: plink's overhead over veth", o("rr"), n, "≤ 400", lambda x: x <= 400)
    for k, name, g in (("udp", "UDP rate", 0.99), ("cps", "cps", 0.98), ("rr", "TCP_RR", 0.99)):
        row(f"{name} vs veth", ratio_of(r, k, "plink", "veth"), f3, f"≥ {g}", lambda x, g=g: x >= g)
    for k, name in (("udp", "UDP rate"), ("cps", "cps"), ("rr", "TCP_RR")):
        row(f"{name} vs netkit (6.12)", ratio_of(r, k, "plink", "netkit"), f3, "≥ 0.99",
            lambda x: x >= 0.99, "skipped: no netkit" if v.get("netkit") == 0 else None)
    row("cps vs nft DNAT + masquerade", ratio_of(r, "cps", "plink", "nft"), f3, "≥ 1.3",
        lambda x: x >= 1.3)
    big = ratio_of(r, "tputbig", "plink", "veth")
    gp, gv = v.get("gso_pl0"), v.get("gso_vc0")
    if big is not None and gp is not None and gv is not None and (gp <= 65536 or gv <= 65536):
        out.append(("bulk TCP vs veth (iperf3, 1 stream), BIG TCP on both",
                    f"{big:.3f} (GSO maximum: plink's pl0 {gp:.0f}, veth's vc0 {gv:.0f})",
                    "≥ 0.99", "**no**: plink's device does not take BIG TCP" if gp <= 65536 else
                    "cannot be computed: veth did not take BIG TCP"))
    else:
        row("bulk TCP vs veth (iperf3, 1 stream), BIG TCP on both", big, f3, "≥ 0.99",
            lambda x: x >= 0.99)
    mf = v.get("mem_per_flow_1000000")
    ct = o("mem", "nft")
    why = None if mf is not None else "no scale run (plink's bytes per flow)"
    if mf is not None and ct is None:
        mf, why = None, "no mem run (conntrack's bytes per connection)"
    row("memory per flow (plink_flow slabs at 1 000 000 flows), and conntrack's per connection "
        "(nft DNAT + masquerade, all slabs over veth)", mf,
        lambda x: f"{x:.1f} B; conntrack {ct:,.0f} B (1/{ct / x:.1f})" if ct else f"{x:.1f} B",
        "≤ 120 B and ≤ 1/3 of conntrack's", lambda x: x <= 120 and ct is not None and x <= ct / 3, why)
    u, c = ratio_of(r, "udp", "plink", "veth"), ratio_of(r, "cps", "plink", "veth")
    row("with the input-route cache (kmod/rtcache.c: IPv4, the provider's route, and the consumer's for the SYN-ACK): UDP, cps vs veth",
        None if u is None or c is None else (u, c), lambda x: f"{x[0]:.3f}, {x[1]:.3f}",
        "> 1.0", lambda x: x[0] > 1.0 and x[1] > 1.0)
    return out


def goal_table(rs):
    lines = ["| goal (issue 15) | today | target | met? |", "|---|---|---|---|"]
    for row in rs:
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def plain_rows(r):
    """The rate cases of plain-TCG runs: medians and their ratio, no goal."""
    out = []
    for key, title, pv, bv, kind, goal, unit, scale in CASES:
        if unit in ("instr/op", "B"):
            continue
        a = [x for x in r.get((key, pv), {}).values() if x is not None]
        b = [x for x in r.get((key, bv), {}).values() if x is not None]
        if not a or not b:
            continue
        ma, mb = statistics.median(a), statistics.median(b)
        ratios = [x / y for i, x in r[(key, pv)].items()
                  if x is not None and r[(key, bv)].get(i) not in (None, 0)
                  for y in [r[(key, bv)][i]]]
        out.append((title, fmt(ma, unit, scale), fmt(mb, unit, scale),
                    f"{statistics.median(ratios):.3f} (n={len(ratios)})" if ratios else "—"))
    return out


def raw_info(path):
    """(kernel, rounds, host seconds) from a raw file's notes."""
    kernel = rounds = host = None
    for line in open(path, errors="replace"):
        if line.startswith("# kernel: "):
            f = dict(x.strip().split(": ", 1) for x in line[2:].split(",") if ": " in x)
            kernel, rounds = f.get("kernel"), f.get("rounds")
        elif line.startswith("# host: VM ran "):
            host = line.split()[4]
    return kernel, rounds, host


def table(rs):
    lines = ["| case | plink | baseline | ratio (median, ±half spread) | goal | met? |",
             "|---|---|---|---|---|---|"]
    for row in rs:
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mode", default="icount")
    ap.add_argument("--kernel", default="?")
    ap.add_argument("--rounds", default="?")
    ap.add_argument("--smoke", action="store_true")
    ap.add_argument("--md")
    ap.add_argument("raw", nargs="+")
    a = ap.parse_args()

    rawdir = os.path.dirname(a.raw[0])
    raws = a.raw
    if a.md and a.mode == "icount":
        raws = sorted(glob.glob(os.path.join(rawdir, "icount-*.raw")))
    r, v, notes = {}, {}, []
    for p in raws:
        if not os.path.exists(p):
            continue
        rr, vv, nn = parse(p)
        r.update(rr)
        v.update(vv)
        notes += [f"{os.path.basename(p)}: {n}" for n in nn]
    if a.mode == "plain" and not a.smoke:
        print("| case | plink | baseline | ratio (median) |\n|---|---|---|---|")
        for row in plain_rows(r):
            print("| " + " | ".join(row) + " |")
    else:
        print(table(rows(r, v)))
        print()
        print(overhead_table(overhead_rows(r, v)))
        print()
        print(goal_table(goal_rows(r, v)))
    for n in notes:
        print("# " + n)

    if a.smoke:
        want = {"tput1", "tput4", "tputpp", "cps", "cpspp", "udp", "select", "hit", "missins",
                "missins_steady", "maglev", "rr", "crr", "udprr", "tput6", "tput6big", "cps6", "mem",
                "tputbig"}
        missing = sorted(c for c in want if not any(
            k[0] == c and all(x is not None and x > 0 for x in d.values()) and d
            for k, d in r.items()))
        nk = ["netkit"] if v.get("netkit") == 1 else []
        for case, vs in (("cps", ["plink", "ipvs", "ipvs-snat", "nft", "loopback", "veth"] + nk),
                         ("udp", ["plink", "nft", "loopback", "veth"] + nk),
                         ("rr", ["plink", "ipvs", "ipvs-snat", "nft", "loopback", "veth"] + nk),
                         ("crr", ["plink", "ipvs", "ipvs-snat", "nft", "loopback", "veth"] + nk),
                         ("udprr", ["plink", "nft", "loopback", "veth"] + nk),
                         ("mem", ["plink", "ipvs", "ipvs-snat", "nft", "loopback", "veth"] + nk),
                         ("tput6", ["plink", "veth"]), ("cps6", ["plink", "veth"])):
            for var in vs:
                d = r.get((case, var), {})
                if not d or not all(x is not None and x > 0 for x in d.values()):
                    missing.append(f"{case}/{var}")
        for k in ("mem_per_flow_5000", "ep_last_ok", "existing_moved_ppm", "newflow_moved_ppm",
                  "cps_snat_ok", "cps_ct_clean", "cps_nft_ok", "netkit"):
            if v.get(k) is None:
                missing.append(k)
        for k in ("ep_last_ok", "cps_snat_ok", "cps_ct_clean", "cps_nft_ok"):
            if v.get(k) == 0:
                missing.append(f"{k}=0")
        if missing:
            print("bench-smoke: no figure for: " + " ".join(missing), file=sys.stderr)
            return 1
        print("bench-smoke: every benchmark produced its figures")
        return 0

    if a.md:
        write_md(a.md, rawdir, a.kernel, a.rounds)
    return 0


def write_md(path, d, kernel, rounds):
    """results.md: the icount table and notes from icount-*.raw in d, and
    the plain-TCG medians from plain-*.raw there, for the record."""
    icount = sorted(glob.glob(os.path.join(d, "icount-*.raw")))
    r, v, notes = {}, {}, []
    for p in icount:
        rr, vv, nn = parse(p)
        r.update(rr)
        v.update(vv)
        notes += [f"{os.path.basename(p)}: {n}" for n in nn]
        k, n, _ = raw_info(p)
        kernel, rounds = k or kernel, n or rounds
    rs = rows(r, v)
    cpu = "?"
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    try:
        qemu = subprocess.run(["qemu-system-x86_64", "--version"], capture_output=True,
                              text=True).stdout.splitlines()[0]
    except Exception:
        qemu = "?"
    with open(path, "w") as f:
        f.write("# plink benchmark results\n\n")
        f.write(f"Generated by `make bench` (bench/run.sh) on {time.strftime('%Y-%m-%d %H:%M %Z')}.\n\n")
        f.write(f"- machine: {platform.node()}, {cpu}, {os.cpu_count()} CPUs "
                f"(shared with other VMs; figures count guest instructions, so load does not matter)\n")
        f.write(f"- host kernel: {platform.release()}; {qemu}, TCG, "
                f"`-icount shift=0,sleep=off`, `-smp 1`\n")
        f.write(f"- guest kernel: Debian {kernel} (stock), plink.ko built against its headers, "
                "booted with `slab_nomerge`\n")
        f.write(f"- {rounds} rounds per case, plink and baseline interleaved in each round, one boot per family\n\n")
        f.write("Under `-icount shift=0` one guest nanosecond is one instruction: the rates below are "
                "per guest second, i.e. per 10^9 instructions, and the in-kernel costs are instruction "
                "counts. A division or a cache miss costs one instruction like any other; ratios, not "
                "absolute figures, are the results.\n\n")
        f.write(table(rs) + "\n\n")
        f.write("## Cost per operation, and overhead over veth\n\n")
        f.write("Instructions per operation are 1e9 / rate (one guest ns is one instruction); "
                "the overhead is 1e9/rate − 1e9/veth_rate, per round against the same round's veth, "
                "the median of the rounds: what the variant adds to a plain routed veth crossing. "
                "Loopback's is negative: one netns, no crossing. The last column is a baseline's "
                "overhead over plink's (above 1: the baseline adds more). Memory: slab bytes "
                "(active objects × object size, all caches) per connection held open, over veth's "
                "(whose connections hold no load-balancer state).\n\n")
        f.write(overhead_table(overhead_rows(r, v)) + "\n\n")
        f.write("## Goals of issue 15\n\n")
        f.write("From the tables above (the fast path of the module as built for this run). "
                "A goal that is not met: its row above and the profile say where the "
                "instructions go.\n\n")
        f.write(goal_table(goal_rows(r, v)) + "\n\n")
        plain = sorted(glob.glob(os.path.join(d, "plain-*.raw")))
        pr = {}
        runs = []
        for p in plain:
            rr, _, _ = parse(p)
            pr.update(rr)
            _, n, host = raw_info(p)
            fam = os.path.basename(p)[len("plain-"):-len(".raw")]
            runs.append(f"{fam} {time.strftime('%Y-%m-%d %H:%M', time.gmtime(os.path.getmtime(p)))} UTC"
                        f"{f', {n} rounds' if n else ''}{f', {host} s' if host else ''}")
        prs = plain_rows(pr)
        if prs:
            f.write("## For the record: plain TCG (no -icount)\n\n")
            f.write("Not results: without `-icount` guest time is host time, so these medians "
                    "move with the host's load (other VMs share its 2 CPUs) and with what TCG "
                    "makes slow or fast. `make bench BENCH_ARGS=--plain BENCH=...`; runs: "
                    + "; ".join(runs) + ".\n\n")
            f.write("| case | plink | baseline | ratio (median) |\n|---|---|---|---|\n")
            for row in prs:
                f.write("| " + " | ".join(row) + " |\n")
            f.write("\n")
        f.write("## Notes from the VMs\n\n")
        for n in notes:
            f.write(f"    {n}\n")


if __name__ == "__main__":
    sys.exit(main())
