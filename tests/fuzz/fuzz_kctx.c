// SPDX-License-Identifier: MIT
/* libFuzzer harness: accel_parse_kctx, the per-device "kctx" view. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct accel_kctxs a, b;
	struct accel_err err;
	int ret;

	fuzz_err_init(&err);
	ret = accel_parse_kctx((const char *)data, size, FUZZ_NAME, &a, &err);
	if (ret) {
		fuzz_check_err(ret, &err);
		FUZZ_CHECK(!a.k && !a.n);
		accel_kctxs_free(&a);
		return 0;
	}
	fuzz_check_table(data, size);
	FUZZ_CHECK(!a.n || a.k);
	FUZZ_CHECK(!accel_parse_kctx((const char *)data, size, FUZZ_NAME, &b,
				     &err));
	FUZZ_CHECK(a.n == b.n);
	FUZZ_CHECK(!a.n || !memcmp(a.k, b.k, a.n * sizeof(*a.k)));
	accel_kctxs_free(&a);
	accel_kctxs_free(&b);
	accel_kctxs_free(&a);
	return 0;
}
