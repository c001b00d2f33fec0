// SPDX-License-Identifier: MIT
/*
 * libaccel: loading every view of a device and deriving its figures.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "accel_dev.h"
#include "accel_format.h"

/* Read root/afuN/view; name gets "afuN/view" for messages. */
static int load_view(const char *root, unsigned int id, const char *view,
		     char **buf, size_t *len, char *name, size_t nsize,
		     struct accel_err *err)
{
	char path[4096];
	int ret;

	snprintf(name, nsize, "afu%u/%s", id, view);
	snprintf(path, sizeof(path), "%s/%s", root, name);
	ret = accel_read_file(path, buf, len);
	if (ret)
		accel_err_set(err, name, 0, "%s", strerror(-ret));
	return ret;
}

enum view { V_INFO, V_SPA, V_PASIDS, V_FAULTS, V_IRQS, V_STATS, V_NR,
	    V_ATC = V_NR };

static const char *const view_names[V_NR + 1] = {
	"info", "spa", "pasids", "faults", "irqs", "stats", "atc"
};

char *accel_dev_missing_str(unsigned int missing, char *buf, size_t size)
{
	size_t len = 0;
	unsigned int v;

	if (size)
		buf[0] = '\0';
	for (v = V_SPA; v < V_NR; v++) {
		int n;

		if (!(missing & (1u << v)) || len >= size)
			continue;
		n = snprintf(buf + len, size - len, "%s%s", len ? ", " : "",
			     view_names[v]);
		len += n > 0 ? (size_t)n : 0;
	}
	return buf;
}

/* Views read and parsed since start, by enum view (V_ATC last). */
static unsigned long view_reads[V_NR + 1];
static unsigned long gen_reads;

/* Read and parse view v of device id into out, its parser's struct. */
static int load_parsed(const char *root, unsigned int id, enum view v,
		       void *out, struct accel_err *err)
{
	char name[64], *buf;
	size_t len;
	int ret;

	view_reads[v]++;
	ret = load_view(root, id, view_names[v], &buf, &len, name,
			sizeof(name), err);
	if (ret)
		return ret;
	switch (v) {
	case V_INFO:
		ret = accel_parse_info(buf, len, name, out, err);
		break;
	case V_SPA:
		ret = accel_parse_spa(buf, len, name, out, err);
		break;
	case V_PASIDS:
		ret = accel_parse_pasids(buf, len, name, out, err);
		break;
	case V_FAULTS:
		ret = accel_parse_faults(buf, len, name, out, err);
		break;
	case V_IRQS:
		ret = accel_parse_irqs(buf, len, name, out, err);
		break;
	case V_ATC:
		ret = accel_parse_atc(buf, len, name, out, err);
		break;
	default:
		ret = accel_parse_stats(buf, len, name, out, err);
		break;
	}
	free(buf);
	return ret;
}

int accel_load_info(const char *root, unsigned int id,
		    struct accel_info *info, struct accel_err *err)
{
	return load_parsed(root, id, V_INFO, info, err);
}

int accel_load_spa(const char *root, unsigned int id, struct accel_spa *spa,
		   struct accel_err *err)
{
	return load_parsed(root, id, V_SPA, spa, err);
}

int accel_load_stats(const char *root, unsigned int id,
		     struct accel_stats *st, struct accel_err *err)
{
	return load_parsed(root, id, V_STATS, st, err);
}

int accel_load_gen(const char *root, unsigned int id, struct accel_gen *gen,
		   struct accel_err *err)
{
	char name[64], *buf;
	size_t len;
	int ret;

	gen_reads++;
	ret = load_view(root, id, "gen", &buf, &len, name, sizeof(name), err);
	if (ret) {
		memset(gen, 0, sizeof(*gen));
		return ret;
	}
	ret = accel_parse_gen(buf, len, name, gen, err);
	free(buf);
	return ret;
}

void accel_dev_reads(struct accel_dev_reads *r)
{
	r->gen = gen_reads;
	r->info = view_reads[V_INFO];
	r->spa = view_reads[V_SPA];
	r->pasids = view_reads[V_PASIDS];
	r->faults = view_reads[V_FAULTS];
	r->irqs = view_reads[V_IRQS];
	r->stats = view_reads[V_STATS];
	r->atc = view_reads[V_ATC];
}

bool accel_dev_exists(const char *root, unsigned int id)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/afu%u", root, id);
	return !access(path, F_OK);
}

