/* SPDX-License-Identifier: MIT */
/*
 * Small helpers every tool uses: array sizes and the monotonic clock.
 */
#ifndef ACCEL_CLI_UTIL_H
#define ACCEL_CLI_UTIL_H

#include <stdint.h>

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

/* CLOCK_MONOTONIC, in nanoseconds and in seconds. */
uint64_t cli_now_ns(void);
double cli_now_s(void);

#endif /* ACCEL_CLI_UTIL_H */
