#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# accelstat --iommu and acceltop --iommu on the host: the output shapes
# (text, JSON, Prometheus checked by promtool) from a fixture reading
# (ACCEL_IOMMU_FIXTURE, tests/fixtures/iommu), and what the tools say when
# a source is missing. The real counts are tests/iommu/iommu_lat.bats'.

load accelstat_helpers
bats_require_minimum_version 1.5.0

ACCELTOP="$BATS_TEST_DIRNAME/../../cli/acceltop/acceltop"
TOP="$BATS_TEST_DIRNAME/../.."
IFIX=$FIX/iommu

setup() {
	unset ACCEL_IOMMU_FIXTURE ACCEL_TRACEFS
	# A tracefs with events but no intel_iommu: a kernel without it.
	NOTRACE=$BATS_TEST_TMPDIR/tracefs
	mkdir -p "$NOTRACE/events/sched"
}

@test "text: a row per unit and type with rate, submissions, p50, p99, then the histograms" {
	ACCEL_IOMMU_FIXTURE=$IFIX/window.txt run "$ACCELSTAT" --iommu 2
	assert_success
	assert_line --index 0 'IOMMU invalidations over 2.00 s (source fixture; counts: intel_iommu:qi_submit; latency: qi_submit_sync)'
	assert_line --index 1 --regexp '^UNIT +TYPE +DESCS +DESCS/S +SUBMITS +P50 +P99$'
	assert_line --index 2 --regexp '^dmar0 +iotlb +400 +200\.0 +400 +10\.9µs +16\.3µs$'
	assert_line --index 3 --regexp '^dmar0 +iec +3 +1\.5 +2 +3\.07µs +4\.10µs$'
	assert_line --index 4 --regexp '^dmar1 +pasid_iotlb +5 +2\.5 +0 +- +-$'
	assert_line 'dmar0 iotlb submission latency:'
	assert_line --regexp '^  \[ *8\.19µs, +16\.4µs\) +300 \|\*{40}\|$'
	assert_line --regexp '^  \[ *1\.02µs, +2\.05µs\) +100 \|\*{13} +\|$'
	run ! grep -q 'dmar1 pasid_iotlb submission latency' <<<"$output"
}

@test "JSON: schema_version 2, units by device, types, per-second rates, null percentiles, histograms" {
	local j
	ACCEL_IOMMU_FIXTURE=$IFIX/window.txt run --separate-stderr "$ACCELSTAT" --iommu 2 --json
	assert_success
	j=$output
	run jq -e '.schema_version == 2 and .tool == "accelstat" and
		.iommu.source == "fixture" and .iommu.window_ns == 2000000000 and
		.iommu.latency_measured == true and .iommu.missing == [] and
		.iommu.drops == 0 and ([.iommu.units[].device] == ["dmar0", "dmar1"])' <<<"$output"
	assert_success
	run jq -c '.iommu.units[0].invalidations[0] | del(.latency)' <<<"$j"
	assert_output '{"type":"iotlb","code":2,"descriptors":400,"descriptors_per_s":200,"submissions":400,"lat_sum_ns":4000000,"p50_lat_ns":10922,"p99_lat_ns":16274}'
	run jq -c '.iommu.units[0].invalidations[0].latency' <<<"$j"
	assert_output '[{"bucket":10,"lo_ns":1024,"hi_ns":2048,"count":100},{"bucket":13,"lo_ns":8192,"hi_ns":16384,"count":300}]'
	run jq -c '.iommu.units[1].invalidations[0] | [.type, .code, .p50_lat_ns, .p99_lat_ns, .latency]' <<<"$j"
	assert_output '["pasid_iotlb",6,null,null,[]]'
}

