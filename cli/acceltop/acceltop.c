// SPDX-License-Identifier: MIT
/*
 * acceltop: live view of accelsim devices: per-device and per-context
 * fault, TLBI, IRQ and byte rates with fault and TLBI latency percentiles,
 * from BPF programs on the driver's tracepoints, or failing that from the
 * tracefs event stream or the debugfs counters. Command line and dispatch.
 */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "accel_events.h"
#include "acceltop.h"
#include "args.h"

volatile sig_atomic_t at_quit;

static void on_signal(int sig)
{
	at_quit = sig;
}

enum {
	OPT_NO_COLOR = 0x100,
	OPT_DELAY,
	OPT_SOURCE,
	OPT_SORT,
	OPT_REVERSE,
	OPT_FILTER,
	OPT_GROUP,
	OPT_IOMMU,
};

/* The options; usage() below is the help text that explains them. */
static const struct argp_option options[] = {
	{ "interval", 'i', "SEC", 0, NULL, 0 },
	{ "delay", OPT_DELAY, "SEC", 0, NULL, 0 },
	{ "device", 'd', "DEV", 0, NULL, 0 },
	{ "batch", 'b', NULL, 0, NULL, 0 },
	{ "iterations", 'n', "N", 0, NULL, 0 },
	{ "json", 'j', NULL, 0, NULL, 0 },
	{ "no-color", OPT_NO_COLOR, NULL, 0, NULL, 0 },
	{ "source", OPT_SOURCE, "SRC", 0, NULL, 0 },
	{ "root", 'r', "DIR", 0, NULL, 0 },
	{ "sort", OPT_SORT, "KEY", 0, NULL, 0 },
	{ "reverse", OPT_REVERSE, NULL, 0, NULL, 0 },
	{ "filter", OPT_FILTER, "TEXT", 0, NULL, 0 },
	{ "group", OPT_GROUP, "LEVEL", 0, NULL, 0 },
	{ "iommu", OPT_IOMMU, NULL, 0, NULL, 0 },
	{ "help", 'h', NULL, 0, NULL, 0 },
	{ "version", 'V', NULL, 0, NULL, 0 },
	{ 0 }
};

