// SPDX-License-Identifier: MIT
/*
 * acceltop: from two samples to one refresh. Totals count from the first
 * sample, rates and interval percentiles from the previous one. Rows are
 * the contexts of the spa view; their figures are those of their key: the
 * PASID with event sources, the PE with debugfs.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "acceltop.h"
#include "accel_format.h"

static const char *const source_names[] = {
	[AT_SRC_AUTO] = "auto",
	[AT_SRC_BPF_BTF] = "bpf-btf",
	[AT_SRC_BPF_TP] = "bpf-tp",
	[AT_SRC_TRACEFS] = "tracefs",
	[AT_SRC_DEBUGFS] = "debugfs",
};

const char *at_source_name(enum at_source_kind k)
{
	return source_names[k];
}

int at_source_parse(const char *s, enum at_source_kind *k)
{
	unsigned int i;

	for (i = 0; i < sizeof(source_names) / sizeof(source_names[0]); i++)
		if (!strcmp(s, source_names[i])) {
			*k = i;
			return 0;
		}
	return -EINVAL;
}

static uint64_t sub(uint64_t a, uint64_t b)
{
	return a >= b ? a - b : a;
}

void at_counts_delta(const struct at_counts *a, const struct at_counts *b,
		     struct at_counts *d)
{
	d->faults = sub(a->faults, b->faults);
	d->faults_restart = sub(a->faults_restart, b->faults_restart);
	d->faults_address_error = sub(a->faults_address_error,
				      b->faults_address_error);
	d->tlbis = sub(a->tlbis, b->tlbis);
	d->irqs = sub(a->irqs, b->irqs);
	d->work_submitted = sub(a->work_submitted, b->work_submitted);
	d->work_done = sub(a->work_done, b->work_done);
	d->bytes = sub(a->bytes, b->bytes);
	accel_hist_delta(&a->fault_lat, &b->fault_lat, &d->fault_lat);
	accel_hist_delta(&a->tlbi_lat, &b->tlbi_lat, &d->tlbi_lat);
}

static void hist_add(struct accel_hist *d, const struct accel_hist *s)
{
	unsigned int b;

	for (b = 0; b < ACCEL_HIST_BUCKETS; b++)
		d->bucket[b] += s->bucket[b];
	d->count += s->count;
}

void at_counts_add(struct at_counts *d, const struct at_counts *s)
{
	d->faults += s->faults;
	d->faults_restart += s->faults_restart;
	d->faults_address_error += s->faults_address_error;
	d->tlbis += s->tlbis;
	d->irqs += s->irqs;
	d->work_submitted += s->work_submitted;
	d->work_done += s->work_done;
	d->bytes += s->bytes;
	hist_add(&d->fault_lat, &s->fault_lat);
	hist_add(&d->tlbi_lat, &s->tlbi_lat);
}

static void lat_of(const struct accel_hist *h, struct at_lat *l)
{
	l->p50 = 0;
	l->p99 = 0;
	l->valid = !accel_hist_percentile(h, 50, &l->p50) &&
		   !accel_hist_percentile(h, 99, &l->p99);
}

static const struct at_dev_sample *find_dev(const struct at_sample *s,
					    unsigned int id)
{
	size_t i;

	if (!s)
		return NULL;
	for (i = 0; i < s->ndev; i++)
		if (s->dev[i].id == id)
			return &s->dev[i];
	return NULL;
}

static const struct at_counts zero;
static const struct at_figures zero_fig;

/* total = cur - first, delta = cur - prev (absent: zero). */
static void since(const struct at_counts *cur, const struct at_counts *prev,
		  const struct at_counts *first, struct at_counts *total,
		  struct at_counts *delta)
{
	at_counts_delta(cur, first ? first : &zero, total);
	at_counts_delta(cur, prev ? prev : &zero, delta);
}

static double rate(uint64_t n, double dt)
{
	return dt > 0 ? n / dt : 0;
}

