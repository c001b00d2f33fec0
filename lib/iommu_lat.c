// SPDX-License-Identifier: MIT
/*
 * libaccel: Intel IOMMU invalidations (accel_iommu.h): descriptor types,
 * readings and their differences, the fixture format, and the text, JSON
 * and Prometheus output the tools share. The BPF source is iommu_bpf.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "accel_dev.h"
#include "accel_format.h"
#include "accel_iommu.h"
#include "accel_json.h"

static const char *const type_names[ACCEL_IOMMU_TYPES] = {
	[ACCEL_QI_CC] = "context_cache",
	[ACCEL_QI_IOTLB] = "iotlb",
	[ACCEL_QI_DIOTLB] = "dev_tlb",
	[ACCEL_QI_IEC] = "iec",
	[ACCEL_QI_IWD] = "wait",
	[ACCEL_QI_EIOTLB] = "pasid_iotlb",
	[ACCEL_QI_PC] = "pasid_cache",
	[ACCEL_QI_DEIOTLB] = "pasid_dev_tlb",
	[ACCEL_QI_PGRP_RESP] = "page_group_resp",
	[ACCEL_QI_PSTRM_RESP] = "page_stream_resp",
};

unsigned int accel_iommu_desc_type(uint64_t qw0)
{
	return (unsigned int)(qw0 & (ACCEL_IOMMU_TYPES - 1));
}

const char *accel_iommu_type_name(unsigned int type)
{
	return type < ACCEL_IOMMU_TYPES ? type_names[type] : NULL;
}

int accel_iommu_type_of(const char *name)
{
	unsigned int t;

	for (t = 0; t < ACCEL_IOMMU_TYPES; t++)
		if (type_names[t] && !strcmp(type_names[t], name))
			return (int)t;
	return -1;
}

struct accel_iommu_unit *accel_iommu_unit_get(struct accel_iommu_snap *s,
					      const char *name)
{
	struct accel_iommu_unit *u;
	size_t i;

	for (i = 0; i < s->n; i++)
		if (!strncmp(s->unit[i].name, name, ACCEL_IOMMU_NAME_LEN))
			return &s->unit[i];
	if (s->n == ACCEL_IOMMU_MAX_UNITS)
		return NULL;
	u = &s->unit[s->n++];
	memset(u, 0, sizeof(*u));
	snprintf(u->name, sizeof(u->name), "%s", name);
	return u;
}

static uint64_t sub(uint64_t a, uint64_t b)
{
	/* A counter that went back (a source reopened): count it afresh. */
	return a >= b ? a - b : a;
}

static int by_name(const void *a, const void *b)
{
	const struct accel_iommu_unit *x = a, *y = b;

	return strncmp(x->name, y->name, ACCEL_IOMMU_NAME_LEN);
}

void accel_iommu_delta(const struct accel_iommu_snap *now,
		       const struct accel_iommu_snap *then,
		       struct accel_iommu_snap *out)
{
	static const struct accel_iommu_unit zero;
	size_t i, j;
	unsigned int t;

	out->n = 0;
	out->has_lat = now->has_lat;
	out->drops = sub(now->drops, then ? then->drops : 0);
	for (i = 0; i < now->n && i < ACCEL_IOMMU_MAX_UNITS; i++) {
		const struct accel_iommu_unit *a = &now->unit[i], *b = &zero;
		struct accel_iommu_unit *d = &out->unit[out->n++];

		for (j = 0; then && j < then->n; j++)
			if (!strncmp(then->unit[j].name, a->name,
				     ACCEL_IOMMU_NAME_LEN))
				b = &then->unit[j];
		memcpy(d->name, a->name, sizeof(d->name));
		for (t = 0; t < ACCEL_IOMMU_TYPES; t++) {
			d->descs[t] = sub(a->descs[t], b->descs[t]);
			d->submits[t] = sub(a->submits[t], b->submits[t]);
			d->lat_sum_ns[t] = sub(a->lat_sum_ns[t],
					       b->lat_sum_ns[t]);
			accel_hist_delta(&a->lat[t], &b->lat[t], &d->lat[t]);
		}
	}
	qsort(out->unit, out->n, sizeof(out->unit[0]), by_name);
}

uint64_t accel_iommu_total(const struct accel_iommu_snap *s)
{
	uint64_t n = 0;
	size_t i;
	unsigned int t;

	for (i = 0; i < s->n; i++)
		for (t = 0; t < ACCEL_IOMMU_TYPES; t++)
			n += s->unit[i].descs[t] + s->unit[i].submits[t];
	return n;
}

