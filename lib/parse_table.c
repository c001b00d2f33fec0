// SPDX-License-Identifier: MIT
/*
 * libaccel: tokenizer for the debugfs table views. Works on a buffer and
 * a length, never on NUL-terminated strings, so any bytes are safe.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse_table.h"

void accel_err_set(struct accel_err *err, const char *name, unsigned int line,
		   const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	if (!err)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (line)
		snprintf(err->msg, sizeof(err->msg), "%s:%u: %s",
			 name ? name : "?", line, msg);
	else
		snprintf(err->msg, sizeof(err->msg), "%s: %s",
			 name ? name : "?", msg);
}

void ptab_quote(const char *s, size_t len, char *buf, size_t size)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, o = 0;

	if (!size)
		return;
	for (i = 0; i < len && i < 32; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7f && c != '\\') {
			if (o + 1 >= size)
				break;
			buf[o++] = (char)c;
		} else {
			if (o + 4 >= size)
				break;
			buf[o++] = '\\';
			buf[o++] = 'x';
			buf[o++] = hex[c >> 4];
			buf[o++] = hex[c & 15];
		}
	}
	if (i < len && o + 3 < size) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o] = '\0';
}

int ptab_error(struct ptab *t, const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	accel_err_set(t->err, t->name, t->line, "%s", msg);
	return -EINVAL;
}

static bool is_sep(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * Split the next line into fields. Returns 1 with a line, 0 at the end of
 * the buffer, -EINVAL on a line without its newline or with a NUL byte.
 */
static int split_line(struct ptab *t, struct ptab_field *f, unsigned int *nf)
{
	const char *p, *end, *nl;
	unsigned int n = 0;

	if (t->pos >= t->len)
		return 0;
	t->line++;
	p = t->buf + t->pos;
	nl = memchr(p, '\n', t->len - t->pos);
	if (!nl) {
		t->pos = t->len;
		return ptab_error(t, "truncated line (no newline at end)");
	}
	end = nl;
	t->pos = (size_t)(nl - t->buf) + 1;
	if (memchr(p, '\0', (size_t)(end - p)))
		return ptab_error(t, "NUL byte in line");
	while (p < end) {
		const char *s;

		while (p < end && is_sep(*p))
			p++;
		if (p == end)
			break;
		s = p;
		while (p < end && !is_sep(*p))
			p++;
		if (n == PTAB_MAX_COLS)
			return ptab_error(t, "more than %d fields",
					  PTAB_MAX_COLS);
		f[n].s = s;
		f[n].len = (size_t)(p - s);
		n++;
	}
	*nf = n;
	return 1;
}

int ptab_begin(struct ptab *t, const char *buf, size_t len, const char *name,
	       struct accel_err *err)
{
	unsigned int i, j;
	int ret;

	memset(t, 0, sizeof(*t));
	t->buf = buf;
	t->len = buf ? len : 0;
	t->name = name;
	t->err = err;
	ret = split_line(t, t->col, &t->ncols);
	if (ret < 0)
		return ret;
	if (ret == 0) {
		accel_err_set(err, name, 0, "empty file (no header line)");
		return -EINVAL;
	}
	if (!t->ncols)
		return ptab_error(t, "empty header line");
	for (i = 0; i < t->ncols; i++)
		for (j = 0; j < i; j++)
			if (t->col[i].len == t->col[j].len &&
			    !memcmp(t->col[i].s, t->col[j].s, t->col[i].len)) {
				char q[64];

				ptab_quote(t->col[i].s, t->col[i].len, q,
					   sizeof(q));
				return ptab_error(t, "column '%s' twice in "
						  "header", q);
			}
	return 0;
}

int ptab_optcol(struct ptab *t, const char *col)
{
	size_t len = strlen(col);
	unsigned int i;

	for (i = 0; i < t->ncols; i++)
		if (t->col[i].len == len && !memcmp(t->col[i].s, col, len))
			return (int)i;
	return -1;
}

int ptab_col(struct ptab *t, const char *col)
{
	int i = ptab_optcol(t, col);
	unsigned int saved = t->line;

	if (i >= 0)
		return i;
	t->line = 1;
	ptab_error(t, "missing column '%s' in header (unknown format?)", col);
	t->line = saved;
	return -EINVAL;
}

