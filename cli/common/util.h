/* SPDX-License-Identifier: MIT */
/*
 * Small helpers every tool uses: array sizes, the monotonic clock and
 * standard output's write errors.
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

/*
 * Flush standard output. On a write error (now or earlier: ferror) print
 * "PROG: write error on standard output: CAUSE" on stderr, once per run,
 * and return EXIT_OUTPUT; else 0.
 */
int cli_stdout_flush(const char *prog);

/*
 * The end of main(): flush and close standard output; EXIT_OUTPUT (with
 * the message above) on a write error, whatever code was, else code.
 */
int cli_stdout_close(const char *prog, int code);

#endif /* ACCEL_CLI_UTIL_H */
