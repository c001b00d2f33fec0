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

/* What a column of a row view holds: how it is parsed and printed. */
enum ptab_type {
	PTAB_U32,	/* decimal u32 */
	PTAB_U64,	/* decimal u64 */
	PTAB_HEX64,	/* 0x-hex u64 (an address; a string in JSON) */
	PTAB_STR,	/* a word into a char[size] */
	PTAB_STATE,	/* a PTAB_STR, and its index in names[] at state */
	PTAB_FLAG,	/* 0 or 1 into a bool */
	PTAB_ACCESS,	/* "read" or "write" into an enum accel_access */
};

/*
 * A column of a row view and the field of the row struct it fills. The
 * same table drives the parser (ptab_parse()) and the JSON rows
 * (json_rows.c), whose members follow the columns' order.
 */
struct ptab_col {
	const char *name;	/* in the header; "?name": optional */
	enum ptab_type type;
	size_t off;		/* of the field in the row */
	size_t size;		/* of the field */
	const char *key;	/* JSON member: NULL the name, "" none */
	size_t has;		/* optional: offset of the bool "it was there" */
	const char *const *names;	/* PTAB_STATE: names[0] is "unknown" */
	unsigned int nnames;
	size_t state;		/* PTAB_STATE: offset of the enum */
};

/* .off and .size of a ptab_col: field of struct row. */
#define PTAB_AT(row, field) \
	.off = offsetof(row, field), .size = sizeof(((row *)0)->field)
/* A column named as its field, of type PTAB_<type>. */
#define PTAB_COL(row, type, field) { #field, PTAB_##type, PTAB_AT(row, field) }
/* The "state" column: state_str, and its index in names[] into state. */
#define PTAB_STATE_COL(row, names_)					\
	{ "state", PTAB_STATE, PTAB_AT(row, state_str), .names = names_,	\
	  .nnames = ARRAY_SIZE(names_), .state = offsetof(row, state) }

/* The column name without its '?'. */
static inline const char *ptab_col_name(const struct ptab_col *c)
{
	return c->name + (c->name[0] == '?');
}

/* A view of rows: its columns, its row size, and checks across fields. */
struct ptab_view {
	const struct ptab_col *cols;
	unsigned int ncols;
	size_t size;
	/* After the columns are parsed: 0, or an error from ptab_error(). */
	int (*check)(struct ptab *t, const void *row);
};

extern const struct ptab_view ptab_spa_view, ptab_pasids_view,
	ptab_faults_view, ptab_irqs_view, ptab_kctx_view, ptab_atc_view;

/*
 * Define ptab_<view>_view, of the file's cols[] and check(), and the
 * public accel_parse_<view>() and <type>_free() of struct <type>, whose
 * rows member points to the rows and n counts them.
 */
#define PTAB_ROWS_VIEW(view, type, rows, check)				\
const struct ptab_view ptab_##view##_view = {				\
	cols, ARRAY_SIZE(cols), sizeof(*((struct type *)0)->rows), check	\
};									\
int accel_parse_##view(const char *buf, size_t len, const char *name,	\
		       struct type *out, struct accel_err *err)		\
{									\
	return ptab_parse(&ptab_##view##_view, buf, len, name,		\
			  (void **)&out->rows, &out->n, err);		\
}									\
void type##_free(struct type *out)					\
{									\
	ptab_free((void **)&out->rows, &out->n);			\
}

/*
 * Parse a view of v's rows: a header naming v's columns (see ptab_cols()),
 * then one row a line. Each row's fields are checked in column order, then
 * the flags and access values, then v->check(). On success *rows (to
 * free()) and *n hold the rows; on error they are NULL and 0 and err says
 * why.
 */
int ptab_parse(const struct ptab_view *v, const char *buf, size_t len,
	       const char *name, void **rows, size_t *n,
	       struct accel_err *err);

/* Free rows from ptab_parse() and zero *rows and *n (again: harmless). */
void ptab_free(void **rows, size_t *n);

/* ptab_begin(), then ptab_cols() of names[] into idx[]. */
int ptab_open(struct ptab *t, const char *buf, size_t len, const char *name,
	      const char *const *names, int *idx, unsigned int n,
	      struct accel_err *err);

/* names[i], or names[0] ("unknown") when i is out of names[0..n-1]. */
const char *ptab_name(const char *const *names, unsigned int n,
		      unsigned int i);

/* The index of s in names[1..n-1], or 0 (names[0] is "unknown"). */
unsigned int ptab_enum(const char *s, const char *const *names,
		       unsigned int n);

/* Parse a whole number in [s, s+len) into *v; 0 or -EINVAL. */
int accel_strict_u64(const char *s, size_t len, uint64_t *v);

#endif /* ACCEL_PARSE_TABLE_H */
