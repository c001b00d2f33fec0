// SPDX-License-Identifier: MIT
/*
 * accelstat: state, rates and health of accelsim devices, read from the
 * driver's debugfs views. Command line and dispatch to the modes.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accelstat.h"
#include "args.h"

const char *argp_program_bug_address = "<accel-devel@lists.example.org>";

enum {
	OPT_CHECK = 0x100,
	OPT_PROM,
	OPT_CONFIG,
	OPT_WARN,
	OPT_CRIT,
	OPT_BUNDLE,
	OPT_WINDOW,
	OPT_STATE_DIR,
	OPT_USAGE,
	OPT_IDXD,
	OPT_SYSROOT,
	OPT_IOMMU,
};

static const struct argp_option options[] = {
	{ NULL, 0, NULL, 0, "Selection:", 1 },
	{ "root", 'r', "DIR", 0, "debugfs root of the driver (default "
	  "$ACCEL_DEBUGFS or " ACCEL_DEBUGFS_DEFAULT ")", 1 },
	{ "device", 'd', "DEV", 0, "Only device DEV (afuN or N)", 1 },
	{ "bundle", OPT_BUNDLE, "FILE", 0, "Read the snapshot in a support "
	  "bundle (accelctl dump) instead of the live driver", 1 },
	{ "idxd", OPT_IDXD, NULL, 0, "Show the Intel DSA/IAA (idxd) devices, "
	  "groups, work queues and engines instead of accelsim's (text, "
	  "--json or --prometheus)", 1 },
	{ "iommu", OPT_IOMMU, "SEC", 0, "Show the Intel IOMMU invalidations "
	  "over the next SEC seconds, per IOMMU unit and descriptor type, "
	  "with submission latency histograms (BPF, root; text, --json or "
	  "--prometheus)", 1 },
	{ "sysroot", OPT_SYSROOT, "DIR", 0, "Read the idxd sysfs under DIR "
	  "(default $ACCEL_PLATFORM_ROOT, else /)", 1 },
	{ NULL, 0, NULL, 0, "Snapshot tables (instead of the summary):", 2 },
	{ "contexts", 'c', NULL, 0, "SPA rows: one per process element", 2 },
	{ "pasids", 'p', NULL, 0, "PASIDs and their states", 2 },
	{ "faults", 'f', NULL, 0, "Pending translation faults", 2 },
	{ "irqs", 'q', NULL, 0, "Allocated IRQ ranges", 2 },
	{ "atc", 'a', NULL, 0, "What each device has translated: its ATC "
	  "entries (with --json, adds each device's \"atc\" rows)", 2 },
	{ "json", 'j', NULL, 0, "JSON output (schema_version 2; every view, "
	  "whatever -c/-p/-f/-q; the ATC rows with -a)", 2 },
	{ NULL, 0, NULL, 0, "Interval mode:", 3 },
	{ "interval", 'i', "SEC", 0, "Report per-interval rates and deltas "
	  "every SEC seconds (decimals allowed)", 3 },
	{ "count", 'n', "COUNT", 0, "Stop after COUNT reports (default: "
	  "until interrupted)", 3 },
	{ NULL, 0, NULL, 0, "Health check (Nagios plugin; exit 0 OK, 1 "
	  "WARNING, 2 CRITICAL, 3 UNKNOWN):", 4 },
	{ "check", OPT_CHECK, NULL, 0, "Print one status line with perfdata",
	  4 },
	{ "warn", OPT_WARN, "NAME=VAL[,...]", 0, "WARNING threshold(s); "
	  "repeatable", 4 },
	{ "crit", OPT_CRIT, "NAME=VAL[,...]", 0, "CRITICAL threshold(s); "
	  "repeatable", 4 },
	{ "config", OPT_CONFIG, "FILE", 0, "Threshold file (default "
	  ACCEL_HEALTH_CONF ", used if present)", 4 },
	{ "window", OPT_WINDOW, "TIME", 0, "Judge fault_error_rate, fault_p99 "
	  "and tlbi_p99 over the last TIME (300, 90s, 5m, 1h; default 5m; "
	  "off: since module load)", 4 },
	{ "state-dir", OPT_STATE_DIR, "DIR", 0, "Keep the window's readings "
	  "in DIR (default $ACCEL_STATE_DIR or " ACCEL_STATE_DIR_DEFAULT ")",
	  4 },
	{ NULL, 0, NULL, 0, "Prometheus:", 5 },
	{ "prometheus", OPT_PROM, NULL, 0, "node_exporter textfile format", 5 },
	{ "output", 'o', "FILE", 0, "Write to FILE atomically (temp file and "
	  "rename) instead of stdout", 5 },
	/* argp's own -?/--help, --usage and -V/--version, and -h */
	{ "help", '?', NULL, 0, "Give this help list", -1 },
	{ NULL, 'h', NULL, OPTION_HIDDEN, "Give this help list", -1 },
	{ "usage", OPT_USAGE, NULL, 0, "Give a short usage message", -1 },
	{ "version", 'V', NULL, 0, "Print program version", -1 },
	{ 0 }
};

