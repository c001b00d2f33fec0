// SPDX-License-Identifier: MIT
/*
 * Unit tests: the idxd topology (accel_idxd.h): the sysfs names of the
 * idxd bus, the fixture tree read whole, and the JSON a bundle keeps,
 * written and read back (absent attributes stay absent, numbers keep the
 * kernel's text), with damaged input refused.
 */
#include "unit.h"
#include "accel_idxd.h"

#define ROOT FIXTURES "/platform/intel-sva"

static void test_names(void **state)
{
	enum accel_idxd_kind k;
	unsigned int d, s;

	assert_true(accel_idxd_parse_name("dsa0", &k, &d, &s));
	assert_int_equal(k, ACCEL_IDXD_DEV);
	assert_int_equal(d, 0);
	assert_true(accel_idxd_parse_name("iax12", &k, &d, &s));
	assert_int_equal(k, ACCEL_IDXD_DEV);
	assert_int_equal(d, 12);
	assert_true(accel_idxd_parse_name("wq3.17", &k, &d, &s));
	assert_int_equal(k, ACCEL_IDXD_WQ);
	assert_int_equal(d, 3);
	assert_int_equal(s, 17);
	assert_true(accel_idxd_parse_name("engine0.2", &k, &d, &s));
	assert_int_equal(k, ACCEL_IDXD_ENGINE);
	assert_true(accel_idxd_parse_name("group1.0", &k, &d, &s));
	assert_int_equal(k, ACCEL_IDXD_GROUP);
	assert_int_equal(d, 1);
	/* not idxd objects */
	assert_false(accel_idxd_parse_name("dsa", &k, &d, &s));
	assert_false(accel_idxd_parse_name("dsa0.1", &k, &d, &s));
	assert_false(accel_idxd_parse_name("wq0", &k, &d, &s));
	assert_false(accel_idxd_parse_name("wq0.", &k, &d, &s));
	assert_false(accel_idxd_parse_name("wq0.1x", &k, &d, &s));
	assert_false(accel_idxd_parse_name("wq-1.0", &k, &d, &s));
	assert_false(accel_idxd_parse_name("wq99999999999.0", &k, &d, &s));
	assert_false(accel_idxd_parse_name("user0.0", &k, &d, &s));
	assert_false(accel_idxd_parse_name("", &k, &d, &s));
}

static void test_load_fixture(void **state)
{
	const struct accel_idxd_device *d;
	const struct accel_idxd_obj *w;
	struct accel_idxd x;

	assert_int_equal(accel_idxd_load(&x, ROOT), 0);
	assert_true(x.has_bus);
	assert_int_equal(x.ndev, 1);
	d = &x.dev[0];
	assert_string_equal(d->obj.name, "dsa0");
	assert_string_equal(d->pci, "0000:6a:01.0");
	assert_string_equal(accel_idxd_get(&d->obj, "pasid_enabled"), "1");
	/* not in the fixture (a 6.1 kernel has no driver_name) */
	assert_null(accel_idxd_get(&d->obj, "op_cap"));
	/* not an attribute of a device */
	assert_null(accel_idxd_get(&d->obj, "mode"));
	assert_int_equal(d->n[ACCEL_IDXD_WQ], 2);
	assert_int_equal(d->n[ACCEL_IDXD_GROUP], 2);
	assert_int_equal(d->n[ACCEL_IDXD_ENGINE], 2);
	w = &d->sub[ACCEL_IDXD_WQ][0];
	assert_string_equal(w->name, "wq0.0");
	assert_string_equal(accel_idxd_get(w, "mode"), "shared");
	assert_string_equal(accel_idxd_get(w, "occupancy"), "12");
	assert_null(accel_idxd_get(w, "driver_name"));
	w = &d->sub[ACCEL_IDXD_GROUP][1];
	assert_string_equal(accel_idxd_get(w, "engines"), "");
	accel_idxd_free(&x);

	assert_int_equal(accel_idxd_load(&x, "/nonexistent-root"), 0);
	assert_false(x.has_bus);
	assert_int_equal(x.ndev, 0);
	accel_idxd_free(&x);
}

