# SPDX-License-Identifier: GPL-2.0
"""
ynl-session.py YNL_DIR: the kernel's YNL client, tools/net/ynl/cli.py from
YNL_DIR, for many requests in one python3 (whose start takes seconds under
QEMU's TCG).  Each line read is one cli.py command line, a JSON array of
its arguments; cli.main() runs it as it would from a shell, and what it
printed follows, then "--ynl-session-end STATUS" (its exit status).  The
spec is parsed once, and one netlink socket serves the requests.

With YNL_SESSION_RESERVE=MIB (and the environment ynl_session_env gives:
all of python3's memory from glibc's heap, never given back), it first
touches MIB MiB of heap and frees them: later requests reuse those pages, so
a session whose memory cgroup is full never page-faults for more (the
cgroup's OOM killer would take it).
"""

import builtins
import contextlib
import io
import json
import os
import sys
import traceback

sys.path.insert(0, sys.argv[1])
import cli  # noqa: E402

_reserve = int(os.environ.get("YNL_SESSION_RESERVE", "0"))
if _reserve:
    _pages = b"\1" * (_reserve << 20)
    del _pages

# cli.py ends with exit(1) on an error: site's exit() also closes stdin,
# where the next request comes from.
builtins.exit = sys.exit

# One YnlFamily (the spec parsed, a netlink socket) per set of arguments,
# for every request that asks for the same.
_families = {}
_ynl_family = cli.YnlFamily


def family(*args, **kwargs):
    key = (args, tuple(sorted(kwargs.items())))
    if key not in _families:
        _families[key] = _ynl_family(*args, **kwargs)
    return _families[key]


cli.YnlFamily = family


def run(argv):
    out = io.StringIO()
    status = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        sys.argv = ["cli.py"] + argv
        try:
            cli.main()
        except SystemExit as e:
            if isinstance(e.code, int):
                status = e.code
            elif e.code is not None:
                print(e.code)
                status = 1
        except Exception:
            traceback.print_exc()
            status = 1
    return out.getvalue(), status


for line in sys.stdin:
    text, status = run(json.loads(line))
    sys.stdout.write(text)
    if text and not text.endswith("\n"):
        sys.stdout.write("\n")
    sys.stdout.write(f"--ynl-session-end {status}\n")
    sys.stdout.flush()