static const char doc[] =
"Show the state of accelsim devices: geometry, SPA and PASID usage, pending "
"faults, IRQ budget, counters and fault/TLBI latency percentiles.\v"
"Thresholds (NAME: default warn/crit): fault_age 1s/5s (oldest pending "
"fault), fault_error_rate 1%/5% (address_error / acked faults), "
"fault_p99 10ms/100ms, tlbi_p99 1ms/10ms, spa_usage 80%/95%, irq_usage "
"80%/95%, zombies 0/4. A value above a threshold (>) trips it, as the "
"perfdata ranges say (Nagios plugin range semantics); 'off' "
"disables it. Precedence: defaults, then the config file (lines "
"NAME_warn = VAL, NAME_crit = VAL, window = TIME), then --warn/--crit "
"and --window. fault_error_rate, fault_p99 and tlbi_p99 judge the last "
"window (5m), from readings kept in the state directory; until it holds "
"one a window old (first run, new device, module reload, reboot), and "
"with --bundle, they judge everything since the device was created.\n\n"
"Exit status: 0 success, 1 runtime error (unreadable or malformed view, "
"device not found), 2 usage error, 3 driver not available (debugfs root "
"missing), 9 write error on standard output (with --check too). With "
"--check: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN; the "
"module not being loaded is CRITICAL, an unmounted debugfs or a bad "
"view or config is UNKNOWN.\n\n"
"With --bundle, every mode but -i reads the views saved in an accelctl "
"dump bundle, as they were when it was taken; a view the bundle lacks is "
"named on standard error and shown empty. A file that is not a readable "
"bundle is a runtime error (exit 1).\n\n"
"Environment: ACCEL_DEBUGFS overrides the debugfs root. See accelstat(8).";

static struct stat_opts opts;

void stat_err(const char *fmt, ...)
{
	va_list ap;

	fputs("accelstat: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	char *end;

	switch (key) {
	case 'r':
		opts.root = arg;
		break;
	case OPT_BUNDLE:
		opts.bundle_path = arg;
		break;
	case 'd':
		if (accel_parse_dev_name(arg, &opts.dev))
			return cli_arg_error(state, "bad device '%s' (afuN or "
					     "N)", arg);
		opts.has_dev = true;
		break;
	case 'c':
		opts.contexts = true;
		break;
	case 'p':
		opts.pasids = true;
		break;
	case 'f':
		opts.faults = true;
		break;
	case 'q':
		opts.irqs = true;
		break;
	case 'a':
		opts.atc = true;
		break;
	case 'j':
		opts.json = true;
		break;
	case OPT_IDXD:
		opts.idxd = true;
		break;
	case OPT_SYSROOT:
		opts.sysroot = arg;
		break;
	case OPT_IOMMU:
		errno = 0;
		opts.iommu_secs = strtod(arg, &end);
		if (errno || *end || end == arg ||
		    !isfinite(opts.iommu_secs) || opts.iommu_secs < 0.01 ||
		    opts.iommu_secs > 86400)
			return cli_arg_error(state, "--iommu needs a number of "
					     "seconds (0.01 to 86400)");
		opts.iommu = true;
		break;
	case 'i':
		errno = 0;
		opts.interval = strtod(arg, &end);
		if (errno || *end || end == arg || !isfinite(opts.interval) ||
		    opts.interval < 0.01 || opts.interval > 86400)
			return cli_arg_error(state, "bad interval '%s' "
					     "(seconds, 0.01..86400)", arg);
		opts.interval_set = true;
		break;
	case 'n':
		errno = 0;
		opts.count = strtol(arg, &end, 10);
		if (errno || *end || end == arg || opts.count < 1)
			return cli_arg_error(state, "bad count '%s' (1 or "
					     "more)", arg);
		break;
	case OPT_CHECK:
		opts.check = true;
		break;
	case OPT_PROM:
		opts.prom = true;
		break;
	case 'o':
		opts.output = arg;
		break;
	case OPT_CONFIG:
		opts.config = arg;
		break;
	case OPT_WINDOW: {
		struct accel_health h;
		char msg[160];

		if (accel_health_set_window(&h, arg, msg, sizeof(msg)))
			return cli_arg_error(state, "%s", msg);
		opts.window = arg;
		break;
	}
	case OPT_STATE_DIR:
		if (!*arg)
			return cli_arg_error(state, "empty --state-dir");
		opts.state_dir = arg;
		break;
	case OPT_WARN:
	case OPT_CRIT:
		/*
		 * Checked by --check itself, so a bad threshold is an
		 * "ACCEL UNKNOWN" status line on stdout for the monitor.
		 */
		if (key == OPT_WARN && opts.nwarn < MAX_THRESHOLD_ARGS)
			opts.warn[opts.nwarn++] = arg;
		else if (key == OPT_CRIT && opts.ncrit < MAX_THRESHOLD_ARGS)
			opts.crit[opts.ncrit++] = arg;
		else
			return cli_arg_error(state, "too many --warn/--crit "
					     "options");
		break;
	case '?':
	case 'h':
		cli_arg_help(state, ARGP_HELP_STD_HELP);
	case OPT_USAGE:
		cli_arg_help(state, ARGP_HELP_USAGE);
	case 'V':
		cli_arg_version();
	case ARGP_KEY_ARG:
		return cli_arg_error(state, "unexpected argument '%s'", arg);
	case ARGP_KEY_END:
		if (opts.check + opts.prom + opts.interval_set > 1)
			return cli_arg_error(state, "--check, --prometheus "
					     "and -i are exclusive");
		if (opts.count && !opts.interval_set)
			return cli_arg_error(state, "-n needs -i");
		if (opts.output && !opts.prom)
			return cli_arg_error(state, "-o needs --prometheus");
		if ((opts.nwarn || opts.ncrit || opts.config ||
		     opts.window || opts.state_dir) && !opts.check)
			return cli_arg_error(state, "--warn, --crit, --config, "
					     "--window and --state-dir need "
					     "--check");
		if ((opts.json || opts.contexts || opts.pasids ||
		     opts.faults || opts.irqs || opts.atc) &&
		    (opts.check || opts.prom))
			return cli_arg_error(state, "--json and -c/-p/-f/-q/-a "
					     "do not apply to --check or "
					     "--prometheus");
		if ((opts.contexts || opts.pasids || opts.faults ||
		     opts.irqs || opts.atc) && opts.interval_set)
			return cli_arg_error(state, "-c/-p/-f/-q/-a do not "
					     "apply to -i");
		if (opts.bundle_path && (opts.interval_set || opts.root))
			return cli_arg_error(state, "--bundle does not apply "
					     "to -i or --root");
		if (opts.idxd && (opts.check || opts.interval_set ||
				  (opts.bundle_path && opts.sysroot) ||
				  opts.root ||
				  opts.has_dev || opts.contexts ||
				  opts.pasids || opts.faults || opts.irqs ||
				  opts.atc))
			return cli_arg_error(state, "--idxd applies to the "
					     "snapshot, --json and "
					     "--prometheus only (--bundle "
					     "or --sysroot)");
		if (opts.iommu && (opts.check || opts.interval_set ||
				   opts.bundle_path || opts.idxd ||
				   opts.sysroot || opts.root ||
				   opts.has_dev || opts.contexts ||
				   opts.pasids || opts.faults || opts.irqs ||
				   opts.atc))
			return cli_arg_error(state, "--iommu applies to the "
					     "text, --json and --prometheus "
					     "only");
		if (opts.bundle_path && (opts.window || opts.state_dir))
			return cli_arg_error(state, "--window and --state-dir "
					     "do not apply to --bundle (a "
					     "bundle has no history)");
		break;
	default:
		return cli_arg_default(key, state);
	}
	return 0;
}

static const struct argp argp = {
	options, parse_opt, NULL, doc, NULL, NULL, NULL
};

/* A usage error in check mode: the plugin's UNKNOWN line, on stdout. */
static void check_usage_error(const char *prog, const char *msg)
{
	printf("ACCEL UNKNOWN - %s\n", msg);
	fprintf(stderr, "%s: %s (see %s --help)\n", prog, msg, prog);
}

/* Whether the command line asks for check mode (--check, or --check=X). */
static bool wants_check(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "--check") ||
		    !strncmp(argv[i], "--check=", 8))
			return true;
	return false;
}

