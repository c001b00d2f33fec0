#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# The Prometheus format checker used by the accelstat suites must itself
# reject what Prometheus rejects, or its passes mean nothing.

load accelstat_helpers

check_text() {
	printf '%s\n' "$@" > "$BATS_TEST_TMPDIR/m.prom"
	run prom_check "$BATS_TEST_TMPDIR/m.prom"
}

@test "promcheck: accepts a valid gauge and histogram" {
	check_text '# HELP a_b A.' '# TYPE a_b gauge' 'a_b{x="1"} 2' \
		'# TYPE h histogram' 'h_bucket{le="0.1"} 1' 'h_bucket{le="+Inf"} 3' 'h_count 3'
	assert_success
}

@test "promcheck: rejects a sample without TYPE" {
	check_text 'a_b 1'
	assert_failure
	assert_output --partial 'sample without TYPE'
}

@test "promcheck: rejects bad names, labels, values" {
	check_text '# TYPE a gauge' '1a 1'
	assert_failure
	check_text '# TYPE a gauge' 'a{x=1} 1'
	assert_failure
	assert_output --partial 'bad label'
	check_text '# TYPE a gauge' 'a{x="1} 1'
	assert_failure
	check_text '# TYPE a gauge' 'a{x="\q"} 1'
	assert_output --partial 'bad escape'
	check_text '# TYPE a gauge' 'a 1.2.3'
	assert_output --partial 'bad value'
	check_text '# TYPE a gauge' 'a{x="1",x="2"} 1'
	assert_output --partial 'label twice'
}

@test "promcheck: rejects split families and duplicates" {
	check_text '# TYPE a gauge' '# TYPE b gauge' 'a 1' 'b 1' 'a{x="2"} 1'
	assert_failure
	assert_output --partial 'not contiguous'
	check_text '# TYPE a gauge' 'a{x="1"} 1' 'a{x="1"} 2'
	assert_output --partial 'duplicate series'
	check_text '# TYPE a gauge' '# TYPE a counter'
	assert_output --partial 'second TYPE'
}

@test "promcheck: rejects broken histograms" {
	check_text '# TYPE h histogram' 'h_bucket{le="1"} 5' 'h_bucket{le="2"} 4' 'h_bucket{le="+Inf"} 5' 'h_count 5'
	assert_failure
	assert_output --partial 'not cumulative'
	check_text '# TYPE h histogram' 'h_bucket{le="1"} 5' 'h_bucket{le="+Inf"} 6' 'h_count 5'
	assert_output --partial '+Inf bucket != _count'
	check_text '# TYPE h histogram' 'h_bucket{le="2e-09"} 1' 'h_bucket{le="1e-09"} 1' 'h_bucket{le="+Inf"} 1' 'h_count 1'
	assert_output --partial 'le not increasing'
	check_text '# TYPE h histogram' 'h_bucket 5'
	assert_output --partial 'bucket without le'
	check_text '# TYPE h histogram' 'h_bucket{le="1"} 5' 'h_count 5'
	assert_output --partial 'without +Inf'
}
