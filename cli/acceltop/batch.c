// SPDX-License-Identifier: MIT
/*
 * acceltop: batch mode. Each refresh is printed as text (a header line per
 * device and one line per context, PASID or process, as --group says) or,
 * with --json, as one JSON object per line with all three levels.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "acceltop.h"
#include "accel_format.h"
#include "accel_json.h"

/* acceltop --json: what each version has is in acceltop(8). */
#define AT_JSON_SCHEMA_VERSION 2

static const char *lat_str(const struct at_lat *l, bool p99, char *buf,
			   size_t len)
{
	if (!l->valid)
		return "-";
	return accel_fmt_ns(p99 ? l->p99 : l->p50, buf, len);
}

/*
 * "%.*f" of a rate, PREC 1 or 2. An idle context's rates are 0, and most
 * rows of a large table are idle: those skip printf's float conversion,
 * which was a quarter of acceltop's time on 4096 contexts.
 */
static const char *fixed(double v, int prec, char *buf, size_t len)
{
	if (v == 0)
		return prec == 1 ? "0.0" : "0.00";
	snprintf(buf, len, "%.*f", prec, v);
	return buf;
}

/*
 * One text row, built by hand: fprintf() with a dozen padded fields was
 * most of a refresh of 4096 contexts. The bytes are those of the format
 * "  %-5s %5s %7s %7u %-15s %9s %9s %9s %9s %8s %8s %s\n" (widths in
 * bytes, as printf counts them, and never truncating).
 */
struct line {
	char b[1024];
	size_t n;
};

static void put_pad(struct line *l, size_t k)
{
	if (k > sizeof(l->b) - l->n)
		k = sizeof(l->b) - l->n;
	memset(l->b + l->n, ' ', k);
	l->n += k;
}

static void put_s(struct line *l, const char *s, size_t len)
{
	if (len > sizeof(l->b) - l->n)
		len = sizeof(l->b) - l->n;
	memcpy(l->b + l->n, s, len);
	l->n += len;
}

/* s left-aligned in w bytes (after a space unless first). */
static void put_left(struct line *l, const char *s, size_t w)
{
	size_t len = strlen(s);

	put_s(l, s, len);
	put_pad(l, len < w ? w - len : 0);
}

static void put_right(struct line *l, const char *s, size_t w)
{
	size_t len = strlen(s);

	put_pad(l, len < w ? w - len : 0);
	put_s(l, s, len);
}

/* "%u" of v, into buf (at least 11 bytes). */
static const char *utoa(uint32_t v, char *buf)
{
	char *p = buf + 11;

	*--p = '\0';
	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return p;
}

/* The first two columns of a level: PE and PASID, CTXS and PASID, ... */
static const char *const col1[AT_GROUP_NR] = { "PE", "CTXS", "CTXS" };
static const char *const col2[AT_GROUP_NR] = { "PASID", "PASID", "PASIDS" };

