#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# accelstat --check judges fault_error_rate, fault_p99 and tlbi_p99 over a
# recent window (issue 22): readings kept in a state directory, time made
# to pass by ageing the saved readings, incidents made by adding samples
# to a copy of a fixture's stats view.

load accelstat_helpers

bats_require_minimum_version 1.5.0

setup() {
	D=$BATS_TEST_TMPDIR/root
	cp -r "$FIX/busy" "$D"
	ST=$BATS_TEST_TMPDIR/state
	STATE=$ST/check-afu0-300s.state
	# busy's p99 TLBI latency, 32.8us, is CRITICAL with these
	T30=(--warn tlbi_p99=20us --crit tlbi_p99=30us)
}

# wcheck ARGS: the check of the copy under $D, state in $ST.
wcheck() {
	run "$ACCELSTAT" --root "$D" --check "$NOCONF" --state-dir="$ST" "$@"
}

# age SECONDS: every saved reading becomes SECONDS older (time passes).
age() {
	local f
	for f in "$ST"/*.state; do
		[ -e "$f" ] || continue
		awk -v s="$1" '$1 == "r" { $2 = sprintf("%.6f", $2 - s) } 1' \
			"$f" >"$f.new"
		mv "$f.new" "$f"
	done
}

# add NAME BUCKET COUNT: COUNT more in a stats row of the copy (BUCKET -
# for a counter); the device keeps running, as the driver's views do. The
# file is rewritten in place: a file created or removed in the device's
# directory would change it, as a new device does.
add() {
	local f=$D/afu0/stats t=$BATS_TEST_TMPDIR/stats.new
	awk -v n="$1" -v b="$2" -v c="$3" '
		$1 == n && $2 == b { $3 += c; done = 1 }
		{ print }
		END { if (!done) print n, b, c }' "$f" >"$t"
	cat "$t" >"$f"
}

readings() {
	grep -c '^r ' "$1"
}

@test "window: the first run judges since load, later runs the last window" {
	wcheck "${T30[@]}"
	assert_failure 2
	assert_output --regexp '^ACCEL CRITICAL - afu0 p99 TLBI latency 32\.8µs > crit 30\.0µs \(since load\) \|'
	[ -f "$STATE" ]
	run readings "$STATE"
	assert_output 1
	# No reading a window old yet: still since load.
	age 200
	wcheck "${T30[@]}"
	assert_failure 2
	assert_output --partial '(since load)'
	# Five minutes on, nothing happened in the window: OK, and no
	# latency to judge (U); no acked fault, so a 0% error rate.
	age 101
	wcheck "${T30[@]}"
	assert_success
	assert_output --regexp '^ACCEL OK - 1 device, 3 contexts, 2 pending faults \|'
	assert_output --partial 'afu0_tlbi_p99=U;0.00002;0.00003;0 '
	assert_output --partial 'afu0_fault_p99=U;'
	assert_output --partial 'afu0_fault_error_rate=0%;'
	# The instantaneous thresholds are not windowed.
	wcheck --warn spa_usage=30
	assert_failure 1
	assert_output --regexp '^ACCEL WARNING - afu0 SPA usage 37\.5% > warn 30% \|'
}

@test "window: an incident is judged while in the window, OK once it left" {
	wcheck
	assert_success
	age 301
	# The incident of issue 22: slow TLBIs, address errors.
	add tlbi_lat_ns 22 100
	add faults_acked_restart - 50
	add faults_acked_address_error - 50
	wcheck
	assert_failure 2
	assert_output --regexp '^ACCEL CRITICAL - afu0 faults acked address_error 50% > crit 5% \(last 5m\); afu0 p99 TLBI latency 8\.35ms > warn 1\.00ms \(last 5m\) \|'
	assert_output --partial 'afu0_tlbi_p99=0.008346665s;'
	# A minute on: the incident is still in the window.
	age 60
	wcheck
	assert_failure 2
	assert_output --partial '(last 6m)'
	# A window after the run that saw it: OK again, no module reload.
	age 250
	wcheck
	assert_success
	assert_output --regexp '^ACCEL OK - '
	# Cumulative since load, the incident stays: --window=off.
	wcheck --window=off
	assert_failure 2
	assert_output --partial 'afu0 p99 TLBI latency 8.35ms > warn 1.00ms (since load)'
	# --prometheus stays cumulative too.
	run "$ACCELSTAT" --root "$D" --prometheus
	assert_output --partial 'accel_tlbi_latency_seconds_count{device="afu0"} 150'
}

@test "window: the baseline is the newest reading a window old (less 5%)" {
	wcheck
	add tlbi_lat_ns 14 10
	age 284
	wcheck "${T30[@]}"
	assert_failure 2
	assert_output --partial '(since load)'
	assert_output --partial 'afu0_fault_p99=0.000130344s;'
	# 286 s >= 95% of 300 s: the first reading is the baseline, and the
	# window holds the 10 new TLBI samples alone, no fault.
	age 2
	wcheck "${T30[@]}"
	assert_failure 2
	assert_output --regexp 'p99 TLBI latency 32\.8µs > crit 30\.0µs \(last 5m\)'
	assert_output --partial 'afu0_fault_p99=U;'
}

@test "window: a new incarnation of the device starts anew (reload, re-create)" {
	wcheck
	age 400
	# The device deleted and created again: a new debugfs directory.
	rm -rf "$D"
	cp -r "$FIX/busy" "$D"
	wcheck "${T30[@]}"
	assert_failure 2
	assert_output --partial '(since load)'
	run readings "$STATE"
	assert_output 1
	# Counters that went back with the same directory: since load too.
	age 400
	sed -i 's/^tlbi_lat_ns 8 40$/tlbi_lat_ns 8 4/' "$D/afu0/stats"
	wcheck "${T30[@]}"
	assert_failure 2
	assert_output --partial '(since load)'
}

@test "window: --window and 'window =' set it; off keeps no state" {
	wcheck --window=10s
	[ -f "$ST/check-afu0-10s.state" ]
	age 11
	add fault_lat_ns 27 5
	wcheck --window=10s
	assert_failure 2
	assert_output --regexp '^ACCEL CRITICAL - afu0 p99 fault latency [0-9.]+ms > crit 100ms \(last 11s\) \|'
	# The same from health.conf; the flag wins over it.
	printf 'window = 1m  # short\n' >"$BATS_TEST_TMPDIR/health.conf"
	run "$ACCELSTAT" --root "$D" --check --config "$BATS_TEST_TMPDIR/health.conf" --state-dir="$ST"
	[ -f "$ST/check-afu0-60s.state" ]
	run "$ACCELSTAT" --root "$D" --check --config "$BATS_TEST_TMPDIR/health.conf" --state-dir="$ST" --window=2m
	[ -f "$ST/check-afu0-120s.state" ]
	# off: since load, nothing written; there the 5 slow faults are
	# fewer than 1% of all, and the p99 is OK.
	rm -rf "$ST"
	wcheck --window=off
	assert_success
	assert_output --partial 'afu0_fault_p99=0.001441792s;'
	[ ! -e "$ST" ]
	printf 'window = off\n' >"$BATS_TEST_TMPDIR/health.conf"
	run "$ACCELSTAT" --root "$D" --check --config "$BATS_TEST_TMPDIR/health.conf" --state-dir="$ST"
	[ ! -e "$ST" ]
}

@test "window: bad values are UNKNOWN, exit 3" {
	local v
	for v in soon 0.5s 8d -1 1e3 5ms ''; do
		run --separate-stderr "$ACCELSTAT" --root "$D" --check "$NOCONF" --window="$v"
		assert_failure 3
		assert_output "ACCEL UNKNOWN - bad window '$v': expected a duration of 1s to 7 days such as 300, 90s, 5m or 1h, or off"
	done
	printf 'window = 5 minutes\n' >"$BATS_TEST_TMPDIR/health.conf"
	run "$ACCELSTAT" --root "$D" --check --config "$BATS_TEST_TMPDIR/health.conf"
	assert_failure 3
	assert_output "ACCEL UNKNOWN - config $BATS_TEST_TMPDIR/health.conf:1: bad window '5 minutes': expected a duration of 1s to 7 days such as 300, 90s, 5m or 1h, or off"
	run --separate-stderr "$ACCELSTAT" --root "$D" --check --state-dir=
	assert_failure 3
	assert_output "ACCEL UNKNOWN - empty --state-dir"
	# Without --check, a usage error (2).
	run "$ACCELSTAT" --root "$D" --window=5m
	assert_failure 2
}

@test "window: --bundle --check judges since load, keeps no state" {
	run -0 "$BATS_TEST_DIRNAME/../../cli/accelctl/accelctl" --root "$D" dump -o "$BATS_TEST_TMPDIR/b.tar.gz"
	run "$ACCELSTAT" --bundle "$BATS_TEST_TMPDIR/b.tar.gz" --check "$NOCONF" "${T30[@]}"
	assert_failure 2
	assert_output --partial 'p99 TLBI latency 32.8µs > crit 30.0µs (since load)'
	[ ! -e "$ACCEL_STATE_DIR" ]
	run --separate-stderr "$ACCELSTAT" --bundle "$BATS_TEST_TMPDIR/b.tar.gz" --check --window=5m
	assert_failure 3
	assert_output 'ACCEL UNKNOWN - --window and --state-dir do not apply to --bundle (a bundle has no history)'
}

@test "window: one state file per device; -d touches its own" {
	cp -r "$FIX/multi" "$BATS_TEST_TMPDIR/multi"
	run "$ACCELSTAT" --root "$BATS_TEST_TMPDIR/multi" --check "$NOCONF" --state-dir="$ST"
	run ls "$ST"
	assert_output "$(printf 'check-afu0-300s.state\ncheck-afu1-300s.state\ncheck-afu3-300s.state')"
	rm -rf "$ST"
	run "$ACCELSTAT" --root "$BATS_TEST_TMPDIR/multi" --check "$NOCONF" --state-dir="$ST" -d afu1
	run ls "$ST"
	assert_output 'check-afu1-300s.state'
}

@test "window: readings kept stay bounded, the state dir is created" {
	local i
	[ ! -e "$ST" ]
	for ((i = 0; i < 40; i++)); do
		age 30
		wcheck
	done
	run stat -c %a "$ST"
	assert_output 755
	run stat -c %a "$STATE"
	assert_output 600
	run readings "$STATE"
	# 285 s of readings 30 s apart, and the one before them
	[ "$output" -ge 10 ]
	[ "$output" -le 11 ]
	# Runs closer than window/16 (18.75 s) add no reading.
	wcheck
	wcheck
	run readings "$STATE"
	[ "$output" -le 11 ]
}

@test "window: state trouble never hides the verdict; the line says why" {
	# The state dir is a file: judged since load, the reason shown.
	touch "$BATS_TEST_TMPDIR/file"
	run --separate-stderr "$ACCELSTAT" --root "$D" --check "$NOCONF" --state-dir="$BATS_TEST_TMPDIR/file" "${T30[@]}"
	assert_failure 2
	assert_output --regexp "^ACCEL CRITICAL - afu0 p99 TLBI latency 32\.8µs > crit 30\.0µs \(since load\); no window: state $BATS_TEST_TMPDIR/file: Not a directory \|"
	assert_equal "$stderr" "accelstat: state $BATS_TEST_TMPDIR/file: Not a directory"
	run --separate-stderr "$ACCELSTAT" --root "$D" --check "$NOCONF" --state-dir="$BATS_TEST_TMPDIR/file"
	assert_success
	assert_output --regexp "^ACCEL OK - 1 device, 3 contexts, 2 pending faults; no window: state .*: Not a directory \|"
	# A malformed state file is replaced, with a word on stderr.
	mkdir -p "$ST"
	printf 'accel-check-state 1\nkey x\nr 12 oops\n' >"$STATE"
	run --separate-stderr "$ACCELSTAT" --root "$D" --check "$NOCONF" --state-dir="$ST"
	assert_success
	assert_equal "$stderr" "accelstat: state $ST/check-afu0-300s.state:3: bad reading (starting anew)"
	run head -1 "$STATE"
	assert_output 'accel-check-state 1'
	run readings "$STATE"
	assert_output 1
}

@test "window: a symlink in place of the state file is neither read nor followed" {
	mkdir -p "$ST"
	wcheck
	cp "$STATE" "$BATS_TEST_TMPDIR/target"
	age 400
	cp "$STATE" "$BATS_TEST_TMPDIR/target"
	rm "$STATE"
	ln -s "$BATS_TEST_TMPDIR/target" "$STATE"
	wcheck "${T30[@]}"
	assert_failure 2
	# not read: since load, though the target holds a reading 400 s old
	assert_output --partial '(since load)'
	[ ! -L "$STATE" ]
	[ -f "$STATE" ]
	# not written through
	run readings "$BATS_TEST_TMPDIR/target"
	assert_output 1
}

@test "window: concurrent runs take turns (flock on the state dir)" {
	mkdir -p "$ST"
	flock "$ST" sleep 1 &
	sleep 0.2
	wcheck
	assert_success
	refute_output --partial 'no window'
	wait
	# Held for longer than 5 s: judged since load, and said.
	flock "$ST" sleep 7 &
	sleep 0.2
	wcheck
	assert_success
	assert_output --partial "no window: state $ST: still locked by another run after 5s"
	wait
}
