#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# accelstat snapshot mode: the per-device summary, the -c/-p/-f/-q tables,
# -d selection and --json, against fixture debugfs trees.

load accelstat_helpers

@test "snapshot: busy device summary shows every figure" {
	run "$ACCELSTAT" --root "$FIX/busy"
	assert_success
	assert_line --index 0 'afu0: online, driver 0.1.0, max_pe 8, pasid_bits 20, irq_budget 64, atc_entries 64'
	assert_line --regexp '^  spa +3/8 used \(37\.5%\), 0 zombies, 1 kernel$'
	assert_line --regexp '^  pasids +2 live, 1 draining, 0 free-pending$'
	assert_line --regexp '^  faults +2 pending \(1 held\), oldest 2\.50ms; 998 acked, 0\.8% address_error$'
	assert_line --regexp '^  irqs +16/64 used \(25\.0%\)$'
	assert_output --partial 'faults_raised 1000'
	assert_output --partial 'bytes 1052672'
	assert_line --regexp '^  fault lat p50 2\.05µs  p90 8\.18µs  p99 130µs  \(998 samples\)$'
	assert_line --regexp '^  tlbi lat +p50 416ns  p90 24\.6µs  p99 32\.8µs  \(50 samples\)$'
}

@test "snapshot: empty device has no latency samples" {
	run "$ACCELSTAT" --root "$FIX/empty"
	assert_success
	assert_line --regexp '^  spa +0/512 used \(0\.0%\)'
	assert_line --regexp '^  fault lat no samples$'
	assert_line --regexp '^  tlbi lat +no samples$'
	refute_output --partial 'oldest'
}

@test "snapshot: ACCEL_DEBUGFS is used when --root is absent" {
	ACCEL_DEBUGFS="$FIX/full_spa" run "$ACCELSTAT"
	assert_success
	assert_line --regexp '^  spa +4/4 used \(100\.0%\)'
	# --root wins over the environment
	ACCEL_DEBUGFS="$FIX/full_spa" run "$ACCELSTAT" --root "$FIX/empty"
	assert_line --regexp '^  spa +0/512 used'
}

@test "snapshot: multi-device tree lists devices in order" {
	run "$ACCELSTAT" --root "$FIX/multi"
	assert_success
	run bash -c "'$ACCELSTAT' --root '$FIX/multi' | grep -E '^afu[0-9]+:' | cut -d: -f1 | tr '\n' ' '"
	assert_output 'afu0 afu1 afu3 '
	run "$ACCELSTAT" --root "$FIX/multi"
	assert_line 'afu3: removing, driver 0.1.0, max_pe 64, pasid_bits 20, irq_budget 128, atc_entries 64'
}

@test "snapshot: -d picks one device, as afuN or N" {
	run "$ACCELSTAT" --root "$FIX/multi" -d afu3
	assert_success
	assert_line --index 0 --partial 'afu3: removing'
	refute_output --partial 'afu0:'
	run "$ACCELSTAT" --root "$FIX/multi" -d 1
	assert_success
	assert_line --index 0 --partial 'afu1: online'
	refute_output --partial 'afu3'
}

@test "snapshot: -d on a missing device fails with exit 1" {
	run "$ACCELSTAT" --root "$FIX/multi" -d afu2
	assert_failure 1
	assert_output "accelstat: device afu2 not found under $FIX/multi"
}

@test "snapshot: -c lists SPA rows" {
	run "$ACCELSTAT" --root "$FIX/busy" -c
	assert_success
	assert_line --index 0 --regexp '^DEV +PE +PASID +PID +COMM +STATE +K +FAULTS +TLBIS +IRQS +WORK +BYTES$'
	assert_line --index 1 --regexp '^afu0 +0 +1 +1234 accelctl +active +0 +128 +4 +2 +10 +1\.00MiB$'
	assert_line --index 3 --regexp '^afu0 +2 +3 +0 \[kernel\] +active +1 +5 +0 +0 +7 +8\.00KiB$'
	assert_equal "${#lines[@]}" 4
}

@test "snapshot: -p lists PASIDs, ignoring an unknown extra column" {
	run "$ACCELSTAT" --root "$FIX/busy" -p
	assert_success
	assert_line --index 0 --regexp '^DEV +PASID +PID +REFS +OUTSTANDING +STATE +KIND$'
	assert_line --index 2 --regexp '^afu0 +2 +1300 +0 +1 draining +-$'
	refute_output --partial 'future_col'
	assert_equal "${#lines[@]}" 4
}

