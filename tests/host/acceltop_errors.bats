#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# acceltop's errors: one line on stderr, nothing on stdout, and a distinct
# exit status: 2 usage, 3 driver missing, 6 the source asked for cannot
# run, 1 runtime.

load acceltop_helpers

# err STATUS MESSAGE ARGS...: acceltop ARGS exits STATUS, prints exactly
# MESSAGE on stderr and nothing on stdout.
err() {
	local want=$1 msg=$2
	shift 2
	run --separate-stderr "$ACCELTOP" "$@"
	[ "$status" -eq "$want" ] || fail "status $status, want $want: $stderr"
	assert_output ''
	[ "${#stderr_lines[@]}" -eq 1 ] || fail "stderr has ${#stderr_lines[@]} lines: $stderr"
	[ "$stderr" = "$msg" ] || fail "stderr: '$stderr', want '$msg'"
}

B=(-b -n 1 --source=debugfs)

@test "usage: bad intervals exit 2; --delay is the old name of -i" {
	for d in x 0 0.05 -1 3601 nan inf 1s ''; do
		err 2 "acceltop: invalid interval '$d': 0.1 to 3600 seconds (see acceltop --help)" \
			"${B[@]}" --root "$FIX/busy" -i "$d"
		err 2 "acceltop: invalid interval '$d': 0.1 to 3600 seconds (see acceltop --help)" \
			"${B[@]}" --root "$FIX/busy" --delay="$d"
	done
	run "$ACCELTOP" "${B[@]}" --root "$FIX/busy" -i 0.25
	assert_success
	run "$ACCELTOP" "${B[@]}" --root "$FIX/busy" --interval=2
	assert_success
	run "$ACCELTOP" "${B[@]}" --root "$FIX/busy" --delay=2
	assert_success
}

@test "usage: bad iteration counts exit 2" {
	for n in 0 -3 x 1.5 ''; do
		err 2 "acceltop: invalid iteration count '$n' (see acceltop --help)" \
			-b --root "$FIX/busy" -n "$n"
	done
}

@test "usage: bad source, sort key, unknown option, stray argument" {
	err 2 "acceltop: invalid source 'ebpf': auto, bpf-btf, bpf-tp, tracefs or debugfs (see acceltop --help)" \
		-b --source=ebpf
	err 2 "acceltop: invalid sort key 'speed' (see acceltop --help)" \
		-b --sort=speed
	err 2 "acceltop: invalid group 'thread': context, pasid or process (see acceltop --help)" \
		-b --group=thread
	err 2 "acceltop: unknown option '--bogus' (see acceltop --help)" --bogus
	err 2 "acceltop: unknown option '-x' (see acceltop --help)" -x
	err 2 "acceltop: unexpected argument 'afu0' (see acceltop --help)" -b afu0
	err 2 "acceltop: option '-d' needs an argument (see acceltop --help)" -b -d
	err 2 "acceltop: option '--root' needs an argument (see acceltop --help)" -b --root
	err 2 "acceltop: option '--json' takes no argument (see acceltop --help)" --json=1
}

@test "usage: the screen needs a terminal" {
	err 2 "acceltop: not a terminal; use -b for batch mode (see acceltop --help)" \
		--source=debugfs --root "$FIX/busy" </dev/null
}

@test "driver missing exits 3 with a hint" {
	err 3 "acceltop: /nonexistent-accel-root: No such file or directory (accelsim module not loaded? try 'modprobe accelsim')" \
		-b -n 1
	# --root wins over $ACCEL_DEBUGFS, which wins over the default
	ACCEL_DEBUGFS=$FIX/busy run "$ACCELTOP" -b -n 1 --source=debugfs
	assert_success
	assert_line --index 3 --regexp '^  afu0 +0 +1 +1234 accelctl '
	ACCEL_DEBUGFS=$FIX/busy run "$ACCELTOP" -b -n 1 --source=debugfs --root "$FIX/multi"
	assert_line --regexp '^afu3 removing '
}

@test "a source that cannot run exits 6 and says why" {
	ACCEL_TRACEFS=$BATS_TEST_TMPDIR/notracefs err 6 \
		"acceltop: source tracefs unavailable: cannot use tracefs at $BATS_TEST_TMPDIR/notracefs: No such file or directory" \
		-b -n 1 --root "$FIX/busy" --source=tracefs
	mkdir -p "$BATS_TEST_TMPDIR/tfs/events"
	ACCEL_TRACEFS=$BATS_TEST_TMPDIR/tfs run --separate-stderr "$ACCELTOP" \
		-b -n 1 --root "$FIX/busy" --source=tracefs
	assert_failure 6
	assert_equal "$stderr" "acceltop: source tracefs unavailable: $BATS_TEST_TMPDIR/tfs/events/accelsim: No such file or directory"
	# The host runs another kernel than the guest: no accelsim there.
	err 6 "acceltop: source bpf-btf unavailable: no module BTF (/sys/kernel/btf/accelsim missing)" \
		-b -n 1 --root "$FIX/busy" --source=bpf-btf
}

@test "auto falls back to debugfs and says why on stderr only" {
	ACCEL_TRACEFS=$BATS_TEST_TMPDIR/notracefs run --separate-stderr \
		"$ACCELTOP" -b -n 1 --root "$FIX/busy"
	assert_success
	assert_line --index 0 'acceltop 0.1.0 refresh 1 source debugfs interval 0.00s'
	[ "${#stderr_lines[@]}" -eq 1 ]
	assert_regex "$stderr" '^acceltop: using debugfs: bpf-btf: .*; bpf-tp: .*; tracefs: cannot use tracefs at '
}
