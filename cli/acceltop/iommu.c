// SPDX-License-Identifier: MIT
/*
 * acceltop --iommu: the Intel IOMMU panel, a row per IOMMU unit and
 * descriptor type with the invalidation descriptors queued in the
 * refresh, since the start, and the refresh's qi_submit_sync() p50 and
 * p99 (libaccel's accel_iommu.h, from BPF). Its own source beside the
 * accelsim one: when it cannot load, acceltop says why and goes on
 * without the panel.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "accel_format.h"
#include "accel_iommu.h"
#include "accel_json.h"
#include "acceltop.h"

static struct {
	bool asked;
	struct accel_iommu_src *src;
	struct accel_iommu_snap *base, *prev, *cur;
	struct accel_iommu_snap *delta, *total;	/* refresh, since start */
	double t_prev;
	char why[512];
} io;

bool at_iommu_on(void)
{
	return io.src != NULL;
}

const char *at_iommu_why(void)
{
	return io.asked && !io.src ? io.why : NULL;
}

void at_iommu_open(const char *tracefs)
{
	int ret;

	io.asked = true;
	io.base = calloc(5, sizeof(*io.base));
	if (!io.base) {
		snprintf(io.why, sizeof(io.why), "out of memory");
		goto fail;
	}
	io.prev = io.base + 1;
	io.cur = io.base + 2;
	io.delta = io.base + 3;
	io.total = io.base + 4;
	ret = accel_iommu_open(&io.src, tracefs, io.why, sizeof(io.why));
	if (!ret)
		ret = accel_iommu_read(io.src, io.base);
	if (ret) {
		if (io.src)
			snprintf(io.why, sizeof(io.why), "cannot read the "
				 "BPF maps: %s", strerror(-ret));
		accel_iommu_close(io.src);
		io.src = NULL;
		goto fail;
	}
	*io.prev = *io.base;
	io.t_prev = cli_now_s();
	if (*accel_iommu_missing(io.src))
		fprintf(stderr, "acceltop: IOMMU panel: %s\n",
			accel_iommu_missing(io.src));
	return;
fail:
	fprintf(stderr, "acceltop: IOMMU panel off: %s\n", io.why);
}

void at_iommu_sample(double t)
{
	if (!io.src || accel_iommu_read(io.src, io.cur))
		return;
	accel_iommu_delta(io.cur, io.prev, io.delta);
	io.delta->secs = t - io.t_prev;
	accel_iommu_delta(io.cur, io.base, io.total);
	*io.prev = *io.cur;
	io.t_prev = t;
}

void at_iommu_close(void)
{
	accel_iommu_close(io.src);
	io.src = NULL;
	free(io.base);
	io.base = NULL;
}

/* The row of (unit, type) in the totals: the refresh's figures beside. */
static const struct accel_iommu_unit *delta_unit(const char *name)
{
	size_t i;

	for (i = 0; i < io.delta->n; i++)
		if (!strcmp(io.delta->unit[i].name, name))
			return &io.delta->unit[i];
	return NULL;
}

size_t at_iommu_rows(struct at_iommu_row *rows, size_t max)
{
	size_t i, n = 0;
	unsigned int t;

	if (!io.src)
		return 0;
	for (i = 0; i < io.total->n; i++) {
		const struct accel_iommu_unit *u = &io.total->unit[i];
		const struct accel_iommu_unit *d = delta_unit(u->name);

		for (t = 0; t < ACCEL_IOMMU_TYPES && n < max; t++) {
			struct at_iommu_row *r = &rows[n];
			double p[3];

			if (!u->descs[t] && !u->submits[t])
				continue;
			memset(r, 0, sizeof(*r));
			snprintf(r->unit, sizeof(r->unit), "%s", u->name);
			r->type = t;
			r->total = u->descs[t];
			r->descs = d ? d->descs[t] : 0;
			r->rate = io.delta->secs > 0 ?
				  (double)r->descs / io.delta->secs : 0;
			r->has_lat = d && accel_hist_p50_90_99(&d->lat[t], p);
			if (r->has_lat) {
				r->p50_ns = p[0];
				r->p99_ns = p[2];
			}
			n++;
		}
	}
	return n;
}

