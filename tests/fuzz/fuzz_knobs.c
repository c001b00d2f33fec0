// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness: the inject/ knob parsers (accel_parse_knob_u64,
 * accel_parse_knob_bool, accel_parse_fail_attach) on the same input, and
 * their agreement: a flag is a u64 of 0 or 1.
 */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *d = (const char *)data;
	struct accel_err err;
	uint32_t n, e;
	int ru, rb, rf;
	uint64_t v;
	bool b;

	fuzz_err_init(&err);
	ru = accel_parse_knob_u64(d, size, FUZZ_NAME, &v, &err);
	if (ru)
		fuzz_check_err(ru, &err);
	fuzz_err_init(&err);
	rb = accel_parse_knob_bool(d, size, FUZZ_NAME, &b, &err);
	if (rb)
		fuzz_check_err(rb, &err);
	fuzz_err_init(&err);
	rf = accel_parse_fail_attach(d, size, FUZZ_NAME, &n, &e, &err);
	if (rf)
		fuzz_check_err(rf, &err);
	else
		FUZZ_CHECK(e <= 133);
	/* a knob reads back as one line */
	if (!ru || !rb || !rf) {
		fuzz_check_table(data, size);
		FUZZ_CHECK(memchr(data, '\n', size) == data + size - 1);
	}
	/* "1" and "0" are flags; a flag is a number (leading zeros aside) */
	if (!rb)
		FUZZ_CHECK(!ru && v == (uint64_t)b);
	if (!ru && v > 1)
		FUZZ_CHECK(rb);
	/* one value is never two */
	FUZZ_CHECK(ru || rf);
	return 0;
}
