#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# accelstat against the real driver: counts match a known workload and
# injected faults, --check follows a held fault, and a missing driver gives
# a clear error. Runs in the guest (tests/vm/run).

load helpers
WAIT_TRIES=300
# For prom_check. It points ACCEL_DEBUGFS away from any real driver, which
# is right on the host and wrong here.
load ../host/accelstat_helpers
unset ACCEL_DEBUGFS
bats_require_minimum_version 1.5.0

PATH=$PATH:/accel/tests/progs
DEV=7

setup() {
	# A device of its own, so nothing else moves its counters.
	echo "$DEV 64 128" >"$SYSFS/new_device"
	echo 1 >"$TRACEFS/events/accelsim/enable"
	echo >"$TRACEFS/trace"
}

teardown() {
	[ -n "${apid:-}" ] && kill "$apid" 2>/dev/null && wait "$apid" 2>/dev/null
	echo 0 >"$TRACEFS/events/accelsim/enable"
	if [ -e "$DEBUGFS/afu$DEV" ]; then
		echo 0 >"$SYSFS/devices/afu$DEV/inject/hold_faults"
		echo "$DEV" >"$SYSFS/del_device"
	fi
	true
}

# counter NAME: the device's counter from accelstat --json.
counter() {
	accelstat -d "afu$DEV" --json | jq -r ".devices[0].counters.$1"
}

@test "accelstat --json counts match a known workload and the trace" {
	local names n before after
	names="attaches detaches faults_raised faults_acked_restart faults_acked_address_error work_done bytes"
	declare -A before
	for n in $names; do before[$n]=$(counter "$n"); done

	run asim_copy -d "$DEV" -s 4M
	assert_success

	declare -A after
	for n in $names; do after[$n]=$(counter "$n"); done
	assert_equal "$((after[attaches] - before[attaches]))" 1
	assert_equal "$((after[detaches] - before[detaches]))" 1
	assert_equal "$((after[work_done] - before[work_done]))" 1
	assert_equal "$((after[bytes] - before[bytes]))" 4194304
	assert_equal "$((after[faults_acked_address_error] - before[faults_acked_address_error]))" 0
	# Never-touched source and destination: the device faulted (the mm's
	# fault-around may map several source pages per fault), and every
	# fault was acked RESTART.
	local raised=$((after[faults_raised] - before[faults_raised]))
	[ "$raised" -gt 0 ]
	assert_equal "$((after[faults_acked_restart] - before[faults_acked_restart]))" "$raised"
	# The same number of fault events for this device in the trace. If
	# not, bats shows what follows: the buffer's size, whether it lost
	# events, and what it holds.
	cat "$TRACEFS/buffer_size_kb" "$TRACEFS"/per_cpu/cpu*/stats
	grep -o ' [a-z_]*: .*dev=[0-9]* ' "$TRACEFS/trace" |
		sed 's/: .*dev=/ dev=/' | sort | uniq -c
	assert_equal "$(grep -c " fault: .*dev=$DEV " "$TRACEFS/trace")" "$raised"
	# And the histogram holds every one of them.
	run accelstat -d "afu$DEV" --json
	assert_equal "$(jq '.devices[0].latency.fault_lat_samples' <<<"$output")" "$raised"
	jq . <<<"$output" >/dev/null
}

@test "accelstat shows a live context, its PASID and its process" {
	start_attach -d "$DEV"
	local pasid pe
	pasid=$(field pasid "$(grep '^attach' "$out")")
	pe=$(field pe "$(grep '^attach' "$out")")
	run accelstat -d "afu$DEV" -c --json
	assert_success
	assert_equal "$(jq '.devices[0].contexts | length' <<<"$output")" 1
	assert_equal "$(jq '.devices[0].contexts[0].pid' <<<"$output")" "$apid"
	assert_equal "$(jq '.devices[0].contexts[0].pasid' <<<"$output")" "$pasid"
	assert_equal "$(jq '.devices[0].contexts[0].pe' <<<"$output")" "$pe"
	run accelstat -d "afu$DEV" -p
	assert_success
	assert_output --regexp "[[:space:]]$pasid[[:space:]]+$apid[[:space:]].*live"
	run accelstat -d "afu$DEV" --json
	assert_equal "$(jq '.devices[0].spa.used' <<<"$output")" 1
	assert_equal "$(jq '.devices[0].pasid_states.live' <<<"$output")" 1
}