@test "Prometheus: accel_iommu_* families with HELP and TYPE, device and type labels; promtool passes" {
	local promtool
	promtool=$("$TOP/scripts/promtool.sh" --check-only) ||
		fail "no promtool: run 'make deps'"
	ACCEL_IOMMU_FIXTURE=$IFIX/window.txt "$ACCELSTAT" --iommu 2 --prometheus >"$BATS_TEST_TMPDIR/m"
	run "$promtool" check metrics <"$BATS_TEST_TMPDIR/m"
	assert_success
	run prom_check "$BATS_TEST_TMPDIR/m"
	assert_success
	run cat "$BATS_TEST_TMPDIR/m"
	assert_line 'accel_iommu_up 1'
	assert_line 'accel_iommu_window_seconds 2'
	assert_line 'accel_iommu_latency_measured 1'
	assert_line '# TYPE accel_iommu_descriptors gauge'
	assert_line 'accel_iommu_descriptors{device="dmar0",type="iotlb"} 400'
	assert_line 'accel_iommu_descriptors{device="dmar0",type="iec"} 3'
	assert_line 'accel_iommu_descriptors{device="dmar1",type="pasid_iotlb"} 5'
	assert_line '# TYPE accel_iommu_submit_latency_seconds histogram'
	assert_line 'accel_iommu_submit_latency_seconds_bucket{device="dmar0",type="iotlb",le="2.048e-06"} 100'
	assert_line 'accel_iommu_submit_latency_seconds_bucket{device="dmar0",type="iotlb",le="+Inf"} 400'
	assert_line 'accel_iommu_submit_latency_seconds_count{device="dmar0",type="iotlb"} 400'
	assert_line 'accel_iommu_submit_latency_seconds_sum{device="dmar0",type="iotlb"} 0.004'
	assert_line 'accel_iommu_submit_latency_seconds_estimate{device="dmar0",type="iotlb",percentile="99"} 1.62747733e-05'
	# -o writes the same file atomically.
	ACCEL_IOMMU_FIXTURE=$IFIX/window.txt run "$ACCELSTAT" --iommu 2 --prometheus -o "$BATS_TEST_TMPDIR/o.prom"
	assert_success
	run diff "$BATS_TEST_TMPDIR/m" "$BATS_TEST_TMPDIR/o.prom"
	assert_success
}

@test "a source that counts but cannot time: said on stderr and in each output, counts still shown" {
	ACCEL_IOMMU_FIXTURE=$IFIX/nolatency.txt run --separate-stderr "$ACCELSTAT" --iommu 1
	assert_success
	assert_equal "$stderr" 'accelstat: IOMMU: qi_submit_sync not timed (fixture)'
	assert_line --index 0 --partial 'latency: not measured)'
	assert_line --index 1 '  not measured: qi_submit_sync not timed (fixture)'
	assert_line --regexp '^dmar0 +iotlb +7 +7\.0 +0 +- +-$'
	ACCEL_IOMMU_FIXTURE=$IFIX/nolatency.txt run --separate-stderr "$ACCELSTAT" --iommu 1 --json
	assert_success
	run jq -c '.iommu | [.latency_measured, .missing, .units[0].invalidations[0].descriptors]' <<<"$output"
	assert_output '[false,["qi_submit_sync not timed (fixture)"],7]'
	ACCEL_IOMMU_FIXTURE=$IFIX/nolatency.txt run --separate-stderr "$ACCELSTAT" --iommu 1 --prometheus
	assert_success
	assert_line 'accel_iommu_latency_measured 0'
	refute_output --partial 'accel_iommu_submit_latency_seconds'
}

