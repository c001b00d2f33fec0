#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# accelsim.ko: process exit. The mm's release stops the PE and wakes
# readers with an error; SIGKILL during faulting work leaves nothing behind.
# Runs in the guest.

load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load

D=/sys/kernel/debug/accelsim
PATH=$PATH:/accel/tests/progs

stat_value() {
	awk -v n="$1" '$1 == n && $2 == "-" { print $3 }' $D/afu0/stats
}

wait_until() {
	for _ in $(seq 1 400); do
		"$@" && return 0
		sleep 0.05
	done
	"$@"
}

only_header() {
	[ "$(wc -l <"$1")" -eq 1 ]
}

faults_balanced() {
	[ "$(stat_value faults_raised)" -eq $(($(stat_value faults_acked_restart) + $(stat_value faults_acked_address_error))) ]
}

@test "the bound process exits: a reader sharing the file gets ESRCH and POLLERR" {
	run timeout 20 asim_exit 0
	assert_success
	assert_line "read: ESRCH"
	assert_line "poll: POLLERR"
	wait_until only_header $D/afu0/spa
	wait_until only_header $D/pasids
}

@test "SIGKILL during faulting work, 200 times: SPA, PASIDs and faults empty, every fault acked" {
	raised0=$(stat_value faults_raised)
	for i in $(seq 1 200); do
		asim_tlbi -n 100000 -p 4 >/dev/null 2>&1 &
		p=$!
		sleep 0.0$((i % 10))
		kill -9 "$p"
		wait "$p" || true
	done
	wait_until only_header $D/afu0/spa
	wait_until only_header $D/afu0/faults
	wait_until only_header $D/pasids
	wait_until faults_balanced
	# The loop did fault.
	[ "$(stat_value faults_raised)" -gt $((raised0 + 200)) ]
	run awk 'NR == 2 { print $8, $10, $11, $12 }' $D/afu0/info
	assert_output "0 0 0 0"
}
