#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# accelctl against the real driver: workloads with integrity checks and
# fault/TLBI accounting, hold/list/terminate, device add/del under load.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	module_loaded || insmod "$ACCEL_MODULE"
}

# stat_counter DEV NAME: a counter of DEV's stats view.
stat_counter() {
	awk -v n="$2" '$1 == n && $2 == "-" { print $3 }' "$DEBUGFS/$1/stats"
}

@test "run --fresh --size 64M --contexts 4: correct data, every page faults, counts match the driver" {
	before=$(stat_counter afu0 faults_raised)
	run --separate-stderr accelctl --json run --fresh --size 64M --contexts 4
	assert_success
	after=$(stat_counter afu0 faults_raised)
	j=$output
	echo "$j" | jq -e '.integrity == "ok" and .mismatches == 0 and .errors == 0'
	echo "$j" | jq -e '.bytes == 67108864 and .work_done == 256 and .contexts == 4'
	# every destination page (64 MiB / 4 KiB) faulted at least once
	echo "$j" | jq -e '.faults >= 16384'
	# the run's PEs (SPA rows) account for every fault the device raised
	echo "$j" | jq -e ".faults == .device_stats_delta.faults_raised"
	echo "$j" | jq -e ".faults == $((after - before))"
	echo "$j" | jq -e '.device_stats_delta.faults_acked_restart == .faults'
	# four threads, four PEs, one PASID
	echo "$j" | jq -e '(.pes | length) == 4 and ([.pes[].pasid] | unique | length) == 1'
	echo "$j" | jq -e '.latency.samples == 256 and .latency.p99_ns >= .latency.p50_ns'
	# the contexts are gone afterwards
	run accelctl list
	assert_equal "${#lines[@]}" 1
}

@test "run: text summary" {
	run --separate-stderr accelctl run --size 2M -c 2 -n 2
	assert_success
	assert_line --index 0 --regexp '^run: 2 context\(s\) \(threads\) on afu0, op copy, 2.00MiB per iteration, 4 iteration\(s\) in '
	assert_line --regexp '^  bytes +4.00MiB \('
	assert_line --regexp '^  faults +[0-9]+ \(this run.s PEs\)$'
	assert_line '  errors    0'
	assert_line '  integrity ok (0 mismatches)'
	assert_line --regexp '^  latency +p50 .* p99 .* \(16 samples\)$'
}

@test "run: every op checks its data (copy, fill, compare with mismatches, touch)" {
	for op in copy fill compare touch; do
		run --separate-stderr accelctl -j run --op="$op" --size 1M -n 3 --fresh
		assert_success
		echo "$output" | jq -e '.integrity == "ok" and .errors == 0 and .iterations == 3'
	done
}

@test "run --fork: one process and one PASID per context" {
	run --separate-stderr accelctl -j run --fork -c 3 --size 3M --fresh
	assert_success
	echo "$output" | jq -e '.mode == "processes" and .integrity == "ok"'
	echo "$output" | jq -e '([.pes[].pasid] | unique | length) == 3'
	echo "$output" | jq -e '.faults == .device_stats_delta.faults_raised and .faults >= 768'
}

@test "run --churn: munmap and remap drive TLBIs" {
	before=$(stat_counter afu0 tlbis)
	run --separate-stderr accelctl -j run --churn --size 4M -n 3
	assert_success
	echo "$output" | jq -e '.integrity == "ok" and .churns == 48'
	echo "$output" | jq -e '.device_stats_delta.tlbis > 0'
	[ "$(stat_counter afu0 tlbis)" -gt "$before" ]
	run --separate-stderr accelctl run --churn --size 1M -n 2
	assert_success
	assert_line --regexp '^  device .* tlbis \+[1-9][0-9]*,'
	assert_line '  churn     8 munmap+remap cycles'
}

@test "run --duration runs until the time is up" {
	run --separate-stderr accelctl -j run -t 1 --size 256K
	assert_success
	echo "$output" | jq -e '.iterations >= 1 and .elapsed_s >= 1 and .integrity == "ok"'
}

