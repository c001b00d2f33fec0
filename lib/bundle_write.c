// SPDX-License-Identifier: MIT
/*
 * libaccel: writing a support bundle (accel_bundle_write.h): the
 * snapshot, the manifest and the tar.gz archive (libarchive, json-c).
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

#include "accel.h"
#include "accel_bundle_write.h"
#include "accel_events.h"
#include "accel_json.h"
#include "accel_redact.h"

void accel_dump_init(struct accel_dump *d, const struct accel_dump_opts *o)
{
	char host[128] = "", tbuf[32];
	time_t now = time(NULL);
	struct timespec mono;
	struct tm tm;
	int k;

	memset(d, 0, sizeof(*d));
	d->o = *o;
	clock_gettime(CLOCK_MONOTONIC, &mono);
	d->t0 = (double)mono.tv_sec + mono.tv_nsec / 1e9;
	for (k = 0; k < ACCEL_SEC_NR; k++) {
		d->sec[k].name = accel_bundle_sec_names[k];
		d->sec[k].ok = true;
	}
	gethostname(host, sizeof(host) - 1);
	if (o->redact) {
		/* The top directory and default name show the host's token. */
		const char *t;

		d->r = accel_redact_new();
		t = d->r ? accel_redact_host(d->r, host) : NULL;
		snprintf(host, sizeof(host), "%s", t ? t : "redacted");
	}
	for (k = 0; host[k]; k++)
		if (host[k] == '/' || host[k] == ' ')
			host[k] = '_';
	gmtime_r(&now, &tm);
	strftime(tbuf, sizeof(tbuf), "%Y%m%dT%H%M%SZ", &tm);
	snprintf(d->top, sizeof(d->top), ACCEL_BUNDLE_TOP "%s-%s", host, tbuf);
}

void accel_dump_free(struct accel_dump *d)
{
	accel_redact_free(d->r);
	accel_bundle_free(&d->b);
	d->r = NULL;
}

int accel_dump_redact(struct accel_dump *d)
{
	if (!d->r)
		d->r = accel_redact_new();
	return d->r ? accel_redact_bundle(d->r, &d->b) : -ENOMEM;
}

int accel_dump_write_map(const struct accel_dump *d, const char *path,
			 const char *bundle)
{
	return d->r ? accel_redact_write_map(d->r, path, bundle) : -EINVAL;
}

size_t accel_dump_nfiles(const struct accel_dump *d)
{
	return d->b.nfiles + 1;
}

int accel_dump_nfailed(const struct accel_dump *d)
{
	int k, n = 0;

	for (k = 0; k < ACCEL_SEC_NR; k++)
		n += !d->sec[k].ok;
	return n;
}

json_object *accel_dump_sections_json(const struct accel_dump *d)
{
	json_object *arr = json_object_new_array();
	int k;

	for (k = 0; k < ACCEL_SEC_NR; k++)
		json_object_array_add(arr, accel_bundle_section_json(
			d->sec[k].name, d->sec[k].ok, d->sec[k].error));
	return arr;
}

/*
 * s redacted as free text (a root path, a word of the command line) in a
 * redacted dump, "redacted" if that fails: a new json string.
 */
static json_object *text_json(const struct accel_dump *d, const char *s)
{
	char *w = d->r && s ? accel_redact_text(d->r, s) : NULL;
	json_object *j;

	if (!s)
		return NULL;
	j = accel_json_new_string(w ? w : d->r ? "redacted" : s);
	free(w);
	return j;
}

/* snapshot.json from the (possibly redacted) debugfs files of d. */
static void snapshot(struct accel_dump *dump)
{
	struct accel_dump_section *s = &dump->sec[ACCEL_SEC_SNAPSHOT];
	const struct accel_bundle *b = &dump->b;
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
		accel_dump_fail(s, ACCEL_BUNDLE_SNAPSHOT ": %s",
				strerror(ENOMEM));
		return;
	}
	top = json_object_new_object();
	accel_json_u64(top, "schema_version", ACCEL_JSON_SCHEMA_VERSION);
	accel_json_str(top, "tool", dump->o.tool);
	accel_json_str(top, "version", ACCEL_VERSION);
	json_object_object_add(top, "root", text_json(dump, dump->o.root));
	accel_json_u64(top, "time_unix_s", (uint64_t)time(NULL));
	devs = json_object_new_array();
	for (i = 0; i < n; i++) {
		if (accel_bundle_load_dev(b, ids[i], &d[nd], &err)) {
			accel_dump_fail(s, "%s", err.msg);
			continue;
		}
		accel_dev_summarize(&d[nd], &sum);
		json_object_array_add(devs, accel_json_dev(&d[nd], &sum));
		nd++;
	}
	json_object_object_add(top, "devices", devs);
	txt = json_object_to_json_string_ext(top, JSON_C_TO_STRING_PRETTY |
					     JSON_C_TO_STRING_NOSLASHESCAPE);
	ret = accel_bundle_add(&dump->b, ACCEL_BUNDLE_SNAPSHOT, txt,
			       strlen(txt));
	if (ret)
		accel_dump_fail(s, ACCEL_BUNDLE_SNAPSHOT ": %s",
				strerror(-ret));
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

	if (!accel_read_file(ACCEL_SYSMODULE_DEFAULT "/version", &ver,
			     &len)) {
		ver[strcspn(ver, "\n")] = '\0';
		accel_json_str(m, ACCEL_BM_DRIVER_VERSION, ver);
		free(ver);
	} else if (accel_bundle_devices(b, ids, 1) == 1 &&
		   !accel_bundle_load_dev(b, ids[0], &d, &err)) {
		accel_json_str(m, ACCEL_BM_DRIVER_VERSION, d.info.version);
		accel_dev_free(&d);
	} else {
		json_object_object_add(m, ACCEL_BM_DRIVER_VERSION, NULL);
	}
}

