#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# accelctl inject against the real driver: each control moves the driver's
# state the way the faults, info and stats views and accelstat show it.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	module_loaded || insmod "$ACCEL_MODULE"
	HOLD=
}

teardown() {
	accelctl inject hold-faults off >/dev/null 2>&1 || true
	accelctl inject fault-delay 0 >/dev/null 2>&1 || true
	if [ -n "$HOLD" ]; then
		kill "$HOLD" 2>/dev/null || true
		wait "$HOLD" 2>/dev/null || true
	fi
}

@test "hold-faults + fault: a held fault shows in faults, info and accelstat; release acks it" {
	start_hold
	err0=$(stat_of faults_acked_address_error)
	run accelctl inject hold-faults on
	assert_success
	assert_output "afu0: inject/hold_faults <- 1"
	run accelctl inject fault "$PASID" 0x1000 write
	assert_success
	run cat "$DEBUGFS/afu0/faults"
	assert_line --index 1 --regexp "^[0-9]+ 0 $PE $PASID 0x1000 write held [0-9]+$"
	run awk 'NR > 1 { print $7 }' "$DEBUGFS/afu0/faults"
	assert_output "held"
	run awk 'NR == 2 { print $10 }' "$DEBUGFS/afu0/info"
	assert_output 1
	run accelstat -f
	assert_line --regexp "^afu0 +[0-9]+ +$PE +$PASID 0x1000 +write +held "
	accelstat --json | jq -e '.devices[0].fault_summary | .pending_faults == 1 and .held == 1'
	run accelctl inject release-faults
	assert_success
	for _ in $(seq 50); do [ "$(wc -l <"$DEBUGFS/afu0/faults")" = 1 ] && break; sleep 0.1; done
	assert_equal "$(wc -l <"$DEBUGFS/afu0/faults")" 1
	# 0x1000 is not mapped in the holder: the fault is acked ADDRESS_ERROR
	assert_equal "$(stat_of faults_acked_address_error)" $((err0 + 1))
	accelstat --json | jq -e ".devices[0].counters.faults_acked_address_error == $((err0 + 1))"
	accelstat --json | jq -e '.devices[0].fault_summary.pending_faults == 0'
}

@test "fault on an unknown PASID is refused with the driver's errno" {
	run accelctl inject fault 999999 0x1000
	assert_failure 1
	assert_output "accelctl: inject fault: afu0/inject/fault refused '999999 0x1000 read': No such file or directory"
}

@test "fail-attach makes the next ATTACHes fail with the given errno" {
	run accelctl inject fail-attach 2 ENOSPC
	assert_success
	run accelctl inject show
	assert_line --regexp '^fail_attach +2 28$'
	run accelctl hold
	assert_failure 1
	assert_output "accelctl: attach afu0: No space left on device"
	run accelctl inject show
	assert_line --regexp '^fail_attach +1 28$'
	run accelctl -j run -n 1 --size 64K
	assert_failure 1
	echo "$output" | jq -e '.error | test("ATTACH: No space left on device")'
	run accelctl -j run -n 1 --size 64K
	assert_success
}

@test "afu-error counts an AFU error; an unknown PE is refused" {
	start_hold
	before=$(stat_of afu_errors)
	run accelctl inject afu-error "$PE" 42
	assert_success
	assert_equal "$(stat_of afu_errors)" $((before + 1))
	accelstat --json | jq -e ".devices[0].counters.afu_errors == $((before + 1))"
	run accelctl inject afu-error 4000
	assert_failure 1
	assert_output --partial "No such file or directory"
}

@test "fault-delay is a knob: set, read back, range checked by the driver" {
	run accelctl inject fault-delay 1ms
	assert_success
	run accelctl -j inject show
	echo "$output" | jq -e '.fault_delay_ns == "1000000"'
	run accelctl inject fault-delay 20s
	assert_failure 1
	assert_output --partial "refused '20000000000': Invalid argument"
	# faults are resolved later, and the run still checks out
	run --separate-stderr accelctl -j run --fresh --size 256K
	assert_success
	echo "$output" | jq -e '.integrity == "ok" and .faults >= 64'
}
