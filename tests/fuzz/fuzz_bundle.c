// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness: the support-bundle reader (lib/bundle.c) on raw
 * bytes (gzip or plain tar). Runs the library's own walk
 * (fuzz_walk_bundle), then opens the input again and checks what the
 * reader promises (fuzz_bundle.h). fuzz_bundle_tar feeds it well-formed
 * archives instead.
 */
#include "fuzz_bundle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FUZZ_CHECK(fuzz_walk_bundle(data, size) == 0);
	fuzz_open_bundle(data, size);
	return 0;
}
