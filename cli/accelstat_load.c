// SPDX-License-Identifier: MIT
/*
 * accelstat: loading the selected devices from the debugfs root.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "accelstat.h"

void stat_snap_free(struct stat_snap *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		accel_dev_free(&s->dev[i]);
	free(s->dev);
	free(s->sum);
	memset(s, 0, sizeof(*s));
}

/* A device whose directory vanished while we read it was removed. */
static bool dev_gone(const char *root, unsigned int id)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/afu%u", root, id);
	return access(path, F_OK) && errno == ENOENT;
}

int stat_load(const struct stat_opts *o, struct stat_snap *s, char *msg,
	      size_t size, bool *module_missing)
{
	unsigned int ids[ACCEL_MAX_DEVS];
	struct accel_err err;
	char hint[256];
	int n, i;

	*module_missing = false;
	if (o->bundle)
		return stat_load_bundle(o, s, msg, size);
	memset(s, 0, sizeof(*s));
	n = accel_list_devices(o->root, ids, ACCEL_MAX_DEVS);
	if (n < 0) {
		*module_missing = accel_root_hint(o->root, -n, hint,
						  sizeof(hint));
		snprintf(msg, size, "%s: %s (%s)", o->root, strerror(-n),
			 hint);
		return LOAD_NODRIVER;
	}
	if (o->has_dev) {
		for (i = 0; i < n && ids[i] != o->dev; i++)
			;
		if (i == n) {
			snprintf(msg, size, "device afu%u not found under %s",
				 o->dev, o->root);
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
		if (accel_dev_load(o->root, ids[i], &s->dev[s->n], &err)) {
			if (!o->has_dev && dev_gone(o->root, ids[i]))
				continue;
			snprintf(msg, size, "%s", err.msg);
			stat_snap_free(s);
			return LOAD_ERROR;
		}
		accel_dev_summarize(&s->dev[s->n], &s->sum[s->n]);
		s->n++;
	}
	return LOAD_OK;
}
