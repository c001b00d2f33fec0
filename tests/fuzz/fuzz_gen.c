// SPDX-License-Identifier: MIT
/* libFuzzer harness: accel_parse_gen, the per-device "gen" view. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct accel_gen a, b;
	struct accel_err err;
	unsigned int v;
	int ret;

	fuzz_err_init(&err);
	ret = accel_parse_gen((const char *)data, size, FUZZ_NAME, &a, &err);
	if (ret) {
		fuzz_check_err(ret, &err);
		/* an error leaves no count: every view is read */
		FUZZ_CHECK(!a.has);
		return 0;
	}
	fuzz_check_table(data, size);
	FUZZ_CHECK(!(a.has >> ACCEL_GEN_NR));
	for (v = 0; v < ACCEL_GEN_NR; v++) {
		FUZZ_CHECK(a.has & (1u << v) || !a.gen[v]);
		FUZZ_CHECK(accel_gen_same(&a, &a, v) == !!(a.has & (1u << v)));
	}
	FUZZ_CHECK(!accel_parse_gen((const char *)data, size, FUZZ_NAME, &b,
				    &err));
	FUZZ_CHECK(!memcmp(&a, &b, sizeof(a)));
	return 0;
}
