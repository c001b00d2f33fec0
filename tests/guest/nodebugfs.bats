#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# The driver without debugfs: debugfs unmounted here, or, when this guest
# was booted with debugfs=off (tests/host/nodebugfs_guest.bats does that),
# absent from the kernel. The module loads, contexts attach and run work,
# the sysfs controls work, and accelstat says in one line which views are
# missing and why (exit 3, as for a driver that is not loaded).

load helpers
bats_require_minimum_version 1.5.0

PATH=$PATH:/accel/tests/progs

VIEWS="info, spa, pasids, faults, irqs, stats, kctx"

debugfs_off() {
	grep -qw 'debugfs=off' /proc/cmdline
}

setup_file() {
	if ! debugfs_off; then
		umount /sys/kernel/debug
	fi
}

teardown_file() {
	if ! debugfs_off && ! grep -q ' /sys/kernel/debug ' /proc/mounts; then
		mount -t debugfs debugfs /sys/kernel/debug
	fi
}

@test "no debugfs views; the module loads (insmod) all the same" {
	[ ! -e "$DEBUGFS" ]
	if module_loaded; then
		rmmod accelsim
	fi
	run insmod "$ACCEL_MODULE" nr_devices=2
	assert_success
	[ -c /dev/accelsim/afu0 ]
	[ -c /dev/accelsim/afu1 ]
	run ls "$SYSFS/devices"
	assert_output "$(printf 'afu0\nafu1')"
	if debugfs_off; then
		dmesg | grep -q 'accelsim: no debugfs (-EPERM): the views are missing'
	fi
}

@test "contexts attach and run work without debugfs" {
	run asim_attach
	assert_success
	assert_line --regexp '^attach dev=0 tid=[0-9]+ pasid=[0-9]+ pe=[0-9]+$'
	run asim_copy -s 256K
	assert_success
	run accelctl run -d afu1 --size 128K -c 2 -n 2
	assert_success
	assert_line '  integrity ok (0 mismatches)'
}

@test "the sysfs controls work without debugfs" {
	run accelctl device add
	assert_success
	assert_output "afu2 added"
	[ -c /dev/accelsim/afu2 ]
	run accelctl inject -d afu2 fail-attach 1 ENOSPC
	assert_success
	run asim_attach -d 2
	assert_failure
	assert_output --partial "No space left on device"
	run accelctl inject -d afu2 show
	assert_line --regexp '^fail_attach +0 28$'
	echo create >"$SYSFS/devices/afu2/kctx"
	run accelctl device del afu2
	assert_success
	[ ! -e /dev/accelsim/afu2 ]
	assert_kernel_untainted
}

@test "accelstat names the missing views and why, in one line, exit 3" {
	run accelstat
	assert_failure 3
	assert_equal "${#lines[@]}" 1
	if debugfs_off; then
		assert_output "accelstat: $DEBUGFS: No such file or directory (the driver is loaded but its debugfs views ($VIEWS) are missing: no debugfs at /sys/kernel/debug (booted with debugfs=off, or not built))"
	else
		assert_output "accelstat: $DEBUGFS: No such file or directory (the driver is loaded but its debugfs views ($VIEWS) are missing: debugfs not mounted at /sys/kernel/debug? try 'mount -t debugfs none /sys/kernel/debug')"
	fi
	run accelstat --json
	assert_failure 3
}
