#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# accelsim.ko: the engine, the ATC and translation faults. Runs in the guest
# (tests/vm/run).

load helpers
bats_require_minimum_version 1.5.0

D=/sys/kernel/debug/accelsim
TR=/sys/kernel/tracing
PATH=$PATH:/accel/tests/progs

# No event was lost to a full ring buffer.
no_overrun() {
	! grep -h '^overrun:' $TR/per_cpu/cpu*/stats | grep -vq '^overrun: 0$'
}

setup() {
	echo 0 >$TR/events/accelsim/enable
	echo >$TR/trace
	echo 0 >$SYSFS/devices/afu0/inject/hold_faults
	wait_until only_header $D/pasids
}

teardown() {
	[ -n "${apid:-}" ] && kill "$apid" 2>/dev/null
	echo 0 >$SYSFS/devices/afu0/inject/hold_faults
	echo 0 >$TR/events/accelsim/enable
	return 0
}

@test "64 MiB copy of untouched memory (16 MiB on the debug kernel): right data, every fault acked RESTART" {
	# 32768 faults for 64 MiB; the debug lane's 8192 take the same paths
	# at a quarter of its 275 s there.
	local mib=64
	on_debug_kernel && mib=16
	echo 65536 >$TR/buffer_size_kb
	raised=$(stat_of faults_raised)
	restart=$(stat_of faults_acked_restart)
	echo 1 >$TR/events/accelsim/enable
	run asim_copy -s ${mib}M
	echo 0 >$TR/events/accelsim/enable
	assert_success
	assert_line "data ok"
	assert_line --regexp "^done id=[0-9]+ status=0 bytes=$((mib << 20)) "
	no_overrun
	nf=$(grep -c ' fault: ' $TR/trace)
	na=$(grep -c ' fault_ack: ' $TR/trace)
	[ "$nf" -gt 0 ]
	assert_equal "$na" "$nf"
	run grep ' fault_ack: ' $TR/trace
	refute_output --partial "resp=address_error"
	[ "$(grep -c ' fault_ack: .* resp=restart ' $TR/trace)" -eq "$na" ]
	# The ids pair one to one.
	diff <(sed -n 's/.* fault: id=\([0-9]*\) .*/\1/p' $TR/trace | sort -n) \
		<(sed -n 's/.* fault_ack: id=\([0-9]*\) .*/\1/p' $TR/trace | sort -n)
	# Reads of the source and writes of the destination both faulted.
	grep -q ' fault: .* access=0$' $TR/trace
	grep -q ' fault: .* access=1$' $TR/trace
	assert_equal "$(stat_of faults_raised)" "$((raised + nf))"
	assert_equal "$(stat_of faults_acked_restart)" "$((restart + na))"
	run grep -c " work_done: .* status=0 bytes=$((mib << 20))\$" $TR/trace
	assert_output 1
	echo 1408 >$TR/buffer_size_kb
}

@test "copy from an unmapped address fails with an error event naming it" {
	echo 1 >$TR/events/accelsim/enable
	run asim_copy -u -s 8K
	echo 0 >$TR/events/accelsim/enable
	assert_success
	src=$(field src "${lines[0]}")
	[ -n "$src" ]
	assert_line --regexp "^fault_error addr=$src fault_id=[0-9]+ work_id=[0-9]+ access=0 err=-14$"
	assert_line --regexp "^done id=[0-9]+ status=1 bytes=0 addr=$src "
	run grep ' fault_ack: ' $TR/trace
	assert_output --regexp "addr=$src resp=address_error lat_ns=[0-9]+$"
	run grep ' work_done: ' $TR/trace
	assert_output --regexp "status=1 bytes=0$"
}

@test "a fault on a VM_PFNMAP mapping is acked ADDRESS_ERROR without a remote fault" {
	# [vvar] is VM_IO|VM_PFNMAP: no device can translate it, and its
	# fault handler warns if called for another mm.
	echo 1 >$TR/events/accelsim/enable
	run asim_copy -m -s 4K
	echo 0 >$TR/events/accelsim/enable
	assert_success
	src=$(field src "${lines[0]}")
	assert_line --regexp "^fault_error addr=$src fault_id=[0-9]+ work_id=[0-9]+ access=0 err=-14$"
	assert_line --regexp "^done id=[0-9]+ status=1 bytes=0 addr=$src "
	run grep -c " fault_ack: .*addr=$src resp=address_error " $TR/trace
	assert_output 1
	run grep -c " fault_ack: .*addr=$src resp=restart " $TR/trace
	assert_output 0
}

@test "fill, compare and touch complete on untouched memory" {
	run asim_copy -o fill -s 300K
	assert_success
	assert_line "data ok"
	run asim_copy -o compare -s 200K
	assert_success
	assert_line --regexp "^done id=[0-9]+ status=0 bytes=204800 "
	run asim_copy -o touch -s 64K
	assert_success
	assert_line --regexp "^done id=[0-9]+ status=0 bytes=65536 "
}

