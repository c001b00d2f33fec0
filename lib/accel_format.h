/* SPDX-License-Identifier: MIT */
/*
 * libaccel: human formatting of numbers, durations and byte counts, parsing
 * of the same for thresholds, and percentiles of log2 histograms.
 *
 * Formatters write at most size bytes (always NUL-terminated) and return
 * buf, so they can be used inside printf arguments.
 */
#ifndef ACCEL_FORMAT_H
#define ACCEL_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "accel_views.h"

/* Big enough for every formatter below. */
#define ACCEL_FMT_LEN 32

/*
 * Duration in ns with a unit picked so 1-3 integer digits show:
 * "0ns", "999ns", "1.50µs", "12.3ms", "1.00s", "100s" (3 significant digits,
 * µs in UTF-8). Durations of an hour or more stay in s ("7200s").
 */
char *accel_fmt_ns(double ns, char *buf, size_t size);

/* Bytes with IEC units: "512B", "1.50KiB", "12.0MiB", "1.00GiB" ... EiB. */
char *accel_fmt_bytes(double bytes, char *buf, size_t size);

/* A count or rate with SI suffix: "999", "1.50k", "12.3M", "1.00G". */
char *accel_fmt_count(double v, char *buf, size_t size);

/*
 * Parse a duration: a non-negative decimal number with unit ns, us, µs, ms
 * or s (no unit means ns); "1s", "500ms", "2.5us". Returns 0 or -EINVAL.
 */
int accel_parse_duration(const char *s, double *ns);

/*
 * Parse an unsigned integer, decimal or 0x hex (no sign, no space, no
 * trailing text), into 64 or 32 bits. Returns 0 or -EINVAL.
 */
int accel_parse_u64(const char *s, uint64_t *out);
int accel_parse_u32(const char *s, uint32_t *out);

/* Parse a percentage "80" or "80%", 0..100. Returns 0 or -EINVAL. */
int accel_parse_percent(const char *s, double *pct);

/* Parse a non-negative decimal number (count). Returns 0 or -EINVAL. */
int accel_parse_number(const char *s, double *v);

/*
 * Percentile p (0 < p <= 100) of a log2 histogram, in the histogram's unit.
 * Method: nearest rank (rank = ceil(p/100 * count)); the bucket B holding
 * that rank is found, and the value is interpolated linearly inside
 * [2^B, 2^(B+1)) by the rank's position among the bucket's samples, so the
 * last sample of a bucket maps to its upper bound 2^(B+1) (bucket 0 spans
 * [0, 2)). The result is an estimate accurate to the bucket's width.
 * Returns 0, or -ENODATA for an empty histogram, -EINVAL for a bad p.
 */
int accel_hist_percentile(const struct accel_hist *h, double p, double *out);

/* Upper bound of bucket b in the histogram's unit: 2^(b+1). */
double accel_hist_upper(unsigned int b);

/* h = a - b per bucket (a counter reset, b > a, counts a's value). */
void accel_hist_delta(const struct accel_hist *a, const struct accel_hist *b,
		      struct accel_hist *h);

/* Width in terminal columns of a UTF-8 string (code points). */
size_t accel_utf8_width(const char *s);

/*
 * UTF-8 as RFC 3629 defines it: no overlong form, no surrogate, nothing
 * above U+10FFFF. A driver's strings (a comm is whatever bytes the task
 * named itself, cut at 15) and the strings of a bundle need not be UTF-8;
 * the JSON and Prometheus writers pass every string through these.
 */

/* Length of the valid UTF-8 sequence at s (1 to 4), 0 if invalid. */
size_t accel_utf8_seq(const char *s, size_t left);

/* Whether the NUL-terminated s is valid UTF-8. */
bool accel_utf8_valid(const char *s);

/*
 * Copy s into buf (size > 0) as valid UTF-8: each byte that does not
 * start a valid sequence becomes U+FFFD (EF BF BD). Truncates at a whole
 * character; always NUL-terminates. Returns the length the whole copy
 * needs (without the NUL), like snprintf.
 */
size_t accel_utf8_sanitize(const char *s, char *buf, size_t size);

/* accel_utf8_sanitize() into a malloc()ed string; NULL without memory. */
char *accel_utf8_dup(const char *s);

#endif /* ACCEL_FORMAT_H */
