// SPDX-License-Identifier: MIT
/*
 * accelstat --prometheus: node_exporter textfile collector format, to
 * stdout or atomically to a file (-o).
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "accel_control.h"
#include "accel_format.h"
#include "accelstat.h"

/* Histogram buckets exported: le = 2^(B+1) ns for B below this. */
#define PROM_BUCKETS 40

static void family(FILE *f, const char *name, const char *type,
		   const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/*
 * A label value: valid UTF-8 (the text format requires it; a byte that
 * starts no valid sequence becomes U+FFFD), with \, " and newline
 * escaped.
 */
static void label(FILE *f, const char *v)
{
	size_t left = strlen(v), n;

	for (; left; v += n, left -= n) {
		n = accel_utf8_seq(v, left);
		if (!n) {
			fputs("\xef\xbf\xbd", f);
			n = 1;
		} else if (*v == '\\' || *v == '"') {
			fprintf(f, "\\%c", *v);
		} else if (*v == '\n') {
			fputs("\\n", f);
		} else {
			fwrite(v, 1, n, f);
		}
	}
}

void stat_prom_label(FILE *f, const char *v)
{
	label(f, v);
}

enum gauge_id {
	G_MAX_PE, G_SPA_USED, G_ZOMBIES, G_PASID_BITS, G_ATC, G_BUDGET,
	G_IRQS_USED, G_PENDING, G_HELD, G_AGE,
};

static const struct {
	enum gauge_id id;
	const char *name, *help;
} gauges[] = {
	{ G_MAX_PE, "accel_spa_max_pe", "SPA size (process elements)." },
	{ G_SPA_USED, "accel_spa_used", "SPA entries in use, zombies "
	  "included." },
	{ G_ZOMBIES, "accel_spa_zombies", "PEs whose terminate was not "
	  "confirmed." },
	{ G_PASID_BITS, "accel_pasid_width", "Width of the PASID space, in bits." },
	{ G_ATC, "accel_atc_entries", "Device translation cache size." },
	{ G_BUDGET, "accel_irq_budget", "IRQs the device can hand out." },
	{ G_IRQS_USED, "accel_irqs_used", "IRQs allocated from the budget." },
	{ G_PENDING, "accel_faults_pending", "Translation faults raised, not "
	  "acked." },
	{ G_HELD, "accel_faults_held", "Pending faults held by "
	  ACCEL_CTL_HOLD_FAULTS "." },
	{ G_AGE, "accel_fault_oldest_age_seconds", "Age of the oldest "
	  "pending fault, 0 with none." },
};

/*
 * Whether the gauge is known: a view a bundle lacks (d->missing) leaves
 * its figures unknown, and an unknown figure has no series, never a 0.
 */
static bool gauge_known(enum gauge_id id, const struct accel_dev *d)
{
	switch (id) {
	case G_SPA_USED:
		return !(d->missing & ACCEL_MISSING_SPA);
	case G_PENDING:
	case G_HELD:
	case G_AGE:
		return !(d->missing & ACCEL_MISSING_FAULTS);
	default:
		return true;
	}
}

static double gauge(enum gauge_id id, const struct accel_dev *d,
		    const struct accel_summary *s)
{
	switch (id) {
	case G_MAX_PE:
		return d->info.max_pe;
	case G_SPA_USED:
		return s->spa_used;
	case G_ZOMBIES:
		return s->zombies;
	case G_PASID_BITS:
		return d->info.pasid_bits;
	case G_ATC:
		return d->info.atc_entries;
	case G_BUDGET:
		return d->info.irq_budget;
	case G_IRQS_USED:
		return s->irqs_used;
	case G_PENDING:
		return s->faults_pending;
	case G_HELD:
		return s->faults_held;
	default:
		return (double)s->oldest_fault_age_ns / 1e9;
	}
}

static void hist(FILE *f, const struct stat_snap *s, const char *name,
		 const char *help, size_t off)
{
	char qname[128];
	size_t i;
	unsigned int b;

	family(f, name, "histogram", help);
	for (i = 0; i < s->n; i++) {
		const struct accel_hist *h = (const void *)
			((const char *)&s->dev[i].stats + off);
		uint64_t cum = 0;

		if (s->dev[i].missing & ACCEL_MISSING_STATS)
			continue;
		for (b = 0; b < PROM_BUCKETS; b++) {
			cum += h->bucket[b];
			fprintf(f, "%s_bucket{device=\"%s\",le=\"%.12g\"} "
				"%llu\n", name, s->dev[i].name,
				accel_hist_upper(b) / 1e9,
				(unsigned long long)cum);
		}
		fprintf(f, "%s_bucket{device=\"%s\",le=\"+Inf\"} %llu\n",
			name, s->dev[i].name, (unsigned long long)h->count);
		fprintf(f, "%s_count{device=\"%s\"} %llu\n", name,
			s->dev[i].name, (unsigned long long)h->count);
	}
	snprintf(qname, sizeof(qname), "%s_estimate", name);
	family(f, qname, "gauge", "Percentile estimated from the log2 "
	       "histogram (linear inside the bucket).");
	for (i = 0; i < s->n; i++) {
		const struct accel_hist *h = (const void *)
			((const char *)&s->dev[i].stats + off);
		double p[3];

		if (!accel_hist_p50_90_99(h, p))
			continue;
		fprintf(f, "%s{device=\"%s\",percentile=\"50\"} %.9g\n",
			qname, s->dev[i].name, p[0] / 1e9);
		fprintf(f, "%s{device=\"%s\",percentile=\"90\"} %.9g\n",
			qname, s->dev[i].name, p[1] / 1e9);
		fprintf(f, "%s{device=\"%s\",percentile=\"99\"} %.9g\n",
			qname, s->dev[i].name, p[2] / 1e9);
	}
}

static void pe_labels(FILE *f, const struct accel_dev *d,
		      const struct accel_pe *p)
{
	fprintf(f, "{device=\"%s\",pe=\"%u\",pasid=\"%u\",pid=\"%u\",comm=\"",
		d->name, p->pe, p->pasid, p->pid);
	label(f, p->comm);
	fputs("\"}", f);
}

static void per_context(FILE *f, const struct stat_snap *s)
{
	static const struct {
		const char *name, *help;
		size_t off;
	} m[] = {
		{ "accel_context_faults_total", "Faults raised on the PE.",
		  offsetof(struct accel_pe, faults) },
		{ "accel_context_tlbis_total", "TLBIs sent for the PE.",
		  offsetof(struct accel_pe, tlbis) },
		{ "accel_context_irqs_fired_total", "IRQs fired for the PE.",
		  offsetof(struct accel_pe, irqs) },
		{ "accel_context_work_done_total", "Descriptors completed.",
		  offsetof(struct accel_pe, work) },
	};
	size_t k, i, j;

	for (k = 0; k < ARRAY_SIZE(m); k++) {
		family(f, m[k].name, "counter", m[k].help);
		for (i = 0; i < s->n; i++)
			for (j = 0; j < s->dev[i].spa.n; j++) {
				const struct accel_pe *p = &s->dev[i].spa.pe[j];

				fputs(m[k].name, f);
				pe_labels(f, &s->dev[i], p);
				fprintf(f, " %llu\n", (unsigned long long)
					*(const uint64_t *)((const char *)p +
							    m[k].off));
			}
	}
	family(f, "accel_context_state", "gauge", "1 for the PE's state "
	       "(active, terminating, zombie).");
	for (i = 0; i < s->n; i++)
		for (j = 0; j < s->dev[i].spa.n; j++) {
			const struct accel_pe *p = &s->dev[i].spa.pe[j];

			fprintf(f, "accel_context_state{device=\"%s\","
				"pe=\"%u\",state=\"", s->dev[i].name, p->pe);
			label(f, p->state_str);
			fputs("\"} 1\n", f);
		}
}

static void per_pasid(FILE *f, const struct stat_snap *s)
{
	size_t i, j;

	family(f, "accel_pasid_refs", "gauge", "Contexts holding the PASID "
	       "on the device.");
	for (i = 0; i < s->n; i++)
		for (j = 0; j < s->dev[i].pasids.n; j++) {
			const struct accel_pasid *p = &s->dev[i].pasids.p[j];

			fprintf(f, "accel_pasid_refs{device=\"%s\","
				"pasid=\"%u\",pid=\"%u\",state=\"",
				s->dev[i].name,
				p->pasid, p->pid);
			label(f, p->state_str);
			fprintf(f, "\"} %u\n", p->refs);
		}
	family(f, "accel_pasid_outstanding", "gauge", "Faults and work items "
	       "carrying the PASID, not yet acked.");
	for (i = 0; i < s->n; i++)
		for (j = 0; j < s->dev[i].pasids.n; j++) {
			const struct accel_pasid *p = &s->dev[i].pasids.p[j];

			fprintf(f, "accel_pasid_outstanding{device=\"%s\","
				"pasid=\"%u\"} %llu\n", s->dev[i].name,
				p->pasid, (unsigned long long)p->outstanding);
		}
}

static void metrics(FILE *f, const struct stat_snap *s)
{
	char name[96], help[160];
	size_t i, k;

	family(f, "accel_up", "gauge", "1 when the accelsim debugfs views "
	       "were read and parsed.");
	fprintf(f, "accel_up %d\n", !s->nbad);
	family(f, "accel_devices", "gauge", "accelsim devices.");
	fprintf(f, "accel_devices %zu\n", s->n + s->nbad);
	family(f, "accel_device_up", "gauge", "1 when the device's views "
	       "were read and parsed, 0 when one was unreadable or malformed "
	       "(the device has no other series then).");
	for (i = 0; i < s->n; i++)
		fprintf(f, "accel_device_up{device=\"%s\"} 1\n",
			s->dev[i].name);
	for (i = 0; i < s->nbad; i++)
		fprintf(f, "accel_device_up{device=\"%s\"} 0\n",
			s->bad[i].name);
	family(f, "accel_device_info", "gauge", "Device driver version and "
	       "state, value 1.");
	for (i = 0; i < s->n; i++) {
		fprintf(f, "accel_device_info{device=\"%s\",version=\"",
			s->dev[i].name);
		label(f, s->dev[i].info.version);
		fputs("\",state=\"", f);
		label(f, s->dev[i].info.state_str);
		fputs("\"} 1\n", f);
	}
	for (k = 0; k < ARRAY_SIZE(gauges); k++) {
		family(f, gauges[k].name, "gauge", gauges[k].help);
		for (i = 0; i < s->n; i++)
			if (gauge_known(gauges[k].id, &s->dev[i]))
				fprintf(f, "%s{device=\"%s\"} %.9g\n",
					gauges[k].name, s->dev[i].name,
					gauge(gauges[k].id, &s->dev[i],
					      &s->sum[i]));
	}
	family(f, "accel_pasids", "gauge", "PASIDs on the device by state.");
	for (i = 0; i < s->n; i++) {
		if (s->dev[i].missing & ACCEL_MISSING_PASIDS)
			continue;
		fprintf(f, "accel_pasids{device=\"%s\",state=\"live\"} %u\n",
			s->dev[i].name, s->sum[i].pasids_live);
		fprintf(f, "accel_pasids{device=\"%s\",state=\"draining\"} "
			"%u\n", s->dev[i].name, s->sum[i].pasids_draining);
		fprintf(f, "accel_pasids{device=\"%s\",state=\"free-pending\"}"
			" %u\n", s->dev[i].name,
			s->sum[i].pasids_free_pending);
	}
	for (k = 0; k < ACCEL_C_NR; k++) {
		snprintf(name, sizeof(name), "accel_%s_total",
			 accel_counter_names[k]);
		snprintf(help, sizeof(help), "Counter %s of the stats view.",
			 accel_counter_names[k]);
		family(f, name, "counter", help);
		for (i = 0; i < s->n; i++)
			if (!(s->dev[i].missing & ACCEL_MISSING_STATS))
				fprintf(f, "%s{device=\"%s\"} %llu\n", name,
					s->dev[i].name, (unsigned long long)
					s->dev[i].stats.counter[k]);
	}
	hist(f, s, "accel_fault_latency_seconds", "Translation fault latency, "
	     "raise to ack (kernel log2 histogram; no _sum).",
	     offsetof(struct accel_stats, fault_lat));
	hist(f, s, "accel_tlbi_latency_seconds", "TLBI latency, start to done "
	     "(kernel log2 histogram; no _sum).",
	     offsetof(struct accel_stats, tlbi_lat));
	per_context(f, s);
	per_pasid(f, s);
}

/* Write buf to path atomically: temp file in the same dir, then rename. */
static int write_atomic(const char *path, const char *buf, size_t len)
{
	char tmp[4096], dir[4096], base[4096];
	size_t off = 0;
	int fd, err = 0;

	snprintf(dir, sizeof(dir), "%s", path);
	snprintf(base, sizeof(base), "%s", path);
	if (snprintf(tmp, sizeof(tmp), "%s/.%s.XXXXXX", dirname(dir),
		     basename(base)) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	fd = mkstemp(tmp);
	if (fd < 0)
		return -errno;
	while (off < len && !err) {
		ssize_t w = write(fd, buf + off, len - off);

		if (w < 0 && errno != EINTR)
			err = -errno;
		else if (w > 0)
			off += (size_t)w;
	}
	if (!err && fchmod(fd, 0644))
		err = -errno;
	if (!err && fsync(fd))
		err = -errno;
	if (close(fd) && !err)
		err = -errno;
	if (!err && rename(tmp, path))
		err = -errno;
	if (err)
		unlink(tmp);
	return err;
}

int stat_prometheus(const struct stat_opts *o)
{
	struct stat_snap snap;
	char msg[1024], *buf = NULL;
	size_t len = 0;
	bool missing;
	int ret, code = EXIT_OK;
	FILE *f;

	f = open_memstream(&buf, &len);
	if (!f) {
		stat_err("out of memory");
		return EXIT_ERROR;
	}
	if (o->idxd) {
		code = stat_idxd_prom(o, f);
		goto out;
	}
	if (o->iommu) {
		code = stat_iommu_prom(o, f);
		goto out;
	}
	ret = stat_load_all(o, &snap, msg, sizeof(msg), &missing);
	if (ret == LOAD_OK) {
		size_t i;

		metrics(f, &snap);
		/* The others are written; a broken device still fails. */
		for (i = 0; i < snap.nbad; i++) {
			stat_err("%s", snap.bad[i].msg);
			code = EXIT_ERROR;
		}
		stat_snap_free(&snap);
	} else {
		/* Still write the file: accel_up 0 lets alerts fire. */
		family(f, "accel_up", "gauge", "1 when the accelsim debugfs "
		       "views were read and parsed.");
		fprintf(f, "accel_up 0\n");
		stat_err("%s", msg);
		code = ret == LOAD_NODRIVER ? EXIT_NODRIVER : EXIT_ERROR;
	}
out:
	if (fclose(f)) {
		free(buf);
		stat_err("out of memory");
		return EXIT_ERROR;
	}
	if (o->output) {
		ret = write_atomic(o->output, buf, len);
		if (ret) {
			stat_err("%s: %s", o->output, strerror(-ret));
			code = EXIT_ERROR;
		}
	} else {
		fwrite(buf, 1, len, stdout);
		if (cli_stdout_flush("accelstat"))
			code = EXIT_OUTPUT;
	}
	free(buf);
	return code;
}
