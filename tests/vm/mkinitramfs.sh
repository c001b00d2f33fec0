#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# mkinitramfs.sh OUT: build the base initramfs (an uncompressed newc cpio,
# which TCG unpacks faster than a compressed one) of the test guest:
# busybox, bash, bats with bats-support and bats-assert, bpftool, jq,
# trace-cmd, tmux, the built tools with their shared libraries, and the
# repository's tests/ tree. The module comes with each run (tests/vm/run).
set -euo pipefail

out=$1
top=$(cd "$(dirname "$0")/../.." && pwd)
root=$(mktemp -d "${out}.root.XXXXXX")
trap 'rm -rf "$root"' EXIT
# mktemp makes the directory 0700: the guest's / must let every user in.
chmod 0755 "$root"

# Programs copied with their libraries. bats is a script: it needs bash.
BINS=(/usr/bin/bash /usr/sbin/bpftool /usr/bin/jq /usr/bin/trace-cmd
	/usr/bin/tmux /usr/bin/script)
TOOLS=(accelstat acceltop accelctl)

die() {
	echo "mkinitramfs: $*" >&2
	exit 1
}

# Copy a program or library and, following ldd, the libraries it needs,
# keeping their paths (cp -L --parents, so links become files).
copy_with_libs() {
	local f=$1 dest=${2:-}

	[ -e "$f" ] || die "$f is missing (run 'make deps')"
	if [ -n "$dest" ]; then
		mkdir -p "$root$(dirname "$dest")"
		cp -L "$f" "$root$dest"
	else
		cp -L --parents "$f" "$root"
	fi
	{ ldd "$f" 2>/dev/null || true; } | awk '/=> \// { print $3 } /^[ \t]*\/lib/ { print $1 }' |
		while read -r lib; do
			[ -e "$root$lib" ] || cp -L --parents "$lib" "$root"
		done
}

mkdir -p "$root"/usr/{bin,sbin,lib,lib64,local/bin} "$root"/{proc,sys,dev,tmp,run,root,etc,accel,out,mnt}
ln -s usr/bin "$root/bin"
ln -s usr/sbin "$root/sbin"
ln -s usr/lib "$root/lib"
ln -s usr/lib64 "$root/lib64"

cp /usr/bin/busybox "$root/usr/bin/busybox"
for applet in $(/usr/bin/busybox --list); do
	case $applet in
	busybox | bash) continue ;;
	esac
	[ -e "$root/usr/bin/$applet" ] || ln -s busybox "$root/usr/bin/$applet"
done

for b in "${BINS[@]}"; do
	copy_with_libs "$b"
done

# bash's loadable sleep builtin (tests/guest/helpers.bash enables it).
copy_with_libs /usr/lib/bash/sleep

# bats-core, bats-support and bats-assert.
cp -L --parents /usr/bin/bats "$root"
# (tar, not cp -a --parents: coreutils 9.1 fails on several of those.)
tar -cf - /usr/lib/bats-core /usr/libexec/bats-core /usr/lib/bats 2>/dev/null |
	tar -C "$root" -xf -

# The C.UTF-8 locale the guest runs in (tmux refuses to start without a
# UTF-8 locale).
tar -cf - /usr/lib/locale/C.utf8 2>/dev/null | tar -C "$root" -xf -

# Terminal descriptions for ncurses programs (acceltop, tmux).
tar -chf - /usr/lib/terminfo /usr/share/terminfo 2>/dev/null | tar -C "$root" -xf -

for t in "${TOOLS[@]}"; do
	[ -x "$top/cli/$t/$t" ] || die "cli/$t/$t is not built (run 'make')"
	copy_with_libs "$top/cli/$t/$t" "/usr/local/bin/$t"
done

# The tests, with the guest programs built under tests/progs.
tar -C "$top" --exclude='*.o' --exclude='*.d' -cf - tests | tar -C "$root/accel" -xf -
if [ -d "$top/tests/progs" ]; then
	find "$top/tests/progs" -maxdepth 1 -type f -perm -u+x | while read -r p; do
		copy_with_libs "$p" "/accel/tests/progs/$(basename "$p")"
	done
fi

cat >"$root/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/bash
user:x:1000:1000:unprivileged test user:/tmp:/bin/bash
nobody:x:65534:65534:nobody:/nonexistent:/bin/sh
EOF
cat >"$root/etc/group" <<'EOF'
root:x:0:
tty:x:5:
accel:x:900:
user:x:1000:
nogroup:x:65534:
EOF
echo "accel-guest" >"$root/etc/hostname"
cp "$top/tests/vm/init" "$root/init"
chmod 755 "$root/init"

(cd "$root" && find . -print0 | cpio --null -o -H newc --quiet) >"$out.tmp"
mv "$out.tmp" "$out"
