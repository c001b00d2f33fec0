#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# debug-kernel.sh: print the build tree of the debug kernel (KASAN, lockdep,
# DEBUG_ATOMIC_SLEEP, kmemleak, DEBUG_OBJECTS, BTF, MMU_NOTIFIER through
# KVM), building it first if no cached build matches.
#
# The kernel is Debian's linux-source-6.1, configured as tinyconfig plus
# tests/debug/debug.config. Builds are cached under $ACCEL_CACHE_DIR
# (default /var/cache/accel) by a hash of that config, the source package's
# version and this script, so a second run does not rebuild. Progress goes
# to stderr; the tree's path is the only thing printed on stdout.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
fragment=$top/tests/debug/debug.config
tarball=/usr/src/linux-source-6.1.tar.xz
cache=${ACCEL_CACHE_DIR:-/var/cache/accel}
jobs=${JOBS:-$(nproc)}

say() {
	echo "debug-kernel: $*" >&2
}

die() {
	say "$*"
	exit 1
}

[ -f "$tarball" ] || die "$tarball is missing (run 'make deps')"
srcver=$(dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null || stat -c %s "$tarball")
hash=$( { cat "$fragment" "$0"; echo "$srcver"; } | sha256sum | cut -c1-16)
out=$cache/debug-kernel-$hash

if [ -f "$out/.done" ]; then
	say "using the cached build $out"
	echo "$out"
	exit 0
fi

mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9
if [ -f "$out/.done" ]; then
	echo "$out"
	exit 0
fi

src=$("$top/scripts/ksrc.sh")

rm -rf "$out"
mkdir -p "$out"
say "configuring (tinyconfig + ${fragment#"$top"/})"
make -s -C "$src" O="$out" tinyconfig >"$out/config.log" 2>&1
"$src/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" "$fragment" \
	>>"$out/config.log" 2>&1
make -s -C "$src" O="$out" olddefconfig >>"$out/config.log" 2>&1

# Every option asked for must have survived olddefconfig.
bad=
while IFS='=' read -r opt val; do
	case $opt in CONFIG_*) ;; *) continue ;; esac
	if [ "$val" = n ]; then
		grep -qx "# $opt is not set" "$out/.config" || ! grep -q "^$opt=" "$out/.config" ||
			bad="$bad $opt=n"
	else
		grep -qx "$opt=$val" "$out/.config" || bad="$bad $opt=$val"
	fi
done <"$fragment"
[ -z "$bad" ] || die "options not applied:$bad (see $out/config.log)"

say "building bzImage and modules_prepare with $jobs jobs (about 5 minutes on 2 cores)"
start=$(date +%s)
make -C "$src" O="$out" -j"$jobs" bzImage modules_prepare >"$out/build.log" 2>&1 &
pid=$!
while kill -0 "$pid" 2>/dev/null; do
	sleep 30
	kill -0 "$pid" 2>/dev/null || break
	say "  ... $(($(date +%s) - start)) s, $(find "$out" -name '*.o' | wc -l) objects"
done
if ! wait "$pid"; then
	tail -n 30 "$out/build.log" >&2
	die "kernel build failed (log: $out/build.log)"
fi
say "built in $(($(date +%s) - start)) s"
touch "$out/.done"
echo "$out"
