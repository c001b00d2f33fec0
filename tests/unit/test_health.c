// SPDX-License-Identifier: MIT
/* Unit tests: health thresholds and the health.conf parser. */
#include <math.h>
#include <unistd.h>

#include "unit.h"
#include "accel_format.h"
#include "accel_health.h"

#define CONF(text, h, err) \
	accel_health_parse_conf(text, sizeof(text) - 1, "health.conf", h, err)

static void test_defaults(void **state)
{
	struct accel_health h;
	char msg[160];

	accel_health_defaults(&h);
	assert_true(h.warn[ACCEL_H_FAULT_AGE] == 1e9);
	assert_true(h.crit[ACCEL_H_FAULT_AGE] == 5e9);
	assert_true(h.warn[ACCEL_H_FAULT_ERROR_RATE] == 1);
	assert_true(h.crit[ACCEL_H_FAULT_ERROR_RATE] == 5);
	assert_true(h.warn[ACCEL_H_FAULT_P99] == 10e6);
	assert_true(h.crit[ACCEL_H_FAULT_P99] == 100e6);
	assert_true(h.warn[ACCEL_H_TLBI_P99] == 1e6);
	assert_true(h.crit[ACCEL_H_TLBI_P99] == 10e6);
	assert_true(h.warn[ACCEL_H_SPA_USAGE] == 80);
	assert_true(h.crit[ACCEL_H_SPA_USAGE] == 95);
	assert_true(h.warn[ACCEL_H_IRQ_USAGE] == 80);
	assert_true(h.crit[ACCEL_H_IRQ_USAGE] == 95);
	assert_true(h.warn[ACCEL_H_ZOMBIES] == 0);
	assert_true(h.crit[ACCEL_H_ZOMBIES] == 4);
	assert_int_equal(accel_health_validate(&h, msg, sizeof(msg)), 0);
}

static void test_set_list(void **state)
{
	struct accel_health h;
	char msg[160];

	accel_health_defaults(&h);
	assert_int_equal(accel_health_set_list(&h, "fault_age=200ms,"
		"spa_usage=50%,zombies=off", 0, msg, sizeof(msg)), 0);
	assert_true(h.warn[ACCEL_H_FAULT_AGE] == 2e8);
	assert_true(h.warn[ACCEL_H_SPA_USAGE] == 50);
	assert_true(isinf(h.warn[ACCEL_H_ZOMBIES]));
	assert_int_equal(accel_health_set_list(&h, "tlbi_p99=2ms", 1, msg,
					       sizeof(msg)), 0);
	assert_true(h.crit[ACCEL_H_TLBI_P99] == 2e6);
	assert_int_equal(accel_health_set_list(&h, "nope=1", 0, msg,
					       sizeof(msg)), -EINVAL);
	assert_string_equal(msg, "unknown threshold 'nope' (known: fault_age "
		"fault_error_rate fault_p99 tlbi_p99 spa_usage irq_usage "
		"zombies)");
	assert_int_equal(accel_health_set_list(&h, "fault_age=fast", 0, msg,
					       sizeof(msg)), -EINVAL);
	assert_string_equal(msg, "bad value 'fast' for fault_age: expected "
		"a duration such as 500ms, 2s, 20us, or off");
	assert_int_equal(accel_health_set_list(&h, "spa_usage", 0, msg,
					       sizeof(msg)), -EINVAL);
	assert_string_equal(msg, "bad threshold 'spa_usage': expected "
			    "NAME=VALUE");
	assert_int_equal(accel_health_set_list(&h, "spa_usage=120", 0, msg,
					       sizeof(msg)), -EINVAL);
}

static void test_validate(void **state)
{
	struct accel_health h;
	char msg[160];

	accel_health_defaults(&h);
	h.warn[ACCEL_H_FAULT_AGE] = 9e9;
	assert_int_equal(accel_health_validate(&h, msg, sizeof(msg)),
			 -EINVAL);
	assert_string_equal(msg, "fault_age: warn 9.00s above crit 5.00s");
	h.crit[ACCEL_H_FAULT_AGE] = INFINITY;	/* crit off: fine */
	assert_int_equal(accel_health_validate(&h, msg, sizeof(msg)), 0);
}

