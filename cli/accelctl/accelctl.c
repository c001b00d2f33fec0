// SPDX-License-Identifier: MIT
/*
 * accelctl: drive accelsim devices. Global options, the top-level command
 * table and the prefix dispatcher shared by every level (bpftool style:
 * "accelctl dev l" is "accelctl device list").
 */
#include <errno.h>
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
	{ "doctor", cmd_doctor, "is SVA possible on this machine, and why not" },
	{ "monitor", cmd_monitor, "stream fault events as JSON lines" },
	{ NULL, NULL, NULL }
};

char *ctl_help_cmds(const char *text, const struct ctl_cmd *cmds)
{
	char *out = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&out, &size);

	if (!f)
		return NULL;
	fprintf(f, "%s\n\nCommands:\n", text ? text : "");
	for (; cmds->name; cmds++)
		fprintf(f, "  %-10s %s\n", cmds->name, cmds->summary);
	fclose(f);
	return out;
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

/* Long-only options (-t is run's --duration). */
enum {
	OPT_TRACEFS = 0x100,
};

static const struct argp_option options[] = {
	{ "root", 'r', "DIR", 0, "debugfs root of the driver (default "
	  "$ACCEL_DEBUGFS or " ACCEL_DEBUGFS_DEFAULT ")", 0 },
	{ "tracefs", OPT_TRACEFS, "DIR", 0, "tracefs root (default "
	  "$ACCEL_TRACEFS or " ACCEL_TRACEFS_DEFAULT ")", 0 },
	{ "json", 'j', NULL, 0, "JSON output (errors too, as {\"error\": "
	  "...})", 0 },
	{ "pretty", 'J', NULL, 0, "indented JSON (implies --json)", 0 },
	{ "help", 'h', NULL, 0, "this help", -1 },
	{ "version", 'V', NULL, 0, "print the version", -1 },
	{ 0 }
};

static const char doc[] =
"Drive accelsim devices: contexts, workloads, fault injection, devices and "
"support bundles. Commands may be abbreviated to any unambiguous prefix; "
"'accelctl COMMAND --help' for details.\v"
"The controls (device, inject, kernel contexts) are in sysfs under "
"$ACCEL_SYSFS or " ACCEL_SYSFS_DEFAULT ".\n\n"
"Exit status: 0 success, 1 runtime error, 2 usage error, 3 driver or "
"device missing, 4 data mismatch (run), 5 zombie (terminate), 7 SVA "
"not possible and 8 unknown (doctor), 9 write error on standard output. "
"See accelctl(8).";

static char *help_filter(int key, const char *text, void *input)
{
	if (key == ARGP_KEY_HELP_PRE_DOC)
		return ctl_help_cmds(text, top_cmds);
	return (char *)text;
}

struct top_args {
	const char *tracefs;
};

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct top_args *a = state->input;

	switch (key) {
	case 'r':
		ctl.root_opt = arg;
		break;
	case OPT_TRACEFS:
		a->tracefs = arg;
		break;
	case 'j':
		ctl.json = true;
		break;
	case 'J':
		ctl.json = ctl.pretty = true;
		break;
	case 'h':
		cli_arg_help(state, ARGP_HELP_STD_HELP);
	case 'V':
		cli_arg_version();
	default:
		/* ARGP_KEY_ARG, the command, ends the parse. */
		return cli_arg_default(key, state);
	}
	return 0;
}

static const struct argp argp = {
	options, parse_opt, "COMMAND [ARGS...]", doc, NULL, help_filter, NULL
};

static const char *env_or(const char *name, const char *def)
{
	const char *v = getenv(name);

	return v && *v ? v : def;
}

static int ctl_main(int argc, char **argv)
{
	struct top_args a = { NULL };
	int ret, first = argc;

	ctl.argc = argc;
	ctl.argv = argv;
	cli_arg_reporter(ctl_usage_report);
	ret = cli_argp_parse(&argp, "accelctl", argc, argv, ARGP_IN_ORDER,
			     &first, &a);
	if (ret)
		return ret;
	ctl.root = accel_debugfs_root(ctl.root_opt);
	ctl.tracefs = accel_tracefs_root(a.tracefs);
	ctl.sysfs = accel_sysfs_root(NULL);
	ctl.proc = env_or("ACCEL_PROCFS", "/proc");
	ctl.devdir = env_or("ACCEL_DEVDIR", ACCEL_DEV_DIR);
	if (first >= argc) {
		argp_help(&argp, stderr, ARGP_HELP_STD_HELP, "accelctl");
		return EXIT_USAGE;
	}
	if (!strcmp(argv[first], "help")) {
		argp_help(&argp, stdout, ARGP_HELP_STD_HELP, "accelctl");
		return EXIT_OK;
	}
	if (!strcmp(argv[first], "version")) {
		printf("accelctl %s\n", ACCEL_VERSION);
		return EXIT_OK;
	}
	return ctl_dispatch(top_cmds, "command", argc - first, argv + first);
}

int main(int argc, char **argv)
{
	return cli_stdout_close("accelctl", ctl_main(argc, argv));
}
