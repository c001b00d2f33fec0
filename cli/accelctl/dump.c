// SPDX-License-Identifier: MIT
/*
 * accelctl dump: collect a support bundle and write it as a tar.gz (mode
 * 0600) with libarchive. Layout and manifest: accel_bundle.h, accelctl(8).
 */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "accel_json.h"
#include "accelctl.h"
#include "dump.h"

enum { OPT_REDACT = 0x100, OPT_SINCE, OPT_TIMEOUT, OPT_INSPECT };

static const struct argp_option dump_options[] = {
	{ "output", 'o', "FILE", 0, "bundle path (default "
	  "accel-bundle-HOST-TIME.tar.gz)", 0 },
	{ "redact", OPT_REDACT, NULL, 0, "replace pids, comms and addresses by "
	  "pseudonyms; the map goes to FILE.redact-map (0600)", 0 },
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
	struct dump_opts o;
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

void dump_snapshot(struct accel_bundle *b, struct dump_section *s)
{
	unsigned int ids[ACCEL_MAX_DEVS];
	json_object *top, *devs;
	struct accel_summary sum;
	struct accel_err err;
	struct accel_dev *d;
	const char *txt;
	int n, i, nd = 0, ret;

	/* The devices outlive the object: its rows print from their views. */
	n = accel_bundle_devices(b, ids, ACCEL_MAX_DEVS);
	d = calloc(n > 0 ? (size_t)n : 1, sizeof(*d));
	if (!d) {
		dump_section_fail(s, "snapshot.json: %s", strerror(ENOMEM));
		return;
	}
	top = json_object_new_object();
	accel_json_u64(top, "schema_version", ACCEL_JSON_SCHEMA_VERSION);
	accel_json_str(top, "tool", "accelctl");
	accel_json_str(top, "version", ACCEL_VERSION);
	accel_json_str(top, "root", ctl.root);
	accel_json_u64(top, "time_unix_s", (uint64_t)time(NULL));
	devs = json_object_new_array();
	for (i = 0; i < n; i++) {
		if (accel_bundle_load_dev(b, ids[i], &d[nd], &err)) {
			dump_section_fail(s, "%s", err.msg);
			continue;
		}
		accel_dev_summarize(&d[nd], &sum);
		json_object_array_add(devs, accel_json_dev(&d[nd], &sum));
		nd++;
	}
	json_object_object_add(top, "devices", devs);
	txt = json_object_to_json_string_ext(top, JSON_C_TO_STRING_PRETTY |
					     JSON_C_TO_STRING_NOSLASHESCAPE);
	ret = accel_bundle_add(b, "snapshot.json", txt, strlen(txt));
	if (ret)
		dump_section_fail(s, "snapshot.json: %s", strerror(-ret));
	json_object_put(top);
	for (i = 0; i < nd; i++)
		accel_dev_free(&d[i]);
	free(d);
}

/* The module's version file, else the info version of a device. */
static void driver_version(json_object *m, const struct accel_bundle *b)
{
	unsigned int ids[1];
	struct accel_err err;
	struct accel_dev d;
	char *ver = NULL;
	size_t len;

	if (!accel_read_file("/sys/module/accelsim/version", &ver, &len)) {
		ver[strcspn(ver, "\n")] = '\0';
		accel_json_str(m, "driver_version", ver);
		free(ver);
	} else if (accel_bundle_devices(b, ids, 1) == 1 &&
		   !accel_bundle_load_dev(b, ids[0], &d, &err)) {
		accel_json_str(m, "driver_version", d.info.version);
		accel_dev_free(&d);
	} else {
		json_object_object_add(m, "driver_version", NULL);
	}
}

static json_object *manifest(const struct accel_bundle *b,
			     const struct dump_section *secs, int nsec,
			     const struct dump_args *a, struct redact *r)
{
	json_object *m = json_object_new_object(), *arr, *o;
	char host[256] = "", tbuf[64], *w;
	struct utsname u;
	time_t now = time(NULL);
	struct tm tm;
	size_t i;
	int k;

	accel_json_str(m, "format", ACCEL_BUNDLE_FORMAT);
	accel_json_u64(m, "format_version", ACCEL_BUNDLE_VERSION);
	accel_json_str(m, "tool", "accelctl");
	accel_json_str(m, "tool_version", ACCEL_VERSION);
	driver_version(m, b);
	o = json_object_new_object();
	if (!uname(&u)) {
		accel_json_str(o, "sysname", u.sysname);
		accel_json_str(o, "release", u.release);
		accel_json_str(o, "version", u.version);
		accel_json_str(o, "machine", u.machine);
	}
	json_object_object_add(m, "kernel", o);
	gethostname(host, sizeof(host) - 1);
	accel_json_str(m, "host", host);
	accel_json_u64(m, "time_unix_s", (uint64_t)now);
	gmtime_r(&now, &tm);
	strftime(tbuf, sizeof(tbuf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	accel_json_str(m, "time_utc", tbuf);
	arr = json_object_new_array();
	for (k = 0; k < ctl.argc; k++) {
		w = r ? redact_text(r, ctl.argv[k]) : NULL;
		json_object_array_add(arr, json_object_new_string(
			w ? w : ctl.argv[k]));
		free(w);
	}
	json_object_object_add(m, "command_line", arr);
	accel_json_str(m, "debugfs_root", ctl.root);
	accel_json_str(m, "tracefs_root", ctl.tracefs);
	json_object_object_add(m, "redacted",
			       json_object_new_boolean(a->o.redact));
	if (a->o.since_s >= 0)
		accel_json_double(m, "since_s", a->o.since_s);
	else
		json_object_object_add(m, "since_s", NULL);
	arr = json_object_new_array();
	for (k = 0; k < nsec; k++) {
		o = json_object_new_object();
		accel_json_str(o, "name", secs[k].name);
		accel_json_str(o, "status", secs[k].ok ? "ok" : "failed");
		if (!secs[k].ok)
			accel_json_str(o, "error", secs[k].error);
		json_object_array_add(arr, o);
	}
	json_object_object_add(m, "sections", arr);
	arr = json_object_new_array();
	for (i = 0; i < b->nfiles; i++) {
		o = json_object_new_object();
		accel_json_str(o, "path", b->files[i].path);
		accel_json_u64(o, "size", b->files[i].len);
		json_object_array_add(arr, o);
	}
	json_object_object_add(m, "files", arr);
	return m;
}

static int add_entry(struct archive *ar, const char *top, const char *path,
		     const char *data, size_t len, time_t mtime)
{
	struct archive_entry *e = archive_entry_new();
	char name[1200];
	int ret = 0;

	if (!e)
		return -ENOMEM;
	snprintf(name, sizeof(name), "%s/%s", top, path);
	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, data ? AE_IFREG : AE_IFDIR);
	archive_entry_set_perm(e, data ? 0600 : 0700);
	archive_entry_set_size(e, data ? (la_int64_t)len : 0);
	archive_entry_set_mtime(e, mtime, 0);
	if (archive_write_header(ar, e) != ARCHIVE_OK)
		ret = -EIO;
	else if (data && len &&
		 archive_write_data(ar, data, len) != (la_ssize_t)len)
		ret = -EIO;
	archive_entry_free(e);
	return ret;
}

/* Write manifest + files to path via a temporary file and rename. */
static int write_bundle(const char *path, const char *top, const char *man,
			const struct accel_bundle *b, char *msg, size_t size)
{
	struct archive *ar;
	char tmp[4200];
	time_t now = time(NULL);
	size_t i;
	int fd, ret = 0;

	snprintf(tmp, sizeof(tmp), "%s.tmp.XXXXXX", path);
	fd = mkstemp(tmp);
	if (fd < 0) {
		snprintf(msg, size, "%s: %s", path, strerror(errno));
		return -errno;
	}
	fchmod(fd, 0600);
	ar = archive_write_new();
	if (!ar || archive_write_add_filter_gzip(ar) != ARCHIVE_OK ||
	    archive_write_set_format_pax_restricted(ar) != ARCHIVE_OK ||
	    archive_write_open_fd(ar, fd) != ARCHIVE_OK) {
		snprintf(msg, size, "%s: %s", path, ar ?
			 archive_error_string(ar) : "out of memory");
		ret = -EIO;
	}
	if (!ret)
		ret = add_entry(ar, top, "", NULL, 0, now);
	if (!ret)
		ret = add_entry(ar, top, "manifest.json", man, strlen(man),
				now);
	for (i = 0; !ret && i < b->nfiles; i++)
		ret = add_entry(ar, top, b->files[i].path, b->files[i].data,
				b->files[i].len, now);
	if (ar) {
		if (!ret && archive_write_close(ar) != ARCHIVE_OK)
			ret = -EIO;
		if (ret && !*msg)
			snprintf(msg, size, "%s: %s", path,
				 archive_error_string(ar) ?
				 archive_error_string(ar) : "write error");
		archive_write_free(ar);
	}
	if (close(fd) && !ret) {
		ret = -errno;
		snprintf(msg, size, "%s: %s", path, strerror(errno));
	}
	if (!ret && rename(tmp, path)) {
		ret = -errno;
		snprintf(msg, size, "%s: %s", path, strerror(errno));
	}
	if (ret)
		unlink(tmp);
	return ret;
}

int cmd_dump(int argc, char **argv)
{
	struct dump_args a = { .o = { .timeout_ms = 5000, .since_s = -1 } };
	struct dump_section secs[] = {
		{ .name = "debugfs", .ok = true },
		{ .name = "snapshot", .ok = true },
		{ .name = "kmsg", .ok = true },
		{ .name = "trace", .ok = true },
		{ .name = "params", .ok = true },
		{ .name = "proc", .ok = true },
		{ .name = "sysfs", .ok = true },
	};
	const int nsec = (int)(sizeof(secs) / sizeof(secs[0]));
	char out[4096], top[300], host[128] = "", tbuf[32], msg[8192] = "";
	char mapfile[4200];
	struct accel_bundle b = { 0 };
	struct redact *r = NULL;
	json_object *man;
	time_t now = time(NULL);
	struct tm tm;
	int ret, k, failed = 0;

	ret = ctl_parse(&dump_argp, "dump", argc, argv, NULL, &a);
	if (ret)
		return ret;
	if (a.inspect) {
		if (a.output || a.o.redact || a.o.since_s >= 0)
			return ctl_usage_err("dump", "--inspect takes no other "
					     "dump option");
		return cmd_inspect_file(a.inspect);
	}
	gethostname(host, sizeof(host) - 1);
	for (k = 0; host[k]; k++)
		if (host[k] == '/' || host[k] == ' ')
			host[k] = '_';
	gmtime_r(&now, &tm);
	strftime(tbuf, sizeof(tbuf), "%Y%m%dT%H%M%SZ", &tm);
	snprintf(top, sizeof(top), "accel-bundle-%s-%s", host, tbuf);
	if (a.output)
		snprintf(out, sizeof(out), "%s", a.output);
	else
		snprintf(out, sizeof(out), "%s.tar.gz", top);

	for (k = 0; k < nsec; k++) {
		ctl_progress("dump", (double)k / nsec, secs[k].name);
		switch (k) {
		case 0:
			dump_debugfs(&b, &secs[k], &a.o);
			break;
		case 1:
			/* after redaction, below */
			break;
		case 2:
			dump_kmsg(&b, &secs[k], &a.o);
			break;
		case 3:
			dump_trace(&b, &secs[k], &a.o);
			break;
		case 4:
			dump_params(&b, &secs[k], &a.o);
			break;
		case 5:
			dump_procs(&b, &secs[k], &a.o);
			break;
		default:
			dump_sysfs(&b, &secs[k], &a.o);
			break;
		}
	}
	if (a.o.redact) {
		ctl_progress("dump", 0.9, "redact");
		r = redact_new();
		if (!r || redact_bundle(r, &b)) {
			ctl_progress_done();
			redact_free(r);
			accel_bundle_free(&b);
			return ctl_fail(EXIT_ERROR, "redaction failed: out of "
					"memory");
		}
	}
	dump_snapshot(&b, &secs[1]);
	for (k = 0; k < nsec; k++)
		failed += !secs[k].ok;
	man = manifest(&b, secs, nsec, &a, r);
	ctl_progress("dump", 0.95, "write");
	ret = write_bundle(out, top, json_object_to_json_string_ext(man,
			   JSON_C_TO_STRING_PRETTY |
			   JSON_C_TO_STRING_NOSLASHESCAPE), &b, msg,
			   sizeof(msg));
	ctl_progress_done();
	json_object_put(man);
	if (ret) {
		redact_free(r);
		accel_bundle_free(&b);
		return ctl_fail(EXIT_ERROR, "cannot write the bundle: %s", msg);
	}
	if (r) {
		snprintf(mapfile, sizeof(mapfile), "%s.redact-map", out);
		ret = redact_write_map(r, mapfile, out);
		redact_free(r);
		if (ret) {
			accel_bundle_free(&b);
			return ctl_fail(EXIT_ERROR, "%s: %s", mapfile,
					strerror(-ret));
		}
	}
	if (ctl.json) {
		json_object *j = json_object_new_object(), *arr;

		accel_json_str(j, "bundle", out);
		if (a.o.redact)
			accel_json_str(j, "redact_map", mapfile);
		accel_json_u64(j, "files", b.nfiles + 1);
		arr = json_object_new_array();
		for (k = 0; k < nsec; k++) {
			json_object *s = json_object_new_object();

			accel_json_str(s, "name", secs[k].name);
			accel_json_str(s, "status", secs[k].ok ? "ok" :
				       "failed");
			if (!secs[k].ok)
				accel_json_str(s, "error", secs[k].error);
			json_object_array_add(arr, s);
		}
		json_object_object_add(j, "sections", arr);
		accel_bundle_free(&b);
		return ctl_json_emit(j);
	}
	printf("bundle written to %s (%zu files", out, b.nfiles + 1);
	if (failed)
		printf(", %d section(s) failed", failed);
	printf(")\n");
	for (k = 0; k < nsec; k++)
		if (!secs[k].ok)
			printf("  %s: failed: %s\n", secs[k].name,
			       secs[k].error);
	if (a.o.redact)
		printf("redaction map (keep private) written to %s\n", mapfile);
	accel_bundle_free(&b);
	return EXIT_OK;
}
