// SPDX-License-Identifier: MIT
/*
 * Unit tests: the health check's recent window (accel_health.h): the
 * window setting, the state file's text, the choice of the baseline, the
 * readings kept, and the figures judged over the window.
 */
#include <math.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"
#include "accel_dev.h"
#include "accel_format.h"
#include "accel_health.h"

#define STATE(text, st, err) \
	accel_hstate_parse(text, sizeof(text) - 1, "st", st, err)

static void test_set_window(void **state)
{
	static const char *const bad[] = {
		"", "soon", "-1", "0.5", "0.5s", "8d", "1e3", "inf", "nan",
		"0x10", "5ms", "5 m", "605000", " 5m", "+5",
	};
	struct accel_health h;
	char msg[160];
	unsigned int i;

	accel_health_defaults(&h);
	assert_true(h.window == 300);
	assert_int_equal(accel_health_set_window(&h, "90", msg, sizeof(msg)), 0);
	assert_true(h.window == 90);
	assert_int_equal(accel_health_set_window(&h, "15s", msg, sizeof(msg)), 0);
	assert_true(h.window == 15);
	assert_int_equal(accel_health_set_window(&h, "1.5m", msg, sizeof(msg)), 0);
	assert_true(h.window == 90);
	assert_int_equal(accel_health_set_window(&h, "10min", msg, sizeof(msg)), 0);
	assert_true(h.window == 600);
	assert_int_equal(accel_health_set_window(&h, "2h", msg, sizeof(msg)), 0);
	assert_true(h.window == 7200);
	assert_int_equal(accel_health_set_window(&h, "off", msg, sizeof(msg)), 0);
	assert_true(h.window == 0);
	assert_int_equal(accel_health_set_window(&h, "0", msg, sizeof(msg)), 0);
	assert_true(h.window == 0);
	assert_int_equal(accel_health_set_window(&h, "168h", msg, sizeof(msg)), 0);
	assert_true(h.window == 7 * 86400);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		h.window = 42;
		assert_int_equal(accel_health_set_window(&h, bad[i], msg,
							 sizeof(msg)), -EINVAL);
		assert_true(h.window == 42);
	}
	assert_string_equal(msg, "bad window '+5': expected a duration of 1s "
			    "to 7 days such as 300, 90s, 5m or 1h, or off");
}

static void test_conf_window(void **state)
{
	static const char ok[] = "window = 2m  # short\nzombies_warn = 2\n";
	static const char bad[] = "\nwindow = forever\n";
	struct accel_health h;
	struct accel_err err;

	accel_health_defaults(&h);
	assert_int_equal(accel_health_parse_conf(ok, sizeof(ok) - 1, "h.conf",
						 &h, &err), 0);
	assert_true(h.window == 120);
	assert_true(h.warn[ACCEL_H_ZOMBIES] == 2);
	assert_int_equal(accel_health_parse_conf(bad, sizeof(bad) - 1,
						 "h.conf", &h, &err), -EINVAL);
	assert_err(&err, "h.conf:2: bad window 'forever': expected a duration "
		   "of 1s to 7 days such as 300, 90s, 5m or 1h, or off");
}

/* A reading at t with n faults acked (e errors), f and b in buckets. */
static void reading(struct accel_hreading *r, double t, uint64_t n,
		    uint64_t e, uint64_t f10, uint64_t f23, uint64_t b8)
{
	memset(r, 0, sizeof(*r));
	r->t = t;
	r->acked = n;
	r->address_error = e;
	r->fault_lat.bucket[10] = f10;
	r->fault_lat.bucket[23] = f23;
	r->fault_lat.count = f10 + f23;
	r->tlbi_lat.bucket[8] = b8;
	r->tlbi_lat.count = b8;
}

