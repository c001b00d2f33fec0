// SPDX-License-Identifier: MIT
/*
 * accelstat --idxd: the topology and state of Intel DSA/IAA devices (the
 * idxd driver) as text, JSON or Prometheus metrics. Also what accelstat
 * shows on a machine with idxd devices and no accelsim.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "accel_bundle.h"
#include "accel_idxd.h"
#include "accel_json.h"
#include "accel_platform.h"
#include "accelstat.h"

/* An attribute, or "-" when the kernel does not have it. */
static const char *av(const struct accel_idxd_obj *o, const char *name)
{
	const char *v = accel_idxd_get(o, name);

	return v ? v : "-";
}

static void print_dev(const struct accel_idxd_device *d)
{
	const struct accel_idxd_obj *o = &d->obj;
	size_t i;

	printf("%s: PCI %s, state %s, version %s, pasid_enabled %s, "
	       "clients %s\n", o->name, d->pci[0] ? d->pci : "-",
	       av(o, "state"), av(o, "version"), av(o, "pasid_enabled"),
	       av(o, "clients"));
	printf("  %-9s groups %s, wqs %s (%s entries), engines %s, batch %s, "
	       "transfer %s\n", "max", av(o, "max_groups"),
	       av(o, "max_work_queues"), av(o, "max_work_queues_size"),
	       av(o, "max_engines"), av(o, "max_batch_size"),
	       av(o, "max_transfer_size"));
	printf("  %-9s %-9s %-7s %-9s %-9s %-9s %-5s %-5s %s\n", "WQ", "MODE",
	       "TYPE", "STATE", "SIZE", "OCCUPANCY", "CLNTS", "GROUP",
	       "NAME");
	for (i = 0; i < d->n[ACCEL_IDXD_WQ]; i++) {
		o = &d->sub[ACCEL_IDXD_WQ][i];
		printf("  %-9s %-9s %-7s %-9s %-9s %-9s %-5s %-5s %s\n",
		       o->name, av(o, "mode"), av(o, "type"), av(o, "state"),
		       av(o, "size"), av(o, "occupancy"), av(o, "clients"),
		       av(o, "group_id"), av(o, "name"));
	}
	printf("  %-9s %-24s %s\n", "GROUP", "ENGINES", "WQS");
	for (i = 0; i < d->n[ACCEL_IDXD_GROUP]; i++) {
		const char *e, *w;

		o = &d->sub[ACCEL_IDXD_GROUP][i];
		e = accel_idxd_get(o, "engines");
		w = accel_idxd_get(o, "work_queues");
		printf("  %-9s %-24s %s\n", o->name,
		       e ? (*e ? e : "(none)") : "-",
		       w ? (*w ? w : "(none)") : "-");
	}
	printf("  %-9s %s\n", "ENGINE", "GROUP");
	for (i = 0; i < d->n[ACCEL_IDXD_ENGINE]; i++) {
		o = &d->sub[ACCEL_IDXD_ENGINE][i];
		printf("  %-9s %s\n", o->name, av(o, "group_id"));
	}
}

/* The --idxd document kept its version 1 keys (see accelstat(8)). */
#define IDXD_JSON_SCHEMA_VERSION 1

static int idxd_json(const struct stat_opts *o, const struct accel_idxd *x,
		     const char *accelsim)
{
	json_object *top = json_object_new_object();
	int ret;

	accel_json_u64(top, "schema_version", IDXD_JSON_SCHEMA_VERSION);
	accel_json_str(top, "tool", "accelstat");
	accel_json_str(top, "version", ACCEL_VERSION);
	if (o->bundle)
		accel_json_str(top, "bundle", o->bundle_path);
	else
		accel_json_str(top, "sysroot",
			       accel_platform_root(o->sysroot));
	accel_json_u64(top, "time_unix_s", (uint64_t)time(NULL));
	if (accelsim)
		accel_json_str(top, "accelsim_error", accelsim);
	json_object_object_add(top, "idxd", accel_idxd_json(x));
	ret = accel_json_print(stdout, top, true);
	json_object_put(top);
	if (ret) {
		stat_err("write error on standard output");
		return EXIT_ERROR;
	}
	return EXIT_OK;
}