@test "a held fault is listed in faults until released, then acked" {
	echo 1 >$SYSFS/devices/afu0/inject/hold_faults
	start_attach -b 1
	pasid=$(field pasid "$(grep '^attach' "$out")")
	pe=$(field pe "$(grep '^attach' "$out")")
	wait_until grep -q ' held ' $D/afu0/faults
	# The copy's first 16 source pages are one fault group: a row each.
	wait_until [ "$(grep -c ' held ' $D/afu0/faults)" -eq 16 ]
	run cat $D/afu0/faults
	assert_line -n 0 "id dev pe pasid address access state age_ns"
	for ((i = 1; i <= 16; i++)); do
		assert_line -n $i --regexp "^[0-9]+ 0 $pe $pasid 0x[0-9a-f]+ read held [0-9]+$"
	done
	[ "${#lines[@]}" -eq 17 ]
	# The work and the fault group both carry the PASID.
	run cat $D/afu0/pasids
	assert_line -n 1 "$pasid $apid 1 2 live shared"
	run cat $D/afu0/info
	assert_line -n 1 --regexp " online 1 1 16 0 0$"
	echo 0 >$SYSFS/devices/afu0/inject/hold_faults
	wait_until only_header $D/afu0/faults
	kill "$apid" && wait "$apid"
	wait_until only_header $D/pasids
}

@test "inject/fault raises a fault that is resolved and acked" {
	echo 1 >$TR/events/accelsim/enable
	start_attach
	pasid=$(field pasid "$(grep '^attach' "$out")")
	# Nothing is mapped at 0x1000: ADDRESS_ERROR.
	echo "$pasid 0x1000 write" >$SYSFS/devices/afu0/inject/fault
	wait_until grep -q ' fault_ack: .*addr=0x1000 resp=address_error' $TR/trace
	run grep ' fault: ' $TR/trace
	assert_output --regexp "pasid=$pasid addr=0x1000 access=1$"
	run ! sh -c "echo '999999 0x1000' >$SYSFS/devices/afu0/inject/fault"
	run ! sh -c "echo '$pasid 0x1000 execute' >$SYSFS/devices/afu0/inject/fault"
	kill "$apid" && wait "$apid"
}

@test "PASID reuse does not happen while a fault with the old PASID is pending" {
	echo 1 >$TR/events/accelsim/enable
	echo 1 >$SYSFS/devices/afu0/inject/hold_faults
	# Attach, submit a copy that faults, and exit once the fault is
	# held (an exit before the engine starts would cancel the work): the
	# PE is gone but its fault is held.
	start_attach -b 1
	old=$(field pasid "$(grep '^attach' "$out")")
	wait_until grep -q " $old 0x[0-9a-f]* read held " $D/afu0/faults
	kill "$apid" && wait "$apid"
	run cat $D/pasids
	assert_line --regexp "^$old [0-9]+ 0 [12] draining shared$"
	run cat $D/afu0/spa
	assert_output "pe pasid pid comm state kernel faults tlbis irqs work bytes"
	# A new process must not get the old PASID.
	start_attach
	new=$(field pasid "$(grep '^attach' "$out")")
	[ -n "$new" ]
	[ "$new" != "$old" ]
	kill "$apid" && wait "$apid"
	# Release: the fault of the gone PE is acked ADDRESS_ERROR, and only
	# then the old PASID is returned.
	echo 0 >$SYSFS/devices/afu0/inject/hold_faults
	wait_until only_header $D/pasids
	run grep ' fault_ack: ' $TR/trace
	assert_output --regexp "pasid=$old addr=0x[0-9a-f]+ resp=address_error"
	run grep -n "pasid_free: pasid=$old \| fault_ack: .*pasid=$old " $TR/trace
	assert_line -n 0 --partial "fault_ack:"
	run asim_attach
	assert_output --partial "pasid=$old "
}

@test "with a one-PASID space, a pending fault blocks attach until acked" {
	rmmod accelsim
	insmod "$ACCEL_MODULE" pasid_bits=1
	echo 1 >$SYSFS/devices/afu0/inject/hold_faults
	# The process exits once its work's fault is held (exiting at once
	# raced with the engine: the close could abort the work first).
	asim_attach -b 1 -w >"$BATS_TEST_TMPDIR/a1" &
	p=$!
	wait_until grep -q ' held ' $D/afu0/faults
	kill "$p"
	wait "$p" || true
	run cat "$BATS_TEST_TMPDIR/a1"
	assert_output --partial "pasid=1 "
	run asim_attach
	assert_failure
	assert_output --partial "No space left on device"
	echo 0 >$SYSFS/devices/afu0/inject/hold_faults
	wait_until only_header $D/pasids
	run asim_attach
	assert_success
	assert_output --partial "pasid=1 "
	rmmod accelsim
	insmod "$ACCEL_MODULE"
}

@test "fault counters balance and the latency histogram is filled" {
	run asim_copy -s 1M
	assert_success
	raised=$(stat_of faults_raised)
	acked=$(($(stat_of faults_acked_restart) + $(stat_of faults_acked_address_error)))
	assert_equal "$acked" "$raised"
	hist=$(awk '$1 == "fault_lat_ns" { n += $3 } END { print n + 0 }' $D/afu0/stats)
	assert_equal "$hist" "$acked"
	[ "$(stat_of atc_misses)" -gt 0 ]
	[ "$(stat_of bytes)" -ge 1048576 ]
}
