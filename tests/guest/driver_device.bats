#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# accelsim.ko: devices created and deleted at run time and by module
# parameters, including deletion under live contexts. Runs in the guest.

load helpers
bats_require_minimum_version 1.5.0

D=/sys/kernel/debug/accelsim
PATH=$PATH:/accel/tests/progs

# Every fault raised on afuN was acked, and every work item finished.
balanced() {
	local raised acked sub fin
	raised=$(stat_of faults_raised "$1")
	acked=$(($(stat_of faults_acked_restart "$1") + $(stat_of faults_acked_address_error "$1")))
	sub=$(stat_of work_submitted "$1")
	fin=$(($(stat_of work_done "$1") + $(stat_of work_failed "$1")))
	[ "$raised" -eq "$acked" ] && [ "$sub" -eq "$fin" ]
}

teardown() {
	[ -n "${apid:-}" ] && kill "$apid" 2>/dev/null
	for i in 1 2 3; do
		echo $i >$SYSFS/del_device 2>/dev/null
	done
	return 0
}

@test "new_device and del_device create and remove afuN" {
	echo "3 16" >$SYSFS/new_device
	[ -c /dev/accelsim/afu3 ]
	run cat $D/afu3/info
	assert_line -n 1 "afu3 0.1.0 16 20 2048 1024 online 0 0 0 0 0"
	run ! sh -c "echo 3 >$SYSFS/new_device"
	assert_output --partial "File exists"
	echo 3 >$SYSFS/del_device
	[ ! -e /dev/accelsim/afu3 ]
	[ ! -e $D/afu3 ]
	run ! sh -c "echo 3 >$SYSFS/del_device"
	assert_output --partial "No such file"
}

@test "new_device rejects bad input" {
	run ! sh -c "echo '2 0' >$SYSFS/new_device"
	run ! sh -c "echo '2 32769' >$SYSFS/new_device"
	run ! sh -c "echo '2 8 0' >$SYSFS/new_device"
	run ! sh -c "echo '2 8 65537' >$SYSFS/new_device"
	run ! sh -c "echo 'two' >$SYSFS/new_device"
	run ! sh -c "echo '2 8 8 8' >$SYSFS/new_device"
	run ! sh -c "echo 256 >$SYSFS/new_device"
	# a number that overflows u32 is refused, not wrapped to 2
	run ! sh -c "echo 4294967298 >$SYSFS/new_device"
	run ! sh -c "echo '2 4294967304' >$SYSFS/new_device"
	run ! sh -c "echo -- -2 >$SYSFS/new_device"
	[ ! -e $D/afu2 ]
	echo "2 32768 65536" >$SYSFS/new_device
	run cat $D/afu2/info
	assert_line -n 1 "afu2 0.1.0 32768 20 65536 1024 online 0 0 0 0 0"
}

@test "del_device refuses numbers that overflow instead of wrapping to afu0" {
	# 2^64 and 2^32 both wrapped to 0 with a plain %u parse
	for v in 18446744073709551616 4294967296 -4294967296 "0 0" 0x0 "+0 x"; do
		run ! sh -c "echo '$v' >$SYSFS/del_device"
		[ -e $D/afu0 ] || fail "del_device '$v' removed afu0"
	done
	run ! sh -c "echo 4294967296 >$SYSFS/devices/afu0/inject/irq"
	run ! sh -c "echo '4294967297 1000' >$SYSFS/devices/afu0/inject/fault"
	run ! sh -c "echo '0 18446744073709551616' >$SYSFS/devices/afu0/inject/afu_error"
	run ! sh -c "echo '4294967297 5' >$SYSFS/devices/afu0/inject/fail_attach"
	assert_equal "$(cat $SYSFS/devices/afu0/inject/fail_attach)" "0 0"
	# what the knob reads back when clear clears it
	echo "2 12" >$SYSFS/devices/afu0/inject/fail_attach
	assert_equal "$(cat $SYSFS/devices/afu0/inject/fail_attach)" "2 12"
	echo "0 0" >$SYSFS/devices/afu0/inject/fail_attach
	assert_equal "$(cat $SYSFS/devices/afu0/inject/fail_attach)" "0 0"
	run ! sh -c "echo '1 0' >$SYSFS/devices/afu0/inject/fail_attach"
	# a well-formed id still works, with the '+' kstrtou32 takes
	echo 3 >$SYSFS/new_device
	echo "+3" >$SYSFS/del_device
	[ ! -e $D/afu3 ]
	[ -e $D/afu0 ]
}

@test "the SPA of a device is full at max_pe" {
	echo "2 2" >$SYSFS/new_device
	start_attach -d 2 -t 2
	run asim_attach -d 2
	assert_failure
	assert_output --partial "Device or resource busy"
	kill "$apid" && wait "$apid"
}

@test "deleting a device terminates its contexts; their fds fail with ENODEV" {
	echo 1 >$SYSFS/new_device
	echo 1 >$SYSFS/devices/afu1/inject/hold_faults
	# One context with a held fault and a work in flight on afu1, one
	# on afu0 that must not be disturbed.
	start_attach -d 0 -d 1 -b 1
	wait_until grep -q ' held ' $D/afu1/faults
	echo 1 >$SYSFS/del_device
	[ ! -e /dev/accelsim/afu1 ]
	kill -USR1 "$apid"
	wait "$apid"
	run grep '^probe' "$out"
	assert_line -n 0 --regexp "^probe fd=[0-9]+ info=0 submit=0 read=0$"
	assert_line -n 1 --regexp "^probe fd=[0-9]+ info=ENODEV submit=ENODEV read=ENODEV$"
	wait_until only_header $D/pasids
	run cat $D/afu0/spa
	assert_output "pe pasid pid comm state kernel faults tlbis irqs work bytes"
	balanced 0
}

@test "deleting a device under load leaves no PE, PASID or fault behind" {
	echo 1 >$SYSFS/new_device
	asim_stress -d 0 -d 1 -p 8 -T 8 -g >$BATS_TEST_TMPDIR/stress 2>&1 &
	spid=$!
	sleep 4
	echo 1 >$SYSFS/del_device
	wait "$spid" || { cat $BATS_TEST_TMPDIR/stress; false; }
	run cat $BATS_TEST_TMPDIR/stress
	assert_output --regexp "^children=[0-9]+ failed=0$"
	wait_until only_header $D/pasids
	run cat $D/afu0/spa
	assert_output "pe pasid pid comm state kernel faults tlbis irqs work bytes"
	run cat $D/afu0/faults
	assert_output "id dev pe pasid address access state age_ns"
	balanced 0
	rmmod accelsim
	insmod "$ACCEL_MODULE"
}

@test "nr_devices and max_pe module parameters" {
	rmmod accelsim
	insmod "$ACCEL_MODULE" nr_devices=3 max_pe=8
	for i in 0 1 2; do
		[ -c /dev/accelsim/afu$i ]
		run cat $D/afu$i/info
		assert_line -n 1 "afu$i 0.1.0 8 20 2048 1024 online 0 0 0 0 0"
	done
	[ ! -e /dev/accelsim/afu3 ]
	rmmod accelsim
	run ! insmod "$ACCEL_MODULE" max_pe=40000
	insmod "$ACCEL_MODULE"
	[ -c /dev/accelsim/afu0 ]
}
