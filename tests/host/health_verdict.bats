#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# One health verdict: accelstat --check (on the live views) and accelctl
# inspect (on a bundle of the same views) both call libaccel's
# accel_health_judge(), so the same views get the same verdict from both.

load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load
bats_require_minimum_version 1.5.0

CTL="$BATS_TEST_DIRNAME/../../cli/accelctl/accelctl"
STAT="$BATS_TEST_DIRNAME/../../cli/accelstat/accelstat"
FIX="$BATS_TEST_DIRNAME/../fixtures"

setup() {
	T=$(mktemp -d "${BATS_TMPDIR:-/tmp}/health-verdict.XXXXXX")
	export ACCEL_TRACEFS="$FIX/accelctl-sys/tracefs"
	export ACCEL_PROCFS="$FIX/accelctl-sys/proc"
	export ACCEL_SYSMODULE="$FIX/accelctl-sys/sysmodule"
	export ACCEL_KMSG="$FIX/accelctl-sys/kmsg"
	export ACCEL_STATE_DIR="$T/state"
}

teardown() {
	rm -rf "$T"
}

# verdicts ROOT: the word accelstat --check prints for the views under
# ROOT, then the verdict accelctl inspect gives a bundle of them, with the
# default thresholds (no health.conf).
verdicts() {
	run -0 "$CTL" --root "$1" dump -o "$T/b.tar.gz"
	run "$STAT" --check --config /dev/null --root "$1"
	check=${output#ACCEL }
	check=${check%% *}
	run -0 "$CTL" --json inspect "$T/b.tar.gz"
	inspect=$(jq -r .health.verdict <<<"$output")
}

@test "accelstat --check and accelctl inspect agree on each fixture" {
	local f n=0
	for f in busy full_spa stale_faults multi empty accelctl-sys/debugfs; do
		verdicts "$FIX/$f"
		echo "$f: check $check, inspect $inspect"
		[ -n "$check" ]
		[ "$check" = "$inspect" ]
		n=$((n + 1))
	done
	[ "$n" = 6 ]
}

@test "the fixtures cover OK, WARNING and CRITICAL" {
	verdicts "$FIX/busy"
	assert_equal "$check" OK
	verdicts "$FIX/accelctl-sys/debugfs"
	assert_equal "$check" WARNING
	verdicts "$FIX/full_spa"
	assert_equal "$check" CRITICAL
}

@test "a device that is not online is WARNING in both tools" {
	cp -r "$FIX/busy" "$T/removing"
	sed -i '2s/ online / removing /' "$T/removing/afu0/info"
	verdicts "$T/removing"
	assert_equal "$check" WARNING
	assert_equal "$inspect" WARNING
	run "$STAT" --check --config /dev/null --root "$T/removing"
	assert_output --partial "afu0 state removing"
}
