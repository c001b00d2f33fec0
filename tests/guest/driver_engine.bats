#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# accelsim.ko: the engine and the fault path under one misbehaving process
# or reader: a slow invalidation of one process does not stall the work of
# another on the same device, nor the device list; a userfaultfd range is
# resolved by its handler; error events stay within the event queue's
# bound; the ATC keeps one entry per page. Runs in the guest (programs in
# tests/progs/asim_engine.c). Injection goes through accelctl inject.

load helpers
bats_require_minimum_version 1.5.0

PATH=$PATH:/accel/tests/progs

teardown() {
	if [ -n "${epid:-}" ]; then
		kill "$epid" 2>/dev/null
		wait "$epid" 2>/dev/null
	fi
	accelctl inject tlbi-delay 0 >/dev/null 2>&1
	accelctl device del 1 >/dev/null 2>&1
	[ -e "$DEBUGFS/afu0" ] || accelctl device add 0 >/dev/null
	return 0
}

# lt A B: the number A is below B (fractions allowed).
lt() {
	awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'
}

@test "a slow invalidation of process A does not stall process B's work on the same device" {
	# A mprotect()s the range its running TOUCH translates, four VMAs;
	# every TLBI takes 1 s, so A's mprotect() takes 4 s, with A's mm
	# being invalidated and its mmap_lock write-held all that time.
	accelctl inject tlbi-delay 1s
	run asim_engine stall
	accelctl inject tlbi-delay 0
	echo "$output"
	assert_success
	refute_output --partial "not ok"
	assert_line --regexp "^b_status=0 b_ms=[0-9.]+$"
	assert_line --regexp "^a_status=0 a_bytes=$((32 << 20))$"
	a=$(sed -n 's/^a_mprotect_ms=//p' <<<"$output")
	b=$(sed -n 's/^b_status=0 b_ms=//p' <<<"$output")
	[ -n "$a" ]
	[ -n "$b" ]
	# The stall was real: A waited for its invalidations.
	run lt "$a" 3900
	assert_failure
	# B, submitted 200 ms into it, did not wait for A: far below the
	# 3.8 s of the stall left (the debug kernel is slower).
	limit=150
	on_debug_kernel && limit=500
	lt "$b" "$limit"
}

# now_us: the time in microseconds (busybox's date has no %N).
now_us() {
	echo "${EPOCHREALTIME/./}"
}

# ms_since T: milliseconds since T (a now_us).
ms_since() {
	echo $((($(now_us) - $1) / 1000))
}

@test "deleting a device while one of its processes is stalled waits for nothing of that process" {
	# A TLBI delay of 1 s stalls A's mprotect() of 12 VMAs for 12 s: a
	# deletion that waited for A would take about 12 s, one that does
	# not 2 to 3 s (the TLBI in progress, then A's detach), which leaves
	# room for a loaded host.
	accelctl inject tlbi-delay 1s
	asim_engine -v 12 stall >"$BATS_TEST_TMPDIR/stall" 2>&1 &
	epid=$!
	wait_until grep -q '^mprotect$' "$BATS_TEST_TMPDIR/stall"
	# A is in its 12 s mprotect(), its work waiting for its mm.
	sleep 0.2
	t0=$(now_us)
	accelctl device del 0
	del_ms=$(ms_since "$t0")
	wait "$epid" || true
	epid=
	cat "$BATS_TEST_TMPDIR/stall"
	# accelctl itself takes 0.2 s to run here, 1 s on the debug kernel;
	# the TLBI in progress ends within 1 s, and A's detach is one TLBI
	# on afu0, 1 s with its injected delay; 11.8 s of A's stall were
	# left.
	echo "del took $del_ms ms"
	limit=6000
	on_debug_kernel && limit=8000
	[ "$del_ms" -lt "$limit" ]
}

@test "a device whose removal waits on a process's fault holds up no other device" {
	# Every fault of afu0's process waits in its userfaultfd range for
	# a handler that never answers: removing afu0 waits for those faults
	# (for the process), but not with the device list locked.
	asim_engine uffd-hang >"$BATS_TEST_TMPDIR/hang" 2>&1 &
	epid=$!
	wait_until grep -q ' resolving ' "$DEBUGFS/afu0/faults"
	accelctl device del 0 &
	dpid=$!
	# The removal began: the device node is gone first.
	wait_until [ ! -e /dev/accelsim/afu0 ]
	t0=$(now_us)
	accelctl device add 1 &
	addpid=$!
	# afu1 is added meanwhile (not after the process is killed below).
	late=0
	WAIT_TRIES=100 wait_until gone "$addpid" || late=1
	add_ms=$(ms_since "$t0")
	# afu0's removal still waits for the fault, for the process.
	run ! gone "$dpid"
	kill "$epid"
	wait "$epid" || true
	epid=
	wait "$dpid"
	wait "$addpid"
	echo "add took $add_ms ms while afu0's removal waited"
	[ "$late" -eq 0 ]
}

@test "a fault on a userfaultfd range is resolved by its handler thread: the work completes OK" {
	run asim_engine uffd
	echo "$output"
	assert_success
	refute_output --partial "not ok"
	assert_line --regexp "^done status=0 uffd_faults=4$"
	refute_output --partial "fault_error"
}

@test "fault-error and AFU-error events stay within the event queue's bound; the drops are counted" {
	asim_engine flood >"$BATS_TEST_TMPDIR/flood" 2>&1 &
	epid=$!
	wait_until grep -q '^ready ' "$BATS_TEST_TMPDIR/flood"
	line=$(grep '^ready ' "$BATS_TEST_TMPDIR/flood")
	pasid=$(field pasid "$line")
	pe=$(field pe "$line")
	assert_equal "$(field submitted "$line")" 4096
	err0=$(stat_of faults_acked_address_error)
	drop0=$(stat_of events_dropped)
	# A full queue of unread completions: each of these has no room.
	for i in 1 2 3; do
		accelctl inject afu-error "$pe" "$i" >/dev/null
		accelctl inject fault "$pasid" 0x1000 >/dev/null
	done
	# Every injected fault was acked all the same.
	wait_until [ "$(stat_of faults_acked_address_error)" -eq $((err0 + 3)) ]
	kill -USR1 "$epid"
	wait "$epid"
	epid=
	run cat "$BATS_TEST_TMPDIR/flood"
	echo "$output"
	line=$(grep '^events ' <<<"$output")
	total=$(field total "$line")
	[ "$total" -le 4096 ]
	assert_equal "$(field work_done "$line")" 4096
	assert_equal "$(field afu_error "$line")" 0
	assert_equal "$(field fault_error "$line")" 0
	assert_equal "$(stat_of events_dropped)" $((drop0 + 6))
}

@test "a page read then written through the ATC has one entry: one invalidation, then a write faults" {
	run asim_engine atc
	echo "$output"
	assert_success
	refute_output --partial "not ok"
	assert_line --partial "ok mprotect of p drops one entry, no duplicate (1)"
	assert_line --partial "ok device write to read-only p faults"
}
