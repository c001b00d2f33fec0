// SPDX-License-Identifier: MIT
/*
 * libaccel: the per-device "stats" view: counters (bucket "-") and the
 * fault_lat_ns and tlbi_lat_ns log2 histograms (bucket 0..63).
 */
#include <errno.h>
#include <string.h>

#include "parse_table.h"

const char *const accel_counter_names[ACCEL_C_NR] = {
	[ACCEL_C_ATTACHES] = "attaches",
	[ACCEL_C_DETACHES] = "detaches",
	[ACCEL_C_FAULTS_RAISED] = "faults_raised",
	[ACCEL_C_FAULTS_ACKED_RESTART] = "faults_acked_restart",
	[ACCEL_C_FAULTS_ACKED_ADDRESS_ERROR] = "faults_acked_address_error",
	[ACCEL_C_TLBIS] = "tlbis",
	[ACCEL_C_ATC_INVALIDATIONS] = "atc_invalidations",
	[ACCEL_C_ATC_HITS] = "atc_hits",
	[ACCEL_C_ATC_MISSES] = "atc_misses",
	[ACCEL_C_IRQS_FIRED] = "irqs_fired",
	[ACCEL_C_WORK_SUBMITTED] = "work_submitted",
	[ACCEL_C_WORK_DONE] = "work_done",
	[ACCEL_C_WORK_FAILED] = "work_failed",
	[ACCEL_C_BYTES] = "bytes",
	[ACCEL_C_AFU_ERRORS] = "afu_errors",
};

static int hist_row(struct ptab *t, struct accel_hist *h, uint64_t seen[],
		    int bucket, int value)
{
	uint64_t b, v;

	if (ptab_u64(t, bucket, "bucket", &b))
		return -EINVAL;
	if (b >= ACCEL_HIST_BUCKETS)
		return ptab_error(t, "bad bucket '%llu' (0..63)",
				  (unsigned long long)b);
	if (ptab_u64(t, value, "value", &v))
		return -EINVAL;
	if (seen[b / 64] & (1ull << (b % 64)))
		return ptab_error(t, "bucket %llu twice",
				  (unsigned long long)b);
	seen[b / 64] |= 1ull << (b % 64);
	h->bucket[b] = v;
	h->count = h->count + v < h->count ? UINT64_MAX : h->count + v;
	return 0;
}

static const char *const cols[] = { "name", "bucket", "value" };

int accel_parse_stats(const char *buf, size_t len, const char *name,
		      struct accel_stats *out, struct accel_err *err)
{
	uint64_t seen_fault[1] = { 0 }, seen_tlbi[1] = { 0 };
	unsigned int seen = 0, i;
	struct accel_stats st;
	int c[3], cname, bucket, value, ret;
	struct ptab t;

	memset(out, 0, sizeof(*out));
	memset(&st, 0, sizeof(st));
	ret = ptab_open(&t, buf, len, name, cols, c, ARRAY_SIZE(cols), err);
	if (ret)
		return ret;
	cname = c[0];
	bucket = c[1];
	value = c[2];
	while ((ret = ptab_next(&t)) > 0) {
		if (ptab_is(&t, bucket, "-")) {
			for (i = 0; i < ACCEL_C_NR; i++)
				if (ptab_is(&t, cname, accel_counter_names[i]))
					break;
			if (i == ACCEL_C_NR)
				continue;	/* a counter added later */
			if (seen & (1u << i))
				return ptab_error(&t, "counter %s twice",
						  accel_counter_names[i]);
			if (ptab_u64(&t, value, accel_counter_names[i],
				     &st.counter[i]))
				return -EINVAL;
			seen |= 1u << i;
		} else if (ptab_is(&t, cname, "fault_lat_ns")) {
			if (hist_row(&t, &st.fault_lat, seen_fault, bucket,
				     value))
				return -EINVAL;
		} else if (ptab_is(&t, cname, "tlbi_lat_ns")) {
			if (hist_row(&t, &st.tlbi_lat, seen_tlbi, bucket,
				     value))
				return -EINVAL;
		} else {
			uint64_t b;

			/* A histogram added later: check the bucket only. */
			if (ptab_u64(&t, bucket, "bucket", &b))
				return -EINVAL;
		}
	}
	if (ret < 0)
		return ret;
	for (i = 0; i < ACCEL_C_NR; i++)
		if (!(seen & (1u << i))) {
			accel_err_set(err, name, 0, "missing counter '%s'",
				      accel_counter_names[i]);
			return -EINVAL;
		}
	*out = st;
	return 0;
}
