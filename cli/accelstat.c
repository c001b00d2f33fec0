// SPDX-License-Identifier: MIT
/*
 * accelstat: snapshot of the accelsim devices.
 */
#include <argp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accel.h"

const char *argp_program_version = "accelstat " ACCEL_VERSION;
const char *argp_program_bug_address = "<accel-devel@lists.example.org>";

static const struct argp_option options[] = {
	{ "root", 'r', "DIR", 0, "debugfs root of the driver "
	  "(default $ACCEL_DEBUGFS or " ACCEL_DEBUGFS_DEFAULT ")", 0 },
	{ 0 }
};

static const char *root_opt;

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case 'r':
		root_opt = arg;
		return 0;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument '%s'", arg);
		return EINVAL;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp argp = {
	options, parse_opt, NULL,
	"Show the state of accelsim devices.", NULL, NULL, NULL
};

static int show_info(const char *root, unsigned int id)
{
	char path[4096], line[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/afu%u/info", root, id);
	f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "accelstat: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f))
		fputs(line, stdout);
	fclose(f);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned int ids[ACCEL_MAX_DEVS];
	const char *root;
	int n, i, ret = 0;

	argp_parse(&argp, argc, argv, 0, NULL, NULL);
	root = accel_debugfs_root(root_opt);
	n = accel_list_devices(root, ids, ACCEL_MAX_DEVS);
	if (n < 0) {
		fprintf(stderr, "accelstat: %s: %s (is the accelsim module loaded and debugfs mounted?)\n",
			root, strerror(-n));
		return 3;
	}
	for (i = 0; i < n; i++)
		if (show_info(root, ids[i]))
			ret = 1;
	return ret;
}
