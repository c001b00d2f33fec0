// SPDX-License-Identifier: MIT
/*
 * acceltop: from two samples to one refresh. Totals count from the first
 * sample, rates and interval percentiles from the previous one. There are
 * three levels of rows: the contexts of the spa view (each with its own
 * counts, keyed by PE and PASID, and its PASID's TLBIs), the PASIDs (an
 * event source's own per-PASID counts, freed PASIDs included; with
 * debugfs the sums of their contexts) and the processes (sums of their
 * PASIDs). Rates and histograms of a group are those of its summed counts.
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

	/* An empty histogram (count 0: every bucket 0) adds nothing. */
	if (!s->count)
		return;
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
static const struct at_key_view zero_kv;

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
	since(&ck->c, pk ? &pk->c : NULL, fk ? &fk->c : NULL, &kv->total,
	      &kv->delta);
	if (!has_prev)
		memset(&kv->delta, 0, sizeof(kv->delta));
	figures_of(&kv->delta, v->interval, v->has_ctx_lat, &kv->fig);
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

/* A small index from a 64-bit key to a row (value: index + 1, 0 empty). */
struct idx {
	uint64_t *k;
	uint32_t *v;
	size_t mask;
};

static int idx_init(struct idx *x, size_t n)
{
	size_t c = 16;

	while (c < 2 * n)
		c <<= 1;
	x->k = malloc(c * sizeof(*x->k));
	x->v = calloc(c, sizeof(*x->v));
	x->mask = c - 1;
	return x->k && x->v ? 0 : -ENOMEM;
}

static void idx_free(struct idx *x)
{
	free(x->k);
	free(x->v);
}

static uint32_t *idx_slot(struct idx *x, uint64_t key)
{
	size_t s = (size_t)(((key ^ (key >> 29)) * 0x9e3779b97f4a7c15ull) >>
			    32) & x->mask;

	while (x->v[s] && x->k[s] != key)
		s = (s + 1) & x->mask;
	x->k[s] = key;
	return &x->v[s];
}

static void row_point(struct at_row *r, const struct at_key_view *kv)
{
	r->total = r->ttotal = &kv->total;
	r->fig = r->tfig = &kv->fig;
}

/* A row takes the process, comm, state and kind of context pe. */
static void row_who(struct at_row *r, const struct accel_pe *pe)
{
	r->pid = pe->pid;
	r->kernel = pe->kernel;
	memcpy(r->comm, pe->comm, sizeof(r->comm));
	memcpy(r->state, pe->state_str, sizeof(r->state));
}

static void group_row(struct at_row *r, unsigned int dev, uint32_t pasid)
{
	memset(r, 0, sizeof(*r));
	r->dev = dev;
	r->pe = AT_NONE;
	r->pasid = pasid;
	r->npasid = 1;
}

/*
 * d += s. With the debugfs source a context's tlbis are its PASID's TLBIs
 * since it attached: a PASID's are those of its oldest context (max), a
 * lower bound when that one attached within the interval.
 */
static void group_add(struct at_counts *d, const struct at_counts *s,
		      bool max_tlbis)
{
	uint64_t t = d->tlbis;

	at_counts_add(d, s);
	if (max_tlbis)
		d->tlbis = t > s->tlbis ? t : s->tlbis;
}

/* The PASID rows of an event source: its per-PASID counts, freed too. */
static void pasids_of_keys(struct at_view *v, struct at_dev_view *dv,
			   const struct at_dev_sample *cd,
			   const struct at_dev_sample *pd,
			   const struct at_dev_sample *fd, bool has_prev,
			   struct idx *pidx)
{
	size_t i;

	for (i = 0; i < cd->pasids.n; i++) {
		const struct at_keyed *k = &cd->pasids.keyed[i];
		struct at_row *r = &dv->pasid_rows[dv->npasid_rows];
		struct at_key_view *kv = &dv->pasid_keys[dv->npasid_rows];

		build_key(v, kv, k, at_find_key(pd ? &pd->pasids : NULL,
						k->key),
			  at_find_key(fd ? &fd->pasids : NULL, k->key),
			  has_prev);
		group_row(r, dv - v->dev, (uint32_t)k->key);
		r->pid = k->pid;
		snprintf(r->state, sizeof(r->state), "%s",
			 k->live ? "draining" : "freed");
		row_point(r, kv);
		*idx_slot(pidx, k->key) = (uint32_t)++dv->npasid_rows;
	}
}

