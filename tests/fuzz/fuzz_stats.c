// SPDX-License-Identifier: MIT
/* libFuzzer harness: accel_parse_stats, counters and histograms. */
#include "fuzz.h"

#include "accel_dev.h"

static void check_hist(const struct accel_hist *h)
{
	uint64_t sum = 0;
	double p[3];
	int i;

	for (i = 0; i < ACCEL_HIST_BUCKETS; i++)
		sum = sum + h->bucket[i] < sum ? UINT64_MAX :
		      sum + h->bucket[i];
	FUZZ_CHECK(h->count == sum);
	/* percentiles of whatever the view held: no crash, ordered */
	if (accel_hist_p50_90_99(h, p)) {
		FUZZ_CHECK(p[0] >= 0 && p[0] <= p[1] && p[1] <= p[2]);
	} else {
		FUZZ_CHECK(!h->count);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct accel_stats a, b;
	struct accel_err err;
	int ret;

	fuzz_err_init(&err);
	ret = accel_parse_stats((const char *)data, size, FUZZ_NAME, &a, &err);
	if (ret) {
		fuzz_check_err(ret, &err);
		return 0;
	}
	fuzz_check_table(data, size);
	check_hist(&a.fault_lat);
	check_hist(&a.tlbi_lat);
	FUZZ_CHECK(!accel_parse_stats((const char *)data, size, FUZZ_NAME, &b,
				      &err));
	FUZZ_CHECK(!memcmp(&a, &b, sizeof(a)));
	return 0;
}
