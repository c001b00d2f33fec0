/* SPDX-License-Identifier: MIT */
/*
 * libaccel: discovery of accelsim devices under the driver's debugfs root.
 * Shared by accelstat, acceltop and accelctl. The other headers:
 *
 *   accel_views.h   typed parsers for every debugfs view (doc/contract.md)
 *   accel_dev.h     loading all views of one device, derived figures
 *   accel_format.h  numbers, durations, bytes, log2 histogram percentiles
 *   accel_json.h    JSON rendering of a device (json-c)
 *   accel_health.h  health-check thresholds and their config file
 *   accel_uapi.h    thin wrappers around the /dev/accelsim/afuN ioctls
 */
#ifndef ACCEL_H
#define ACCEL_H

#include <stddef.h>

#define ACCEL_DEBUGFS_DEFAULT "/sys/kernel/debug/accelsim"
#define ACCEL_TRACEFS_DEFAULT "/sys/kernel/tracing"
#define ACCEL_MAX_DEVS 256
/* The per-device debugfs views, for messages that name them. */
#define ACCEL_VIEW_NAMES "info, spa, pasids, faults, irqs, stats, kctx"

/*
 * A root folder: override if given (non-empty), else the environment
 * variable env if set and non-empty, else dflt.
 */
const char *accel_root(const char *override, const char *env,
		       const char *dflt);

/*
 * The debugfs root of the driver: the root given with --root if any, else
 * $ACCEL_DEBUGFS, else ACCEL_DEBUGFS_DEFAULT.
 */
const char *accel_debugfs_root(const char *override);

/* The tracefs root: override, else $ACCEL_TRACEFS, else the default. */
const char *accel_tracefs_root(const char *override);

/*
 * Fill ids with the device numbers N of every afuN under root, sorted.
 * Returns the count, or a negative errno (-ENOENT: root missing).
 */
int accel_list_devices(const char *root, unsigned int *ids, size_t max);

/*
 * Why root cannot be opened, given errno err from opening it, as one short
 * hint for the user: "debugfs not mounted? ...", "accelsim module not
 * loaded? ...", "permission denied ...", or, when the driver is loaded
 * (its sysfs bus, accel_sysfs_root(), exists) but root is missing, "the
 * driver is loaded but its debugfs views (...) are missing: " and why (no
 * debugfs: debugfs=off or not built; not mounted; failed). Returns 1 when
 * the hint is "module not loaded", 0 otherwise.
 */
int accel_root_hint(const char *root, int err, char *buf, size_t size);

/*
 * Parse a device name: "afuN" or "N". Returns 0 and sets *id, or -EINVAL.
 */
int accel_parse_dev_name(const char *s, unsigned int *id);

#endif /* ACCEL_H */