static void test_reading_of(void **state)
{
	struct accel_hreading r;
	struct accel_dev d;

	memset(&d, 0, sizeof(d));
	d.stats.counter[ACCEL_C_FAULTS_ACKED_RESTART] = 90;
	d.stats.counter[ACCEL_C_FAULTS_ACKED_ADDRESS_ERROR] = 10;
	d.stats.fault_lat.bucket[3] = 7;
	d.stats.tlbi_lat.bucket[5] = 2;
	accel_hreading_of(&d, 12.5, &r);
	assert_true(r.t == 12.5);
	assert_int_equal(r.acked, 100);
	assert_int_equal(r.address_error, 10);
	assert_int_equal(r.fault_lat.bucket[3], 7);
	assert_int_equal(r.tlbi_lat.bucket[5], 2);
}

static void test_state_text(void **state)
{
	static const char text[] =
		"accel-check-state 1\n"
		"key boot=b dev=afu0\n"
		"r 10.500000 100 3 10:5,23:1 -\n"
		"r 20.000000 200 3 10:9,23:1 8:4\n";
	struct accel_hstate st, back;
	struct accel_err err;
	char *out;

	assert_int_equal(STATE(text, &st, &err), 0);
	assert_string_equal(st.key, "boot=b dev=afu0");
	assert_int_equal(st.n, 2);
	assert_true(st.r[0].t == 10.5);
	assert_int_equal(st.r[0].acked, 100);
	assert_int_equal(st.r[0].address_error, 3);
	assert_int_equal(st.r[0].fault_lat.bucket[10], 5);
	assert_int_equal(st.r[0].fault_lat.bucket[23], 1);
	assert_int_equal(st.r[0].fault_lat.count, 6);
	assert_int_equal(st.r[0].tlbi_lat.count, 0);
	assert_int_equal(st.r[1].tlbi_lat.bucket[8], 4);
	/* what it writes reads back the same */
	out = accel_hstate_format(&st);
	assert_non_null(out);
	assert_string_equal(out, text);
	assert_int_equal(accel_hstate_parse(out, strlen(out), "st", &back,
					    &err), 0);
	assert_int_equal(back.n, 2);
	assert_memory_equal(back.r, st.r, 2 * sizeof(*st.r));
	free(out);
	accel_hstate_free(&back);
	accel_hstate_free(&st);
	/* a key alone: no reading yet */
	assert_int_equal(STATE("accel-check-state 1\nkey k\n", &st, &err), 0);
	assert_int_equal(st.n, 0);
	accel_hstate_free(&st);
}

static void test_state_errors(void **state)
{
	static const struct {
		const char *text;
		const char *msg;
	} bad[] = {
		{ "", "st: no key" },
		{ "accel-check-state 2\nkey k\n",
		  "st:1: not a state file of this version" },
		{ "accel-check-state 1\nkey k", "st:2: truncated line" },
		{ "accel-check-state 1\nkee k\n", "st:2: bad key" },
		{ "accel-check-state 1\nkey k\nr 1 2 3 - -\n",
		  "st:3: bad reading" },	/* more errors than acked */
		{ "accel-check-state 1\nkey k\nr 1 2 1 -\n",
		  "st:3: bad reading" },	/* a field short */
		{ "accel-check-state 1\nkey k\nr 1 2 1 - - x\n",
		  "st:3: bad reading" },	/* a field more */
		{ "accel-check-state 1\nkey k\nr -1 2 1 - -\n",
		  "st:3: bad reading" },
		{ "accel-check-state 1\nkey k\nr 1e3 2 1 - -\n",
		  "st:3: bad reading" },
		{ "accel-check-state 1\nkey k\nr 1 2 1 64:1 -\n",
		  "st:3: bad reading" },	/* no bucket 64 */
		{ "accel-check-state 1\nkey k\nr 1 2 1 3:1,3:2 -\n",
		  "st:3: bad reading" },	/* a bucket twice */
		{ "accel-check-state 1\nkey k\nr 1 2 1 3:0 -\n",
		  "st:3: bad reading" },	/* empty buckets are left out */
		{ "accel-check-state 1\nkey k\nr 1 2 1 3:1, -\n",
		  "st:3: bad reading" },
		{ "accel-check-state 1\nkey k\nr 1 2 1 3:-1 -\n",
		  "st:3: bad reading" },
		{ "accel-check-state 1\nkey k\nr 5 2 1 - -\nr 4 2 1 - -\n",
		  "st:4: bad reading" },	/* going back in time */
		{ "accel-check-state 1\nkey k\nx\n", "st:3: bad reading" },
	};
	struct accel_hstate st;
	struct accel_err err;
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(accel_hstate_parse(bad[i].text,
						    strlen(bad[i].text), "st",
						    &st, &err), -EINVAL);
		assert_err(&err, bad[i].msg);
		assert_null(st.r);
		assert_int_equal(st.n, 0);
	}
}

