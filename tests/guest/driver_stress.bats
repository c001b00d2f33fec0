#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# accelsim.ko under concurrency: 16 processes attaching, working and
# exiting for 30 s. Runs in the guest (tests/vm/run); the harness fails
# the run on any WARN, BUG, Oops or lockdep report.

load helpers

D=/sys/kernel/debug/accelsim
PATH=$PATH:/accel/tests/progs

@test "16 processes attaching, working and exiting for 30 s leave nothing behind" {
	run asim_stress -p 16 -T 30
	assert_success
	assert_output --regexp "^children=[0-9]+ failed=0$"
	children=$(sed 's/children=\([0-9]*\).*/\1/' <<<"$output")
	[ "$children" -ge 16 ]
	# The asserts below show what is left if this times out.
	wait_empty || :
	run cat $D/afu0/spa
	assert_output "pe pasid pid comm state kernel faults tlbis irqs work bytes"
	run cat $D/pasids
	assert_output "pasid pid refs outstanding state kind"
	run cat $D/afu0/faults
	assert_output "id dev pe pasid address access state age_ns"
	run cat $D/afu0/info
	assert_line -n 1 "afu0 0.1.0 512 20 2048 1024 online 0 0 0 0 0"
	# Every fault acked, every work item finished, every attach detached.
	raised=$(stat_of faults_raised)
	[ "$raised" -gt 0 ]
	assert_equal "$(($(stat_of faults_acked_restart) + $(stat_of faults_acked_address_error)))" "$raised"
	assert_equal "$(($(stat_of work_done) + $(stat_of work_failed)))" "$(stat_of work_submitted)"
	assert_equal "$(stat_of detaches)" "$(stat_of attaches)"
	[ "$(stat_of attaches)" -ge "$children" ]
	rmmod accelsim
	run grep -c '^accelsim ' /proc/modules
	assert_output 0
	insmod "$ACCEL_MODULE"
	[ -c /dev/accelsim/afu0 ]
}
