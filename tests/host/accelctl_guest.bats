#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# Bundles taken in the guest (tests/guest/accelctl_dump.bats, collected with
# tests/vm/run --out) read back on the host, without the driver.

load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load
bats_require_minimum_version 1.5.0

CTL="$BATS_TEST_DIRNAME/../../cli/accelctl/accelctl"
RUN="$BATS_TEST_DIRNAME/../vm/run"

setup_file() {
	OUT=$(mktemp -d "${BATS_TMPDIR:-/tmp}/accelctl-guest.XXXXXX")
	export OUT
	"$RUN" --out "$OUT" -- bats --tap tests/guest/accelctl_dump.bats \
		>"$OUT/guest.log" 2>&1 || true
}

teardown_file() {
	rm -rf "$OUT"
}

setup() {
	export ACCEL_DEBUGFS=/nonexistent ACCEL_TRACEFS=/nonexistent
}

@test "the guest suite passed and left both bundles" {
	run cat "$OUT/guest.log"
	assert_line "ok 1 a dump holds every section of the live driver with a valid manifest"
	assert_line "ok 2 --redact leaves no real pid or comm of the workload in any file"
	[ -f "$OUT/guest-bundle.tar.gz" ]
	[ -f "$OUT/guest-redacted.tar.gz" ]
}

@test "inspect reads the guest's bundle on the host" {
	run "$CTL" inspect "$OUT/guest-bundle.tar.gz"
	assert_success
	assert_line --regexp '^origin:   accel-guest, .*\(kernel [^)]*-amd64\), accelctl [0-9.]+, driver [0-9.]+$'
	assert_line 'sections: debugfs=ok snapshot=ok kmsg=ok trace=ok params=ok proc=ok sysfs=ok idxd=ok'
	assert_line --regexp '^health:   (OK|WARNING|CRITICAL)'
	assert_line --regexp '^  afu0 online: 1/[0-9]+ PEs \(0 zombie\), 1 live PASIDs'
	assert_line --regexp '^  afu0 pe [0-9]+ pasid [0-9]+ pid [0-9]+ secretwl \(active\)'
	run "$CTL" --json inspect "$OUT/guest-bundle.tar.gz"
	assert_success
	echo "$output" | jq -e '.host == "accel-guest" and .format_version == 1'
	echo "$output" | jq -e '.top_offenders[0].comm == "secretwl"'
}

@test "the redacted guest bundle reads back with pseudonyms only" {
	run "$CTL" inspect "$OUT/guest-redacted.tar.gz"
	assert_success
	assert_line --regexp '^origin:   host1, .*, redacted$'
	assert_line --regexp '^  afu0 pe [0-9]+ pasid [0-9]+ pid 5000001 comm1 \(active\)'
	refute_output --partial secretwl
}

@test "accelstat --bundle shows the guest's bundle as if live" {
	STAT="$BATS_TEST_DIRNAME/../../cli/accelstat/accelstat"
	B="$OUT/guest-bundle.tar.gz"
	run "$STAT" --bundle "$B"
	assert_success
	assert_line --index 0 --regexp "^Bundle $B: taken .* on accel-guest, driver [0-9.]+$"
	assert_line --regexp '^afu0: online, driver [0-9.]+, max_pe [0-9]+'
	assert_line --regexp '^  pasids    1 live, '
	run "$STAT" --bundle "$B" -c
	assert_success
	assert_line --regexp '^afu0 +[0-9]+ +[0-9]+ +[0-9]+ secretwl +active '
	# the contexts are those of the snapshot accelctl took at dump time
	run "$STAT" --bundle "$B" --json
	assert_success
	a=$(printf '%s\n' "$output" | jq -c '[.devices[].contexts[] | [.pe, .pasid, .pid, .comm]]')
	b=$(tar -xzOf "$B" --wildcards '*/snapshot.json' | jq -c '[.devices[].contexts[] | [.pe, .pasid, .pid, .comm]]')
	assert_equal "$a" "$b"
	[ "$a" != "[]" ]
	run "$STAT" --bundle "$OUT/guest-redacted.tar.gz" -c
	assert_success
	assert_line --regexp '^afu0 +[0-9]+ +[0-9]+ +5000001 comm1 +active '
	refute_output --partial secretwl
}
