/* SPDX-License-Identifier: MIT */
/*
 * Helpers for the libaccel unit tests (cmocka).
 */
#ifndef UNIT_H
#define UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>

#include <cmocka.h>

#include "accel_views.h"

/* Call parser fn on a string literal, name "afu0/view". */
#define PARSE(fn, text, out, err) \
	fn(text, sizeof(text) - 1, "afu0/view", out, err)

/* Assert the error message is exactly msg. */
#define assert_err(e, text) assert_string_equal((e)->msg, text)

#endif /* UNIT_H */
