// SPDX-License-Identifier: MIT
/*
 * libaccel: percentiles of the kernel's log2 latency histograms.
 */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "accel_format.h"

double accel_hist_upper(unsigned int b)
{
	return ldexp(1.0, (int)b + 1);
}

int accel_hist_percentile(const struct accel_hist *h, double p, double *out)
{
	double total = 0, rank, cum = 0, lo, hi;
	unsigned int b;

	if (!(p > 0 && p <= 100))
		return -EINVAL;
	for (b = 0; b < ACCEL_HIST_BUCKETS; b++)
		total += (double)h->bucket[b];
	if (total <= 0)
		return -ENODATA;
	rank = ceil(p / 100 * total);
	if (rank < 1)
		rank = 1;
	for (b = 0; b < ACCEL_HIST_BUCKETS; b++) {
		double n = (double)h->bucket[b];

		if (n > 0 && cum + n >= rank) {
			lo = b ? ldexp(1.0, (int)b) : 0;
			hi = accel_hist_upper(b);
			*out = lo + (hi - lo) * ((rank - cum) / n);
			return 0;
		}
		cum += n;
	}
	/* Rounding in the sums: the last non-empty bucket's upper bound. */
	for (b = ACCEL_HIST_BUCKETS; b-- > 0;)
		if (h->bucket[b]) {
			*out = accel_hist_upper(b);
			return 0;
		}
	return -ENODATA;
}

void accel_hist_delta(const struct accel_hist *a, const struct accel_hist *b,
		      struct accel_hist *h)
{
	unsigned int i;
	uint64_t n = 0;

	/*
	 * Most rows of a large table did not move, and most have no
	 * sample at all (count 0: every bucket 0, so every difference is
	 * 0): no per-bucket pass.
	 */
	if (!a->count || !memcmp(a->bucket, b->bucket, sizeof(a->bucket))) {
		memset(h, 0, sizeof(*h));
		return;
	}
	for (i = 0; i < ACCEL_HIST_BUCKETS; i++) {
		h->bucket[i] = a->bucket[i] >= b->bucket[i] ?
			       a->bucket[i] - b->bucket[i] : a->bucket[i];
		n = n + h->bucket[i] < n ? UINT64_MAX : n + h->bucket[i];
	}
	h->count = n;
}
