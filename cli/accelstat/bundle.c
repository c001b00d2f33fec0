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

int stat_bundle_load_dev(const struct stat_opts *o, unsigned int id,
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

void stat_bundle_header(const struct stat_opts *o)
{
	/* Only the text snapshot says what it shows. */
	if (o->check || o->prom || o->json)
		return;
	printf("Bundle %s: taken %s on %s, driver %s%s\n\n", o->bundle_path,
	       accel_bundle_show(o->bundle, ACCEL_BM_TIME_UTC),
	       accel_bundle_show(o->bundle, ACCEL_BM_HOST),
	       accel_bundle_show(o->bundle, ACCEL_BM_DRIVER_VERSION),
	       accel_bundle_redacted(o->bundle) ? " (redacted)" : "");
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
