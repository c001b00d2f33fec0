#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# accelsim.ko: the per-mm binding (one mmu_notifier per mm, from
# mmu_notifier_get) and where its invalidations go. A process whose ATTACH
# waits for its own mmap_lock holds up no other process; the last detach
# of a binding sends no address-space-teardown TLBI; TLBIs go only to the
# devices the PASID has a context on; a context's detach flush is a TLBI,
# traced and counted. Two devices. Runs in the guest.

load helpers

TR=$TRACEFS
PATH=$PATH:/accel/tests/progs

setup_file() {
	module_reload nr_devices=2
}

setup() {
	echo 0 >$TR/events/enable
	echo >$TR/trace
	echo 1 >$TR/tracing_on
}

teardown() {
	echo 0 >$TR/events/enable
	echo >$TR/trace
	accelctl inject -d afu0 tlbi-delay 0
	accelctl inject -d afu1 tlbi-delay 0
	if [ -n "${SUBMITTER:-}" ]; then
		kill "$SUBMITTER" 2>/dev/null || true
	fi
}

# value NAME FILE: the value of a "NAME value" line of asim_bind's output.
value() {
	awk -v n="$1" '$1 == n { print $2 }' "$2"
}

# tlbi_hist DEV: the TLBI latency histogram rows of afuDEV's stats.
tlbi_hist() {
	awk '$1 == "tlbi_lat_ns"' "$DEBUGFS/afu$1/stats"
}

@test "an ATTACH waiting for its own mmap_lock holds up no other process's SUBMIT, fault or completion" {
	local b=$BATS_TEST_TMPDIR/submit a=$BATS_TEST_TMPDIR/attach mb=256
	# The debug kernel populates about four times slower.
	on_debug_kernel && mb=96
	asim_bind submit -t 120 >"$b" 2>&1 &
	SUBMITTER=$!
	wait_until grep -q '^ready$' "$b"
	# The first ATTACH of this process registers its notifier, which
	# needs its mmap_lock for writing, held meanwhile by a long populate.
	run asim_bind attach -m "$mb"
	assert_success
	echo "$output" >"$a"
	kill -USR1 "$SUBMITTER"
	finishes "$SUBMITTER" 30
	wait "$SUBMITTER"
	SUBMITTER=
	grep -v '^done_at ' "$b"
	cat "$a"
	attach=$(value attach_us "$a")
	t0=$(value attach_start "$a")
	t1=$(value attach_end "$a")
	# Round trips of the other process that completed while the ATTACH
	# waited (CLOCK_MONOTONIC is system-wide).
	during=$(awk -v a="$t0" -v b="$t1" '$1 == "done_at" && $2 > a && $2 < b { n++ }
		END { print n + 0 }' "$b")
	echo "round trips completed during the ATTACH: $during"
	# The ATTACH did wait for the populate: at least half a second.
	[ "$attach" -ge 500000 ]
	# The other process's SUBMITs, faults and completions went on
	# meanwhile (a few, before the ATTACH got to it, when a global lock
	# was held across the wait).
	[ "$during" -ge 50 ]
	wait_empty
}

@test "the last detach of a binding sends no address-space-teardown TLBI" {
	echo 1 >$TR/events/accelsim/enable
	run accelctl run --fresh --contexts 2 --churn -n 3
	assert_success
	wait_empty
	echo 0 >$TR/events/enable
	# The run did invalidate, detach both contexts and free its PASID.
	[ "$(grep -c ' tlbi_start: ' $TR/trace)" -ge 6 ]
	[ "$(grep -c ' context_detach: ' $TR/trace)" -eq 2 ]
	[ "$(grep -c ' pasid_free: ' $TR/trace)" -eq 1 ]
	# The mm lived on, so no TLBI covered 0..0xffffffffffffffff, and
	# none came from a worker after the last detach.
	run grep ' tlbi_start: .* end=0xffffffffffffffff$' $TR/trace
	assert_output ''
	run grep -E '^ *kworker.* tlbi_(start|done): ' $TR/trace
	assert_output ''
}

@test "TLBIs reach only the devices the PASID has a context on: a slow afu1 does not slow a process on afu0" {
	run asim_bind -d 0 munmap -n 20
	assert_success
	t0=$(value munmap_us_total <(echo "$output"))
	tlbis1=$(stat_of tlbis 1)
	hist1=$(tlbi_hist 1)
	tlbis0=$(stat_of tlbis 0)
	accelctl inject -d afu1 tlbi-delay 100ms
	run asim_bind -d 0 munmap -n 20
	assert_success
	t1=$(value munmap_us_total <(echo "$output"))
	echo "munmap loop: ${t0} us, with tlbi-delay 100ms on afu1: ${t1} us"
	# 20 delayed TLBIs would add 2 s; allow for noise (the debug
	# kernel's loop alone takes over 100 ms), not for 5 of them.
	[ "$t1" -lt $((t0 + 500000)) ]
	# afu1 saw none of them: no count, no latency.
	[ "$(stat_of tlbis 1)" -eq "$tlbis1" ]
	assert_equal "$(tlbi_hist 1)" "$hist1"
	# afu0 did: 20 munmaps and a detach.
	[ "$(stat_of tlbis 0)" -ge $((tlbis0 + 21)) ]
}

@test "a PASID with contexts on both devices gets its TLBIs on both, the delay included" {
	tlbis1=$(stat_of tlbis 1)
	accelctl inject -d afu1 tlbi-delay 100ms
	run asim_bind -d 0 munmap -x 1 -n 5
	assert_success
	t=$(value munmap_us_total <(echo "$output"))
	[ "$t" -ge 500000 ]
	# 5 munmaps and the detach of the context on afu1.
	[ "$(stat_of tlbis 1)" -eq $((tlbis1 + 6)) ]
}

@test "a context's detach is a TLBI: traced as a start/done pair and counted" {
	tlbis=$(stat_of tlbis 0)
	echo 1 >$TR/events/accelsim/enable
	# Attach, no munmap, close: the detach is the only invalidation.
	run asim_bind -d 0 munmap -n 0
	assert_success
	wait_empty
	echo 0 >$TR/events/enable
	[ "$(stat_of tlbis 0)" -eq $((tlbis + 1)) ]
	run grep ' tlbi_start: ' $TR/trace
	[ "${#lines[@]}" -eq 1 ]
	start=${lines[0]}
	pasid=$(field pasid "$start")
	id=$(field id "$start")
	[ "$(field dev "$start")" -eq 0 ]
	[ "$(field start "$start")" = 0x0 ]
	# The whole user address space, not the teardown's 0..2^64-1.
	[ "$(field end "$start")" != 0xffffffffffffffff ]
	run grep " tlbi_done: id=$id dev=0 pasid=$pasid " $TR/trace
	[ "${#lines[@]}" -eq 1 ]
	# Before the context_detach event of the same PASID.
	run grep -E " (tlbi_start|context_detach): " $TR/trace
	[ "${#lines[@]}" -eq 2 ]
	assert_line --index 0 --partial " tlbi_start: id=$id "
	assert_line --index 1 --partial " context_detach: dev=0 pe=0 pasid=$pasid "
}