void at_batch_text(FILE *f, const struct at_view *v, const struct at_opts *o)
{
	char a[ACCEL_FMT_LEN], b[ACCEL_FMT_LEN], c[ACCEL_FMT_LEN],
	     e[ACCEL_FMT_LEN], r1[32], r2[32], r3[32], r4[32], k1[16],
	     k2[16], k3[16];
	struct line l;
	enum at_group g = o->group;
	size_t i, j, n;

	fprintf(f, "acceltop %s refresh %lu source %s interval %.2fs\n",
		ACCEL_VERSION, v->refresh, at_source_name(v->source),
		v->interval);
	if (v->note[0])
		fprintf(f, "note: %s\n", v->note);
	if (!v->ndev)
		fprintf(f, "no accelsim devices\n");
	for (i = 0; i < v->ndev; i++) {
		struct at_dev_view *d = &v->dev[i];
		const struct at_figures *df = &d->fig;
		struct at_row *rows;

		if (o->has_device && d->id != o->device)
			continue;
		if (d->have_info)
			fprintf(f, "%s %s contexts %u/%u pasids %u "
				"pending_faults %u", d->name,
				d->info.state_str, d->info.contexts,
				d->info.max_pe, d->info.pasids,
				d->info.pending_faults);
		else
			fprintf(f, "%s", d->name);
		fprintf(f, " faults/s %.1f p50 %s p99 %s tlbi/s %.1f p50 %s "
			"p99 %s irq/s %.1f MB/s %.2f atc_hit ", df->faults_s,
			lat_str(&df->fault, false, a, sizeof(a)),
			lat_str(&df->fault, true, b, sizeof(b)), df->tlbis_s,
			lat_str(&df->tlbi, false, c, sizeof(c)),
			lat_str(&df->tlbi, true, e, sizeof(e)), df->irqs_s,
			df->mb_s);
		if (d->has_atc_hit)
			fprintf(f, "%.1f%%\n", d->atc_hit_pct);
		else
			fprintf(f, "-\n");
		if (d->err[0])
			fprintf(f, "%s error: %s\n", d->name, d->err);
		fprintf(f, "  %-5s %5s %7s %7s %-15s %9s %9s %9s %9s %8s %8s "
			"%s\n", "DEV", col1[g], col2[g], "PID", "COMM",
			"FAULT/s", "FAULT_P99", "TLBI/s", "TLBI_P99", "IRQ/s",
			"MB/s", "STATE");
		rows = at_dev_rows(d, g, &n);
		at_rows_sort(rows, n, o->sort, o->reverse);
		for (j = 0; j < n; j++) {
			const struct at_row *r = &rows[j];
			const struct at_figures *rf = r->fig;

			if (!at_row_match(r, o->filter))
				continue;
			l.n = 0;
			put_s(&l, "  ", 2);
			put_left(&l, d->name, 5);
			put_s(&l, " ", 1);
			put_right(&l, utoa(g == AT_GROUP_CONTEXT ? r->pe :
					   r->nctx, k1), 5);
			put_s(&l, " ", 1);
			put_right(&l, g == AT_GROUP_PROCESS ?
				  utoa(r->npasid, k2) : r->pasid == AT_NONE ?
				  "-" : utoa(r->pasid, k2), 7);
			put_s(&l, " ", 1);
			put_right(&l, utoa(r->pid, k3), 7);
			put_s(&l, " ", 1);
			put_left(&l, r->comm[0] ? r->comm : "-", 15);
			put_s(&l, " ", 1);
			put_right(&l, fixed(rf->faults_s, 1, r1, sizeof(r1)), 9);
			put_s(&l, " ", 1);
			put_right(&l, lat_str(&rf->fault, true, a, sizeof(a)), 9);
			put_s(&l, " ", 1);
			put_right(&l, fixed(r->tfig->tlbis_s, 1, r2, sizeof(r2)),
				  9);
			put_s(&l, " ", 1);
			put_right(&l, lat_str(&r->tfig->tlbi, true, b, sizeof(b)),
				  9);
			put_s(&l, " ", 1);
			put_right(&l, fixed(rf->irqs_s, 1, r3, sizeof(r3)), 8);
			put_s(&l, " ", 1);
			put_right(&l, fixed(rf->mb_s, 2, r4, sizeof(r4)), 8);
			put_s(&l, " ", 1);
			put_s(&l, r->state, strlen(r->state));
			put_s(&l, "\n", 1);
			fwrite(l.b, 1, l.n, f);
		}
	}
}

static void json_lat(json_object *o, const char *key, const struct at_lat *l)
{
	json_object *x;

	if (!l->valid) {
		json_object_object_add(o, key, NULL);
		return;
	}
	x = json_object_new_object();
	accel_json_double(x, "p50_ns", l->p50);
	accel_json_double(x, "p99_ns", l->p99);
	json_object_object_add(o, key, x);
}

static json_object *json_counts(const struct at_counts *c, bool hist)
{
	json_object *o = json_object_new_object();

	accel_json_u64(o, "faults", c->faults);
	accel_json_u64(o, "faults_restart", c->faults_restart);
	accel_json_u64(o, "faults_address_error", c->faults_address_error);
	accel_json_u64(o, "tlbis", c->tlbis);
	accel_json_u64(o, "irqs_fired", c->irqs);
	accel_json_u64(o, "work_submitted", c->work_submitted);
	accel_json_u64(o, "work_done", c->work_done);
	accel_json_u64(o, "bytes", c->bytes);
	accel_json_u64(o, "fault_lat_samples", c->fault_lat.count);
	accel_json_u64(o, "tlbi_lat_samples", c->tlbi_lat.count);
	if (hist) {
		struct at_lat l;

		l.valid = !accel_hist_percentile(&c->fault_lat, 50, &l.p50) &&
			  !accel_hist_percentile(&c->fault_lat, 99, &l.p99);
		json_lat(o, "fault_lat", &l);
		l.valid = !accel_hist_percentile(&c->tlbi_lat, 50, &l.p50) &&
			  !accel_hist_percentile(&c->tlbi_lat, 99, &l.p99);
		json_lat(o, "tlbi_lat", &l);
		json_object_object_add(o, "fault_lat_ns",
				       accel_json_hist(&c->fault_lat));
		json_object_object_add(o, "tlbi_lat_ns",
				       accel_json_hist(&c->tlbi_lat));
	}
	return o;
}