bool accel_dev_gone(const char *root, unsigned int id)
{
	return !accel_dev_exists(root, id) && errno == ENOENT;
}

/* *dst = a copy of the n rows of size sz at src; -ENOMEM. */
static int dup_rows(void **dst, const void *src, size_t n, size_t sz)
{
	*dst = malloc((n ? n : 1) * sz);
	if (!*dst)
		return -ENOMEM;
	if (n)
		memcpy(*dst, src, n * sz);
	return 0;
}

/*
 * View v of prev, copied into d when its generation is the same in g (and
 * it has no clock column whose rows would have aged: faults and atc are
 * kept only when empty). 1 copied, 0 not (read it), -ENOMEM.
 */
static int keep_view(const struct accel_dev *prev, const struct accel_gen *g,
		     enum view v, struct accel_dev *d)
{
	static const enum accel_gen_view gv[V_NR + 1] = {
		[V_INFO] = ACCEL_GEN_INFO, [V_SPA] = ACCEL_GEN_SPA,
		[V_PASIDS] = ACCEL_GEN_PASIDS, [V_FAULTS] = ACCEL_GEN_FAULTS,
		[V_IRQS] = ACCEL_GEN_IRQS, [V_STATS] = ACCEL_GEN_STATS,
		[V_ATC] = ACCEL_GEN_ATC,
	};

	if (!prev || !accel_gen_same(&prev->gen, g, gv[v]))
		return 0;
	switch (v) {
	case V_INFO:
		d->info = prev->info;
		return 1;
	case V_SPA:
		d->spa.n = prev->spa.n;
		return dup_rows((void **)&d->spa.pe, prev->spa.pe, prev->spa.n,
				sizeof(*d->spa.pe)) ?: 1;
	case V_PASIDS:
		d->pasids.n = prev->pasids.n;
		return dup_rows((void **)&d->pasids.p, prev->pasids.p,
				prev->pasids.n, sizeof(*d->pasids.p)) ?: 1;
	case V_FAULTS:
		return prev->faults.n ? 0 : 1;
	case V_IRQS:
		d->irqs.n = prev->irqs.n;
		return dup_rows((void **)&d->irqs.r, prev->irqs.r,
				prev->irqs.n, sizeof(*d->irqs.r)) ?: 1;
	case V_ATC:
		return prev->atc.n || !prev->has_atc ? 0 : 1;
	default:
		d->stats = prev->stats;
		return 1;
	}
}

int accel_dev_reload(const char *root, unsigned int id,
		     const struct accel_dev *prev, struct accel_dev *d,
		     struct accel_err *err)
{
	void *out[V_NR] = {
		&d->info, &d->spa, &d->pasids, &d->faults, &d->irqs, &d->stats
	};
	struct accel_gen g;
	unsigned int v;
	int ret = 0, kept;

	memset(d, 0, sizeof(*d));
	d->id = id;
	snprintf(d->name, sizeof(d->name), "afu%u", id);
	/* Before the views: a view read after its count is as new. */
	if (accel_load_gen(root, id, &g, err))
		memset(&g, 0, sizeof(g));
	if (prev && prev->id != id)
		prev = NULL;
	for (v = 0; v < V_NR && !ret; v++) {
		kept = keep_view(prev, &g, v, d);
		if (kept < 0)
			ret = kept;
		else if (!kept)
			ret = load_parsed(root, id, v, out[v], err);
	}
	/* A driver before the atc view: the rest is whole without it. */
	if (!ret) {
		kept = keep_view(prev, &g, V_ATC, d);
		if (kept < 0) {
			ret = kept;
		} else if (kept) {
			d->has_atc = true;
		} else {
			ret = load_parsed(root, id, V_ATC, &d->atc, err);
			d->has_atc = !ret;
			if (ret == -ENOENT)
				ret = 0;
		}
	}
	if (ret == -ENOMEM)
		accel_err_set(err, d->name, 0, "%s", strerror(ENOMEM));
	if (ret) {
		accel_dev_free(d);
		return ret;
	}
	d->gen = g;
	return 0;
}

int accel_dev_load(const char *root, unsigned int id, struct accel_dev *d,
		   struct accel_err *err)
{
	void *out[V_NR] = {
		&d->info, &d->spa, &d->pasids, &d->faults, &d->irqs, &d->stats
	};
	unsigned int v;
	int ret = 0;

