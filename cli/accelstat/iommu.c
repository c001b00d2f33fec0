// SPDX-License-Identifier: MIT
/*
 * accelstat --iommu SEC: Intel IOMMU invalidations over a window of SEC
 * seconds, per IOMMU unit and descriptor type, with qi_submit_sync()
 * latency histograms (libaccel's accel_iommu.h, from BPF). A snapshot
 * cannot time what already happened: the BPF programs count from their
 * attach, so the section is measured over an explicit window, and only
 * when asked (it needs root and loads BPF).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "accel_iommu.h"
#include "accel_json.h"
#include "accelstat.h"

/* Sleep @secs seconds, through signal interruptions. */
static void pause_for(double secs)
{
	struct timespec ts = { .tv_sec = (time_t)secs };

	ts.tv_nsec = (long)((secs - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * Measure: 0 with the window's delta in @d, or a negative errno with why
 * in @why (the source could not be opened or read).
 */
static int measure(const struct stat_opts *o, struct accel_iommu_snap *d,
		   char *source, size_t slen, char *missing, size_t mlen,
		   char *why, size_t len)
{
	struct accel_iommu_snap *a = calloc(2, sizeof(*a));
	struct accel_iommu_src *src = NULL;
	double t0, t1;
	int ret;

	if (!a) {
		snprintf(why, len, "out of memory");
		return -ENOMEM;
	}
	ret = accel_iommu_open(&src, NULL, why, len);
	if (ret)
		goto out;
	snprintf(source, slen, "%s",
		 accel_iommu_kind_name(accel_iommu_kind(src)));
	snprintf(missing, mlen, "%s", accel_iommu_missing(src));
	t0 = now_s();
	ret = accel_iommu_read(src, &a[0]);
	if (!ret) {
		pause_for(o->iommu_secs);
		t1 = now_s();
		ret = accel_iommu_read(src, &a[1]);
	}
	if (ret) {
		snprintf(why, len, "cannot read the BPF maps: %s",
			 strerror(-ret));
		goto out;
	}
	accel_iommu_delta(&a[1], &a[0], d);
	d->secs = accel_iommu_kind(src) == ACCEL_IOMMU_SRC_FIXTURE ?
		  o->iommu_secs : t1 - t0;
out:
	accel_iommu_close(src);
	free(a);
	return ret;
}

int stat_iommu(const struct stat_opts *o)
{
	struct accel_iommu_snap *d = calloc(1, sizeof(*d));
	char why[512], source[32] = "", missing[320] = "";
	int ret, code = EXIT_OK;

	if (!d) {
		stat_err("out of memory");
		return EXIT_ERROR;
	}
	ret = measure(o, d, source, sizeof(source), missing, sizeof(missing),
		      why, sizeof(why));
	if (ret) {
		stat_err("IOMMU invalidations not measured: %s", why);
		code = EXIT_NODRIVER;
	} else if (*missing) {
		stat_err("IOMMU: %s", missing);
	}
	if (o->json) {
		json_object *top = json_object_new_object();

		accel_json_u64(top, "schema_version",
			       ACCEL_JSON_SCHEMA_VERSION);
		accel_json_str(top, "tool", "accelstat");
		accel_json_str(top, "version", ACCEL_VERSION);
		accel_json_u64(top, "time_unix_s", (uint64_t)time(NULL));
		if (ret) {
			json_object *e = json_object_new_object();

			accel_json_str(e, "error", why);
			json_object_object_add(top, "iommu", e);
		} else {
			json_object_object_add(top, "iommu",
					       accel_iommu_json(d, source,
								missing));
		}
		if (accel_json_print(stdout, top, true))
			code = EXIT_OUTPUT;
		json_object_put(top);
	} else if (!ret) {
		accel_iommu_text(stdout, d, source, missing);
	}
	free(d);
	if (code == EXIT_OK && cli_stdout_flush("accelstat"))
		code = EXIT_OUTPUT;
	return code;
}

int stat_iommu_prom(const struct stat_opts *o, FILE *f)
{
	struct accel_iommu_snap *d = calloc(1, sizeof(*d));
	char why[512], source[32] = "", missing[320] = "";
	int ret;

	if (!d) {
		stat_err("out of memory");
		return EXIT_ERROR;
	}
	ret = measure(o, d, source, sizeof(source), missing, sizeof(missing),
		      why, sizeof(why));
	fprintf(f, "# HELP accel_iommu_up 1 when the IOMMU invalidations "
		"were measured (intel_iommu:qi_submit traced).\n"
		"# TYPE accel_iommu_up gauge\naccel_iommu_up %d\n", ret ? 0 : 1);
	if (ret)
		stat_err("IOMMU invalidations not measured: %s", why);
	else
		accel_iommu_prom(f, d);
	if (!ret && *missing)
		stat_err("IOMMU: %s", missing);
	free(d);
	return ret ? EXIT_NODRIVER : EXIT_OK;
}