/* Per-PASID totals summed from the rows (the debugfs source's PEs). */
static int pasids_of_rows(struct at_dev_view *dv)
{
	struct at_dev_sample by_pasid = { 0 };
	size_t i;

	for (i = 0; i < dv->nrows; i++) {
		struct at_keyed *k = at_dev_key(&by_pasid, dv->rows[i].pasid);

		if (!k) {
			at_dev_keys_free(&by_pasid);
			return -ENOMEM;
		}
		at_counts_add(&k->c, dv->rows[i].total);
	}
	for (i = 0; i < by_pasid.nkeyed; i++) {
		dv->pasids[i].pasid = by_pasid.keyed[i].key;
		dv->pasids[i].freed = false;
		dv->pasids[i].total = by_pasid.keyed[i].c;
	}
	dv->npasids = by_pasid.nkeyed;
	at_dev_keys_free(&by_pasid);
	return 0;
}

/* The rates and, if lat, the latency percentiles of an interval's delta. */
static void figures_of(const struct at_counts *d, double dt, bool lat,
		       struct at_figures *f)
{
	f->faults_s = rate(d->faults, dt);
	f->tlbis_s = rate(d->tlbis, dt);
	f->irqs_s = rate(d->irqs, dt);
	f->mb_s = rate(d->bytes, dt) / 1e6;
	if (lat) {
		lat_of(&d->fault_lat, &f->fault);
		lat_of(&d->tlbi_lat, &f->tlbi);
	} else {
		f->fault = zero_fig.fault;
		f->tlbi = zero_fig.tlbi;
	}
}

static void build_key(const struct at_view *v, struct at_key_view *kv,
		      const struct at_keyed *ck, const struct at_keyed *pk,
		      const struct at_keyed *fk, bool has_prev)
{
	struct at_counts delta;

	since(&ck->c, pk ? &pk->c : NULL, fk ? &fk->c : NULL, &kv->total,
	      &delta);
	if (!has_prev)
		memset(&delta, 0, sizeof(delta));
	figures_of(&delta, v->interval, v->has_ctx_lat, &kv->fig);
	kv->done = true;
}

/* The ATC's hit rate between pd and cd, from their stats views. */
static void atc_hit_of(const struct at_dev_sample *cd,
		       const struct at_dev_sample *pd, struct at_dev_view *dv)
{
	uint64_t hits, misses;

	dv->has_atc_hit = false;
	if (!pd || !cd->have_stats || !pd->have_stats)
		return;
	hits = cd->stats.counter[ACCEL_C_ATC_HITS] -
	       pd->stats.counter[ACCEL_C_ATC_HITS];
	misses = cd->stats.counter[ACCEL_C_ATC_MISSES] -
		 pd->stats.counter[ACCEL_C_ATC_MISSES];
	/* A counter that went backwards: the module was reloaded. */
	if (hits > cd->stats.counter[ACCEL_C_ATC_HITS] ||
	    misses > cd->stats.counter[ACCEL_C_ATC_MISSES] || !(hits + misses))
		return;
	dv->has_atc_hit = true;
	dv->atc_hit_pct = 100.0 * (double)hits / (double)(hits + misses);
}

