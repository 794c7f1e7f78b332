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
# better, goal: ratio <= goal.
CASES = [
    ("tput1", "TCP bulk throughput, 1 stream (iperf3), vs veth", "plink", "veth", "rate", 0.95, "Gbit/s", 1),
    ("tput4", "TCP bulk throughput, 4 streams (iperf3), vs veth", "plink", "veth", "rate", 0.95, "Gbit/s", 1),
    ("cps", "new TCP connections/s (8 clients), vs IPVS-NAT (mh)", "plink", "ipvs", "rate", 1.5, "conn/s", 1),
    ("cps", "new TCP connections/s (8 clients), vs IPVS-NAT (mh) + SNAT (conntrack, nft masquerade)",
     "plink", "ipvs-snat", "rate", 1.5, "conn/s", 1),
    ("cps", "new TCP connections/s (8 clients), vs veth", "plink", "veth", "rate", 0.8, "conn/s", 1),
    ("cpspp", "new TCP connections/s (8 clients), PROXY protocol v2 on vs off",
     "plink-ppv2", "plink", "rate", 0.85, "conn/s", 1),
    ("tputpp", "TCP bulk throughput, 1 stream (bnet), PROXY protocol v2 on vs off",
     "plink-ppv2", "plink", "rate", 0.97, "Gbit/s", 1),
    ("udp", "UDP 18-byte datagrams delivered/s, vs veth", "plink", "veth", "rate", 0.85, "kpps", 1e-3),
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


def rows(r, v):
    out = []  # (case, plink, base, ratio, goal, met)
    for key, title, pv, bv, kind, goal, unit, scale in CASES:
        if bv == "ipvs-snat" and v.get("cps_snat_ok") == 0:
            title += " (**the provider did not see the director's address**)"
        if bv == "ipvs-snat" and v.get("cps_ct_clean") == 0:
            title += " (**conntrack entries in C, P or I**)"
        a = r.get((key, pv), {})
        b = r.get((key, bv), {})
        if not a and not b:
            continue
        ratios = [a[i] / b[i] for i in a if i in b and a[i] is not None
                  and b[i] not in (None, 0)]
        ma = statistics.median([x for x in a.values() if x is not None] or [0]) if a else None
        mb = statistics.median([x for x in b.values() if x is not None] or [0]) if b else None
        if ratios:
            med = statistics.median(ratios)
            spread = (max(ratios) - min(ratios)) / med * 100 if med else 0
            ratio = f"{med:.3f} (±{spread / 2:.2f}%, n={len(ratios)})"
            met = med >= goal if kind == "rate" else med <= goal
        else:
            med, ratio, met = None, "—", False
        g = f"≥ {goal}" if kind == "rate" else f"≤ {goal}"
        out.append((title, fmt(ma, unit, scale), fmt(mb, unit, scale), ratio, g,
                    "yes" if met else ("**no**" if med is not None else "no data")))
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


def plain_rows(r):
    """The rate cases of plain-TCG runs: medians and their ratio, no goal."""
    out = []
    for key, title, pv, bv, kind, goal, unit, scale in CASES:
        if unit == "instr/op":
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
    for n in notes:
        print("# " + n)

    if a.smoke:
        want = {"tput1", "tput4", "tputpp", "cps", "cpspp", "udp", "select", "hit", "missins", "missins_steady", "maglev"}
        missing = sorted(c for c in want if not any(
            k[0] == c and all(x is not None and x > 0 for x in d.values()) and d
            for k, d in r.items()))
        for var in ("plink", "ipvs", "ipvs-snat", "veth"):
            d = r.get(("cps", var), {})
            if not d or not all(x is not None and x > 0 for x in d.values()):
                missing.append(f"cps/{var}")
        for k in ("mem_per_flow_5000", "ep_last_ok", "existing_moved_ppm", "newflow_moved_ppm",
                  "cps_snat_ok", "cps_ct_clean"):
            if v.get(k) is None:
                missing.append(k)
        for k in ("ep_last_ok", "cps_snat_ok", "cps_ct_clean"):
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
