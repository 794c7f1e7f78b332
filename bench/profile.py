#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn the profile family's output (bench/guest/profile.sh, bprof agg) into
bench/profile.md: per function, calls and instructions per packet (UDP)
or per connection (TCP), inclusive and self, plink against veth, with the
tracer's own cost taken out.

  profile.py [--smoke] [--md FILE] [--kernel REL] [--commit C] RAW

The tracer's cost.  Every traced call runs ftrace's entry and exit hooks;
a call's duration is measured from a clock read inside its entry hook to
one inside its exit hook.  So a call's duration holds a fixed part of its
own hooks (o_in) and the whole hooks (O) of each traced call below it:
    measured inclusive = true inclusive + o_in + O * descendants
    measured self      = true self + o_in + (O - o_in) * children
O comes from phase 1 (only the roots traced) and phase 2 (every function):
the roots' true durations are the same, so O = (sum of phase 2 root
durations - phase 1's) / (phase 2 traced descendants - phase 1's), pooled
over every variant.  Cross-check: the client's clock, phase 1 minus phase 0,
over the calls phase 1 traced.  o_in: the mean duration of the cheapest
traced leaf, __rcu_read_lock (a counter increment), less its own body.
--smoke: only check that every variant produced its figures.
"""
import argparse
import os
import platform
import subprocess
import sys
import time

VARIANTS = ("udp-plink", "udp-veth", "tcp-plink", "tcp-veth")
XMIT_ROOT = "ip_finish_output2"
RCV_ROOT = "__netif_receive_skb"
CAL_LEAF = "__rcu_read_lock"
# __rcu_read_lock's own instructions when untraced: endbr64, the 5-byte
# nop ftrace patches into a call, a load of current, an increment, the
# return (through the return thunk): about 5, give or take 3.
CAL_BODY = 5
# A function gets a row when it costs at least this much per operation in
# either variant (inclusive, or self), or is plink's.
MIN_INCL = 15
MIN_SELF = 8
MAX_ROWS = 70


def parse(path):
    d = {"U": {}, "D": {}, "E": {}, "T": {}, "F": {}}
    notes = []
    for line in open(path, errors="replace"):
        f = line.split()
        if not f:
            continue
        k = f[0]
        try:
            if k in ("U", "D", "E") and len(f) >= 4:
                d[k][(f[1], f[2])] = [int(x) for x in f[3:]]
            elif k == "T" and len(f) == 10:
                d[k][(f[1], f[2], f[3])] = [int(x) for x in f[4:]]
            elif k == "F" and len(f) == 15:
                d[k][(f[1], f[2], f[3], f[4])] = [int(x) for x in f[5:]]
        except ValueError:
            notes.append(f"unparsed: {line.rstrip()}")
            continue
        if line.startswith("# profile") or line.startswith("# kernel:"):
            notes.append(line[2:].rstrip())
    return d, notes


def dirs_of(v):
    return ("fwd", "rev") if v.startswith("udp") else ("all",)


def check(d):
    """What is missing: a list of complaints (empty when complete)."""
    bad = []
    for v in VARIANTS:
        for ph in "012":
            u = d["U"].get((v, ph))
            if not u or u[1] <= 0:
                bad.append(f"{v}: no operations timed in phase {ph}")
            elif u[2]:
                bad.append(f"{v}: {u[2]} operations failed in phase {ph}")
        for ph in "12":
            for dr in dirs_of(v):
                t = d["T"].get((v, ph, dr))
                if not t or t[0] <= 0:
                    bad.append(f"{v}: no {dr} graph traced in phase {ph}")
            dd = d["D"].get((v, ph))
            if dd and any(dd):
                bad.append(f"{v}: the ring buffer lost events in phase {ph} "
                           f"(overrun {dd[0]}, dropped {dd[1]})")
            e = d["E"].get((v, ph))
            if not e:
                bad.append(f"{v}: no trace read in phase {ph}")
            elif e[1] or e[2] or e[3] or len(e) < 5 or e[4] > 10:
                bad.append(f"{v}: phase {ph}: {e[1]} lines unparsed, {e[2]} calls "
                           f"unmatched, {e[3]} closed under another name, "
                           f"{e[4] if len(e) > 4 else '?'} strays")
        dev = "plink_xmit" if v.endswith("plink") else "veth_xmit"
        if not any(k[0] == v and k[1] == "2" and k[3] == dev for k in d["F"]):
            bad.append(f"{v}: {dev} not in the traced graphs")
    return bad


class Model:
    """The tracer's cost per call, and the corrected figures."""

    def __init__(self, d):
        self.d = d
        self.n = {v: d["U"][(v, "2")][0] for v in VARIANTS}
        ln = ls = 0
        for k, f in d["F"].items():
            if k[1] == "2" and k[3] == CAL_LEAF:
                ln += f[6]
                ls += f[7]
        self.leaf_mean = ls / ln if ln else 0
        self.leaf_n = ln
        self.o_in = max(self.leaf_mean - CAL_BODY, 0)
        # Phase 2's roots less phase 1's: O for each more traced call,
        # O - o_in for each more interrupt subtree (its duration is out,
        # the outer part of its hooks is not).
        num = den = 0
        self.o_var = {}
        for v in VARIANTS:
            vn = vd = 0
            for dr in dirs_of(v):
                t1, t2 = d["T"][(v, "1", dr)], d["T"][(v, "2", dr)]
                vn += t2[1] - t1[1] + self.o_in * (t2[5] - t1[5])
                vd += t2[2] - t1[2] + t2[5] - t1[5]
            self.o_var[v] = vn / vd if vd else 0
            num += vn
            den += vd
        self.o = num / den

    def func(self, v, dr, fn):
        """(calls, inclusive, self) per operation, or None."""
        f = self.d["F"].get((v, "2", dr, fn))
        if not f:
            return None
        calls, outer, incl, ndesc, slf, nchild = f[:6]
        irqc, dirqc = f[8:10]
        n, o, oi = self.n[v], self.o, self.o_in
        return (calls / n,
                (incl - outer * oi - ndesc * o - irqc * (o - oi)) / n,
                (slf - calls * oi - (nchild + dirqc) * (o - oi)) / n)

    def total(self, v, dr, ph="2"):
        t = self.d["T"][(v, ph, dr)]
        o, oi = self.o, self.o_in
        return (t[1] - t[0] * oi - t[2] * o - t[5] * (o - oi)) / self.n[v]

    def whole(self, v):
        u = self.d["U"][(v, "0")]
        return u[1] / u[0]


