#!/bin/sh
# SPDX-License-Identifier: MIT
# kver.sh [SERIES]: print a kernel release to build the module for. The
# host's own uname -r is never the target.
#   kver.sh       the release of the installed linux-image-amd64 package
#                 (for example 6.1.0-57-amd64), the default target
#   kver.sh 6.12  the newest installed release of that series (for example
#                 6.12.117+deb12-amd64): a /usr/src/linux-headers-6.12.*-amd64
#                 tree with its /boot/vmlinuz-* beside it
set -e
series=${1:-}
if [ -n "$series" ]; then
	v=
	for d in /usr/src/linux-headers-"$series".*-amd64; do
		r=${d#/usr/src/linux-headers-}
		[ -f "/boot/vmlinuz-$r" ] && v="$v$r
"
	done
	v=$(printf '%s' "$v" | sort -V | tail -n 1)
	if [ -z "$v" ]; then
		echo "kver.sh: no $series kernel with headers installed (run 'make deps')" >&2
		exit 1
	fi
	echo "$v"
	exit 0
fi
v=$(dpkg-query -W -f='${Depends}' linux-image-amd64 2>/dev/null |
	sed -n 's/^linux-image-\([^ ,]*\).*/\1/p')
if [ -z "$v" ]; then
	# No package metadata: take the newest 6.1 headers tree.
	v=$(find /usr/src -maxdepth 1 -name 'linux-headers-6.1.*-amd64' 2>/dev/null |
		sort -V | tail -n 1 | sed 's|/usr/src/linux-headers-||')
fi
if [ -z "$v" ]; then
	echo "kver.sh: linux-image-amd64 is not installed (run 'make deps')" >&2
	exit 1
fi
echo "$v"
