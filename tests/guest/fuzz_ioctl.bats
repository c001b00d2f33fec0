#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# Guest fuzzer for the character device (tests/progs/asim_fuzz.c): at least
# 100,000 random ioctl/read/write/poll/mmap calls from several threads while
# the fds are closed, reopened and dup2()ed and the work buffers remapped.
# The harness fails the run on any kernel splat (exit 124). Afterwards no
# context or PASID may be left and the module must unload. FUZZ_SEED=S
# replays a seed; FUZZ_CALLS raises the count.

load helpers

PATH=$PATH:/accel/tests/progs
CALLS=${FUZZ_CALLS:-100000}

# Run the fuzzer and check its summary: exit 0, the calls all made, every
# kind of call issued, the documented errnos seen, a final copy intact.
fuzz() {
	run asim_fuzz ${FUZZ_SEED:+--seed "$FUZZ_SEED"} --calls "$CALLS" "$@"
	sed "s/^/# /" <<<"$output" >&3
	assert_success
	assert_line --regexp '^seed [0-9]+$'
	local n
	n=$(awk '$1 == "calls" { print $2 }' <<<"$output")
	[ "$n" -ge "$CALLS" ]
	[ "$n" -ge 100000 ] || [ -n "${FUZZ_CALLS:-}" ]
	for k in ioctl_random ioctl_real_random ioctl_size ioctl_mutated read write poll mmap chaos; do
		[ "$(awk -v k="$k" '$1 == "kind" && $2 == k { print $3 }' <<<"$output")" -gt 0 ]
	done
	assert_line --regexp '^result ok [1-9][0-9]*$'
	assert_line --regexp '^result ENOTTY [1-9][0-9]*$'
	assert_line --regexp '^result EINVAL [1-9][0-9]*$'
	assert_line --regexp '^result EFAULT [1-9][0-9]*$'
	refute_line --partial unexpected
	assert_line "sanity copy ok"
}

@test "100,000 random calls from 4 threads with concurrent close leave the driver clean" {
	echo 0 >"$SYSFS/devices/afu0/inject/hold_faults"
	fuzz --threads 4
	run wait_empty
	assert_success
	run cat "$DEBUGFS/afu0/spa"
	assert_output "pe pasid pid comm state kernel faults tlbis irqs work bytes"
	run cat "$DEBUGFS/pasids"
	assert_output "pasid pid refs outstanding state kind"
	run cat "$DEBUGFS/afu0/faults"
	assert_equal "${#lines[@]}" 1
	# the work really ran: completions and faults were counted
	run awk '$1 == "work_submitted" { print $3 }' "$DEBUGFS/afu0/stats"
	[ "$output" -gt 0 ]
	run awk '$1 == "faults_acked_address_error" { print $3 }' "$DEBUGFS/afu0/stats"
	[ "$output" -gt 0 ]
	assert_kernel_untainted
	run rmmod accelsim
	assert_success
	run ! module_loaded
	run insmod "$ACCEL_MODULE"
	assert_success
}

@test "a replayed seed with one thread is reproducible in what it issued" {
	run asim_fuzz --seed 12345 --calls 3000 --threads 1
	assert_success
	local a b
	a=$(grep '^kind ' <<<"$output" | grep -v chaos)
	run asim_fuzz --seed 12345 --calls 3000 --threads 1
	assert_success
	b=$(grep '^kind ' <<<"$output" | grep -v chaos)
	assert_equal "$a" "$b"
	assert_line "seed 12345"
	run wait_empty
	assert_success
}

@test "the fuzzer rejects bad arguments" {
	run asim_fuzz --calls 0
	assert_failure 2
	run asim_fuzz --threads 99
	assert_failure 2
	run asim_fuzz --seed x
	assert_failure 2
}
