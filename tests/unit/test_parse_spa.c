// SPDX-License-Identifier: MIT
/* Unit tests: the "spa" view parser and the shared table rules. */
#include "unit.h"

#define HDR "pe pasid pid comm state kernel faults tlbis irqs work\n"

static void test_spa_ok(void **state)
{
	struct accel_spa spa;
	struct accel_err err;

	assert_int_equal(PARSE(accel_parse_spa, HDR
		"0 1 1234 accelctl active 0 128 4 2 10\n"
		"5 4294967295 0 [kernel] zombie 1 0 0 0 18446744073709551615\n",
		&spa, &err), 0);
	assert_int_equal(spa.n, 2);
	assert_int_equal(spa.pe[0].pe, 0);
	assert_int_equal(spa.pe[0].pasid, 1);
	assert_int_equal(spa.pe[0].pid, 1234);
	assert_string_equal(spa.pe[0].comm, "accelctl");
	assert_int_equal(spa.pe[0].state, ACCEL_PE_ACTIVE);
	assert_false(spa.pe[0].kernel);
	assert_int_equal(spa.pe[0].faults, 128);
	assert_int_equal(spa.pe[0].tlbis, 4);
	assert_int_equal(spa.pe[0].irqs, 2);
	assert_int_equal(spa.pe[0].work, 10);
	assert_false(spa.pe[0].has_bytes);
	assert_int_equal(spa.pe[1].pasid, 0xffffffffu);
	assert_true(spa.pe[1].kernel);
	assert_int_equal(spa.pe[1].state, ACCEL_PE_ZOMBIE);
	assert_true(spa.pe[1].work == UINT64_MAX);
	accel_spa_free(&spa);
	assert_null(spa.pe);
	accel_spa_free(&spa);	/* twice is safe */
}

static void test_spa_bytes_and_extra(void **state)
{
	struct accel_spa spa;
	struct accel_err err;

	assert_int_equal(PARSE(accel_parse_spa,
		"pe pasid pid comm state kernel faults tlbis irqs work bytes "
		"later\n0 1 1 a terminating 0 0 0 0 0 4096 zzz\n", &spa, &err),
		0);
	assert_int_equal(spa.n, 1);
	assert_true(spa.pe[0].has_bytes);
	assert_int_equal(spa.pe[0].bytes, 4096);
	assert_int_equal(spa.pe[0].state, ACCEL_PE_TERMINATING);
	accel_spa_free(&spa);
}

static void test_spa_header_only(void **state)
{
	struct accel_spa spa;
	struct accel_err err;

	assert_int_equal(PARSE(accel_parse_spa, HDR, &spa, &err), 0);
	assert_int_equal(spa.n, 0);
	assert_null(spa.pe);
}

static void test_spa_bad_pasid(void **state)
{
	struct accel_spa spa;
	struct accel_err err;

	assert_int_equal(PARSE(accel_parse_spa, HDR
		"0 1 1234 accelctl active 0 128 4 2 10\n"
		"1 x 1234 accelctl active 0 128 4 2 10\n", &spa, &err),
		-EINVAL);
	assert_err(&err, "afu0/view:3: bad pasid 'x'");
	assert_null(spa.pe);
	assert_int_equal(spa.n, 0);
}

static void test_spa_bad_kernel(void **state)
{
	struct accel_spa spa;
	struct accel_err err;

	assert_int_equal(PARSE(accel_parse_spa, HDR
		"0 1 1234 accelctl active 2 128 4 2 10\n", &spa, &err),
		-EINVAL);
	assert_err(&err, "afu0/view:2: bad kernel '2' (0 or 1)");
}

static void test_spa_numbers(void **state)
{
	struct accel_spa spa;
	struct accel_err err;

	/* u64 overflow, sign, hex and empty-ish numbers are all refused */
	assert_int_equal(PARSE(accel_parse_spa, HDR
		"0 1 1 a active 0 18446744073709551616 0 0 0\n", &spa, &err),
		-EINVAL);
	assert_err(&err, "afu0/view:2: bad faults '18446744073709551616'");
	assert_int_equal(PARSE(accel_parse_spa, HDR
		"0 1 1 a active 0 +1 0 0 0\n", &spa, &err), -EINVAL);
	assert_err(&err, "afu0/view:2: bad faults '+1'");
	assert_int_equal(PARSE(accel_parse_spa, HDR
		"0x1 1 1 a active 0 1 0 0 0\n", &spa, &err), -EINVAL);
	assert_err(&err, "afu0/view:2: bad pe '0x1'");
	assert_int_equal(PARSE(accel_parse_spa, HDR
		"0 1 1 a active 0 1 0 0 1e3\n", &spa, &err), -EINVAL);
	assert_err(&err, "afu0/view:2: bad work '1e3'");
}

static void test_spa_quoting(void **state)
{
	struct accel_spa spa;
	struct accel_err err;

	/* Control bytes are escaped, long fields cut, in messages. */
	assert_int_equal(PARSE(accel_parse_spa, HDR
		"0 \x01\x7f 1 a active 0 1 0 0 0\n", &spa, &err), -EINVAL);
	assert_err(&err, "afu0/view:2: bad pasid '\\x01\\x7f'");
	assert_int_equal(PARSE(accel_parse_spa, HDR
		"0 1 1 aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		" active 0 1 0 0 0\n",
		&spa, &err), -EINVAL);
	assert_err(&err, "afu0/view:2: bad comm "
		   "'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...'");
}

