// SPDX-License-Identifier: MIT
/*
 * acceltop: live view of accelsim devices. This first version loads the
 * BPF counters and prints batch refreshes.
 */
#include <argp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "accel.h"
#include "accelsim_lat.skel.h"

const char *argp_program_version = "acceltop " ACCEL_VERSION;

static const struct argp_option options[] = {
	{ "batch", 'b', NULL, 0, "Print refreshes as text (batch mode)", 0 },
	{ "iterations", 'n', "N", 0, "Number of refreshes in batch mode", 0 },
	{ 0 }
};

static long iterations = 1;

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	char *end;

	switch (key) {
	case 'b':
		return 0;
	case 'n':
		errno = 0;
		iterations = strtol(arg, &end, 10);
		if (errno || *end || iterations < 1)
			argp_error(state, "invalid count '%s'", arg);
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp argp = {
	options, parse_opt, NULL, "Live view of accelsim devices.",
	NULL, NULL, NULL
};

int main(int argc, char **argv)
{
	struct accelsim_lat_bpf *skel;
	long i;
	int err;

	argp_parse(&argp, argc, argv, 0, NULL, NULL);
	skel = accelsim_lat_bpf__open_and_load();
	if (!skel) {
		fprintf(stderr, "acceltop: cannot load BPF programs: %s\n",
			strerror(errno));
		return 1;
	}
	err = accelsim_lat_bpf__attach(skel);
	if (err) {
		fprintf(stderr, "acceltop: cannot attach BPF programs: %s\n",
			strerror(-err));
		accelsim_lat_bpf__destroy(skel);
		return 1;
	}
	for (i = 0; i < iterations; i++) {
		if (i)
			sleep(1);
		printf("devices_added %llu\n",
		       (unsigned long long)skel->bss->devices_added);
	}
	accelsim_lat_bpf__destroy(skel);
	return 0;
}
