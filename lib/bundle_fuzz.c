// SPDX-License-Identifier: MIT
/*
 * libaccel: libFuzzer harness of the bundle reader. Built only with
 * -DACCEL_FUZZER, for example:
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -DACCEL_FUZZER \
 *     -D_GNU_SOURCE -Ilib -I/usr/include/json-c lib/[a-z]*.c \
 *     -larchive -ljson-c -lm -o bundle_fuzz
 *   ./bundle_fuzz -max_len=65536 CORPUS_DIR
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
