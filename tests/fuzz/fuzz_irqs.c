// SPDX-License-Identifier: MIT
/* libFuzzer harness: accel_parse_irqs, the per-device "irqs" view. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct accel_irqs a, b;
	struct accel_err err;
	int ret;

	fuzz_err_init(&err);
	ret = accel_parse_irqs((const char *)data, size, FUZZ_NAME, &a, &err);
	if (ret) {
		fuzz_check_err(ret, &err);
		FUZZ_CHECK(!a.r && !a.n);
		accel_irqs_free(&a);
		return 0;
	}
	fuzz_check_table(data, size);
	FUZZ_CHECK(!a.n || a.r);
	FUZZ_CHECK(!accel_parse_irqs((const char *)data, size, FUZZ_NAME, &b,
				     &err));
	FUZZ_CHECK(a.n == b.n);
	FUZZ_CHECK(!a.n || !memcmp(a.r, b.r, a.n * sizeof(*a.r)));
	accel_irqs_free(&a);
	accel_irqs_free(&b);
	accel_irqs_free(&a);
	return 0;
}
