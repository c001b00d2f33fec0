#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# libaccel and the host unit tests built with AddressSanitizer (with
# LeakSanitizer) and UndefinedBehaviorSanitizer, out of tree
# (tests/unit/Makefile O=, lib/Makefile O=), so the normal objects stay as
# they are. Every unit test must pass with no sanitizer report.

load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load

TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
SAN_CFLAGS="-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all"
# Any report fails the process: leaks included, no recovery from UB.
export ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1

setup_file() {
	export O=$BATS_FILE_TMPDIR/san
	make -s -j2 -C "$TOP/tests/unit" O="$O" CFLAGS="$SAN_CFLAGS" \
		>"$BATS_FILE_TMPDIR/build.log" 2>&1
	echo $? >"$BATS_FILE_TMPDIR/build.rc"
}

@test "libaccel and every unit test build with ASan and UBSan, out of tree" {
	local src t
	run cat "$BATS_FILE_TMPDIR/build.log"
	[ "$(cat "$BATS_FILE_TMPDIR/build.rc")" = 0 ] || fail "build failed: $output"
	# one instrumented binary per tests/unit/test_*.c
	for src in "$TOP"/tests/unit/test_*.c; do
		t=$O/$(basename "$src" .c)
		[ -x "$t" ] || fail "$t not built"
		run nm "$t"
		assert_output --partial "__asan_init"
		assert_output --partial "__ubsan_handle_"
	done
	# the library objects are instrumented too, and built in O, not lib/
	run nm "$O/lib/parse_table.o"
	assert_output --partial "__asan_report_load"
	run nm "$TOP/lib/parse_table.o"
	refute_output --partial "__asan_"
}

@test "every unit test passes under ASan and UBSan with no report" {
	local t n bad=() ran=0
	cd "$TOP/tests/unit"
	for t in "$O"/test_*; do
		[ -x "$t" ] && [ -f "$t" ] || continue
		n=$(basename "$t")
		run env CMOCKA_MESSAGE_OUTPUT=TAP "$t"
		ran=$((ran + 1))
		if [ "$status" != 0 ] || grep -qE '^not ok|Sanitizer|runtime error:' <<<"$output" ||
			! grep -qE '^ok ' <<<"$output"; then
			bad+=("$n")
			echo "== $n (exit $status)" >&3
			echo "$output" | tail -n 30 >&3
		fi
	done
	[ "$ran" -ge "$(find "$TOP/tests/unit" -maxdepth 1 -name 'test_*.c' | wc -l)" ]
	[ ${#bad[@]} = 0 ] || fail "failed under sanitizers: ${bad[*]}"
}

# The same flags really catch what they should here (a heap overflow, a
# leak, signed overflow), so a clean run above means something.
@test "the sanitizer flags catch an overflow, a leak and undefined behaviour" {
	local d=$BATS_TEST_TMPDIR
	cat >"$d/bad.c" <<'C'
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
int main(int argc, char **argv)
{
	char *p = malloc(8);
	int x = INT_MAX - 2 + argc;	/* INT_MAX, unknown to the compiler */

	if (!p)
		return 1;
	memset(p, 0, 8);
	if (!strcmp(argv[1], "overflow"))
		memset(p, 1, 7 + (size_t)argc);	/* 9 bytes */
	if (!strcmp(argv[1], "ub"))
		x += argc;
	printf("%d %d\n", p[argc], x);
	if (!strcmp(argv[1], "leak"))
		return 0;
	free(p);
	return 0;
}
C
	# shellcheck disable=SC2086 # SAN_CFLAGS is a list of flags
	cc $SAN_CFLAGS -o "$d/bad" "$d/bad.c"
	run "$d/bad" overflow
	assert_failure
	assert_output --partial "ERROR: AddressSanitizer: heap-buffer-overflow"
	run "$d/bad" leak
	assert_failure
	assert_output --partial "ERROR: LeakSanitizer: detected memory leaks"
	run "$d/bad" ub
	assert_failure
	assert_output --partial "runtime error: signed integer overflow"
	run "$d/bad" none
	assert_success
}
