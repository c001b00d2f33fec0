/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the benchmark programs (bench/README.md): a monotonic
 * clock, log2 histograms shaped like the driver's stats view, medians, and
 * one-line JSON output. The UAPI helpers come from tests/progs/asim.h.
 */
#ifndef BENCH_H
#define BENCH_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "asim.h"

#define BENCH_BUCKETS 64

static inline uint64_t bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Bucket B counts [2^B, 2^(B+1)) ns; bucket 0 also holds 0 ns. */
static inline unsigned int bench_bucket(uint64_t ns)
{
	return ns ? 63 - (unsigned int)__builtin_clzll(ns) : 0;
}

static int bench_cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* Median of @n samples (sorted in place). */
static inline uint64_t bench_median(uint64_t *v, size_t n)
{
	if (!n)
		return 0;
	qsort(v, n, sizeof(*v), bench_cmp_u64);
	return v[n / 2];
}

static inline void bench_print_hist(const char *key, const uint64_t *h)
{
	unsigned int b;

	printf("\"%s\":[", key);
	for (b = 0; b < BENCH_BUCKETS; b++)
		printf("%s%llu", b ? "," : "", (unsigned long long)h[b]);
	printf("]");
}

static inline unsigned long bench_arg(const char *s, const char *what)
{
	char *end;
	unsigned long v = strtoul(s, &end, 0);

	if (!*s || *end)
		asim_die("bad %s '%s'", what, s);
	return v;
}

#endif /* BENCH_H */
