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
#include "args.h"

/* The -d/--device selection of a context command. */
struct ctx_sel {
	bool has_dev;
	unsigned int dev;
};

/*
 * The -d/--device option of a context command: options and parser of its
 * argp (input: its struct ctx_sel).
 */
extern const struct argp_option ctx_dev_options[];
error_t ctx_dev_opt(int key, char *arg, struct argp_state *state);

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
