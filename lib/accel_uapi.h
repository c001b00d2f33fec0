/* SPDX-License-Identifier: MIT */
/*
 * libaccel: thin wrappers around the accelsim char-device UAPI
 * (kernel/uapi/accelsim.h). Every function returns 0 (or a fd / a count)
 * on success and a negative errno on failure; nothing is printed. Reserved
 * fields are zeroed here, so callers only fill what they mean.
 */
#ifndef ACCEL_UAPI_H
#define ACCEL_UAPI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <accelsim.h>

#define ACCEL_DEV_DIR "/dev/accelsim"

/*
 * Whether path (a /proc/PID/fd link's target) is the char device of
 * afuDEV.
 */
bool accel_is_dev_node(const char *path, unsigned int dev);

/* open(dir/afuN), dir NULL for ACCEL_DEV_DIR. Returns the fd or -errno. */
int accel_open(const char *dir, unsigned int dev);
int accel_close(int fd);

int accel_attach(int fd, uint32_t *pasid, uint32_t *pe);
int accel_get_info(int fd, struct accelsim_ioctl_info *info);
/* Queue s (its reserved fields are cleared); s->id is set on success. */
int accel_submit(int fd, struct accelsim_ioctl_submit *s);
int accel_terminate(int fd);
int accel_irq_alloc(int fd, uint32_t count, uint32_t *hwirq);
int accel_irq_free(int fd, uint32_t hwirq);
/* Bind hwirq to eventfd efd; efd -1 unbinds. */
int accel_irq_set_fd(int fd, uint32_t hwirq, int efd);

/* One event decoded from the read() stream. */
struct accel_event {
	uint16_t type;		/* enum accelsim_event_type */
	uint16_t version;
	union {
		struct accelsim_event_work_done work_done;
		struct accelsim_event_fault_error fault_error;
		struct accelsim_event_afu_error afu_error;
	} u;
};

/* Largest event the library knows, header included. */
#define ACCEL_EVENT_MAX (sizeof(struct accelsim_event_header) + 64)

/*
 * read() whole events into buf (size >= ACCEL_EVENT_MAX). Returns bytes
 * read, 0 on EOF, or -errno (-EAGAIN on a non-blocking fd with nothing).
 */
long accel_read_events(int fd, void *buf, size_t size);

/*
 * Decode the event at buf + *off (len bytes in buf) and advance *off.
 * Returns 1 with an event, 0 at the end, -EPROTO for a truncated event,
 * an unknown version or non-zero reserved header field. Unknown types are
 * returned with their type and an all-zero body, so callers can skip them.
 */
int accel_event_next(const void *buf, size_t len, size_t *off,
		     struct accel_event *ev);

#endif /* ACCEL_UAPI_H */
