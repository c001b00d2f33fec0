#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# The stress run of tests/stress (see its README) for STRESS_DURATION
# seconds (default 60): every kind of operation must have happened, and
# every invariant must hold afterwards; and the run must name an invariant
# that does not hold. Runs in the guest, normal and debug kernels (on the
# debug kernel the run also checks kmemleak).

load helpers

STRESS=/accel/tests/stress/run

# Counter NAME of the line of $output that starts with PREFIX.
count_of() { # PREFIX NAME
	grep "^$1" <<<"$output" | tr ' ' '\n' | sed -n "s/^$2=//p"
}

@test "stress run: concurrent load, then every invariant holds" {
	run "$STRESS" --duration "${STRESS_DURATION:-60}" --progress 30
	# The summary goes in the TAP log, for the record.
	grep -E '^stress (summary|detail)' <<<"$output" | sed 's/^/# /' >&3
	assert_success
	assert_line "stress: PASS"
	# A worker that silently did nothing fails the test.
	for k in attaches submits verified stale_faults faults kills children \
		irq_allocs irq_frees irq_signals mm_ops terminates injections \
		debugfs_reads device_cycles; do
		v=$(count_of "stress summary:" "$k")
		[ "${v:-0}" -gt 0 ] || fail "summary $k=${v:-missing}"
	done
	for k in faults afu_errors irqs holds releases delays fail_attaches hangs; do
		v=$(count_of "stress detail: inject:" "$k")
		[ "${v:-0}" -gt 0 ] || fail "injected $k=${v:-missing}"
	done
	for k in munmaps mprotects madvises attach_injected gone fault_events afu_events; do
		v=$(count_of "stress detail: work:" "$k")
		[ "${v:-0}" -gt 0 ] || fail "work $k=${v:-missing}"
	done
	if [ -w /sys/kernel/debug/kmemleak ]; then
		assert_line --regexp '^stress detail: kmemleak: [0-9]+ suspect\(s\), none naming accelsim$'
	fi
	# The module is back, with its devices.
	module_loaded
	[ -c /dev/accelsim/afu0 ]
	assert_equal "$(tail -n +2 $DEBUGFS/spa 2>/dev/null; tail -n +2 $DEBUGFS/pasids)" ""
}

@test "stress run: a context left open fails the invariants it breaks, by name" {
	out=$BATS_TEST_TMPDIR/attach
	asim_attach -w >"$out" 2>&1 &
	apid=$!
	for _ in $(seq 1 100); do
		grep -q ready "$out" && break
		sleep 0.1
	done
	run "$STRESS" --duration 5 --drain 1
	kill "$apid"
	wait "$apid" || true
	assert_failure 1
	assert_line --regexp '^stress: FAIL: .*empty-spa'
	assert_line --regexp '^stress: FAIL: .*no-live-pasid'
	assert_line --regexp '^stress: FAIL: .*module-unloads'
	refute_line --regexp '^stress: FAIL: .*(worker|faults-acked|irq-budget)'
	assert_line --regexp '^stress summary: .* attaches=[1-9]'
	module_loaded
}

@test "stress run: bad arguments are refused" {
	run "$STRESS" --duration 0
	assert_failure 2
	run "$STRESS" --bogus
	assert_failure 2
	run "$STRESS" --vanishing-dev 0
	assert_failure 2
	assert_output --partial "device 0 exists"
}
