// SPDX-License-Identifier: MIT
/*
 * libaccel: health-check thresholds and the health.conf parser.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accel_format.h"
#include "accel_health.h"

const struct accel_hdef accel_health_defs[ACCEL_H_NR] = {
	[ACCEL_H_FAULT_AGE] = { "fault_age", ACCEL_HK_DURATION,
		"oldest pending fault age", "1s", "5s", false },
	[ACCEL_H_FAULT_ERROR_RATE] = { "fault_error_rate", ACCEL_HK_PERCENT,
		"faults acked address_error", "1%", "5%", true },
	[ACCEL_H_FAULT_P99] = { "fault_p99", ACCEL_HK_DURATION,
		"p99 fault latency", "10ms", "100ms", true },
	[ACCEL_H_TLBI_P99] = { "tlbi_p99", ACCEL_HK_DURATION,
		"p99 TLBI latency", "1ms", "10ms", true },
	[ACCEL_H_SPA_USAGE] = { "spa_usage", ACCEL_HK_PERCENT,
		"SPA usage", "80%", "95%", false },
	[ACCEL_H_IRQ_USAGE] = { "irq_usage", ACCEL_HK_PERCENT,
		"IRQ budget usage", "80%", "95%", false },
	[ACCEL_H_ZOMBIES] = { "zombies", ACCEL_HK_COUNT,
		"zombie PEs", "0", "4", false },
};

int accel_health_key(const char *name)
{
	int i;

	for (i = 0; i < ACCEL_H_NR; i++)
		if (!strcmp(name, accel_health_defs[i].name))
			return i;
	return -1;
}

static int parse_value(int key, const char *value, double *v)
{
	if (!strcmp(value, "off")) {
		*v = INFINITY;
		return 0;
	}
	switch (accel_health_defs[key].kind) {
	case ACCEL_HK_DURATION:
		return accel_parse_duration(value, v);
	case ACCEL_HK_PERCENT:
		return accel_parse_percent(value, v);
	default:
		return accel_parse_number(value, v);
	}
}

void accel_health_defaults(struct accel_health *h)
{
	int i;

	for (i = 0; i < ACCEL_H_NR; i++) {
		/* The defaults parse; a failure leaves the level off. */
		if (parse_value(i, accel_health_defs[i].def_warn, &h->warn[i]))
			h->warn[i] = INFINITY;
		if (parse_value(i, accel_health_defs[i].def_crit, &h->crit[i]))
			h->crit[i] = INFINITY;
	}
	h->window = ACCEL_HEALTH_WINDOW_DEFAULT;
}

int accel_health_set_window(struct accel_health *h, const char *value,
			    char *msg, size_t size)
{
	static const struct {
		const char *unit;
		double mult;
	} units[] = {
		{ "", 1 }, { "s", 1 }, { "m", 60 }, { "min", 60 },
		{ "h", 3600 },
	};
	unsigned int i;
	char *end;
	double v;

	if (!strcmp(value, "off")) {
		h->window = 0;
		return 0;
	}
	/* plain decimals: no sign, hex, exponent, inf or nan */
	if ((*value < '0' || *value > '9') && *value != '.')
		goto bad;
	errno = 0;
	v = strtod(value, &end);
	if (errno || end == value || strpbrk(value, "xXeEpP"))
		goto bad;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (!strcmp(end, units[i].unit))
			break;
	if (i == sizeof(units) / sizeof(units[0]))
		goto bad;
	v *= units[i].mult;
	if (v != 0 && (v < 1 || v > ACCEL_HEALTH_WINDOW_MAX))
		goto bad;
	h->window = v;
	return 0;
bad:
	snprintf(msg, size, "bad window '%.40s': expected a duration of 1s "
		 "to 7 days such as 300, 90s, 5m or 1h, or off", value);
	return -EINVAL;
}

static const char *const kind_help[] = {
	[ACCEL_HK_DURATION] = "a duration such as 500ms, 2s, 20us, or off",
	[ACCEL_HK_PERCENT] = "a percentage 0..100 such as 80 or 80%, or off",
	[ACCEL_HK_COUNT] = "a count such as 3, or off",
};

int accel_health_set(struct accel_health *h, const char *key,
		     const char *value, int crit, char *msg, size_t size)
{
	int k = accel_health_key(key);
	double v;

	if (k < 0) {
		snprintf(msg, size, "unknown threshold '%.40s' (known: "
			 "fault_age fault_error_rate fault_p99 tlbi_p99 "
			 "spa_usage irq_usage zombies)", key);
		return -EINVAL;
	}
	if (parse_value(k, value, &v)) {
		snprintf(msg, size, "bad value '%.40s' for %s: expected %s",
			 value, key, kind_help[accel_health_defs[k].kind]);
		return -EINVAL;
	}
	if (crit)
		h->crit[k] = v;
	else
		h->warn[k] = v;
	return 0;
}

