// SPDX-License-Identifier: MIT
/*
 * accelctl dump: the subcommand. libaccel collects, redacts and writes
 * the bundle (accel_bundle_write.h); this file parses the options and
 * reports progress and the result. Layout and manifest: accel_bundle.h,
 * accelctl(8).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accel_bundle_write.h"
#include "accel_json.h"
#include "accelctl.h"

enum { OPT_REDACT = 0x100, OPT_SINCE, OPT_TIMEOUT, OPT_INSPECT };

static const struct argp_option dump_options[] = {
	{ "output", 'o', "FILE", 0, "bundle path (default "
	  "accel-bundle-HOST-TIME.tar.gz)", 0 },
	{ "redact", OPT_REDACT, NULL, 0, "replace pids, comms, addresses, the "
	  "host name, private paths, command lines and uids by pseudonyms; the "
	  "map goes to FILE.redact-map (0600)", 0 },
	{ "since", OPT_SINCE, "SEC", 0, "only trace events of the last SEC "
	  "seconds", 0 },
	{ "timeout", OPT_TIMEOUT, "SEC", 0, "deadline of each read (default 5)",
	  0 },
	{ "inspect", OPT_INSPECT, "FILE", 0, "summarise a bundle (as 'accelctl "
	  "inspect')", 0 },
	{ 0 }
};

static const char dump_doc[] =
"Write a support bundle: a tar.gz (mode 0600) holding manifest.json, every "
"debugfs view of every device, a JSON snapshot, the driver's kernel log "
"lines, recent accelsim trace events, the module parameters, the /proc "
"status of each context's process and the inject/ knobs (from sysfs). A "
"section that cannot be read is marked failed in the manifest; the others "
"are still written.";

struct dump_args {
	const char *output;
	const char *inspect;
	struct accel_dump_opts o;
};

static error_t dump_opt(int key, char *arg, struct argp_state *state)
{
	struct dump_args *a = state->input;
	double v;

	switch (key) {
	case 'o':
		a->output = arg;
		break;
	case OPT_REDACT:
		a->o.redact = true;
		break;
	case OPT_SINCE:
		if (ctl_parse_seconds(arg, &v))
			return cli_arg_error(state, "bad --since '%s' "
					     "(seconds)", arg);
		a->o.since_s = v;
		break;
	case OPT_TIMEOUT:
		if (ctl_parse_seconds(arg, &v) || v < 0.01 || v > 3600)
			return cli_arg_error(state, "bad --timeout '%s' "
					     "(0.01..3600 seconds)", arg);
		a->o.timeout_ms = (int)(v * 1000);
		break;
	case OPT_INSPECT:
		a->inspect = arg;
		break;
	default:
		return cli_arg_default(key, state);
	}
	return 0;
}

static const struct argp dump_argp = CTL_LEAF_ARGP(dump_options, dump_opt,
						   NULL, dump_doc);

int cmd_dump(int argc, char **argv)
{
	struct dump_args a = { .o = { .timeout_ms = 5000, .since_s = -1 } };
	char out[4096], msg[8192] = "", mapfile[4200];
	struct accel_dump d;
	int ret, k, failed;

	ret = ctl_parse(&dump_argp, "dump", argc, argv, NULL, &a);
	if (ret)
		return ret;
	if (a.inspect) {
		if (a.output || a.o.redact || a.o.since_s >= 0)
			return ctl_usage_err("dump", "--inspect takes no other "
					     "dump option");
		return cmd_inspect_file(a.inspect);
	}
	a.o.root = ctl.root;
	a.o.tracefs = ctl.tracefs;
	a.o.sysfs = ctl.sysfs;
	a.o.proc = ctl.proc;
	a.o.tool = "accelctl";
	a.o.argc = ctl.argc;
	a.o.argv = ctl.argv;
	accel_dump_init(&d, &a.o);
	if (a.output)
		snprintf(out, sizeof(out), "%s", a.output);
	else
		snprintf(out, sizeof(out), "%s.tar.gz", d.top);

	for (k = 0; k < ACCEL_SEC_NR; k++) {
		ctl_progress("dump", (double)k / ACCEL_SEC_NR, d.sec[k].name);
		accel_dump_collect(&d, k);
	}
	if (a.o.redact) {
		ctl_progress("dump", 0.9, "redact");
		if (accel_dump_redact(&d)) {
			ctl_progress_done();
			accel_dump_free(&d);
			return ctl_fail(EXIT_ERROR, "redaction failed: out of "
					"memory");
		}
	}
	ctl_progress("dump", 0.95, "write");
	ret = accel_dump_write(&d, out, msg, sizeof(msg));
	ctl_progress_done();
	if (ret) {
		accel_dump_free(&d);
		return ctl_fail(EXIT_ERROR, "cannot write the bundle: %s", msg);
	}
	if (a.o.redact) {
		snprintf(mapfile, sizeof(mapfile), "%s.redact-map", out);
		ret = accel_dump_write_map(&d, mapfile, out);
		if (ret) {
			accel_dump_free(&d);
			return ctl_fail(EXIT_ERROR, "%s: %s", mapfile,
					strerror(-ret));
		}
	}
	if (ctl.json) {
		json_object *j = json_object_new_object();

		accel_json_str(j, "bundle", out);
		if (a.o.redact)
			accel_json_str(j, "redact_map", mapfile);
		accel_json_u64(j, "files", accel_dump_nfiles(&d));
		json_object_object_add(j, "sections",
				       accel_dump_sections_json(&d));
		accel_dump_free(&d);
		return ctl_json_emit(j);
	}
	failed = accel_dump_nfailed(&d);
	printf("bundle written to %s (%zu files", out, accel_dump_nfiles(&d));
	if (failed)
		printf(", %d section(s) failed", failed);
	printf(")\n");
	for (k = 0; k < ACCEL_SEC_NR; k++)
		if (!d.sec[k].ok)
			printf("  %s: failed: %s\n", d.sec[k].name,
			       d.sec[k].error);
	if (a.o.redact)
		printf("redaction map (keep private) written to %s\n", mapfile);
	accel_dump_free(&d);
	return EXIT_OK;
}