int ptab_cols(struct ptab *t, const char *const *names, int *idx,
	      unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (names[i][0] == '?') {
			idx[i] = ptab_optcol(t, names[i] + 1);
			continue;
		}
		idx[i] = ptab_col(t, names[i]);
		if (idx[i] < 0)
			return -EINVAL;
	}
	return 0;
}

int ptab_split(struct ptab *t)
{
	return split_line(t, t->f, &t->nf);
}

int ptab_next(struct ptab *t)
{
	int ret;

	ret = split_line(t, t->f, &t->nf);
	if (ret <= 0)
		return ret;
	if (t->nf == 0)
		return ptab_error(t, "empty line");
	if (t->nf < t->ncols)
		return ptab_error(t, "truncated line: %u of %u fields",
				  t->nf, t->ncols);
	if (t->nf > t->ncols)
		return ptab_error(t, "%u fields, header has %u", t->nf,
				  t->ncols);
	return 1;
}

int accel_strict_u64(const char *s, size_t len, uint64_t *v)
{
	uint64_t x = 0;
	size_t i;

	if (!len || len > 20)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		unsigned int d;

		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		d = (unsigned int)(s[i] - '0');
		if (x > (UINT64_MAX - d) / 10)
			return -EINVAL;
		x = x * 10 + d;
	}
	*v = x;
	return 0;
}

static int bad(struct ptab *t, int idx, const char *what)
{
	char q[160];

	ptab_quote(t->f[idx].s, t->f[idx].len, q, sizeof(q));
	return ptab_error(t, "bad %s '%s'", what, q);
}

int ptab_u64(struct ptab *t, int idx, const char *what, uint64_t *v)
{
	if (accel_strict_u64(t->f[idx].s, t->f[idx].len, v))
		return bad(t, idx, what);
	return 0;
}

int ptab_u32(struct ptab *t, int idx, const char *what, uint32_t *v)
{
	uint64_t x;

	if (accel_strict_u64(t->f[idx].s, t->f[idx].len, &x) ||
	    x > UINT32_MAX)
		return bad(t, idx, what);
	*v = (uint32_t)x;
	return 0;
}

int ptab_hex64(struct ptab *t, int idx, const char *what, uint64_t *v)
{
	const char *s = t->f[idx].s;
	size_t len = t->f[idx].len, i;
	uint64_t x = 0;

	if (len < 3 || len > 18 || s[0] != '0' || s[1] != 'x')
		return bad(t, idx, what);
	for (i = 2; i < len; i++) {
		unsigned int d;

		if (s[i] >= '0' && s[i] <= '9')
			d = (unsigned int)(s[i] - '0');
		else if (s[i] >= 'a' && s[i] <= 'f')
			d = (unsigned int)(s[i] - 'a' + 10);
		else
			return bad(t, idx, what);
		x = (x << 4) | d;
	}
	*v = x;
	return 0;
}

int ptab_str(struct ptab *t, int idx, const char *what, char *buf,
	     size_t size)
{
	if (t->f[idx].len >= size)
		return bad(t, idx, what);
	memcpy(buf, t->f[idx].s, t->f[idx].len);
	buf[t->f[idx].len] = '\0';
	return 0;
}

bool ptab_is(const struct ptab *t, int idx, const char *s)
{
	size_t len = strlen(s);

	return t->f[idx].len == len && !memcmp(t->f[idx].s, s, len);
}

void *ptab_push(void **arr, size_t *n, size_t *cap, size_t sz)
{
	char *p;

	if (*n >= PTAB_MAX_ROWS)
		return NULL;
	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;

		p = realloc(*arr, ncap * sz);
		if (!p)
			return NULL;
		*arr = p;
		*cap = ncap;
	}
	p = (char *)*arr + *n * sz;
	memset(p, 0, sz);
	(*n)++;
	return p;
}

int ptab_open(struct ptab *t, const char *buf, size_t len, const char *name,
	      const char *const *names, int *idx, unsigned int n,
	      struct accel_err *err)
{
	int ret;

	ret = ptab_begin(t, buf, len, name, err);
	if (ret)
		return ret;
	return ptab_cols(t, names, idx, n);
}

