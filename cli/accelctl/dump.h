/* SPDX-License-Identifier: MIT */
/*
 * accelctl dump: the collectors of the bundle sections, the redaction of
 * pids, comms and addresses, and the archive writer.
 */
#ifndef ACCELCTL_DUMP_H
#define ACCELCTL_DUMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "accel_bundle.h"

/* The status of one section, for the manifest. */
struct dump_section {
	const char *name;
	bool ok;
	char error[1024];	/* every failure, "; " separated */
};

struct dump_opts {
	int timeout_ms;		/* per read */
	double since_s;		/* trace events newer than this; < 0: all */
	bool redact;
};

/*
 * Run fn in a child process that writes its output to fd; collect the
 * output with a deadline. A child that does not finish in timeout_ms is
 * killed (a read stuck in the kernel cannot hang the dump). Returns 0 with
 * a malloc'ed NUL-terminated *buf, or -ETIMEDOUT, -EFBIG or the child's
 * negative errno.
 */
int dump_timed(int (*fn)(void *arg, int fd), void *arg, int timeout_ms,
	       char **buf, size_t *len);

/* Record a failure of a section ("what: why"). */
void dump_section_fail(struct dump_section *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The collectors: add their files to b and set s. */
void dump_debugfs(struct accel_bundle *b, struct dump_section *s,
		  const struct dump_opts *o);
void dump_kmsg(struct accel_bundle *b, struct dump_section *s,
	       const struct dump_opts *o);
void dump_trace(struct accel_bundle *b, struct dump_section *s,
		const struct dump_opts *o);
/* The inject/ knobs of every device, from the sysfs controls. */
void dump_sysfs(struct accel_bundle *b, struct dump_section *s,
		const struct dump_opts *o);
void dump_params(struct accel_bundle *b, struct dump_section *s,
		 const struct dump_opts *o);
void dump_procs(struct accel_bundle *b, struct dump_section *s,
		const struct dump_opts *o);
/* snapshot.json from the (possibly redacted) debugfs files of b. */
void dump_snapshot(struct accel_bundle *b, struct dump_section *s);

/* Redaction: rewrite every file of b; the mapping goes to map_path. */
struct redact;
struct redact *redact_new(void);
void redact_free(struct redact *r);
int redact_bundle(struct redact *r, struct accel_bundle *b);
/* Redact free text (command line words) with what r has learnt. */
char *redact_text(struct redact *r, const char *s);
int redact_write_map(const struct redact *r, const char *path,
		     const char *bundle);

#endif /* ACCELCTL_DUMP_H */
