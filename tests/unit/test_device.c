// SPDX-License-Identifier: MIT
/* Unit tests: loading fixture devices, derived figures and JSON. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "unit.h"
#include "accel.h"
#include "accel_dev.h"
#include "accel_json.h"

static void test_load_busy(void **state)
{
	struct accel_summary s;
	struct accel_dev d;
	struct accel_err err;

	assert_int_equal(accel_dev_load(FIXTURES "/busy", 0, &d, &err), 0);
	assert_string_equal(d.name, "afu0");
	assert_int_equal(d.spa.n, 3);
	assert_int_equal(d.pasids.n, 3);
	assert_int_equal(d.faults.n, 2);
	assert_int_equal(d.irqs.n, 2);
	accel_dev_summarize(&d, &s);
	assert_int_equal(s.spa_used, 3);
	assert_true(s.spa_used_pct == 37.5);
	assert_int_equal(s.kernel_contexts, 1);
	assert_int_equal(s.zombies, 0);
	assert_int_equal(s.pasids_live, 2);
	assert_int_equal(s.pasids_draining, 1);
	assert_int_equal(s.faults_pending, 2);
	assert_int_equal(s.faults_held, 1);
	assert_int_equal(s.oldest_fault_age_ns, 2500000);
	assert_true(s.irq_used_pct == 25);
	assert_int_equal(s.faults_acked, 998);
	assert_true(fabs(s.fault_error_pct - 800.0 / 998) < 1e-9);
	assert_true(s.has_fault_lat && s.has_tlbi_lat);
	assert_true(s.tlbi_p99_ns == 32768);
	accel_dev_free(&d);
}

static void test_load_stale(void **state)
{
	struct accel_summary s;
	struct accel_dev d;
	struct accel_err err;

	assert_int_equal(accel_dev_load(FIXTURES "/stale_faults", 0, &d,
					&err), 0);
	accel_dev_summarize(&d, &s);
	assert_int_equal(s.zombies, 1);
	assert_int_equal(s.oldest_fault_age_ns, 6000000000ull);
	accel_dev_free(&d);
}

static void test_load_errors(void **state)
{
	struct accel_dev d;
	struct accel_err err;

	assert_int_equal(accel_dev_load(FIXTURES "/truncated", 0, &d, &err),
			 -EINVAL);
	assert_err(&err, "afu0/spa:3: truncated line (no newline at end)");
	assert_null(d.spa.pe);
	assert_int_equal(accel_dev_load(FIXTURES "/future", 0, &d, &err),
			 -EINVAL);
	assert_err(&err, "afu0/info:2: unsupported view version 1.0.0 (this "
		   "library reads 0.x)");
	assert_int_equal(accel_dev_load(FIXTURES "/busy", 7, &d, &err),
			 -ENOENT);
	assert_err(&err, "afu7/info: No such file or directory");
}

static void test_empty_summary(void **state)
{
	struct accel_summary s;
	struct accel_dev d;
	struct accel_err err;

	assert_int_equal(accel_dev_load(FIXTURES "/empty", 0, &d, &err), 0);
	accel_dev_summarize(&d, &s);
	assert_int_equal(s.spa_used, 0);
	assert_true(s.fault_error_pct == 0);
	assert_false(s.has_fault_lat);
	assert_false(s.has_tlbi_lat);
	accel_dev_free(&d);
}

static void test_json(void **state)
{
	struct accel_summary s;
	struct accel_dev d;
	struct accel_err err;
	json_object *dev, *o, *x, *y;
	const char *txt;

	assert_int_equal(accel_dev_load(FIXTURES "/busy", 0, &d, &err), 0);
	accel_dev_summarize(&d, &s);
	/* The row arrays only print: read the printed text back. */
	dev = accel_json_dev(&d, &s);
	txt = json_object_to_json_string_ext(dev, JSON_C_TO_STRING_PLAIN);
	o = json_tokener_parse(txt);
	json_object_put(dev);
	assert_non_null(o);
	assert_true(json_object_object_get_ex(o, "device", &x));
	assert_string_equal(json_object_get_string(x), "afu0");
	assert_true(json_object_object_get_ex(o, "spa", &x));
	assert_true(json_object_object_get_ex(x, "used", &y));
	assert_true(json_object_is_type(y, json_type_int));
	assert_int_equal(json_object_get_int(y), 3);
	assert_true(json_object_object_get_ex(o, "latency", &x));
	assert_true(json_object_object_get_ex(x, "p99_tlbi_lat_ns", &y));
	assert_true(json_object_get_double(y) == 32768);
	assert_true(json_object_object_get_ex(o, "faults", &x));
	assert_int_equal(json_object_array_length(x), 2);
	y = json_object_array_get_idx(x, 0);
	assert_true(json_object_object_get_ex(y, "address", &y));
	assert_string_equal(json_object_get_string(y), "0x7f12a4001000");
	assert_true(json_object_object_get_ex(o, "counters", &x));
	assert_true(json_object_object_get_ex(x, "bytes", &y));
	assert_int_equal(json_object_get_int64(y), 1052672);
	assert_true(json_object_object_get_ex(o, "histograms", &x));
	assert_true(json_object_object_get_ex(x, "fault_lat_ns", &y));
	assert_int_equal(json_object_array_length(y), 4);
	json_object_put(o);
	accel_dev_free(&d);
}

