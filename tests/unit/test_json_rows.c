// SPDX-License-Identifier: MIT
/*
 * Unit tests: the row arrays of accel_json_dev(), printed straight from
 * the views (lib/json_rows.c), for every fixture device, for empty views
 * and for strings json-c must escape, in every json-c mode:
 *  - the text parses, and json-c, printing the parsed tree again in the
 *    same mode, prints the same bytes: the rows follow json-c's own
 *    layout (separators, indentation, spacing, escaping);
 *  - each parsed row has the view's keys, in order, with its values.
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

/* One member a row must have: its key and its value. */
struct field {
	const char *key;
	enum { U64, STR, BOOL } type;
	uint64_t u;
	const char *s;
};

#define F_U64(k, v)	{ .key = (k), .type = U64, .u = (v) }
#define F_STR(k, v)	{ .key = (k), .type = STR, .s = (v) }
#define F_BOOL(k, v)	{ .key = (k), .type = BOOL, .u = (v) }

/* Row obj has the n fields f, in order, and nothing else. */
static void check_row(json_object *obj, const struct field *f, size_t n)
{
	size_t i = 0;

	assert_true(json_object_is_type(obj, json_type_object));
	json_object_object_foreach(obj, key, val) {
		assert_true(i < n);
		assert_string_equal(key, f[i].key);
		switch (f[i].type) {
		case U64:
			assert_true(json_object_is_type(val, json_type_int));
			assert_true(json_object_get_uint64(val) == f[i].u);
			break;
		case STR:
			assert_true(json_object_is_type(val,
							json_type_string));
			assert_string_equal(json_object_get_string(val),
					    f[i].s);
			break;
		case BOOL:
			assert_true(json_object_is_type(val,
							json_type_boolean));
			assert_int_equal(json_object_get_boolean(val), f[i].u);
			break;
		}
		i++;
	}
	assert_int_equal(i, n);
}

/* The array KEY of the parsed device, with n rows. */
static json_object *rows(json_object *dev, const char *key, size_t n)
{
	json_object *arr;

	assert_true(json_object_object_get_ex(dev, key, &arr));
	assert_true(json_object_is_type(arr, json_type_array));
	assert_int_equal(json_object_array_length(arr), n);
	return arr;
}

static void check_contexts(json_object *dev, const struct accel_spa *v)
{
	json_object *arr = rows(dev, "contexts", v->n);
	size_t i;

	for (i = 0; i < v->n; i++) {
		const struct accel_pe *p = &v->pe[i];
		const struct field f[] = {
			F_U64("pe", p->pe),
			F_U64("pasid", p->pasid),
			F_U64("pid", p->pid),
			F_STR("comm", p->comm),
			F_STR("state", p->state_str),
			F_BOOL("kernel", p->kernel),
			F_U64("faults", p->faults),
			F_U64("tlbis", p->tlbis),
			F_U64("irqs_fired", p->irqs),
			F_U64("work_done", p->work),
			F_U64("bytes", p->bytes),
		};

		/* "bytes" only when the view had the column. */
		check_row(json_object_array_get_idx(arr, i), f,
			  ARRAY_SIZE(f) - !p->has_bytes);
	}
}

static void check_pasids(json_object *dev, const struct accel_pasids *v)
{
	json_object *arr = rows(dev, "pasids", v->n);
	size_t i;

	for (i = 0; i < v->n; i++) {
		const struct accel_pasid *p = &v->p[i];
		const struct field f[] = {
			F_U64("pasid", p->pasid),
			F_U64("pid", p->pid),
			F_U64("refs", p->refs),
			F_U64("outstanding", p->outstanding),
			F_STR("state", p->state_str),
		};

		check_row(json_object_array_get_idx(arr, i), f,
			  ARRAY_SIZE(f));
	}
}

static void check_faults(json_object *dev, const struct accel_faults *v)
{
	json_object *arr = rows(dev, "faults", v->n);
	char addr[24];
	size_t i;

	for (i = 0; i < v->n; i++) {
		const struct accel_fault *p = &v->f[i];
		const struct field f[] = {
			F_U64("id", p->id),
			F_U64("pe", p->pe),
			F_U64("pasid", p->pasid),
			F_STR("address", addr),
			F_STR("access", accel_access_name(p->access)),
			F_STR("state", p->state_str),
			F_U64("age_ns", p->age_ns),
		};

		snprintf(addr, sizeof(addr), "0x%llx",
			 (unsigned long long)p->address);
		check_row(json_object_array_get_idx(arr, i), f,
			  ARRAY_SIZE(f));
	}
}

