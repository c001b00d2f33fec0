// SPDX-License-Identifier: MIT
/*
 * acceltop: the views every source shows (info, spa and stats of each
 * device), and the debugfs source: device counters and latency histograms
 * from stats, per-context counters from spa (a PASID's are its contexts'
 * sums, model.c). No per-context latency.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accel_dev.h"
#include "acceltop.h"

/*
 * What the last refresh parsed of a device, by id, with the generations
 * it was read at: a view whose count in the driver's gen view did not
 * move is taken from here instead of being read and parsed again (spa has
 * a row per context, 4096 in figure 8 of bench/README.md). Used by the
 * collector thread only.
 */
struct at_dev_cache {
	struct accel_gen gen;		/* has: the views held below */
	struct accel_info info;
	struct accel_spa spa;
	struct accel_stats stats;
};

static struct at_dev_cache *dev_cache[ACCEL_MAX_DEVS];
static struct at_reads reads;

const struct at_reads *at_view_reads(void)
{
	return &reads;
}

static struct at_dev_cache *cache_of(unsigned int id)
{
	if (id >= ACCEL_MAX_DEVS)
		return NULL;
	if (!dev_cache[id])
		dev_cache[id] = calloc(1, sizeof(*dev_cache[id]));
	return dev_cache[id];
}

/* Keep a copy of spa in c (nothing, on ENOMEM: the view is read again). */
static void cache_spa(struct at_dev_cache *c, const struct accel_spa *spa)
{
	struct accel_pe *pe = malloc((spa->n ? spa->n : 1) * sizeof(*pe));

	accel_spa_free(&c->spa);
	if (!pe)
		return;
	if (spa->n)
		memcpy(pe, spa->pe, spa->n * sizeof(*pe));
	c->spa.pe = pe;
	c->spa.n = spa->n;
	c->gen.has |= 1u << ACCEL_GEN_SPA;
}

/* A copy of the cached spa into d; false on ENOMEM. */
static bool spa_from_cache(const struct at_dev_cache *c, struct accel_spa *spa)
{
	spa->pe = malloc((c->spa.n ? c->spa.n : 1) * sizeof(*spa->pe));
	if (!spa->pe)
		return false;
	if (c->spa.n)
		memcpy(spa->pe, c->spa.pe, c->spa.n * sizeof(*spa->pe));
	spa->n = c->spa.n;
	return true;
}

static void load_one(const char *root, struct at_dev_sample *d)
{
	struct at_dev_cache *c = cache_of(d->id);
	struct accel_err e = { "" };
	bool spa_cached;
	struct accel_gen g;

	/* No gen view (an older driver): no count, every view is read. */
	reads.gen++;
	if (accel_load_gen(root, d->id, &g, &e))
		memset(&g, 0, sizeof(g));
	if (c && accel_gen_same(&c->gen, &g, ACCEL_GEN_INFO)) {
		d->info = c->info;
	} else {
		reads.info++;
		if (accel_load_info(root, d->id, &d->info, &e)) {
			snprintf(d->err, sizeof(d->err), "%s", e.msg);
			return;
		}
	}
	d->have_info = true;
	spa_cached = c && accel_gen_same(&c->gen, &g, ACCEL_GEN_SPA) &&
		     spa_from_cache(c, &d->spa);
	if (!spa_cached) {
		reads.spa++;
		if (accel_load_spa(root, d->id, &d->spa, &e)) {
			snprintf(d->err, sizeof(d->err), "%s", e.msg);
			return;
		}
	}
	if (c && accel_gen_same(&c->gen, &g, ACCEL_GEN_STATS)) {
		d->stats = c->stats;
		d->have_stats = true;
	} else {
		reads.stats++;
		if (accel_load_stats(root, d->id, &d->stats, &e))
			snprintf(d->err, sizeof(d->err), "%s", e.msg);
		else
			d->have_stats = true;
	}
	if (!c)
		return;
	/* What was read at counts g is what the next refresh compares. */
	c->gen.has = 0;
	memcpy(c->gen.gen, g.gen, sizeof(g.gen));
	c->info = d->info;
	c->gen.has |= g.has & (1u << ACCEL_GEN_INFO);
	if (d->have_stats) {
		c->stats = d->stats;
		c->gen.has |= g.has & (1u << ACCEL_GEN_STATS);
	}
	if (spa_cached)
		c->gen.has |= 1u << ACCEL_GEN_SPA;
	else if (g.has & (1u << ACCEL_GEN_SPA))
		cache_spa(c, &d->spa);
}

void at_view_cache_free(void)
{
	unsigned int i;

	for (i = 0; i < ACCEL_MAX_DEVS; i++) {
		if (dev_cache[i])
			accel_spa_free(&dev_cache[i]->spa);
		free(dev_cache[i]);
		dev_cache[i] = NULL;
	}
}

