/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * libaccel: the layout of the driver's tracepoint records, as the
 * events/accelsim/<event>/format files give it (accelsim(4)). The BPF
 * programs (bpf/accelsim_lat.bpf.c) read their tracepoint/ contexts
 * through these structs, and acceltop checks the running driver's format
 * files against them (accel_event_check) before it loads those programs:
 * one definition for both.
 *
 * The first 8 bytes of a record are the common fields; natural alignment
 * gives the offsets in the comments.
 */
#ifndef ACCEL_EVENTS_H
#define ACCEL_EVENTS_H

#ifndef __VMLINUX_H__
#include <stddef.h>
#include <linux/types.h>
#endif

struct accel_tp_fault {
	__u64 common;
	__u64 id;		/* offset 8 */
	__u32 dev;		/* 16 */
	__u32 pe;		/* 20 */
	__u32 pasid;		/* 24 */
	__u64 addr;		/* 32 */
	__u32 access;		/* 40 */
};

struct accel_tp_fault_ack {
	__u64 common;
	__u64 id;		/* 8 */
	__u32 dev;		/* 16 */
	__u32 pe;		/* 20 */
	__u32 pasid;		/* 24 */
	__u64 addr;		/* 32 */
	__u32 resp;		/* 40 */
	__u64 lat_ns;		/* 48 */
};

/* tlbi_start and tlbi_done (which adds entries at 40, lat_ns at 48). */
struct accel_tp_tlbi {
	__u64 common;
	__u64 id;		/* 8 */
	__u32 dev;		/* 16 */
	__u32 pasid;		/* 20 */
	__u64 start;		/* 24 */
	__u64 end;		/* 32 */
};

struct accel_tp_irq {
	__u64 common;
	__u32 dev;		/* 8 */
	__u32 pe;		/* 12 */
	__u32 pasid;		/* 16 */
	__u32 hwirq;		/* 20 */
};

struct accel_tp_work_submit {
	__u64 common;
	__u64 id;		/* 8 */
	__u32 dev;		/* 16 */
	__u32 pe;		/* 20 */
	__u32 pasid;		/* 24 */
	__u32 op;		/* 28 */
	__u64 len;		/* 32 */
	__u64 tag;		/* 40 */
};

struct accel_tp_work_done {
	__u64 common;
	__u64 id;		/* 8 */
	__u32 dev;		/* 16 */
	__u32 pe;		/* 20 */
	__u32 pasid;		/* 24 */
	__u32 status;		/* 28 */
	__u64 bytes;		/* 32 */
};

struct accel_tp_pasid {
	__u64 common;
	__u32 pasid;		/* 8 */
	__u32 pid;		/* 12 */
};

#ifndef __VMLINUX_H__
#include <stdbool.h>
#include <stdint.h>

/* The driver's trace system, and its BTF (for BPF on tp_btf). */
#define ACCEL_EVENT_SYSTEM "accelsim"
#define ACCEL_MODULE_BTF "/sys/kernel/btf/accelsim"

/* The driver's tracepoints; a tool needs fault and fault_ack at least. */
enum accel_tp {
	ACCEL_TP_FAULT,
	ACCEL_TP_FAULT_ACK,
	ACCEL_TP_TLBI_START,
	ACCEL_TP_TLBI_DONE,
	ACCEL_TP_IRQ_FIRE,
	ACCEL_TP_WORK_SUBMIT,
	ACCEL_TP_WORK_DONE,
	ACCEL_TP_PASID_FREE,
	ACCEL_TP_NR
};

/* Their names: "fault", "fault_ack", ... */
extern const char *const accel_tp_names[ACCEL_TP_NR];

/*
 * Remove the tracefs instances PREFIX<pid> (a tool's private instance)
 * whose process is gone: killed before it could remove its own, they
 * would trace forever.
 */
void accel_tracefs_reap(const char *tracing_dir, const char *prefix);

/* The folder of the driver's events under the tracefs root. 0 or -errno. */
int accel_tp_dir(const char *tracing_dir, char *buf, size_t size);

/*
 * The driver's flight recorder: the tracefs instance that the module
 * creates at load with its events enabled (accelsim(4)), whatever the
 * top-level trace does. Its folder under the tracefs root: 0 or -errno.
 */
#define ACCEL_FLIGHT_INSTANCE "accelsim"
int accel_flight_dir(const char *tracing_dir, char *buf, size_t size);

/*
 * One line of a tracefs "trace" file ("comm-pid [cpu] flags ts: event:
 * fields"): its event name and timestamp (s). False for a comment or a
 * line of another shape.
 */
bool accel_trace_line(const char *line, char *event, size_t size,
		      double *ts);

/*
 * The fields of one record that the tools count, read by name with
 * libtraceevent; a field the event does not have reads 0. has_lat: the
 * event carries the driver's own latency (fault_ack, tlbi_done).
 */
struct accel_tp_rec {
	uint64_t id;
	uint32_t dev;
	uint32_t pasid;
	bool has_pe;		/* the event carries a PE (not the TLBIs) */
	uint32_t pe;
	uint32_t pid;		/* pasid_free */
	uint64_t resp;		/* fault_ack: 0 restart, else address error */
	uint64_t status;	/* work_done: enum accelsim_status */
	uint64_t bytes;		/* work_done */
	bool has_lat;
	uint64_t lat_ns;
};

struct tep_event;
struct tep_record;
void accel_tp_read(struct tep_event *e, struct tep_record *r,
		   struct accel_tp_rec *out);

enum accel_event_state {
	ACCEL_EVENT_OK,
	ACCEL_EVENT_MISSING,	/* no such event (no format file) */
	ACCEL_EVENT_CHANGED,	/* a field is not where the structs put it */
	ACCEL_EVENT_UNREADABLE,	/* the format file cannot be read */
};

/*
 * Check the format file of accelsim/<event> under the tracefs root
 * tracing_dir (its events/ folder) against the structs above. On
 * ACCEL_EVENT_CHANGED, why says which field moved.
 */
enum accel_event_state accel_event_check(const char *tracing_dir,
					 const char *event, char *why,
					 size_t len);
#endif

#endif /* ACCEL_EVENTS_H */