static void test_base(void **state)
{
	struct accel_hreading r[3], cur;
	struct accel_hstate st = { .r = r, .n = 3 };

	reading(&r[0], 100, 10, 0, 10, 0, 1);
	reading(&r[1], 300, 20, 0, 20, 0, 1);
	reading(&r[2], 390, 30, 0, 30, 0, 1);
	reading(&cur, 400, 40, 1, 40, 1, 2);
	/* window 300 s: 285 s (95%) old is old enough */
	assert_ptr_equal(accel_hstate_base(&st, &cur, 300), &r[0]);
	cur.t = 384.9;
	assert_null(accel_hstate_base(&st, &cur, 300));
	cur.t = 385;
	assert_ptr_equal(accel_hstate_base(&st, &cur, 300), &r[0]);
	/* the newest of those old enough */
	cur.t = 400;
	assert_ptr_equal(accel_hstate_base(&st, &cur, 100), &r[1]);
	assert_ptr_equal(accel_hstate_base(&st, &cur, 10), &r[2]);
	/* off, or none old enough: since load */
	assert_null(accel_hstate_base(&st, &cur, 0));
	assert_null(accel_hstate_base(&st, &cur, 3600));
	/* counters that went back (a reset the key missed): since load */
	cur.tlbi_lat.bucket[8] = 0;
	assert_null(accel_hstate_base(&st, &cur, 10));
	reading(&cur, 400, 25, 0, 40, 0, 2);
	assert_null(accel_hstate_base(&st, &cur, 10));
	assert_ptr_equal(accel_hstate_base(&st, &cur, 100), &r[1]);
}

static void test_add(void **state)
{
	struct accel_hstate st = { .key = "k" };
	struct accel_hreading cur;
	double t;

	/*
	 * A run every 10 s keeps every other reading (18.75 s apart at
	 * least): those of the last 285 s, and the one before them.
	 */
	for (t = 1000; t <= 2000; t += 10) {
		reading(&cur, t, (uint64_t)t, 0, 0, 0, 0);
		assert_int_equal(accel_hstate_add(&st, &cur, 300), 0);
	}
	assert_int_equal(st.n, 16);
	assert_true(st.r[0].t == 1700);
	assert_true(st.r[1].t == 1720);
	assert_true(st.r[st.n - 1].t == 2000);
	/* closer than window / 16 (18.75 s): not kept */
	reading(&cur, 2018, 2018, 0, 0, 0, 0);
	assert_int_equal(accel_hstate_add(&st, &cur, 300), 0);
	assert_true(st.r[st.n - 1].t == 2000);
	/* a clock gone back, or counters gone back: those readings go */
	reading(&cur, 1500, 5000, 0, 0, 0, 0);
	assert_int_equal(accel_hstate_add(&st, &cur, 300), 0);
	assert_int_equal(st.n, 1);
	assert_true(st.r[0].t == 1500);
	reading(&cur, 1600, 10, 0, 0, 0, 0);
	assert_int_equal(accel_hstate_add(&st, &cur, 300), 0);
	assert_int_equal(st.n, 1);
	assert_true(st.r[0].t == 1600);
	accel_hstate_free(&st);
}