/* Load the idxd devices; EXIT_OK, or an exit code with the error shown. */
static int load(const struct stat_opts *o, struct accel_idxd *x)
{
	const char *root = accel_platform_root(o->sysroot);
	struct accel_err err;

	if (o->bundle) {
		if (accel_idxd_bundle_load(o->bundle, x, &err)) {
			stat_err("%s: %s", o->bundle_path, err.msg);
			return EXIT_ERROR;
		}
		if (!x->has_bus) {
			stat_err("%s: no idxd bus when the bundle was taken "
				 "(idxd driver not loaded)", o->bundle_path);
			return EXIT_NODRIVER;
		}
		return EXIT_OK;
	}
	if (accel_idxd_load(x, root)) {
		stat_err("out of memory");
		return EXIT_ERROR;
	}
	if (!x->has_bus) {
		stat_err("%s%s: no such directory (idxd driver not loaded)",
			 root, ACCEL_PLATFORM_IDXD);
		return EXIT_NODRIVER;
	}
	return EXIT_OK;
}

int stat_idxd_show(const struct stat_opts *o, const char *accelsim)
{
	struct accel_idxd x;
	size_t i;
	int ret;

	ret = load(o, &x);
	if (ret)
		return ret;
	if (o->json) {
		ret = idxd_json(o, &x, accelsim);
	} else {
		if (!x.ndev)
			printf("no idxd devices\n");
		for (i = 0; i < x.ndev; i++)
			print_dev(&x.dev[i]);
		if (fflush(stdout)) {
			stat_err("write error on standard output");
			ret = EXIT_ERROR;
		}
	}
	accel_idxd_free(&x);
	return ret;
}

int stat_idxd(const struct stat_opts *o)
{
	return stat_idxd_show(o, NULL);
}

bool stat_idxd_present(const struct stat_opts *o)
{
	struct accel_idxd x;
	bool any;

	if (accel_idxd_load(&x, accel_platform_root(o->sysroot)))
		return false;
	any = x.ndev > 0;
	accel_idxd_free(&x);
	return any;
}

static void family(FILE *f, const char *name, const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
}

/* A decimal attribute as a sample value; false when absent or not one. */
static bool num(const struct accel_idxd_obj *o, const char *name,
		long long *v)
{
	const char *s = accel_idxd_get(o, name);
	char *end;

	if (!s || !*s)
		return false;
	*v = strtoll(s, &end, 10);
	return !*end;
}

static const struct {
	const char *attr, *metric, *help;
} wq_gauges[] = {
	{ "size", "accel_idxd_wq_size", "Work queue size (descriptor "
	  "entries)." },
	{ "occupancy", "accel_idxd_wq_occupancy", "Descriptors in the work "
	  "queue (absent on kernels without the attribute)." },
	{ "clients", "accel_idxd_wq_clients", "Open handles on the work "
	  "queue's character device." },
	{ "priority", "accel_idxd_wq_priority", "Work queue priority within "
	  "its group." },
	{ "threshold", "accel_idxd_wq_threshold", "Shared work queue "
	  "threshold (entries for limited portals)." },
	{ "max_transfer_size", "accel_idxd_wq_max_transfer_size_bytes",
	  "Largest transfer a descriptor may ask for." },
	{ "max_batch_size", "accel_idxd_wq_max_batch_size", "Largest batch "
	  "a descriptor may hold." },
};

static void wq_labels(FILE *f, const struct accel_idxd_device *d,
		      const struct accel_idxd_obj *w)
{
	fprintf(f, "{device=\"%s\",wq=\"%s\",mode=\"", d->obj.name, w->name);
	stat_prom_label(f, av(w, "mode"));
	fputs("\",state=\"", f);
	stat_prom_label(f, av(w, ACCEL_IDXD_STATE));
	fputs("\"}", f);
}

