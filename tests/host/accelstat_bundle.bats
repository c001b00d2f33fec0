#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# accelstat --bundle: a bundle written by accelctl dump from the fixture
# system reads back as the live views it was taken from, in every mode;
# damaged bundles are one clear error.

load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load
bats_require_minimum_version 1.5.0

CTL="$BATS_TEST_DIRNAME/../../cli/accelctl/accelctl"
STAT="$BATS_TEST_DIRNAME/../../cli/accelstat/accelstat"
FIX="$BATS_TEST_DIRNAME/../fixtures"

setup() {
	T=$(mktemp -d "${BATS_TMPDIR:-/tmp}/accelstat-bundle.XXXXXX")
	cp -r "$FIX/accelctl-sys" "$T/sys"
	SYS="$T/sys"
	export ACCEL_DEBUGFS="$SYS/debugfs"
	export ACCEL_SYSFS="$SYS/sysfs"
	export ACCEL_TRACEFS="$SYS/tracefs"
	export ACCEL_PROCFS="$SYS/proc"
	export ACCEL_SYSMODULE="$SYS/sysmodule"
	export ACCEL_KMSG="$SYS/kmsg"
	export ACCEL_STATE_DIR="$T/state"
	"$CTL" dump -o "$T/b.tar.gz" >/dev/null
	B="$T/b.tar.gz"
}

teardown() {
	rm -rf "$T"
}

# repack: unpack $B into $T/x, run "$@" in its top directory, pack it
# again as $T/r.tar.gz.
repack() {
	rm -rf "$T/x"
	mkdir -p "$T/x"
	tar -xzf "$B" -C "$T/x"
	local top
	top=$(echo "$T"/x/*)
	(cd "$top" && "$@")
	tar -C "$T/x" -czf "$T/r.tar.gz" "$(basename "$top")"
}

@test "--bundle: the summary is the live one, under a header naming the bundle" {
	live=$("$STAT")
	run --separate-stderr "$STAT" --bundle "$B"
	assert_success
	assert_line --index 0 --regexp "^Bundle $B: taken [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z on vm, driver 0\.1\.0$"
	assert_equal "$stderr" ""
	assert_equal "$(printf '%s\n' "$output" | tail -n +3)" "$live"
}

@test "--bundle: -c, -p, -f, -q and -d give the live tables" {
	for opt in -c -p -f -q "-d afu1" "-d 0 -c"; do
		# shellcheck disable=SC2086
		live=$("$STAT" $opt)
		# shellcheck disable=SC2086
		run "$STAT" --bundle "$B" $opt
		assert_success
		assert_equal "$(printf '%s\n' "$output" | tail -n +3)" "$live"
	done
}

@test "--bundle --json: the devices are the live ones" {
	a=$("$STAT" --json | jq -S '.devices')
	run "$STAT" --bundle "$B" --json
	assert_success
	b=$(printf '%s\n' "$output" | jq -S '.devices')
	assert_equal "$b" "$a"
	printf '%s\n' "$output" | jq -e --arg b "$B" '.root == $b and .schema_version == 2'
}

@test "--bundle --check and --prometheus judge the saved state" {
	run "$STAT" --check
	live_status=$status
	live_line=$output
	run "$STAT" --bundle "$B" --check
	assert_equal "$status" "$live_status"
	assert_equal "$status" 1
	assert_output "$live_line"
	assert_output --partial "afu0 zombie PEs 1 > warn 0"
	run "$STAT" --bundle "$B" --check --crit zombies=0
	assert_equal "$status" 2
	run "$STAT" --bundle "$B" --prometheus
	assert_success
	assert_equal "$output" "$("$STAT" --prometheus)"
}

@test "--bundle: a device the bundle lacks is an error" {
	run "$STAT" --bundle "$B" -d afu7
	assert_failure 1
	assert_output "accelstat: device afu7 not found in bundle $B"
}

@test "--bundle: a view missing from the bundle is named and shown empty" {
	repack bash -c 'rm debugfs/afu0/irqs &&
		jq "del(.files[] | select(.path == \"debugfs/afu0/irqs\"))" manifest.json >m &&
		mv m manifest.json'
	run --separate-stderr "$STAT" --bundle "$T/r.tar.gz" -q -d 0
	assert_success
	assert_equal "$stderr" "accelstat: $T/r.tar.gz: shown empty: afu0/irqs: not in the bundle"
	# the bundle header and the table's header, no row
	assert_equal "${#lines[@]}" 2
	assert_line --index 1 --regexp "^DEV +PE +PASID +HWIRQ"
	refute_line --regexp "^afu0 "
	# the live fixture has a range there; the other views are intact
	run "$STAT" -q -d 0
	assert_line --regexp "^afu0 +0 +1 +0 +4 "
	run --separate-stderr "$STAT" --bundle "$T/r.tar.gz" -c
	assert_success
	assert_line --partial "secretwork"
}

@test "--bundle: truncated, unknown-version, random and missing files are one error" {
	size=$(stat -c %s "$B")
	for n in 20 $((size / 2)) $((size - 40)); do
		head -c "$n" "$B" >"$T/t.tar.gz"
		run "$STAT" --bundle "$T/t.tar.gz"
		assert_failure 1
		assert_output --regexp "^accelstat: $T/t.tar.gz: truncated or corrupt bundle"
		assert_equal "${#lines[@]}" 1
	done
	repack bash -c 'jq ".format_version = 99" manifest.json >m && mv m manifest.json'
	run "$STAT" --bundle "$T/r.tar.gz"
	assert_failure 1
	assert_output "accelstat: $T/r.tar.gz: unsupported bundle format version 99 (this tool reads version 1)"
	head -c 4096 /dev/urandom >"$T/rand"
	run "$STAT" --bundle "$T/rand"
	assert_failure 1
	assert_output --regexp "^accelstat: $T/rand: (not an accel bundle|truncated or corrupt bundle)"
	run "$STAT" --bundle "$T/nope"
	assert_failure 1
	assert_output "accelstat: $T/nope: No such file or directory"
	# a monitor gets an UNKNOWN status line on stdout
	run --separate-stderr "$STAT" --bundle "$T/rand" --check
	assert_equal "$status" 3
	assert_output --regexp "^ACCEL UNKNOWN - $T/rand: "
}

@test "--bundle refuses -i and --root" {
	run "$STAT" --bundle "$B" -i 1
	assert_failure 2
	assert_output --partial "--bundle does not apply to -i or --root"
	run "$STAT" --bundle "$B" --root "$SYS/debugfs"
	assert_failure 2
}

@test "--bundle: a duplicate entry is refused, afu01 is not afu1" {
	repack true
	top=$(basename "$(echo "$T"/x/*)")
	tar -C "$T/x" --hard-dereference -czf "$T/d.tar.gz" "$top" "$top/debugfs/afu0/spa"
	run "$STAT" --bundle "$T/d.tar.gz"
	assert_failure 1
	assert_output "accelstat: $T/d.tar.gz: not an accel bundle (duplicate entry 'debugfs/afu0/spa')"
	# a stray directory spelled afu01 is not a second afu1
	repack cp -r debugfs/afu1 debugfs/afu01
	run "$STAT" --bundle "$T/r.tar.gz"
	assert_success
	assert_equal "$(printf '%s\n' "$output" | grep -c '^afu1:')" 1
	assert_equal "$(printf '%s\n' "$output" | grep -c '^afu[0-9]*:')" 2
}
