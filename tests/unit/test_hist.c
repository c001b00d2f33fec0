// SPDX-License-Identifier: MIT
/* Unit tests: log2 histogram percentiles and deltas. */
#include <math.h>

#include "unit.h"
#include "accel_dev.h"
#include "accel_format.h"

static void add(struct accel_hist *h, unsigned int b, uint64_t n)
{
	h->bucket[b] += n;
	h->count += n;
}

static void test_empty(void **state)
{
	struct accel_hist h;
	double v = -1, p[3];

	memset(&h, 0, sizeof(h));
	assert_int_equal(accel_hist_percentile(&h, 50, &v), -ENODATA);
	assert_true(v == -1);
	assert_false(accel_hist_p50_90_99(&h, p));
}

static void test_bad_p(void **state)
{
	struct accel_hist h;
	double v;

	memset(&h, 0, sizeof(h));
	add(&h, 3, 1);
	assert_int_equal(accel_hist_percentile(&h, 0, &v), -EINVAL);
	assert_int_equal(accel_hist_percentile(&h, 100.5, &v), -EINVAL);
	assert_int_equal(accel_hist_percentile(&h, NAN, &v), -EINVAL);
	assert_int_equal(accel_hist_percentile(&h, 100, &v), 0);
}

static void test_single_bucket(void **state)
{
	struct accel_hist h;
	double v;

	/* 4 samples in [1024, 2048): ranks 1..4 map to 1280 .. 2048 */
	memset(&h, 0, sizeof(h));
	add(&h, 10, 4);
	assert_int_equal(accel_hist_percentile(&h, 25, &v), 0);
	assert_true(v == 1280);
	assert_int_equal(accel_hist_percentile(&h, 50, &v), 0);
	assert_true(v == 1536);
	assert_int_equal(accel_hist_percentile(&h, 100, &v), 0);
	assert_true(v == 2048);
	/* one sample: every percentile is the bucket's upper bound */
	memset(&h, 0, sizeof(h));
	add(&h, 5, 1);
	assert_int_equal(accel_hist_percentile(&h, 1, &v), 0);
	assert_true(v == 64);
}

static void test_bucket_zero(void **state)
{
	struct accel_hist h;
	double v;

	/* bucket 0 spans [0, 2) */
	memset(&h, 0, sizeof(h));
	add(&h, 0, 2);
	assert_int_equal(accel_hist_percentile(&h, 50, &v), 0);
	assert_true(v == 1);
	assert_int_equal(accel_hist_percentile(&h, 99, &v), 0);
	assert_true(v == 2);
}

static void test_spread(void **state)
{
	struct accel_hist h;
	double p[3];

	/* the busy fixture: 500 @ b10, 400 @ b12, 90 @ b16, 8 @ b20 */
	memset(&h, 0, sizeof(h));
	add(&h, 10, 500);
	add(&h, 12, 400);
	add(&h, 16, 90);
	add(&h, 20, 8);
	assert_true(accel_hist_p50_90_99(&h, p));
	/* p50: rank 499 of 500 in b10 */
	assert_true(fabs(p[0] - (1024 + 1024 * 499.0 / 500)) < 1e-6);
	/* p90: rank 899, 399th of 400 in b12 */
	assert_true(fabs(p[1] - (4096 + 4096 * 399.0 / 400)) < 1e-6);
	/* p99: rank 989, 89th of 90 in b16 */
	assert_true(fabs(p[2] - (65536 + 65536 * 89.0 / 90)) < 1e-6);
}

static void test_top_bucket(void **state)
{
	struct accel_hist h;
	double v;

	memset(&h, 0, sizeof(h));
	add(&h, 63, UINT64_MAX / 2);
	add(&h, 1, 1);
	assert_int_equal(accel_hist_percentile(&h, 99, &v), 0);
	assert_true(v > ldexp(1, 63) && v <= ldexp(1, 64));
	assert_true(accel_hist_upper(63) == ldexp(1, 64));
	assert_true(accel_hist_upper(0) == 2);
}

static void test_delta(void **state)
{
	struct accel_hist a, b, d;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	add(&a, 4, 10);
	add(&a, 8, 7);
	add(&b, 4, 3);
	add(&b, 8, 9);	/* reset: b > a, delta counts a's value */
	accel_hist_delta(&a, &b, &d);
	assert_int_equal(d.bucket[4], 7);
	assert_int_equal(d.bucket[8], 7);
	assert_int_equal(d.count, 14);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_bad_p),
		cmocka_unit_test(test_single_bucket),
		cmocka_unit_test(test_bucket_zero),
		cmocka_unit_test(test_spread),
		cmocka_unit_test(test_top_bucket),
		cmocka_unit_test(test_delta),
	};

	return cmocka_run_group_tests_name("hist", tests, NULL, NULL);
}