/* Column c of the current row, at idx: its syntax, into the row. */
static int parse_field(struct ptab *t, const struct ptab_col *c, int idx,
		       char *row)
{
	const char *what = ptab_col_name(c);
	void *f = row + c->off;
	uint32_t u;

	switch (c->type) {
	case PTAB_U32:
		return ptab_u32(t, idx, what, f);
	case PTAB_U64:
		return ptab_u64(t, idx, what, f);
	case PTAB_HEX64:
		return ptab_hex64(t, idx, what, f);
	case PTAB_STR:
		return ptab_str(t, idx, what, f, c->size);
	case PTAB_STATE:
		if (ptab_str(t, idx, what, f, c->size))
			return -EINVAL;
		*(int *)(row + c->state) =
			(int)ptab_enum(f, c->names, c->nnames);
		return 0;
	case PTAB_FLAG:
		return ptab_u32(t, idx, what, &u);
	default:
		return 0;	/* PTAB_ACCESS: any word, see check_value() */
	}
}

/*
 * The words a flag or an access may be, checked once every field of the
 * row has passed parse_field().
 */
static int check_value(struct ptab *t, const struct ptab_col *c, int idx,
		       char *row)
{
	const char *what = ptab_col_name(c);
	void *f = row + c->off;
	char q[160];
	uint32_t u;

	if (c->type == PTAB_FLAG) {
		ptab_u32(t, idx, what, &u);	/* parse_field() checked it */
		if (u > 1)
			return ptab_error(t, "bad %s '%u' (0 or 1)", what, u);
		*(bool *)f = u;
	} else if (c->type == PTAB_ACCESS) {
		if (ptab_is(t, idx, "read")) {
			*(enum accel_access *)f = ACCEL_ACCESS_READ;
		} else if (ptab_is(t, idx, "write")) {
			*(enum accel_access *)f = ACCEL_ACCESS_WRITE;
		} else {
			ptab_quote(t->f[idx].s, t->f[idx].len, q, sizeof(q));
			return ptab_error(t, "bad %s '%s' (read or write)",
					  what, q);
		}
	}
	return 0;
}

/* The current line into the zeroed row; idx[] as ptab_cols() gave it. */
static int parse_row(struct ptab *t, const struct ptab_view *v,
		     const int *idx, char *row)
{
	unsigned int i;

	for (i = 0; i < v->ncols; i++) {
		const struct ptab_col *c = &v->cols[i];

		if (c->has)
			*(bool *)(row + c->has) = idx[i] >= 0;
		if (idx[i] >= 0 && parse_field(t, c, idx[i], row))
			return -EINVAL;
	}
	for (i = 0; i < v->ncols; i++)
		if (idx[i] >= 0 && check_value(t, &v->cols[i], idx[i], row))
			return -EINVAL;
	return v->check ? v->check(t, row) : 0;
}

int ptab_parse(const struct ptab_view *v, const char *buf, size_t len,
	       const char *name, void **rows, size_t *n,
	       struct accel_err *err)
{
	const char *names[PTAB_MAX_COLS];
	int idx[PTAB_MAX_COLS], ret;
	size_t cap = 0;
	unsigned int i;
	struct ptab t;

	*rows = NULL;
	*n = 0;
	if (v->ncols > PTAB_MAX_COLS)
		return -EINVAL;
	for (i = 0; i < v->ncols; i++)
		names[i] = v->cols[i].name;
	ret = ptab_open(&t, buf, len, name, names, idx, v->ncols, err);
	if (ret)
		return ret;
	while ((ret = ptab_next(&t)) > 0) {
		char *r = ptab_push(rows, n, &cap, v->size);

		if (!r) {
			ret = -ENOMEM;
			accel_err_set(err, name, t.line, "out of memory");
			break;
		}
		ret = parse_row(&t, v, idx, r);
		if (ret < 0)
			break;
	}
	if (ret < 0) {
		ptab_free(rows, n);
		return ret;
	}
	return 0;
}

void ptab_free(void **rows, size_t *n)
{
	free(*rows);
	*rows = NULL;
	*n = 0;
}

const char *ptab_name(const char *const *names, unsigned int n,
		      unsigned int i)
{
	return i < n ? names[i] : names[0];
}

unsigned int ptab_enum(const char *s, const char *const *names,
		       unsigned int n)
{
	unsigned int i;

	for (i = 1; i < n; i++)
		if (!strcmp(s, names[i]))
			return i;
	return 0;
}
