#!/bin/sh
# SPDX-License-Identifier: MIT
# deps.sh [--check-only]: install the Debian packages listed in
# scripts/debian-packages.txt. Idempotent and quiet when nothing is missing.
# Not root: prints the exact apt-get line to run instead. --check-only only
# tells (exit 1 when something is missing).
set -eu
here=$(cd "$(dirname "$0")" && pwd)

missing=
while read -r p; do
	[ -n "$p" ] || continue
	if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
		missing="$missing $p"
	fi
done <<EOF
$(sed 's/#.*//; s/[[:space:]]//g' "$here/debian-packages.txt")
EOF
# promtool, the metrics linter, comes out of Debian's prometheus package
# without installing it (scripts/promtool.sh).
promtool=yes
"$here/promtool.sh" --check-only >/dev/null 2>&1 || promtool=
[ -z "$missing" ] && [ -n "$promtool" ] && exit 0

if [ "${1:-}" = --check-only ]; then
	[ -z "$missing" ] || echo "missing packages:$missing"
	[ -n "$promtool" ] || echo "missing: promtool (scripts/promtool.sh)"
	exit 1
fi

if [ "$(id -u)" != 0 ]; then
	echo "deps: these packages are missing; install them with:" >&2
	[ -z "$missing" ] || echo "sudo apt-get install -y$missing" >&2
	[ -n "$promtool" ] || echo "sudo $here/promtool.sh" >&2
	exit 1
fi

if [ -z "$missing" ]; then
	"$here/promtool.sh" >/dev/null
	exit 0
fi

echo "deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
# A brand-new machine has no package lists yet: update once, then retry.
# shellcheck disable=SC2086 # $missing is a list of package names
if ! apt-get install -y -qq $missing >/dev/null 2>&1; then
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq $missing
fi
[ -n "$promtool" ] || "$here/promtool.sh" >/dev/null
