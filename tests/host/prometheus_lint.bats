#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# accelstat --prometheus passes Prometheus' own linter, promtool check
# metrics (from Debian's prometheus package, scripts/promtool.sh): on every
# fixture tree, and on the live driver in a guest after a workload.

load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load
bats_require_minimum_version 1.5.0

TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
STAT=$TOP/cli/accelstat/accelstat
FIX=$TOP/tests/fixtures

setup() {
	PROMTOOL=$("$TOP/scripts/promtool.sh" --check-only) ||
		fail "no promtool: run 'make deps'"
}

@test "promtool finds a linter error (it is the real linter)" {
	run sh -c "printf '# HELP x_bits A width.\n# TYPE x_bits gauge\nx_bits 20\n' | '$PROMTOOL' check metrics"
	assert_failure
	assert_output --partial 'x_bits'
}

@test "every fixture tree's metrics pass promtool check metrics" {
	local d n=0
	for d in "$FIX"/*/; do
		[ -d "$d/afu0" ] || continue
		"$STAT" --root "$d" --prometheus >"$BATS_TEST_TMPDIR/m" || true
		[ -s "$BATS_TEST_TMPDIR/m" ]
		run "$PROMTOOL" check metrics <"$BATS_TEST_TMPDIR/m"
		assert_success
		assert_output ""
		n=$((n + 1))
	done
	[ "$n" -ge 5 ]
}

@test "the live driver's metrics, after a workload, pass promtool" {
	run "$TOP/tests/vm/run" -- bash -c '
		echo 1 >/sys/bus/accelsim/new_device
		accelctl hold --irqs 4 >/dev/null &
		/accel/tests/progs/asim_copy -s 1M >/dev/null
		/accel/tests/progs/asim_copy -s 64K -u >/dev/null
		echo ---metrics---
		accelstat --prometheus
		echo ---end---
		kill %1'
	assert_success
	sed -n '/^---metrics---$/,/^---end---$/p' <<<"$output" |
		sed '1d;$d' >"$BATS_TEST_TMPDIR/live"
	run grep -c '^accel_spa_used{' "$BATS_TEST_TMPDIR/live"
	assert_output 2
	run "$PROMTOOL" check metrics <"$BATS_TEST_TMPDIR/live"
	assert_success
	assert_output ""
}
