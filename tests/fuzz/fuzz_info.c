// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness: accel_parse_info, the per-device "info" view, and
 * accel_parse_dev_name on its dev column.
 */
#include "fuzz.h"

#include "accel.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct accel_info a, b;
	struct accel_err err;
	unsigned int id, id2;
	int ret;

	fuzz_err_init(&err);
	ret = accel_parse_info((const char *)data, size, FUZZ_NAME, &a, &err);
	if (ret) {
		fuzz_check_err(ret, &err);
		return 0;
	}
	fuzz_check_table(data, size);
	FUZZ_CSTR(a.dev);
	FUZZ_CSTR(a.version);
	FUZZ_CSTR(a.state_str);
	FUZZ_CHECK(a.dev[0] && a.version[0] && a.state_str[0]);
	FUZZ_CHECK(a.ver_major == ACCEL_VIEWS_MAJOR);
	FUZZ_CHECK(a.ver_minor <= 65535 && a.ver_patch <= 65535);
	FUZZ_CHECK(a.state == ACCEL_DEV_UNKNOWN ||
		   !strcmp(a.state_str, a.state == ACCEL_DEV_ONLINE ?
			   "online" : "removing"));
	FUZZ_CHECK(a.state != ACCEL_DEV_UNKNOWN ||
		   (strcmp(a.state_str, "online") &&
		    strcmp(a.state_str, "removing")));
	/* a device name that parses names that device */
	if (!accel_parse_dev_name(a.dev, &id)) {
		char name[32];

		snprintf(name, sizeof(name), "afu%u", id);
		FUZZ_CHECK(!accel_parse_dev_name(name, &id2) && id2 == id);
	}
	/* the same input, the same result */
	FUZZ_CHECK(!accel_parse_info((const char *)data, size, FUZZ_NAME, &b,
				     &err));
	FUZZ_CHECK(!memcmp(&a, &b, sizeof(a)));
	return 0;
}