@test "no intel_iommu:qi_submit tracepoint: the tools say which and go on (accelstat exit 3, acceltop without the panel)" {
	ACCEL_TRACEFS=$NOTRACE run --separate-stderr "$ACCELSTAT" --iommu 0.1
	assert_failure 3
	assert_output ''
	assert_equal "$stderr" "accelstat: IOMMU invalidations not measured: no intel_iommu:qi_submit tracepoint ($NOTRACE/events/intel_iommu/qi_submit missing: a kernel without CONFIG_INTEL_IOMMU)"
	ACCEL_TRACEFS=$NOTRACE run --separate-stderr "$ACCELSTAT" --iommu 0.1 --json
	assert_failure 3
	run jq -r '.iommu.error' <<<"$output"
	assert_output --partial 'no intel_iommu:qi_submit tracepoint'
	ACCEL_TRACEFS=$NOTRACE run --separate-stderr "$ACCELSTAT" --iommu 0.1 --prometheus
	assert_failure 3
	assert_line 'accel_iommu_up 0'
	ACCEL_TRACEFS=$NOTRACE run --separate-stderr "$ACCELTOP" -b -n 1 --source=debugfs --root "$FIX/busy" --iommu
	assert_success
	assert_equal "$stderr" "acceltop: IOMMU panel off: no intel_iommu:qi_submit tracepoint ($NOTRACE/events/intel_iommu/qi_submit missing: a kernel without CONFIG_INTEL_IOMMU)"
	assert_line --regexp '^iommu: off: no intel_iommu:qi_submit tracepoint'
	assert_line --partial 'afu0'
	ACCEL_TRACEFS=$NOTRACE run --separate-stderr "$ACCELTOP" --json -n 1 --source=debugfs --root "$FIX/busy" --iommu
	assert_success
	run jq -r '.iommu.error' <<<"$output"
	assert_output --partial 'no intel_iommu:qi_submit tracepoint'
}

@test "a bad fixture is named with its line" {
	ACCEL_IOMMU_FIXTURE=$IFIX/bad.txt run --separate-stderr "$ACCELSTAT" --iommu 0.1
	assert_failure 3
	assert_equal "$stderr" "accelstat: IOMMU invalidations not measured: $IFIX/bad.txt: line 1: 'dmar0 iotlb 7'"
}

@test "usage: --iommu takes seconds and applies to the text, --json and --prometheus only" {
	run "$ACCELSTAT" --iommu 0
	assert_failure 2
	assert_output --partial '--iommu needs a number of seconds (0.01 to 86400)'
	run "$ACCELSTAT" --iommu x
	assert_failure 2
	run "$ACCELSTAT" --iommu 1 -i 1
	assert_failure 2
	assert_output --partial '--iommu applies to the text, --json and --prometheus only'
	run "$ACCELSTAT" --iommu 1 --check
	assert_failure 3
	run "$ACCELSTAT" --iommu 1 -c
	assert_failure 2
}

@test "acceltop --iommu: batch rows per unit and type, and the JSON member, from the fixture" {
	ACCEL_IOMMU_FIXTURE=$IFIX/window.txt run --separate-stderr "$ACCELTOP" -b -n 2 -i 0.2 --source=debugfs --root "$FIX/busy" --iommu
	assert_success
	assert_equal "$stderr" ''
	assert_line --regexp '^IOMMU UNIT +TYPE +DESCS +DESCS/S +TOTAL +P50 +P99$'
	# The first refresh has the window, the second nothing new.
	assert_line --regexp '^IOMMU dmar0 +iotlb +400 +[0-9.]+ +400 +10\.9µs +16\.3µs$'
	assert_line --regexp '^IOMMU dmar0 +iotlb +0 +0\.0 +400 +- +-$'
	assert_line --regexp '^IOMMU dmar1 +pasid_iotlb +5 +[0-9.]+ +5 +- +-$'
	ACCEL_IOMMU_FIXTURE=$IFIX/window.txt run --separate-stderr "$ACCELTOP" --json -n 1 --source=debugfs --root "$FIX/busy" --iommu
	assert_success
	run jq -c '.iommu | [.source, .latency_measured, [.units[].device],
		(.units[0].invalidations[0] | [.type, .descriptors, .descriptors_total,
		 .submissions_total, .p50_lat_ns, ([.latency_total[].count] | add)])]' <<<"$output"
	assert_output '["fixture",true,["dmar0","dmar1"],["iotlb",400,400,400,10922,400]]'
	# Without --iommu, no panel and no member.
	run "$ACCELTOP" --json -n 1 --source=debugfs --root "$FIX/busy"
	assert_success
	run jq -e 'has("iommu") | not' <<<"$output"
	assert_success
}