int at_load_devices(const char *root, struct at_sample *s, char *err,
		    size_t len)
{
	unsigned int ids[ACCEL_MAX_DEVS];
	int n, i;

	n = accel_list_devices(root, ids, ACCEL_MAX_DEVS);
	if (n < 0) {
		char hint[512];

		accel_root_hint(root, -n, hint, sizeof(hint));
		snprintf(err, len, "%s: %s (%s)", root, strerror(-n), hint);
		return n;
	}
	s->dev = calloc(n ? n : 1, sizeof(*s->dev));
	if (!s->dev) {
		snprintf(err, len, "out of memory");
		return -ENOMEM;
	}
	s->ndev = n;
	for (i = 0; i < n; i++) {
		s->dev[i].id = ids[i];
		snprintf(s->dev[i].name, sizeof(s->dev[i].name), "afu%u",
			 ids[i]);
		load_one(root, &s->dev[i]);
	}
	return 0;
}

struct at_dev_sample *at_sample_dev(struct at_sample *s, unsigned int id)
{
	size_t i;

	for (i = 0; i < s->ndev; i++)
		if (s->dev[i].id == id)
			return &s->dev[i];
	return NULL;
}

void at_sample_free(struct at_sample *s)
{
	size_t i;

	for (i = 0; i < s->ndev; i++) {
		accel_spa_free(&s->dev[i].spa);
		at_keys_free(&s->dev[i].pasids);
		at_keys_free(&s->dev[i].ctxs);
	}
	free(s->dev);
	memset(s, 0, sizeof(*s));
}

static void hist_sum(struct accel_hist *h)
{
	unsigned int b;

	h->count = 0;
	for (b = 0; b < ACCEL_HIST_BUCKETS; b++)
		h->count += h->bucket[b];
}

void at_irqs_from_debugfs(const char *root, struct at_sample *s)
{
	size_t i, j, k;

	for (i = 0; i < s->ndev; i++) {
		struct at_dev_sample *d = &s->dev[i];

		if (d->have_stats)
			d->total.irqs = d->stats.counter[ACCEL_C_IRQS_FIRED];
		for (k = 0; k < d->pasids.n; k++)
			d->pasids.keyed[k].c.irqs = 0;
		for (k = 0; k < d->ctxs.n; k++)
			d->ctxs.keyed[k].c.irqs = 0;
		for (j = 0; j < d->spa.n; j++) {
			const struct accel_pe *pe = &d->spa.pe[j];
			struct at_keyed *key = at_find_key(&d->pasids,
							   pe->pasid);

			if (key)
				key->c.irqs += pe->irqs;
			key = at_key(&d->ctxs, AT_CTX_KEY(pe->pe, pe->pasid));
			if (key)
				key->c.irqs = pe->irqs;
		}
	}
}

static int debugfs_sample(struct at_source *src, struct at_sample *s)
{
	size_t i, j;
	int ret;

	ret = at_load_devices(src->root, s, s->note, sizeof(s->note));
	if (ret)
		return ret;
	for (i = 0; i < s->ndev; i++) {
		struct at_dev_sample *d = &s->dev[i];
		const struct accel_stats *st = &d->stats;

		for (j = 0; j < d->spa.n; j++) {
			const struct accel_pe *pe = &d->spa.pe[j];
			struct at_keyed *k = at_key(&d->ctxs,
						    AT_CTX_KEY(pe->pe,
							       pe->pasid));

			if (!k)
				return -ENOMEM;
			k->live = true;
			k->c.faults = pe->faults;
			k->c.tlbis = pe->tlbis;
			k->c.irqs = pe->irqs;
			k->c.work_done = pe->work;
			k->c.bytes = pe->bytes;
		}
		if (!d->have_stats)
			continue;
		d->total.faults = st->counter[ACCEL_C_FAULTS_RAISED];
		d->total.faults_restart =
			st->counter[ACCEL_C_FAULTS_ACKED_RESTART];
		d->total.faults_address_error =
			st->counter[ACCEL_C_FAULTS_ACKED_ADDRESS_ERROR];
		d->total.tlbis = st->counter[ACCEL_C_TLBIS];
		d->total.irqs = st->counter[ACCEL_C_IRQS_FIRED];
		d->total.work_submitted = st->counter[ACCEL_C_WORK_SUBMITTED];
		d->total.work_done = st->counter[ACCEL_C_WORK_DONE];
		d->total.bytes = st->counter[ACCEL_C_BYTES];
		d->total.fault_lat = st->fault_lat;
		d->total.tlbi_lat = st->tlbi_lat;
		hist_sum(&d->total.fault_lat);
		hist_sum(&d->total.tlbi_lat);
	}
	return 0;
}

int at_debugfs_open(struct at_source *src, char *err, size_t len)
{
	struct at_sample s = { 0 };
	int ret;

	ret = debugfs_sample(src, &s);
	if (ret)
		snprintf(err, len, "%s", s.note);
	at_sample_free(&s);
	if (ret)
		return ret;
	src->kind = AT_SRC_DEBUGFS;
	src->sample = debugfs_sample;
	src->poll = NULL;
	src->close = NULL;
	return 0;
}