static void test_table_truncated(void **state)
{
	struct accel_spa spa;
	struct accel_err err;

	assert_int_equal(PARSE(accel_parse_spa, HDR
		"0 1 1234 accelctl active 0 128 4 2 10\n1 1 1234 acc",
		&spa, &err), -EINVAL);
	assert_err(&err, "afu0/view:3: truncated line (no newline at end)");
	assert_int_equal(PARSE(accel_parse_spa, HDR "0 1 1234 accelctl\n",
			       &spa, &err), -EINVAL);
	assert_err(&err, "afu0/view:2: truncated line: 4 of 10 fields");
	/* a cut header */
	assert_int_equal(PARSE(accel_parse_spa, "pe pasid pi", &spa, &err),
			 -EINVAL);
	assert_err(&err, "afu0/view:1: truncated line (no newline at end)");
}

static void test_table_extra_fields(void **state)
{
	struct accel_spa spa;
	struct accel_err err;

	assert_int_equal(PARSE(accel_parse_spa, HDR
		"0 1 1234 accelctl active 0 128 4 2 10 99\n", &spa, &err),
		-EINVAL);
	assert_err(&err, "afu0/view:2: 11 fields, header has 10");
}

static void test_table_header(void **state)
{
	struct accel_spa spa;
	struct accel_err err;

	assert_int_equal(PARSE(accel_parse_spa, "", &spa, &err), -EINVAL);
	assert_err(&err, "afu0/view: empty file (no header line)");
	assert_int_equal(PARSE(accel_parse_spa, "\n", &spa, &err), -EINVAL);
	assert_err(&err, "afu0/view:1: empty header line");
	assert_int_equal(PARSE(accel_parse_spa,
		"pe pe pasid pid comm state kernel faults tlbis irqs work\n",
		&spa, &err), -EINVAL);
	assert_err(&err, "afu0/view:1: column 'pe' twice in header");
	/* a future format whose header is something else entirely */
	assert_int_equal(PARSE(accel_parse_spa,
		"# accelsim spa v2\n0 1 1234\n", &spa, &err), -EINVAL);
	assert_err(&err, "afu0/view:1: missing column 'pe' in header "
		   "(unknown format?)");
}

static void test_table_bad_bytes(void **state)
{
	struct accel_spa spa;
	struct accel_err err;
	static const char nul[] = HDR "0 1 1234 acc\0ctl active 0 1 4 2 10\n";

	assert_int_equal(accel_parse_spa(nul, sizeof(nul) - 1, "s", &spa,
					 &err), -EINVAL);
	assert_err(&err, "s:2: NUL byte in line");
	assert_int_equal(PARSE(accel_parse_spa, HDR "\n", &spa, &err),
			 -EINVAL);
	assert_err(&err, "afu0/view:2: empty line");
	/* Tabs and runs of spaces separate fields too. */
	assert_int_equal(PARSE(accel_parse_spa, HDR
		"0\t1  1234 accelctl active 0 128 4 2 10\n", &spa, &err), 0);
	assert_int_equal(spa.pe[0].pid, 1234);
	accel_spa_free(&spa);
}

static void test_table_not_nul_terminated(void **state)
{
	struct accel_spa spa;
	struct accel_err err;
	char buf[sizeof(HDR) - 1 + 3];

	/* The parser must stop at len, whatever follows in memory. */
	memcpy(buf, HDR, sizeof(HDR) - 1);
	memcpy(buf + sizeof(HDR) - 1, "0 1", 3);
	assert_int_equal(accel_parse_spa(buf, sizeof(buf), "b", &spa, &err),
			 -EINVAL);
	assert_err(&err, "b:2: truncated line (no newline at end)");
}

static void test_table_many_rows(void **state)
{
	struct accel_spa spa;
	struct accel_err err;
	size_t cap = 1 << 20, len, i;
	char *buf = malloc(cap);

	assert_non_null(buf);
	len = (size_t)sprintf(buf, HDR);
	for (i = 0; i < 5000; i++)
		len += (size_t)sprintf(buf + len,
			"%zu %zu 1 c active 0 0 0 0 0\n", i, i + 1);
	assert_int_equal(accel_parse_spa(buf, len, "big", &spa, &err), 0);
	assert_int_equal(spa.n, 5000);
	assert_int_equal(spa.pe[4999].pe, 4999);
	assert_int_equal(spa.pe[4999].pasid, 5000);
	accel_spa_free(&spa);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spa_ok),
		cmocka_unit_test(test_spa_bytes_and_extra),
		cmocka_unit_test(test_spa_header_only),
		cmocka_unit_test(test_spa_bad_pasid),
		cmocka_unit_test(test_spa_bad_kernel),
		cmocka_unit_test(test_spa_numbers),
		cmocka_unit_test(test_spa_quoting),
		cmocka_unit_test(test_table_truncated),
		cmocka_unit_test(test_table_extra_fields),
		cmocka_unit_test(test_table_header),
		cmocka_unit_test(test_table_bad_bytes),
		cmocka_unit_test(test_table_not_nul_terminated),
		cmocka_unit_test(test_table_many_rows),
	};

	return cmocka_run_group_tests_name("parse_spa", tests, NULL, NULL);
}