/* A rate, or null with no previous sample (v's first refresh). */
static void json_rate(json_object *o, const char *key,
		      const struct at_view *v, double rate)
{
	if (v->interval > 0)
		accel_json_double(o, key, rate);
	else
		json_object_object_add(o, key, NULL);
}

/* f's figures, with the TLBI ones of t. */
static void json_figures(json_object *o, const struct at_view *v,
			 const struct at_figures *f,
			 const struct at_figures *t)
{
	json_rate(o, "faults_per_s", v, f->faults_s);
	json_rate(o, "tlbis_per_s", v, t->tlbis_s);
	json_rate(o, "irqs_per_s", v, f->irqs_s);
	json_rate(o, "bytes_per_s", v, f->mb_s * 1e6);
	json_lat(o, "fault_lat", &f->fault);
	json_lat(o, "tlbi_lat", &t->tlbi);
}

/* A row's totals: its own counts, with the TLBIs of its ttotal. */
static json_object *json_row_totals(const struct at_row *r, bool hist)
{
	struct at_counts *c;
	json_object *o;

	if (r->ttotal == r->total)
		return json_counts(r->total, hist);
	c = malloc(sizeof(*c));
	if (!c)
		return NULL;
	*c = *r->total;
	c->tlbis = r->ttotal->tlbis;
	c->tlbi_lat = r->ttotal->tlbi_lat;
	o = json_counts(c, hist);
	free(c);
	return o;
}

/* The rows of level g of d, as a JSON array. */
static json_object *json_rows(const struct at_view *v,
			      const struct at_dev_view *d, enum at_group g,
			      const struct at_opts *o)
{
	json_object *arr = json_object_new_array();
	struct at_row *rows;
	size_t j, n;

	rows = at_dev_rows(d, g, &n);
	at_rows_sort(rows, n, o->sort, o->reverse);
	for (j = 0; j < n; j++) {
		const struct at_row *r = &rows[j];
		json_object *rj;

		if (!at_row_match(r, o->filter))
			continue;
		rj = json_object_new_object();
		if (g == AT_GROUP_CONTEXT)
			accel_json_u64(rj, "pe", r->pe);
		if (g != AT_GROUP_PROCESS)
			accel_json_u64(rj, "pasid", r->pasid);
		accel_json_u64(rj, "pid", r->pid);
		accel_json_str(rj, "comm", r->comm);
		accel_json_str(rj, "state", r->state);
		json_object_object_add(rj, "kernel",
				       json_object_new_boolean(r->kernel));
		if (g != AT_GROUP_CONTEXT)
			accel_json_u64(rj, "contexts", r->nctx);
		if (g == AT_GROUP_PASID)
			json_object_object_add(rj, "freed",
				json_object_new_boolean(!strcmp(r->state,
								"freed")));
		if (g == AT_GROUP_PROCESS)
			accel_json_u64(rj, "pasids", r->npasid);
		json_figures(rj, v, r->fig, r->tfig);
		json_object_object_add(rj, "totals",
				       json_row_totals(r, v->has_ctx_lat));
		json_object_array_add(arr, rj);
	}
	return arr;
}

