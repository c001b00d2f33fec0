#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# Every entry point the README names installs what it needs first: the
# Makefile's own rules run scripts/deps.sh (here a stand-in that records
# its calls and refuses, so make stops before building anything).

load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load

bats_require_minimum_version 1.5.0

TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)

# The targets that run something and so install their dependencies, and
# those that only package or install what was built (they need no
# packages beyond the build's, and a packager runs them by hand).
RUNS="demo check check-debug shell bench stress fuzz"
PACKAGES="deps dist install dkms-source"

setup() {
	STUB=$BATS_TEST_TMPDIR/deps.sh
	LOG=$BATS_TEST_TMPDIR/deps.log
	cat >"$STUB" <<-EOS
		#!/bin/sh
		echo "deps \$*" >>"$LOG"
		exit 1
	EOS
	chmod +x "$STUB"
}

@test "every make target the README names is an entry point or a packaging one" {
	local t
	while read -r t; do
		[[ " $RUNS $PACKAGES " == *" $t "* ]] ||
			fail "README names 'make $t': add it to RUNS or PACKAGES"
	done < <(grep -oE '(`|^)make [a-z][a-z-]*' "$TOP/README.md" |
		sed 's/^`//; s/^make //' | sort -u)
}

@test "each entry point runs deps.sh before anything else" {
	local t
	for t in $RUNS; do
		: >"$LOG"
		run make -C "$TOP" --no-print-directory "$t" DEPS_SH="$STUB"
		[ "$status" -ne 0 ] || fail "make $t went on without its deps"
		run cat "$LOG"
		assert_line -n 0 "deps --check-only"
		assert_line -n 1 "deps "
		assert_equal "${#lines[@]}" 2
	done
}

@test "with every package present, nothing is reinstalled" {
	cat >"$STUB" <<-EOS
		#!/bin/sh
		echo "deps \$*" >>"$LOG"
		[ "\$1" = --check-only ]
	EOS
	: >"$LOG"
	run make -C "$TOP" --no-print-directory ensure-deps DEPS_SH="$STUB"
	assert_success
	run cat "$LOG"
	assert_output "deps --check-only"
}
