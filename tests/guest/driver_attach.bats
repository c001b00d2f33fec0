#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# accelsim.ko: attach, PASIDs and PEs, as seen through the char device,
# debugfs and the tracepoints. Runs in the guest (tests/vm/run).

load helpers

D=/sys/kernel/debug/accelsim
TR=/sys/kernel/tracing
PATH=$PATH:/accel/tests/progs

stop_attach() {
	kill "$apid" && wait "$apid"
}

setup() {
	echo 0 >$TR/events/accelsim/enable
	echo >$TR/trace
	# PASIDs of earlier tests are returned asynchronously.
	wait_until only_header $D/pasids
}

teardown() {
	[ -n "${apid:-}" ] && kill "$apid" 2>/dev/null
	echo 1 >$SYSFS/del_device 2>/dev/null || true
	echo 0 >$TR/events/accelsim/enable
	return 0
}

@test "char device is /dev/accelsim/afu0, mode 0600" {
	[ -c /dev/accelsim/afu0 ]
	run stat -c %a /dev/accelsim/afu0
	assert_output 600
}

@test "info shows the geometry of an idle device" {
	run cat $D/afu0/info
	assert_line -n 0 "dev version max_pe pasid_bits irq_budget atc_entries state contexts pasids pending_faults irqs_used zombies"
	assert_line -n 1 "afu0 0.1.0 512 20 2048 1024 online 0 0 0 0 0"
}

@test "a process attaches and gets a PASID and a PE shown in spa and pasids" {
	start_attach
	line=$(grep '^attach' "$out")
	pasid=$(field pasid "$line")
	pe=$(field pe "$line")
	[ "$pasid" -ge 1 ]
	run cat $D/afu0/spa
	assert_line -n 0 "pe pasid pid comm state kernel faults tlbis irqs work bytes"
	# tlbis counts the process's own invalidations (thread stacks, say).
	assert_line -n 1 --regexp "^$pe $pasid $apid asim_attach active 0 0 [0-9]+ 0 0 0\$"
	run cat $D/afu0/pasids
	assert_line -n 0 "pasid pid refs outstanding state kind"
	assert_line -n 1 "$pasid $apid 1 0 live shared"
	run cat $D/pasids
	assert_line -n 1 "$pasid $apid 1 0 live shared"
	run cat $D/afu0/info
	assert_line -n 1 --regexp "^afu0 0.1.0 512 20 2048 1024 online 1 1 0 0 0$"
	stop_attach
}

@test "two threads of one process share one PASID and get two PEs" {
	start_attach -t 2
	run grep -c '^attach' "$out"
	assert_output 2
	pasids=$(grep '^attach' "$out" | sed 's/.*pasid=\([0-9]*\).*/\1/' | sort -u)
	[ "$(wc -w <<<"$pasids")" -eq 1 ]
	pes=$(grep '^attach' "$out" | sed 's/.*pe=\([0-9]*\).*/\1/' | sort -u)
	[ "$(wc -w <<<"$pes")" -eq 2 ]
	run cat $D/afu0/pasids
	assert_line -n 1 "$pasids $apid 2 0 live shared"
	run grep -c " $pasids $apid asim_attach active" $D/afu0/spa
	assert_output 2
	stop_attach
}

@test "two devices used by one process share one PASID" {
	echo 1 >$SYSFS/new_device
	start_attach -d 0 -d 1
	p0=$(field pasid "$(grep '^attach dev=0' "$out")")
	p1=$(field pasid "$(grep '^attach dev=1' "$out")")
	[ -n "$p0" ]
	assert_equal "$p1" "$p0"
	run cat $D/afu0/pasids
	assert_line -n 1 "$p0 $apid 1 0 live shared"
	run cat $D/afu1/pasids
	assert_line -n 1 "$p0 $apid 1 0 live shared"
	run cat $D/pasids
	assert_line -n 1 "$p0 $apid 2 0 live shared"
	stop_attach
}

@test "two processes get different PASIDs" {
	start_attach
	a=$apid aout=$out
	start_attach
	pa=$(field pasid "$(grep '^attach' "$aout")")
	pb=$(field pasid "$(grep '^attach' "$out")")
	[ "$pa" != "$pb" ]
	run cat $D/pasids
	assert_line "$pa $a 1 0 live shared"
	assert_line "$pb $apid 1 0 live shared"
	stop_attach
	kill "$a" && wait "$a"
}

@test "close clears the PE and frees the PASID, with paired tracepoints" {
	echo 1 >$TR/events/accelsim/enable
	start_attach
	line=$(grep '^attach' "$out")
	pasid=$(field pasid "$line")
	pe=$(field pe "$line")
	stop_attach
	wait_until only_header $D/pasids
	run cat $D/afu0/spa
	assert_output "pe pasid pid comm state kernel faults tlbis irqs work bytes"
	run cat $D/afu0/pasids
	assert_output "pasid pid refs outstanding state kind"
	run cat $TR/trace
	assert_output --partial "context_attach: dev=0 pe=$pe pasid=$pasid pid=$apid kernel=0"
	assert_output --partial "context_detach: dev=0 pe=$pe pasid=$pasid pid=$apid kernel=0"
	assert_output --partial "pasid_alloc: pasid=$pasid pid=$apid"
	assert_output --partial "pasid_free: pasid=$pasid pid=$apid"
	run cat $D/afu0/info
	assert_line -n 1 "afu0 0.1.0 512 20 2048 1024 online 0 0 0 0 0"
}

@test "attach and detach are counted in stats" {
	before=$(awk '$1 == "attaches" { print $3 }' $D/afu0/stats)
	start_attach -t 3
	stop_attach
	run awk '$1 == "attaches" || $1 == "detaches" { print $1, $3 }' $D/afu0/stats
	assert_line "attaches $((before + 3))"
	assert_line "detaches $((before + 3))"
}

@test "inject/fail_attach fails the next ATTACHes with the given errno" {
	echo "1 16" >$SYSFS/devices/afu0/inject/fail_attach
	run cat $SYSFS/devices/afu0/inject/fail_attach
	assert_output "1 16"
	run asim_attach
	assert_failure
	assert_output --partial "Device or resource busy"
	run cat $SYSFS/devices/afu0/inject/fail_attach
	assert_output "0 16"
	run asim_attach
	assert_success
}
