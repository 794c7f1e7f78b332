#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the test initramfs for one kernel:
#   [PLINK_MODULES="A.ko ..."] mkinitramfs.sh KERNEL OUT.cpio.gz
# It holds busybox-static, iproute2's ip, bash, coreutils' date, the host
# programs the tests use (with their libraries, found by ldd), python3 and
# the kernel's YNL client (tools/net/ynl/cli.py) with our spec, plinkctl, the
# plink modules built for KERNEL (build/KERNEL/mod), the kernel's own veth and
# dummy modules (and sch_netem's) where they are not built in, and the kselftests installed as
# the kernel installs its own (selftests/Makefile: /plink/ksft holds the
# kernel's kselftest runner, kselftest-list.txt and the collection plink/,
# with the kernel's tools/testing/selftests/net/lib.sh).
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
name=${1:?usage: mkinitramfs.sh KERNEL OUT}
out=${2:?usage: mkinitramfs.sh KERNEL OUT}
eval "$("$top/scripts/kernels.sh" "$name")"

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
# mktemp makes the directory 0700; as the guest's / it would lock every
# user but root out of every file (the unprivileged tests need uid 1000).
chmod 0755 "$root"

mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,usr/local/bin,lib,lib64,etc,proc,sys,dev,run,tmp,root}
chmod 1777 "$root/tmp"
mkdir -p "$root/lib/modules/plink" "$root/plink"

