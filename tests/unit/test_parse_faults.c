// SPDX-License-Identifier: MIT
/* Unit tests: the "faults" view parser. */
#include "unit.h"

#define HDR "id dev pe pasid address access state age_ns\n"

static void test_faults_ok(void **state)
{
	struct accel_faults fs;
	struct accel_err err;

	assert_int_equal(PARSE(accel_parse_faults, HDR
		"17 0 0 1 0x7f12a4001000 write pending 52311\n"
		"18 0 1 1 0xffffffffffffffff read held 0\n"
		"19 0 1 1 0x0 read resolving 5\n", &fs, &err), 0);
	assert_int_equal(fs.n, 3);
	assert_int_equal(fs.f[0].id, 17);
	assert_true(fs.f[0].address == 0x7f12a4001000ull);
	assert_int_equal(fs.f[0].access, ACCEL_ACCESS_WRITE);
	assert_int_equal(fs.f[0].state, ACCEL_FAULT_PENDING);
	assert_int_equal(fs.f[0].age_ns, 52311);
	assert_true(fs.f[1].address == UINT64_MAX);
	assert_int_equal(fs.f[1].access, ACCEL_ACCESS_READ);
	assert_int_equal(fs.f[1].state, ACCEL_FAULT_HELD);
	assert_int_equal(fs.f[2].state, ACCEL_FAULT_RESOLVING);
	assert_string_equal(accel_access_name(fs.f[0].access), "write");
	assert_string_equal(accel_fault_state_name(fs.f[1].state), "held");
	accel_faults_free(&fs);
}

static void test_faults_bad_address(void **state)
{
	static const char *const bad[] = {
		"7f12", "0x", "0X10", "0x7F12", "0x1ffffffffffffffff", "-0x1",
		"0xg",
	};
	struct accel_faults fs;
	struct accel_err err;
	char buf[256], want[128];
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int n = snprintf(buf, sizeof(buf), HDR
				 "1 0 0 1 %s read pending 1\n", bad[i]);

		assert_int_equal(accel_parse_faults(buf, (size_t)n, "f", &fs,
						    &err), -EINVAL);
		snprintf(want, sizeof(want), "f:2: bad address '%s'", bad[i]);
		assert_string_equal(err.msg, want);
	}
}

static void test_faults_bad_access(void **state)
{
	struct accel_faults fs;
	struct accel_err err;

	assert_int_equal(PARSE(accel_parse_faults, HDR
		"1 0 0 1 0x1000 exec pending 1\n", &fs, &err), -EINVAL);
	assert_err(&err, "afu0/view:2: bad access 'exec' (read or write)");
}

static void test_faults_bad_age(void **state)
{
	struct accel_faults fs;
	struct accel_err err;

	assert_int_equal(PARSE(accel_parse_faults, HDR
		"1 0 0 1 0x1000 read pending 1.5\n", &fs, &err), -EINVAL);
	assert_err(&err, "afu0/view:2: bad age_ns '1.5'");
	assert_int_equal(PARSE(accel_parse_faults,
		"id dev pe pasid address access state age\n", &fs, &err),
		-EINVAL);
	assert_err(&err, "afu0/view:1: missing column 'age_ns' in header "
		   "(unknown format?)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_faults_ok),
		cmocka_unit_test(test_faults_bad_address),
		cmocka_unit_test(test_faults_bad_access),
		cmocka_unit_test(test_faults_bad_age),
	};

	return cmocka_run_group_tests_name("parse_faults", tests, NULL, NULL);
}
