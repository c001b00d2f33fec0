/* SPDX-License-Identifier: MIT */
/*
 * libaccel: support bundles, written by "accelctl dump" through
 * accel_bundle_write.h and read back offline here (accelctl inspect,
 * accelstat --bundle). A bundle is a gzip-compressed tar archive whose
 * entries all sit under one top directory (accel-bundle-HOST-TIME):
 *
 *   manifest.json             format, version, sections, file list
 *   debugfs/...               every debugfs view, laid out like the root
 *   snapshot.json             accelstat --json equivalent
 *   kmsg.txt, trace.txt       driver log lines, accelsim trace events
 *                             (of the driver's flight recorder when it
 *                             keeps one; the manifest's trace_reach says
 *                             how far back they go)
 *   params/NAME               module parameters
 *   proc/PID/status           status of each context's process
 *   sysfs/afuN/inject/KNOB    the inject/ knobs of each device
 *   idxd.json                 the idxd (DSA/IAA) devices, groups, work
 *                             queues and engines (accel_idxd.h), with
 *                             "bus": false when there is no idxd bus
 *
 * The names below are the format's: the writer and the reader use them.
 *
 * The reader loads the whole archive into memory, checks the manifest
 * (format "accel-bundle", format_version <= ACCEL_BUNDLE_VERSION) and that
 * every file the manifest lists is present with its size, so a truncated
 * bundle is detected. It never aborts on bad input.
 */
#ifndef ACCEL_BUNDLE_H
#define ACCEL_BUNDLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "accel_dev.h"
#include "accel_views.h"

#define ACCEL_BUNDLE_FORMAT "accel-bundle"
#define ACCEL_BUNDLE_VERSION 1

/* The layout: paths relative to the top directory ("/" ends a folder). */
#define ACCEL_BUNDLE_TOP	"accel-bundle-"	/* + HOST-TIME */
#define ACCEL_BUNDLE_MANIFEST	"manifest.json"
#define ACCEL_BUNDLE_SNAPSHOT	"snapshot.json"
#define ACCEL_BUNDLE_KMSG	"kmsg.txt"
#define ACCEL_BUNDLE_TRACE	"trace.txt"
#define ACCEL_BUNDLE_DEBUGFS	"debugfs/"
#define ACCEL_BUNDLE_PARAMS	"params/"
#define ACCEL_BUNDLE_PROC	"proc/"
#define ACCEL_BUNDLE_SYSFS	"sysfs/"
#define ACCEL_BUNDLE_IDXD	"idxd.json"

/* The manifest's keys (top level, then of "kernel", "sections", "files"). */
#define ACCEL_BM_FORMAT		"format"
#define ACCEL_BM_FORMAT_VERSION	"format_version"
#define ACCEL_BM_TOOL		"tool"
#define ACCEL_BM_TOOL_VERSION	"tool_version"
#define ACCEL_BM_DRIVER_VERSION	"driver_version"
#define ACCEL_BM_KERNEL		"kernel"
#define ACCEL_BM_HOST		"host"
#define ACCEL_BM_TIME_UNIX	"time_unix_s"
#define ACCEL_BM_TIME_UTC	"time_utc"
#define ACCEL_BM_COMMAND_LINE	"command_line"
#define ACCEL_BM_DEBUGFS_ROOT	"debugfs_root"
#define ACCEL_BM_TRACEFS_ROOT	"tracefs_root"
#define ACCEL_BM_REDACTED	"redacted"
#define ACCEL_BM_SINCE		"since_s"
#define ACCEL_BM_TRACE_REACH	"trace_reach"
#define ACCEL_BM_SECTIONS	"sections"
#define ACCEL_BM_FILES		"files"
#define ACCEL_BM_K_RELEASE	"release"
#define ACCEL_BM_S_NAME		"name"
#define ACCEL_BM_S_STATUS	"status"
#define ACCEL_BM_S_ERROR	"error"
#define ACCEL_BM_F_PATH		"path"
#define ACCEL_BM_F_SIZE		"size"

/* The sections, in the manifest's order. */
enum accel_bundle_sec {
	ACCEL_SEC_DEBUGFS,
	ACCEL_SEC_SNAPSHOT,
	ACCEL_SEC_KMSG,
	ACCEL_SEC_TRACE,
	ACCEL_SEC_PARAMS,
	ACCEL_SEC_PROC,
	ACCEL_SEC_SYSFS,
	ACCEL_SEC_IDXD,
	ACCEL_SEC_NR
};

/* Their names: "debugfs", "snapshot", "kmsg", ... */
extern const char *const accel_bundle_sec_names[ACCEL_SEC_NR];
/* Limits: compressed file size, total of the entries, entry count. */
#define ACCEL_BUNDLE_MAX_SIZE (256u << 20)
#define ACCEL_BUNDLE_MAX_FILES 65536

