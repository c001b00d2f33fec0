#!/bin/sh
# SPDX-License-Identifier: MIT
# vmlinux-btf.sh VMLINUZ OUT: extract the .BTF section of a Debian bzImage.
# The bzImage holds an xz-compressed vmlinux; decompress it from the xz
# magic (xz complains about the trailing data, which is harmless) and copy
# out the .BTF section.
set -eu
vmlinuz=$1
out=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

off=$(LC_ALL=C grep -obUaP '\xfd7zXZ\x00' "$vmlinuz" | head -n 1 | cut -d: -f1)
if [ -z "$off" ]; then
	echo "vmlinux-btf.sh: no xz stream in $vmlinuz" >&2
	exit 1
fi
tail -c +"$((off + 1))" "$vmlinuz" | xz -dc >"$tmp/vmlinux" 2>/dev/null || true
if ! objcopy -O binary --only-section=.BTF "$tmp/vmlinux" "$tmp/btf" ||
	[ ! -s "$tmp/btf" ]; then
	echo "vmlinux-btf.sh: no .BTF section in $vmlinuz" >&2
	exit 1
fi
mv "$tmp/btf" "$out"