int accel_health_set_list(struct accel_health *h, const char *list,
			  int crit, char *msg, size_t size)
{
	char *copy, *item, *save = NULL, *eq;
	int ret = 0;

	copy = strdup(list);
	if (!copy) {
		snprintf(msg, size, "out of memory");
		return -ENOMEM;
	}
	for (item = strtok_r(copy, ",", &save); item && !ret;
	     item = strtok_r(NULL, ",", &save)) {
		eq = strchr(item, '=');
		if (!eq) {
			snprintf(msg, size, "bad threshold '%.40s': expected "
				 "NAME=VALUE", item);
			ret = -EINVAL;
			break;
		}
		*eq = '\0';
		ret = accel_health_set(h, item, eq + 1, crit, msg, size);
	}
	free(copy);
	return ret;
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

int accel_health_parse_conf(const char *buf, size_t len, const char *name,
			    struct accel_health *h, struct accel_err *err)
{
	unsigned int line = 0;
	size_t pos = 0;
	char l[512], msg[160];

	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - buf - pos) : len - pos;
		char *key, *val, *eq, *hash;
		size_t klen;
		int crit;

		line++;
		if (n >= sizeof(l)) {
			accel_err_set(err, name, line, "line too long");
			return -EINVAL;
		}
		memcpy(l, buf + pos, n);
		l[n] = '\0';
		pos += n + 1;
		if (strlen(l) != n) {
			accel_err_set(err, name, line, "NUL byte in line");
			return -EINVAL;
		}
		hash = strchr(l, '#');
		if (hash)
			*hash = '\0';
		key = trim(l);
		if (!*key)
			continue;
		eq = strchr(key, '=');
		if (!eq) {
			accel_err_set(err, name, line, "expected 'key = "
				      "value', got '%.40s'", key);
			return -EINVAL;
		}
		*eq = '\0';
		key = trim(key);
		val = trim(eq + 1);
		klen = strlen(key);
		if (!strcmp(key, "window")) {
			if (accel_health_set_window(h, val, msg, sizeof(msg))) {
				accel_err_set(err, name, line, "%s", msg);
				return -EINVAL;
			}
			continue;
		}
		if (klen > 5 && !strcmp(key + klen - 5, "_warn")) {
			crit = 0;
		} else if (klen > 5 && !strcmp(key + klen - 5, "_crit")) {
			crit = 1;
		} else {
			accel_err_set(err, name, line, "unknown key '%.40s' "
				      "(expected <threshold>_warn, "
				      "<threshold>_crit or window)", key);
			return -EINVAL;
		}
		key[klen - 5] = '\0';
		if (accel_health_set(h, key, val, crit, msg, sizeof(msg))) {
			accel_err_set(err, name, line, "%s", msg);
			return -EINVAL;
		}
	}
	return 0;
}

int accel_health_load_conf(const char *path, int required,
			   struct accel_health *h, struct accel_err *err)
{
	size_t len;
	char *buf;
	int ret;

	ret = accel_read_file(path, &buf, &len);
	if (ret == -ENOENT && !required)
		return 1;
	if (ret) {
		accel_err_set(err, path, 0, "%s", strerror(-ret));
		return ret;
	}
	ret = accel_health_parse_conf(buf, len, path, h, err);
	free(buf);
	return ret;
}

int accel_health_validate(const struct accel_health *h, char *msg,
			  size_t size)
{
	char w[ACCEL_FMT_LEN], c[ACCEL_FMT_LEN];
	int i;

	/* "off" (infinity) on one level disables that level alone. */
	for (i = 0; i < ACCEL_H_NR; i++)
		if (h->warn[i] > h->crit[i] && isfinite(h->warn[i])) {
			snprintf(msg, size, "%s: warn %s above crit %s",
				 accel_health_defs[i].name,
				 accel_health_fmt(i, h->warn[i], w, sizeof(w)),
				 accel_health_fmt(i, h->crit[i], c, sizeof(c)));
			return -EINVAL;
		}
	return 0;
}

char *accel_health_fmt(int key, double v, char *buf, size_t size)
{
	if (isinf(v)) {
		snprintf(buf, size, "off");
		return buf;
	}
	switch (accel_health_defs[key].kind) {
	case ACCEL_HK_DURATION:
		return accel_fmt_ns(v, buf, size);
	case ACCEL_HK_PERCENT:
		snprintf(buf, size, "%.4g%%", v);
		return buf;
	default:
		snprintf(buf, size, "%.0f", v);
		return buf;
	}
}