/* "SLOT:COUNT,..." into h; 0 or -EINVAL. */
static int parse_hist(const char *p, struct accel_hist *h)
{
	char *end;

	while (*p) {
		unsigned long slot = strtoul(p, &end, 10);
		unsigned long long n;

		if (end == p || *end != ':' || slot >= ACCEL_HIST_BUCKETS)
			return -EINVAL;
		p = end + 1;
		n = strtoull(p, &end, 10);
		if (end == p || (*end && *end != ','))
			return -EINVAL;
		h->bucket[slot] += n;
		h->count += n;
		p = *end ? end + 1 : end;
	}
	return 0;
}

int accel_iommu_parse(const char *text, struct accel_iommu_snap *s,
		      char *err, size_t len)
{
	char *copy = strdup(text), *line, *save = NULL;
	unsigned int lineno = 0;
	int ret = 0;

	if (!copy)
		return -ENOMEM;
	memset(s, 0, sizeof(*s));
	s->has_lat = true;
	for (line = strtok_r(copy, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char unit[32], type[32], hist[4096] = "";
		unsigned long long descs, submits, sum;
		struct accel_iommu_unit *u;
		int t, n;

		lineno++;
		if (line[0] == '#' || !line[strspn(line, " \t")])
			continue;
		if (!strcmp(line, "nolatency")) {
			s->has_lat = false;
			continue;
		}
		n = sscanf(line, "%31s %31s %llu %llu %llu %4095s", unit, type,
			   &descs, &submits, &sum, hist);
		t = n >= 5 ? accel_iommu_type_of(type) : -1;
		u = t >= 0 ? accel_iommu_unit_get(s, unit) : NULL;
		if (!u || parse_hist(hist, &u->lat[t])) {
			snprintf(err, len, "line %u: '%s'", lineno, line);
			ret = -EINVAL;
			break;
		}
		u->descs[t] += descs;
		u->submits[t] += submits;
		u->lat_sum_ns[t] += sum;
	}
	free(copy);
	return ret;
}

const char *accel_iommu_kind_name(enum accel_iommu_src_kind kind)
{
	switch (kind) {
	case ACCEL_IOMMU_SRC_BTF:
		return "bpf-btf";
	case ACCEL_IOMMU_SRC_TP:
		return "bpf-tp";
	default:
		return "fixture";
	}
}

/* @s right-aligned in @w columns: UTF-8 "µ" is two bytes, one column. */
static void rpad(FILE *f, const char *s, int w)
{
	int cols = 0;
	const char *p;

	for (p = s; *p; p++)
		cols += ((unsigned char)*p & 0xc0) != 0x80;
	fprintf(f, "%*s%s", w > cols ? w - cols : 0, "", s);
}

static bool type_shown(const struct accel_iommu_unit *u, unsigned int t)
{
	return u->descs[t] || u->submits[t];
}

static double rate(uint64_t n, double secs)
{
	return secs > 0 ? (double)n / secs : 0;
}

void accel_iommu_text(FILE *f, const struct accel_iommu_snap *s,
		      const char *source, const char *missing)
{
	char b50[32], b99[32], lo[32], hi[32];
	size_t i;
	unsigned int t, b;
	bool any = false;

	fprintf(f, "IOMMU invalidations over %.2f s (source %s; counts: "
		"intel_iommu:qi_submit; latency: %s)\n", s->secs, source,
		s->has_lat ? "qi_submit_sync" : "not measured");
	if (missing && *missing)
		fprintf(f, "  not measured: %s\n", missing);
	if (s->drops)
		fprintf(f, "  dropped: %llu events\n",
			(unsigned long long)s->drops);
	fprintf(f, "%-8s %-16s %10s %10s %10s %10s %10s\n", "UNIT", "TYPE",
		"DESCS", "DESCS/S", "SUBMITS", "P50", "P99");
	for (i = 0; i < s->n; i++) {
		const struct accel_iommu_unit *u = &s->unit[i];

		for (t = 0; t < ACCEL_IOMMU_TYPES; t++) {
			double p[3];
			const char *name = accel_iommu_type_name(t);
			char other[16];

			if (!type_shown(u, t))
				continue;
			any = true;
			if (!name) {
				snprintf(other, sizeof(other), "type_%u", t);
				name = other;
			}
			if (accel_hist_p50_90_99(&u->lat[t], p)) {
				accel_fmt_ns(p[0], b50, sizeof(b50));
				accel_fmt_ns(p[2], b99, sizeof(b99));
			} else {
				snprintf(b50, sizeof(b50), "-");
				snprintf(b99, sizeof(b99), "-");
			}
			fprintf(f, "%-8s %-16s %10llu %10.1f %10llu ",
				u->name, name, (unsigned long long)u->descs[t],
				rate(u->descs[t], s->secs),
				(unsigned long long)u->submits[t]);
			rpad(f, b50, 10);
			fputc(' ', f);
			rpad(f, b99, 10);
			fputc('\n', f);
		}
	}
	if (!any)
		fprintf(f, "(no invalidations)\n");
	for (i = 0; i < s->n; i++) {
		const struct accel_iommu_unit *u = &s->unit[i];

		for (t = 0; t < ACCEL_IOMMU_TYPES; t++) {
			const struct accel_hist *h = &u->lat[t];
			uint64_t max = 0;

			if (!h->count)
				continue;
			for (b = 0; b < ACCEL_HIST_BUCKETS; b++)
				if (h->bucket[b] > max)
					max = h->bucket[b];
			fprintf(f, "\n%s %s submission latency:\n", u->name,
				accel_iommu_type_name(t) ?
				accel_iommu_type_name(t) : "other");
			for (b = 0; b < ACCEL_HIST_BUCKETS; b++) {
				int stars;

				if (!h->bucket[b])
					continue;
				accel_fmt_ns(b ? (double)(1ULL << b) : 0, lo,
					     sizeof(lo));
				accel_fmt_ns(accel_hist_upper(b), hi,
					     sizeof(hi));
				stars = (int)(h->bucket[b] * 40 / max);
				fputs("  [", f);
				rpad(f, lo, 8);
				fputs(", ", f);
				rpad(f, hi, 8);
				fprintf(f, ") %10llu |%-40.*s|\n",
					(unsigned long long)h->bucket[b],
					stars ? stars : 1,
					"****************************************");
			}
		}
	}
}

json_object *accel_iommu_json(const struct accel_iommu_snap *s,
			      const char *source, const char *missing)
{
	json_object *o = json_object_new_object(), *units, *m;
	size_t i;
	unsigned int t;

	accel_json_str(o, "source", source);
	accel_json_u64(o, "window_ns", (uint64_t)(s->secs * 1e9 + 0.5));
	json_object_object_add(o, "latency_measured",
			       json_object_new_boolean(s->has_lat));
	m = json_object_new_array();
	if (missing && *missing)
		json_object_array_add(m, json_object_new_string(missing));
	json_object_object_add(o, "missing", m);
	accel_json_u64(o, "drops", s->drops);
	units = json_object_new_array();
	for (i = 0; i < s->n; i++) {
		const struct accel_iommu_unit *u = &s->unit[i];
		json_object *uo = json_object_new_object();
		json_object *inv = json_object_new_array();

		accel_json_str(uo, "device", u->name);
		for (t = 0; t < ACCEL_IOMMU_TYPES; t++) {
			json_object *io;
			double p[3];

			if (!type_shown(u, t))
				continue;
			io = json_object_new_object();
			if (accel_iommu_type_name(t))
				accel_json_str(io, "type",
					       accel_iommu_type_name(t));
			else
				json_object_object_add(io, "type", NULL);
			accel_json_u64(io, "code", t);
			accel_json_u64(io, "descriptors", u->descs[t]);
			accel_json_double(io, "descriptors_per_s",
					  rate(u->descs[t], s->secs));
			accel_json_u64(io, "submissions", u->submits[t]);
			accel_json_u64(io, "lat_sum_ns", u->lat_sum_ns[t]);
			if (accel_hist_p50_90_99(&u->lat[t], p)) {
				accel_json_u64(io, "p50_lat_ns",
					       (uint64_t)p[0]);
				accel_json_u64(io, "p99_lat_ns",
					       (uint64_t)p[2]);
			} else {
				json_object_object_add(io, "p50_lat_ns", NULL);
				json_object_object_add(io, "p99_lat_ns", NULL);
			}
			json_object_object_add(io, "latency",
					       accel_json_hist(&u->lat[t]));
			json_object_array_add(inv, io);
		}
		json_object_object_add(uo, "invalidations", inv);
		json_object_array_add(units, uo);
	}
	json_object_object_add(o, "units", units);
	return o;
}

/* Histogram buckets exported: le = 2^(B+1) ns for B below this. */
#define PROM_BUCKETS 40

static void family(FILE *f, const char *name, const char *type,
		   const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* The labels of (unit, type); unit names are the kernel's "dmarN". */
static void labels(FILE *f, const struct accel_iommu_unit *u, unsigned int t,
		   const char *more)
{
	const char *p, *name = accel_iommu_type_name(t);

	fputs("{device=\"", f);
	for (p = u->name; *p; p++)
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p >= ' ' && *p < 0x7f)
			fputc(*p, f);
	if (name)
		fprintf(f, "\",type=\"%s\"", name);
	else
		fprintf(f, "\",type=\"type_%u\"", t);
	fprintf(f, "%s}", more ? more : "");
}

void accel_iommu_prom(FILE *f, const struct accel_iommu_snap *s)
{
	size_t i;
	unsigned int t, b;

	family(f, "accel_iommu_window_seconds", "gauge", "Length of the "
	       "window the accel_iommu_* figures were measured over.");
	fprintf(f, "accel_iommu_window_seconds %.9g\n", s->secs);
	family(f, "accel_iommu_latency_measured", "gauge", "1 if "
	       "qi_submit_sync() was timed, 0 if a source was missing.");
	fprintf(f, "accel_iommu_latency_measured %d\n", s->has_lat ? 1 : 0);
	family(f, "accel_iommu_dropped", "gauge", "Events or latencies not "
	       "counted in the window (BPF map full, start lost).");
	fprintf(f, "accel_iommu_dropped %llu\n", (unsigned long long)s->drops);
	family(f, "accel_iommu_descriptors", "gauge", "Invalidation "
	       "descriptors queued in the window (intel_iommu:qi_submit "
	       "events), by IOMMU unit and descriptor type.");
	for (i = 0; i < s->n; i++)
		for (t = 0; t < ACCEL_IOMMU_TYPES; t++) {
			if (!type_shown(&s->unit[i], t))
				continue;
			fputs("accel_iommu_descriptors", f);
			labels(f, &s->unit[i], t, NULL);
			fprintf(f, " %llu\n",
				(unsigned long long)s->unit[i].descs[t]);
		}
	if (!s->has_lat)
		return;
	family(f, "accel_iommu_submit_latency_seconds", "histogram",
	       "Time qi_submit_sync() took in the window, by IOMMU unit "
	       "and the type of the submission's first descriptor.");
	for (i = 0; i < s->n; i++)
		for (t = 0; t < ACCEL_IOMMU_TYPES; t++) {
			const struct accel_hist *h = &s->unit[i].lat[t];
			uint64_t cum = 0;
			char le[48];

			if (!type_shown(&s->unit[i], t))
				continue;
			for (b = 0; b < PROM_BUCKETS; b++) {
				cum += h->bucket[b];
				snprintf(le, sizeof(le), ",le=\"%.12g\"",
					 accel_hist_upper(b) / 1e9);
				fputs("accel_iommu_submit_latency_seconds_bucket",
				      f);
				labels(f, &s->unit[i], t, le);
				fprintf(f, " %llu\n", (unsigned long long)cum);
			}
			fputs("accel_iommu_submit_latency_seconds_bucket", f);
			labels(f, &s->unit[i], t, ",le=\"+Inf\"");
			fprintf(f, " %llu\n", (unsigned long long)h->count);
			fputs("accel_iommu_submit_latency_seconds_sum", f);
			labels(f, &s->unit[i], t, NULL);
			fprintf(f, " %.9g\n",
				(double)s->unit[i].lat_sum_ns[t] / 1e9);
			fputs("accel_iommu_submit_latency_seconds_count", f);
			labels(f, &s->unit[i], t, NULL);
			fprintf(f, " %llu\n", (unsigned long long)h->count);
		}
	family(f, "accel_iommu_submit_latency_seconds_estimate", "gauge",
	       "Percentile estimated from the log2 histogram (linear inside "
	       "the bucket).");
	for (i = 0; i < s->n; i++)
		for (t = 0; t < ACCEL_IOMMU_TYPES; t++) {
			static const char *const pct[3] = { "50", "90", "99" };
			double p[3];
			char more[32];
			int k;

			if (!accel_hist_p50_90_99(&s->unit[i].lat[t], p))
				continue;
			for (k = 0; k < 3; k++) {
				snprintf(more, sizeof(more),
					 ",percentile=\"%s\"", pct[k]);
				fputs("accel_iommu_submit_latency_seconds_estimate",
				      f);
				labels(f, &s->unit[i], t, more);
				fprintf(f, " %.9g\n", p[k] / 1e9);
			}
		}
}