static void test_conf_ok(void **state)
{
	struct accel_health h;
	struct accel_err err;

	accel_health_defaults(&h);
	assert_int_equal(CONF("# thresholds\n\n  fault_age_warn = 2s\n"
		"fault_age_crit=10s   # trailing comment\n"
		"irq_usage_crit = off\r\n"
		"zombies_warn\t=\t3", &h, &err), 0);
	assert_true(h.warn[ACCEL_H_FAULT_AGE] == 2e9);
	assert_true(h.crit[ACCEL_H_FAULT_AGE] == 10e9);
	assert_true(isinf(h.crit[ACCEL_H_IRQ_USAGE]));
	assert_true(h.warn[ACCEL_H_ZOMBIES] == 3);
	/* untouched keys keep their defaults */
	assert_true(h.warn[ACCEL_H_SPA_USAGE] == 80);
	assert_int_equal(CONF("", &h, &err), 0);
}

static void test_conf_errors(void **state)
{
	struct accel_health h;
	struct accel_err err;

	accel_health_defaults(&h);
	assert_int_equal(CONF("fault_age_warn = 1s\nfault_age 3s\n", &h,
			      &err), -EINVAL);
	assert_err(&err, "health.conf:2: expected 'key = value', got "
		   "'fault_age 3s'");
	assert_int_equal(CONF("\n\nfault_age = 3s\n", &h, &err), -EINVAL);
	assert_err(&err, "health.conf:3: unknown key 'fault_age' (expected "
		   "<threshold>_warn, <threshold>_crit or window)");
	assert_int_equal(CONF("spa_usage_warn = lots\n", &h, &err), -EINVAL);
	assert_err(&err, "health.conf:1: bad value 'lots' for spa_usage: "
		   "expected a percentage 0..100 such as 80 or 80%, or off");
	assert_int_equal(CONF("speed_warn = 1\n", &h, &err), -EINVAL);
	assert_err(&err, "health.conf:1: unknown threshold 'speed' (known: "
		   "fault_age fault_error_rate fault_p99 tlbi_p99 spa_usage "
		   "irq_usage zombies)");
	assert_int_equal(accel_health_parse_conf("a\0b\n", 4, "c", &h, &err),
			 -EINVAL);
	assert_err(&err, "c:1: NUL byte in line");
}

/* A duration too large for a double is an error, never "off" (fuzzing). */
static void test_conf_huge_duration(void **state)
{
	struct accel_health h;
	struct accel_err err;
	char conf[400];
	int n;

	accel_health_defaults(&h);
	n = snprintf(conf, sizeof(conf), "fault_age_crit = ");
	memset(conf + n, '9', 300);
	strcpy(conf + n + 300, "s\n");
	assert_int_equal(accel_health_parse_conf(conf, strlen(conf),
						 "health.conf", &h, &err),
			 -EINVAL);
	assert_non_null(strstr(err.msg, "health.conf:1: bad value '999"));
	/* the default stays */
	assert_true(h.crit[ACCEL_H_FAULT_AGE] == 5e9);
}

static void test_conf_file(void **state)
{
	char path[] = "/tmp/accel-health-XXXXXX";
	struct accel_health h;
	struct accel_err err;
	int fd;

	accel_health_defaults(&h);
	assert_int_equal(accel_health_load_conf("/nonexistent/health.conf", 0,
						&h, &err), 1);
	assert_int_equal(accel_health_load_conf("/nonexistent/health.conf", 1,
						&h, &err), -ENOENT);
	assert_err(&err, "/nonexistent/health.conf: No such file or "
		   "directory");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "tlbi_p99_warn = 3ms\n", 20), 20);
	close(fd);
	assert_int_equal(accel_health_load_conf(path, 1, &h, &err), 0);
	assert_true(h.warn[ACCEL_H_TLBI_P99] == 3e6);
	unlink(path);
}

static void test_fmt(void **state)
{
	char b[ACCEL_FMT_LEN];

	assert_string_equal(accel_health_fmt(ACCEL_H_FAULT_AGE, 1e9, b,
					     sizeof(b)), "1.00s");
	assert_string_equal(accel_health_fmt(ACCEL_H_SPA_USAGE, 37.5, b,
					     sizeof(b)), "37.5%");
	assert_string_equal(accel_health_fmt(ACCEL_H_ZOMBIES, 2, b,
					     sizeof(b)), "2");
	assert_string_equal(accel_health_fmt(ACCEL_H_ZOMBIES, INFINITY, b,
					     sizeof(b)), "off");
	assert_int_equal(accel_health_key("tlbi_p99"), ACCEL_H_TLBI_P99);
	assert_int_equal(accel_health_key("tlbi"), -1);
}

