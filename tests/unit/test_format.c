// SPDX-License-Identifier: MIT
/* Unit tests: number, duration and byte formatting and parsing. */
#include <math.h>

#include "unit.h"
#include "accel_format.h"

#define F ACCEL_FMT_LEN

static void test_fmt_ns(void **state)
{
	char b[F];

	assert_string_equal(accel_fmt_ns(0, b, F), "0ns");
	assert_string_equal(accel_fmt_ns(999, b, F), "999ns");
	assert_string_equal(accel_fmt_ns(1000, b, F), "1.00\xc2\xb5s");
	assert_string_equal(accel_fmt_ns(1500, b, F), "1.50\xc2\xb5s");
	assert_string_equal(accel_fmt_ns(52311, b, F), "52.3\xc2\xb5s");
	assert_string_equal(accel_fmt_ns(130343.8, b, F), "130\xc2\xb5s");
	assert_string_equal(accel_fmt_ns(999999, b, F), "1.00ms");
	assert_string_equal(accel_fmt_ns(2.5e6, b, F), "2.50ms");
	assert_string_equal(accel_fmt_ns(12.34e6, b, F), "12.3ms");
	assert_string_equal(accel_fmt_ns(1e9, b, F), "1.00s");
	assert_string_equal(accel_fmt_ns(6e9, b, F), "6.00s");
	assert_string_equal(accel_fmt_ns(7200e9, b, F), "7200s");
	assert_string_equal(accel_fmt_ns(-1, b, F), "-");
	assert_string_equal(accel_fmt_ns(NAN, b, F), "-");
	assert_string_equal(accel_fmt_ns(INFINITY, b, F), "-");
	/* never overflows a small buffer */
	assert_string_equal(accel_fmt_ns(1500, b, 4), "1.5");
}

static void test_fmt_bytes(void **state)
{
	char b[F];

	assert_string_equal(accel_fmt_bytes(0, b, F), "0B");
	assert_string_equal(accel_fmt_bytes(1023, b, F), "1023B");
	assert_string_equal(accel_fmt_bytes(1024, b, F), "1.00KiB");
	assert_string_equal(accel_fmt_bytes(1536, b, F), "1.50KiB");
	assert_string_equal(accel_fmt_bytes(1048576, b, F), "1.00MiB");
	assert_string_equal(accel_fmt_bytes(1052672, b, F), "1.00MiB");
	assert_string_equal(accel_fmt_bytes(12.5 * 1048576, b, F), "12.5MiB");
	assert_string_equal(accel_fmt_bytes(1099511627776.0, b, F),
			    "1.00TiB");
	assert_string_equal(accel_fmt_bytes(18446744073709551615.0, b, F),
			    "16.0EiB");
	assert_string_equal(accel_fmt_bytes(-5, b, F), "-");
}

static void test_fmt_count(void **state)
{
	char b[F];

	assert_string_equal(accel_fmt_count(0, b, F), "0");
	assert_string_equal(accel_fmt_count(999, b, F), "999");
	assert_string_equal(accel_fmt_count(2.5, b, F), "2.50");
	assert_string_equal(accel_fmt_count(1000, b, F), "1.00k");
	assert_string_equal(accel_fmt_count(123456, b, F), "123k");
	assert_string_equal(accel_fmt_count(12.3e6, b, F), "12.3M");
	assert_string_equal(accel_fmt_count(4e9, b, F), "4.00G");
}

static void test_parse_duration(void **state)
{
	double v;

	assert_int_equal(accel_parse_duration("1s", &v), 0);
	assert_true(v == 1e9);
	assert_int_equal(accel_parse_duration("500ms", &v), 0);
	assert_true(v == 5e8);
	assert_int_equal(accel_parse_duration("2.5us", &v), 0);
	assert_true(v == 2500);
	assert_int_equal(accel_parse_duration("3\xc2\xb5s", &v), 0);
	assert_true(v == 3000);
	assert_int_equal(accel_parse_duration("42ns", &v), 0);
	assert_true(v == 42);
	assert_int_equal(accel_parse_duration("42", &v), 0);
	assert_true(v == 42);
	assert_int_equal(accel_parse_duration("0", &v), 0);
	assert_true(v == 0);
	assert_int_equal(accel_parse_duration("", &v), -EINVAL);
	assert_int_equal(accel_parse_duration("s", &v), -EINVAL);
	assert_int_equal(accel_parse_duration("-1s", &v), -EINVAL);
	assert_int_equal(accel_parse_duration("1 s", &v), -EINVAL);
	assert_int_equal(accel_parse_duration("1h", &v), -EINVAL);
	assert_int_equal(accel_parse_duration("1e3ms", &v), -EINVAL);
	assert_int_equal(accel_parse_duration("0x10", &v), -EINVAL);
	assert_int_equal(accel_parse_duration("inf", &v), -EINVAL);
	assert_int_equal(accel_parse_duration(NULL, &v), -EINVAL);
}

/* A number strtod reads as finite, times its unit, past DBL_MAX. */
static void test_parse_duration_overflow(void **state)
{
	char s[320];
	double v;

	memset(s, '9', 305);
	strcpy(s + 305, "s");
	assert_int_equal(accel_parse_duration(s, &v), -EINVAL);
	strcpy(s + 305, "ms");
	assert_int_equal(accel_parse_duration(s, &v), -EINVAL);
	/* as nanoseconds it fits */
	s[305] = '\0';
	assert_int_equal(accel_parse_duration(s, &v), 0);
	assert_true(v > 9e304 && v < 1.1e305);
}

