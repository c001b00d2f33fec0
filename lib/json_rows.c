// SPDX-License-Identifier: MIT
/*
 * libaccel: a device's row arrays (contexts, PASIDs, faults, IRQs) as
 * json-c arrays that print their rows straight from the parsed views,
 * through json-c's serializer hook, instead of holding one json-c object
 * per value. A snapshot of 4096 contexts spent most of its time building,
 * printing and freeing those objects.
 *
 * The text is json-c's own, byte for byte, in every mode: the layout
 * below (separators, indentation, the space of JSON_C_TO_STRING_SPACED)
 * follows json-c's printing of arrays and objects, and strings are
 * escaped by json-c. tests/unit/test_json_rows.c checks this: json-c,
 * printing the parsed text again, prints the same bytes.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <json-c/printbuf.h>

#include "accel_format.h"
#include "accel_json.h"
#include "parse_table.h"

/*
 * Bytes staged for json-c's print buffer and appended in one call when
 * the stage is full or the array is done: printbuf_memappend() per token
 * (a comma, a quote, a key) was two fifths of printing 4096 rows.
 */
struct stage {
	struct printbuf *pb;
	size_t len;
	char b[4096];
};

static void flush(struct stage *st)
{
	if (st->len)
		printbuf_memappend(st->pb, st->b, (int)st->len);
	st->len = 0;
}

/* Inlined: most calls have a constant n of one to three bytes. */
static inline __attribute__((always_inline)) void
put(struct stage *st, const char *s, size_t n)
{
	if (st->len + n > sizeof(st->b)) {
		flush(st);
		if (n > sizeof(st->b)) {
			printbuf_memappend(st->pb, s, (int)n);
			return;
		}
	}
	memcpy(st->b + st->len, s, n);
	st->len += n;
}

static void put_str(struct stage *st, const char *s)
{
	put(st, s, strlen(s));
}

static void fill(struct stage *st, char c, size_t n)
{
	while (n) {
		size_t k;

		if (st->len == sizeof(st->b))
			flush(st);
		k = sizeof(st->b) - st->len;
		if (k > n)
			k = n;
		memset(st->b + st->len, c, k);
		st->len += k;
		n -= k;
	}
}

/* One array or object being printed at some level. */
struct jw {
	struct stage *st;
	json_object *str;	/* reused to escape strings through json-c */
	int level;
	int flags;
	bool any;		/* a member was printed */
};

static bool pretty(int flags)
{
	return flags & JSON_C_TO_STRING_PRETTY;
}

static bool spaced(int flags)
{
	return (flags & JSON_C_TO_STRING_SPACED) && !pretty(flags);
}

static void indent(struct stage *st, int level, int flags)
{
	if (!pretty(flags))
		return;
	if (flags & JSON_C_TO_STRING_PRETTY_TAB)
		fill(st, '\t', (size_t)level);
	else
		fill(st, ' ', (size_t)level * 2);
}

/* The bracket, and in pretty mode a newline, even before no member. */
static void jw_open(struct jw *w, const char *open)
{
	w->any = false;
	put(w->st, open, 1);
	if (pretty(w->flags))
		put(w->st, "\n", 1);
}

/* Before a member: the comma and newline, and the indentation. */
static void jw_next(struct jw *w)
{
	if (w->any) {
		if (pretty(w->flags))
			put(w->st, ",\n", 2);
		else
			put(w->st, ",", 1);
	}
	w->any = true;
	if (spaced(w->flags))
		put(w->st, " ", 1);
	indent(w->st, w->level + 1, w->flags);
}

static void jw_close(struct jw *w, const char *close)
{
	if (pretty(w->flags)) {
		if (w->any)
			put(w->st, "\n", 1);
		indent(w->st, w->level, w->flags);
	}
	if (spaced(w->flags))
		put(w->st, " ", 1);
	put(w->st, close, 1);
}

/*
 * KEY is a literal that needs no escaping. No printf here or below: for
 * 4096 rows, sprintbuf()'s vsnprintf() was most of the time.
 */
static void jw_key(struct jw *w, const char *key)
{
	jw_next(w);
	put(w->st, "\"", 1);
	put_str(w->st, key);
	if (w->flags & JSON_C_TO_STRING_SPACED)
		put(w->st, "\": ", 3);
	else
		put(w->st, "\":", 2);
}

/* v in decimal, as json-c prints a uint64. */
static void jw_u64(struct jw *w, const char *key, uint64_t v)
{
	char buf[20];
	int i = sizeof(buf);

	jw_key(w, key);
	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	put(w->st, buf + i, sizeof(buf) - (size_t)i);
}

static void jw_bool(struct jw *w, const char *key, bool v)
{
	jw_key(w, key);
	put_str(w->st, v ? "true" : "false");
}

static void jw_str(struct jw *w, const char *key, const char *v)
{
	const char *e;
	size_t len;

	char *safe = NULL;

	jw_key(w, key);
	/*
	 * Most strings (a state, a comm, an address) are printable ASCII
	 * that json-c copies as they are: no round trip through json-c.
	 * It escapes '"', '\\' and '/' (without NOSLASHESCAPE), and
	 * control characters.
	 */
	for (e = v; *e >= 0x20 && *e < 0x7f && *e != '"' && *e != '\\' &&
	     (*e != '/' || (w->flags & JSON_C_TO_STRING_NOSLASHESCAPE)); e++)
		;
	if (!*e) {
		put(w->st, "\"", 1);
		put(w->st, v, (size_t)(e - v));
		put(w->st, "\"", 1);
		return;
	}
	if (!accel_utf8_valid(v))
		v = safe = accel_utf8_dup(v);
	json_object_set_string(w->str, v ? v : "");
	free(safe);
	e = json_object_to_json_string_length(w->str, w->flags, &len);
	put(w->st, e, len);
}