def fi(x):
    return "—" if x is None else f"{x:,.0f}"


def fc(x):
    return "—" if x is None else f"{x:.2f}"


def func_table(m, dr, vp, vv):
    fns = {k[3] for k in m.d["F"] if k[1] == "2" and k[2] == dr and k[0] in (vp, vv)}
    rows = []
    for fn in fns:
        a, b = m.func(vp, dr, fn), m.func(vv, dr, fn)
        incl = max(x[1] for x in (a, b) if x)
        slf = max(x[2] for x in (a, b) if x)
        if incl >= MIN_INCL or slf >= MIN_SELF or fn.startswith("plink_"):
            rows.append((incl, fn, a, b))
    rows.sort(key=lambda r: (-r[0], r[1]))
    # plink's own rows are all kept, past the cap too.
    left = sum(1 for r in rows[MAX_ROWS:] if not r[1].startswith("plink_"))
    rows = rows[:MAX_ROWS] + [r for r in rows[MAX_ROWS:] if r[1].startswith("plink_")]
    out = ["| function | plink calls | plink incl | plink self | veth calls | veth incl "
           "| veth self | incl: plink − veth |",
           "|---|---:|---:|---:|---:|---:|---:|---:|"]
    def odd(x):
        # A figure the model cannot have right: below zero, or self
        # over inclusive (see "How far to trust it").
        return x and (x[1] < -5 or x[2] < -5 or x[2] > x[1] + 5)

    for _, fn, a, b in rows:
        diff = (a[1] if a else 0) - (b[1] if b else 0)
        ma, mb = " †" if odd(a) else "", " †" if odd(b) else ""
        out.append(f"| `{fn}` | {fc(a and a[0])} | {fi(a and a[1])}{ma} | {fi(a and a[2])}{ma} "
                   f"| {fc(b and b[0])} | {fi(b and b[1])}{mb} | {fi(b and b[2])}{mb} "
                   f"| {diff:+,.0f} |")
    note = (f"{len(fns)} functions traced; rows: those costing at least {MIN_INCL} "
            f"instructions inclusive or {MIN_SELF} self per operation in either, "
            f"and plink's own. †: below zero, or self over inclusive: the tracer's "
            f"hooks cost this call site less or more than their mean (see \"How far "
            f"to trust it\"); read it with its caller's figures")
    if left > 0:
        note += f"; {left} more such rows left out"
    return "\n".join(out) + "\n\n" + note + ".\n"