static void test_json_empty_latency_null(void **state)
{
	struct accel_summary s;
	struct accel_dev d;
	struct accel_err err;
	json_object *o, *x, *y;

	assert_int_equal(accel_dev_load(FIXTURES "/empty", 0, &d, &err), 0);
	accel_dev_summarize(&d, &s);
	o = json_object_new_object();
	accel_json_summary(o, &d, &s);
	assert_true(json_object_object_get_ex(o, "latency", &x));
	assert_true(json_object_object_get_ex(x, "p99_fault_lat_ns", &y));
	assert_null(y);
	json_object_put(o);
	accel_dev_free(&d);
}

static void test_json_double(void **state)
{
	json_object *o = json_object_new_object();

	accel_json_double(o, "a", 0.80160320641);
	accel_json_double(o, "b", 416);
	assert_string_equal(json_object_to_json_string_ext(o,
		JSON_C_TO_STRING_PLAIN), "{\"a\":0.802,\"b\":416}");
	json_object_put(o);
}

/*
 * accel_dev_reload(): the views whose generation did not move are copies
 * of the last load (faults and atc only when empty), a moved one is read.
 */
static void test_reload(void **state)
{
	struct accel_dev_reads r0, r1, r2, r3;
	struct accel_dev a, b, c, plain;
	struct accel_err err;
	char dir[] = "/tmp/accel-unit-reload.XXXXXX", cmd[1024];

	assert_non_null(mkdtemp(dir));
	snprintf(cmd, sizeof(cmd), "cp -r %s/busy/afu0 %s/ && printf "
		 "'view gen\\ninfo 1\\nspa 1\\npasids 1\\nfaults 1\\n"
		 "irqs 1\\natc 1\\nstats 1\\n' >%s/afu0/gen", FIXTURES, dir,
		 dir);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(accel_dev_load(dir, 0, &plain, &err), 0);
	accel_dev_reads(&r0);
	assert_int_equal(accel_dev_reload(dir, 0, NULL, &a, &err), 0);
	accel_dev_reads(&r1);
	assert_int_equal(r1.gen - r0.gen, 1);
	assert_int_equal(r1.spa - r0.spa, 1);
	assert_int_equal(r1.atc - r0.atc, 1);
	assert_int_equal(a.gen.gen[ACCEL_GEN_SPA], 1);
	assert_int_equal(accel_dev_reload(dir, 0, &a, &b, &err), 0);
	accel_dev_reads(&r2);
	/* only gen, and faults and atc, which have rows (they age) */
	assert_int_equal(r2.gen - r1.gen, 1);
	assert_int_equal(r2.info + r2.spa + r2.pasids + r2.irqs + r2.stats,
			 r1.info + r1.spa + r1.pasids + r1.irqs + r1.stats);
	assert_int_equal(r2.faults - r1.faults, 1);
	assert_int_equal(r2.atc - r1.atc, 1);
	/* and the same content as a plain load */
	assert_int_equal(b.spa.n, plain.spa.n);
	assert_memory_equal(b.spa.pe, plain.spa.pe,
			    plain.spa.n * sizeof(*plain.spa.pe));
	assert_int_equal(b.pasids.n, plain.pasids.n);
	assert_memory_equal(b.pasids.p, plain.pasids.p,
			    plain.pasids.n * sizeof(*plain.pasids.p));
	assert_int_equal(b.irqs.n, plain.irqs.n);
	assert_memory_equal(&b.stats, &plain.stats, sizeof(plain.stats));
	assert_memory_equal(&b.info, &plain.info, sizeof(plain.info));
	assert_int_equal(b.faults.n, plain.faults.n);
	assert_true(b.has_atc);
	/* a row less in spa, and its count: read again */
	snprintf(cmd, sizeof(cmd), "sed -i '$d' %s/afu0/spa && "
		 "sed -i 's/^spa 1$/spa 2/' %s/afu0/gen", dir, dir);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(accel_dev_reload(dir, 0, &b, &c, &err), 0);
	accel_dev_reads(&r3);
	assert_int_equal(r3.spa - r2.spa, 1);
	assert_int_equal(r3.pasids, r2.pasids);
	assert_int_equal(c.spa.n, plain.spa.n - 1);
	accel_dev_free(&c);
	accel_dev_free(&a);
	accel_dev_free(&b);
	accel_dev_free(&plain);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load_busy),
		cmocka_unit_test(test_load_stale),
		cmocka_unit_test(test_load_errors),
		cmocka_unit_test(test_empty_summary),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_json_empty_latency_null),
		cmocka_unit_test(test_json_double),
		cmocka_unit_test(test_reload),
	};

	return cmocka_run_group_tests_name("device", tests, NULL, NULL);
}
