// SPDX-License-Identifier: MIT
/* Unit tests: the "pasids" view parser. */
#include "unit.h"

#define HDR "pasid pid refs outstanding state\n"

static void test_pasids_ok(void **state)
{
	struct accel_pasids ps;
	struct accel_err err;

	assert_int_equal(PARSE(accel_parse_pasids, HDR
		"1 1234 2 0 live\n2 99 0 3 draining\n3 5 0 0 free-pending\n"
		"4 5 0 0 recycled\n", &ps, &err), 0);
	assert_int_equal(ps.n, 4);
	assert_int_equal(ps.p[0].pasid, 1);
	assert_int_equal(ps.p[0].pid, 1234);
	assert_int_equal(ps.p[0].refs, 2);
	assert_int_equal(ps.p[0].state, ACCEL_PASID_LIVE);
	assert_int_equal(ps.p[1].outstanding, 3);
	assert_int_equal(ps.p[1].state, ACCEL_PASID_DRAINING);
	assert_int_equal(ps.p[2].state, ACCEL_PASID_FREE_PENDING);
	assert_int_equal(ps.p[3].state, ACCEL_PASID_UNKNOWN);
	assert_string_equal(ps.p[3].state_str, "recycled");
	assert_string_equal(accel_pasid_state_name(ps.p[2].state),
			    "free-pending");
	accel_pasids_free(&ps);
}

/* The kind column (private PASIDs) is read when there, absent before. */
static void test_pasids_kind(void **state)
{
	struct accel_pasids ps;
	struct accel_err err;

	assert_int_equal(PARSE(accel_parse_pasids,
		"pasid pid refs outstanding state kind\n"
		"1 10 1 0 live shared\n2 10 1 0 draining private\n"
		"3 0 1 0 live kernel\n", &ps, &err), 0);
	assert_int_equal(ps.n, 3);
	assert_true(ps.p[0].has_kind);
	assert_string_equal(ps.p[0].kind, "shared");
	assert_string_equal(ps.p[1].kind, "private");
	assert_string_equal(ps.p[2].kind, "kernel");
	accel_pasids_free(&ps);
	assert_int_equal(PARSE(accel_parse_pasids, HDR "1 10 1 0 live\n",
			       &ps, &err), 0);
	assert_false(ps.p[0].has_kind);
	accel_pasids_free(&ps);
}

static void test_pasids_extra_column(void **state)
{
	struct accel_pasids ps;
	struct accel_err err;

	assert_int_equal(PARSE(accel_parse_pasids,
		"pasid pid refs outstanding state devs\n1 1 1 0 live 3\n",
		&ps, &err), 0);
	assert_int_equal(ps.n, 1);
	assert_int_equal(ps.p[0].refs, 1);
	accel_pasids_free(&ps);
}

static void test_pasids_errors(void **state)
{
	struct accel_pasids ps;
	struct accel_err err;

	assert_int_equal(PARSE(accel_parse_pasids, HDR "1 1234 2 x live\n",
			       &ps, &err), -EINVAL);
	assert_err(&err, "afu0/view:2: bad outstanding 'x'");
	assert_null(ps.p);
	assert_int_equal(PARSE(accel_parse_pasids,
		"pasid pid refs state\n1 2 3 live\n", &ps, &err), -EINVAL);
	assert_err(&err, "afu0/view:1: missing column 'outstanding' in "
		   "header (unknown format?)");
	assert_int_equal(PARSE(accel_parse_pasids, HDR "1 1234 2 0",
			       &ps, &err), -EINVAL);
	assert_err(&err, "afu0/view:2: truncated line (no newline at end)");
	assert_int_equal(PARSE(accel_parse_pasids, "", &ps, &err), -EINVAL);
	assert_err(&err, "afu0/view: empty file (no header line)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pasids_ok),
		cmocka_unit_test(test_pasids_extra_column),
		cmocka_unit_test(test_pasids_kind),
		cmocka_unit_test(test_pasids_errors),
	};

	return cmocka_run_group_tests_name("parse_pasids", tests, NULL, NULL);
}
