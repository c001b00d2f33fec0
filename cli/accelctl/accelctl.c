// SPDX-License-Identifier: MIT
/*
 * accelctl: drive accelsim devices. Global options, the top-level command
 * table and the prefix dispatcher shared by every level (bpftool style:
 * "accelctl dev l" is "accelctl device list").
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accel_uapi.h"
#include "accelctl.h"

struct ctl_opts ctl;

static const struct ctl_cmd top_cmds[] = {
	{ "run", cmd_run, "attach contexts and drive a workload" },
	{ "hold", cmd_hold, "attach a context and wait for a signal" },
	{ "list", cmd_list, "list the contexts of every device" },
	{ "terminate", cmd_terminate, "terminate a context (pasid N | pe N)" },
	{ "inject", cmd_inject, "fault injection (inject/ controls)" },
	{ "device", cmd_device, "add, delete and list devices" },
	{ "dump", cmd_dump, "write a support bundle (tar.gz)" },
	{ "inspect", cmd_inspect, "summarise a support bundle offline" },
	{ NULL, NULL, NULL }
};

void ctl_list_cmds(FILE *out, const struct ctl_cmd *cmds)
{
	for (; cmds->name; cmds++)
		fprintf(out, "  %-10s %s\n", cmds->name, cmds->summary);
}

int ctl_dispatch(const struct ctl_cmd *cmds, const char *what, int argc,
		 char **argv)
{
	const struct ctl_cmd *c, *found = NULL;
	size_t len = strlen(argv[0]);
	int matches = 0;

	for (c = cmds; c->name; c++) {
		if (!strcmp(c->name, argv[0]))
			return c->fn(argc, argv);
		if (len && !strncmp(c->name, argv[0], len)) {
			found = c;
			matches++;
		}
	}
	if (matches == 1)
		return found->fn(argc, argv);
	if (matches > 1) {
		char list[256] = "";

		for (c = cmds; c->name; c++)
			if (!strncmp(c->name, argv[0], len)) {
				strncat(list, " ", sizeof(list) - strlen(list) - 1);
				strncat(list, c->name,
					sizeof(list) - strlen(list) - 1);
			}
		return ctl_usage_err(NULL, "ambiguous %s '%s' (could be:%s)",
				     what, argv[0], list);
	}
	return ctl_usage_err(NULL, "unknown %s '%s'", what, argv[0]);
}

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: accelctl [OPTIONS] COMMAND [ARGS...]\n"
		"\n"
		"Drive accelsim devices: contexts, workloads, fault injection,\n"
		"devices and support bundles. Commands may be abbreviated to\n"
		"any unambiguous prefix; 'accelctl COMMAND --help' for details.\n"
		"\n"
		"Commands:\n");
	ctl_list_cmds(out, top_cmds);
	fprintf(out,
		"\n"
		"Options:\n"
		"  -r, --root DIR     debugfs root of the driver (default "
		"$ACCEL_DEBUGFS or\n"
		"                     " ACCEL_DEBUGFS_DEFAULT ")\n"
		"  -t, --tracefs DIR  tracefs root (default $ACCEL_TRACEFS or "
		ACCEL_TRACEFS_DEFAULT ")\n"
		"  -j, --json         JSON output (errors too, as {\"error\": "
		"...})\n"
		"  -p, --pretty       indented JSON (implies --json)\n"
		"  -h, --help         this help\n"
		"  -V, --version      print the version\n"
		"\n"
		"The controls (device, inject, kernel contexts) are in sysfs "
		"under\n"
		"$ACCEL_SYSFS or " ACCEL_SYSFS_DEFAULT ".\n"
		"\n"
		"Exit status: 0 success, 1 runtime error, 2 usage error, 3 driver or\n"
		"device missing, 4 data mismatch (run), 5 zombie (terminate).\n"
		"See accelctl(8).\n");
}

static const char *env_or(const char *name, const char *def)
{
	const char *v = getenv(name);

	return v && *v ? v : def;
}

int main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "root", required_argument, NULL, 'r' },
		{ "tracefs", required_argument, NULL, 't' },
		{ "json", no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const char *tracefs_opt = NULL;
	int c, first;

	ctl.argc = argc;
	ctl.argv = argv;
	/* '+': stop at the command; its options are its own. */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+r:t:jphV", lopts, NULL)) != -1) {
		switch (c) {
		case 'r':
			ctl.root_opt = optarg;
			break;
		case 't':
			tracefs_opt = optarg;
			break;
		case 'j':
			ctl.json = true;
			break;
		case 'p':
			ctl.json = ctl.pretty = true;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		case 'V':
			printf("accelctl %s\n", ACCEL_VERSION);
			return EXIT_OK;
		default:
			if (optopt)
				return ctl_usage_err(NULL, "bad option '-%c'",
						     optopt);
			return ctl_usage_err(NULL, "bad option '%s'",
					     argv[optind - 1]);
		}
	}
	ctl.root = accel_debugfs_root(ctl.root_opt);
	ctl.tracefs = accel_tracefs_root(tracefs_opt);
	ctl.sysfs = accel_sysfs_root(NULL);
	ctl.proc = env_or("ACCEL_PROCFS", "/proc");
	ctl.devdir = env_or("ACCEL_DEVDIR", ACCEL_DEV_DIR);
	if (optind >= argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[optind], "help")) {
		usage(stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[optind], "version")) {
		printf("accelctl %s\n", ACCEL_VERSION);
		return EXIT_OK;
	}
	/* Each command parses its own options with getopt from index 1. */
	first = optind;
	optind = 0;
	return ctl_dispatch(top_cmds, "command", argc - first, argv + first);
}
