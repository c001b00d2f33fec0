// SPDX-License-Identifier: MIT
/* Unit tests: the "stats" view parser (counters and histograms). */
#include "unit.h"

#define COUNTERS \
	"name bucket value\n" \
	"attaches - 12\ndetaches - 9\nfaults_raised - 1000\n" \
	"faults_acked_restart - 990\nfaults_acked_address_error - 8\n" \
	"tlbis - 50\natc_invalidations - 200\natc_hits - 5000\n" \
	"atc_misses - 300\nirqs_fired - 37\nwork_submitted - 120\n" \
	"work_done - 115\nwork_failed - 3\nbytes - 18446744073709551615\n" \
	"afu_errors - 1\n"

static void test_stats_ok(void **state)
{
	struct accel_stats st;
	struct accel_err err;

	assert_int_equal(PARSE(accel_parse_stats, COUNTERS
		"fault_lat_ns 0 3\nfault_lat_ns 10 5\nfault_lat_ns 63 1\n"
		"tlbi_lat_ns 8 40\n", &st, &err), 0);
	assert_int_equal(st.counter[ACCEL_C_ATTACHES], 12);
	assert_int_equal(st.counter[ACCEL_C_FAULTS_ACKED_ADDRESS_ERROR], 8);
	assert_true(st.counter[ACCEL_C_BYTES] == UINT64_MAX);
	assert_int_equal(st.counter[ACCEL_C_AFU_ERRORS], 1);
	assert_int_equal(st.fault_lat.bucket[0], 3);
	assert_int_equal(st.fault_lat.bucket[10], 5);
	assert_int_equal(st.fault_lat.bucket[63], 1);
	assert_int_equal(st.fault_lat.count, 9);
	assert_int_equal(st.tlbi_lat.bucket[8], 40);
	assert_int_equal(st.tlbi_lat.count, 40);
}

static void test_stats_future_rows(void **state)
{
	struct accel_stats st;
	struct accel_err err;

	/* New counters and histograms are skipped, not refused. */
	assert_int_equal(PARSE(accel_parse_stats, COUNTERS
		"pasid_recycles - 4\nwork_lat_ns 3 9\nfault_lat_ns 1 2\n",
		&st, &err), 0);
	assert_int_equal(st.fault_lat.count, 2);
	assert_int_equal(st.counter[ACCEL_C_DETACHES], 9);
}

static void test_stats_missing_counter(void **state)
{
	struct accel_stats st;
	struct accel_err err;

	assert_int_equal(PARSE(accel_parse_stats,
		"name bucket value\nattaches - 1\n", &st, &err), -EINVAL);
	assert_err(&err, "afu0/view: missing counter 'detaches'");
	assert_int_equal(PARSE(accel_parse_stats, "name value\n", &st, &err),
			 -EINVAL);
	assert_err(&err, "afu0/view:1: missing column 'bucket' in header "
		   "(unknown format?)");
}

static void test_stats_bad_rows(void **state)
{
	struct accel_stats st;
	struct accel_err err;

	assert_int_equal(PARSE(accel_parse_stats, COUNTERS
		"fault_lat_ns 64 1\n", &st, &err), -EINVAL);
	assert_err(&err, "afu0/view:17: bad bucket '64' (0..63)");
	assert_int_equal(PARSE(accel_parse_stats, COUNTERS
		"tlbi_lat_ns x 1\n", &st, &err), -EINVAL);
	assert_err(&err, "afu0/view:17: bad bucket 'x'");
	assert_int_equal(PARSE(accel_parse_stats, COUNTERS
		"tlbi_lat_ns 3 1\ntlbi_lat_ns 3 2\n", &st, &err), -EINVAL);
	assert_err(&err, "afu0/view:18: bucket 3 twice");
	assert_int_equal(PARSE(accel_parse_stats, COUNTERS "attaches - 1\n",
			       &st, &err), -EINVAL);
	assert_err(&err, "afu0/view:17: counter attaches twice");
	assert_int_equal(PARSE(accel_parse_stats,
		"name bucket value\nattaches - 1.0\n", &st, &err), -EINVAL);
	assert_err(&err, "afu0/view:2: bad attaches '1.0'");
	assert_int_equal(PARSE(accel_parse_stats, COUNTERS "fault_lat_ns 3",
			       &st, &err), -EINVAL);
	assert_err(&err, "afu0/view:17: truncated line (no newline at end)");
	assert_int_equal(PARSE(accel_parse_stats, COUNTERS
		"pasid_recycles x 4\n", &st, &err), -EINVAL);
	assert_err(&err, "afu0/view:17: bad bucket 'x'");
}

static void test_stats_bad_dash_histogram(void **state)
{
	struct accel_stats st;
	struct accel_err err;

	/* a histogram row with "-" is an unknown counter, so skipped */
	assert_int_equal(PARSE(accel_parse_stats, COUNTERS
		"fault_lat_ns - 1\n", &st, &err), 0);
	assert_int_equal(st.fault_lat.count, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stats_ok),
		cmocka_unit_test(test_stats_future_rows),
		cmocka_unit_test(test_stats_missing_counter),
		cmocka_unit_test(test_stats_bad_rows),
		cmocka_unit_test(test_stats_bad_dash_histogram),
	};

	return cmocka_run_group_tests_name("parse_stats", tests, NULL, NULL);
}