static void check_irqs(json_object *dev, const struct accel_irqs *v)
{
	json_object *arr = rows(dev, "irqs", v->n);
	size_t i;

	for (i = 0; i < v->n; i++) {
		const struct accel_irq *p = &v->r[i];
		const struct field f[] = {
			F_U64("pe", p->pe),
			F_U64("pasid", p->pasid),
			F_U64("hwirq", p->hwirq),
			F_U64("count", p->count),
			F_U64("eventfds", p->eventfds),
			F_U64("irqs_fired", p->fired),
		};

		check_row(json_object_array_get_idx(arr, i), f,
			  ARRAY_SIZE(f));
	}
}

/* The device in an array in an object, as the tools print it. */
static json_object *wrap(json_object *dev)
{
	json_object *top = json_object_new_object();
	json_object *arr = json_object_new_array();

	json_object_array_add(arr, dev);
	json_object_object_add(top, "devices", arr);
	return top;
}

static void check_dev(const struct accel_dev *d)
{
	struct accel_summary s;
	json_object *top, *parsed, *arr, *dev, *x;
	size_t i;

	accel_dev_summarize(d, &s);
	top = wrap(accel_json_dev(d, &s));
	for (i = 0; i < ARRAY_SIZE(modes); i++) {
		char *txt = strdup(json_object_to_json_string_ext(top,
								  modes[i]));

		assert_non_null(txt);
		parsed = json_tokener_parse(txt);
		assert_non_null(parsed);
		assert_string_equal(json_object_to_json_string_ext(parsed,
								   modes[i]),
				    txt);
		assert_true(json_object_object_get_ex(parsed, "devices",
						      &arr));
		assert_int_equal(json_object_array_length(arr), 1);
		dev = json_object_array_get_idx(arr, 0);
		assert_true(json_object_object_get_ex(dev, "device", &x));
		assert_string_equal(json_object_get_string(x), d->name);
		check_contexts(dev, &d->spa);
		check_pasids(dev, &d->pasids);
		check_faults(dev, &d->faults);
		check_irqs(dev, &d->irqs);
		json_object_put(parsed);
		free(txt);
	}
	json_object_put(top);
}

static void check_fixture(const char *root, unsigned int id)
{
	struct accel_dev d;
	struct accel_err err;

	assert_int_equal(accel_dev_load(root, id, &d, &err), 0);
	check_dev(&d);
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
	check_dev(&d);
	d.spa.n = n[0];
	d.pasids.n = n[1];
	d.faults.n = n[2];
	d.irqs.n = n[3];
	accel_dev_free(&d);
}

/*
 * Quotes, backslashes, slashes, control bytes and UTF-8 in strings; a
 * context without the optional "bytes"; 64-bit values.
 */
static void test_escaped_strings(void **state)
{
	struct accel_dev d;
	struct accel_err err;

	assert_int_equal(accel_dev_load(FIXTURES "/busy", 0, &d, &err), 0);
	snprintf(d.spa.pe[0].comm, sizeof(d.spa.pe[0].comm),
		 "a\"b\\c/d\te\x01\x1f\x7f\xc3\xa9");
	snprintf(d.spa.pe[1].state_str, sizeof(d.spa.pe[1].state_str),
		 "\n\r\b\f");
	/* Printable ASCII but for a slash: escaped unless NOSLASHESCAPE. */
	snprintf(d.spa.pe[2].comm, sizeof(d.spa.pe[2].comm), "/usr/bin/x");
	d.spa.pe[2].has_bytes = false;
	d.spa.pe[2].work = UINT64_MAX;
	d.faults.f[0].address = UINT64_MAX;
	check_dev(&d);
	accel_dev_free(&d);
}

/* A row printed straight from the view reads its current values. */
static void test_rows_read_the_view(void **state)
{
	struct accel_summary s;
	struct accel_dev d;
	struct accel_err err;
	json_object *o;
	const char *txt;

	assert_int_equal(accel_dev_load(FIXTURES "/busy", 0, &d, &err), 0);
	accel_dev_summarize(&d, &s);
	o = accel_json_dev(&d, &s);
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
		cmocka_unit_test(test_rows_read_the_view),
	};

	return cmocka_run_group_tests_name("json_rows", tests, NULL, NULL);
}