/* Process rows: the PASID rows summed by pid. */
static int procs_of_pasids(struct at_view *v, struct at_dev_view *dv)
{
	struct idx q;
	size_t i;

	if (idx_init(&q, dv->npasid_rows))
		return -ENOMEM;
	for (i = 0; i < dv->npasid_rows; i++) {
		const struct at_row *p = &dv->pasid_rows[i];
		const struct at_key_view *pk = &dv->pasid_keys[i];
		uint32_t *slot = idx_slot(&q, p->pid);
		struct at_row *r;
		struct at_key_view *kv;

		if (!*slot) {
			r = &dv->proc_rows[dv->nproc_rows];
			kv = &dv->proc_keys[dv->nproc_rows];
			*r = *p;
			kv->total = pk->total;
			kv->delta = pk->delta;
			row_point(r, kv);
			*slot = (uint32_t)++dv->nproc_rows;
			continue;
		}
		r = &dv->proc_rows[*slot - 1];
		kv = &dv->proc_keys[*slot - 1];
		at_counts_add(&kv->total, &pk->total);
		at_counts_add(&kv->delta, &pk->delta);
		r->nctx += p->nctx;
		r->npasid++;
		r->pasid = AT_NONE;
		if (!r->nctx || (p->nctx && r->nctx == p->nctx)) {
			/* The first PASID with a context names the row. */
			memcpy(r->comm, p->comm, sizeof(r->comm));
			memcpy(r->state, p->state, sizeof(r->state));
			r->kernel = p->kernel;
		}
	}
	for (i = 0; i < dv->nproc_rows; i++)
		figures_of(&dv->proc_keys[i].delta, v->interval,
			   v->has_ctx_lat, &dv->proc_keys[i].fig);
	idx_free(&q);
	return 0;
}

static int build_dev(struct at_view *v, struct at_dev_view *dv,
		     const struct at_dev_sample *cd,
		     const struct at_dev_sample *pd,
		     const struct at_dev_sample *fd, bool has_prev)
{
	size_t i, ngroups = cd->pasids.n + cd->spa.n + 1;
	struct idx pidx;
	int ret;

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
	 * key. Every field of a row and a key view is written before it is
	 * read, so nothing is zeroed: a key view holds six histograms, and
	 * zeroing them for 4096 contexts at every refresh was an eighth of
	 * acceltop's time.
	 */
	dv->rows = malloc((cd->spa.n ? cd->spa.n : 1) * sizeof(*dv->rows));
	dv->ctx_keys = malloc((cd->ctxs.n ? cd->ctxs.n : 1) *
			      sizeof(*dv->ctx_keys));
	dv->pasid_rows = malloc(ngroups * sizeof(*dv->pasid_rows));
	dv->pasid_keys = malloc(ngroups * sizeof(*dv->pasid_keys));
	dv->proc_rows = malloc(ngroups * sizeof(*dv->proc_rows));
	dv->proc_keys = malloc(ngroups * sizeof(*dv->proc_keys));
	if (!dv->rows || !dv->ctx_keys || !dv->pasid_rows ||
	    !dv->pasid_keys || !dv->proc_rows || !dv->proc_keys ||
	    idx_init(&pidx, ngroups))
		return -ENOMEM;
	for (i = 0; i < cd->ctxs.n; i++)
		dv->ctx_keys[i].done = false;
	if (v->pasid_counts)
		pasids_of_keys(v, dv, cd, pd, fd, has_prev, &pidx);
	for (i = 0; i < cd->spa.n; i++) {
		const struct accel_pe *pe = &cd->spa.pe[i];
		struct at_row *r = &dv->rows[dv->nrows++], *pr;
		uint64_t key = AT_CTX_KEY(pe->pe, pe->pasid);
		const struct at_keyed *ck = at_find_key(&cd->ctxs, key);
		const struct at_key_view *kv = &zero_kv;
		struct at_key_view *pk;
		uint32_t *slot;

		r->dev = dv - v->dev;
		r->pe = pe->pe;
		r->pasid = pe->pasid;
		r->nctx = 1;
		r->npasid = 1;
		row_who(r, pe);
		if (ck) {
			struct at_key_view *k = &dv->ctx_keys[ck - cd->ctxs.keyed];

			if (!k->done)
				build_key(v, k, ck,
					  at_find_key(pd ? &pd->ctxs : NULL, key),
					  at_find_key(fd ? &fd->ctxs : NULL, key),
					  has_prev);
			kv = k;
		}
		row_point(r, kv);
		/* Its PASID's row. */
		slot = idx_slot(&pidx, pe->pasid);
		if (!*slot) {
			pr = &dv->pasid_rows[dv->npasid_rows];
			pk = &dv->pasid_keys[dv->npasid_rows];
			group_row(pr, r->dev, pe->pasid);
			if (v->pasid_counts) {
				/* No event of the PASID yet. */
				memset(pk, 0, sizeof(*pk));
			} else {
				pk->total = kv->total;
				pk->delta = kv->delta;
			}
			row_point(pr, pk);
			*slot = (uint32_t)++dv->npasid_rows;
		} else {
			pr = &dv->pasid_rows[*slot - 1];
			pk = &dv->pasid_keys[*slot - 1];
			if (!v->pasid_counts) {
				group_add(&pk->total, &kv->total, true);
				group_add(&pk->delta, &kv->delta, true);
			}
		}
		if (!pr->nctx++)
			row_who(pr, pe);
		if (v->pasid_counts) {
			r->ttotal = &pk->total;
			r->tfig = &pk->fig;
		}
	}
	idx_free(&pidx);
	if (!v->pasid_counts)
		for (i = 0; i < dv->npasid_rows; i++)
			figures_of(&dv->pasid_keys[i].delta, v->interval,
				   v->has_ctx_lat, &dv->pasid_keys[i].fig);
	ret = procs_of_pasids(v, dv);
	return ret;
}