static int build_dev(struct at_view *v, struct at_dev_view *dv,
		     const struct at_dev_sample *cd,
		     const struct at_dev_sample *pd,
		     const struct at_dev_sample *fd, bool has_prev)
{
	size_t i;

	dv->id = cd->id;
	memcpy(dv->name, cd->name, sizeof(dv->name));
	dv->have_info = cd->have_info;
	dv->info = cd->info;
	memcpy(dv->err, cd->err, sizeof(dv->err));
	since(&cd->total, pd ? &pd->total : NULL, fd ? &fd->total : NULL,
	      &dv->total, &dv->delta);
	if (!has_prev)
		memset(&dv->delta, 0, sizeof(dv->delta));
	figures_of(&dv->delta, v->interval, true, &dv->fig);
	atc_hit_of(cd, has_prev ? pd : NULL, dv);
	lat_of(&dv->total.fault_lat, &dv->fault_all);
	lat_of(&dv->total.tlbi_lat, &dv->tlbi_all);

	/*
	 * Rows are small and point at their key's figures, computed once per
	 * key: with an event source the 4096 contexts of a few processes
	 * share a few PASIDs. Every field of a row, a key and a PASID row is
	 * written before it is read, so nothing is zeroed: a key or PASID
	 * row holds two histograms, and zeroing them for 4096 contexts at
	 * every refresh was an eighth of acceltop's time.
	 */
	dv->rows = malloc((cd->spa.n ? cd->spa.n : 1) * sizeof(*dv->rows));
	dv->keys = malloc((cd->nkeyed ? cd->nkeyed : 1) * sizeof(*dv->keys));
	dv->pasids = malloc(((v->keyed_by_pe ? cd->spa.n : cd->nkeyed) + 1) *
			    sizeof(*dv->pasids));
	if (!dv->rows || !dv->keys || !dv->pasids)
		return -ENOMEM;
	for (i = 0; i < cd->nkeyed; i++)
		dv->keys[i].done = false;
	for (i = 0; i < cd->spa.n; i++) {
		const struct accel_pe *pe = &cd->spa.pe[i];
		struct at_row *r = &dv->rows[dv->nrows++];
		uint32_t key = v->keyed_by_pe ? pe->pe : pe->pasid;
		const struct at_keyed *ck = at_dev_find_key(cd, key);
		struct at_key_view *kv;

		r->dev = dv - v->dev;
		r->pe = pe->pe;
		r->pasid = pe->pasid;
		r->pid = pe->pid;
		r->kernel = pe->kernel;
		memcpy(r->comm, pe->comm, sizeof(r->comm));
		memcpy(r->state, pe->state_str, sizeof(r->state));
		r->total = &zero;
		r->fig = &zero_fig;
		if (!ck)
			continue;
		kv = &dv->keys[ck - cd->keyed];
		if (!kv->done)
			build_key(v, kv, ck, at_dev_find_key(pd, key),
				  at_dev_find_key(fd, key), has_prev);
		r->total = &kv->total;
		r->fig = &kv->fig;
	}
	/* Per-PASID totals. */
	if (v->keyed_by_pe)
		return pasids_of_rows(dv);
	for (i = 0; i < cd->nkeyed; i++) {
		const struct at_keyed *k = &cd->keyed[i];
		const struct at_keyed *fk = at_dev_find_key(fd, k->key);
		struct at_pasid_row *p = &dv->pasids[dv->npasids++];
		struct at_counts d;

		p->pasid = k->key;
		p->freed = !k->live;
		since(&k->c, NULL, fk ? &fk->c : NULL, &p->total, &d);
	}
	return 0;
}

static int cmp_pasid(const void *a, const void *b)
{
	const struct at_pasid_row *x = a, *y = b;

	return x->pasid < y->pasid ? -1 : x->pasid > y->pasid;
}

void at_view_build(struct at_view *v, const struct at_sample *prev,
		   const struct at_sample *cur, const struct at_sample *first)
{
	size_t i;

	memset(v, 0, sizeof(*v));
	v->interval = prev ? cur->t - prev->t : 0;
	v->elapsed = first ? cur->t - first->t : 0;
	v->keyed_by_pe = cur->keyed_by_pe;
	v->has_ctx_lat = cur->has_ctx_lat;
	v->dropped = cur->dropped;
	memcpy(v->drops, cur->drops, sizeof(v->drops));
	memcpy(v->note, cur->note, sizeof(v->note));
	v->dev = calloc(cur->ndev ? cur->ndev : 1, sizeof(*v->dev));
	if (!v->dev)
		return;
	for (i = 0; i < cur->ndev; i++) {
		const struct at_dev_sample *cd = &cur->dev[i];
		struct at_dev_view *dv = &v->dev[v->ndev++];

		build_dev(v, dv, cd, find_dev(prev, cd->id),
			  find_dev(first, cd->id), prev != NULL);
		qsort(dv->pasids, dv->npasids, sizeof(*dv->pasids), cmp_pasid);
	}
}

