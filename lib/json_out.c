// SPDX-License-Identifier: MIT
/*
 * libaccel: JSON rendering of a device through json-c.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accel_format.h"
#include "accel_json.h"

/*
 * Every key here is a literal or an entry of a static table, and each is
 * added once per object: json-c then neither copies nor looks it up,
 * which is most of the cost of building a 4096-row snapshot.
 */
static void add(json_object *o, const char *key, json_object *v)
{
	json_object_object_add_ex(o, key, v, JSON_C_OBJECT_ADD_KEY_IS_NEW |
				  JSON_C_OBJECT_KEY_IS_CONSTANT);
}

/* A new object, added to o under key, for its members to be added to. */
static json_object *section(json_object *o, const char *key)
{
	json_object *x = json_object_new_object();

	add(o, key, x);
	return x;
}

void accel_json_u64(json_object *o, const char *key, uint64_t v)
{
	add(o, key, json_object_new_uint64(v));
}

static json_object *double_obj(double v)
{
	char buf[64], *e;

	/* Three decimals at most, trailing zeros dropped: short, stable. */
	v = round(v * 1000) / 1000;
	snprintf(buf, sizeof(buf), "%.3f", v);
	e = buf + strlen(buf);
	while (e[-1] == '0')
		*--e = '\0';
	if (e[-1] == '.')
		e[-1] = '\0';
	return json_object_new_double_s(v, buf);
}

void accel_json_double(json_object *o, const char *key, double v)
{
	add(o, key, double_obj(v));
}

json_object *accel_json_new_string(const char *v)
{
	json_object *o;
	char *safe;

	if (accel_utf8_valid(v))
		return json_object_new_string(v);
	safe = accel_utf8_dup(v);
	o = safe ? json_object_new_string(safe) : NULL;
	free(safe);
	return o;
}

void accel_json_str(json_object *o, const char *key, const char *v)
{
	add(o, key, accel_json_new_string(v));
}

json_object *accel_json_hist(const struct accel_hist *h)
{
	json_object *arr = json_object_new_array();
	unsigned int b;

	for (b = 0; b < ACCEL_HIST_BUCKETS; b++) {
		json_object *o;

		if (!h->bucket[b])
			continue;
		o = json_object_new_object();
		accel_json_u64(o, "bucket", b);
		accel_json_u64(o, "lo_ns", b ? 1ull << b : 0);
		add(o, "hi_ns", json_object_new_double(accel_hist_upper(b)));
		accel_json_u64(o, "count", h->bucket[b]);
		json_object_array_add(arr, o);
	}
	return arr;
}

/* samples and p50/p90/p99 of one histogram: <what>_samples, pNN_<what>_ns */
static void latency(json_object *o, const char *what, bool has,
		    uint64_t samples, double p50, double p90, double p99)
{
	const double v[3] = { p50, p90, p99 };
	static const int pct[3] = { 50, 90, 99 };
	char key[64];
	int i;

	/* Keys built here are copied: json_object_object_add(). */
	snprintf(key, sizeof(key), "%s_samples", what);
	json_object_object_add(o, key, json_object_new_uint64(samples));
	for (i = 0; i < 3; i++) {
		snprintf(key, sizeof(key), "p%d_%s_ns", pct[i], what);
		json_object_object_add(o, key, has ? double_obj(v[i]) : NULL);
	}
}

void accel_json_summary(json_object *o, const struct accel_dev *d,
			const struct accel_summary *s)
{
	json_object *x;

	x = section(o, "spa");
	accel_json_u64(x, "used", s->spa_used);
	accel_json_u64(x, "max", d->info.max_pe);
	accel_json_double(x, "used_pct", s->spa_used_pct);
	accel_json_u64(x, "zombies", s->zombies);
	accel_json_u64(x, "kernel_contexts", s->kernel_contexts);

	x = section(o, "pasid_states");
	accel_json_u64(x, "live", s->pasids_live);
	accel_json_u64(x, "draining", s->pasids_draining);
	accel_json_u64(x, "free_pending", s->pasids_free_pending);

	x = section(o, "fault_summary");
	accel_json_u64(x, "pending_faults", s->faults_pending);
	accel_json_u64(x, "held", s->faults_held);
	accel_json_u64(x, "oldest_age_ns", s->oldest_fault_age_ns);
	accel_json_u64(x, "acked", s->faults_acked);
	accel_json_double(x, "error_pct", s->fault_error_pct);

	x = section(o, "irq_budget");
	accel_json_u64(x, "used", s->irqs_used);
	accel_json_u64(x, "budget", d->info.irq_budget);
	accel_json_double(x, "used_pct", s->irq_used_pct);

	if (d->has_atc) {
		x = section(o, "atc_summary");
		accel_json_u64(x, "used", s->atc_used);
		accel_json_u64(x, "entries", d->info.atc_entries);
		accel_json_double(x, "used_pct", s->atc_used_pct);
		json_object_object_add(x, "hit_pct", s->has_atc_hits ?
				       double_obj(s->atc_hit_pct) : NULL);
	}

	x = section(o, "latency");
	latency(x, "fault_lat", s->has_fault_lat, d->stats.fault_lat.count,
		s->fault_p50_ns, s->fault_p90_ns, s->fault_p99_ns);
	latency(x, "tlbi_lat", s->has_tlbi_lat, d->stats.tlbi_lat.count,
		s->tlbi_p50_ns, s->tlbi_p90_ns, s->tlbi_p99_ns);
}

json_object *accel_json_dev(const struct accel_dev *d,
			    const struct accel_summary *s)
{
	json_object *o = json_object_new_object(), *x;
	unsigned int i;

	accel_json_str(o, "device", d->name);
	accel_json_u64(o, "device_id", d->id);
	accel_json_str(o, "driver_version", d->info.version);
	accel_json_str(o, "state", d->info.state_str);

	x = section(o, "geometry");
	accel_json_u64(x, "max_pe", d->info.max_pe);
	accel_json_u64(x, "pasid_bits", d->info.pasid_bits);
	accel_json_u64(x, "irq_budget", d->info.irq_budget);
	accel_json_u64(x, "atc_entries", d->info.atc_entries);

	accel_json_summary(o, d, s);

	x = section(o, "counters");
	for (i = 0; i < ACCEL_C_NR; i++)
		accel_json_u64(x, accel_counter_names[i],
			       d->stats.counter[i]);

	x = section(o, "histograms");
	add(x, "fault_lat_ns", accel_json_hist(&d->stats.fault_lat));
	add(x, "tlbi_lat_ns", accel_json_hist(&d->stats.tlbi_lat));

	accel_json_rows(o, d);
	return o;
}

int accel_json_print(FILE *f, json_object *obj, bool pretty)
{
	int flags = JSON_C_TO_STRING_NOSLASHESCAPE;

	flags |= pretty ? JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED :
			  JSON_C_TO_STRING_PLAIN;
	if (fprintf(f, "%s\n", json_object_to_json_string_ext(obj, flags)) < 0)
		return -EIO;
	return 0;
}
