// SPDX-License-Identifier: MIT
/* libFuzzer harness: accel_parse_spa, the per-device "spa" view. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct accel_spa a, b;
	struct accel_err err;
	size_t i;
	int ret;

	fuzz_err_init(&err);
	ret = accel_parse_spa((const char *)data, size, FUZZ_NAME, &a, &err);
	if (ret) {
		fuzz_check_err(ret, &err);
		FUZZ_CHECK(!a.pe && !a.n);
		accel_spa_free(&a);
		return 0;
	}
	fuzz_check_table(data, size);
	FUZZ_CHECK(!a.n || a.pe);
	for (i = 0; i < a.n; i++) {
		const struct accel_pe *p = &a.pe[i];

		FUZZ_CSTR(p->comm);
		FUZZ_CSTR(p->state_str);
		FUZZ_CHECK(p->comm[0] && p->state_str[0]);
		if (p->state != ACCEL_PE_UNKNOWN)
			FUZZ_CHECK(!strcmp(accel_pe_state_name(p->state),
					   p->state_str));
		else
			FUZZ_CHECK(strcmp(p->state_str, "active") &&
				   strcmp(p->state_str, "terminating") &&
				   strcmp(p->state_str, "zombie"));
		FUZZ_CHECK(p->has_bytes || !p->bytes);
		FUZZ_CHECK(p->has_bytes == a.pe[0].has_bytes);
	}
	FUZZ_CHECK(!accel_parse_spa((const char *)data, size, FUZZ_NAME, &b,
				    &err));
	FUZZ_CHECK(a.n == b.n);
	FUZZ_CHECK(!a.n || !memcmp(a.pe, b.pe, a.n * sizeof(*a.pe)));
	accel_spa_free(&a);
	accel_spa_free(&b);
	/* freeing twice is allowed */
	accel_spa_free(&a);
	return 0;
}