void at_view_free(struct at_view *v)
{
	size_t i;

	for (i = 0; i < v->ndev; i++) {
		free(v->dev[i].rows);
		free(v->dev[i].keys);
		free(v->dev[i].pasids);
	}
	free(v->dev);
	memset(v, 0, sizeof(*v));
}

const char *const at_sort_names[AT_SORT_NR] = {
	[AT_SORT_PE] = "pe",
	[AT_SORT_PASID] = "pasid",
	[AT_SORT_PID] = "pid",
	[AT_SORT_COMM] = "comm",
	[AT_SORT_FAULTS] = "faults",
	[AT_SORT_FAULT_P99] = "fault_p99",
	[AT_SORT_TLBIS] = "tlbis",
	[AT_SORT_TLBI_P99] = "tlbi_p99",
	[AT_SORT_IRQS] = "irqs",
	[AT_SORT_MBS] = "mbs",
};

int at_sort_parse(const char *s, enum at_sort *k)
{
	unsigned int i;

	for (i = 0; i < AT_SORT_NR; i++)
		if (!strcmp(s, at_sort_names[i])) {
			*k = i;
			return 0;
		}
	return -EINVAL;
}

static enum at_sort sort_key;

static int cmp_d(double a, double b)
{
	return a < b ? -1 : a > b;
}

static int cmp_u(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

static int cmp_row(const void *a, const void *b)
{
	const struct at_row *x = a, *y = b;
	int c = 0;

	switch (sort_key) {
	case AT_SORT_PE:
		break;
	case AT_SORT_PASID:
		c = cmp_u(x->pasid, y->pasid);
		break;
	case AT_SORT_PID:
		c = cmp_u(x->pid, y->pid);
		break;
	case AT_SORT_COMM:
		c = strcmp(x->comm, y->comm);
		break;
	/* Numeric figures sort largest first. */
	case AT_SORT_FAULTS:
		c = -cmp_d(x->fig->faults_s, y->fig->faults_s);
		break;
	case AT_SORT_FAULT_P99:
		c = -cmp_d(x->fig->fault.valid ? x->fig->fault.p99 : -1,
			   y->fig->fault.valid ? y->fig->fault.p99 : -1);
		break;
	case AT_SORT_TLBIS:
		c = -cmp_d(x->fig->tlbis_s, y->fig->tlbis_s);
		break;
	case AT_SORT_TLBI_P99:
		c = -cmp_d(x->fig->tlbi.valid ? x->fig->tlbi.p99 : -1,
			   y->fig->tlbi.valid ? y->fig->tlbi.p99 : -1);
		break;
	case AT_SORT_IRQS:
		c = -cmp_d(x->fig->irqs_s, y->fig->irqs_s);
		break;
	case AT_SORT_MBS:
		c = -cmp_d(x->fig->mb_s, y->fig->mb_s);
		break;
	case AT_SORT_NR:
		break;
	}
	return c ? c : cmp_u(x->pe, y->pe);
}

void at_rows_sort(struct at_row *rows, size_t n, enum at_sort k, bool rev)
{
	size_t i;

	sort_key = k;
	qsort(rows, n, sizeof(*rows), cmp_row);
	for (i = 0; rev && i < n / 2; i++) {
		struct at_row t = rows[i];

		rows[i] = rows[n - 1 - i];
		rows[n - 1 - i] = t;
	}
}

bool at_row_match(const struct at_row *r, const char *filter)
{
	char *end;
	unsigned long n;

	if (!filter || !*filter)
		return true;
	if (strcasestr(r->comm, filter) || strcasestr(r->state, filter))
		return true;
	n = strtoul(filter, &end, 10);
	return !*end && (n == r->pid || n == r->pasid || n == r->pe);
}
