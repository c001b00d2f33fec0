/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * accelsim: user API of the emulated shared-virtual-memory accelerator.
 *
 * open("/dev/accelsim/afuN") creates a context. ACCELSIM_IOCTL_ATTACH binds
 * it to the caller's address space; the context then gets the process's
 * PASID (or, with ACCELSIM_ATTACH_PRIVATE_PASID, a PASID of its own) and a
 * process element (PE) in the device's SPA. Work descriptors are
 * queued with ACCELSIM_IOCTL_SUBMIT and run by the device engine in the
 * process's address space. read() and poll() deliver events.
 *
 * Every struct carries reserved fields that must be zero on input, or the
 * ioctl fails with -EINVAL. Structs only grow at the end, into reserved space.
 * See accelsim(4).
 */
#ifndef _UAPI_ACCELSIM_H
#define _UAPI_ACCELSIM_H

#include <linux/const.h>
#include <linux/types.h>
#include <linux/ioctl.h>

/*
 * The API version GET_INFO returns. A program that uses something added in
 * a later version checks it first (an older driver rejects it as it would
 * any unknown flag: -EINVAL).
 *   1: the first API.
 *   2: ACCELSIM_ATTACH_PRIVATE_PASID, ACCELSIM_INFO_PRIVATE_PASID.
 */
#define ACCELSIM_API_VERSION	2

/* ACCELSIM_IOCTL_ATTACH: bind current->mm; returns the PASID and PE. */
struct accelsim_ioctl_attach {
	__u32 flags;		/* in: ACCELSIM_ATTACH_* */
	__u32 pasid;		/* out */
	__u32 pe;		/* out */
	__u32 reserved0;	/* must be 0 */
	__u64 reserved[4];	/* must be 0 */
};

/*
 * ATTACH flags. ACCELSIM_ATTACH_PRIVATE_PASID (version 2): a new PASID owned
 * by this context alone, instead of the address space's shared one; it is
 * freed once the context is detached and nothing carries it any more.
 */
#define ACCELSIM_ATTACH_PRIVATE_PASID	_BITUL(0)
#define ACCELSIM_ATTACH_FLAGS		ACCELSIM_ATTACH_PRIVATE_PASID

/* ACCELSIM_IOCTL_GET_INFO: the context and the device geometry. */
struct accelsim_ioctl_info {
	__u32 version;		/* out: ACCELSIM_API_VERSION */
	__u32 flags;		/* out: ACCELSIM_INFO_* */
	__u32 dev;		/* out: device number N of afuN */
	__u32 pasid;		/* out: valid when ACCELSIM_INFO_ATTACHED */
	__u32 pe;		/* out: valid when ACCELSIM_INFO_ATTACHED */
	__u32 max_pe;		/* out: SPA size */
	__u32 pasid_bits;	/* out: width of the PASID space */
	__u32 irq_budget;	/* out: IRQs the device can hand out */
	__u32 atc_entries;	/* out: device translation cache size */
	__u32 page_size;	/* out: engine translation granule */
	__u64 reserved[6];	/* must be 0 */
};

#define ACCELSIM_INFO_ATTACHED	_BITUL(0)
/* With ATTACHED (version 2): the context's PASID is a private one. */
#define ACCELSIM_INFO_PRIVATE_PASID	_BITUL(1)

enum accelsim_op {
	ACCELSIM_OP_COPY = 1,	/* dst[0..len) = src[0..len) */
	ACCELSIM_OP_FILL,	/* dst[0..len) = pattern byte */
	ACCELSIM_OP_COMPARE,	/* src vs dst; result in the completion */
	ACCELSIM_OP_TOUCH,	/* read (or, with FLAG_WRITE, write) each page of dst */
};

/* Descriptor flags. */
#define ACCELSIM_SUBMIT_IRQ	_BITUL(0)	/* fire hwirq on completion */
#define ACCELSIM_SUBMIT_WRITE	_BITUL(1)	/* TOUCH: write access */
#define ACCELSIM_SUBMIT_FLAGS	(ACCELSIM_SUBMIT_IRQ | ACCELSIM_SUBMIT_WRITE)

/* Longest single descriptor. */
#define ACCELSIM_MAX_LEN	_BITULL(32)

/* ACCELSIM_IOCTL_SUBMIT: queue one work descriptor. */
struct accelsim_ioctl_submit {
	__u32 op;		/* in: enum accelsim_op */
	__u32 flags;		/* in: ACCELSIM_SUBMIT_* */
	__u64 src;		/* in: source address (COPY, COMPARE) */
	__u64 dst;		/* in: destination address */
	__u64 len;		/* in: bytes, 1 .. ACCELSIM_MAX_LEN */
	__u64 tag;		/* in: returned unchanged in the completion */
	__u32 pattern;		/* in: FILL byte in bits 0-7; others must be 0 */
	__u32 hwirq;		/* in: IRQ to fire with ACCELSIM_SUBMIT_IRQ */
	__u64 id;		/* out: work id, as in the work_* tracepoints */
	__u64 reserved[4];	/* must be 0 */
};

/* ACCELSIM_IOCTL_TERMINATE: stop the PE; -EBUSY if the device hangs. */
struct accelsim_ioctl_terminate {
	__u32 flags;		/* in: must be 0 */
	__u32 reserved0;	/* must be 0 */
	__u64 reserved[3];	/* must be 0 */
};

