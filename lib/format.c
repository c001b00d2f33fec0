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

size_t accel_utf8_seq(const char *str, size_t left)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n, i;

	if (!left)
		return 0;
	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		if (s[0] == 0xe0)
			lo = 0xa0;	/* overlong */
		else if (s[0] == 0xed)
			hi = 0x9f;	/* surrogates */
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		if (s[0] == 0xf0)
			lo = 0x90;	/* overlong */
		else if (s[0] == 0xf4)
			hi = 0x8f;	/* above U+10FFFF */
	} else {
		return 0;		/* continuation, C0, C1, F5..FF */
	}
	if (left < n || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return n;
}

bool accel_utf8_valid(const char *s)
{
	size_t left = strlen(s), n;

	for (; left; s += n, left -= n) {
		n = accel_utf8_seq(s, left);
		if (!n)
			return false;
	}
	return true;
}

size_t accel_utf8_sanitize(const char *s, char *buf, size_t size)
{
	static const char fffd[] = "\xef\xbf\xbd";
	size_t left = strlen(s), out = 0, pos = 0, n;
	bool full = false;

	for (; left; s += n, left -= n) {
		const char *c = s;
		size_t clen = n = accel_utf8_seq(s, left);

		if (!n) {
			n = 1;
			c = fffd;
			clen = 3;
		}
		if (!full && pos + clen < size) {
			memcpy(buf + pos, c, clen);
			pos += clen;
		} else {
			full = true;
		}
		out += clen;
	}
	if (size)
		buf[pos] = '\0';
	return out;
}

char *accel_utf8_dup(const char *s)
{
	size_t len = accel_utf8_sanitize(s, NULL, 0);
	char *buf = malloc(len + 1);

	if (buf)
		accel_utf8_sanitize(s, buf, len + 1);
	return buf;
}
