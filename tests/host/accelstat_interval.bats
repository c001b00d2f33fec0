#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# accelstat -i SEC -n COUNT: per-interval rates and deltas, vmstat style.

load accelstat_helpers

@test "interval: -n reports count times, one row per device, one header" {
	run "$ACCELSTAT" --root "$FIX/multi" -i 0.1 -n 2
	assert_success
	assert_equal "${#lines[@]}" 7
	assert_line --index 0 --regexp '^time +dev +ctx +pasid +pend +oldest +flt/s +aerr/s +tlbi/s +irq/s +work/s +bytes/s +fltp99 +tlbip99$'
	assert_line --index 1 --regexp '^[0-9]{2}:[0-9]{2}:[0-9]{2} afu0 +3 +3 +2 +2\.50ms +0 +0 +0 +0 +0 +0B +- +-$'
	assert_line --index 3 --regexp '^[0-9:]{8} afu3 +0 +0 +0 +- +0 '
	assert_line --index 4 --regexp '^[0-9:]{8} afu0 '
}

@test "interval: header repeats every 20 lines when not a tty" {
	run "$ACCELSTAT" --root "$FIX/multi" -i 0.01 -n 14
	assert_success
	# 42 rows + headers at lines 0, 20, 40 (every 20 output lines)
	assert_equal "${#lines[@]}" 45
	assert_line --index 0 --partial 'flt/s'
	assert_line --index 20 --partial 'flt/s'
	assert_line --index 40 --partial 'flt/s'
	run bash -c "'$ACCELSTAT' --root '$FIX/multi' -i 0.01 -n 14 | grep -c flt/s"
	assert_output 3
}

@test "interval: rates and interval p99 come from deltas" {
	cp -r "$FIX/busy" "$BATS_TEST_TMPDIR/busy"
	stats="$BATS_TEST_TMPDIR/busy/afu0/stats"
	# Between the two samples (t=0 and t=1s): +100 faults, +4 address
	# errors, +2 MiB, and 100 new fault latencies in bucket 20.
	(
		sleep 0.4
		sed -e 's/^faults_raised - 1000$/faults_raised - 1100/' \
		    -e 's/^faults_acked_address_error - 8$/faults_acked_address_error - 12/' \
		    -e 's/^bytes - 1052672$/bytes - 3149824/' \
		    -e 's/^fault_lat_ns 20 8$/fault_lat_ns 20 108/' "$stats" > "$stats.new"
		mv "$stats.new" "$stats"
	) &
	run "$ACCELSTAT" --root "$BATS_TEST_TMPDIR/busy" -i 1 -n 1 --json
	wait
	assert_success
	run jq -r '.devices[0] | "\(.faults_raised) \(.faults_address_error) \(.p99_fault_lat_ns) \(.p99_tlbi_lat_ns)"' <<<"$output"
	assert_output '100 4 2086666.24 null'
	run "$ACCELSTAT" --root "$BATS_TEST_TMPDIR/busy" -i 1 -n 1 --json
	run jq -r '.devices[0] | [.faults_per_s, .bytes_per_s] | map(type) | join(",")' <<<"$output"
	assert_output 'number,number'
}

@test "interval: text rates show per-second values" {
	cp -r "$FIX/busy" "$BATS_TEST_TMPDIR/busy"
	stats="$BATS_TEST_TMPDIR/busy/afu0/stats"
	(
		sleep 0.4
		sed -e 's/^tlbis - 50$/tlbis - 2050/' "$stats" > "$stats.new"
		mv "$stats.new" "$stats"
	) &
	run "$ACCELSTAT" --root "$BATS_TEST_TMPDIR/busy" -i 1 -n 1
	wait
	assert_success
	# ~2000 TLBIs in ~1 s
	assert_line --index 1 --regexp '^[0-9:]{8} afu0 +3 +3 +2 +2\.50ms +0 +0 +(19[0-9]{2}|20[0-9]{2}|1\.9[0-9]k|2\.0[0-9]k) '
}