/* accel_health_judge: levels, limits, unmeasured values and the state. */
static void test_judge(void **state)
{
	struct accel_summary s = { 0 };
	struct accel_hverdict v;
	struct accel_health h;
	struct accel_dev d;

	memset(&d, 0, sizeof(d));
	d.info.state = ACCEL_DEV_ONLINE;
	accel_health_defaults(&h);
	assert_int_equal(accel_health_judge(&h, &d, &s, &v), ACCEL_HEALTH_OK);
	assert_true(isnan(v.value[ACCEL_H_FAULT_P99]));
	assert_true(isnan(v.value[ACCEL_H_TLBI_P99]));
	assert_false(v.offline);

	s.spa_used_pct = 80;		/* at warn: not above it, OK */
	assert_int_equal(accel_health_judge(&h, &d, &s, &v), ACCEL_HEALTH_OK);
	s.zombies = 1;			/* above warn 0: WARNING */
	assert_int_equal(accel_health_judge(&h, &d, &s, &v),
			 ACCEL_HEALTH_WARNING);
	assert_int_equal(v.level[ACCEL_H_ZOMBIES], ACCEL_HEALTH_WARNING);
	s.zombies = 0;
	s.spa_used_pct = 80.001;	/* above warn: WARNING */
	s.oldest_fault_age_ns = 5000000000ull;	/* at crit 5s, above warn */
	assert_int_equal(accel_health_judge(&h, &d, &s, &v),
			 ACCEL_HEALTH_WARNING);
	assert_int_equal(v.level[ACCEL_H_SPA_USAGE], ACCEL_HEALTH_WARNING);
	assert_true(v.limit[ACCEL_H_SPA_USAGE] == 80);
	assert_int_equal(v.level[ACCEL_H_FAULT_AGE], ACCEL_HEALTH_WARNING);

	s.has_tlbi_lat = true;
	s.tlbi_p99_ns = 10e6;		/* at crit: WARNING */
	assert_int_equal(accel_health_judge(&h, &d, &s, &v),
			 ACCEL_HEALTH_WARNING);
	assert_int_equal(v.level[ACCEL_H_TLBI_P99], ACCEL_HEALTH_WARNING);
	s.tlbi_p99_ns = 10e6 + 1;	/* above crit: CRITICAL */
	assert_int_equal(accel_health_judge(&h, &d, &s, &v),
			 ACCEL_HEALTH_CRITICAL);
	assert_int_equal(v.level[ACCEL_H_TLBI_P99], ACCEL_HEALTH_CRITICAL);
	assert_true(v.limit[ACCEL_H_TLBI_P99] == 10e6);

	/* "off" never trips */
	h.warn[ACCEL_H_TLBI_P99] = INFINITY;
	h.crit[ACCEL_H_TLBI_P99] = INFINITY;
	h.warn[ACCEL_H_SPA_USAGE] = INFINITY;
	h.warn[ACCEL_H_FAULT_AGE] = INFINITY;
	assert_int_equal(accel_health_judge(&h, &d, &s, &v), ACCEL_HEALTH_OK);

	/* a device being removed is WARNING on its own */
	d.info.state = ACCEL_DEV_REMOVING;
	assert_int_equal(accel_health_judge(&h, &d, &s, &v),
			 ACCEL_HEALTH_WARNING);
	assert_true(v.offline);
	assert_string_equal(accel_health_status_name(v.status), "WARNING");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_set_list),
		cmocka_unit_test(test_validate),
		cmocka_unit_test(test_conf_ok),
		cmocka_unit_test(test_conf_errors),
		cmocka_unit_test(test_conf_huge_duration),
		cmocka_unit_test(test_conf_file),
		cmocka_unit_test(test_fmt),
		cmocka_unit_test(test_judge),
	};

	return cmocka_run_group_tests_name("health", tests, NULL, NULL);
}
