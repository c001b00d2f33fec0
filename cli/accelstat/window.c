// SPDX-License-Identifier: MIT
/*
 * accelstat --check: the recent window. Each run keeps a reading of every
 * device it judges (fault counters and latency histograms, with the time)
 * in a state file, one per device and window, in the state directory
 * (/var/lib/accel, --state-dir or $ACCEL_STATE_DIR), as Nagios plugins
 * keep theirs; the windowed thresholds judge now minus the newest reading
 * at least a window old (accel_health.h). Runs lock the directory (flock);
 * files are replaced atomically (temp file and rename) and never read
 * through a symlink.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "accelstat.h"

#define LOCK_TRIES 100		/* 50 ms each: 5 s */

static const char *state_dir(const struct stat_opts *o)
{
	const char *env = getenv("ACCEL_STATE_DIR");

	if (o->state_dir)
		return o->state_dir;
	return env && *env ? env : ACCEL_STATE_DIR_DEFAULT;
}

int check_state_open(const struct stat_opts *o, struct check_state *cs)
{
	int i;

	memset(cs, 0, sizeof(*cs));
	cs->fd = -1;
	cs->dir = state_dir(o);
	if (mkdir(cs->dir, 0755) && errno != EEXIST)
		goto fail;
	cs->fd = open(cs->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (cs->fd < 0)
		goto fail;
	for (i = 0; flock(cs->fd, LOCK_EX | LOCK_NB); i++) {
		if (errno != EWOULDBLOCK)
			goto fail;
		if (i == LOCK_TRIES) {
			snprintf(cs->err, sizeof(cs->err), "state %s: still "
				 "locked by another run after 5s", cs->dir);
			close(cs->fd);
			cs->fd = -1;
			return -1;
		}
		usleep(50000);
	}
	return 0;
fail:
	snprintf(cs->err, sizeof(cs->err), "state %s: %s", cs->dir,
		 strerror(errno));
	if (cs->fd >= 0)
		close(cs->fd);
	cs->fd = -1;
	return -1;
}

void check_state_close(struct check_state *cs)
{
	if (cs->fd >= 0)
		close(cs->fd);
	cs->fd = -1;
}

/* Read the state file name; an absent, foreign or bad one is empty. */
static void load_state(const struct check_state *cs, const char *name,
		       struct accel_hstate *hs)
{
	struct accel_err err;
	char *buf = NULL;
	struct stat st;
	ssize_t r;
	size_t len = 0;
	int fd;

	memset(hs, 0, sizeof(*hs));
	fd = openat(cs->fd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC |
		    O_NONBLOCK);
	if (fd < 0) {
		if (errno != ENOENT)
			stat_err("state %s/%s: %s (starting anew)", cs->dir,
				 name, strerror(errno));
		return;
	}
	/* Ours and a plain file of sane size, or not read at all. */
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) ||
	    st.st_uid != geteuid() || st.st_size > (1 << 20))
		goto out;
	buf = malloc((size_t)st.st_size + 1);
	if (!buf)
		goto out;
	while (len < (size_t)st.st_size) {
		r = read(fd, buf + len, (size_t)st.st_size - len);
		if (r <= 0) {
			if (r < 0 && errno == EINTR)
				continue;
			break;
		}
		len += (size_t)r;
	}
	if (accel_hstate_parse(buf, len, name, hs, &err))
		stat_err("state %s/%s (starting anew)", cs->dir, err.msg);
out:
	free(buf);
	close(fd);
}

/* Replace the state file name with hs: temp file, fsync, rename. */
static int save_state(const struct check_state *cs, const char *name,
		      const struct accel_hstate *hs)
{
	char tmp[4096], *text;
	size_t len, off = 0;
	int fd, err = 0;

	text = accel_hstate_format(hs);
	if (!text)
		return -ENOMEM;
	len = strlen(text);
	snprintf(tmp, sizeof(tmp), "%s/.%s.XXXXXX", cs->dir, name);
	fd = mkstemp(tmp);
	if (fd < 0) {
		free(text);
		return -errno;
	}
	while (off < len && !err) {
		ssize_t w = write(fd, text + off, len - off);

		if (w < 0 && errno != EINTR)
			err = -errno;
		else if (w > 0)
			off += (size_t)w;
	}
	free(text);
	if (!err && fsync(fd))
		err = -errno;
	if (close(fd) && !err)
		err = -errno;
	if (!err && renameat(AT_FDCWD, tmp, cs->fd, name))
		err = -errno;
	if (err)
		unlink(tmp);
	return err;
}

double check_window_dev(struct check_state *cs, const struct stat_opts *o,
			const struct accel_health *h,
			const struct accel_dev *d, struct accel_summary *s)
{
	const struct accel_hreading *base;
	struct accel_hreading cur;
	struct accel_hstate hs;
	struct timespec now;
	char name[128], key[sizeof(hs.key)];
	double span = -1;
	int ret;

	if (cs->fd < 0 || h->window <= 0)
		return -1;
	clock_gettime(CLOCK_BOOTTIME, &now);
	accel_hreading_of(d, (double)now.tv_sec + now.tv_nsec / 1e9, &cur);
	snprintf(name, sizeof(name), "check-%s-%gs.state", d->name, h->window);
	accel_hstate_key(o->root, d->name, key, sizeof(key));
	load_state(cs, name, &hs);
	if (strcmp(hs.key, key)) {
		accel_hstate_free(&hs);
		snprintf(hs.key, sizeof(hs.key), "%s", key);
	}
	base = accel_hstate_base(&hs, &cur, h->window);
	if (base) {
		accel_health_window(s, &cur, base);
		span = cur.t - base->t;
	}
	ret = accel_hstate_add(&hs, &cur, h->window);
	if (!ret)
		ret = save_state(cs, name, &hs);
	if (ret && !cs->err[0])
		snprintf(cs->err, sizeof(cs->err), "state %s/%s: %s", cs->dir,
			 name, strerror(-ret));
	accel_hstate_free(&hs);
	return span;
}
