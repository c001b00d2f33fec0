/* SPDX-License-Identifier: MIT */
/*
 * accelctl inspect: a bundle once read and judged (inspect.c), handed to
 * the writers that show it: the text and JSON summaries in inspect.c and
 * the HTML page in inspect_html.c.
 */
#ifndef ACCELCTL_INSPECT_H
#define ACCELCTL_INSPECT_H

#include <stddef.h>

#include <json-c/json.h>

#include "accel_bundle.h"
#include "accel_dev.h"
#include "accel_health.h"

/* A context of the bundle and its pending faults (top offenders). */
struct offender {
	const struct accel_dev *d;
	const struct accel_pe *pe;
	size_t pending;
};

/* What inspect found in the bundle at path; nothing here is owned. */
struct inspect_report {
	const char *path;			/* the bundle file, as given */
	const struct accel_bundle *b;
	enum accel_hstatus level;		/* the verdict */
	json_object *reasons;			/* array of strings */
	json_object *notes;			/* views missing, strings */
	size_t failed;				/* sections that failed */
	const struct accel_dev *devs;		/* the devices loaded */
	const struct accel_summary *sums;	/* and their figures */
	size_t ndev;
	const struct offender *offs;		/* most faults first */
	size_t noff;
};

/*
 * Write r as one self-contained HTML page (no script, no network, no
 * other file) to out, atomically (a temporary file renamed over out, mode
 * 0600 as the bundle's). Returns 0, or a negative errno with msg holding
 * "out: reason".
 */
int inspect_html_write(const struct inspect_report *r, const char *out,
		       char *msg, size_t size);

#endif /* ACCELCTL_INSPECT_H */
