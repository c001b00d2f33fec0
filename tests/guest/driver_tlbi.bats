#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# accelsim.ko: TLB invalidations. munmap, mprotect and madvise(DONTNEED) of
# memory the engine translated give paired tlbi_start/tlbi_done events,
# ATC invalidations and fresh faults; inject/tlbi_delay_ns slows the
# completion and the stats histogram agrees with the trace. Runs in the
# guest.

load helpers

D=/sys/kernel/debug/accelsim
TR=/sys/kernel/tracing
PATH=$PATH:/accel/tests/progs

setup() {
	echo 0 >$TR/events/enable
	echo >$TR/trace
	echo 1 >$TR/tracing_on
}

teardown() {
	echo 0 >$TR/events/enable
	echo >$TR/trace
	echo 0 >$SYSFS/devices/afu0/inject/tlbi_delay_ns
}

stat_value() {
	awk -v n="$1" '$1 == n && $2 == "-" { print $3 }' $D/afu0/stats
}

# "bucket count" lines of histogram $1 in stats.
hist() {
	awk -v n="$1" '$1 == n { print $2, $3 }' $D/afu0/stats
}

# Per-bucket difference of two hist outputs ($1 before, $2 after).
hist_delta() {
	awk 'NR == FNR { b[$1] = $2; next }
		{ d = $2 - b[$1]; if (d) print $1, d }' "$1" "$2" | sort -n
}

# Bucket of each lat_ns of event $1 in the trace, counted: "bucket count".
trace_hist() {
	sed -n "s/.* $1: .* lat_ns=\([0-9]*\).*/\1/p" $TR/trace |
		awk '{ l = $1; b = 0; while (l >= 2) { l = int(l / 2); b++ } h[b]++ }
			END { for (b in h) print b, h[b] }' | sort -n
}

@test "munmap, mprotect and madvise loop: paired TLBIs, ATC invalidations, faults again" {
	echo 1 >$TR/events/accelsim/tlbi_start/enable
	echo 1 >$TR/events/accelsim/tlbi_done/enable
	tlbis0=$(stat_value tlbis)
	inv0=$(stat_value atc_invalidations)
	run asim_tlbi -n 20 -p 4
	echo 0 >$TR/events/enable
	refute_output --partial "not ok"
	assert_success
	[ "$(grep -c '^ok madvise: next access faults again' <<<"$output")" -eq 20 ]
	[ "$(grep -c '^ok munmap: next access faults again' <<<"$output")" -eq 20 ]
	[ "$(grep -c '^ok mprotect: next access faults' <<<"$output")" -eq 20 ]
	assert_line --partial "ok spa: tlbis counts the invalidations of the PE"
	starts=$(grep -c ' tlbi_start: ' $TR/trace)
	dones=$(grep -c ' tlbi_done: ' $TR/trace)
	[ "$starts" -eq "$dones" ]
	# At least one per operation (80: 20 x madvise, 2 mprotect, munmap).
	[ "$starts" -ge 80 ]
	# Every start has its done with the same id, range and PASID.
	s=$(sed -n 's/.* tlbi_start: \(id=[0-9]* dev=[0-9]* pasid=[0-9]* start=[0-9a-fx]* end=[0-9a-fx]*\)$/\1/p' $TR/trace | sort)
	d=$(sed -n 's/.* tlbi_done: \(id=[0-9]* dev=[0-9]* pasid=[0-9]* start=[0-9a-fx]* end=[0-9a-fx]*\) .*/\1/p' $TR/trace | sort)
	assert_equal "$s" "$d"
	[ $(($(stat_value tlbis) - tlbis0)) -eq "$dones" ]
	[ $(($(stat_value atc_invalidations) - inv0)) -ge 240 ]
}

@test "tlbi_delay_ns: knob 0600 reads back; over 1 s is EINVAL" {
	run stat -c %a $SYSFS/devices/afu0/inject/tlbi_delay_ns
	assert_output 600
	echo 12345 >$SYSFS/devices/afu0/inject/tlbi_delay_ns
	run cat $SYSFS/devices/afu0/inject/tlbi_delay_ns
	assert_output 12345
	run sh -c "echo 1000000001 >$SYSFS/devices/afu0/inject/tlbi_delay_ns"
	assert_failure
}

@test "tlbi_delay_ns: every TLBI takes at least the delay; the histogram moves there and agrees with the trace" {
	hist tlbi_lat_ns >"$BATS_TEST_TMPDIR/h0"
	echo 3000000 >$SYSFS/devices/afu0/inject/tlbi_delay_ns
	echo 1 >$TR/events/accelsim/tlbi_done/enable
	run asim_tlbi -n 3 -p 2
	echo 0 >$TR/events/enable
	echo 0 >$SYSFS/devices/afu0/inject/tlbi_delay_ns
	refute_output --partial "not ok"
	assert_success
	hist tlbi_lat_ns >"$BATS_TEST_TMPDIR/h1"
	n=$(grep -c ' tlbi_done: ' $TR/trace)
	[ "$n" -ge 12 ]
	run awk '/ tlbi_done: / { sub(/.*lat_ns=/, ""); if ($1 < 3000000) print "short", $1 }' $TR/trace
	assert_output ""
	# 3 ms is in bucket 21 ([2^21, 2^22) ns); nothing new below it.
	run hist_delta "$BATS_TEST_TMPDIR/h0" "$BATS_TEST_TMPDIR/h1"
	refute_output --regexp '(^|'$'\n'')([0-9]|1[0-9]|20) '
	assert_output --regexp '(^|'$'\n'')21 '
	# The histogram is the trace's lat_ns, bucket by bucket.
	assert_equal "$output" "$(trace_hist tlbi_done)"
}

@test "fault latency: the histogram agrees with the fault_ack events" {
	hist fault_lat_ns >"$BATS_TEST_TMPDIR/h0"
	echo 1 >$TR/events/accelsim/fault_ack/enable
	run asim_tlbi -n 5 -p 4
	echo 0 >$TR/events/enable
	assert_success
	hist fault_lat_ns >"$BATS_TEST_TMPDIR/h1"
	[ "$(grep -c ' fault_ack: ' $TR/trace)" -ge 20 ]
	run hist_delta "$BATS_TEST_TMPDIR/h0" "$BATS_TEST_TMPDIR/h1"
	assert_equal "$output" "$(trace_hist fault_ack)"
}
