// SPDX-License-Identifier: MIT
/*
 * libaccel: the /dev/accelsim/afuN ioctls and the event stream.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "accel_uapi.h"

bool accel_is_dev_node(const char *path, unsigned int dev)
{
	const char *base = strrchr(path, '/');
	char want[32];

	snprintf(want, sizeof(want), "afu%u", dev);
	return strstr(path, "accelsim") && base && !strcmp(base + 1, want);
}

int accel_open(const char *dir, unsigned int dev)
{
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/afu%u", dir ? dir : ACCEL_DEV_DIR,
		 dev);
	fd = open(path, O_RDWR | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int accel_close(int fd)
{
	return close(fd) ? -errno : 0;
}

static int xioctl(int fd, unsigned long req, void *arg)
{
	return ioctl(fd, req, arg) < 0 ? -errno : 0;
}

int accel_attach(int fd, uint32_t *pasid, uint32_t *pe)
{
	struct accelsim_ioctl_attach a;
	int ret;

	memset(&a, 0, sizeof(a));
	ret = xioctl(fd, ACCELSIM_IOCTL_ATTACH, &a);
	if (ret)
		return ret;
	if (pasid)
		*pasid = a.pasid;
	if (pe)
		*pe = a.pe;
	return 0;
}

int accel_get_info(int fd, struct accelsim_ioctl_info *info)
{
	memset(info, 0, sizeof(*info));
	return xioctl(fd, ACCELSIM_IOCTL_GET_INFO, info);
}

int accel_submit(int fd, struct accelsim_ioctl_submit *s)
{
	memset(s->reserved, 0, sizeof(s->reserved));
	s->id = 0;
	return xioctl(fd, ACCELSIM_IOCTL_SUBMIT, s);
}

int accel_terminate(int fd)
{
	struct accelsim_ioctl_terminate t;

	memset(&t, 0, sizeof(t));
	return xioctl(fd, ACCELSIM_IOCTL_TERMINATE, &t);
}

int accel_irq_alloc(int fd, uint32_t count, uint32_t *hwirq)
{
	struct accelsim_ioctl_irq_alloc a;
	int ret;

	memset(&a, 0, sizeof(a));
	a.count = count;
	ret = xioctl(fd, ACCELSIM_IOCTL_IRQ_ALLOC, &a);
	if (!ret && hwirq)
		*hwirq = a.hwirq;
	return ret;
}

int accel_irq_free(int fd, uint32_t hwirq)
{
	struct accelsim_ioctl_irq_free f;

	memset(&f, 0, sizeof(f));
	f.hwirq = hwirq;
	return xioctl(fd, ACCELSIM_IOCTL_IRQ_FREE, &f);
}

int accel_irq_set_fd(int fd, uint32_t hwirq, int efd)
{
	struct accelsim_ioctl_irq_set_fd s;

	memset(&s, 0, sizeof(s));
	s.hwirq = hwirq;
	s.fd = efd;
	return xioctl(fd, ACCELSIM_IOCTL_IRQ_SET_FD, &s);
}

long accel_read_events(int fd, void *buf, size_t size)
{
	ssize_t r;

	do {
		r = read(fd, buf, size);
	} while (r < 0 && errno == EINTR);
	return r < 0 ? -errno : (long)r;
}

int accel_event_next(const void *buf, size_t len, size_t *off,
		     struct accel_event *ev)
{
	struct accelsim_event_header h;
	const char *p = (const char *)buf + *off;
	size_t left = len - *off, want = 0;

	if (*off >= len)
		return 0;
	if (left < sizeof(h))
		return -EPROTO;
	memcpy(&h, p, sizeof(h));
	if (h.version != 1 || h.reserved || h.size > left - sizeof(h))
		return -EPROTO;
	memset(ev, 0, sizeof(*ev));
	ev->type = h.type;
	ev->version = h.version;
	switch (h.type) {
	case ACCELSIM_EVENT_WORK_DONE:
		want = sizeof(ev->u.work_done);
		break;
	case ACCELSIM_EVENT_FAULT_ERROR:
		want = sizeof(ev->u.fault_error);
		break;
	case ACCELSIM_EVENT_AFU_ERROR:
		want = sizeof(ev->u.afu_error);
		break;
	default:
		break;
	}
	/* Bodies may grow at the end; a shorter known body is an error. */
	if (h.size < want)
		return -EPROTO;
	memcpy(&ev->u, p + sizeof(h), want);
	*off += sizeof(h) + h.size;
	return 1;
}
