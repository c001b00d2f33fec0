/* SPDX-License-Identifier: MIT */
/*
 * accelctl: helpers shared by the context commands (list, terminate, hold).
 */
#ifndef ACCELCTL_CTX_H
#define ACCELCTL_CTX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <json-c/json.h>

#include "accel_views.h"

/* The -d/--device selection of a context command. */
struct ctx_sel {
	const char *cmd;
	bool has_dev;
	unsigned int dev;
};

/* Parse -d/-h/-j; as ctl_getopt. */
int ctx_parse_dev_opts(int argc, char **argv, struct ctx_sel *sel,
		       int (*help)(FILE *out));

/* Devices selected into ids: every device, or the -d one; -1 on error. */
int ctx_devices(const struct ctx_sel *sel, unsigned int *ids);

/*
 * The start of a context command: check the debugfs root, select the
 * devices into ids and, in JSON mode, make the output array *arr (NULL
 * otherwise). The device count, or minus the exit status after a message.
 */
int ctx_begin(const struct ctx_sel *sel, unsigned int *ids, json_object **arr);

/* Parse afuN's spa view. */
int ctx_load_spa(unsigned int dev, struct accel_spa *spa,
		 struct accel_err *err);

/* The State of /proc/PID/status ("sleeping"), "gone" and -ENOENT if none. */
int ctx_proc_state(unsigned int pid, char *state, size_t size);

#endif /* ACCELCTL_CTX_H */