int stat_idxd_prom(const struct stat_opts *o, FILE *f)
{
	const struct accel_idxd_device *d;
	const struct accel_idxd_obj *w;
	struct accel_idxd x;
	size_t i, j, k;
	long long v;
	int ret;

	ret = load(o, &x);
	family(f, "accel_idxd_up", "1 when the idxd bus was read (its "
	       "directory exists).");
	fprintf(f, "accel_idxd_up %d\n", !ret);
	if (ret)
		return ret;
	family(f, "accel_idxd_devices", "idxd (DSA/IAA) devices.");
	fprintf(f, "accel_idxd_devices %zu\n", x.ndev);
	family(f, "accel_idxd_device_info", "idxd device PCI function, state "
	       "and version, value 1.");
	for (i = 0; i < x.ndev; i++) {
		d = &x.dev[i];
		fprintf(f, "accel_idxd_device_info{device=\"%s\",pci=\"",
			d->obj.name);
		stat_prom_label(f, d->pci);
		fputs("\",state=\"", f);
		stat_prom_label(f, av(&d->obj, ACCEL_IDXD_STATE));
		fputs("\",version=\"", f);
		stat_prom_label(f, av(&d->obj, ACCEL_IDXD_VERSION));
		fputs("\"} 1\n", f);
	}
	family(f, "accel_idxd_device_pasid_enabled", "1 when the device "
	       "uses PASIDs (shared work queues and SVA possible).");
	for (i = 0; i < x.ndev; i++)
		if (num(&x.dev[i].obj, "pasid_enabled", &v))
			fprintf(f, "accel_idxd_device_pasid_enabled{device="
				"\"%s\"} %lld\n", x.dev[i].obj.name, v);
	family(f, "accel_idxd_device_clients", "Open handles on the device's "
	       "work queues.");
	for (i = 0; i < x.ndev; i++)
		if (num(&x.dev[i].obj, "clients", &v))
			fprintf(f, "accel_idxd_device_clients{device=\"%s\"} "
				"%lld\n", x.dev[i].obj.name, v);
	family(f, "accel_idxd_wq_info", "Work queue type, group and name, "
	       "value 1.");
	for (i = 0; i < x.ndev; i++) {
		d = &x.dev[i];
		for (j = 0; j < d->n[ACCEL_IDXD_WQ]; j++) {
			w = &d->sub[ACCEL_IDXD_WQ][j];
			fprintf(f, "accel_idxd_wq_info{device=\"%s\",wq=\"%s\","
				"type=\"", d->obj.name, w->name);
			stat_prom_label(f, av(w, "type"));
			fputs("\",group=\"", f);
			stat_prom_label(f, av(w, "group_id"));
			fputs("\",name=\"", f);
			stat_prom_label(f, av(w, "name"));
			fputs("\"} 1\n", f);
		}
	}
	for (k = 0; k < ARRAY_SIZE(wq_gauges); k++) {
		family(f, wq_gauges[k].metric, wq_gauges[k].help);
		for (i = 0; i < x.ndev; i++) {
			d = &x.dev[i];
			for (j = 0; j < d->n[ACCEL_IDXD_WQ]; j++) {
				w = &d->sub[ACCEL_IDXD_WQ][j];
				if (!num(w, wq_gauges[k].attr, &v))
					continue;
				fputs(wq_gauges[k].metric, f);
				wq_labels(f, d, w);
				fprintf(f, " %lld\n", v);
			}
		}
	}
	family(f, "accel_idxd_engine_group", "The group an engine belongs "
	       "to, -1 for none.");
	for (i = 0; i < x.ndev; i++) {
		d = &x.dev[i];
		for (j = 0; j < d->n[ACCEL_IDXD_ENGINE]; j++) {
			w = &d->sub[ACCEL_IDXD_ENGINE][j];
			if (num(w, "group_id", &v))
				fprintf(f, "accel_idxd_engine_group{device="
					"\"%s\",engine=\"%s\"} %lld\n",
					d->obj.name, w->name, v);
		}
	}
	accel_idxd_free(&x);
	return EXIT_OK;
}
