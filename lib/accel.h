/* SPDX-License-Identifier: MIT */
/*
 * libaccel: discovery of accelsim devices and access to their views.
 * Shared by accelstat, acceltop and accelctl.
 */
#ifndef ACCEL_H
#define ACCEL_H

#include <stddef.h>

#define ACCEL_DEBUGFS_DEFAULT "/sys/kernel/debug/accelsim"
#define ACCEL_MAX_DEVS 256

/*
 * The debugfs root of the driver: the root given with --root if any, else
 * $ACCEL_DEBUGFS, else ACCEL_DEBUGFS_DEFAULT.
 */
const char *accel_debugfs_root(const char *override);

/*
 * Fill ids with the device numbers N of every afuN under root, sorted.
 * Returns the count, or a negative errno (-ENOENT: root missing).
 */
int accel_list_devices(const char *root, unsigned int *ids, size_t max);

#endif /* ACCEL_H */