const char *at_iommu_type(unsigned int t, char *buf, size_t len)
{
	const char *name = accel_iommu_type_name(t);

	if (name)
		return name;
	snprintf(buf, len, "type_%u", t);
	return buf;
}

void at_iommu_text(FILE *f)
{
	struct at_iommu_row rows[64];
	char a[ACCEL_FMT_LEN], b[ACCEL_FMT_LEN], tb[16];
	size_t i, n;

	if (at_iommu_why()) {
		fprintf(f, "iommu: off: %s\n", at_iommu_why());
		return;
	}
	if (!io.src)
		return;
	n = at_iommu_rows(rows, 64);
	fprintf(f, "IOMMU %-8s %-16s %10s %10s %10s %10s %10s\n", "UNIT",
		"TYPE", "DESCS", "DESCS/S", "TOTAL", "P50", "P99");
	for (i = 0; i < n; i++) {
		const struct at_iommu_row *r = &rows[i];

		fprintf(f, "IOMMU %-8s %-16s %10llu %10.1f %10llu %10s %10s\n",
			r->unit, at_iommu_type(r->type, tb, sizeof(tb)),
			(unsigned long long)r->descs, r->rate,
			(unsigned long long)r->total,
			r->has_lat ? accel_fmt_ns(r->p50_ns, a, sizeof(a)) : "-",
			r->has_lat ? accel_fmt_ns(r->p99_ns, b, sizeof(b)) : "-");
	}
}

void at_iommu_json(struct json_object *root)
{
	json_object *o, *units;
	size_t i;
	unsigned int t;

	if (at_iommu_why()) {
		o = json_object_new_object();
		accel_json_str(o, "error", at_iommu_why());
		json_object_object_add(root, "iommu", o);
		return;
	}
	if (!io.src)
		return;
	o = json_object_new_object();
	accel_json_str(o, "source",
		       accel_iommu_kind_name(accel_iommu_kind(io.src)));
	json_object_object_add(o, "latency_measured",
			       json_object_new_boolean(io.cur->has_lat));
	units = json_object_new_array();
	for (i = 0; i < io.total->n; i++) {
		const struct accel_iommu_unit *u = &io.total->unit[i];
		const struct accel_iommu_unit *d = delta_unit(u->name);
		json_object *uo = json_object_new_object();
		json_object *inv = json_object_new_array();

		accel_json_str(uo, "device", u->name);
		for (t = 0; t < ACCEL_IOMMU_TYPES; t++) {
			json_object *io_ = json_object_new_object();
			char tb[16];
			double p[3];

			if (!u->descs[t] && !u->submits[t]) {
				json_object_put(io_);
				continue;
			}
			accel_json_str(io_, "type",
				       at_iommu_type(t, tb, sizeof(tb)));
			accel_json_u64(io_, "code", t);
			accel_json_u64(io_, "descriptors", d ? d->descs[t] : 0);
			accel_json_double(io_, "descriptors_per_s",
					  io.delta->secs > 0 && d ?
					  (double)d->descs[t] / io.delta->secs :
					  0);
			accel_json_u64(io_, "descriptors_total", u->descs[t]);
			accel_json_u64(io_, "submissions_total",
				       u->submits[t]);
			if (d && accel_hist_p50_90_99(&d->lat[t], p)) {
				accel_json_u64(io_, "p50_lat_ns",
					       (uint64_t)p[0]);
				accel_json_u64(io_, "p99_lat_ns",
					       (uint64_t)p[2]);
			} else {
				json_object_object_add(io_, "p50_lat_ns", NULL);
				json_object_object_add(io_, "p99_lat_ns", NULL);
			}
			json_object_object_add(io_, "latency_total",
					       accel_json_hist(&u->lat[t]));
			json_object_array_add(inv, io_);
		}
		json_object_object_add(uo, "invalidations", inv);
		json_object_array_add(units, uo);
	}
	json_object_object_add(o, "units", units);
	json_object_object_add(root, "iommu", o);
}
