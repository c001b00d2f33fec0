// SPDX-License-Identifier: MIT
/*
 * accelctl inspect FILE (and dump --inspect FILE): read a support bundle
 * offline and summarise it: where it came from, which sections failed, a
 * health verdict with the default accelstat --check thresholds, the
 * contexts with the most faults, the pending faults, and the trace events
 * (count by event, how far back they reach, the last lines).
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accel_bundle.h"
#include "accel_format.h"
#include "accel_health.h"
#include "accel_idxd.h"
#include "accel_json.h"
#include "accelctl.h"
#include "inspect.h"

#define TOP_N 5
#define FAULTS_N 10

enum { OPT_HTML = 0x100 };

static const struct argp_option inspect_options[] = {
	{ "extract", 'x', NULL, 0, "extract the debugfs views (below)", 0 },
	{ "html", OPT_HTML, "OUT", 0, "write the summary as one self-contained "
	  "HTML page to OUT (below)", 0 },
	{ 0 }
};

static const char inspect_doc[] =
"Summarise a bundle written by 'accelctl dump', without the driver: origin, "
"failed sections, health verdict (the default health-check thresholds of "
"accelstat), top offenders (contexts with the most faults) and pending "
"faults, and the trace events (count by event, how far back the driver's "
"flight recorder reaches, the last lines), and the idxd (DSA/IAA) devices "
"and work queues. A truncated, corrupt or "
"unknown-version bundle is one error line and exit 1.\v"
"--extract writes the bundle's debugfs views to a new temporary directory "
"laid out like the driver's debugfs root and prints its path, for any "
"tool's root option (accelstat -r DIR -c).\n"
"--html OUT writes the summary, the devices and their latency histograms "
"(drawn as SVG) to OUT as one HTML page that needs no network and no other "
"file (mode 0600, like the bundle), and prints its path.";

struct verdict {
	enum accel_hstatus level;	/* the worst of the reasons */
	json_object *reasons;
	json_object *notes;	/* views missing from the bundle */
};

