// SPDX-License-Identifier: MIT
/*
 * accelstat --bundle: the snapshot modes run on the views saved in a
 * support bundle (accelctl dump), read offline through libaccel.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accelstat.h"

static const char *mstr(const struct accel_bundle *b, const char *key)
{
	const char *s = accel_bundle_str(b, key);

	return s ? s : "?";
}

static bool redacted(const struct accel_bundle *b)
{
	json_object *r;

	return json_object_object_get_ex(b->manifest, "redacted", &r) &&
	       json_object_get_boolean(r);
}

/* Load device id from the bundle; views it lacks are named on stderr. */
static int load_one(const struct stat_opts *o, unsigned int id,
		    struct accel_dev *d, char *msg, size_t size)
{
	struct accel_err err;
	char missing[1024];

	if (accel_bundle_load_dev_partial(o->bundle, id, d, missing,
					  sizeof(missing), &err)) {
		snprintf(msg, size, "%s: %s", o->bundle_path, err.msg);
		return LOAD_ERROR;
	}
	if (missing[0])
		stat_err("%s: shown empty: %s", o->bundle_path, missing);
	return LOAD_OK;
}

int stat_load_bundle(const struct stat_opts *o, struct stat_snap *s,
		     char *msg, size_t size)
{
	unsigned int ids[ACCEL_MAX_DEVS];
	int n, i, ret;

	memset(s, 0, sizeof(*s));
	n = accel_bundle_devices(o->bundle, ids, ACCEL_MAX_DEVS);
	if (n < 0) {
		snprintf(msg, size, "%s: %s", o->bundle_path, strerror(-n));
		return LOAD_ERROR;
	}
	if (o->has_dev) {
		for (i = 0; i < n && ids[i] != o->dev; i++)
			;
		if (i == n) {
			snprintf(msg, size, "device afu%u not in bundle %s",
				 o->dev, o->bundle_path);
			return LOAD_NODEV;
		}
		ids[0] = o->dev;
		n = 1;
	}
	s->dev = calloc((size_t)n + 1, sizeof(*s->dev));
	s->sum = calloc((size_t)n + 1, sizeof(*s->sum));
	if (!s->dev || !s->sum) {
		stat_snap_free(s);
		snprintf(msg, size, "out of memory");
		return LOAD_ERROR;
	}
	for (i = 0; i < n; i++) {
		ret = load_one(o, ids[i], &s->dev[s->n], msg, size);
		if (ret) {
			stat_snap_free(s);
			return ret;
		}
		accel_dev_summarize(&s->dev[s->n], &s->sum[s->n]);
		s->n++;
	}
	/* The text snapshot says what it shows. */
	if (!o->check && !o->prom && !o->json)
		printf("Bundle %s: taken %s on %s, driver %s%s\n\n",
		       o->bundle_path, mstr(o->bundle, "time_utc"),
		       mstr(o->bundle, "host"),
		       mstr(o->bundle, "driver_version"),
		       redacted(o->bundle) ? " (redacted)" : "");
	return LOAD_OK;
}

int stat_bundle(struct stat_opts *o)
{
	struct accel_bundle b;
	struct accel_err err;
	int ret;

	ret = accel_bundle_open(o->bundle_path, &b, &err);
	if (ret) {
		/* A monitor reads the status line on stdout. */
		if (o->check) {
			printf("ACCEL UNKNOWN - %s\n", err.msg);
			return CHECK_UNKNOWN;
		}
		stat_err("%s", err.msg);
		return EXIT_ERROR;
	}
	o->bundle = &b;
	o->root = o->bundle_path;
	ret = stat_run(o);
	accel_bundle_free(&b);
	return ret;
}
