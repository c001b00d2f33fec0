/* SPDX-License-Identifier: MIT */
/*
 * libaccel: support bundles written by "accelctl dump", read back offline
 * (accelctl inspect, accelstat --bundle). A bundle is a gzip-compressed tar
 * archive whose entries all sit under one top directory:
 *
 *   manifest.json             format, version, sections, file list
 *   debugfs/...               every debugfs view, laid out like the root
 *   snapshot.json             accelstat --json equivalent
 *   kmsg.txt, trace.txt       driver log lines, accelsim trace events
 *   params/NAME               module parameters
 *   proc/PID/status           status of each context's process
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
 * that cannot be parsed is left empty and named in missing ("afu0/irqs:
 * not in the bundle; ..."), "" when all were there.
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

#endif /* ACCEL_BUNDLE_H */
