#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# build-module.sh KVER OUTDIR: build accelsim.ko for the installed Debian
# kernel release KVER (for example "$(scripts/kver.sh 6.12)") with W=1 in
# OUTDIR, a copy of kernel/, so the module kernel/ builds for the default
# kernel stays untouched; then its BTF, as kernel/Makefile makes it: kbuild
# does when the headers ship a vmlinux (Debian's 6.12 headers do, with the
# same .BTF as the vmlinuz), else pahole against the .BTF of
# /boot/vmlinuz-KVER (Debian's 6.1). make check's k612 lane builds
# build/k6.12/ this way.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
if [ $# -ne 2 ] || [ -z "$1" ] || [ -z "$2" ]; then
	echo "usage: build-module.sh KVER OUTDIR" >&2
	exit 2
fi
kver=$1
out=$2
kdir=/usr/src/linux-headers-$kver
vmlinuz=/boot/vmlinuz-$kver
btf=$top/build/vmlinux-$kver.btf
for f in "$kdir/Makefile" "$vmlinuz"; do
	if [ ! -f "$f" ]; then
		echo "build-module.sh: $f is missing (run 'make deps')" >&2
		exit 1
	fi
done

mkdir -p "$out"
out=$(cd "$out" && pwd)
rm -rf "${out:?}"/*
cp "$top/kernel/Kbuild" "$out/"
find "$top/kernel" -maxdepth 1 -name '*.[ch]' ! -name '*.mod.c' -exec cp {} "$out/" \;
cp -r "$top/kernel/uapi" "$out/"
make -C "$kdir" M="$out" W=1 modules

[ -f "$kdir/vmlinux" ] && exit 0
# The kernel's BTF, shared with kernel/Makefile (make KVER=...).
if [ ! -s "$btf" ] || [ "$vmlinuz" -nt "$btf" ]; then
	mkdir -p "$(dirname "$btf")"
	"$top/scripts/vmlinux-btf.sh" "$vmlinuz" "$btf.tmp.$$"
	mv "$btf.tmp.$$" "$btf"
fi
pahole -J --btf_gen_floats -j --lang_exclude=rust --btf_base "$btf" \
	"$out/accelsim.ko"