void at_view_build(struct at_view *v, const struct at_sample *prev,
		   const struct at_sample *cur, const struct at_sample *first)
{
	size_t i;

	memset(v, 0, sizeof(*v));
	v->interval = prev ? cur->t - prev->t : 0;
	v->elapsed = first ? cur->t - first->t : 0;
	v->pasid_counts = cur->pasid_counts;
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
	}
}

void at_view_free(struct at_view *v)
{
	size_t i;

	for (i = 0; i < v->ndev; i++) {
		free(v->dev[i].rows);
		free(v->dev[i].ctx_keys);
		free(v->dev[i].pasid_rows);
		free(v->dev[i].pasid_keys);
		free(v->dev[i].proc_rows);
		free(v->dev[i].proc_keys);
	}
	free(v->dev);
	memset(v, 0, sizeof(*v));
}

struct at_row *at_dev_rows(const struct at_dev_view *d, enum at_group g,
			   size_t *n)
{
	switch (g) {
	case AT_GROUP_PASID:
		*n = d->npasid_rows;
		return d->pasid_rows;
	case AT_GROUP_PROCESS:
		*n = d->nproc_rows;
		return d->proc_rows;
	default:
		*n = d->nrows;
		return d->rows;
	}
}

const char *const at_group_names[AT_GROUP_NR] = {
	[AT_GROUP_CONTEXT] = "context",
	[AT_GROUP_PASID] = "pasid",
	[AT_GROUP_PROCESS] = "process",
};

int at_group_parse(const char *s, enum at_group *g)
{
	unsigned int i;

	for (i = 0; i < AT_GROUP_NR; i++)
		if (!strcmp(s, at_group_names[i])) {
			*g = i;
			return 0;
		}
	return -EINVAL;
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
		c = -cmp_d(x->tfig->tlbis_s, y->tfig->tlbis_s);
		break;
	case AT_SORT_TLBI_P99:
		c = -cmp_d(x->tfig->tlbi.valid ? x->tfig->tlbi.p99 : -1,
			   y->tfig->tlbi.valid ? y->tfig->tlbi.p99 : -1);
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
	if (!c)
		c = cmp_u(x->pe, y->pe);
	if (!c)
		c = cmp_u(x->pasid, y->pasid);
	return c ? c : cmp_u(x->pid, y->pid);
}

void at_rows_sort(struct at_row *rows, size_t n, enum at_sort k, bool rev)
{
	size_t i;

	sort_key = k;
	/*
	 * Rows come in PE order, and idle rows keep their order from one
	 * refresh to the next: one pass tells whether qsort() has work.
	 */
	for (i = 1; i < n && cmp_row(&rows[i - 1], &rows[i]) <= 0; i++)
		;
	if (i < n)
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
