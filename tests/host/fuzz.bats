#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# The libFuzzer harnesses of the libaccel parsers (tests/fuzz, "make fuzz"):
# every parser has one, built with libFuzzer, ASan and UBSan; each replays
# its seeds and crash reproducers cleanly, then fuzzes for a few seconds
# without a crash, a sanitizer report or a broken contract check.

load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load

TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
FUZZ=$TOP/tests/fuzz
BIN=$TOP/build/fuzz
# Seconds of fuzzing per harness, and the inputs it must at least run in
# that time (the bundle reader inflates and untars: slower).
SECS=${FUZZ_BATS_SECONDS:-5}
MIN_EXECS=2000
MIN_EXECS_BUNDLE=200
# and never more than this many inputs per harness
export FUZZ_RUNS=2000000

setup_file() {
	# the harnesses and a sanitized libaccel, in build/fuzz (incremental)
	make -s -j2 -C "$TOP/tests/fuzz" >"$BATS_FILE_TMPDIR/build.log" 2>&1 || {
		cat "$BATS_FILE_TMPDIR/build.log" >&3
		return 1
	}
}

# replay_and_fuzz TARGET MIN: replay the seeds and reproducers, then fuzz
# for SECS seconds (found inputs go to a temporary directory) and require
# a clean exit and at least MIN executions.
replay_and_fuzz() {
	local t=$1 min=$2 n want
	export FUZZ_WORK=$BATS_TEST_TMPDIR/work
	want=$(find "$FUZZ/corpus/$t" "$FUZZ/regressions/$t" -type f 2>/dev/null |
		wc -l)
	[ "$want" -gt 0 ] || fail "no seeds in tests/fuzz/corpus/$t"
	run "$FUZZ/run.sh" replay "$BIN" 0 "$t"
	assert_success
	assert_output --regexp "^$t +$want inputs replayed, $want run \(exit 0\)$"

	run "$FUZZ/run.sh" fuzz "$BIN" "$SECS" "$t"
	assert_success
	n=$(sed -n "s/^$t  *\([0-9][0-9]*\) executions in .*(exit 0)\$/\1/p" \
		<<<"$output")
	[ -n "$n" ] || fail "no execution count: $output"
	echo "# $t: $n executions in ${SECS}s" >&3
	[ "$n" -gt "$min" ] || fail "$t ran only $n inputs (want > $min)"
	[ -z "$(ls -A "$FUZZ_WORK/crashes/$t")" ] || fail "crash files left"
}

