#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# accelsim.ko: process exit. The mm's release stops the PE and wakes
# readers with an error; SIGKILL during faulting work leaves nothing behind.
# Runs in the guest.

load helpers
WAIT_TRIES=400

D=/sys/kernel/debug/accelsim
PATH=$PATH:/accel/tests/progs

# stat_value NAME: a device-wide counter of the stats view. A read loop, not
# awk: the 200-kill loop polls it, and an exec costs 150 ms on the debug
# kernel.
stat_value() {
	local n p v _
	while read -r n p v _; do
		if [ "$n" = "$1" ] && [ "$p" = - ]; then
			echo "$v"
			return
		fi
	done <$D/afu0/stats
}

faults_above() {
	[ "$(stat_value faults_raised)" -gt "$1" ]
}

faults_balanced() {
	[ "$(stat_value faults_raised)" -eq $(($(stat_value faults_acked_restart) + $(stat_value faults_acked_address_error))) ]
}

teardown() {
	echo 0 >$SYSFS/devices/afu0/inject/fault_delay_ns
	echo 0 >/sys/kernel/tracing/events/enable
	echo >/sys/kernel/tracing/trace
}

@test "the bound process exits: a reader sharing the file gets ESRCH and POLLERR, SUBMIT gets ESRCH" {
	run timeout 20 asim_exit 0
	assert_success
	assert_line "read: ESRCH"
	assert_line "poll: POLLERR"
	assert_line "submit: ESRCH"
	wait_until only_header $D/afu0/spa
	wait_until only_header $D/pasids
}

@test "SIGKILL during faulting work, 200 times (50 on the debug kernel): SPA, PASIDs and faults empty, every fault acked" {
	# Each kill costs 2 s of the debug kernel: 200 were 830 s of its lane.
	# There 50 random kill points take the same paths under its checkers.
	local kills=200 i
	on_debug_kernel && kills=50
	raised0=$(stat_value faults_raised)
	for ((i = 1; i <= kills; i++)); do
		r=$(stat_value faults_raised)
		asim_tlbi -n 100000 -p 4 >/dev/null 2>&1 &
		p=$!
		# Killed while it faults, however slow the kernel: once its
		# first fault is raised, then 0 to 90 ms later.
		wait_until faults_above "$r" || { kill -9 "$p"; false; }
		sleep 0.0$((i % 10))
		kill -9 "$p"
		wait "$p" || true
	done
	wait_until only_header $D/afu0/spa
	wait_until only_header $D/afu0/faults
	wait_until only_header $D/pasids
	wait_until faults_balanced
	# The loop did fault.
	[ "$(stat_value faults_raised)" -gt $((raised0 + kills)) ]
	run awk 'NR == 2 { print $8, $10, $11, $12 }' $D/afu0/info
	assert_output "0 0 0 0"
}

@test "exit under a 5 s fault delay: the gone process's faults are acked ADDRESS_ERROR at once" {
	TR=/sys/kernel/tracing
	aerr0=$(stat_value faults_acked_address_error)
	echo 5000000000 >$SYSFS/devices/afu0/inject/fault_delay_ns
	echo 1 >$TR/events/accelsim/fault_ack/enable
	echo 1 >$TR/tracing_on
	# A copy of untouched memory faults; once the fault waits out the
	# delay, the process is killed (its mm goes before its files).
	asim_attach -b 1 -w >/dev/null &
	p=$!
	wait_until grep -q ' resolving ' $D/afu0/faults
	kill -9 "$p"
	wait "$p" || true
	wait_until only_header $D/afu0/spa
	wait_until faults_balanced
	wait_until only_header $D/afu0/faults
	[ "$(stat_value faults_acked_address_error)" -gt "$aerr0" ]
	# Each ack came well before the 5 s delay would have ended.
	run sed -n 's/.* fault_ack: .*resp=address_error lat_ns=\([0-9]*\)$/\1/p' $TR/trace
	[ -n "$output" ]
	for lat in $output; do
		[ "$lat" -lt 2000000000 ]
	done
	# A live process's fault still waits out the delay.
	echo 300000000 >$SYSFS/devices/afu0/inject/fault_delay_ns
	echo >$TR/trace
	run asim_copy -s 4096
	assert_success
	run sed -n 's/.* fault_ack: .*resp=restart lat_ns=\([0-9]*\)$/\1/p' $TR/trace
	[ -n "$output" ]
	for lat in $output; do
		[ "$lat" -ge 300000000 ]
	done
}