static int stat_main(int argc, char **argv)
{
	bool check = wants_check(argc, argv);
	int ret;

	/* Usage errors are UNKNOWN (3) for a monitoring plugin. */
	if (check)
		cli_arg_reporter(check_usage_error);
	ret = cli_argp_parse(&argp, "accelstat", argc, argv, 0, NULL, NULL);
	if (ret)
		return check ? CHECK_UNKNOWN : ret;
	if (opts.bundle_path)
		return stat_bundle(&opts);
	opts.root = accel_debugfs_root(opts.root);
	return stat_run(&opts);
}

int main(int argc, char **argv)
{
	return cli_stdout_close("accelstat", stat_main(argc, argv));
}

int stat_run(const struct stat_opts *o)
{
	struct stat_snap snap;
	char msg[1024];
	bool missing;
	int ret;

	if (o->check)
		return stat_check(o);
	if (o->prom)
		return stat_prometheus(o);
	if (o->interval_set)
		return stat_interval(o);
	if (o->iommu)
		return stat_iommu(o);
	if (o->idxd)
		return stat_idxd(o);

	ret = stat_load(o, &snap, msg, sizeof(msg), &missing);
	switch (ret) {
	case LOAD_OK:
		break;
	case LOAD_NODRIVER:
		/* A machine with idxd and no accelsim: show what it has. */
		if (!o->has_dev && !o->contexts && !o->pasids && !o->faults &&
		    !o->irqs && !o->atc && stat_idxd_present(o)) {
			stat_err("accelsim not loaded (%s); showing the idxd "
				 "devices", msg);
			return stat_idxd_show(o, msg);
		}
		stat_err("%s", msg);
		return EXIT_NODRIVER;
	default:
		stat_err("%s", msg);
		return EXIT_ERROR;
	}
	ret = stat_snapshot(o, &snap);
	stat_snap_free(&snap);
	return ret;
}
