#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# Debug-kernel lane only: after the module has been used and unloaded,
# kmemleak finds nothing. Runs on the kernel from scripts/debug-kernel.sh.

load ../guest/helpers

KMEMLEAK=/sys/kernel/debug/kmemleak

setup_file() {
	# Forget what boot itself left behind: only new suspects count.
	echo clear >"$KMEMLEAK"
}

# Read every debugfs file the driver has, as the tools do.
read_all_views() {
	find "$DEBUGFS" -type f -perm -u+r -exec cat {} + >/dev/null 2>&1 || true
}

@test "kmemleak is enabled on the debug kernel" {
	[ -w "$KMEMLEAK" ]
}

@test "module use and unload leaves no kmemleak suspect" {
	module_reload nr_devices=4
	read_all_views
	run rmmod accelsim
	assert_success
	# kmemleak reports objects older than 5 s; scan twice, as its docs say.
	sleep 6
	echo scan >"$KMEMLEAK"
	echo scan >"$KMEMLEAK"
	run cat "$KMEMLEAK"
	assert_success
	assert_output ""
	insmod "$ACCEL_MODULE"
}