@test "injected faults on unmapped addresses count as address errors" {
	start_attach -d "$DEV"
	local pasid before i
	pasid=$(field pasid "$(grep '^attach' "$out")")
	before=$(counter faults_acked_address_error)
	for i in 1 2 3; do
		echo "$pasid 0x$((i * 1000)) write" >"$SYSFS/devices/afu$DEV/inject/fault"
	done
	wait_until only_header "$DEBUGFS/afu$DEV/faults"
	assert_equal "$(($(counter faults_acked_address_error) - before))" 3
	run accelstat -d "afu$DEV" --json
	[ "$(jq '.devices[0].fault_summary.error_pct > 0' <<<"$output")" = true ]
	# The health check sees the error rate.
	run accelstat --check -d "afu$DEV" --crit fault_error_rate=1%
	assert_failure 2
	assert_output --regexp '^ACCEL CRITICAL - .*error'
}

@test "--check goes CRITICAL under hold_faults with an old fault, OK after release" {
	# Only the fault age decides here: a held fault's latency would also
	# trip the p99 thresholds, which have tests of their own.
	local off=(--warn fault_p99=off,tlbi_p99=off --crit fault_p99=off,tlbi_p99=off)
	echo 1 >"$SYSFS/devices/afu$DEV/inject/hold_faults"
	start_attach -d "$DEV" -b 1
	wait_until grep -q ' held ' "$DEBUGFS/afu$DEV/faults"
	sleep 5.5
	run accelstat --check -d "afu$DEV" "${off[@]}"
	assert_failure 2
	assert_output --regexp '^ACCEL CRITICAL - afu'"$DEV"' oldest pending fault age [0-9.]+s > crit 5'
	assert_equal "${#lines[@]}" 1
	echo 0 >"$SYSFS/devices/afu$DEV/inject/hold_faults"
	wait_until only_header "$DEBUGFS/afu$DEV/faults"
	run accelstat --check -d "afu$DEV" "${off[@]}"
	assert_success
	assert_output --regexp '^ACCEL OK - '
}

@test "--check returns to OK once an incident has left the window, no reload" {
	# Issue 22: the p99s were judged since module load, so an incident
	# kept the check CRITICAL until the module was reloaded. A 15 s
	# window here (5 minutes by default); the readings go to a state
	# directory of the test's own.
	local w=(-d "afu$DEV" --config=/dev/null --window=15s
		--state-dir="$BATS_TEST_TMPDIR/state")
	local ino
	ino=$(stat -c %i "$DEBUGFS/afu$DEV")
	# t0: the new device is idle and OK.
	run accelstat --check "${w[@]}"
	assert_success
	assert_output --regexp '^ACCEL OK - 1 device, 0 contexts, 0 pending faults \|'
	# t1: three faults on unmapped addresses, held longer than the
	# CRITICAL age (5 s).
	echo 1 >"$SYSFS/devices/afu$DEV/inject/hold_faults"
	start_attach -d "$DEV"
	local pasid i
	pasid=$(field pasid "$(grep '^attach' "$out")")
	for i in 1 2 3; do
		echo "$pasid 0x$((i * 1000)) write" >"$SYSFS/devices/afu$DEV/inject/fault"
	done
	wait_until grep -q ' held ' "$DEBUGFS/afu$DEV/faults"
	sleep 5.5
	run accelstat --check "${w[@]}"
	assert_failure 2
	assert_output --regexp '^ACCEL CRITICAL - afu'"$DEV"' oldest pending fault age [0-9.]+s > crit 5'
	# t2: released (acked address_error after 5 s and more) and the
	# workload gone. Judged since the device was created while no reading
	# is a window old (about 8 s after t0 here; on the debug kernel the
	# t0 reading can already be a window old: "last 16s").
	echo 0 >"$SYSFS/devices/afu$DEV/inject/hold_faults"
	wait_until only_header "$DEBUGFS/afu$DEV/faults"
	kill "$apid"
	finishes "$apid" 10
	apid=
	sleep 1
	# (A TLBI that waited for the held faults may be slow too: ";" then.)
	local incident='faults acked address_error 100% > crit 5% \(WHEN\); afu'"$DEV"' p99 fault latency [0-9.]+s > crit 100ms \(WHEN\)[ ;]'
	run accelstat --check "${w[@]}"
	assert_failure 2
	assert_output --regexp "^ACCEL CRITICAL - afu$DEV ${incident//WHEN/(since load|last [0-9]+s)}"
	# t3 = t2 + 9 s: the t0 (or t1) reading is a window old, the t2 one
	# not yet; the acks of the held faults are in the window.
	sleep 9
	run accelstat --check "${w[@]}"
	assert_failure 2
	assert_output --regexp "^ACCEL CRITICAL - afu$DEV ${incident//WHEN/last [0-9]+s}"
	# t4 = t3 + 16 s: idle for a whole window since the t3 reading. OK,
	# with nothing left to judge in the window, and no module reload.
	sleep 16
	run accelstat --check "${w[@]}"
	assert_success
	assert_output --regexp '^ACCEL OK - 1 device, 0 contexts, 0 pending faults \|'
	assert_output --partial "afu${DEV}_fault_p99=U;"
	assert_output --partial "afu${DEV}_fault_error_rate=0%;"
	assert_equal "$(stat -c %i "$DEBUGFS/afu$DEV")" "$ino"
	# The cumulative views did not change: the p99 since load is 5 s+.
	run accelstat --check "${w[@]}" --window=off
	assert_failure 2
	assert_output --regexp 'p99 fault latency [0-9.]+s > crit 100ms \(since load\)'
	# Nor did --prometheus: cumulative, faults of 4.3 s and more in it.
	local prom lo all
	prom=$(accelstat --prometheus -d "afu$DEV")
	lo=$(awk -v s="accel_fault_latency_seconds_bucket{device=\"afu$DEV\",le=\"4.294967296\"}" '$1 == s { print $2 }' <<<"$prom")
	all=$(awk -v s="accel_fault_latency_seconds_count{device=\"afu$DEV\"}" '$1 == s { print $2 }' <<<"$prom")
	[ -n "$lo" ]
	[ "$all" -gt "$lo" ]
}