def summary(m):
    rows = []

    def row(what, per, a, b):
        rows.append(f"| {what} | {per} | {fi(a)} | {fi(b)} | {a - b:+,.0f} |")

    def parts(vp, vv, dr, what, per, nested=False):
        tp, tv = m.total(vp, dr), m.total(vv, dr)
        row(f"{what}: traced total", per, tp, tv)
        xp, xv = m.func(vp, dr, "plink_xmit"), m.func(vv, dr, "veth_xmit")
        xp, xv = xp[1] if xp else 0, xv[1] if xv else 0
        row(f"{what}: the device's xmit (`plink_xmit`, `veth_xmit`)", per, xp, xv)
        rp, rv = m.func(vp, dr, RCV_ROOT), m.func(vv, dr, RCV_ROOT)
        rp, rv = rp[1] if rp else 0, rv[1] if rv else 0
        if nested:
            # TCP answers from the softirq: the receive holds the
            # replies' transmits, and the parts overlap.
            row(f"{what}: the receiving netns (`{RCV_ROOT}`, with the replies "
                "it sends, their xmit included)", per, rp, rv)
            return
        row(f"{what}: the receiving netns (`{RCV_ROOT}`)", per, rp, rv)
        row(f"{what}: the rest (neighbour output, qdisc layer, softirq, backlog)",
            per, tp - xp - rp, tv - xv - rv)

    row("UDP request + echo, whole (untraced; client's clock)", "round trip",
        m.whole("udp-plink"), m.whole("udp-veth"))
    row("UDP request + echo, traced (both packets)", "round trip",
        m.total("udp-plink", "fwd") + m.total("udp-plink", "rev"),
        m.total("udp-veth", "fwd") + m.total("udp-veth", "rev"))
    parts("udp-plink", "udp-veth", "fwd", "UDP forward (consumer → provider)", "packet")
    parts("udp-plink", "udp-veth", "rev", "UDP reverse (provider → consumer)", "packet")
    row("TCP connection, whole (untraced; client's clock)", "connection",
        m.whole("tcp-plink"), m.whole("tcp-veth"))
    parts("tcp-plink", "tcp-veth", "all", "TCP connection (every packet, both ways)",
          "connection", nested=True)
    a, b = m.func("tcp-plink", "all", RCV_ROOT), m.func("tcp-veth", "all", RCV_ROOT)
    pk = f"{a[0]:.2f} and {b[0]:.2f}" if a and b else "?"
    return ("| path | per | plink | veth | plink − veth |\n|---|---|---:|---:|---:|\n"
            + "\n".join(rows) + "\n\n"
            + f"Packets received per TCP connection (calls of `{RCV_ROOT}`): plink {pk}.\n")