@test "snapshot: -f lists pending faults with their age" {
	run "$ACCELSTAT" --root "$FIX/stale_faults" -f
	assert_success
	assert_line --index 1 --regexp '^afu0 +17 +0 +1 0x7f12a4001000 +write +pending +6\.00s$'
	assert_line --index 3 --regexp '^afu0 +19 +4 +2 0x400000 +read +resolving +1\.20s$'
}

@test "snapshot: -q lists IRQ ranges" {
	run "$ACCELSTAT" --root "$FIX/busy" -q
	assert_success
	assert_line --index 0 --regexp '^DEV +PE +PASID +HWIRQ +COUNT +EVENTFDS +FIRED$'
	assert_line --index 1 --regexp '^afu0 +0 +1 +0 +4 +1 +37$'
	assert_line --index 2 --regexp '^afu0 +1 +1 +4 +12 +0 +0$'
}

@test "snapshot: tables combine, in -c -p -f -q order, across devices" {
	run "$ACCELSTAT" --root "$FIX/multi" -q -c
	assert_success
	assert_line --index 0 --partial 'COMM'
	assert_line --index 4 --partial 'HWIRQ'
	run "$ACCELSTAT" --root "$FIX/multi" -c -d afu1
	assert_equal "${#lines[@]}" 1
}

@test "snapshot: no devices under the root" {
	run "$ACCELSTAT" --root "$FIX/nodevices"
	assert_success
	assert_output "no accelsim devices under $FIX/nodevices"
}

@test "json: parses with jq and carries schema_version 2" {
	run bash -c "'$ACCELSTAT' --root '$FIX/busy' --json | jq -e .schema_version"
	assert_success
	assert_output 2
}

@test "json: numbers are numbers, units are in the keys" {
	out=$("$ACCELSTAT" --root "$FIX/busy" --json)
	run jq -r '.devices[0] | [.spa.used, .spa.used_pct, .fault_summary.oldest_age_ns,
		.latency.p99_tlbi_lat_ns, .latency.fault_lat_samples, .counters.bytes,
		.irq_budget.used_pct] | map(type) | unique | join(",")' <<<"$out"
	assert_output number
	run jq -r '.devices[0] | "\(.spa.used) \(.spa.used_pct) \(.fault_summary.oldest_age_ns) \(.latency.p99_tlbi_lat_ns) \(.counters.bytes) \(.fault_summary.error_pct)"' <<<"$out"
	assert_output '3 37.5 2500000 32768 1052672 0.802'
}

@test "json: rows of every view are included" {
	out=$("$ACCELSTAT" --root "$FIX/busy" --json)
	run jq -c '.devices[0] | [(.contexts|length), (.pasids|length), (.faults|length), (.irqs|length), (.histograms.fault_lat_ns|length)]' <<<"$out"
	assert_output '[3,3,2,2,4]'
	run jq -c '.devices[0].faults[0]' <<<"$out"
	assert_output '{"id":17,"pe":0,"pasid":1,"address":"0x7f12a4001000","access":"write","state":"pending","age_ns":52311}'
	run jq -c '.devices[0].contexts[2] | [.comm, .kernel, .bytes]' <<<"$out"
	assert_output '["[kernel]",true,8192]'
}

@test "json: empty histograms give null percentiles" {
	run bash -c "'$ACCELSTAT' --root '$FIX/empty' --json | jq -c '.devices[0].latency'"
	assert_success
	assert_output '{"fault_lat_samples":0,"p50_fault_lat_ns":null,"p90_fault_lat_ns":null,"p99_fault_lat_ns":null,"tlbi_lat_samples":0,"p50_tlbi_lat_ns":null,"p90_tlbi_lat_ns":null,"p99_tlbi_lat_ns":null}'
}

@test "json: multi-device and -d selection" {
	run bash -c "'$ACCELSTAT' --root '$FIX/multi' --json | jq -r '[.devices[].device] | join(\" \")'"
	assert_output 'afu0 afu1 afu3'
	run bash -c "'$ACCELSTAT' --root '$FIX/multi' -d 3 --json | jq -r '[.devices[] | \"\(.device) \(.state)\"] | join(\",\")'"
	assert_output 'afu3 removing'
	run bash -c "'$ACCELSTAT' --root '$FIX/nodevices' --json | jq -c .devices"
	assert_output '[]'
}
