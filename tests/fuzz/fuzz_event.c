// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness: accel_event_next, the decoder of the char device's
 * read() stream, walked to its end from offset 0.
 */
#include "fuzz.h"

#include "accel_uapi.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct accel_event ev;
	size_t off = 0, prev;
	int ret;

	for (;;) {
		prev = off;
		ret = accel_event_next(data, size, &off, &ev);
		if (ret != 1)
			break;
		/* progress by at least a header, never past the end */
		FUZZ_CHECK(off >= prev + sizeof(struct accelsim_event_header));
		FUZZ_CHECK(off <= size);
		FUZZ_CHECK(ev.version == 1);
	}
	FUZZ_CHECK(ret == 0 || ret == -EPROTO);
	FUZZ_CHECK(off == prev);
	FUZZ_CHECK(ret != 0 || off == size);
	/* past the end: nothing */
	off = size;
	FUZZ_CHECK(accel_event_next(data, size, &off, &ev) == 0);
	return 0;
}
