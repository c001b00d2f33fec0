// SPDX-License-Identifier: MIT
/*
 * libaccel: reading a debugfs file whole (debugfs reports a size of 0, so
 * read until EOF), reading a pipe to EOF with a deadline, and reading the
 * kernel's syslog buffer.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/klog.h>
#include <time.h>
#include <unistd.h>

#include "accel_views.h"

/* Views larger than this are refused: 64 MiB. */
#define ACCEL_MAX_VIEW (64u << 20)

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Wait until fd can be read before deadline: 0, or -ETIMEDOUT. */
static int wait_readable(int fd, uint64_t deadline)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	uint64_t now;
	int r;

	for (;;) {
		now = now_ns();
		if (now >= deadline)
			return -ETIMEDOUT;
		r = poll(&pfd, 1, (int)((deadline - now) / 1000000ull) + 1);
		/* Readable, or an error read() will report. */
		if (r > 0 || (r < 0 && errno != EINTR))
			return 0;
	}
}

int accel_read_fd(int fd, int timeout_ms, char **bufp, size_t *lenp)
{
	uint64_t deadline = now_ns() + (uint64_t)timeout_ms * 1000000ull;
	size_t len = 0, cap = 4096;
	char *buf, *nbuf;
	int ret = 0;
	ssize_t r;

	buf = malloc(cap);
	if (!buf)
		return -ENOMEM;
	for (;;) {
		if (cap - len < 2) {
			if (cap >= ACCEL_MAX_VIEW) {
				ret = -EFBIG;
				break;
			}
			nbuf = realloc(buf, cap * 2);
			if (!nbuf) {
				ret = -ENOMEM;
				break;
			}
			buf = nbuf;
			cap *= 2;
		}
		if (timeout_ms >= 0) {
			ret = wait_readable(fd, deadline);
			if (ret)
				break;
		}
		r = read(fd, buf + len, cap - len - 1);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			ret = -errno;
			break;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	if (ret) {
		free(buf);
		return ret;
	}
	buf[len] = '\0';
	*bufp = buf;
	*lenp = len;
	return 0;
}

int accel_read_file(const char *path, char **bufp, size_t *lenp)
{
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = accel_read_fd(fd, -1, bufp, lenp);
	close(fd);
	return ret;
}

int accel_read_klog(char **buf)
{
	char *b;
	int n;

	n = klogctl(10, NULL, 0);	/* SYSLOG_ACTION_SIZE_BUFFER */
	if (n <= 0)
		return n < 0 ? -errno : -ENODATA;
	b = malloc((size_t)n + 1);
	if (!b)
		return -ENOMEM;
	n = klogctl(3, b, n);		/* SYSLOG_ACTION_READ_ALL */
	if (n < 0) {
		n = -errno;
		free(b);
		return n;
	}
	b[n] = '\0';
	*buf = b;
	return 0;
}
