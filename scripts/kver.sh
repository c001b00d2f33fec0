#!/bin/sh
# SPDX-License-Identifier: MIT
# Print the kernel release of the installed linux-image-amd64 package
# (for example 6.1.0-56-amd64). The host's own uname -r is the wrong target.
set -e
v=$(dpkg-query -W -f='${Depends}' linux-image-amd64 2>/dev/null |
	sed -n 's/^linux-image-\([^ ,]*\).*/\1/p')
if [ -z "$v" ]; then
	# No package metadata: take the newest headers tree.
	v=$(find /usr/src -maxdepth 1 -name 'linux-headers-*-amd64' 2>/dev/null |
		sort -V | tail -n 1 | sed 's|/usr/src/linux-headers-||')
fi
if [ -z "$v" ]; then
	echo "kver.sh: linux-image-amd64 is not installed (run 'make deps')" >&2
	exit 1
fi
echo "$v"
