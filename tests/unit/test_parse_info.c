// SPDX-License-Identifier: MIT
/* Unit tests: the "info" view parser. */
#include "unit.h"

#define HDR "dev version max_pe pasid_bits irq_budget atc_entries state " \
	"contexts pasids pending_faults irqs_used zombies\n"

static void test_info_ok(void **state)
{
	struct accel_info in;
	struct accel_err err;

	assert_int_equal(PARSE(accel_parse_info,
		HDR "afu0 0.1.0 512 20 2048 64 online 3 2 0 16 1\n",
		&in, &err), 0);
	assert_string_equal(in.dev, "afu0");
	assert_string_equal(in.version, "0.1.0");
	assert_int_equal(in.ver_major, 0);
	assert_int_equal(in.ver_minor, 1);
	assert_int_equal(in.max_pe, 512);
	assert_int_equal(in.pasid_bits, 20);
	assert_int_equal(in.irq_budget, 2048);
	assert_int_equal(in.atc_entries, 64);
	assert_int_equal(in.state, ACCEL_DEV_ONLINE);
	assert_int_equal(in.contexts, 3);
	assert_int_equal(in.pasids, 2);
	assert_int_equal(in.pending_faults, 0);
	assert_int_equal(in.irqs_used, 16);
	assert_int_equal(in.zombies, 1);
}

static void test_info_reordered_and_extra(void **state)
{
	struct accel_info in;
	struct accel_err err;

	/* Columns are matched by name; unknown ones are ignored. */
	assert_int_equal(PARSE(accel_parse_info,
		"zombies new_thing dev version max_pe pasid_bits irq_budget "
		"atc_entries state contexts pasids pending_faults irqs_used\n"
		"7 xyz afu9 0.2.3 4 16 8 32 removing 1 1 1 1\n", &in, &err), 0);
	assert_int_equal(in.zombies, 7);
	assert_string_equal(in.dev, "afu9");
	assert_int_equal(in.state, ACCEL_DEV_REMOVING);
	assert_int_equal(in.ver_patch, 3);
}

static void test_info_unknown_state(void **state)
{
	struct accel_info in;
	struct accel_err err;

	assert_int_equal(PARSE(accel_parse_info,
		HDR "afu0 0.1.0 512 20 2048 64 frozen 3 2 0 16 1\n",
		&in, &err), 0);
	assert_int_equal(in.state, ACCEL_DEV_UNKNOWN);
	assert_string_equal(in.state_str, "frozen");
}

static void test_info_future_version(void **state)
{
	struct accel_info in;
	struct accel_err err;

	assert_int_equal(PARSE(accel_parse_info,
		HDR "afu0 1.0.0 512 20 2048 64 online 3 2 0 16 1\n",
		&in, &err), -EINVAL);
	assert_err(&err, "afu0/view:2: unsupported view version 1.0.0 "
		   "(this library reads 0.x)");
}

static void test_info_bad_version(void **state)
{
	struct accel_info in;
	struct accel_err err;

	assert_int_equal(PARSE(accel_parse_info,
		HDR "afu0 0.1 512 20 2048 64 online 3 2 0 16 1\n",
		&in, &err), -EINVAL);
	assert_err(&err, "afu0/view:2: bad version '0.1'");
}

static void test_info_bad_number(void **state)
{
	struct accel_info in;
	struct accel_err err;

	assert_int_equal(PARSE(accel_parse_info,
		HDR "afu0 0.1.0 -1 20 2048 64 online 3 2 0 16 1\n",
		&in, &err), -EINVAL);
	assert_err(&err, "afu0/view:2: bad max_pe '-1'");
	/* u32 overflow */
	assert_int_equal(PARSE(accel_parse_info,
		HDR "afu0 0.1.0 4294967296 20 2048 64 online 3 2 0 16 1\n",
		&in, &err), -EINVAL);
	assert_err(&err, "afu0/view:2: bad max_pe '4294967296'");
}

static void test_info_missing_column(void **state)
{
	struct accel_info in;
	struct accel_err err;

	assert_int_equal(PARSE(accel_parse_info,
		"dev version max_pe\nafu0 0.1.0 512\n", &in, &err), -EINVAL);
	assert_err(&err, "afu0/view:1: missing column 'pasid_bits' in header "
		   "(unknown format?)");
}

static void test_info_rows(void **state)
{
	struct accel_info in;
	struct accel_err err;

	assert_int_equal(PARSE(accel_parse_info, HDR, &in, &err), -EINVAL);
	assert_err(&err, "afu0/view: no data row after the header");
	assert_int_equal(PARSE(accel_parse_info,
		HDR "afu0 0.1.0 512 20 2048 64 online 3 2 0 16 1\n"
		"afu0 0.1.0 512 20 2048 64 online 3 2 0 16 1\n", &in, &err),
		-EINVAL);
	assert_err(&err, "afu0/view:3: more than one data row");
}

static void test_info_truncated(void **state)
{
	struct accel_info in;
	struct accel_err err;

	assert_int_equal(PARSE(accel_parse_info,
		HDR "afu0 0.1.0 512 20 2048 64 online 3 2 0 16 1",
		&in, &err), -EINVAL);
	assert_err(&err, "afu0/view:2: truncated line (no newline at end)");
	assert_int_equal(PARSE(accel_parse_info,
		HDR "afu0 0.1.0 512 20 2048\n", &in, &err), -EINVAL);
	assert_err(&err, "afu0/view:2: truncated line: 5 of 12 fields");
}

static void test_info_empty(void **state)
{
	struct accel_info in;
	struct accel_err err;

	assert_int_equal(PARSE(accel_parse_info, "", &in, &err), -EINVAL);
	assert_err(&err, "afu0/view: empty file (no header line)");
	assert_int_equal(accel_parse_info(NULL, 0, "x", &in, &err), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_info_ok),
		cmocka_unit_test(test_info_reordered_and_extra),
		cmocka_unit_test(test_info_unknown_state),
		cmocka_unit_test(test_info_future_version),
		cmocka_unit_test(test_info_bad_version),
		cmocka_unit_test(test_info_bad_number),
		cmocka_unit_test(test_info_missing_column),
		cmocka_unit_test(test_info_rows),
		cmocka_unit_test(test_info_truncated),
		cmocka_unit_test(test_info_empty),
	};

	return cmocka_run_group_tests_name("parse_info", tests, NULL, NULL);
}
