// SPDX-License-Identifier: MIT
/*
 * libaccel: formatting and parsing of numbers, durations and bytes.
 */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accel_format.h"

/* v (>= 0) with 3 significant digits and a unit. */
static char *fmt3(double v, const char *unit, char *buf, size_t size)
{
	if (v >= 99.95)
		snprintf(buf, size, "%.0f%s", v, unit);
	else if (v >= 9.995)
		snprintf(buf, size, "%.1f%s", v, unit);
	else
		snprintf(buf, size, "%.2f%s", v, unit);
	return buf;
}

/* Print "-" for what is no figure (negative, NaN, infinite); true if so. */
static bool no_figure(double v, char *buf, size_t size)
{
	if (v >= 0 && !isinf(v))
		return false;
	snprintf(buf, size, "-");
	return true;
}

/*
 * v (at least base - 0.5) in the unit of units[0..n-1], steps of base
 * apart, that brings it under base - 0.5 (or in the last), with 3
 * significant digits.
 */
static char *fmt_scaled(double v, double base, const char *const *units,
			unsigned int n, char *buf, size_t size)
{
	unsigned int u = 0;

	v /= base;
	while (v >= base - 0.5 && u < n - 1) {
		v /= base;
		u++;
	}
	return fmt3(v, units[u], buf, size);
}

char *accel_fmt_ns(double ns, char *buf, size_t size)
{
	if (no_figure(ns, buf, size))
		return buf;
	if (ns < 999.5) {
		snprintf(buf, size, "%.0fns", ns);
		return buf;
	}
	if (ns < 999.5e3)
		return fmt3(ns / 1e3, "\xc2\xb5s", buf, size);
	if (ns < 999.5e6)
		return fmt3(ns / 1e6, "ms", buf, size);
	return fmt3(ns / 1e9, "s", buf, size);
}

char *accel_fmt_bytes(double bytes, char *buf, size_t size)
{
	static const char *const units[] = {
		"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"
	};

	if (no_figure(bytes, buf, size))
		return buf;
	if (bytes < 1023.5) {
		snprintf(buf, size, "%.0fB", bytes);
		return buf;
	}
	return fmt_scaled(bytes, 1024, units, sizeof(units) / sizeof(*units),
			  buf, size);
}

char *accel_fmt_count(double v, char *buf, size_t size)
{
	static const char *const units[] = { "k", "M", "G", "T", "P", "E" };

	if (no_figure(v, buf, size))
		return buf;
	if (v >= 999.5)
		return fmt_scaled(v, 1000, units, sizeof(units) / sizeof(*units),
				  buf, size);
	if (v == floor(v) || v >= 99.95)
		snprintf(buf, size, "%.0f", v);
	else
		fmt3(v, "", buf, size);
	return buf;
}

/* A non-negative finite decimal number at the start of s. */
static int parse_num(const char *s, double *v, char **end)
{
	if (!s || !((*s >= '0' && *s <= '9') || *s == '.'))
		return -EINVAL;
	errno = 0;
	*v = strtod(s, end);
	if (errno || *end == s || !isfinite(*v) || *v < 0)
		return -EINVAL;
	/* strtod takes hex, inf and exponents; only plain decimals here. */
	if (strpbrk(s, "xXeEpP") && strpbrk(s, "xXeEpP") < *end)
		return -EINVAL;
	return 0;
}

int accel_parse_duration(const char *s, double *ns)
{
	static const struct {
		const char *unit;
		double mult;
	} units[] = {
		{ "", 1 }, { "ns", 1 }, { "us", 1e3 }, { "\xc2\xb5s", 1e3 },
		{ "ms", 1e6 }, { "s", 1e9 },
	};
	unsigned int i;
	char *end;
	double v;

	if (parse_num(s, &v, &end))
		return -EINVAL;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (!strcmp(end, units[i].unit)) {
			/* 1e300s is no duration: it must not become "off" */
			if (!isfinite(v * units[i].mult))
				return -EINVAL;
			*ns = v * units[i].mult;
			return 0;
		}
	return -EINVAL;
}

int accel_parse_u64(const char *s, uint64_t *out)
{
	unsigned long long v;
	char *end;

	/* strtoull() takes leading white space and a sign: no number does */
	if (!s || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end)
		return -EINVAL;
	*out = v;
	return 0;
}

int accel_parse_u32(const char *s, uint32_t *out)
{
	uint64_t v;

	if (accel_parse_u64(s, &v) || v > UINT32_MAX)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

int accel_parse_percent(const char *s, double *pct)
{
	char *end;
	double v;

	if (parse_num(s, &v, &end))
		return -EINVAL;
	if (*end == '%')
		end++;
	if (*end || v > 100)
		return -EINVAL;
	*pct = v;
	return 0;
}

int accel_parse_number(const char *s, double *v)
{
	char *end;

	if (parse_num(s, v, &end) || *end)
		return -EINVAL;
	return 0;
}

size_t accel_utf8_width(const char *s)
{
	size_t w = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			w++;
	return w;
}