static void test_json_round_trip(void **state)
{
	struct accel_idxd x, y;
	json_object *o, *p;
	const char *a, *b;
	size_t k, i, j;

	assert_int_equal(accel_idxd_load(&x, ROOT), 0);
	o = accel_idxd_json(&x);
	p = json_tokener_parse(json_object_to_json_string(o));
	assert_non_null(p);
	assert_int_equal(accel_idxd_from_json(p, &y), 0);
	assert_true(y.has_bus);
	assert_int_equal(y.ndev, x.ndev);
	assert_string_equal(y.dev[0].pci, x.dev[0].pci);
	for (k = 0; k < ACCEL_IDXD_KIND_NR; k++) {
		const struct accel_idxd_obj *ox, *oy;
		size_t n = k ? x.dev[0].n[k] : 1;

		if (k)
			assert_int_equal(y.dev[0].n[k], n);
		for (i = 0; i < n; i++) {
			ox = k ? &x.dev[0].sub[k][i] : &x.dev[0].obj;
			oy = k ? &y.dev[0].sub[k][i] : &y.dev[0].obj;
			assert_string_equal(ox->name, oy->name);
			for (j = 0; accel_idxd_attrs[k][j]; j++) {
				a = ox->val[j];
				b = oy->val[j];
				if (!a)
					assert_null(b);
				else
					assert_string_equal(a, b);
			}
		}
	}
	/* big numbers keep their digits */
	assert_string_equal(accel_idxd_get(&y.dev[0].obj,
					   "max_transfer_size"), "2147483648");
	json_object_put(o);
	json_object_put(p);
	accel_idxd_free(&x);
	accel_idxd_free(&y);
}

static int from_text(const char *text, struct accel_idxd *x)
{
	json_object *o = json_tokener_parse(text);
	int ret;

	assert_non_null(o);
	ret = accel_idxd_from_json(o, x);
	json_object_put(o);
	return ret;
}

static void test_json_damaged(void **state)
{
	static const char *const bad[] = {
		"[]",
		"{}",
		"{\"devices\": {}}",
		"{\"devices\": [1]}",
		"{\"devices\": [{\"name\": \"wq0.0\"}]}",
		"{\"devices\": [{\"name\": 7}]}",
		"{\"devices\": [{\"name\": \"dsa0\", \"attrs\": []}]}",
		"{\"devices\": [{\"name\": \"dsa0\", \"attrs\": "
		"{\"state\": [1]}}]}",
		"{\"devices\": [{\"name\": \"dsa0\", \"wqs\": {}}]}",
		/* a queue of another device, or of the wrong kind */
		"{\"devices\": [{\"name\": \"dsa0\", \"wqs\": "
		"[{\"name\": \"wq1.0\", \"attrs\": {\"mode\": \"shared\"}}]}]}",
		"{\"devices\": [{\"name\": \"dsa0\", \"wqs\": "
		"[{\"name\": \"engine0.0\"}]}]}",
		"{\"devices\": [], \"bus\": 1}",
	};
	struct accel_idxd x;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(from_text(bad[i], &x), -EINVAL);
		assert_int_equal(x.ndev, 0);
		assert_null(x.dev);
	}
	/* no bus when the bundle was taken */
	assert_int_equal(from_text("{\"devices\": [], \"bus\": false}", &x),
			 0);
	assert_false(x.has_bus);
	/* unknown keys (a newer writer) are ignored; absent stays absent */
	assert_int_equal(from_text("{\"devices\": [{\"name\": \"iax1\", "
				   "\"attrs\": {\"future\": 1, \"clients\": "
				   "-1}, \"wqs\": [{\"name\": \"wq1.3\"}]}]}",
				   &x), 0);
	assert_true(x.has_bus);
	assert_string_equal(accel_idxd_get(&x.dev[0].obj, "clients"), "-1");
	assert_null(accel_idxd_get(&x.dev[0].obj, "state"));
	assert_int_equal(x.dev[0].n[ACCEL_IDXD_WQ], 1);
	assert_int_equal(x.dev[0].sub[ACCEL_IDXD_WQ][0].sub, 3);
	assert_null(accel_idxd_get(&x.dev[0].sub[ACCEL_IDXD_WQ][0], "mode"));
	accel_idxd_free(&x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_load_fixture),
		cmocka_unit_test(test_json_round_trip),
		cmocka_unit_test(test_json_damaged),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
