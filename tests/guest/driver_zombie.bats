#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# accelsim.ko: inject/hang_terminate. A terminate the device does not
# confirm leaves a zombie PE (context, PASID and IRQs kept) visible in spa
# and info; clearing the knob frees it. Runs in the guest.

load helpers

D=/sys/kernel/debug/accelsim
PATH=$PATH:/accel/tests/progs

teardown() {
	echo 0 >$SYSFS/devices/afu0/inject/hang_terminate
	echo 6 >$SYSFS/del_device 2>/dev/null || true
}

info_col() {
	awk -v c="$1" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) n = i }
		NR == 2 { print $n }' "$2"
}

@test "hang_terminate is a 0600 knob reading back 0/1; other values are EINVAL" {
	run stat -c %a $SYSFS/devices/afu0/inject/hang_terminate
	assert_output 600
	run cat $SYSFS/devices/afu0/inject/hang_terminate
	assert_output 0
	echo 1 >$SYSFS/devices/afu0/inject/hang_terminate
	run cat $SYSFS/devices/afu0/inject/hang_terminate
	assert_output 1
	run sh -c "echo 2 >$SYSFS/devices/afu0/inject/hang_terminate"
	assert_failure
}

@test "closed while hung: zombie PE in spa (PASID and IRQs kept), freed when the knob clears" {
	echo 1 >$SYSFS/devices/afu0/inject/hang_terminate
	run asim_zombie close 0
	assert_success
	assert_line "terminate: EBUSY"
	read -r _ _ pe _ pasid _ hwirq < <(grep '^zombie ' <<<"$output")
	run awk 'NR > 1 { print $1, $2, $5 }' $D/afu0/spa
	assert_output "$pe $pasid zombie"
	[ "$(info_col zombies $D/afu0/info)" -eq 1 ]
	[ "$(info_col contexts $D/afu0/info)" -eq 1 ]
	[ "$(info_col irqs_used $D/afu0/info)" -eq 4 ]
	run awk 'NR > 1 { print $1, $2, $3, $4 }' $D/afu0/irqs
	assert_output "$pe $pasid $hwirq 4"
	run awk 'NR > 1 { print $1, $5 }' $D/afu0/pasids
	assert_output "$pasid live"

	echo 0 >$SYSFS/devices/afu0/inject/hang_terminate
	only_header $D/afu0/spa
	only_header $D/afu0/irqs
	[ "$(info_col zombies $D/afu0/info)" -eq 0 ]
	[ "$(info_col irqs_used $D/afu0/info)" -eq 0 ]
	wait_until only_header $D/pasids
}

@test "TERMINATE is EBUSY while hung and succeeds once the knob clears" {
	out=$BATS_TEST_TMPDIR/z
	echo 1 >$SYSFS/devices/afu0/inject/hang_terminate
	asim_zombie retry 0 >"$out" 2>&1 &
	p=$!
	wait_until grep -q '^zombie ' "$out"
	sleep 0.3
	run awk 'NR > 1 { print $5 }' $D/afu0/spa
	assert_output zombie
	[ "$(info_col zombies $D/afu0/info)" -eq 1 ]
	echo 0 >$SYSFS/devices/afu0/inject/hang_terminate
	wait "$p"
	run cat "$out"
	assert_line "terminate: EBUSY"
	assert_line terminated
	only_header $D/afu0/spa
	[ "$(info_col zombies $D/afu0/info)" -eq 0 ]
	wait_until only_header $D/pasids
}

@test "removing a device frees its zombies" {
	echo 6 >$SYSFS/new_device
	echo 1 >$SYSFS/devices/afu6/inject/hang_terminate
	run asim_zombie close 6
	assert_success
	assert_line "terminate: EBUSY"
	[ "$(info_col zombies $D/afu6/info)" -eq 1 ]
	echo 6 >$SYSFS/del_device
	[ ! -e $D/afu6 ]
	wait_until only_header $D/pasids
}

@test "IRQ_FREE on a zombie is EBUSY: its hwirqs stay allocated, also after close, until the zombie goes" {
	echo "6 16 4" >$SYSFS/new_device
	echo 1 >$SYSFS/devices/afu6/inject/hang_terminate
	run asim_zombie irqfree 6
	assert_success
	assert_line "terminate: EBUSY"
	assert_line "irq_free: EBUSY"
	read -r _ _ pe _ pasid _ hwirq < <(grep '^zombie ' <<<"$output")
	[ "$(info_col zombies $D/afu6/info)" -eq 1 ]
	[ "$(info_col irqs_used $D/afu6/info)" -eq 4 ]
	run awk 'NR > 1 { print $1, $2, $3, $4 }' $D/afu6/irqs
	assert_output "$pe $pasid $hwirq 4"
	# The whole budget is the zombie's: no other context gets any of it.
	run asim_zombie alloc 6 1
	assert_success
	assert_output "alloc: ENOSPC"
	[ "$(info_col irqs_used $D/afu6/info)" -eq 4 ]

	echo 0 >$SYSFS/devices/afu6/inject/hang_terminate
	[ "$(info_col zombies $D/afu6/info)" -eq 0 ]
	[ "$(info_col irqs_used $D/afu6/info)" -eq 0 ]
	only_header $D/afu6/irqs
	run asim_zombie alloc 6 4
	assert_success
	assert_output "alloc: 0 hwirq $hwirq"
}
