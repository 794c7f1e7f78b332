# SPDX-License-Identifier: GPL-2.0
#
# plink: build the module out of tree, the tools, the tests.
#
#   make                 plink.ko against KDIR, and plinkctl
#   make check           everything CI runs (see README)
#   make vm              stock 6.12 in QEMU with plink loaded, interactive
#   make demo            stock 6.12 in QEMU: a provider, three consumers, traffic
#   make regen           regenerate uapi/ and kmod/netlink-gen.[ch] from the spec
#   make bench           the benchmarks in QEMU -icount (BENCH=family for one);
#                        the table goes to bench/results.md
#   make bench-smoke     every benchmark once, tiny (make check runs it)

SHELL := /bin/bash
TOP := $(CURDIR)
PLINK_CACHE ?= $(HOME)/.cache/plink
export PLINK_CACHE

# Default KDIR: the running kernel's build tree, else the newest installed
# Debian headers (this machine's own kernel has none).
KDIR ?= $(firstword $(wildcard /lib/modules/$(shell uname -r)/build) \
	$(lastword $(sort $(wildcard /usr/src/linux-headers-*-amd64))))

SPEC := Documentation/netlink/specs/plink.yaml
GENERATED := uapi/linux/plink.h kmod/netlink-gen.h kmod/netlink-gen.c

KMOD_SRCS := $(wildcard kmod/*.c kmod/*.h kmod/tests/*.c) Kbuild

.PHONY: all module tools clean check regen check-regen vm demo deps \
	check-build check-style check-kdoc check-tools check-vm bench \
	bench-smoke

all: module tools

module:
	$(MAKE) -C $(KDIR) M=$(TOP) modules

tools:
	$(MAKE) -C tools/plinkctl

clean:
	$(MAKE) -C $(KDIR) M=$(TOP) clean || true
	$(MAKE) -C tools/plinkctl clean
	rm -rf build

# --- generated code -------------------------------------------------------


regen:
	scripts/regen.sh .

check-regen:
	scripts/regen.sh --check

# --- checks ---------------------------------------------------------------

deps:
	scripts/install-deps.sh

check-build:
	scripts/check-build.sh

check-style:
	scripts/check-style.sh

check-kdoc:
	scripts/check-kdoc.sh

check-tools: tools
	$(MAKE) -C tools/plinkctl check

check-vm:
	selftests/qemu/run-all.sh

check:
	scripts/check.sh

vm: tools
	selftests/qemu/run.sh --kernel stock-6.12 --interactive

demo: tools
	selftests/qemu/demo.sh

# BENCH=tput|cps|udp|micro|balance|scale runs one family; BENCH_ARGS adds
# bench/run.sh options (--rounds N, --plain).
bench: tools
	bench/run.sh $(BENCH_ARGS) $(BENCH)

bench-smoke: tools
	bench/run.sh --smoke