static void reason(struct verdict *v, enum accel_hstatus level,
		   const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void reason(struct verdict *v, enum accel_hstatus level,
		   const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (level > v->level)
		v->level = level;
	json_object_array_add(v->reasons, accel_json_new_string(msg));
}

static void judge(struct verdict *v, const struct accel_dev *d,
		  const struct accel_summary *s)
{
	char vb[ACCEL_FMT_LEN], tb[ACCEL_FMT_LEN];
	struct accel_health h;
	struct accel_hverdict hv;
	int k;

	accel_health_defaults(&h);
	accel_health_judge(&h, d, s, &hv);
	if (hv.offline)
		reason(v, ACCEL_HEALTH_WARNING, "%s: state %s", d->name,
		       d->info.state_str);
	for (k = 0; k < ACCEL_H_NR; k++)
		if (hv.level[k] != ACCEL_HEALTH_OK)
			reason(v, hv.level[k], "%s: %s %s > %s", d->name,
			       accel_health_defs[k].what,
			       accel_health_fmt(k, hv.value[k], vb, sizeof(vb)),
			       accel_health_fmt(k, hv.limit[k], tb,
						sizeof(tb)));
}

static int cmp_off(const void *a, const void *b)
{
	const struct offender *x = a, *y = b;
	uint64_t sx = x->pe->faults + x->pending, sy = y->pe->faults +
		      y->pending;

	return (sy > sx) - (sy < sx);
}

/* A number of the manifest's trace_reach, or -1 when absent or null. */
static double reach_num(json_object *reach, const char *key)
{
	json_object *v;

	if (!reach || !json_object_object_get_ex(reach, key, &v) || !v)
		return -1;
	return json_object_get_double(v);
}

/*
 * The trace events the bundle holds: count by event, how far back they
 * reach (the manifest's trace_reach), the last lines. JSON: into j.
 */
static void show_trace(const struct accel_bundle *b, json_object *j)
{
	struct accel_bundle_trace t;
	double reach, over;
	json_object *o, *c;
	size_t i;
	int ret;

	ret = accel_bundle_trace(b, &t);
	if (j) {
		o = json_object_new_object();
		accel_json_u64(o, "events", ret ? 0 : t.total);
		c = json_object_new_object();
		/* Names copied: accel_json_u64 takes constant keys. */
		for (i = 0; !ret && i < t.nnames; i++)
			json_object_object_add(c, t.ev[i].name,
					       json_object_new_uint64(
						       t.ev[i].count));
		json_object_object_add(o, "by_event", c);
		json_object_object_add(o, "reach", t.reach ?
				       json_object_get(t.reach) : NULL);
		json_object_object_add(j, "trace", o);
		return;
	}
	printf("\ntrace events:\n");
	if (ret) {
		printf("  none: no %s in the bundle\n", ACCEL_BUNDLE_TRACE);
		return;
	}
	printf("  %llu events", (unsigned long long)t.total);
	if (t.reach) {
		json_object *src;

		reach = reach_num(t.reach, "reach_s");
		over = reach_num(t.reach, "overwritten");
		json_object_object_get_ex(t.reach, "source", &src);
		printf(" from %s", src ? json_object_get_string(src) : "?");
		if (reach >= 0)
			printf(", whose oldest is %.1f s old", reach);
		if (over > 0)
			printf(", %.0f older ones overwritten", over);
		else if (over == 0)
			printf(", none overwritten");
	}
	printf("\n");
	for (i = 0; i < t.nnames; i++)
		printf("%s%s %llu", i ? ", " : "  ", t.ev[i].name,
		       (unsigned long long)t.ev[i].count);
	if (t.nnames)
		printf("\n");
	for (i = 0; i < t.ntail; i++)
		printf("  %.*s\n", (int)t.tail_len[i], t.tail[i]);
}

/* An idxd attribute, or "?" when the bundle does not have it. */
static const char *idxd_attr(const struct accel_idxd_obj *o, const char *name)
{
	const char *v = accel_idxd_get(o, name);

	return v && *v ? v : "?";
}

/*
 * The bundle's idxd (DSA/IAA) devices: JSON as accelstat --idxd prints it
 * (null in a bundle that has none: an older accelctl); text, one line per
 * device and per work queue, flagging a shared queue on a device without
 * PASID (it cannot work: it needs SVA).
 */
static void show_idxd(const struct accel_bundle *b, json_object *j)
{
	const struct accel_idxd_obj *w;
	struct accel_idxd x;
	struct accel_err err;
	json_object *o;
	size_t i, k;
	int ret;

	ret = accel_idxd_bundle_load(b, &x, &err);
	if (j) {
		o = ret ? NULL : accel_idxd_json(&x);
		if (o)
			json_object_object_add(o, "bus",
					       json_object_new_boolean(x.has_bus));
		json_object_object_add(j, "idxd", o);
		accel_idxd_free(&x);
		return;
	}
	printf("\nidxd (DSA/IAA):\n");
	if (ret) {
		printf("  unknown: %s\n", err.msg);
		return;
	}
	if (!x.ndev)
		printf("  none%s\n", x.has_bus ? "" :
		       ": no idxd bus on that machine");
	for (i = 0; i < x.ndev; i++) {
		const struct accel_idxd_device *d = &x.dev[i];
		const char *pasid = idxd_attr(&d->obj, "pasid_enabled");

		printf("  %s PCI %s, %s, pasid_enabled %s, %zu work queues, "
		       "%zu engines\n", d->obj.name, d->pci[0] ? d->pci : "?",
		       idxd_attr(&d->obj, ACCEL_IDXD_STATE), pasid,
		       d->n[ACCEL_IDXD_WQ], d->n[ACCEL_IDXD_ENGINE]);
		for (k = 0; k < d->n[ACCEL_IDXD_WQ]; k++) {
			bool shared;

			w = &d->sub[ACCEL_IDXD_WQ][k];
			shared = !strcmp(idxd_attr(w, "mode"), "shared");
			printf("    %s %s %s, clients %s, name %s%s\n", w->name,
			       idxd_attr(w, "mode"),
			       idxd_attr(w, ACCEL_IDXD_STATE),
			       idxd_attr(w, "clients"), idxd_attr(w, "name"),
			       shared && strcmp(pasid, "1") ?
			       " (shared, but the device has no PASID: it "
			       "needs SVA)" : "");
		}
	}
	accel_idxd_free(&x);
}

/* What inspect_file() allocated, and the bundle. */
static void free_all(struct accel_dev *devs, size_t n,
		     struct accel_summary *sums, struct offender *offs,
		     struct accel_bundle *b)
{
	size_t i;

	for (i = 0; i < n; i++)
		accel_dev_free(&devs[i]);
	free(devs);
	free(sums);
	free(offs);
	accel_bundle_free(b);
}

static int inspect_file(const char *path, const char *html)
{
	struct accel_dev *devs = NULL;
	struct accel_summary *sums = NULL;
	struct offender *offs = NULL;
	struct verdict v = { 0, json_object_new_array(),
			     json_object_new_array() };
	unsigned int ids[ACCEL_MAX_DEVS];
	json_object *j = NULL, *arr;
	const char *name, *error;
	struct accel_bundle b;
	struct accel_err err;
	size_t i, k, noff = 0, nf = 0;
	int nd, n = 0, ret, failed = 0;
	char b1[ACCEL_FMT_LEN], b2[ACCEL_FMT_LEN], missing[512];
	bool ok;

	ret = accel_bundle_open(path, &b, &err);
	if (ret) {
		json_object_put(v.reasons);
		json_object_put(v.notes);
		return ctl_fail(EXIT_ERROR, "%s", err.msg);
	}
	for (i = 0; accel_bundle_section(&b, i, &name, &ok, &error); i++)
		if (!ok)
			failed++;
	nd = accel_bundle_devices(&b, ids, ACCEL_MAX_DEVS);
	/* Every device the bundle holds: no limit of their own here. */
	devs = calloc((size_t)(nd > 0 ? nd : 0) + 1, sizeof(*devs));
	sums = calloc((size_t)(nd > 0 ? nd : 0) + 1, sizeof(*sums));
	if (!devs || !sums) {
		free(devs);
		free(sums);
		json_object_put(v.reasons);
		json_object_put(v.notes);
		accel_bundle_free(&b);
		return ctl_fail(EXIT_ERROR, "out of memory");
	}
	for (i = 0; i < (size_t)nd; i++) {
		if (accel_bundle_load_dev_partial(&b, ids[i], &devs[n],
						  missing, sizeof(missing),
						  &err)) {
			reason(&v, ACCEL_HEALTH_UNKNOWN, "%s", err.msg);
			continue;
		}
		/* Judge on what is there; say what was not. */
		if (missing[0])
			json_object_array_add(v.notes,
					      accel_json_new_string(missing));
		accel_dev_summarize(&devs[n], &sums[n]);
		judge(&v, &devs[n], &sums[n]);
		n++;
	}
	if (!nd)
		reason(&v, ACCEL_HEALTH_UNKNOWN, "no device views in the bundle");
	for (i = 0; i < (size_t)n; i++)
		noff += devs[i].spa.n;
	offs = calloc(noff + 1, sizeof(*offs));
	if (!offs)
		noff = 0;	/* no ranking of offenders, the rest stands */
	for (i = 0, noff = 0; offs && i < (size_t)n; i++) {
		for (k = 0; k < devs[i].spa.n; k++) {
			struct offender *o = &offs[noff++];
			size_t f;

			o->d = &devs[i];
			o->pe = &devs[i].spa.pe[k];
			o->pending = 0;
			for (f = 0; f < devs[i].faults.n; f++)
				if (devs[i].faults.f[f].pe == o->pe->pe)
					o->pending++;
		}
	}
	if (noff)
		qsort(offs, noff, sizeof(*offs), cmp_off);

	if (html) {
		struct inspect_report r = {
			.path = path, .b = &b, .level = v.level,
			.reasons = v.reasons, .notes = v.notes,
			.failed = (size_t)failed, .devs = devs, .sums = sums,
			.ndev = (size_t)n, .offs = offs, .noff = noff,
		};
		char msg[4200];

		ret = inspect_html_write(&r, html, msg, sizeof(msg));
		json_object_put(v.reasons);
		json_object_put(v.notes);
		free_all(devs, (size_t)n, sums, offs, &b);
		if (ret)
			return ctl_fail(EXIT_ERROR, "cannot write the page: %s",
					msg);
		if (ctl.json) {
			j = json_object_new_object();
			accel_json_str(j, "html", html);
			return ctl_json_emit(j);
		}
		printf("page written to %s\n", html);
		return cli_stdout_flush("accelctl");
	}

	if (ctl.json) {
		j = json_object_new_object();
		accel_json_str(j, "bundle", path);
		accel_json_u64(j, "format_version", b.version);
		accel_json_str(j, "tool_version",
			       accel_bundle_show(&b, ACCEL_BM_TOOL_VERSION));
		accel_json_str(j, "driver_version",
			       accel_bundle_show(&b, ACCEL_BM_DRIVER_VERSION));
		accel_json_str(j, "host", accel_bundle_show(&b, ACCEL_BM_HOST));
		accel_json_str(j, "time_utc",
			       accel_bundle_show(&b, ACCEL_BM_TIME_UTC));
		accel_json_str(j, "kernel", accel_bundle_kernel_release(&b));
		json_object_object_add(j, "redacted", json_object_new_boolean(
					       accel_bundle_redacted(&b)));
		json_object_object_add(j, "sections",
				       accel_bundle_sections_json(&b));
		arr = json_object_new_object();
		accel_json_str(arr, "verdict", accel_health_status_name(v.level));
		json_object_object_add(arr, "reasons", v.reasons);
		json_object_object_add(arr, "missing_views", v.notes);
		json_object_object_add(j, "health", arr);
		arr = json_object_new_array();
		for (i = 0; i < (size_t)n; i++)
			json_object_array_add(arr, accel_json_dev(&devs[i],
								  &sums[i]));
		json_object_object_add(j, "devices", arr);
		arr = json_object_new_array();
		for (i = 0; i < noff && i < TOP_N; i++) {
			json_object *o = json_object_new_object();

			ctl_json_dev(o, offs[i].d->id);
			accel_json_u64(o, "pe", offs[i].pe->pe);
			accel_json_u64(o, "pasid", offs[i].pe->pasid);
			accel_json_u64(o, "pid", offs[i].pe->pid);
			accel_json_str(o, "comm", offs[i].pe->comm);
			accel_json_str(o, "state", offs[i].pe->state_str);
			accel_json_u64(o, "faults", offs[i].pe->faults);
			accel_json_u64(o, "pending_faults", offs[i].pending);
			accel_json_u64(o, "work_done", offs[i].pe->work);
			json_object_array_add(arr, o);
		}
		json_object_object_add(j, "top_offenders", arr);
		arr = json_object_new_array();
		for (i = 0; i < (size_t)n; i++)
			for (k = 0; k < devs[i].faults.n; k++) {
				const struct accel_fault *f =
					&devs[i].faults.f[k];
				json_object *o = json_object_new_object();
				char a[24];

				ctl_json_dev(o, devs[i].id);
				accel_json_u64(o, "id", f->id);
				accel_json_u64(o, "pe", f->pe);
				accel_json_u64(o, "pasid", f->pasid);
				snprintf(a, sizeof(a), "0x%llx",
					 (unsigned long long)f->address);
				accel_json_str(o, "address", a);
				accel_json_str(o, "access",
					       accel_access_name(f->access));
				accel_json_str(o, "state", f->state_str);
				accel_json_u64(o, "age_ns", f->age_ns);
				json_object_array_add(arr, o);
			}
		json_object_object_add(j, "pending_faults", arr);
		show_trace(&b, j);
		show_idxd(&b, j);
		/* Print before freeing: the rows print from the views. */
		ret = ctl_json_emit(j);
		free_all(devs, (size_t)n, sums, offs, &b);
		return ret;
	}

	printf("bundle:   %s\n", path);
	printf("origin:   %s, %s (kernel %s), accelctl %s, driver %s%s\n",
	       accel_bundle_show(&b, ACCEL_BM_HOST),
	       accel_bundle_show(&b, ACCEL_BM_TIME_UTC),
	       accel_bundle_kernel_release(&b),
	       accel_bundle_show(&b, ACCEL_BM_TOOL_VERSION),
	       accel_bundle_show(&b, ACCEL_BM_DRIVER_VERSION),
	       accel_bundle_redacted(&b) ? ", redacted" : "");
	printf("sections:");
	for (i = 0; accel_bundle_section(&b, i, &name, &ok, &error); i++)
		printf(" %s=%s", name, ok ? "ok" : "FAILED");
	printf("\n");
	for (i = 0; accel_bundle_section(&b, i, &name, &ok, &error); i++)
		if (!ok)
			printf("  %s failed: %s\n", name, error);
	printf("health:   %s%s\n", accel_health_status_name(v.level),
	       failed ? " (incomplete bundle)" : "");
	for (i = 0; i < json_object_array_length(v.reasons); i++)
		printf("  %s\n", json_object_get_string(
			json_object_array_get_idx(v.reasons, i)));
	for (i = 0; i < json_object_array_length(v.notes); i++)
		printf("  not judged, missing: %s\n", json_object_get_string(
			json_object_array_get_idx(v.notes, i)));
	printf("\ndevices:\n");
	for (i = 0; i < (size_t)n; i++) {
		const struct accel_summary *s = &sums[i];

		printf("  %s %s: %u/%u PEs (%u zombie), %u live PASIDs, %u "
		       "pending faults (%u held), IRQs %u/%u, %llu faults "
		       "acked (%.1f%% address errors)", devs[i].name,
		       devs[i].info.state_str, s->spa_used,
		       devs[i].info.max_pe, s->zombies, s->pasids_live,
		       s->faults_pending, s->faults_held, s->irqs_used,
		       devs[i].info.irq_budget,
		       (unsigned long long)s->faults_acked,
		       s->fault_error_pct);
		if (s->has_fault_lat)
			printf(", fault p99 %s",
			       accel_fmt_ns(s->fault_p99_ns, b1, sizeof(b1)));
		if (s->has_tlbi_lat)
			printf(", TLBI p99 %s",
			       accel_fmt_ns(s->tlbi_p99_ns, b2, sizeof(b2)));
		printf("\n");
	}
	printf("\ntop offenders (most faults):\n");
	if (!noff)
		printf("  none: no contexts\n");
	for (i = 0; i < noff && i < TOP_N; i++)
		printf("  %s pe %u pasid %u pid %u %s (%s): %llu faults, %zu "
		       "pending, %llu work\n", offs[i].d->name, offs[i].pe->pe,
		       offs[i].pe->pasid, offs[i].pe->pid, offs[i].pe->comm,
		       offs[i].pe->state_str,
		       (unsigned long long)offs[i].pe->faults,
		       offs[i].pending, (unsigned long long)offs[i].pe->work);
	printf("\npending faults:\n");
	for (i = 0; i < (size_t)n; i++)
		for (k = 0; k < devs[i].faults.n; k++, nf++) {
			const struct accel_fault *f = &devs[i].faults.f[k];

			if (nf >= FAULTS_N)
				continue;
			printf("  %s id %llu pe %u pasid %u 0x%llx %s %s, age "
			       "%s\n", devs[i].name, (unsigned long long)f->id,
			       f->pe, f->pasid,
			       (unsigned long long)f->address,
			       accel_access_name(f->access), f->state_str,
			       accel_fmt_ns((double)f->age_ns, b1,
					    sizeof(b1)));
		}
	if (!nf)
		printf("  none\n");
	else if (nf > FAULTS_N)
		printf("  ... %zu more\n", nf - FAULTS_N);
	show_trace(&b, NULL);
	show_idxd(&b, NULL);
	json_object_put(v.reasons);
	json_object_put(v.notes);
	free_all(devs, (size_t)n, sums, offs, &b);
	return cli_stdout_flush("accelctl");
}

int cmd_inspect_file(const char *path)
{
	return inspect_file(path, NULL);
}

static int extract(const char *path)
{
	struct accel_bundle b;
	struct accel_err err;
	char dir[4096];
	int ret;

	ret = accel_bundle_open(path, &b, &err);
	if (!ret)
		ret = accel_bundle_extract_debugfs(&b, dir, sizeof(dir), &err);
	accel_bundle_free(&b);
	if (ret)
		return ctl_fail(EXIT_ERROR, "%s", err.msg);
	if (ctl.json) {
		json_object *j = json_object_new_object();

		accel_json_str(j, "root", dir);
		return ctl_json_emit(j);
	}
	printf("%s\n", dir);
	return EXIT_OK;
}

struct inspect_args {
	bool ext;
	const char *html;
};

static error_t extract_opt(int key, char *arg, struct argp_state *state)
{
	struct inspect_args *a = state->input;

	switch (key) {
	case 'x':
		a->ext = true;
		return 0;
	case OPT_HTML:
		a->html = arg;
		return 0;
	}
	return cli_arg_default(key, state);
}

static const struct argp inspect_argp = CTL_LEAF_ARGP(inspect_options,
						      extract_opt, "FILE",
						      inspect_doc);

int cmd_inspect(int argc, char **argv)
{
	struct inspect_args a = { 0 };
	int ret, first;

	ret = ctl_parse(&inspect_argp, "inspect", argc, argv, &first, &a);
	if (ret)
		return ret;
	if (argc - first != 1)
		return ctl_usage_err("inspect", "expected one bundle FILE");
	if (a.ext && a.html)
		return ctl_usage_err("inspect", "--extract and --html exclude "
				     "each other");
	if (a.html && !*a.html)
		return ctl_usage_err("inspect", "--html needs a file name");
	return a.ext ? extract(argv[first]) : inspect_file(argv[first], a.html);
}