struct accel_bundle_file {
	char *path;		/* relative to the top directory */
	char *data;		/* NUL-terminated (not counted in len) */
	size_t len;
};

struct accel_bundle {
	unsigned int version;		/* manifest format_version */
	json_object *manifest;		/* owned */
	struct accel_bundle_file *files;
	size_t nfiles, cap;
	bool sorted;			/* files sorted by path (read back) */
};

/*
 * Open a bundle file or a buffer. Returns 0, or a negative errno with one
 * line in err->msg: -ENOENT/-EACCES (file), -EINVAL (not a bundle, bad
 * manifest), -EPROTO (truncated or corrupt archive, listed file missing),
 * -ENOTSUP (format_version newer than this library), -EFBIG, -ENOMEM.
 */
int accel_bundle_open(const char *path, struct accel_bundle *b,
		      struct accel_err *err);
int accel_bundle_open_mem(const void *buf, size_t len, struct accel_bundle *b,
			  struct accel_err *err);
void accel_bundle_free(struct accel_bundle *b);

/* Add a copy of data as path (used by the writer too). 0 or -ENOMEM. */
int accel_bundle_add(struct accel_bundle *b, const char *path,
		     const char *data, size_t len);
/* The file at path, or NULL (a binary search in a bundle read back). */
const struct accel_bundle_file *accel_bundle_find(const struct accel_bundle *b,
						  const char *path);

/* Device numbers N with a debugfs/afuN/info file, sorted; count or -errno. */
int accel_bundle_devices(const struct accel_bundle *b, unsigned int *ids,
			 size_t max);
/* Parse debugfs/afuN/{info,spa,pasids,faults,irqs,stats}, as accel_dev_load. */
int accel_bundle_load_dev(const struct accel_bundle *b, unsigned int id,
			  struct accel_dev *d, struct accel_err *err);

/*
 * The same for a bundle with views missing or malformed (a read that timed
 * out, a driver without a view): only info is required; every other view
 * that cannot be parsed is left empty, flagged in d->missing
 * (ACCEL_MISSING_*) and named in missing ("afu0/irqs: not in the bundle;
 * ..."), "" when all were there.
 */
int accel_bundle_load_dev_partial(const struct accel_bundle *b,
				  unsigned int id, struct accel_dev *d,
				  char *missing, size_t msize,
				  struct accel_err *err);

/*
 * Write the bundle's debugfs/ tree into a new temporary directory laid out
 * like the driver's debugfs root (so any tool can take it as --root). dir
 * gets its path. Remove it with accel_bundle_rmtree.
 */
int accel_bundle_extract_debugfs(const struct accel_bundle *b, char *dir,
				 size_t size, struct accel_err *err);
int accel_bundle_rmtree(const char *dir);

/* Section status from the manifest: name, ok, error ("" when ok). */
size_t accel_bundle_nsections(const struct accel_bundle *b);
bool accel_bundle_section(const struct accel_bundle *b, size_t i,
			  const char **name, bool *ok, const char **error);
/* A top-level manifest string, or NULL. */
const char *accel_bundle_str(const struct accel_bundle *b, const char *key);
/* The same for display: "?" when the key is absent or not a string. */
const char *accel_bundle_show(const struct accel_bundle *b, const char *key);
/* Whether the manifest says the bundle was written with --redact. */
bool accel_bundle_redacted(const struct accel_bundle *b);
/* The kernel release the bundle was taken on, "?" when not recorded. */
const char *accel_bundle_kernel_release(const struct accel_bundle *b);

/*
 * The events of trace.txt: their count by event name (in the order each
 * first appears; names past ACCEL_BUNDLE_TRACE_NAMES count in total only)
 * and the last ACCEL_BUNDLE_TRACE_TAIL lines (pointers into the bundle,
 * each without its newline). reach is the manifest's trace_reach, NULL in
 * a bundle written before it. -ENOENT when the bundle has no trace.txt.
 */
#define ACCEL_BUNDLE_TRACE_NAMES 32
#define ACCEL_BUNDLE_TRACE_TAIL 5
struct accel_bundle_trace {
	uint64_t total;
	size_t nnames;
	struct {
		char name[64];
		uint64_t count;
	} ev[ACCEL_BUNDLE_TRACE_NAMES];
	size_t ntail;
	const char *tail[ACCEL_BUNDLE_TRACE_TAIL];
	size_t tail_len[ACCEL_BUNDLE_TRACE_TAIL];
	json_object *reach;	/* borrowed from the manifest */
};
int accel_bundle_trace(const struct accel_bundle *b,
		       struct accel_bundle_trace *t);

/* One section's status as a manifest object {name, status[, error]}. */
json_object *accel_bundle_section_json(const char *name, bool ok,
				       const char *error);
/* The sections of b's manifest as such an array (a new object). */
json_object *accel_bundle_sections_json(const struct accel_bundle *b);

#endif /* ACCEL_BUNDLE_H */
