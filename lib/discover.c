// SPDX-License-Identifier: MIT
/*
 * libaccel: finding the driver's debugfs root and its devices.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "accel.h"
#include "accel_control.h"

const char *accel_root(const char *override, const char *env,
		       const char *dflt)
{
	const char *v;

	if (override && *override)
		return override;
	v = getenv(env);
	if (v && *v)
		return v;
	return dflt;
}

const char *accel_debugfs_root(const char *override)
{
	return accel_root(override, "ACCEL_DEBUGFS", ACCEL_DEBUGFS_DEFAULT);
}

const char *accel_tracefs_root(const char *override)
{
	return accel_root(override, "ACCEL_TRACEFS", ACCEL_TRACEFS_DEFAULT);
}

static int cmp_uint(const void *a, const void *b)
{
	unsigned int x = *(const unsigned int *)a, y = *(const unsigned int *)b;

	return (x > y) - (x < y);
}

int accel_parse_dev_name(const char *s, unsigned int *id)
{
	unsigned long v;
	char *end;

	if (!s)
		return -EINVAL;
	if (!strncmp(s, "afu", 3))
		s += 3;
	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v > UINT_MAX)
		return -EINVAL;
	*id = (unsigned int)v;
	return 0;
}

int accel_list_devices(const char *root, unsigned int *ids, size_t max)
{
	struct dirent *de;
	size_t n = 0;
	DIR *dir;

	dir = opendir(root);
	if (!dir)
		return -errno;
	while ((de = readdir(dir)) != NULL && n < max) {
		unsigned int id;

		if (strncmp(de->d_name, "afu", 3))
			continue;
		if (accel_parse_dev_name(de->d_name, &id))
			continue;
		ids[n++] = id;
	}
	closedir(dir);
	qsort(ids, n, sizeof(*ids), cmp_uint);
	return (int)n;
}

/* 1 if dir exists and holds at least one entry besides . and .. */
static int dir_has_entries(const char *path)
{
	struct dirent *de;
	DIR *dir;
	int ret = 0;

	dir = opendir(path);
	if (!dir)
		return 0;
	while ((de = readdir(dir)) != NULL) {
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
			ret = 1;
			break;
		}
	}
	closedir(dir);
	return ret;
}

int accel_root_hint(const char *root, int err, char *buf, size_t size)
{
	char parent[PATH_MAX];
	char *slash;

	if (err == EACCES || err == EPERM) {
		snprintf(buf, size, "permission denied: debugfs is readable "
			 "by root only, run as root");
		return 0;
	}
	if (err != ENOENT && err != ENOTDIR) {
		snprintf(buf, size, "cannot read the accelsim debugfs root");
		return 0;
	}
	snprintf(parent, sizeof(parent), "%s", root);
	while ((slash = strrchr(parent, '/')) && slash[1] == '\0' &&
	       slash != parent)
		*slash = '\0';
	slash = strrchr(parent, '/');
	if (!slash)
		snprintf(parent, sizeof(parent), ".");
	else if (slash == parent)
		parent[1] = '\0';
	else
		*slash = '\0';
	/*
	 * The driver is loaded (its bus is in sysfs) but its debugfs root
	 * is missing: the controls and char devices work, the views do not.
	 */
	if (!access(accel_sysfs_root(NULL), F_OK)) {
		if (access(parent, F_OK))
			snprintf(buf, size, "the driver is loaded but its "
				 "debugfs views (%s) are missing: no debugfs "
				 "at %s (booted with debugfs=off, or not "
				 "built)", ACCEL_VIEW_NAMES, parent);
		else if (!dir_has_entries(parent))
			snprintf(buf, size, "the driver is loaded but its "
				 "debugfs views (%s) are missing: debugfs not "
				 "mounted at %s? try 'mount -t debugfs none "
				 "%s'", ACCEL_VIEW_NAMES, parent, parent);
		else
			snprintf(buf, size, "the driver is loaded but its "
				 "debugfs views (%s) are missing: its debugfs "
				 "failed (see the kernel log)",
				 ACCEL_VIEW_NAMES);
		return 0;
	}
	if (!dir_has_entries(parent)) {
		snprintf(buf, size, "debugfs not mounted at %s? try 'mount -t "
			 "debugfs none %s'", parent, parent);
		return 0;
	}
	snprintf(buf, size, "accelsim module not loaded? try 'modprobe "
		 "accelsim'");
	return 1;
}
