// SPDX-License-Identifier: MIT
/* libFuzzer harness: accel_parse_pasids, the "pasids" views. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct accel_pasids a, b;
	struct accel_err err;
	size_t i;
	int ret;

	fuzz_err_init(&err);
	ret = accel_parse_pasids((const char *)data, size, FUZZ_NAME, &a,
				 &err);
	if (ret) {
		fuzz_check_err(ret, &err);
		FUZZ_CHECK(!a.p && !a.n);
		accel_pasids_free(&a);
		return 0;
	}
	fuzz_check_table(data, size);
	FUZZ_CHECK(!a.n || a.p);
	for (i = 0; i < a.n; i++) {
		const struct accel_pasid *p = &a.p[i];

		FUZZ_CSTR(p->state_str);
		FUZZ_CHECK(p->state_str[0]);
		if (p->state != ACCEL_PASID_UNKNOWN)
			FUZZ_CHECK(!strcmp(accel_pasid_state_name(p->state),
					   p->state_str));
		else
			FUZZ_CHECK(strcmp(p->state_str, "live") &&
				   strcmp(p->state_str, "draining") &&
				   strcmp(p->state_str, "free-pending"));
	}
	FUZZ_CHECK(!accel_parse_pasids((const char *)data, size, FUZZ_NAME,
				       &b, &err));
	FUZZ_CHECK(a.n == b.n);
	FUZZ_CHECK(!a.n || !memcmp(a.p, b.p, a.n * sizeof(*a.p)));
	accel_pasids_free(&a);
	accel_pasids_free(&b);
	accel_pasids_free(&a);
	return 0;
}
