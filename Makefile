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
#   make fuzz            the long fuzz campaign on the debug kernel (netlink
#                        and packets, scripts/fuzz.sh; FUZZ_ARGS adds options)
#   make install         plink.ko into /lib/modules/KVER/updates (KVER: KDIR's
#                        kernel), depmod, and what install-tools installs;
#                        DESTDIR and PREFIX (default /usr) honoured
#   make install-tools   plinkctl, its man page and bash completion,
#                        plink.service, /etc/default/plink
#   make install-dkms    the module's sources and dkms.conf into
#                        /usr/src/plink-VERSION, for "dkms install"
#   make uninstall       remove what install put there
#   make deb             Debian packages plink-dkms and plinkctl, in build/deb

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
	bench-smoke install install-module install-tools install-dkms \
	uninstall deb check-packaging fuzz

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

fuzz: tools
	scripts/fuzz.sh $(FUZZ_ARGS)

# --- installing -----------------------------------------------------------

VERSION := 0.1
PREFIX ?= /usr
KVER ?= $(shell cat $(KDIR)/include/config/kernel.release 2>/dev/null)
MODDIR := /lib/modules/$(KVER)/updates
UNITDIR ?= /lib/systemd/system
LIBEXECDIR ?= $(PREFIX)/libexec
COMPLETIONDIR ?= $(PREFIX)/share/bash-completion/completions
DKMSDIR := /usr/src/plink-$(VERSION)
DKMS_FILES := dkms.conf Kbuild uapi/linux/plink.h \
	$(sort $(wildcard kmod/*.c kmod/*.h kmod/tests/*.c))
INSTALL ?= install

install: install-module install-tools

install-module: module
	$(INSTALL) -d $(DESTDIR)$(MODDIR)
	$(INSTALL) -m 0644 plink.ko $(DESTDIR)$(MODDIR)/plink.ko
	if [ -z "$(DESTDIR)" ]; then depmod -a $(KVER); fi

install-tools: tools
	$(MAKE) -C tools/plinkctl install DESTDIR=$(DESTDIR) PREFIX=$(PREFIX)
	$(INSTALL) -D -m 0644 tools/plinkctl/plinkctl.bash-completion \
		$(DESTDIR)$(COMPLETIONDIR)/plinkctl
	$(INSTALL) -D -m 0755 packaging/plink-boot \
		$(DESTDIR)$(LIBEXECDIR)/plink/plink-boot
	$(INSTALL) -d $(DESTDIR)$(UNITDIR)
	sed 's|/usr/libexec/|$(LIBEXECDIR)/|' packaging/plink.service \
		> $(DESTDIR)$(UNITDIR)/plink.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/plink.service
	$(INSTALL) -D -m 0644 packaging/plink.default $(DESTDIR)/etc/default/plink

install-dkms:
	for f in $(DKMS_FILES); do \
		$(INSTALL) -D -m 0644 $$f $(DESTDIR)$(DKMSDIR)/$$f || exit 1; \
	done

uninstall:
	rm -f $(DESTDIR)$(MODDIR)/plink.ko
	if [ -z "$(DESTDIR)" ] && [ -n "$(KVER)" ]; then depmod -a $(KVER); fi
	rm -f $(DESTDIR)$(PREFIX)/sbin/plinkctl \
		$(DESTDIR)$(PREFIX)/share/man/man8/plinkctl.8 \
		$(DESTDIR)$(COMPLETIONDIR)/plinkctl \
		$(DESTDIR)$(LIBEXECDIR)/plink/plink-boot \
		$(DESTDIR)$(UNITDIR)/plink.service
	rmdir $(DESTDIR)$(LIBEXECDIR)/plink 2>/dev/null || true
	rm -rf $(DESTDIR)$(DKMSDIR)
	@echo "uninstall: /etc/default/plink and /etc/plink are left in place"

deb:
	scripts/build-deb.sh

check-packaging:
	scripts/check-packaging.sh
