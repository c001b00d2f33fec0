#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# btf.sh KVER KDIR: add BTF to accelsim.ko in the current directory (a DKMS
# build tree), as kbuild does when the headers have a vmlinux. The base is
# the target kernel's BTF: KDIR/vmlinux (kbuild already did it), the running
# kernel's /sys/kernel/btf/vmlinux when KVER is running, else the .BTF
# section of /boot/vmlinuz-KVER. Without pahole or a base, the module stays
# without BTF (acceltop then uses plain tracepoints) and this says so.
set -eu
kver=$1
kdir=$2
ko=accelsim.ko

skip() {
	echo "btf.sh: $ko built without BTF: $1" >&2
	exit 0
}

[ -f "$ko" ] || { echo "btf.sh: no $ko here" >&2; exit 1; }
[ ! -f "$kdir/vmlinux" ] || exit 0
grep -q '^CONFIG_DEBUG_INFO_BTF_MODULES=y' "$kdir/.config" 2>/dev/null ||
	skip "the kernel has no CONFIG_DEBUG_INFO_BTF_MODULES"
command -v pahole >/dev/null || skip "pahole (package dwarves) is not installed"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ "$kver" = "$(uname -r)" ] && [ -r /sys/kernel/btf/vmlinux ]; then
	base=/sys/kernel/btf/vmlinux
elif [ -r "/boot/vmlinuz-$kver" ] &&
	./vmlinux-btf.sh "/boot/vmlinuz-$kver" "$tmp/vmlinux.btf"; then
	base=$tmp/vmlinux.btf
else
	skip "no BTF for kernel $kver (not running, no readable /boot/vmlinuz-$kver)"
fi
# The flags of Debian 12's kbuild (scripts/pahole-flags.sh) for pahole 1.24.
pahole -J --btf_gen_floats -j --lang_exclude=rust --btf_base "$base" "$ko"
echo "btf.sh: added BTF to $ko (base $base)"
