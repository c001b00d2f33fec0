/* SPDX-License-Identifier: MIT */
/*
 * libaccel internal: tokenizer shared by the debugfs view parsers. A view
 * is a header line naming the columns, then rows of whitespace-separated
 * fields. Not part of the public API.
 */
#ifndef ACCEL_PARSE_TABLE_H
#define ACCEL_PARSE_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "accel_views.h"

#define PTAB_MAX_COLS 64

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif
/* Upper bound on rows, so hostile input cannot exhaust memory. */
#define PTAB_MAX_ROWS (1u << 22)

struct ptab_field {
	const char *s;
	size_t len;
};

struct ptab {
	const char *name;
	const char *buf;
	size_t len;
	size_t pos;
	unsigned int line;	/* line number of the current row */
	unsigned int ncols;
	struct ptab_field col[PTAB_MAX_COLS];
	unsigned int nf;
	struct ptab_field f[PTAB_MAX_COLS];
	struct accel_err *err;
};

/* Read and split the header line. */
int ptab_begin(struct ptab *t, const char *buf, size_t len, const char *name,
	       struct accel_err *err);
/* Index of a required column, or -EINVAL with "missing column" error. */
int ptab_col(struct ptab *t, const char *col);
/*
 * Indices of the n columns names[] into idx[]; 0, or -EINVAL naming the
 * first missing one. A name starting with '?' is optional: its index is
 * -1 when the header lacks it.
 */
int ptab_cols(struct ptab *t, const char *const *names, int *idx,
	      unsigned int n);
/* Index of an optional column, or -1. */
int ptab_optcol(struct ptab *t, const char *col);
/* Next row: 1 read, 0 end of input, negative errno on error. */
int ptab_next(struct ptab *t);
/*
 * Next line split into t->f whatever its field count (t->nf), for a
 * reader that walks a view without checking it against the header
 * (redaction): 1 read, 0 end of input, -EINVAL on a line without its
 * newline or with a NUL byte.
 */
int ptab_split(struct ptab *t);
/* Field accessors; what names the value in messages ("bad pasid 'x'"). */
int ptab_u64(struct ptab *t, int idx, const char *what, uint64_t *v);
int ptab_u32(struct ptab *t, int idx, const char *what, uint32_t *v);
int ptab_hex64(struct ptab *t, int idx, const char *what, uint64_t *v);
int ptab_str(struct ptab *t, int idx, const char *what, char *buf,
	     size_t size);
/* Field idx equal to s? */
bool ptab_is(const struct ptab *t, int idx, const char *s);
/* Format an error at the current line. */
int ptab_error(struct ptab *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Quote at most 32 bytes of a field for a message, escaping oddities. */
void ptab_quote(const char *s, size_t len, char *buf, size_t size);

/* Grow *arr (of *n elements of size sz) by one zeroed slot; NULL on OOM. */
void *ptab_push(void **arr, size_t *n, size_t *cap, size_t sz);

/*
 * Fills the zeroed row from t's current fields; idx[] holds the columns'
 * indices in the order of ptab_rows()'s cols[]. 0, or a negative errno
 * with the error set (the ptab_u64() family and ptab_error() set it).
 */
typedef int (*ptab_row_fn)(struct ptab *t, const int *idx, void *row);

/*
 * Parse a view of rows of sz bytes: a header naming cols[] (see
 * ptab_cols()), then one row() call per line. On success *rows (to
 * free()) and *n hold the rows; on error they are NULL and 0 and err says
 * why.
 */
int ptab_rows(const char *buf, size_t len, const char *name,
	      const char *const *cols, unsigned int ncols, size_t sz,
	      ptab_row_fn row, void **rows, size_t *n, struct accel_err *err);

/* The index of s in names[1..n-1], or 0 (names[0] is "unknown"). */
unsigned int ptab_enum(const char *s, const char *const *names,
		       unsigned int n);

/* Parse a whole number in [s, s+len) into *v; 0 or -EINVAL. */
int accel_strict_u64(const char *s, size_t len, uint64_t *v);

#endif /* ACCEL_PARSE_TABLE_H */
