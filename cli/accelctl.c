// SPDX-License-Identifier: MIT
/*
 * accelctl: drive accelsim devices.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "accel.h"

static int usage(FILE *out)
{
	fprintf(out,
		"Usage: accelctl [--root DIR] device list\n"
		"       accelctl --version\n");
	return out == stdout ? 0 : 64;
}

int main(int argc, char **argv)
{
	unsigned int ids[ACCEL_MAX_DEVS];
	const char *root_opt = NULL;
	int i = 1, n, j;

	if (i < argc && !strcmp(argv[i], "--root") && i + 1 < argc) {
		root_opt = argv[i + 1];
		i += 2;
	}
	if (i >= argc)
		return usage(stderr);
	if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
		return usage(stdout);
	if (!strcmp(argv[i], "--version") || !strcmp(argv[i], "-V")) {
		printf("accelctl %s\n", ACCEL_VERSION);
		return 0;
	}
	if (i + 1 < argc && !strcmp(argv[i], "device") &&
	    !strcmp(argv[i + 1], "list")) {
		n = accel_list_devices(accel_debugfs_root(root_opt), ids,
				       ACCEL_MAX_DEVS);
		if (n < 0) {
			fprintf(stderr, "accelctl: %s: %s\n",
				accel_debugfs_root(root_opt), strerror(-n));
			return 1;
		}
		for (j = 0; j < n; j++)
			printf("afu%u\n", ids[j]);
		return 0;
	}
	fprintf(stderr, "accelctl: unknown command '%s'\n", argv[i]);
	return usage(stderr);
}
