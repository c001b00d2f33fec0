// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness: the health-check thresholds, as health.conf
 * (accel_health_parse_conf) and as the --warn/--crit lists
 * (accel_health_set_list), then validated and formatted; and the value
 * parsers under them (accel_parse_duration, _percent, _number): a value
 * they accept is finite and not negative ("off" is the only infinity);
 * and the integer parsers (accel_parse_u64, _u32): an accepted number
 * starts with a digit, and a u32 is the same number as a u64.
 */
#include <math.h>

#include "fuzz.h"

#include "accel_format.h"
#include "accel_health.h"

/*
 * Thresholds read from text of size bytes: valid, and a level is off
 * (infinite) only when the text says "off" (the defaults are all finite).
 */
static void check_health(const struct accel_health *h, const void *text,
			 size_t size)
{
	bool off = memmem(text, size, "off", 3) != NULL;
	char buf[ACCEL_FMT_LEN], msg[160];
	int i;

	for (i = 0; i < ACCEL_H_NR; i++) {
		FUZZ_CHECK(h->warn[i] >= 0 && h->crit[i] >= 0);
		FUZZ_CHECK(off || (isfinite(h->warn[i]) &&
				   isfinite(h->crit[i])));
		accel_health_fmt(i, h->warn[i], buf, sizeof(buf));
		FUZZ_CSTR(buf);
		accel_health_fmt(i, h->crit[i], buf, sizeof(buf));
		FUZZ_CSTR(buf);
		if (accel_health_defs[i].kind == ACCEL_HK_PERCENT) {
			FUZZ_CHECK(isinf(h->warn[i]) || h->warn[i] <= 100);
			FUZZ_CHECK(isinf(h->crit[i]) || h->crit[i] <= 100);
		}
	}
	msg[0] = '\0';
	if (accel_health_validate(h, msg, sizeof(msg)))
		FUZZ_CHECK(msg[0]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct accel_health h, h2;
	struct accel_err err;
	char msg[160], *s;
	uint64_t u64;
	uint32_t u32;
	double v;
	int ret;

	accel_health_defaults(&h);
	check_health(&h, "", 0);
	fuzz_err_init(&err);
	ret = accel_health_parse_conf((const char *)data, size, FUZZ_NAME, &h,
				      &err);
	if (ret) {
		fuzz_check_err(ret, &err);
	} else {
		accel_health_defaults(&h2);
		FUZZ_CHECK(!accel_health_parse_conf((const char *)data, size,
						    FUZZ_NAME, &h2, &err));
		FUZZ_CHECK(!memcmp(&h, &h2, sizeof(h)));
	}
	/* even a failed parse leaves valid thresholds behind */
	check_health(&h, data, size);

	/* the same bytes as a command-line list, warn or crit */
	s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	accel_health_defaults(&h);
	msg[0] = '\0';
	ret = accel_health_set_list(&h, s, size & 1, msg, sizeof(msg));
	if (ret)
		FUZZ_CHECK(ret == -EINVAL && msg[0] && memchr(msg, 0, sizeof(msg)));
	check_health(&h, data, size);

	/* the value parsers alone */
	if (!accel_parse_duration(s, &v))
		FUZZ_CHECK(isfinite(v) && v >= 0);
	if (!accel_parse_percent(s, &v))
		FUZZ_CHECK(isfinite(v) && v >= 0 && v <= 100);
	if (!accel_parse_number(s, &v))
		FUZZ_CHECK(isfinite(v) && v >= 0);
	if (!accel_parse_u64(s, &u64))
		FUZZ_CHECK(s[0] >= '0' && s[0] <= '9');
	if (!accel_parse_u32(s, &u32))
		FUZZ_CHECK(!accel_parse_u64(s, &u64) && u64 == u32);
	free(s);
	return 0;
}
