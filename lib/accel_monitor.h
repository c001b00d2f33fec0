/* SPDX-License-Identifier: MIT */
/*
 * libaccel: the events of accelctl monitor. Every fault and invalidation
 * event the machine can report: the driver's tracepoints, the kernel's
 * iommu and intel_iommu tracepoints, and the DMAR fault lines of the
 * kernel log. Each trace record is read with libtraceevent from its own
 * format file (fields by name, never by offset) and becomes one JSON
 * object: ts, source, event, device, pasid and address where the event
 * has them, and every field of the record under "fields".
 */
#ifndef ACCEL_MONITOR_H
#define ACCEL_MONITOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

/* The kernel log as a source: its name in the stream and in --events. */
#define ACCEL_MON_KMSG "kmsg"
#define ACCEL_MON_KMSG_PATH "/dev/kmsg"

enum accel_mon_kind {
	ACCEL_MON_FAULT,	/* a fault, its report or its answer */
	ACCEL_MON_INVAL,	/* an invalidation (opt-in: can be chatty) */
};

struct accel_mon_rec;
struct tep_event;
struct tep_record;

/* One traced event: its trace system (the source) and name. */
struct accel_mon_event {
	const char *system;
	const char *event;
	enum accel_mon_kind kind;
	/* Fills device, pasid and address from the record's fields. */
	void (*decode)(struct tep_event *e, struct tep_record *r,
		       struct accel_mon_rec *out);
};

extern const struct accel_mon_event accel_mon_events[];
extern const size_t accel_mon_nevents;

/* The sources in stream order: the trace systems, then ACCEL_MON_KMSG. */
extern const char *const accel_mon_sources[];
extern const size_t accel_mon_nsources;

/*
 * Whether --events LIST (comma-separated; NULL: everything) selects an
 * event: LIST names its system ("iommu"), its name ("fault") or both
 * ("accelsim:fault"). Invalidations only with inval.
 */
bool accel_mon_wanted(const struct accel_mon_event *m, const char *list,
		      bool inval);
/* Whether LIST selects the kernel log. */
bool accel_mon_kmsg_wanted(const char *list);
/* 0, or -EINVAL with *bad the first word of LIST that names nothing. */
int accel_mon_check_list(const char *list, char *bad, size_t size);

/* "ts": ns as seconds with nine decimals. */
void accel_mon_ts(json_object *o, uint64_t ns);

/*
 * One trace record (its timestamp in ns of the instance's clock) as a
 * JSON object; NULL on allocation failure.
 */
json_object *accel_mon_record(const struct accel_mon_event *m,
			      struct tep_event *e, struct tep_record *r);

/*
 * One /dev/kmsg record ("prio,seq,usec,flags;message"): a DMAR fault line
 * ("DMAR: [DMA Read NO_PASID] Request device [00:03.0] fault addr 0x...
 * [fault reason 0x06] ...") of the kernel (facility 0) as a JSON object
 * with source "kmsg", ts the log's own timestamp; NULL for any other line.
 */
json_object *accel_mon_kmsg(const char *rec, size_t len);

#endif /* ACCEL_MONITOR_H */