static void usage(FILE *f)
{
	fprintf(f,
"Usage: acceltop [OPTION]...\n"
"Live view of accelsim devices: per device and per context, fault, TLBI,\n"
"IRQ and byte rates, fault and TLBI latency percentiles and histograms.\n"
"\n"
"  -i, --interval=SEC   refresh every SEC seconds (default 1; 0.1 to 3600,\n"
"                       fractions allowed; --delay is an old name of it)\n"
"  -d, --device=DEV     only device DEV (afuN or N); the d key moves on\n"
"  -b, --batch          print refreshes as text instead of the screen\n"
"  -n, --iterations=N   stop after N refreshes (default: until quit)\n"
"  -j, --json           batch output as JSON lines, one object per refresh\n"
"                       (implies --batch)\n"
"      --no-color       no colours on the screen (also when $NO_COLOR is set)\n"
"      --source=SRC     auto (default), bpf-btf, bpf-tp, tracefs or debugfs\n"
"  -r, --root=DIR       driver debugfs root (default $ACCEL_DEBUGFS or\n"
"                       " ACCEL_DEBUGFS_DEFAULT ")\n"
"      --sort=KEY       sort contexts by pe (default), pasid, pid, comm,\n"
"                       faults, fault_p99, tlbis, tlbi_p99, irqs or mbs\n"
"      --reverse        reverse the sort order\n"
"      --filter=TEXT    only rows whose comm or state contains TEXT, or\n"
"                       whose pid, pasid or pe is TEXT\n"
"      --group=LEVEL    a row per context (default), pasid or process\n"
"      --iommu          add the Intel IOMMU panel: invalidation descriptors\n"
"                       per IOMMU unit and type (intel_iommu:qi_submit) and\n"
"                       qi_submit_sync latency p50/p99, from BPF\n"
"  -h, --help           show this help and exit\n"
"  -V, --version        show the version and exit\n"
"\n"
"Sources: auto tries bpf-btf (BPF on tp_btf, needs " ACCEL_MODULE_BTF "),\n"
"bpf-tp (BPF on tracepoint/" ACCEL_EVENT_SYSTEM "), tracefs (event stream read with\n"
"libtracefs; $ACCEL_TRACEFS overrides the tracefs root), then debugfs\n"
"(the driver's stats and spa counters; no per-context latency), and says\n"
"on screen and on stderr why a faster source was not used.\n"
"\n"
"Keys: arrows/PgUp/PgDn move, s or F6 next sort column, r reverse, / filter,\n"
"d pick device, g group by context, PASID or process, H histogram panel,\n"
"p or space pause, h or ? help, q, F10 or Esc quit.\n"
"\n"
"Exit status: 0 success, 1 runtime error, 2 usage error, 3 driver not\n"
"available (debugfs root missing), 6 the --source asked for cannot run,\n"
"9 write error on standard output.\n"
"See acceltop(8).\n");
}

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct at_opts *o = state->input;
	char *end;

	switch (key) {
	case 'i':
	case OPT_DELAY:
		errno = 0;
		o->delay = strtod(arg, &end);
		if (errno || end == arg || *end || !isfinite(o->delay) ||
		    o->delay < 0.1 || o->delay > 3600)
			return cli_arg_error(state, "invalid interval '%s': "
					     "0.1 to 3600 seconds", arg);
		break;
	case 'd':
		if (accel_parse_dev_name(arg, &o->device))
			return cli_arg_error(state, "invalid device '%s': "
					     "afuN or N", arg);
		o->has_device = true;
		break;
	case 'b':
		o->batch = true;
		break;
	case 'n':
		errno = 0;
		o->count = strtol(arg, &end, 10);
		if (errno || end == arg || *end || o->count < 1)
			return cli_arg_error(state, "invalid iteration count "
					     "'%s'", arg);
		break;
	case 'j':
		o->json = true;
		o->batch = true;
		break;
	case OPT_NO_COLOR:
		o->color = false;
		break;
	case OPT_SOURCE:
		if (at_source_parse(arg, &o->source))
			return cli_arg_error(state, "invalid source '%s': auto, "
					     "bpf-btf, bpf-tp, tracefs or "
					     "debugfs", arg);
		break;
	case 'r':
		o->root = arg;
		break;
	case OPT_SORT:
		if (at_sort_parse(arg, &o->sort))
			return cli_arg_error(state, "invalid sort key '%s'",
					     arg);
		break;
	case OPT_REVERSE:
		o->reverse = true;
		break;
	case OPT_FILTER:
		o->filter = arg;
		break;
	case OPT_IOMMU:
		o->iommu = true;
		break;
	case OPT_GROUP:
		if (at_group_parse(arg, &o->group))
			return cli_arg_error(state, "invalid group '%s': "
					     "context, pasid or process", arg);
		break;
	case 'h':
		usage(stdout);
		exit(EXIT_OK);
	case 'V':
		cli_arg_version();
	case ARGP_KEY_ARG:
		return cli_arg_error(state, "unexpected argument '%s'", arg);
	default:
		return cli_arg_default(key, state);
	}
	return 0;
}

static const struct argp argp = {
	.options = options,
	.parser = parse_opt,
};

static int top_main(int argc, char **argv)
{
	struct at_opts o = {
		.delay = 1.0, .color = true, .source = AT_SRC_AUTO,
	};
	struct at_source src = { 0 };
	struct sigaction sa = { 0 };
	char err[1024];
	int ret;

	ret = cli_argp_parse(&argp, "acceltop", argc, argv, 0, NULL, &o);
	if (ret)
		return ret;
	if (getenv("NO_COLOR") && *getenv("NO_COLOR"))
		o.color = false;
	if (!o.batch && (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))) {
		fprintf(stderr, "acceltop: not a terminal; use -b for batch "
			"mode (see acceltop --help)\n");
		return EXIT_USAGE;
	}
	o.root = accel_debugfs_root(o.root);
	src.root = o.root;
	src.tracefs = getenv("ACCEL_TRACEFS");
	if (src.tracefs && !*src.tracefs)
		src.tracefs = NULL;

	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	ret = at_source_open(&src, o.source, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "acceltop: %s\n", err);
		return ret;
	}
	if (src.why[0])
		fprintf(stderr, "acceltop: using %s: %s\n",
			at_source_name(src.kind), src.why);
	if (o.iommu)
		at_iommu_open(src.tracefs);
	if (o.batch)
		ret = at_run_batch(&src, &o);
	else
		ret = at_run_ui(&src, &o);
	at_iommu_close();
	at_source_close(&src);
	if (getenv("ACCEL_DEBUG_READS")) {
		const struct at_reads *r = at_view_reads();

		fprintf(stderr, "acceltop: reads gen %lu info %lu spa %lu "
			"stats %lu\n", r->gen, r->info, r->spa, r->stats);
	}
	at_view_cache_free();
	return ret;
}

int main(int argc, char **argv)
{
	return cli_stdout_close("acceltop", top_main(argc, argv));
}
