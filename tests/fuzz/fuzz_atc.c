// SPDX-License-Identifier: MIT
/* libFuzzer harness: accel_parse_atc, the per-device "atc" view. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct accel_atc a, b;
	struct accel_err err;
	int ret;

	fuzz_err_init(&err);
	ret = accel_parse_atc((const char *)data, size, FUZZ_NAME, &a, &err);
	if (ret) {
		fuzz_check_err(ret, &err);
		FUZZ_CHECK(!a.e && !a.n);
		accel_atc_free(&a);
		return 0;
	}
	fuzz_check_table(data, size);
	FUZZ_CHECK(!a.n || a.e);
	FUZZ_CHECK(!accel_parse_atc((const char *)data, size, FUZZ_NAME, &b,
				     &err));
	FUZZ_CHECK(a.n == b.n);
	FUZZ_CHECK(!a.n || !memcmp(a.e, b.e, a.n * sizeof(*a.e)));
	accel_atc_free(&a);
	accel_atc_free(&b);
	accel_atc_free(&a);
	return 0;
}
