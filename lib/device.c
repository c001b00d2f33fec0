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

/* Read and parse view v of device id into out, its parser's struct. */
static int load_parsed(const char *root, unsigned int id, enum view v,
		       void *out, struct accel_err *err)
{
	char name[64], *buf;
	size_t len;
	int ret;

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

	ret = load_view(root, id, "gen", &buf, &len, name, sizeof(name), err);
	if (ret) {
		memset(gen, 0, sizeof(*gen));
		return ret;
	}
	ret = accel_parse_gen(buf, len, name, gen, err);
	free(buf);
	return ret;
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