/* The members of a row of view v, in its columns' order (parse_table.h). */
static void print_row(struct jw *w, const struct ptab_view *v,
		      const char *row)
{
	unsigned int i;

	for (i = 0; i < v->ncols; i++) {
		const struct ptab_col *c = &v->cols[i];
		const char *key = c->key ? c->key : ptab_col_name(c);
		const void *f = row + c->off;
		char addr[24];

		if (!*key || (c->has && !*(const bool *)(row + c->has)))
			continue;
		switch (c->type) {
		case PTAB_U32:
			jw_u64(w, key, *(const uint32_t *)f);
			break;
		case PTAB_U64:
			jw_u64(w, key, *(const uint64_t *)f);
			break;
		case PTAB_HEX64:
			snprintf(addr, sizeof(addr), "0x%llx",
				 (unsigned long long)*(const uint64_t *)f);
			jw_str(w, key, addr);
			break;
		case PTAB_FLAG:
			jw_bool(w, key, *(const bool *)f);
			break;
		case PTAB_ACCESS:
			jw_str(w, key,
			       accel_access_name(*(const enum accel_access *)f));
			break;
		default:
			jw_str(w, key, f);	/* PTAB_STR, PTAB_STATE */
			break;
		}
	}
}

/*
 * Print the array: "[", then each of the n rows as an object one level
 * down, then "]".
 */
static int print_rows(struct printbuf *pb, int level, int flags,
		      const struct ptab_view *v, const char *rows, size_t n)
{
	struct stage st = { .pb = pb };
	struct jw arr = { .st = &st, .level = level, .flags = flags };
	struct jw obj = { .st = &st, .level = level + 1, .flags = flags };
	size_t i;

	obj.str = json_object_new_string("");
	if (!obj.str)
		return -1;
	jw_open(&arr, "[");
	for (i = 0; i < n; i++) {
		jw_next(&arr);
		jw_open(&obj, "{");
		print_row(&obj, v, rows + i * v->size);
		jw_close(&obj, "}");
	}
	jw_close(&arr, "]");
	flush(&st);
	json_object_put(obj.str);
	return 0;
}

/*
 * The row arrays of a device, in the order they are added: the key, the
 * view's parser table, and where in struct accel_dev the view's rows and
 * row count are. The view's member there is named as the view.
 */
static const struct rows_kind {
	const char *key;
	const struct ptab_view *v;
	size_t rows;
	size_t n;
} kinds[] = {
#define KIND(key, view, rows) { key, &ptab_##view##_view, \
	offsetof(struct accel_dev, view.rows), offsetof(struct accel_dev, view.n) }
	KIND("contexts", spa, pe),
	KIND("pasids", pasids, p),
	KIND("faults", faults, f),
	KIND("irqs", irqs, r),
	KIND("atc", atc, e),
#undef KIND
};

/* The kinds accel_json_rows() adds; atc is added by accel_json_atc(). */
#define NR_DEV_KINDS 4

/* rows_fn() reads each view's row count as a size_t. */
#define COUNT_IS_SIZE_T(view) \
	_Static_assert(__builtin_types_compatible_p(__typeof__(((view *)0)->n), \
						    size_t), #view ".n is not a size_t")
COUNT_IS_SIZE_T(struct accel_spa);
COUNT_IS_SIZE_T(struct accel_pasids);
COUNT_IS_SIZE_T(struct accel_faults);
COUNT_IS_SIZE_T(struct accel_irqs);
COUNT_IS_SIZE_T(struct accel_atc);

/* The userdata of a row array: which kind, of which device. */
struct rows {
	const struct rows_kind *kind;
	const struct accel_dev *d;
};

/* The serializer of every row array: the rows as the view has them now. */
static int rows_fn(json_object *jso, struct printbuf *pb, int level,
		   int flags)
{
	const struct rows *r = json_object_get_userdata(jso);
	const char *d = (const char *)r->d;

	return print_rows(pb, level, flags, r->kind->v,
			  *(const char *const *)(d + r->kind->rows),
			  *(const size_t *)(d + r->kind->n));
}

/* Add the row array of kinds[k] of d to o under its key. */
static void add_rows(json_object *o, const struct accel_dev *d, size_t k)
{
	json_object *arr = json_object_new_array();
	struct rows *r = malloc(sizeof(*r));

	if (arr && r) {
		r->kind = &kinds[k];
		r->d = d;
		json_object_set_serializer(arr, rows_fn, r,
					   json_object_free_userdata);
	} else {
		/* Out of memory: null rather than rows left out. */
		free(r);
		json_object_put(arr);
		arr = NULL;
	}
	json_object_object_add_ex(o, kinds[k].key, arr,
				  JSON_C_OBJECT_ADD_KEY_IS_NEW |
				  JSON_C_OBJECT_KEY_IS_CONSTANT);
}

void accel_json_rows(json_object *o, const struct accel_dev *d)
{
	size_t k;

	for (k = 0; k < NR_DEV_KINDS; k++)
		add_rows(o, d, k);
}

void accel_json_atc(json_object *o, const struct accel_dev *d)
{
	if (d->has_atc)
		add_rows(o, d, NR_DEV_KINDS);
}