cp /bin/busybox "$root/bin/busybox"
for applet in $("$root/bin/busybox" --list); do
	[ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
done

# Host programs, with the shared libraries they need.
copy_prog() {
	local src=$1 dst=$2 lib
	install -D -m 0755 "$src" "$root$dst"
	for lib in $(ldd "$src" 2>/dev/null | grep -oE '/[^ ]+\.so[^ ]*'); do
		[ -e "$root$lib" ] || install -D -m 0755 "$lib" "$root$lib"
	done
}
copy_prog /usr/sbin/ip /usr/sbin/ip
copy_prog /usr/bin/bash /usr/bin/bash
# The kselftest runner starts each test by its "#!/bin/bash".
ln -s /usr/bin/bash "$root/bin/bash"
copy_prog /usr/bin/date /usr/local/bin/date
# iproute2's tc (netem) and nginx-light, for proxy-protocol.sh.
copy_prog /usr/sbin/tc /usr/sbin/tc
copy_prog /usr/sbin/nginx /usr/sbin/nginx
copy_prog "$top/tools/plinkctl/plinkctl" /usr/local/bin/plinkctl
# plink.service, its script and its settings, where the packages put them
# (selftests/boot.sh runs the unit's Exec lines).
install -D -m 0644 "$top/packaging/plink.service" "$root/lib/systemd/system/plink.service"
install -D -m 0755 "$top/packaging/plink-boot" "$root/usr/libexec/plink/plink-boot"
install -D -m 0644 "$top/packaging/plink.default" "$root/etc/default/plink"
for prog in socat iperf3 ethtool jq setpriv unshare nsenter getent nft; do
	p=$(command -v "$prog") || { echo "mkinitramfs: $prog is missing (make deps)" >&2; exit 1; }
	copy_prog "$p" "/usr/local/bin/$prog"
done

# The kernel's YNL client (tools/net/ynl: cli.py and lib/) and our spec, with
# Debian's python3 and only the modules it imports (python3-yaml's too, with
# its C extension and libyaml): the host's python3 lists them, running
# cli.py once in the guest's empty environment (the plink family is most
# likely missing on the host: that ends it, past every import).  Each is
# copied with its compiled __pycache__ file (the .pyc is checked against
# the mtime, which is kept).
ynl=$("$top/scripts/ksrc.sh")/tools/net/ynl
spec=$top/Documentation/netlink/specs/plink.yaml
copy_prog /usr/bin/python3.11 /usr/bin/python3.11
ln -s python3.11 "$root/usr/bin/python3"
mkdir -p "$root/plink/ynl/lib"
cp -p "$ynl/cli.py" "$spec" "$top/selftests/tools/ynl-session.py" \
	"$root/plink/ynl/"
cp -p "$ynl"/lib/*.py "$root/plink/ynl/lib/"
/usr/bin/python3.11 -I -m compileall -q "$root/plink/ynl/lib"
pymods=$(env -i /usr/bin/python3.11 -I -c '
import os, sys
sys.path.insert(0, sys.argv[1])
import cli, yaml.cyaml, contextlib, io, json, traceback
sys.argv = ["cli.py", "--no-schema", "--output-json", "--spec", sys.argv[2],
            "--do", "dev-get", "--json", "{}"]
sys.stdout = open(os.devnull, "w")
try:
    cli.main()
except BaseException:
    pass
for m in list(sys.modules.values()):
    f = getattr(m, "__file__", None) or ""
    if f.startswith(("/usr/lib/python3.11/",
                     "/usr/lib/python3/dist-packages/yaml/")):
        print(f, file=sys.__stdout__)' "$ynl" "$spec" | sort -u)
for f in $pymods; do
	install -D -p -m 0644 "$f" "$root$f"
	pyc=$(dirname "$f")/__pycache__/$(basename "$f" .py).cpython-311.pyc
	[ "${f%.py}" = "$f" ] || [ ! -e "$pyc" ] || install -D -p -m 0644 "$pyc" "$root$pyc"
	case $f in
	*.so) copy_prog "$f" "$f" ;;
	esac
done

# The kselftests, with their own programs (TEST_GEN_FILES, static; in
# $PATH for the tests, which run them in other netns and as other users).
ksft=$("$top/scripts/ksrc.sh")/tools/testing/selftests
mkdir "$root/gen"
make -s --no-print-directory -C "$top/selftests" OUTPUT="$root/gen" \
	INSTALL_PATH="$root/plink/ksft" KSFT_DIR="$ksft" install >/dev/null
rm -r "$root/gen"
# shellcheck disable=SC2016 # make expands it
for prog in $(make -s --no-print-directory -C "$top/selftests" \
		-f Makefile -f - <<<'print-gen: ; @echo $(TEST_GEN_FILES)' print-gen); do
	ln -s "/plink/ksft/plink/$prog" "$root/usr/local/bin/$prog"
done

# The plink modules (those in $PLINK_MODULES when set: run.sh --module),
# and the kernel's own where the tests need them.
# shellcheck disable=SC2086 # a list of paths
cp ${PLINK_MODULES:-"$top/build/$name/mod/"*.ko} "$root/lib/modules/plink/"
if [ -n "$KMODS" ]; then
	for m in drivers/net/veth drivers/net/dummy net/sched/sch_netem; do
		if [ -e "$KMODS/$m.ko.xz" ]; then
			xz -dc "$KMODS/$m.ko.xz" > "$root/lib/modules/$(basename "$m").ko"
		elif [ -e "$KMODS/$m.ko" ]; then
			cp "$KMODS/$m.ko" "$root/lib/modules/"
		fi
	done
fi

# nftables for the tests that use it (revoke.sh), in /lib/modules/nft
# (not loaded at boot) with the order to load them in.
if [ -n "$KMODS" ]; then
	mkdir -p "$root/lib/modules/nft"
	for m in crypto/crc32c_generic lib/libcrc32c net/netfilter/nfnetlink \
		 net/netfilter/nf_tables; do
		if [ -e "$KMODS/$m.ko.xz" ]; then
			xz -dc "$KMODS/$m.ko.xz" > "$root/lib/modules/nft/$(basename "$m").ko"
		elif [ -e "$KMODS/$m.ko" ]; then
			cp "$KMODS/$m.ko" "$root/lib/modules/nft/"
		else
			continue
		fi
		basename "$m" >> "$root/lib/modules/nft/order"
	done
fi

# Tests and the guest's side of the harness.
cp "$top/selftests/qemu/init" "$root/init"
cp "$top/selftests/qemu/guest-run.sh" "$top/selftests/qemu/demo-guest.sh" \
	"$top/selftests/qemu/splats.re" "$root/plink/"
cp "$top/scripts/lib.sh" "$root/plink/lib.sh"
cp "$top/selftests/manifest" "$root/plink/manifest"
chmod 0755 "$root/init" "$root"/plink/guest-run.sh "$root"/plink/demo-guest.sh

cat > "$root/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/sh
PASSWD
cat > "$root/etc/group" <<'GROUP'
root:x:0:
nogroup:x:65534:
GROUP
# Names from /etc/hosts only ("ip netns exec NS" puts /etc/netns/NS/hosts
# over it: selftests/dns.sh).
printf '127.0.0.1\tlocalhost\n::1\tlocalhost\n' > "$root/etc/hosts"
echo 'hosts: files' > "$root/etc/nsswitch.conf"
echo "$name $KREL" > "$root/plink/kernel"

(cd "$root" && find . -print0 | cpio --null -o -H newc --quiet) | gzip -1 > "$out"
