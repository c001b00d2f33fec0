#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# Isolation between processes (tests/progs/asim_isolation.c): work that
# process A submits with an address that is valid only in process B faults
# (acked ADDRESS_ERROR, err -EFAULT, status FAULT) and neither reads nor
# writes B's memory, even with B's translations in the device's ATC; with
# A's own mapping at the same address the engine uses A's pages.

load helpers

PATH=$PATH:/accel/tests/progs

@test "A's work on an address mapped only in B faults and leaves B's memory alone" {
	local ae
	ae=$(stat_of faults_acked_address_error)
	run asim_isolation unmapped
	sed "s/^/# /" <<<"$output" >&3
	assert_success
	refute_output --partial "not ok"
	assert_line "ok unmapped: B's address is not mapped in A"
	for w in "COPY from B's address" "COPY to B's address" "FILL of B's address" \
		"COMPARE from B's address" "COMPARE against B's address" \
		"TOUCH read of B's address" "TOUCH write of B's address"; do
		assert_line "ok unmapped: $w: status FAULT"
		assert_line "ok unmapped: $w: FAULT_ERROR err -EFAULT"
		assert_line "ok unmapped: $w: fault at B's address"
	done
	assert_line "ok unmapped: COPY from B's address: A got none of B's bytes"
	[ "$(grep -c "^ok unmapped: B's buffer unchanged (CPU)" <<<"$output")" -eq 3 ]
	[ "$(grep -c "^ok unmapped: B's device still reads B's bytes" <<<"$output")" -eq 3 ]
	# the seven faults were acked ADDRESS_ERROR
	[ "$(stat_of faults_acked_address_error)" -ge "$((ae + 7))" ]
	run wait_empty
	assert_success
}

@test "A's own mapping at B's address: the engine uses A's pages, not B's" {
	run asim_isolation same
	sed "s/^/# /" <<<"$output" >&3
	assert_success
	refute_output --partial "not ok"
	assert_line "ok same: A maps its own buffer at B's address"
	assert_line "ok same: COPY read A's bytes"
	assert_line "ok same: COPY read none of B's bytes"
	assert_line "ok same: FILL changed A's page"
	[ "$(grep -c "^ok same: B's buffer unchanged (CPU)" <<<"$output")" -eq 2 ]
	[ "$(grep -c "^ok same: B's device still reads B's bytes" <<<"$output")" -eq 2 ]
	run wait_empty
	assert_success
}

@test "A and B have distinct PASIDs while both are attached" {
	asim_attach -w >"$BATS_TEST_TMPDIR/a" &
	local a=$!
	asim_attach -w >"$BATS_TEST_TMPDIR/b" &
	local b=$!
	for _ in $(seq 100); do
		[ "$(wc -l <"$DEBUGFS/afu0/spa")" -ge 3 ] && break
		sleep 0.05
	done
	run awk 'NR > 1 { print $2 }' "$DEBUGFS/afu0/spa"
	kill "$a" "$b"
	wait "$a" "$b" || true
	assert_equal "${#lines[@]}" 2
	[ "${lines[0]}" != "${lines[1]}" ]
	run wait_empty
	assert_success
}

@test "the isolation program rejects bad arguments" {
	run asim_isolation
	assert_failure 2
	run asim_isolation sideways
	assert_failure 2
}
