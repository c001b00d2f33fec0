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
	free(s->bad);
	memset(s, 0, sizeof(*s));
}

/* The device id of s, or NULL (s may be NULL). */
static const struct accel_dev *snap_dev(const struct stat_snap *s,
					unsigned int id)
{
	size_t i;

	for (i = 0; s && i < s->n; i++)
		if (s->dev[i].id == id)
			return &s->dev[i];
	return NULL;
}

/*
 * Load device id from the live views or from o->bundle; with reload, at
 * their generations, and only the views whose generation moved since
 * prev (may be NULL).
 */
static int load_dev(const struct stat_opts *o, unsigned int id, bool reload,
		    const struct stat_snap *prev, struct accel_dev *d,
		    char *msg, size_t size, bool *gone)
{
	struct accel_err err;
	int ret;

	*gone = false;
	if (o->bundle)
		return stat_bundle_load_dev(o, id, d, msg, size);
	if (reload)
		ret = accel_dev_reload(o->root, id, snap_dev(prev, id), d,
				       &err);
	else
		ret = accel_dev_load(o->root, id, d, &err);
	if (ret) {
		*gone = !o->has_dev && accel_dev_gone(o->root, id);
		snprintf(msg, size, "%s", err.msg);
		return LOAD_ERROR;
	}
	return LOAD_OK;
}

static int load_all(const struct stat_opts *o, bool reload,
		    const struct stat_snap *prev, struct stat_snap *s,
		    char *msg, size_t size, bool *module_missing)
{
	const char *where = o->bundle ? "in bundle" : "under";
	unsigned int ids[ACCEL_MAX_DEVS];
	char hint[512];
	bool gone;
	int n, i;

	memset(s, 0, sizeof(*s));
	*module_missing = false;
	if (o->bundle) {
		n = accel_bundle_devices(o->bundle, ids, ACCEL_MAX_DEVS);
	} else {
		n = accel_list_devices(o->root, ids, ACCEL_MAX_DEVS);
		if (n < 0) {
			*module_missing = accel_root_hint(o->root, -n, hint,
							  sizeof(hint));
			snprintf(msg, size, "%s: %s (%s)", o->root,
				 strerror(-n), hint);
			return LOAD_NODRIVER;
		}
	}
	if (n < 0) {
		snprintf(msg, size, "%s: %s", o->root, strerror(-n));
		return LOAD_ERROR;
	}
	if (o->has_dev) {
		for (i = 0; i < n && ids[i] != o->dev; i++)
			;
		if (i == n) {
			snprintf(msg, size, "device afu%u not found %s %s",
				 o->dev, where, o->root);
			return LOAD_NODEV;
		}
		ids[0] = o->dev;
		n = 1;
	}
	s->dev = calloc((size_t)n + 1, sizeof(*s->dev));
	s->sum = calloc((size_t)n + 1, sizeof(*s->sum));
	s->bad = calloc((size_t)n + 1, sizeof(*s->bad));
	if (!s->dev || !s->sum || !s->bad) {
		stat_snap_free(s);
		snprintf(msg, size, "out of memory");
		return LOAD_ERROR;
	}
	for (i = 0; i < n; i++) {
		if (load_dev(o, ids[i], reload, prev, &s->dev[s->n], msg,
			     size, &gone)) {
			struct stat_bad *b = &s->bad[s->nbad];

			/* The loaders free what they parsed on failure. */
			memset(&s->dev[s->n], 0, sizeof(s->dev[s->n]));
			if (gone)
				continue;
			b->id = ids[i];
			snprintf(b->name, sizeof(b->name), "afu%u", ids[i]);
			snprintf(b->msg, sizeof(b->msg), "%s", msg);
			s->nbad++;
			continue;
		}
		accel_dev_summarize(&s->dev[s->n], &s->sum[s->n]);
		s->n++;
	}
	if (o->bundle)
		stat_bundle_header(o);
	return LOAD_OK;
}

int stat_load_all(const struct stat_opts *o, struct stat_snap *s, char *msg,
		  size_t size, bool *module_missing)
{
	return load_all(o, false, NULL, s, msg, size, module_missing);
}

/* Load all; a device that fails fails the whole load. */
static int load_whole(const struct stat_opts *o, bool reload,
		      const struct stat_snap *prev, struct stat_snap *s,
		      char *msg, size_t size, bool *module_missing)
{
	int ret = load_all(o, reload, prev, s, msg, size, module_missing);

	if (ret == LOAD_OK && s->nbad) {
		snprintf(msg, size, "%s", s->bad[0].msg);
		stat_snap_free(s);
		return LOAD_ERROR;
	}
	return ret;
}

int stat_load(const struct stat_opts *o, struct stat_snap *s, char *msg,
	      size_t size, bool *module_missing)
{
	return load_whole(o, false, NULL, s, msg, size, module_missing);
}

int stat_load_since(const struct stat_opts *o, const struct stat_snap *prev,
		    struct stat_snap *s, char *msg, size_t size,
		    bool *module_missing)
{
	return load_whole(o, true, prev, s, msg, size, module_missing);
}
