// SPDX-License-Identifier: MIT
/*
 * The monotonic clock the tools time intervals, deadlines and progress
 * with.
 */
#include <time.h>

#include "util.h"

uint64_t cli_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

double cli_now_s(void)
{
	return cli_now_ns() / 1e9;
}
