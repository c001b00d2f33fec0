#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# accelctl against the driver's TLBI, IRQ and terminate controls:
# zombies under hang-terminate, completion IRQs on eventfds, inject irq,
# and tlbi-delay.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	module_loaded || insmod "$ACCEL_MODULE"
	HOLD=
}

teardown() {
	accelctl inject hang-terminate off >/dev/null 2>&1 || true
	accelctl inject tlbi-delay 0 >/dev/null 2>&1 || true
	if [ -n "$HOLD" ]; then
		kill "$HOLD" 2>/dev/null || true
		wait "$HOLD" 2>/dev/null || true
	fi
}

@test "terminate under hang-terminate reports the zombie (exit 5)" {
	start_hold
	run accelctl inject hang-terminate on
	assert_success
	run accelctl terminate pe "$PE"
	assert_failure 5
	assert_output --partial "afu0 pe $PE pasid $PASID: ZOMBIE: the device did not confirm the terminate"
	run awk -v p="$PE" 'NR > 1 && $1 == p { print $5 }' "$DEBUGFS/afu0/spa"
	assert_output zombie
	run awk 'NR == 2 { print $12 }' "$DEBUGFS/afu0/info"
	assert_output 1
	run accelctl -j list
	echo "$output" | jq -e ".contexts[] | select(.pe == $PE) | .state == \"zombie\""
}

@test "run --irq: every completion IRQ reaches its eventfd" {
	before=$(awk '$1 == "irqs_fired" { print $3 }' "$DEBUGFS/afu0/stats")
	# 2 contexts x 512K in 256K descriptors x 2 iterations: 8 IRQs
	run --separate-stderr accelctl -j run --irq --size 1M -c 2 -n 2
	assert_success
	echo "$output" | jq -e '.irqs.expected == 8 and .irqs.received == 8'
	echo "$output" | jq -e '.device_stats_delta.irqs_fired == 8 and .integrity == "ok"'
	[ "$(awk '$1 == "irqs_fired" { print $3 }' "$DEBUGFS/afu0/stats")" -eq $((before + 8)) ]
	run --separate-stderr accelctl run --irq --size 256K
	assert_success
	assert_line '  irqs      1 received of 1 expected'
}

@test "inject irq fires an allocated IRQ; irqs and accelstat show it" {
	start_hold --irqs 4
	run awk -v p="$PE" 'NR > 1 && $1 == p { print $3, $4, $6 }' "$DEBUGFS/afu0/irqs"
	assert_output "$HWIRQ 4 0"
	run accelctl inject irq "$HWIRQ"
	assert_success
	run awk -v p="$PE" 'NR > 1 && $1 == p { print $6 }' "$DEBUGFS/afu0/irqs"
	assert_output 1
	accelstat --json | jq -e ".devices[0].irqs[] | select(.pe == $PE) | .irqs_fired == 1"
	run accelctl inject irq 65000
	assert_failure 1
	assert_output --partial "No such file or directory"
}

# slow_tlbis: TLBIs of afu0 that took 1 ms or more (log2 buckets >= 20)
slow_tlbis() {
	awk '$1 == "tlbi_lat_ns" && $2 >= 20 { n += $3 } END { print n + 0 }' \
		"$DEBUGFS/afu0/stats"
}

@test "tlbi-delay slows every TLBI, as the histogram shows" {
	run accelctl inject tlbi-delay 2ms
	assert_success
	run accelctl -j inject show
	echo "$output" | jq -e '.tlbi_delay_ns == "2000000"'
	slow0=$(slow_tlbis)
	tlbis0=$(awk '$1 == "tlbis" { print $3 }' "$DEBUGFS/afu0/stats")
	run --separate-stderr accelctl -j run --churn --size 512K -n 2
	assert_success
	echo "$output" | jq -e '.integrity == "ok" and .device_stats_delta.tlbis > 0'
	# every TLBI since (the run's, and its exit's) took the delay
	tlbis=$(($(awk '$1 == "tlbis" { print $3 }' "$DEBUGFS/afu0/stats") - tlbis0))
	[ "$tlbis" -gt 0 ]
	assert_equal "$(($(slow_tlbis) - slow0))" "$tlbis"
}