static void test_window_figures(void **state)
{
	struct accel_hreading base, cur;
	struct accel_summary s;

	/* since base: 100 faults acked, 10 errors; 99 fast, 1 of 8 ms+ */
	reading(&base, 0, 1000, 0, 1000, 50, 10);
	reading(&cur, 300, 1100, 10, 1099, 51, 10);
	memset(&s, 0, sizeof(s));
	s.fault_error_pct = 99;
	s.has_tlbi_lat = true;
	s.tlbi_p99_ns = 123;
	accel_health_window(&s, &cur, &base);
	assert_int_equal(s.faults_acked, 100);
	assert_true(s.fault_error_pct == 10);
	assert_true(s.has_fault_lat);
	assert_true(s.fault_p50_ns <= 2048);
	assert_true(s.fault_p99_ns <= 2048);
	/* no TLBI in the window: nothing to judge */
	assert_false(s.has_tlbi_lat);
	assert_true(s.tlbi_p99_ns == 0);
	/* 2 slow of 100: the p99 is slow */
	cur.fault_lat.bucket[23]++;
	accel_health_window(&s, &cur, &base);
	assert_true(s.fault_p99_ns >= ldexp(1, 23));
	/* no fault in the window: a 0% error rate, no latency */
	accel_health_window(&s, &base, &base);
	assert_int_equal(s.faults_acked, 0);
	assert_true(s.fault_error_pct == 0);
	assert_false(s.has_fault_lat);
}

static void test_key(void **state)
{
	char dir[] = "/tmp/accel-key.XXXXXX", path[256], k1[512], k2[512];
	char k3[512], want[600];
	FILE *f;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/proc/sys/kernel/random", dir);
	snprintf(want, sizeof(want), "mkdir -p %s %s/root/afu0", path, dir);
	assert_int_equal(system(want), 0);
	strcat(path, "/boot_id");
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("1b2c-3d\n", f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/proc", dir);
	setenv("ACCEL_PROCFS", path, 1);
	snprintf(path, sizeof(path), "%s/root", dir);
	accel_hstate_key(path, "afu0", k1, sizeof(k1));
	assert_string_equal(strstr(k1, "boot="), k1);
	assert_non_null(strstr(k1, "boot=1b2c-3d dev=afu0 ino="));
	snprintf(want, sizeof(want), " root=%s", path);
	assert_string_equal(k1 + strlen(k1) - strlen(want), want);
	/* stable while the device lives */
	accel_hstate_key(path, "afu0", k2, sizeof(k2));
	assert_string_equal(k1, k2);
	/* a device created again: a new key */
	usleep(20000);
	snprintf(want, sizeof(want), "%s/root/afu0", dir);
	assert_int_equal(rmdir(want), 0);
	assert_int_equal(mkdir(want, 0755), 0);
	accel_hstate_key(path, "afu0", k3, sizeof(k3));
	assert_string_not_equal(k1, k3);
	/* another boot: a new key */
	snprintf(want, sizeof(want), "%s/proc/sys/kernel/random/boot_id", dir);
	f = fopen(want, "w");
	assert_non_null(f);
	fputs("4e5f\n", f);
	fclose(f);
	accel_hstate_key(path, "afu0", k2, sizeof(k2));
	assert_non_null(strstr(k2, "boot=4e5f dev=afu0 "));
	unsetenv("ACCEL_PROCFS");
	snprintf(want, sizeof(want), "rm -rf %s", dir);
	assert_int_equal(system(want), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_set_window),
		cmocka_unit_test(test_conf_window),
		cmocka_unit_test(test_reading_of),
		cmocka_unit_test(test_state_text),
		cmocka_unit_test(test_state_errors),
		cmocka_unit_test(test_base),
		cmocka_unit_test(test_add),
		cmocka_unit_test(test_window_figures),
		cmocka_unit_test(test_key),
	};

	return cmocka_run_group_tests_name("health_window", tests, NULL, NULL);
}