int at_batch_json(FILE *f, const struct at_view *v, const struct at_opts *o)
{
	json_object *root = json_object_new_object();
	json_object *devs = json_object_new_array();
	json_object *drops;
	size_t i, j;
	int ret;

	accel_json_u64(root, "schema_version", AT_JSON_SCHEMA_VERSION);
	accel_json_str(root, "tool", "acceltop");
	accel_json_str(root, "version", ACCEL_VERSION);
	accel_json_u64(root, "refresh", v->refresh);
	accel_json_str(root, "source", at_source_name(v->source));
	accel_json_double(root, "interval_s", v->interval);
	accel_json_double(root, "elapsed_s", v->elapsed);
	json_object_object_add(root, "context_latency",
			       json_object_new_boolean(v->has_ctx_lat));
	accel_json_u64(root, "dropped", v->dropped);
	drops = json_object_new_object();
	for (i = 0; i < AT_DROP_NR; i++)
		accel_json_u64(drops, at_drop_names[i], v->drops[i]);
	json_object_object_add(root, "drops", drops);
	if (v->note[0])
		accel_json_str(root, "note", v->note);
	for (i = 0; i < v->ndev; i++) {
		struct at_dev_view *d = &v->dev[i];
		json_object *dj = json_object_new_object();
		json_object *pas;

		if (o->has_device && d->id != o->device) {
			json_object_put(dj);
			continue;
		}
		pas = json_object_new_array();
		accel_json_str(dj, "device", d->name);
		accel_json_u64(dj, "device_id", d->id);
		if (d->have_info) {
			accel_json_str(dj, "state", d->info.state_str);
			accel_json_u64(dj, "contexts_in_use", d->info.contexts);
			accel_json_u64(dj, "max_pe", d->info.max_pe);
			accel_json_u64(dj, "pasids", d->info.pasids);
			accel_json_u64(dj, "pending_faults",
				       d->info.pending_faults);
		}
		if (d->err[0])
			accel_json_str(dj, "error", d->err);
		json_figures(dj, v, &d->fig, &d->fig);
		json_object_object_add(dj, "atc_hit_pct", d->has_atc_hit ?
			json_object_new_double(d->atc_hit_pct) : NULL);
		json_object_object_add(dj, "interval",
				       json_counts(&d->delta, false));
		json_object_object_add(dj, "totals",
				       json_counts(&d->total, true));
		json_object_object_add(dj, "contexts",
				       json_rows(v, d, AT_GROUP_CONTEXT, o));
		json_object_object_add(dj, "pasid_rows",
				       json_rows(v, d, AT_GROUP_PASID, o));
		json_object_object_add(dj, "process_rows",
				       json_rows(v, d, AT_GROUP_PROCESS, o));
		/* Every PASID's totals, in PASID order, whatever the filter. */
		at_rows_sort(d->pasid_rows, d->npasid_rows, AT_SORT_PASID,
			     false);
		for (j = 0; j < d->npasid_rows; j++) {
			const struct at_row *r = &d->pasid_rows[j];
			json_object *pj = json_object_new_object();

			accel_json_u64(pj, "pasid", r->pasid);
			json_object_object_add(pj, "freed",
				json_object_new_boolean(!strcmp(r->state,
								"freed")));
			json_object_object_add(pj, "totals",
				json_counts(r->total, v->has_ctx_lat));
			json_object_array_add(pas, pj);
		}
		json_object_object_add(dj, "pasid_totals", pas);
		json_object_array_add(devs, dj);
	}
	json_object_object_add(root, "devices", devs);
	at_iommu_json(root);
	ret = accel_json_print(f, root, false);
	json_object_put(root);
	return ret;
}

/* Wait until t, draining the source; false if interrupted. */
static bool wait_until(struct at_source *src, double t)
{
	while (!at_quit) {
		double now = cli_now_s();

		if (now >= t)
			return true;
		if (src->poll)
			src->poll(src);
		now = cli_now_s();
		if (now < t)
			poll(NULL, 0, t - now > 0.1 ? 100 :
			     (int)((t - now) * 1000) + 1);
	}
	return false;
}

int at_run_batch(struct at_source *src, const struct at_opts *o)
{
	struct at_sample first = { 0 }, prev = { 0 }, cur = { 0 };
	double next = cli_now_s();
	static char obuf[1 << 16];
	unsigned long i;
	size_t d;
	int ret = EXIT_OK;

	/*
	 * A refresh of 4096 rows is about 450 KB, flushed at its end: in
	 * 64 KiB writes, not the 4 KiB of a file's default buffer.
	 */
	if (!isatty(STDOUT_FILENO))
		setvbuf(stdout, obuf, _IOFBF, sizeof(obuf));
	for (i = 0; !o->count || i < (unsigned long)o->count; i++) {
		struct at_view v;

		if (i && !wait_until(src, next))
			break;
		next += o->delay;
		memset(&cur, 0, sizeof(cur));
		if (src->sample(src, &cur)) {
			fprintf(stderr, "acceltop: %s\n", cur.note);
			at_sample_free(&cur);
			ret = EXIT_ERROR;
			break;
		}
		cur.t = cli_now_s();
		at_iommu_sample(cur.t);
		if (!i) {
			first = cur;
			at_view_build(&v, NULL, &first, &first);
		} else {
			at_view_build(&v, prev.dev ? &prev : &first, &cur,
				      &first);
			at_sample_free(&prev);
			prev = cur;
		}
		v.refresh = i + 1;
		v.source = src->kind;
		for (d = 0; d < v.ndev; d++)
			if (v.dev[d].err[0]) {
				fprintf(stderr, "acceltop: %s\n", v.dev[d].err);
				ret = EXIT_ERROR;
			}
		if (o->json)
			at_batch_json(stdout, &v, o);
		else
			at_batch_text(stdout, &v, o);
		if (!o->json)
			at_iommu_text(stdout);
		at_view_free(&v);
		if (cli_stdout_flush("acceltop")) {
			ret = EXIT_OUTPUT;
			break;
		}
	}
	at_sample_free(&prev);
	at_sample_free(&first);
	return ret;
}