/* x, or null when not known (negative). */
static void add_num(json_object *o, const char *key, double x, bool integer)
{
	if (x < 0)
		json_object_object_add(o, key, NULL);
	else if (integer)
		accel_json_u64(o, key, (uint64_t)x);
	else
		accel_json_double(o, key, x);
}

/*
 * How far back trace.txt reaches: its source, the ring buffer's size and
 * oldest event, the events it lost, and the span trace.txt holds. Times
 * are the trace clock's (seconds since boot for the default clock).
 */
static json_object *trace_reach(const struct accel_dump *d)
{
	const struct accel_dump_trace *t = &d->trace;
	json_object *o;

	if (!t->collected)
		return NULL;
	o = json_object_new_object();
	accel_json_str(o, "source", t->flight ? "instances/"
		       ACCEL_FLIGHT_INSTANCE : "top-level");
	add_num(o, "buffer_size_kb", (double)t->buffer_kb, true);
	add_num(o, "now_s", t->now_s, false);
	add_num(o, "oldest_s", t->oldest_s, false);
	add_num(o, "reach_s", t->now_s >= 0 && t->oldest_s >= 0 ?
		t->now_s - t->oldest_s : -1, false);
	add_num(o, "overwritten", (double)t->overwritten, true);
	add_num(o, "dropped", (double)t->dropped, true);
	accel_json_u64(o, "events", t->events);
	add_num(o, "first_s", t->first_s, false);
	add_num(o, "last_s", t->last_s, false);
	return o;
}

static json_object *manifest(const struct accel_dump *d)
{
	const struct accel_bundle *b = &d->b;
	json_object *m = json_object_new_object(), *arr, *o;
	char host[256] = "", tbuf[64];
	const char *hn;
	struct utsname u;
	time_t now = time(NULL);
	struct tm tm;
	size_t i;
	int k;

	accel_json_str(m, ACCEL_BM_FORMAT, ACCEL_BUNDLE_FORMAT);
	accel_json_u64(m, ACCEL_BM_FORMAT_VERSION, ACCEL_BUNDLE_VERSION);
	accel_json_str(m, ACCEL_BM_TOOL, d->o.tool);
	accel_json_str(m, ACCEL_BM_TOOL_VERSION, ACCEL_VERSION);
	driver_version(m, b);
	o = json_object_new_object();
	if (!uname(&u)) {
		accel_json_str(o, "sysname", u.sysname);
		accel_json_str(o, ACCEL_BM_K_RELEASE, u.release);
		accel_json_str(o, "version", u.version);
		accel_json_str(o, "machine", u.machine);
	}
	json_object_object_add(m, ACCEL_BM_KERNEL, o);
	gethostname(host, sizeof(host) - 1);
	hn = d->r ? accel_redact_host(d->r, host) : host;
	accel_json_str(m, ACCEL_BM_HOST, hn ? hn : "redacted");
	accel_json_u64(m, ACCEL_BM_TIME_UNIX, (uint64_t)now);
	gmtime_r(&now, &tm);
	strftime(tbuf, sizeof(tbuf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	accel_json_str(m, ACCEL_BM_TIME_UTC, tbuf);
	arr = json_object_new_array();
	for (k = 0; k < d->o.argc; k++)
		json_object_array_add(arr, text_json(d, d->o.argv[k]));
	json_object_object_add(m, ACCEL_BM_COMMAND_LINE, arr);
	json_object_object_add(m, ACCEL_BM_DEBUGFS_ROOT,
			       text_json(d, d->o.root));
	json_object_object_add(m, ACCEL_BM_TRACEFS_ROOT,
			       text_json(d, d->o.tracefs));
	json_object_object_add(m, ACCEL_BM_REDACTED,
			       json_object_new_boolean(d->o.redact));
	if (d->o.since_s >= 0)
		accel_json_double(m, ACCEL_BM_SINCE, d->o.since_s);
	else
		json_object_object_add(m, ACCEL_BM_SINCE, NULL);
	json_object_object_add(m, ACCEL_BM_TRACE_REACH, trace_reach(d));
	json_object_object_add(m, ACCEL_BM_SECTIONS,
			       accel_dump_sections_json(d));
	arr = json_object_new_array();
	for (i = 0; i < b->nfiles; i++) {
		o = json_object_new_object();
		accel_json_str(o, ACCEL_BM_F_PATH, b->files[i].path);
		accel_json_u64(o, ACCEL_BM_F_SIZE, b->files[i].len);
		json_object_array_add(arr, o);
	}
	json_object_object_add(m, ACCEL_BM_FILES, arr);
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
		ret = add_entry(ar, top, ACCEL_BUNDLE_MANIFEST, man,
				strlen(man), now);
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


int accel_dump_write(struct accel_dump *d, const char *path, char *msg,
		     size_t size)
{
	json_object *man;
	int ret;

	snapshot(d);
	man = manifest(d);
	if (size)
		*msg = '\0';
	ret = write_bundle(path, d->top, json_object_to_json_string_ext(man,
			   JSON_C_TO_STRING_PRETTY |
			   JSON_C_TO_STRING_NOSLASHESCAPE), &d->b, msg, size);
	json_object_put(man);
	return ret;
}
