/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer harnesses of the libaccel parsers (tests/fuzz/fuzz_*.c): what
 * they share. Besides crashes and sanitizer reports, a harness aborts when
 * a parser breaks its documented contract (lib/accel_views.h and friends):
 * an error without a message, rows left behind on error, a state that
 * does not match its name, different results for the same input.
 */
#ifndef ACCEL_FUZZ_H
#define ACCEL_FUZZ_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accel_views.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_NAME "fuzz"

/* Abort (libFuzzer saves the input as a crash) when cond does not hold. */
#define FUZZ_CHECK(cond)						\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "%s:%d: contract broken: %s\n",	\
				__FILE__, __LINE__, #cond);		\
			abort();					\
		}							\
	} while (0)

/* A string field: NUL-terminated inside its array. */
#define FUZZ_CSTR(a) FUZZ_CHECK(memchr((a), '\0', sizeof(a)) != NULL)

/* An error: a known errno and one non-empty line starting with the name. */
static inline void fuzz_check_err(int ret, const struct accel_err *err)
{
	FUZZ_CHECK(ret == -EINVAL || ret == -ENOMEM);
	FUZZ_CSTR(err->msg);
	FUZZ_CHECK(!strncmp(err->msg, FUZZ_NAME ":", strlen(FUZZ_NAME ":")));
	FUZZ_CHECK(!strchr(err->msg, '\n'));
}

/*
 * What a view a parser accepted must look like (lib/accel_views.h): not
 * empty, the last line ends with a newline, no empty line, no NUL byte.
 */
static inline void fuzz_check_table(const uint8_t *data, size_t size)
{
	FUZZ_CHECK(size > 0 && data[size - 1] == '\n');
	FUZZ_CHECK(data[0] != '\n');
	FUZZ_CHECK(!memmem(data, size, "\n\n", 2));
	FUZZ_CHECK(!memchr(data, '\0', size));
}

/* A fresh error struct, so a parser that fails silently is noticed. */
static inline void fuzz_err_init(struct accel_err *err)
{
	memset(err->msg, 0, sizeof(err->msg));
}

#endif /* ACCEL_FUZZ_H */
