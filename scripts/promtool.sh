#!/bin/sh
# SPDX-License-Identifier: MIT
# promtool.sh [--check-only]: print the path of Prometheus' promtool (the
# metrics linter the tests hold accelstat --prometheus to). An installed
# promtool is used as is; else the one from Debian's prometheus package,
# extracted once into $ACCEL_CACHE (/var/cache/accel) without installing
# the package, which would enable and start a Prometheus server.
# --check-only: exit 1, printing nothing, when it is not there yet.
set -eu
cache=${ACCEL_CACHE:-/var/cache/accel}/promtool
if command -v promtool >/dev/null 2>&1; then
	command -v promtool
	exit 0
fi
if [ -x "$cache/usr/bin/promtool" ]; then
	echo "$cache/usr/bin/promtool"
	exit 0
fi
[ "${1:-}" != --check-only ] || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if ! (cd "$tmp" && apt-get download -qq prometheus >/dev/null 2>&1); then
	apt-get update -qq >/dev/null
	(cd "$tmp" && apt-get download -qq prometheus >/dev/null)
fi
mkdir -p "$tmp/x"
dpkg-deb -x "$tmp"/prometheus_*.deb "$tmp/x"
mkdir -p "$cache/usr/bin"
cp "$tmp/x/usr/bin/promtool" "$cache/usr/bin/promtool.new"
mv "$cache/usr/bin/promtool.new" "$cache/usr/bin/promtool"
echo "$cache/usr/bin/promtool"
