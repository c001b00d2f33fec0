// SPDX-License-Identifier: MIT
/*
 * libaccel: finding the driver's debugfs root and its devices.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "accel.h"

const char *accel_debugfs_root(const char *override)
{
	const char *env;

	if (override && *override)
		return override;
	env = getenv("ACCEL_DEBUGFS");
	if (env && *env)
		return env;
	return ACCEL_DEBUGFS_DEFAULT;
}

static int cmp_uint(const void *a, const void *b)
{
	unsigned int x = *(const unsigned int *)a, y = *(const unsigned int *)b;

	return (x > y) - (x < y);
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
		char *end;
		unsigned long id;

		if (strncmp(de->d_name, "afu", 3) || !de->d_name[3])
			continue;
		errno = 0;
		id = strtoul(de->d_name + 3, &end, 10);
		if (errno || *end || id > 0xffffffffUL)
			continue;
		ids[n++] = (unsigned int)id;
	}
	closedir(dir);
	qsort(ids, n, sizeof(*ids), cmp_uint);
	return (int)n;
}
