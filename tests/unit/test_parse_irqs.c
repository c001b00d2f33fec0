// SPDX-License-Identifier: MIT
/* Unit tests: the "irqs" view parser. */
#include "unit.h"

#define HDR "pe pasid hwirq count eventfds fired\n"

static void test_irqs_ok(void **state)
{
	struct accel_irqs rs;
	struct accel_err err;

	assert_int_equal(PARSE(accel_parse_irqs, HDR
		"0 1 0 4 1 37\n3 2 4 12 12 0\n", &rs, &err), 0);
	assert_int_equal(rs.n, 2);
	assert_int_equal(rs.r[0].count, 4);
	assert_int_equal(rs.r[0].eventfds, 1);
	assert_int_equal(rs.r[0].fired, 37);
	assert_int_equal(rs.r[1].pe, 3);
	assert_int_equal(rs.r[1].hwirq, 4);
	accel_irqs_free(&rs);
}

static void test_irqs_errors(void **state)
{
	struct accel_irqs rs;
	struct accel_err err;

	assert_int_equal(PARSE(accel_parse_irqs, HDR "0 1 0 4 5 37\n",
			       &rs, &err), -EINVAL);
	assert_err(&err, "afu0/view:2: eventfds 5 > count 4");
	assert_int_equal(PARSE(accel_parse_irqs, HDR "0 1 0 4 1 -3\n",
			       &rs, &err), -EINVAL);
	assert_err(&err, "afu0/view:2: bad fired '-3'");
	assert_int_equal(PARSE(accel_parse_irqs, HDR "0 1 0 4\n",
			       &rs, &err), -EINVAL);
	assert_err(&err, "afu0/view:2: truncated line: 4 of 6 fields");
	assert_int_equal(PARSE(accel_parse_irqs,
		"pe pasid first count eventfds fired\n", &rs, &err), -EINVAL);
	assert_err(&err, "afu0/view:1: missing column 'hwirq' in header "
		   "(unknown format?)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_irqs_ok),
		cmocka_unit_test(test_irqs_errors),
	};

	return cmocka_run_group_tests_name("parse_irqs", tests, NULL, NULL);
}
