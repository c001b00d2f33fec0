#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# debug-module.sh KDIR OUTDIR: build accelsim.ko against the kernel tree
# KDIR (W=1) in OUTDIR, a copy of kernel/, so the module for the installed
# kernel stays untouched. kbuild makes the module's BTF itself, since KDIR
# has a vmlinux.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
kdir=$1
out=$2
mkdir -p "$out"
rm -rf "${out:?}"/*
cp "$top/kernel/Kbuild" "$out/"
find "$top/kernel" -maxdepth 1 -name '*.[ch]' ! -name '*.mod.c' -exec cp {} "$out/" \;
cp -r "$top/kernel/uapi" "$out/"
make -C "$kdir" M="$out" W=1 modules