def calibration(m):
    out = [f"- O, the tracer's cost per traced call (its entry and exit hooks), from "
           f"phases 1 and 2 pooled: **{m.o:.0f}** instructions; per variant: "
           + ", ".join(f"{v} {m.o_var[v]:.0f}" for v in VARIANTS) + ".",
           f"- o_in, the part of a call's own hooks inside its measured duration: "
           f"`{CAL_LEAF}` measures {m.leaf_mean:.1f} on average over {m.leaf_n} calls, "
           f"less its own ~{CAL_BODY} instructions: **{m.o_in:.0f}**.",
           "- The correction's residual: each root's inclusive figure from phase 2, "
           "corrected, against the same from phase 1 (only the roots traced, so "
           "only nested roots to correct for):"]
    for v in VARIANTS:
        for dr in dirs_of(v):
            t2, t1 = m.total(v, dr, "2"), m.total(v, dr, "1")
            out.append(f"  {v} {dr}: {t2:,.0f} vs {t1:,.0f} per operation "
                       f"({(t2 - t1) / t1 * 100:+.1f}%).")
    wu = m.whole("udp-plink") - m.whole("udp-veth")
    tu = sum(m.total("udp-plink", dr) - m.total("udp-veth", dr) for dr in ("fwd", "rev"))
    wt = m.whole("tcp-plink") - m.whole("tcp-veth")
    tt = m.total("tcp-plink", "all") - m.total("tcp-veth", "all")
    out.append(f"- What plink adds over veth, untraced (phase 0, the client's clock, "
               f"everything included) against traced and corrected (phase 2): UDP round "
               f"trip {wu:+,.0f} against {tu:+,.0f}; TCP connection {wt:+,.0f} against {tt:+,.0f}.")
    irq = []
    slow = pre = post = 0
    for v in VARIANTS:
        for dr in dirs_of(v):
            t = m.d["T"][(v, "2", dr)]
            if t[3]:
                irq.append(f"{v} {dr}: {t[3]} ({t[4] / m.n[v]:,.0f} per operation)")
        e = m.d["E"].get((v, "2"), [])
        slow += e[5] if len(e) > 5 else 0
        pre += e[7] if len(e) > 7 else 0
        post += e[8] if len(e) > 8 else 0
    out.append("- Interrupt subtrees taken out of the graphs they landed in: "
               + ("; ".join(irq) if irq else "none") + f". {pre} calls held an interrupt "
               "that came in their entry hook, after its clock read, and so was written "
               "before them: it came out of them too; "
               f"{post} calls showed one that came in their exit hook, after their clock "
               "read, and so was written within them: it was their caller's. "
               f"{slow} leaves still took over 20 µs: taken out as interrupts.")
    return "\n".join(out) + "\n"


