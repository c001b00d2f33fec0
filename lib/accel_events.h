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