@test "--json and --prometheus of the live driver parse" {
	start_attach -d "$DEV" -b 1
	run accelstat --json
	assert_success
	jq -e '.schema_version == 2' <<<"$output"
	accelstat --prometheus -o "$BATS_TEST_TMPDIR/accel.prom"
	run prom_check "$BATS_TEST_TMPDIR/accel.prom"
	assert_success
	run grep -c "device=\"afu$DEV\"" "$BATS_TEST_TMPDIR/accel.prom"
	[ "$output" -gt 0 ]
}

@test "no module loaded: one-line errors, never a crash" {
	echo "$DEV" >"$SYSFS/del_device"
	rmmod accelsim
	run accelstat
	assert_equal "$status" 3
	assert_equal "${#lines[@]}" 1
	assert_output --partial "modprobe accelsim"
	run accelstat --check
	assert_equal "$status" 2
	assert_output --regexp '^ACCEL CRITICAL - '
	run accelstat --root /nonexistent
	assert_equal "$status" 3
	assert_equal "${#lines[@]}" 1
	insmod "$ACCEL_MODULE"
}

@test "comms that are not ASCII: UTF-8 stays whole in the spa view, other bytes become ?" {
	local d=$BATS_TEST_TMPDIR n name comms pids=()
	# "świat"; Latin-1 é, then 0xff 0x80; "ś" cut after its first byte
	local names=("świat" $'caf\xe9-\xff\x80x' "aaaaaaaaaaaaaaś")
	for name in "${names[@]}"; do
		cp /accel/tests/progs/asim_attach "$d/$name"
		"$d/$name" -w -d "$DEV" >"$d/out.${#pids[@]}" 2>&1 &
		pids+=($!)
	done
	for ((n = 0; n < ${#pids[@]}; n++)); do
		wait_until grep -q '^ready$' "$d/out.$n"
	done
	comms=$(awk 'NR > 1 { print $4 }' "$DEBUGFS/afu$DEV/spa")
	accelstat -d "afu$DEV" --prometheus >"$d/prom"
	kill "${pids[@]}"
	wait "${pids[@]}" || true
	run sort <<<"$comms"
	assert_output "$(printf '%s\n' 'aaaaaaaaaaaaaa?' 'caf?-??x' 'świat' | sort)"
	run prom_check "$d/prom"
	assert_success
	run grep -c 'comm="świat"' "$d/prom"
	assert_output 4
}