def write_md(path, m, a, notes):
    try:
        qemu = subprocess.run(["qemu-system-x86_64", "--version"], capture_output=True,
                              text=True).stdout.splitlines()[0]
    except Exception:
        qemu = "?"
    n = m.n
    with open(path, "w") as f:
        f.write("# plink fast-path profile: per function, plink against veth\n\n")
        f.write(f"Generated by `bench/run.sh profile` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"
                f" from plink.ko built from kmod/ at commit {a.commit}, as bench/run.sh builds it.\n\n")
        f.write(f"- guest: Debian {a.kernel} (stock), `-smp 1`; host: {platform.node()}, "
                f"{qemu}, TCG, `-icount shift=0,sleep=off`: a guest ns is an instruction\n")
        f.write(f"- UDP: {n['udp-plink']} request/echo round trips of 18-byte datagrams on one "
                f"connected socket (after 20 unmeasured), consumer netns C to 10.0.0.1 in "
                f"provider netns P: through plink (endpoint 10.0.0.104, NLB 10.0.0.220) or "
                f"over the routed veth pair\n")
        f.write(f"- TCP: {n['tcp-plink']} short connections (connect, the server closes, close; "
                f"after 5 unmeasured), a new plink flow each\n")
        f.write("- ftrace `function_graph`, graphs rooted at `ip_finish_output2` (a packet "
                "leaves L3 for its device: the neighbour output, the qdisc layer and the "
                "device's xmit, which hands it to the peer's backlog; then, at "
                "`local_bh_enable` in `__dev_queue_xmit`, the softirq that takes it from "
                "the backlog into the peer's netns) and at `__netif_receive_skb` (IP, the "
                "socket, the wake-up), for a packet received outside the first; the "
                "socket calls above L3 are in neither\n\n")
        f.write("How to read it: figures are instructions per packet (UDP, per direction) or per "
                "connection (TCP, both directions), the tracer's own cost taken out. "
                "*incl*: the function and everything it called (counted once when it "
                "calls itself); *self*: the function alone, less its traced children "
                "(inlined and `notrace` callees count as self); *calls*: per packet or "
                "connection. The last column is plink's inclusive cost less veth's.\n\n")
        f.write("## Summary\n\n" + summary(m) + "\n")
        f.write("## UDP, forward packet (consumer → provider), per packet\n\n"
                + func_table(m, "fwd", "udp-plink", "udp-veth") + "\n")
        f.write("## UDP, reverse packet (provider → consumer), per packet\n\n"
                + func_table(m, "rev", "udp-plink", "udp-veth") + "\n")
        f.write("## TCP, per connection (every packet, both directions)\n\n"
                + func_table(m, "all", "tcp-plink", "tcp-veth") + "\n")
        f.write("## The tracer's cost, and how it is taken out\n\n"
                "Each variant runs three times in one boot: phase 0 untraced, phase 1 "
                "with only the roots traced (`set_ftrace_filter`), phase 2 with every "
                "function traced. A traced call's duration holds o_in of its own hooks, "
                "and the whole hooks, O, of every traced call below it. So inclusive = "
                "measured − o_in − O × descendants, self = measured − o_in − (O − o_in) × "
                "children. An interrupt inside a graph is traced too; its subtree is "
                "taken out of every call around it.\n\n" + calibration(m) + "\n"
                "How far to trust it. O is some 1,400 instructions, many times what most "
                "functions cost, so an absolute figure is as good as O's mean: an error of one "
                "instruction in O moves a total by one per traced call (140 or so a UDP packet). "
                "A difference, plink against veth, barely moves with O, their call counts being "
                "close; the bullets above check both, the residuals against phase 1 and the "
                "difference against the untraced one. What is not corrected: the untraced "
                "part of an interrupt's entry and exit (a few hundred instructions each, "
                "in whatever call it landed in, one interrupt in some ten UDP packets), and "
                "call sites where the hooks cost more or less than their mean, or split "
                "unevenly between a call and its caller: a small function's figures can be "
                "off by a few hundred either way (marked † where that shows as a figure "
                "below zero or a self over its inclusive; `plink_nat_addr` under "
                "`plink_nat_rewrite` is one). Its caller's inclusive figure holds it "
                "right. A figure moves by a few per cent between runs as interrupts land "
                "elsewhere.\n")
        if notes:
            f.write("\n## Notes from the VM\n\n")
            for x in notes:
                f.write(f"    {x}\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--smoke", action="store_true")
    ap.add_argument("--md")
    ap.add_argument("--kernel", default="?")
    ap.add_argument("--commit", default="?")
    ap.add_argument("raw")
    a = ap.parse_args()
    if not os.path.exists(a.raw):
        print(f"profile: no {a.raw}", file=sys.stderr)
        return 1
    d, notes = parse(a.raw)
    bad = check(d)
    if bad:
        for b in bad:
            print(f"profile: {b}", file=sys.stderr)
        return 1
    m = Model(d)
    print(f"profile: O {m.o:.0f}, o_in {m.o_in:.0f} instructions a traced call")
    for v in VARIANTS:
        print(f"profile: {v}: whole {m.whole(v):,.0f}; traced "
              + ", ".join(f"{dr} {m.total(v, dr):,.0f}" for dr in dirs_of(v))
              + " instructions per operation")
    if a.smoke:
        print("profile-smoke: every variant produced its profile")
        return 0
    if a.md:
        write_md(a.md, m, a, notes)
        print(f"profile: wrote {a.md}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
