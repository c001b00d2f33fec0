#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# accelstat --prometheus: valid text format, per-device and per-PASID
# labels, histograms, atomic -o, and accel_up 0 when the driver is absent.

load accelstat_helpers

prom() {
	local root=$1
	shift
	"$ACCELSTAT" --root "$root" --prometheus "$@" > "$BATS_TEST_TMPDIR/out.prom"
}

@test "prometheus: busy output is valid text format" {
	prom "$FIX/busy"
	run prom_check "$BATS_TEST_TMPDIR/out.prom"
	assert_success
	run grep -c '^# TYPE ' "$BATS_TEST_TMPDIR/out.prom"
	[ "$output" -ge 30 ]
}

@test "prometheus: multi-device and empty outputs are valid" {
	prom "$FIX/multi"
	run prom_check "$BATS_TEST_TMPDIR/out.prom"
	assert_success
	prom "$FIX/empty"
	run prom_check "$BATS_TEST_TMPDIR/out.prom"
	assert_success
	prom "$FIX/nodevices"
	run prom_check "$BATS_TEST_TMPDIR/out.prom"
	assert_success
	run grep -x 'accel_devices 0' "$BATS_TEST_TMPDIR/out.prom"
	assert_success
}

@test "prometheus: device gauges and counters carry device labels" {
	prom "$FIX/multi"
	run cat "$BATS_TEST_TMPDIR/out.prom"
	assert_line 'accel_up 1'
	assert_line 'accel_devices 3'
	assert_line 'accel_device_info{device="afu3",version="0.1.0",state="removing"} 1'
	assert_line 'accel_spa_used{device="afu0"} 3'
	assert_line 'accel_spa_max_pe{device="afu3"} 64'
	assert_line 'accel_irqs_used{device="afu0"} 16'
	assert_line 'accel_fault_oldest_age_seconds{device="afu0"} 0.0025'
	assert_line 'accel_faults_raised_total{device="afu0"} 1000'
	assert_line 'accel_faults_acked_address_error_total{device="afu1"} 0'
	assert_line 'accel_pasids{device="afu0",state="draining"} 1'
	assert_line '# TYPE accel_faults_raised_total counter'
	assert_line '# TYPE accel_spa_used gauge'
}

@test "prometheus: per-PASID and per-context series" {
	prom "$FIX/busy"
	run cat "$BATS_TEST_TMPDIR/out.prom"
	assert_line 'accel_pasid_refs{device="afu0",pasid="1",pid="1234",state="live"} 2'
	assert_line 'accel_pasid_outstanding{device="afu0",pasid="2"} 1'
	assert_line 'accel_context_faults_total{device="afu0",pe="0",pasid="1",pid="1234",comm="accelctl"} 128'
	assert_line 'accel_context_work_done_total{device="afu0",pe="2",pasid="3",pid="0",comm="[kernel]"} 7'
	assert_line 'accel_context_state{device="afu0",pe="1",state="active"} 1'
}

@test "prometheus: latency histograms in seconds, cumulative, +Inf = count" {
	prom "$FIX/busy"
	run cat "$BATS_TEST_TMPDIR/out.prom"
	assert_line '# TYPE accel_fault_latency_seconds histogram'
	# bucket 10 (1024..2048 ns) -> le 2.048e-06
	assert_line 'accel_fault_latency_seconds_bucket{device="afu0",le="2.048e-06"} 500'
	assert_line 'accel_fault_latency_seconds_bucket{device="afu0",le="8.192e-06"} 900'
	assert_line 'accel_fault_latency_seconds_bucket{device="afu0",le="0.000131072"} 990'
	assert_line 'accel_fault_latency_seconds_bucket{device="afu0",le="+Inf"} 998'
	assert_line 'accel_fault_latency_seconds_count{device="afu0"} 998'
	assert_line 'accel_tlbi_latency_seconds_count{device="afu0"} 50'
	assert_line 'accel_tlbi_latency_seconds_estimate{device="afu0",percentile="99"} 3.2768e-05'
}

@test "prometheus: -o writes the file atomically, mode 0644, no temp left" {
	out="$BATS_TEST_TMPDIR/textfile/accel.prom"
	mkdir -p "${out%/*}"
	echo stale > "$out"
	run "$ACCELSTAT" --root "$FIX/busy" --prometheus -o "$out"
	assert_success
	assert_output ''
	run prom_check "$out"
	assert_success
	run stat -c %a "$out"
	assert_output 644
	run ls -A "${out%/*}"
	assert_output 'accel.prom'
}

@test "prometheus: -o into a missing directory fails cleanly" {
	run "$ACCELSTAT" --root "$FIX/busy" --prometheus -o "$BATS_TEST_TMPDIR/nodir/accel.prom"
	assert_failure 1
	assert_output "accelstat: $BATS_TEST_TMPDIR/nodir/accel.prom: No such file or directory"
}

@test "prometheus: driver missing still writes accel_up 0, exit 3" {
	out="$BATS_TEST_TMPDIR/accel.prom"
	run "$ACCELSTAT" --root /nonexistent --prometheus -o "$out"
	assert_failure 3
	assert_output --partial 'accelstat: /nonexistent: No such file or directory'
	run grep -x 'accel_up 0' "$out"
	assert_success
	run prom_check "$out"
	assert_success
}

@test "prometheus: a malformed view gives accel_up 0 and exit 1" {
	run "$ACCELSTAT" --root "$FIX/truncated" --prometheus
	assert_failure 1
	assert_line 'accel_up 0'
	assert_line 'accelstat: afu0/spa:3: truncated line (no newline at end)'
}