@test "interval: --json prints one object per interval" {
	run "$ACCELSTAT" --root "$FIX/multi" -i 0.05 -n 3 --json
	assert_success
	assert_equal "${#lines[@]}" 3
	run jq -s -c 'map(.schema_version) + [.[0].devices | length]' <<<"$output"
	assert_output '[2,2,2,3]'
}

@test "interval: a device error mid-run exits 1 with file:line" {
	cp -r "$FIX/busy" "$BATS_TEST_TMPDIR/busy"
	( sleep 0.3; printf 'pe pasid\n1 x\n' > "$BATS_TEST_TMPDIR/busy/afu0/spa" ) &
	run "$ACCELSTAT" --root "$BATS_TEST_TMPDIR/busy" -i 1 -n 2
	wait
	assert_failure 1
	assert_line "accelstat: afu0/spa:1: missing column 'pid' in header (unknown format?)"
}

@test "interval: SIGINT stops cleanly with exit 0" {
	"$ACCELSTAT" --root "$FIX/busy" -i 0.1 > "$BATS_TEST_TMPDIR/out" &
	pid=$!
	sleep 0.5
	kill -INT "$pid"
	rc=0
	wait "$pid" || rc=$?
	assert_equal "$rc" 0
	run grep -c afu0 "$BATS_TEST_TMPDIR/out"
	[ "$output" -ge 2 ]
}

# gen_busy DIR: the busy fixture with a gen view (every count 1) and no
# pending fault (faults, whose rows age, are read whenever not empty).
gen_busy() {
	cp -r "$FIX/busy" "$1"
	printf 'view gen\ninfo 1\nspa 1\npasids 1\nfaults 1\nirqs 1\natc 1\nkctx 1\nstats 1\n' >"$1/afu0/gen"
	head -n 1 "$FIX/busy/afu0/faults" >"$1/afu0/faults"
}

@test "interval: views whose generation did not move are read once; a moved one again, its change shown" {
	T=$BATS_TEST_TMPDIR
	gen_busy "$T/root"
	ACCEL_DEBUG_READS=1 "$ACCELSTAT" --root "$T/root" -i 1 -n 3 >"$T/out" 2>"$T/err" &
	local pid=$! i
	for ((i = 0; i < 200; i++)); do
		[ "$(grep -c ' afu0 ' "$T/out")" -ge 1 ] && break
		sleep 0.05
	done
	# one context fewer in spa, and its count moves
	sed '$d' "$T/root/afu0/spa" >"$T/spa"
	mv "$T/spa" "$T/root/afu0/spa"
	sed -i 's/^spa 1$/spa 2/' "$T/root/afu0/gen"
	wait "$pid"
	# four loads (the first, then one a report): spa twice, the other
	# views once; atc has rows, which age, so it is read each time
	run cat "$T/err"
	assert_output "accelstat: reads gen 4 info 1 spa 2 pasids 1 faults 1 irqs 1 stats 1 atc 4"
	run awk '$2 == "afu0" { print $3 }' "$T/out"
	assert_output "$(printf '3\n2\n2')"
}

@test "interval: without a gen view every view is read for each report" {
	run env ACCEL_DEBUG_READS=1 "$ACCELSTAT" --root "$FIX/busy" -i 0.1 -n 2
	assert_success
	assert_line "accelstat: reads gen 3 info 3 spa 3 pasids 3 faults 3 irqs 3 stats 3 atc 3"
}

@test "interval: --json from kept views equals the JSON of views read again" {
	T=$BATS_TEST_TMPDIR
	gen_busy "$T/root"
	cp -r "$T/root" "$T/plain"
	rm "$T/plain/afu0/gen"
	"$ACCELSTAT" --root "$T/root" -i 0.1 -n 3 --json >"$T/kept"
	"$ACCELSTAT" --root "$T/plain" -i 0.1 -n 3 --json >"$T/read"
	run python3 -m json.tool --json-lines "$T/kept"
	assert_success
	del='del(.time_unix_s, .interval_s)'
	assert_equal "$(jq -c "$del" "$T/kept")" "$(jq -c "$del" "$T/read")"
}
