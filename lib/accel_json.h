/* SPDX-License-Identifier: MIT */
/*
 * libaccel: JSON rendering of devices with json-c. Numbers are JSON
 * numbers; keys carry their unit (age_ns, p99_fault_lat_ns, used_pct).
 * Addresses are strings ("0x7f12a4001000") since 64-bit values do not fit
 * in a double. The layout is described in accelstat(8), schema_version 1.
 */
#ifndef ACCEL_JSON_H
#define ACCEL_JSON_H

#include <stdbool.h>
#include <stdio.h>

#include <json-c/json.h>

#include "accel_dev.h"

#define ACCEL_JSON_SCHEMA_VERSION 2

/*
 * The full object of one device (summary, counters, histograms, rows).
 * Its row arrays ("contexts", "pasids", "faults", "irqs") print straight
 * from d's views (json_rows.c) and hold no element: d must outlive the
 * object, or at least its last printing. They are for printing, not for
 * navigating: json_object_array_length() is 0 and
 * json_object_array_get_idx() finds nothing; parse the printed text to
 * read the rows back.
 */
json_object *accel_json_dev(const struct accel_dev *d,
			    const struct accel_summary *s);

/* Add d's row arrays, as above, to o; d must outlive o. */
void accel_json_rows(json_object *o, const struct accel_dev *d);

/* Add d's "atc" rows (when d has the view), as above, to o. */
void accel_json_atc(json_object *o, const struct accel_dev *d);

/* Add the summary figures ("spa", ..., "latency") to o. */
void accel_json_summary(json_object *o, const struct accel_dev *d,
			const struct accel_summary *s);

/* A log2 histogram as [{"bucket", "lo_ns", "hi_ns", "count"}...]. */
json_object *accel_json_hist(const struct accel_hist *h);

/* Print obj and a newline; pretty or one line. 0 or -EIO. */
int accel_json_print(FILE *f, json_object *obj, bool pretty);

/*
 * Helpers: add a u64, a double, a string to an object. KEY must outlive
 * the object (a literal or a static table) and be new to it: json-c keeps
 * the pointer and does not look for an older entry.
 */
void accel_json_u64(json_object *o, const char *key, uint64_t v);
void accel_json_double(json_object *o, const char *key, double v);
void accel_json_str(json_object *o, const char *key, const char *v);

/*
 * A json-c string of v made valid UTF-8 first (accel_utf8_sanitize()):
 * json-c copies bytes as they are, and a comm, a path or a bundle's
 * field need not be UTF-8. Every string the tools print goes through it.
 */
json_object *accel_json_new_string(const char *v);

#endif /* ACCEL_JSON_H */