@test "SIGTERM ends a run early, with its report" {
	for mode in "" --fork; do
		# shellcheck disable=SC2086
		accelctl -j run -t 60 --size 512K -c 2 $mode >"$BATS_TEST_TMPDIR/r" 2>/dev/null &
		r=$!
		# Once both contexts are in the SPA the handler is in place (on
		# the debug kernel, with the other debug guest beside it, 2 s
		# after the start was sometimes before it: exit 143).
		for _ in $(seq 300); do
			[ "$(wc -l <"$DEBUGFS/afu0/spa")" -ge 3 ] && break
			sleep 0.1
		done
		[ "$(wc -l <"$DEBUGFS/afu0/spa")" -ge 3 ]
		sleep 1
		kill -TERM "$r"
		rc=0
		wait "$r" || rc=$?
		assert_equal "$rc" 0
		jq -e '.elapsed_s < 30 and .integrity == "ok" and .iterations >= 1' "$BATS_TEST_TMPDIR/r"
	done
	run accelctl list
	assert_equal "${#lines[@]}" 1
}

@test "hold, list, terminate pe: the context goes, the holder lives on" {
	accelctl hold >"$BATS_TEST_TMPDIR/hold" &
	pid=$!
	for _ in $(seq 50); do [ -s "$BATS_TEST_TMPDIR/hold" ] && break; sleep 0.1; done
	run cat "$BATS_TEST_TMPDIR/hold"
	assert_output --regexp "^pid $pid dev afu0 pasid [0-9]+ pe [0-9]+$"
	pe=$(awk '{ print $8 }' "$BATS_TEST_TMPDIR/hold")
	pasid=$(awk '{ print $6 }' "$BATS_TEST_TMPDIR/hold")
	run accelctl list
	assert_line --regexp "^afu0 +$pe +$pasid +$pid accelctl +active .* sleeping$"
	run accelctl terminate pe "$pe"
	assert_success
	assert_output "afu0 pe $pe pasid $pasid: terminated"
	run accelctl list
	refute_output --partial " $pid "
	kill -0 "$pid"
	kill "$pid"
	wait "$pid"
}

@test "terminate pasid stops every context of the process" {
	accelctl hold -c 2 >"$BATS_TEST_TMPDIR/hold" &
	pid=$!
	for _ in $(seq 50); do [ "$(wc -l <"$BATS_TEST_TMPDIR/hold")" = 2 ] && break; sleep 0.1; done
	pasid=$(awk 'NR == 1 { print $6 }' "$BATS_TEST_TMPDIR/hold")
	run accelctl -j terminate pasid "$pasid"
	assert_success
	echo "$output" | jq -e '(.terminated | length) == 2 and all(.terminated[]; .state == "gone" and .zombie == false)'
	assert_equal "$(awk 'NR > 1' "$DEBUGFS/afu0/spa" | wc -l)" 0
	kill "$pid"
	wait "$pid"
}

@test "device add and del work under load" {
	accelctl run -t 4 --size 2M -c 2 >"$BATS_TEST_TMPDIR/load0" 2>/dev/null &
	load0=$!
	run accelctl device add afu1 --max-pe 16
	assert_success
	assert_output "afu1 added"
	run accelctl device add afu1
	assert_failure 1
	assert_output "accelctl: afu1 already exists"
	run accelctl -j device list
	echo "$output" | jq -e '[.devices[].device] == ["afu0","afu1"] and .devices[1].max_pe == 16'
	# a workload on afu1, then the device goes away under it
	for _ in $(seq 50); do [ -e /dev/accelsim/afu1 ] && break; sleep 0.1; done
	accelctl run -d afu1 -t 30 --size 1M >/dev/null 2>&1 &
	load1=$!
	sleep 1
	run accelctl device del 1
	assert_success
	assert_output "afu1 deleted"
	# the workload on the removed device stops with an error, promptly
	for _ in $(seq 100); do kill -0 "$load1" 2>/dev/null || break; sleep 0.1; done
	run kill -0 "$load1"
	assert_failure
	rc=0
	wait "$load1" || rc=$?
	[ "$rc" -ne 0 ]
	run accelctl device del 1
	assert_failure 3
	assert_output "accelctl: afu1 does not exist"
	# the load on afu0 was not disturbed
	wait "$load0"
	run cat "$BATS_TEST_TMPDIR/load0"
	assert_line '  integrity ok (0 mismatches)'
	assert_line '  errors    0'
	assert_kernel_untainted
}