/* ACCELSIM_IOCTL_IRQ_ALLOC: a range of count IRQs from the device budget. */
struct accelsim_ioctl_irq_alloc {
	__u32 count;		/* in: 1 .. irq_budget */
	__u32 hwirq;		/* out: first hwirq of the range */
	__u64 reserved[3];	/* must be 0 */
};

/* ACCELSIM_IOCTL_IRQ_FREE: free the range that starts at hwirq. */
struct accelsim_ioctl_irq_free {
	__u32 hwirq;		/* in: first hwirq of a range of this context */
	__u32 reserved0;	/* must be 0 */
	__u64 reserved[3];	/* must be 0 */
};

/* ACCELSIM_IOCTL_IRQ_SET_FD: bind hwirq to an eventfd; fd -1 unbinds. */
struct accelsim_ioctl_irq_set_fd {
	__u32 hwirq;		/* in */
	__s32 fd;		/* in: eventfd, or -1 */
	__u64 reserved[3];	/* must be 0 */
};

/*
 * Ioctl numbers: type 0xDA, numbers 0x00-0x1F (0x00-0x06 used, the rest
 * kept for growth). 0xDA is registered to no one in the kernel's
 * Documentation/userspace-api/ioctl/ioctl-number.rst (checked in 6.1 and
 * in a 6.18-era copy) and no 6.1 or 6.12 uapi header defines ioctls with
 * it. The 0xCA used before is ocxl's (0x10-0x2F) and cxl's (0x00-0x0F),
 * whose drivers an SVA accelerator's host may load alongside this one.
 */
#define ACCELSIM_MAGIC	0xDA

#define ACCELSIM_IOCTL_ATTACH \
	_IOWR(ACCELSIM_MAGIC, 0x00, struct accelsim_ioctl_attach)
#define ACCELSIM_IOCTL_GET_INFO \
	_IOR(ACCELSIM_MAGIC, 0x01, struct accelsim_ioctl_info)
#define ACCELSIM_IOCTL_SUBMIT \
	_IOWR(ACCELSIM_MAGIC, 0x02, struct accelsim_ioctl_submit)
#define ACCELSIM_IOCTL_TERMINATE \
	_IOW(ACCELSIM_MAGIC, 0x03, struct accelsim_ioctl_terminate)
#define ACCELSIM_IOCTL_IRQ_ALLOC \
	_IOWR(ACCELSIM_MAGIC, 0x04, struct accelsim_ioctl_irq_alloc)
#define ACCELSIM_IOCTL_IRQ_FREE \
	_IOW(ACCELSIM_MAGIC, 0x05, struct accelsim_ioctl_irq_free)
#define ACCELSIM_IOCTL_IRQ_SET_FD \
	_IOW(ACCELSIM_MAGIC, 0x06, struct accelsim_ioctl_irq_set_fd)

/*
 * Events, from read(). Each read returns whole events only: a header
 * followed by the body for its type. A buffer shorter than the next event
 * gets -EINVAL and the event stays queued.
 */
enum accelsim_event_type {
	ACCELSIM_EVENT_WORK_DONE = 1,
	ACCELSIM_EVENT_FAULT_ERROR,
	ACCELSIM_EVENT_AFU_ERROR,
};

struct accelsim_event_header {
	__u16 type;		/* enum accelsim_event_type */
	__u16 version;		/* 1 */
	__u32 size;		/* bytes of the body that follows */
	__u64 reserved;		/* 0 */
};

/* Completion status. */
enum accelsim_status {
	ACCELSIM_STATUS_OK = 0,
	ACCELSIM_STATUS_FAULT,		/* translation fault acked ADDRESS_ERROR */
	ACCELSIM_STATUS_MISMATCH,	/* COMPARE found a difference */
	ACCELSIM_STATUS_ABORTED,	/* context terminated or device removed */
	ACCELSIM_STATUS_AFU_ERROR,	/* the device reported an error */
};

struct accelsim_event_work_done {
	__u64 id;		/* work id from SUBMIT */
	__u64 tag;		/* tag from SUBMIT */
	__u64 bytes;		/* bytes processed before the end */
	__u64 addr;		/* FAULT: failing address; MISMATCH: first diff */
	__u32 status;		/* enum accelsim_status */
	__u32 reserved0;
	__u64 reserved[2];
};

struct accelsim_event_fault_error {
	__u64 addr;		/* faulting address */
	__u64 fault_id;		/* as in the fault/fault_ack tracepoints */
	__u64 work_id;		/* work that faulted, 0 for injected faults */
	__u32 access;		/* 0 read, 1 write */
	__s32 err;		/* negative errno from fault resolution */
	__u64 reserved[2];
};

struct accelsim_event_afu_error {
	__u64 code;		/* device error code */
	__u64 reserved[3];
};

/* Fault access and ack response codes, as in tracepoints and debugfs. */
#define ACCELSIM_ACCESS_READ		0
#define ACCELSIM_ACCESS_WRITE		1
#define ACCELSIM_RESP_RESTART		0
#define ACCELSIM_RESP_ADDRESS_ERROR	1

#endif /* _UAPI_ACCELSIM_H */
