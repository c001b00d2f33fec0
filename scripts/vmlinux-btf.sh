#!/bin/sh
# SPDX-License-Identifier: MIT
# vmlinux-btf.sh VMLINUZ OUT: extract the .BTF section of a Debian bzImage.
# The bzImage holds a compressed vmlinux: xz for Debian's 6.1, zstd for its
# 6.12. Decompress it from the compressor's magic (the decompressor
# complains about the trailing data, which is harmless) and copy out the
# .BTF section.
set -eu
vmlinuz=$1
out=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# offset MAGIC: the byte offset of the first MAGIC (a grep -P pattern).
offset() {
	LC_ALL=C grep -obUaP "$1" "$vmlinuz" | head -n 1 | cut -d: -f1
}

off=$(offset '\xfd7zXZ\x00')
if [ -n "$off" ]; then
	tail -c +"$((off + 1))" "$vmlinuz" | xz -dc >"$tmp/vmlinux" 2>/dev/null || true
else
	off=$(offset '\x28\xb5\x2f\xfd')
	if [ -z "$off" ]; then
		echo "vmlinux-btf.sh: no xz or zstd stream in $vmlinuz" >&2
		exit 1
	fi
	tail -c +"$((off + 1))" "$vmlinuz" | zstd -dc >"$tmp/vmlinux" 2>/dev/null || true
fi
if ! objcopy -O binary --only-section=.BTF "$tmp/vmlinux" "$tmp/btf" 2>/dev/null ||
	[ ! -s "$tmp/btf" ]; then
	echo "vmlinux-btf.sh: no .BTF section in $vmlinuz" >&2
	exit 1
fi
mv "$tmp/btf" "$out"
