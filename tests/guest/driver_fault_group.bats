#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# accelsim.ko: faults in groups. When the engine misses on a run of pages
# of one descriptor it raises one fault for the run (a page request
# group), which the worker resolves in one pass and one ack restarts; each
# page is still a fault to the counters, the faults view and the trace.
# Runs in the guest.

load helpers
bats_require_minimum_version 1.5.0

D=/sys/kernel/debug/accelsim
TR=/sys/kernel/tracing
PATH=$PATH:/accel/tests/progs
HOLD=$SYSFS/devices/afu0/inject/hold_faults

setup() {
	echo 0 >$TR/events/accelsim/enable
	echo >$TR/trace
	echo 0 >$HOLD
	wait_until only_header $D/pasids
}

teardown() {
	[ -z "${gpid:-}" ] || kill "$gpid" 2>/dev/null || true
	echo 0 >$HOLD
	echo 0 >$TR/events/accelsim/enable
	return 0
}

# held_rows: the rows of the faults view, all held.
held_rows() {
	awk 'NR > 1 && $7 == "held"' $D/afu0/faults | wc -l
}

# group_is FIRST N: the faults view holds N rows, all held, with
# consecutive ids, of pages FIRST to FIRST + N - 1 of $buf, written.
group_is() {
	local id dev rpe rpasid addr access state age i=0 id0=
	wait_until [ "$(held_rows)" -eq "$2" ]
	while read -r id dev rpe rpasid addr access state age; do
		: "${id0:=$id}"
		assert_equal "$id $rpe $rpasid $addr $access $state" \
			"$((id0 + i)) $pe $pasid $(printf '0x%x' $((buf + ($1 + i) * 4096))) write held"
		i=$((i + 1))
	done < <(tail -n +2 $D/afu0/faults)
	assert_equal "$i" "$2"
	run cat $D/afu0/info
	assert_line -n 1 --regexp " online 1 1 $2 0 0\$"
}

# release: let the held faults go once.
release() {
	echo 1 >$SYSFS/devices/afu0/inject/release_faults
}

@test "a run of missed pages is one fault group per run: held together, one release restarts the work" {
	echo 1 >$HOLD
	r0=$(stat_of faults_raised)
	a0=$(stat_of faults_acked_restart)
	asim_engine group >"$BATS_TEST_TMPDIR/g" 2>&1 &
	gpid=$!
	wait_until grep -q '^ready ' "$BATS_TEST_TMPDIR/g"
	l=$(grep '^ready ' "$BATS_TEST_TMPDIR/g")
	pasid=$(field pasid "$l")
	pe=$(field pe "$l")
	buf=$(field buf "$l")
	# Pages 0-4: the CPU wrote page 5, which ends the group. The old
	# driver raised page 0 alone.
	group_is 0 5
	assert_equal $(($(stat_of faults_raised) - r0)) 5
	# The work and the group carry the PASID: two outstanding.
	run awk -v p="$pasid" '$1 == p { print $4 }' $D/afu0/pasids
	assert_output 2
	release
	# One release, one restart: the engine goes past page 5 to the next
	# run, pages 6-20 (page 21 was written too).
	group_is 6 15
	release
	group_is 22 2
	assert_equal $(($(stat_of faults_acked_restart) - a0)) 20
	release
	wait_until grep -q '^done ' "$BATS_TEST_TMPDIR/g"
	run grep '^done ' "$BATS_TEST_TMPDIR/g"
	assert_output "done status=0"
	wait "$gpid"
	gpid=
	assert_equal $(($(stat_of faults_raised) - r0)) 22
	assert_equal $(($(stat_of faults_acked_restart) - a0)) 22
	run only_header $D/afu0/faults
	assert_success
}

@test "each page of a group is a fault and a fault_ack in the trace; stats, spa and the histogram agree" {
	echo 1 >$TR/events/accelsim/fault/enable
	echo 1 >$TR/events/accelsim/fault_ack/enable
	cp $D/afu0/stats "$BATS_TEST_TMPDIR/s0"
	run asim_engine group
	assert_success
	assert_line "done status=0"
	cp $D/afu0/stats "$BATS_TEST_TMPDIR/s1"
	pasid=$(field pasid "$(grep '^ready ' <<<"$output")")
	buf=$(field buf "$(grep '^ready ' <<<"$output")")
	echo 0 >$TR/events/accelsim/enable
	# 22 pages faulted, in three groups: 22 events of each kind, one per
	# page, each page once, with consecutive ids within a group.
	run grep -c " fault: .*pasid=$pasid " $TR/trace
	assert_output 22
	run grep -c " fault_ack: .*pasid=$pasid .*resp=restart " $TR/trace
	assert_output 22
	run sh -c "sed -n 's/.* fault: .*pasid=$pasid addr=\(0x[0-9a-f]*\) .*/\1/p' $TR/trace | sort -u | wc -l"
	assert_output 22
	for p in 5 21; do
		run ! grep -q " fault: .*addr=$(printf '0x%x' $((buf + p * 4096))) " $TR/trace
	done
	# The acks of a group share its latency: three distinct values.
	run sh -c "sed -n 's/.* fault_ack: .*pasid=$pasid .*lat_ns=\([0-9]*\)$/\1/p' $TR/trace | sort -u | wc -l"
	assert_output 3
	d() { echo $(($(awk -v n="$1" '$1 == n && $2 == "-" { print $3 }' "$BATS_TEST_TMPDIR/s1") - $(awk -v n="$1" '$1 == n && $2 == "-" { print $3 }' "$BATS_TEST_TMPDIR/s0"))); }
	assert_equal "$(d faults_raised)" 22
	assert_equal "$(d faults_acked_restart)" 22
	h0=$(awk '$1 == "fault_lat_ns" { n += $3 } END { print n + 0 }' "$BATS_TEST_TMPDIR/s0")
	h1=$(awk '$1 == "fault_lat_ns" { n += $3 } END { print n + 0 }' "$BATS_TEST_TMPDIR/s1")
	assert_equal $((h1 - h0)) 22
}

@test "an unmapped page is a group of its own: one fault, ADDRESS_ERROR, one error event" {
	# asim_copy -u: the source was just unmapped: one fault, one page,
	# ADDRESS_ERROR, one error event.
	r0=$(stat_of faults_raised)
	e0=$(stat_of faults_acked_address_error)
	run asim_copy -u -s 64K
	assert_success
	assert_equal $(($(stat_of faults_raised) - r0)) 1
	assert_equal $(($(stat_of faults_acked_address_error) - e0)) 1
}
