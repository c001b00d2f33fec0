// SPDX-License-Identifier: MIT
/* libFuzzer harness: accel_parse_faults, the per-device "faults" view. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct accel_faults a, b;
	struct accel_err err;
	size_t i;
	int ret;

	fuzz_err_init(&err);
	ret = accel_parse_faults((const char *)data, size, FUZZ_NAME, &a,
				 &err);
	if (ret) {
		fuzz_check_err(ret, &err);
		FUZZ_CHECK(!a.f && !a.n);
		accel_faults_free(&a);
		return 0;
	}
	fuzz_check_table(data, size);
	FUZZ_CHECK(!a.n || a.f);
	for (i = 0; i < a.n; i++) {
		const struct accel_fault *f = &a.f[i];

		FUZZ_CSTR(f->state_str);
		FUZZ_CHECK(f->state_str[0]);
		FUZZ_CHECK(f->access == ACCEL_ACCESS_READ ||
			   f->access == ACCEL_ACCESS_WRITE);
		if (f->state != ACCEL_FAULT_UNKNOWN)
			FUZZ_CHECK(!strcmp(accel_fault_state_name(f->state),
					   f->state_str));
		else
			FUZZ_CHECK(strcmp(f->state_str, "pending") &&
				   strcmp(f->state_str, "resolving") &&
				   strcmp(f->state_str, "held"));
	}
	FUZZ_CHECK(!accel_parse_faults((const char *)data, size, FUZZ_NAME,
				       &b, &err));
	FUZZ_CHECK(a.n == b.n);
	FUZZ_CHECK(!a.n || !memcmp(a.f, b.f, a.n * sizeof(*a.f)));
	accel_faults_free(&a);
	accel_faults_free(&b);
	accel_faults_free(&a);
	return 0;
}