static void test_parse_u64(void **state)
{
	uint64_t v;
	uint32_t w;

	assert_int_equal(accel_parse_u64("0x10", &v), 0);
	assert_int_equal(v, 16);
	assert_int_equal(accel_parse_u64("18446744073709551615", &v), 0);
	assert_int_equal(accel_parse_u64("18446744073709551616", &v), -EINVAL);
	assert_int_equal(accel_parse_u32("4294967296", &w), -EINVAL);
	/* strtoull() would take these */
	assert_int_equal(accel_parse_u64("\n0", &v), -EINVAL);
	assert_int_equal(accel_parse_u64(" 1", &v), -EINVAL);
	assert_int_equal(accel_parse_u64("-1", &v), -EINVAL);
	assert_int_equal(accel_parse_u64("", &v), -EINVAL);
	assert_int_equal(accel_parse_u64("1x", &v), -EINVAL);
}

static void test_parse_percent_number(void **state)
{
	double v;

	assert_int_equal(accel_parse_percent("80", &v), 0);
	assert_true(v == 80);
	assert_int_equal(accel_parse_percent("12.5%", &v), 0);
	assert_true(v == 12.5);
	assert_int_equal(accel_parse_percent("100%", &v), 0);
	assert_int_equal(accel_parse_percent("101", &v), -EINVAL);
	assert_int_equal(accel_parse_percent("80%%", &v), -EINVAL);
	assert_int_equal(accel_parse_percent("-1", &v), -EINVAL);
	assert_int_equal(accel_parse_number("3", &v), 0);
	assert_true(v == 3);
	assert_int_equal(accel_parse_number("3x", &v), -EINVAL);
}

static void test_utf8_width(void **state)
{
	assert_int_equal(accel_utf8_width("abc"), 3);
	assert_int_equal(accel_utf8_width("1.50\xc2\xb5s"), 6);
	assert_int_equal(accel_utf8_width(""), 0);
}

#define FFFD "\xef\xbf\xbd"

static void test_utf8_valid(void **state)
{
	assert_true(accel_utf8_valid(""));
	assert_true(accel_utf8_valid("accelctl"));
	assert_true(accel_utf8_valid("\xc5\x9bwiat"));	/* świat */
	assert_true(accel_utf8_valid("\xe2\x82\xac"));	/* U+20AC */
	assert_true(accel_utf8_valid("\xf0\x9f\x98\x80"));	/* U+1F600 */
	assert_true(accel_utf8_valid("\xf4\x8f\xbf\xbf"));	/* U+10FFFF */
	assert_false(accel_utf8_valid("\xc5"));		/* cut */
	assert_false(accel_utf8_valid("\x9b"));		/* lone continuation */
	assert_false(accel_utf8_valid("\xa1"));		/* Latin-1 */
	assert_false(accel_utf8_valid("\xc0\xaf"));		/* overlong / */
	assert_false(accel_utf8_valid("\xe0\x80\xaf"));	/* overlong */
	assert_false(accel_utf8_valid("\xf0\x80\x80\xaf"));	/* overlong */
	assert_false(accel_utf8_valid("\xed\xa0\x80"));	/* surrogate */
	assert_false(accel_utf8_valid("\xf4\x90\x80\x80"));	/* > U+10FFFF */
	assert_false(accel_utf8_valid("\xf5\x80\x80\x80"));
	assert_false(accel_utf8_valid("\xff"));
	assert_false(accel_utf8_valid("\xe2\x82"));
	assert_int_equal(accel_utf8_seq("\xc5\x9b", 1), 0);	/* past left */
	assert_int_equal(accel_utf8_seq("\xc5\x9b", 2), 2);
}

static void test_utf8_sanitize(void **state)
{
	char b[64], *d;
	unsigned int c;

	assert_int_equal(accel_utf8_sanitize("\xc5\x9bwiat", b, sizeof(b)), 6);
	assert_string_equal(b, "\xc5\x9bwiat");
	/* each byte of a bad sequence is one U+FFFD; the good rest stays */
	assert_int_equal(accel_utf8_sanitize("a\xc5" "b\xe2\x82", b,
					     sizeof(b)), 11);
	assert_string_equal(b, "a" FFFD "b" FFFD FFFD);
	accel_utf8_sanitize("\xed\xa0\x80", b, sizeof(b));
	assert_string_equal(b, FFFD FFFD FFFD);
	/* truncation keeps whole characters and reports the full length */
	assert_int_equal(accel_utf8_sanitize("ab\xff", b, 5), 5);
	assert_string_equal(b, "ab");
	assert_int_equal(accel_utf8_sanitize("ab\xff", b, 6), 5);
	assert_string_equal(b, "ab" FFFD);
	assert_int_equal(accel_utf8_sanitize("x", b, 1), 1);
	assert_string_equal(b, "");
	assert_int_equal(accel_utf8_sanitize("\x80", NULL, 0), 3);
	/* every single byte: the result is always valid */
	for (c = 1; c < 256; c++) {
		char in[4] = { (char)c, (char)c, 'z', 0 };

		accel_utf8_sanitize(in, b, sizeof(b));
		assert_true(accel_utf8_valid(b));
		assert_int_equal(b[strlen(b) - 1], 'z');
	}
	d = accel_utf8_dup("\x91\xc5\x9b");
	assert_non_null(d);
	assert_string_equal(d, FFFD "\xc5\x9b");
	free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fmt_ns),
		cmocka_unit_test(test_parse_u64),
		cmocka_unit_test(test_fmt_bytes),
		cmocka_unit_test(test_fmt_count),
		cmocka_unit_test(test_parse_duration),
		cmocka_unit_test(test_parse_duration_overflow),
		cmocka_unit_test(test_parse_percent_number),
		cmocka_unit_test(test_utf8_width),
		cmocka_unit_test(test_utf8_valid),
		cmocka_unit_test(test_utf8_sanitize),
	};

	return cmocka_run_group_tests_name("format", tests, NULL, NULL);
}
