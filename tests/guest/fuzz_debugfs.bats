#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# Guest fuzzer for the controls (tests/progs/asim_dbgfuzz.c): every control
# of the accelsim bus in sysfs (new_device, del_device, devices/afuN/inject/
# and kctx) and any file with a write bit left under
# /sys/kernel/debug/accelsim (there must be none), found at run time, gets
# garbage and well-formed commands aimed at a live context. Rejected
# writes must fail with a documented errno; accepted ones are undone. The
# harness fails on any splat (exit 124). Afterwards the knobs read their old
# values, the device set is the same, and no context, zombie or PASID is
# left once the workload exits. FUZZ_SEED=S replays a seed.

load helpers

PATH=$PATH:/accel/tests/progs

setup() {
	HOLD=
}

teardown() {
	if [ -n "$HOLD" ]; then
		kill "$HOLD" 2>/dev/null || true
		wait "$HOLD" 2>/dev/null || true
	fi
}

@test "every sysfs control survives garbage writes and the driver stays consistent" {
	module_reload nr_devices=2
	# A workload holding one context with IRQs, as targets for inject/.
	start_hold --irqs 4
	run asim_dbgfuzz ${FUZZ_SEED:+--seed "$FUZZ_SEED"} --rounds 300
	sed "s/^/# /" <<<"$output" >&3
	assert_success
	assert_line --regexp '^targets pasids [1-9][0-9]* pes [1-9][0-9]* hwirqs [1-9]'
	# debugfs has no writable file left: the controls are all in sysfs
	assert_equal "$(find "$DEBUGFS" -type f -perm /222)" ""
	# every control was found and fuzzed, including each inject/ file
	local f n
	while read -r f; do
		n=$(awk -v f="$f" '$1 == "file" && $2 == f { print $4 }' <<<"$output")
		[ "${n:-0}" -ge 250 ] || fail "$f: ${n:-no} writes"
	done < <(cd "$SYSFS" && find -H new_device del_device devices/afu* \
		-name power -prune \
		-o -type f -perm /222 ! -name uevent -print)
	for f in new_device del_device devices/afu0/inject/fault \
		devices/afu0/inject/afu_error devices/afu0/inject/irq \
		devices/afu0/inject/hold_faults devices/afu0/inject/release_faults \
		devices/afu0/inject/fault_delay_ns devices/afu0/inject/tlbi_delay_ns \
		devices/afu0/inject/fail_attach devices/afu0/inject/hang_terminate \
		devices/afu0/kctx devices/afu1/inject/fault devices/afu1/kctx; do
		assert_line --regexp "^file $f writes [0-9]+ ok [0-9]+$"
	done
	# bad input was rejected with EINVAL everywhere, good input accepted
	for f in new_device del_device fault afu_error irq hold_faults \
		release_faults fault_delay_ns tlbi_delay_ns fail_attach hang_terminate; do
		assert_line --regexp "^errno $f EINVAL [1-9][0-9]*$"
	done
	for f in fault afu_error irq hold_faults fault_delay_ns fail_attach hang_terminate; do
		assert_line --regexp "^file devices/afu0/inject/$f writes [0-9]+ ok [1-9][0-9]*$"
	done
	# the knobs read their defaults and the device set is unchanged
	for k in hold_faults fault_delay_ns tlbi_delay_ns hang_terminate; do
		assert_equal "$(cat "$SYSFS/devices/afu0/inject/$k")" 0
	done
	run ls "$DEBUGFS"
	assert_output "$(printf 'afu0\nafu1\npasids')"
	run ls "$SYSFS/devices"
	assert_output "$(printf 'afu0\nafu1')"
	run awk 'NR == 2 { print $7, $12 }' "$DEBUGFS/afu0/info"
	assert_output "online 0"
	# the workload's context is intact; once it exits nothing is left
	[ "$(wc -l <"$DEBUGFS/afu0/spa")" -eq 2 ]
	kill "$HOLD"
	wait "$HOLD" || true
	HOLD=
	run wait_empty
	assert_success
	run cat "$DEBUGFS/afu0/faults"
	assert_equal "${#lines[@]}" 1
	run cat "$DEBUGFS/afu0/irqs"
	assert_equal "${#lines[@]}" 1
	# the device still works and the module unloads
	run accelctl run --size 64K -n 2
	assert_success
	assert_kernel_untainted
	run rmmod accelsim
	assert_success
	run insmod "$ACCEL_MODULE"
	assert_success
}

@test "the control fuzzer rejects bad arguments and an empty tree" {
	run asim_dbgfuzz --rounds 0
	assert_failure 2
	run asim_dbgfuzz --root /nonexistent --debugfs /nonexistent
	assert_failure 2
	assert_output --partial "no writable file"
}
