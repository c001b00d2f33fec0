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
 * escaped by json-c. The host tests compare both ways of printing.
 */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>
#include <json-c/printbuf.h>

#include "accel_format.h"
#include "accel_json.h"

/* One array or object being printed at some level. */
struct jw {
	struct printbuf *pb;
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

static void indent(struct printbuf *pb, int level, int flags)
{
	if (!pretty(flags))
		return;
	if (flags & JSON_C_TO_STRING_PRETTY_TAB)
		printbuf_memset(pb, -1, '\t', level);
	else
		printbuf_memset(pb, -1, ' ', level * 2);
}

/* The bracket, and in pretty mode a newline, even before no member. */
static void jw_open(struct jw *w, const char *open)
{
	w->any = false;
	printbuf_memappend(w->pb, open, 1);
	if (pretty(w->flags))
		printbuf_strappend(w->pb, "\n");
}

/* Before a member: the comma and newline, and the indentation. */
static void jw_next(struct jw *w)
{
	if (w->any) {
		printbuf_strappend(w->pb, ",");
		if (pretty(w->flags))
			printbuf_strappend(w->pb, "\n");
	}
	w->any = true;
	if (spaced(w->flags))
		printbuf_strappend(w->pb, " ");
	indent(w->pb, w->level + 1, w->flags);
}

static void jw_close(struct jw *w, const char *close)
{
	if (pretty(w->flags)) {
		if (w->any)
			printbuf_strappend(w->pb, "\n");
		indent(w->pb, w->level, w->flags);
	}
	if (spaced(w->flags))
		printbuf_strappend(w->pb, " ");
	printbuf_memappend(w->pb, close, 1);
}

/*
 * KEY is a literal that needs no escaping. No printf here or below: for
 * 4096 rows, sprintbuf()'s vsnprintf() was most of the time.
 */
static void jw_key(struct jw *w, const char *key)
{
	jw_next(w);
	printbuf_strappend(w->pb, "\"");
	printbuf_memappend(w->pb, key, (int)strlen(key));
	if (w->flags & JSON_C_TO_STRING_SPACED)
		printbuf_strappend(w->pb, "\": ");
	else
		printbuf_strappend(w->pb, "\":");
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
	printbuf_memappend(w->pb, buf + i, (int)sizeof(buf) - i);
}

static void jw_bool(struct jw *w, const char *key, bool v)
{
	jw_key(w, key);
	if (v)
		printbuf_strappend(w->pb, "true");
	else
		printbuf_strappend(w->pb, "false");
}

static void jw_str(struct jw *w, const char *key, const char *v)
{
	const char *e;
	size_t len;

	jw_key(w, key);
	json_object_set_string(w->str, v);
	e = json_object_to_json_string_length(w->str, w->flags, &len);
	printbuf_memappend(w->pb, e, (int)len);
}

/*
 * Print the array: "[", then each row as an object one level down, then
 * "]". row() prints the members of row i of the view.
 */
static int print_rows(struct printbuf *pb, int level, int flags, size_t n,
		      void (*row)(struct jw *w, const void *view, size_t i),
		      const void *view)
{
	struct jw arr = { .pb = pb, .level = level, .flags = flags };
	struct jw obj = { .pb = pb, .level = level + 1, .flags = flags };
	size_t i;

	obj.str = json_object_new_string("");
	if (!obj.str)
		return -1;
	jw_open(&arr, "[");
	for (i = 0; i < n; i++) {
		jw_next(&arr);
		jw_open(&obj, "{");
		row(&obj, view, i);
		jw_close(&obj, "}");
	}
	jw_close(&arr, "]");
	json_object_put(obj.str);
	return 0;
}

static void context_row(struct jw *w, const void *view, size_t i)
{
	const struct accel_pe *p = &((const struct accel_spa *)view)->pe[i];

	jw_u64(w, "pe", p->pe);
	jw_u64(w, "pasid", p->pasid);
	jw_u64(w, "pid", p->pid);
	jw_str(w, "comm", p->comm);
	jw_str(w, "state", p->state_str);
	jw_bool(w, "kernel", p->kernel);
	jw_u64(w, "faults", p->faults);
	jw_u64(w, "tlbis", p->tlbis);
	jw_u64(w, "irqs_fired", p->irqs);
	jw_u64(w, "work_done", p->work);
	if (p->has_bytes)
		jw_u64(w, "bytes", p->bytes);
}

static void pasid_row(struct jw *w, const void *view, size_t i)
{
	const struct accel_pasid *p = &((const struct accel_pasids *)view)->p[i];

	jw_u64(w, "pasid", p->pasid);
	jw_u64(w, "pid", p->pid);
	jw_u64(w, "refs", p->refs);
	jw_u64(w, "outstanding", p->outstanding);
	jw_str(w, "state", p->state_str);
}

static void fault_row(struct jw *w, const void *view, size_t i)
{
	const struct accel_fault *f = &((const struct accel_faults *)view)->f[i];
	char addr[24];

	jw_u64(w, "id", f->id);
	jw_u64(w, "pe", f->pe);
	jw_u64(w, "pasid", f->pasid);
	snprintf(addr, sizeof(addr), "0x%llx", (unsigned long long)f->address);
	jw_str(w, "address", addr);
	jw_str(w, "access", accel_access_name(f->access));
	jw_str(w, "state", f->state_str);
	jw_u64(w, "age_ns", f->age_ns);
}

static void irq_row(struct jw *w, const void *view, size_t i)
{
	const struct accel_irq *r = &((const struct accel_irqs *)view)->r[i];

	jw_u64(w, "pe", r->pe);
	jw_u64(w, "pasid", r->pasid);
	jw_u64(w, "hwirq", r->hwirq);
	jw_u64(w, "count", r->count);
	jw_u64(w, "eventfds", r->eventfds);
	jw_u64(w, "fired", r->fired);
}

static int contexts_fn(json_object *jso, struct printbuf *pb, int level,
		       int flags)
{
	const struct accel_spa *v = json_object_get_userdata(jso);

	return print_rows(pb, level, flags, v->n, context_row, v);
}

static int pasids_fn(json_object *jso, struct printbuf *pb, int level,
		     int flags)
{
	const struct accel_pasids *v = json_object_get_userdata(jso);

	return print_rows(pb, level, flags, v->n, pasid_row, v);
}

static int faults_fn(json_object *jso, struct printbuf *pb, int level,
		     int flags)
{
	const struct accel_faults *v = json_object_get_userdata(jso);

	return print_rows(pb, level, flags, v->n, fault_row, v);
}

static int irqs_fn(json_object *jso, struct printbuf *pb, int level,
		   int flags)
{
	const struct accel_irqs *v = json_object_get_userdata(jso);

	return print_rows(pb, level, flags, v->n, irq_row, v);
}

static json_object *rows(json_object_to_json_string_fn *fn, const void *view)
{
	json_object *arr = json_object_new_array();

	/* json-c keeps userdata as void *; the serializer only reads it. */
	if (arr)
		json_object_set_serializer(arr, fn, (void *)view, NULL);
	return arr;
}

json_object *accel_json_contexts_ref(const struct accel_spa *spa)
{
	return rows(contexts_fn, spa);
}

json_object *accel_json_pasids_ref(const struct accel_pasids *ps)
{
	return rows(pasids_fn, ps);
}

json_object *accel_json_faults_ref(const struct accel_faults *fs)
{
	return rows(faults_fn, fs);
}

json_object *accel_json_irqs_ref(const struct accel_irqs *rs)
{
	return rows(irqs_fn, rs);
}
