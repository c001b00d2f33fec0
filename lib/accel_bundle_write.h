/* SPDX-License-Identifier: MIT */
/*
 * libaccel: writing a support bundle (the format of accel_bundle.h). A
 * dump collects its sections from the live system into an in-memory
 * bundle, optionally redacts it (accel_redact.h), then writes manifest,
 * snapshot and files as a tar.gz (mode 0600) with libarchive.
 *
 * Every read of the driver's or the kernel's files runs in a child
 * process with a deadline, so a wedged device makes its section fail
 * (named in the manifest) instead of hanging the dump. The sections:
 *
 *   debugfs   every readable file under the debugfs root
 *   snapshot  snapshot.json, built at write time from the (redacted) views
 *   kmsg      the kernel log lines naming the driver: /dev/kmsg, else
 *             the syslog buffer, or $ACCEL_KMSG (records, for tests)
 *   trace     the accelsim events (newer than since_s) of the driver's
 *             flight recorder, TRACEFS/instances/accelsim/trace, else of
 *             the top-level TRACEFS/trace; its reach goes to the manifest
 *   params    the module parameters, $ACCEL_SYSMODULE/parameters
 *             (default /sys/module/accelsim)
 *   proc      PROC/PID/status of each context's process
 *   sysfs     the inject/ knobs of every device
 */
#ifndef ACCEL_BUNDLE_WRITE_H
#define ACCEL_BUNDLE_WRITE_H

#include <stdbool.h>
#include <stddef.h>

#include "accel_bundle.h"

struct accel_redact;

#define ACCEL_SYSMODULE_DEFAULT "/sys/module/accelsim"

struct accel_dump_opts {
	const char *root;	/* the driver's debugfs root */
	const char *tracefs;	/* tracefs root */
	const char *sysfs;	/* the controls' bus root */
	const char *proc;	/* /proc */
	const char *tool;	/* writer's name, for manifest and snapshot */
	int argc;		/* the command line, for the manifest */
	char **argv;
	int timeout_ms;		/* deadline of each read */
	double since_s;		/* trace of the since_s seconds before the
				 * dump began (and during it); < 0: all */
	bool redact;		/* recorded in the manifest */
};

/* The status of one section, for the manifest. */
struct accel_dump_section {
	const char *name;	/* accel_bundle_sec_names[] */
	bool ok;
	char error[1024];	/* every failure, "; " separated */
};

/*
 * What the trace section read, for the manifest's trace_reach: times are
 * the trace clock's, in seconds; a value not known is negative (counts
 * -1: the source has no per_cpu stats).
 */
struct accel_dump_trace {
	bool collected;		/* the section read a trace file */
	bool flight;		/* from the flight recorder instance */
	long long buffer_kb;	/* buffer_size_kb, per CPU */
	double now_s;		/* the clock when read */
	double oldest_s;	/* the oldest event the buffer holds */
	long long overwritten;	/* events lost to the ring's wrap */
	long long dropped;	/* events dropped (buffer full, no overwrite) */
	unsigned long long events;	/* events written to trace.txt */
	double first_s, last_s;	/* their first and last timestamps */
};

struct accel_dump {
	struct accel_dump_opts o;
	struct accel_dump_trace trace;	/* after the trace section */
	struct accel_bundle b;		/* the files collected so far */
	struct accel_dump_section sec[ACCEL_SEC_NR];
	struct accel_redact *r;		/* after accel_dump_redact() */
	char top[300];			/* accel-bundle-HOST-TIME */
	double t0;			/* CLOCK_MONOTONIC at init, s */
};

/* Start a dump: no file yet, every section ok, top named for now. */
void accel_dump_init(struct accel_dump *d, const struct accel_dump_opts *o);

/*
 * Collect one section into d (failures go to its status). The snapshot
 * is built by accel_dump_write, from the views as they are written.
 */
void accel_dump_collect(struct accel_dump *d, enum accel_bundle_sec s);

/* Record a failure of a section ("what: why"). */
void accel_dump_fail(struct accel_dump_section *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Replace pids, comms and addresses by pseudonyms. 0 or -ENOMEM. */
int accel_dump_redact(struct accel_dump *d);

/*
 * Add the snapshot, then write the manifest and every file to path (via a
 * temporary file renamed into place). 0, or a negative errno with the
 * reason in msg ("PATH: why").
 */
int accel_dump_write(struct accel_dump *d, const char *path, char *msg,
		     size_t size);

/* After a redacted dump written to bundle: its pseudonym map to path. */
int accel_dump_write_map(const struct accel_dump *d, const char *path,
			 const char *bundle);

/* Files in the archive (the manifest included); sections that failed. */
size_t accel_dump_nfiles(const struct accel_dump *d);
int accel_dump_nfailed(const struct accel_dump *d);
/* The sections' status as the manifest's array (a new object). */
json_object *accel_dump_sections_json(const struct accel_dump *d);

void accel_dump_free(struct accel_dump *d);

#endif /* ACCEL_BUNDLE_WRITE_H */