	memset(d, 0, sizeof(*d));
	d->id = id;
	snprintf(d->name, sizeof(d->name), "afu%u", id);
	for (v = 0; v < V_NR && !ret; v++)
		ret = load_parsed(root, id, v, out[v], err);
	/* A driver before the atc view: the rest is whole without it. */
	if (!ret) {
		ret = load_parsed(root, id, V_ATC, &d->atc, err);
		d->has_atc = !ret;
		if (ret == -ENOENT)
			ret = 0;
	}
	if (ret)
		accel_dev_free(d);
	return ret;
}

void accel_dev_free(struct accel_dev *d)
{
	accel_spa_free(&d->spa);
	accel_pasids_free(&d->pasids);
	accel_faults_free(&d->faults);
	accel_irqs_free(&d->irqs);
	accel_atc_free(&d->atc);
}

bool accel_hist_p50_90_99(const struct accel_hist *h, double p[3])
{
	static const double pct[3] = { 50, 90, 99 };
	unsigned int i;

	for (i = 0; i < 3; i++)
		if (accel_hist_percentile(h, pct[i], &p[i]))
			return false;
	return true;
}

void accel_dev_summarize(const struct accel_dev *d, struct accel_summary *s)
{
	const uint64_t *c = d->stats.counter;
	double p[3];
	size_t i;

	memset(s, 0, sizeof(*s));
	s->spa_used = (uint32_t)d->spa.n;
	if (d->info.max_pe)
		s->spa_used_pct = 100.0 * s->spa_used / d->info.max_pe;
	for (i = 0; i < d->spa.n; i++) {
		if (d->spa.pe[i].state == ACCEL_PE_ZOMBIE)
			s->zombies++;
		if (d->spa.pe[i].kernel)
			s->kernel_contexts++;
	}
	for (i = 0; i < d->pasids.n; i++) {
		switch (d->pasids.p[i].state) {
		case ACCEL_PASID_LIVE:
			s->pasids_live++;
			break;
		case ACCEL_PASID_DRAINING:
			s->pasids_draining++;
			break;
		case ACCEL_PASID_FREE_PENDING:
			s->pasids_free_pending++;
			break;
		default:
			break;
		}
	}
	/* info counts zombies too; trust whichever saw more */
	if (d->info.zombies > s->zombies)
		s->zombies = d->info.zombies;
	s->faults_pending = (uint32_t)d->faults.n;
	for (i = 0; i < d->faults.n; i++) {
		if (d->faults.f[i].state == ACCEL_FAULT_HELD)
			s->faults_held++;
		if (d->faults.f[i].age_ns > s->oldest_fault_age_ns)
			s->oldest_fault_age_ns = d->faults.f[i].age_ns;
	}
	s->irqs_used = d->info.irqs_used;
	if (d->info.irq_budget)
		s->irq_used_pct = 100.0 * s->irqs_used / d->info.irq_budget;
	s->atc_used = (uint32_t)d->atc.n;
	if (d->info.atc_entries)
		s->atc_used_pct = 100.0 * s->atc_used / d->info.atc_entries;
	s->has_atc_hits = c[ACCEL_C_ATC_HITS] + c[ACCEL_C_ATC_MISSES] > 0;
	if (s->has_atc_hits)
		s->atc_hit_pct = 100.0 * (double)c[ACCEL_C_ATC_HITS] /
				 (double)(c[ACCEL_C_ATC_HITS] +
					  c[ACCEL_C_ATC_MISSES]);
	s->faults_acked = c[ACCEL_C_FAULTS_ACKED_RESTART] +
			  c[ACCEL_C_FAULTS_ACKED_ADDRESS_ERROR];
	if (s->faults_acked)
		s->fault_error_pct = 100.0 *
			(double)c[ACCEL_C_FAULTS_ACKED_ADDRESS_ERROR] /
			(double)s->faults_acked;
	s->has_fault_lat = accel_hist_p50_90_99(&d->stats.fault_lat, p);
	if (s->has_fault_lat) {
		s->fault_p50_ns = p[0];
		s->fault_p90_ns = p[1];
		s->fault_p99_ns = p[2];
	}
	s->has_tlbi_lat = accel_hist_p50_90_99(&d->stats.tlbi_lat, p);
	if (s->has_tlbi_lat) {
		s->tlbi_p50_ns = p[0];
		s->tlbi_p90_ns = p[1];
		s->tlbi_p99_ns = p[2];
	}
}