@test "every parser of lib/ has a harness and seeds" {
	local f fn missing=()
	# each parser the headers declare is called by some harness
	for fn in $(sed -n 's/^int \(accel_parse_[a-z0-9_]*\)(.*/\1/p' \
		"$TOP"/lib/*.h) accel_health_parse_conf \
		accel_health_set_list accel_event_next accel_bundle_open_mem; do
		grep -q "\<$fn(" "$FUZZ"/fuzz_*.[ch] || missing+=("$fn")
	done
	[ ${#missing[@]} = 0 ] || fail "no harness calls: ${missing[*]}"
	# every harness has at least three seeds
	for f in "$FUZZ"/fuzz_*.c; do
		fn=$(basename "$f" .c)
		fn=${fn#fuzz_}
		[ "$(find "$FUZZ/corpus/$fn" -type f | wc -l)" -ge 3 ] ||
			fail "tests/fuzz/corpus/$fn has fewer than 3 seeds"
	done
	# 7 table views, knobs, health.conf, events, bundles raw and well formed
	[ "$(find "$FUZZ" -maxdepth 1 -name 'fuzz_*.c' | wc -l)" -ge 12 ]
}

@test "harnesses are built with libFuzzer, ASan and UBSan" {
	local b
	for b in "$BIN"/fuzz_*; do
		run nm "$b"
		assert_success
		assert_output --partial " T LLVMFuzzerTestOneInput"
		assert_output --partial "__asan_report_load"
		assert_output --partial "__ubsan_handle_"
		# the library itself is instrumented, not just the harness
		assert_output --regexp " T accel_[a-z_]+"
	done
	run nm "$BIN/lib/parse_table.o"
	assert_output --partial "__asan_report_load"
	assert_output --partial "__sanitizer_cov_"
}

@test "run.sh reports a crashing harness and fails" {
	local d=$BATS_TEST_TMPDIR/fake
	mkdir -p "$d"
	# a harness that dies as libFuzzer does on a crash
	printf '#!/bin/sh\necho "==1==ERROR: AddressSanitizer: boom"\n%s\n%s\n' \
		'echo "stat::number_of_executed_units: 12"' 'exit 1' >"$d/fuzz_knobs"
	chmod +x "$d/fuzz_knobs"
	FUZZ_WORK=$d/work run "$FUZZ/run.sh" fuzz "$d" 1 knobs
	assert_failure
	assert_output --regexp "knobs +12 executions in 1s \(exit 1\)"
	assert_output --partial "AddressSanitizer: boom"
	assert_output --partial "crashed: knobs"
	FUZZ_WORK=$d/work run "$FUZZ/run.sh" replay "$d" 0 knobs
	assert_failure
	assert_output --partial "crashed: knobs"
}

@test "make fuzz runs the harnesses and prints their executions and the total" {
	FUZZ_WORK=$BATS_TEST_TMPDIR/work run make -s -C "$TOP" fuzz \
		FUZZ_SECONDS=1 FUZZ_TARGETS=knobs,event
	assert_success
	assert_line --regexp '^event +[1-9][0-9]* executions in 1s \(exit 0\)$'
	assert_line --regexp '^knobs +[1-9][0-9]* executions in 1s \(exit 0\)$'
	assert_line --regexp '^total +[1-9][0-9]* executions$'
	refute_output --partial "spa"
}

@test "fuzz_info: seeds and reproducers replay, ${SECS}s of fuzzing" {
	replay_and_fuzz info "$MIN_EXECS"
}

@test "fuzz_spa: seeds and reproducers replay, ${SECS}s of fuzzing" {
	replay_and_fuzz spa "$MIN_EXECS"
}

@test "fuzz_pasids: seeds and reproducers replay, ${SECS}s of fuzzing" {
	replay_and_fuzz pasids "$MIN_EXECS"
}

@test "fuzz_faults: seeds and reproducers replay, ${SECS}s of fuzzing" {
	replay_and_fuzz faults "$MIN_EXECS"
}

@test "fuzz_irqs: seeds and reproducers replay, ${SECS}s of fuzzing" {
	replay_and_fuzz irqs "$MIN_EXECS"
}

@test "fuzz_stats: seeds and reproducers replay, ${SECS}s of fuzzing" {
	replay_and_fuzz stats "$MIN_EXECS"
}

@test "fuzz_kctx: seeds and reproducers replay, ${SECS}s of fuzzing" {
	replay_and_fuzz kctx "$MIN_EXECS"
}

@test "fuzz_atc: seeds and reproducers replay, ${SECS}s of fuzzing" {
	replay_and_fuzz atc "$MIN_EXECS"
}

@test "fuzz_gen: seeds and reproducers replay, ${SECS}s of fuzzing" {
	replay_and_fuzz gen "$MIN_EXECS"
}

@test "fuzz_knobs: seeds and reproducers replay, ${SECS}s of fuzzing" {
	replay_and_fuzz knobs "$MIN_EXECS"
}

@test "fuzz_health_conf: seeds and reproducers replay, ${SECS}s of fuzzing" {
	replay_and_fuzz health_conf "$MIN_EXECS"
}

@test "fuzz_event: seeds and reproducers replay, ${SECS}s of fuzzing" {
	replay_and_fuzz event "$MIN_EXECS"
}

@test "fuzz_bundle: seeds and reproducers replay, ${SECS}s of fuzzing" {
	replay_and_fuzz bundle "$MIN_EXECS_BUNDLE"
}

@test "fuzz_bundle_tar: seeds and reproducers replay, ${SECS}s of fuzzing" {
	replay_and_fuzz bundle_tar "$MIN_EXECS_BUNDLE"
}
