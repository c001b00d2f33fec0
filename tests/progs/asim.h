/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the accelsim test programs: open a device, attach,
 * submit, and read events through the UAPI of kernel/uapi/accelsim.h.
 */
#ifndef ASIM_H
#define ASIM_H

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "accelsim.h"

static inline void asim_die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

static inline int asim_open(unsigned int dev)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/dev/accelsim/afu%u", dev);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		asim_die("open %s: %s", path, strerror(errno));
	return fd;
}

/* Attach with ACCELSIM_ATTACH_* @flags; returns 0 or -errno. */
static inline int asim_attach_flags(int fd, uint32_t flags, uint32_t *pasid,
				    uint32_t *pe)
{
	struct accelsim_ioctl_attach a;

	memset(&a, 0, sizeof(a));
	a.flags = flags;
	if (ioctl(fd, ACCELSIM_IOCTL_ATTACH, &a) < 0)
		return -errno;
	if (pasid)
		*pasid = a.pasid;
	if (pe)
		*pe = a.pe;
	return 0;
}

/* Attach to the address space's shared PASID; returns 0 or -errno. */
static inline int asim_attach(int fd, uint32_t *pasid, uint32_t *pe)
{
	return asim_attach_flags(fd, 0, pasid, pe);
}

static inline int asim_submit(int fd, uint32_t op, uint32_t flags,
			      uint64_t src, uint64_t dst, uint64_t len,
			      uint64_t tag, uint32_t pattern, uint64_t *id)
{
	struct accelsim_ioctl_submit s;

	memset(&s, 0, sizeof(s));
	s.op = op;
	s.flags = flags;
	s.src = src;
	s.dst = dst;
	s.len = len;
	s.tag = tag;
	s.pattern = pattern;
	if (ioctl(fd, ACCELSIM_IOCTL_SUBMIT, &s) < 0)
		return -errno;
	if (id)
		*id = s.id;
	return 0;
}

struct asim_event {
	struct accelsim_event_header hdr;
	union {
		struct accelsim_event_work_done work_done;
		struct accelsim_event_fault_error fault_error;
		struct accelsim_event_afu_error afu_error;
		unsigned char raw[256];
	} body;
};

/* Blocking read of one event; returns bytes or -errno. */
static inline ssize_t asim_read_event(int fd, struct asim_event *ev)
{
	ssize_t n = read(fd, ev, sizeof(*ev));

	return n < 0 ? -errno : n;
}

/* Read events until the WORK_DONE of @id; fault errors are printed. */
static inline int asim_wait_done(int fd, uint64_t id,
				 struct accelsim_event_work_done *out,
				 int verbose)
{
	struct asim_event ev;
	ssize_t n;

	for (;;) {
		n = asim_read_event(fd, &ev);
		if (n < 0)
			return (int)n;
		if (ev.hdr.type == ACCELSIM_EVENT_FAULT_ERROR && verbose)
			printf("fault_error addr=0x%llx fault_id=%llu work_id=%llu access=%u err=%d\n",
			       (unsigned long long)ev.body.fault_error.addr,
			       (unsigned long long)ev.body.fault_error.fault_id,
			       (unsigned long long)ev.body.fault_error.work_id,
			       ev.body.fault_error.access,
			       ev.body.fault_error.err);
		if (ev.hdr.type == ACCELSIM_EVENT_WORK_DONE &&
		    ev.body.work_done.id == id) {
			*out = ev.body.work_done;
			return 0;
		}
	}
}

/*
 * The device-wide counter NAME of afuDEV's debugfs stats view (the rows
 * "NAME - VALUE"), or -1 when it is not listed.
 */
static inline long long asim_stat(unsigned int dev, const char *name)
{
	char path[128], line[256], n[64], b[16];
	long long v, ret = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/kernel/debug/accelsim/afu%u/stats",
		 dev);
	f = fopen(path, "r");
	if (!f)
		asim_die("open %s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%63s %15s %lld", n, b, &v) == 3 &&
		    !strcmp(n, name) && !strcmp(b, "-"))
			ret = v;
	fclose(f);
	return ret;
}

#endif /* ASIM_H */
