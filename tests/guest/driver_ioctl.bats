#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# accelsim.ko: malformed and out-of-order ioctls fail with the documented
# errno (-EINVAL for malformed arguments, -ENOTTY for unknown numbers) and
# leave the context usable. The checks are in tests/progs/asim_ioctl.c;
# each prints "ok GROUP: what" or "not ok ...". Runs in the guest.

load helpers

PATH=$PATH:/accel/tests/progs

# Run one group; it must pass and have run at least $2 checks.
group() {
	run asim_ioctl "$1"
	assert_success
	refute_output --partial "not ok"
	[ "$(grep -c "^ok $1: " <<<"$output")" -ge "$2" ]
}

@test "ioctls and read before ATTACH fail with EINVAL; second ATTACH is EBUSY" {
	group order 8
	assert_line "ok order: SUBMIT before ATTACH"
	assert_line "ok order: second ATTACH"
}

@test "ATTACH with an unknown flag bit or reserved fields set fails with EINVAL" {
	group attach 41
	assert_line "ok attach: flag bit 1 set"
	assert_line "ok attach: flag bit 31 set"
	assert_line "ok attach: PRIVATE_PASID with an unknown bit"
	assert_line "ok attach: reserved[3] set"
	assert_line "ok attach: context still usable: data"
}

@test "ATTACH with PRIVATE_PASID gets another PASID, and a usable context" {
	group attach 41
	assert_line "ok attach: ATTACH with PRIVATE_PASID"
	assert_line "ok attach: PRIVATE_PASID gives another PASID"
	assert_line "ok attach private: context still usable: data"
}

@test "SUBMIT with reserved fields, bad ops, lengths, ranges or flags fails with EINVAL" {
	group submit 21
	assert_line "ok submit: len 0"
	assert_line "ok submit: dst range wraps"
	assert_line "ok submit: unknown flag"
	assert_line "ok submit: context still usable: data"
}

@test "TERMINATE with bad arguments fails; after TERMINATE the context is detached" {
	group terminate 12
	assert_line "ok terminate: SUBMIT after TERMINATE"
	assert_line "ok terminate: read after TERMINATE is end of file"
}

@test "unknown ioctl numbers fail with ENOTTY, ocxl's old 0xCA ATTACH too" {
	group unknown 8
	assert_line "ok unknown: unused number"
	assert_line "ok unknown: ATTACH number with another size"
	assert_line "ok unknown: the old 0xCA type"
}

@test "a short read fails with EINVAL and the event stays queued" {
	group read 8
	assert_line "ok read: short buffer"
	assert_line "ok read: event stayed queued"
}

@test "GET_INFO reports the context and the device" {
	group info 6
}

@test "SUBMIT from a forked child on the parent's context fails with EPERM" {
	group fork 4
	assert_line "ok fork: SUBMIT from a forked child"
}

@test "every check leaves no context behind" {
	run asim_ioctl order attach submit terminate unknown read info fork
	assert_success
	# The asserts below show what is left if this times out.
	wait_empty || :
	run cat /sys/kernel/debug/accelsim/afu0/spa
	assert_output "pe pasid pid comm state kernel faults tlbis irqs work bytes"
	run cat /sys/kernel/debug/accelsim/pasids
	assert_output "pasid pid refs outstanding state kind"
}
