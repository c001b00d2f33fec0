#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# ksrc.sh: print the path of Debian's linux-source-6.1 tree, extracting
# /usr/src/linux-source-6.1.tar.xz once into $ACCEL_CACHE_DIR (default
# /var/cache/accel). Used for checkpatch.pl and the debug kernel.
set -euo pipefail
tarball=/usr/src/linux-source-6.1.tar.xz
cache=${ACCEL_CACHE_DIR:-/var/cache/accel}

if [ ! -f "$tarball" ]; then
	echo "ksrc: $tarball is missing (run 'make deps')" >&2
	exit 1
fi
ver=$(dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null || stat -c %s "$tarball")
src=$cache/linux-source-6.1-$ver
if [ ! -f "$src/.extracted" ]; then
	mkdir -p "$cache"
	exec 8>"$cache/.ksrc.lock"
	flock 8
	if [ ! -f "$src/.extracted" ]; then
		echo "ksrc: extracting $tarball into $src" >&2
		rm -rf "$src"
		mkdir -p "$src"
		tar -C "$src" --strip-components=1 -xf "$tarball"
		touch "$src/.extracted"
	fi
fi
echo "$src"
