// SPDX-License-Identifier: MIT
/*
 * Unit tests: the row arrays printed straight from the views
 * (accel_json_dev_ref) print exactly what the json-c object tree
 * (accel_json_dev) prints, in every json-c mode, for every fixture device,
 * for empty views and for strings json-c must escape.
 */
#include <string.h>

#include "unit.h"
#include "accel.h"
#include "accel_dev.h"
#include "accel_json.h"
#include "parse_table.h"

static const int modes[] = {
	JSON_C_TO_STRING_PLAIN,
	JSON_C_TO_STRING_SPACED,
	JSON_C_TO_STRING_PRETTY,
	JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED,
	JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_PRETTY_TAB,
	JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
		JSON_C_TO_STRING_NOSLASHESCAPE,
	JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE,
};

/* The device in an array in an object, as the tools print it. */
static json_object *wrap(json_object *dev)
{
	json_object *top = json_object_new_object();
	json_object *arr = json_object_new_array();

	json_object_array_add(arr, dev);
	json_object_object_add(top, "devices", arr);
	return top;
}

static void assert_same(const struct accel_dev *d)
{
	struct accel_summary s;
	json_object *tree, *ref;
	size_t i;

	accel_dev_summarize(d, &s);
	tree = wrap(accel_json_dev(d, &s));
	ref = wrap(accel_json_dev_ref(d, &s));
	for (i = 0; i < ARRAY_SIZE(modes); i++) {
		char *want = strdup(json_object_to_json_string_ext(tree,
								   modes[i]));

		assert_non_null(want);
		assert_string_equal(json_object_to_json_string_ext(ref,
								   modes[i]),
				    want);
		free(want);
	}
	json_object_put(tree);
	json_object_put(ref);
}

static void check_fixture(const char *root, unsigned int id)
{
	struct accel_dev d;
	struct accel_err err;

	assert_int_equal(accel_dev_load(root, id, &d, &err), 0);
	assert_same(&d);
	accel_dev_free(&d);
}

static void test_fixtures(void **state)
{
	check_fixture(FIXTURES "/busy", 0);
	check_fixture(FIXTURES "/stale_faults", 0);
	check_fixture(FIXTURES "/full_spa", 0);
	check_fixture(FIXTURES "/multi", 0);
	check_fixture(FIXTURES "/multi", 1);
	check_fixture(FIXTURES "/multi", 3);
}

/* Rows of every kind are there, and then none. */
static void test_empty_views(void **state)
{
	struct accel_dev d;
	struct accel_err err;
	size_t n[4];

	assert_int_equal(accel_dev_load(FIXTURES "/busy", 0, &d, &err), 0);
	assert_true(d.spa.n && d.pasids.n && d.faults.n && d.irqs.n);
	n[0] = d.spa.n;
	n[1] = d.pasids.n;
	n[2] = d.faults.n;
	n[3] = d.irqs.n;
	d.spa.n = 0;
	d.pasids.n = 0;
	d.faults.n = 0;
	d.irqs.n = 0;
	assert_same(&d);
	d.spa.n = n[0];
	d.pasids.n = n[1];
	d.faults.n = n[2];
	d.irqs.n = n[3];
	accel_dev_free(&d);
}

/* Quotes, backslashes, slashes, control bytes and UTF-8 in strings. */
static void test_escaped_strings(void **state)
{
	struct accel_dev d;
	struct accel_err err;

	assert_int_equal(accel_dev_load(FIXTURES "/busy", 0, &d, &err), 0);
	snprintf(d.spa.pe[0].comm, sizeof(d.spa.pe[0].comm),
		 "a\"b\\c/d\te\x01\x1f\x7f\xc3\xa9");
	snprintf(d.spa.pe[1].state_str, sizeof(d.spa.pe[1].state_str),
		 "\n\r\b\f");
	assert_same(&d);
	accel_dev_free(&d);
}

/* A row printed straight from the view reads its current values. */
static void test_ref_reads_the_view(void **state)
{
	struct accel_summary s;
	struct accel_dev d;
	struct accel_err err;
	json_object *o;
	const char *txt;

	assert_int_equal(accel_dev_load(FIXTURES "/busy", 0, &d, &err), 0);
	accel_dev_summarize(&d, &s);
	o = accel_json_dev_ref(&d, &s);
	d.spa.pe[0].faults = 123456789;
	txt = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
	assert_non_null(strstr(txt, "\"faults\":123456789"));
	json_object_put(o);
	accel_dev_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixtures),
		cmocka_unit_test(test_empty_views),
		cmocka_unit_test(test_escaped_strings),
		cmocka_unit_test(test_ref_reads_the_view),
	};

	return cmocka_run_group_tests_name("json_rows", tests, NULL, NULL);
}
