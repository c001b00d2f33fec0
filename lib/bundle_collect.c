// SPDX-License-Identifier: MIT
/*
 * libaccel: the section collectors of a support bundle
 * (accel_bundle_write.h). Every read of the driver's or the kernel's files
 * runs in a child process with a deadline (timed_read), so a wedged device
 * makes a section fail instead of hanging the dump.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "accel.h"
#include "accel_bundle_write.h"
#include "accel_control.h"
#include "accel_events.h"
#include "accel_idxd.h"
#include "accel_platform.h"
#include "accel_views.h"

void accel_dump_fail(struct accel_dump_section *s, const char *fmt, ...)
{
	size_t used = strlen(s->error);
	va_list ap;

	s->ok = false;
	if (used && used + 2 < sizeof(s->error)) {
		strcat(s->error, "; ");
		used += 2;
	}
	if (used >= sizeof(s->error) - 1)
		return;
	va_start(ap, fmt);
	vsnprintf(s->error + used, sizeof(s->error) - used, fmt, ap);
	va_end(ap);
}

static int write_all(int fd, const char *p, size_t n)
{
	ssize_t w;

	while (n) {
		w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -EIO;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/*
 * Run fn in a child process that writes its output to fd; collect the
 * output with a deadline. A child that does not finish in timeout_ms is
 * killed (a read stuck in the kernel cannot hang the dump). Returns 0 with
 * a malloc'ed NUL-terminated *buf, or -ETIMEDOUT, -EFBIG or the child's
 * negative errno.
 */
static int timed_read(int (*fn)(void *arg, int fd), void *arg,
		      int timeout_ms, char **bufp, size_t *lenp)
{
	int p[2], status, ret = 0;
	size_t len;
	char *buf;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC))
		return -errno;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		ret = -errno;
		close(p[0]);
		close(p[1]);
		return ret;
	}
	if (!pid) {
		close(p[0]);
		signal(SIGPIPE, SIG_DFL);
		ret = fn(arg, p[1]);
		_exit(ret < 0 ? (-ret & 0xff) : 0);
	}
	close(p[1]);
	ret = accel_read_fd(p[0], timeout_ms, &buf, &len);
	close(p[0]);
	if (ret) {
		/* The child may be stuck in the kernel: never wait for it. */
		kill(pid, SIGKILL);
		waitpid(pid, &status, WNOHANG);
		return ret;
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status) && WEXITSTATUS(status)) {
		free(buf);
		return -WEXITSTATUS(status);
	}
	if (!WIFEXITED(status)) {
		free(buf);
		return -EIO;
	}
	*bufp = buf;
	*lenp = len;
	return 0;
}

static int child_read_file(void *arg, int fd)
{
	size_t len;
	char *buf;
	int ret;

	ret = accel_read_file(arg, &buf, &len);
	if (ret)
		return ret;
	ret = write_all(fd, buf, len);
	free(buf);
	return ret;
}

static const char *timed_strerror(int err, char *buf, size_t size)
{
	if (err == -ETIMEDOUT)
		return "timed out";
	snprintf(buf, size, "%s", strerror(-err));
	return buf;
}

/* Read path into the bundle as name; failures go to s. */
static int collect_file(struct accel_dump *d, struct accel_dump_section *s,
			const char *path, const char *name, const char *label)
{
	char *buf, eb[128];
	size_t len;
	int ret;

	ret = timed_read(child_read_file, (void *)path, d->o.timeout_ms, &buf,
			 &len);
	if (ret) {
		accel_dump_fail(s, "%s: %s", label,
				  timed_strerror(ret, eb, sizeof(eb)));
		return ret;
	}
	ret = accel_bundle_add(&d->b, name, buf, len);
	free(buf);
	if (ret)
		accel_dump_fail(s, "%s: %s", label, strerror(-ret));
	return ret;
}

/* Files of dir (debugfs relative rel) that can be read; recursion depth. */
static void walk(struct accel_dump *d, struct accel_dump_section *s,
		 const char *dir, const char *rel, int depth)
{
	char path[4096], r2[1024], name[1100];
	struct dirent **de;
	struct stat st;
	int n, i;

	n = scandir(dir, &de, NULL, alphasort);
	if (n < 0) {
		accel_dump_fail(s, "%s: %s", *rel ? rel : ".",
				  strerror(errno));
		return;
	}
	for (i = 0; i < n; i++) {
		const char *e = de[i]->d_name;

		if (e[0] == '.')
			goto next;
		snprintf(path, sizeof(path), "%s/%s", dir, e);
		snprintf(r2, sizeof(r2), "%s%s%s", rel, *rel ? "/" : "", e);
		if (lstat(path, &st))
			goto next;
		if (S_ISDIR(st.st_mode)) {
			if (depth < 3)
				walk(d, s, path, r2, depth + 1);
			goto next;
		}
		/*
		 * Skip write-only controls (new_device, inject actions).
		 * FIFOs are read like files (tests use one as a wedged view).
		 */
		if ((!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode)) ||
		    !(st.st_mode & 0444))
			goto next;
		snprintf(name, sizeof(name), ACCEL_BUNDLE_DEBUGFS "%s", r2);
		collect_file(d, s, path, name, r2);
next:
		free(de[i]);
	}
	free(de);
}

static void collect_debugfs(struct accel_dump *d, struct accel_dump_section *s)
{
	walk(d, s, d->o.root, "", 0);
}

static void collect_sysfs(struct accel_dump *d, struct accel_dump_section *s)
{
	char dir[4096], path[4200], name[128];
	unsigned int ids[ACCEL_MAX_DEVS];
	int n, i, k;

	accel_ctl_path(d->o.sysfs, -1, "devices", dir, sizeof(dir));
	n = accel_list_devices(dir, ids, ACCEL_MAX_DEVS);
	if (n < 0) {
		accel_dump_fail(s, "%s: %s", dir, strerror(-n));
		return;
	}
	for (i = 0; i < n; i++) {
		for (k = 0; accel_inject_knobs[k]; k++) {
			/* A knob this driver lacks is not a failure. */
			if (accel_knob_path(d->o.sysfs, ids[i],
					    accel_inject_knobs[k], path,
					    sizeof(path)) || access(path, F_OK))
				continue;
			/* sysfs/ + the knob's path under the bus' devices */
			snprintf(name, sizeof(name), ACCEL_BUNDLE_SYSFS "%s",
				 path + strlen(dir) + 1);
			collect_file(d, s, path, name,
				     name + sizeof(ACCEL_BUNDLE_SYSFS) - 1);
		}
	}
}

static void collect_params(struct accel_dump *d, struct accel_dump_section *s)
{
	const char *env = getenv("ACCEL_SYSMODULE");
	char dir[4096], path[4400], name[600];
	struct dirent *de;
	DIR *dh;

	snprintf(dir, sizeof(dir), "%s/parameters",
		 env && *env ? env : ACCEL_SYSMODULE_DEFAULT);
	dh = opendir(dir);
	if (!dh) {
		accel_dump_fail(s, "%s: %s", dir, strerror(errno));
		return;
	}
	while ((de = readdir(dh)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		snprintf(name, sizeof(name), ACCEL_BUNDLE_PARAMS "%s",
			 de->d_name);
		collect_file(d, s, path, name, name);
	}
	closedir(dh);
}

/* One /dev/kmsg record "PRI,SEQ,USEC,FLAGS;message" naming the driver. */
static int kmsg_record(int out, char *rec)
{
	unsigned long long usec;
	char line[8300], *msg, *nl;
	int n;

	msg = strchr(rec, ';');
	if (!msg || !strstr(msg, "accelsim"))
		return 0;
	if (sscanf(rec, "%*u,%*u,%llu", &usec) != 1)
		usec = 0;
	nl = strchr(++msg, '\n');
	if (nl)
		*nl = '\0';
	n = snprintf(line, sizeof(line), "[%5llu.%06llu] %s\n",
		     usec / 1000000, usec % 1000000, msg);
	return write_all(out, line, n < (int)sizeof(line) ? (size_t)n :
			 sizeof(line) - 1);
}

/*
 * The kernel log lines naming the driver, "[sec.usec] message", from
 * /dev/kmsg (one record per read), or from $ACCEL_KMSG (a file of records,
 * one per line; for tests), or the syslog buffer.
 */
static int child_kmsg(void *arg, int out)
{
	const char *over = getenv("ACCEL_KMSG");
	char rec[8192], *buf, *l, *nl;
	size_t len;
	ssize_t r;
	int fd, n;

	if (over && *over) {
		n = accel_read_file(over, &buf, &len);
		if (n)
			return n;
		for (l = buf; l && *l; l = nl) {
			nl = strchr(l, '\n');
			if (nl)
				*nl++ = '\0';
			if (*l != ' ' && kmsg_record(out, l)) {
				free(buf);
				return -EIO;
			}
		}
		free(buf);
		return 0;
	}
	fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd >= 0) {
		for (;;) {
			r = read(fd, rec, sizeof(rec) - 1);
			if (r < 0 && errno == EPIPE)
				continue;	/* overwritten record */
			if (r <= 0)
				break;
			rec[r] = '\0';
			if (kmsg_record(out, rec))
				return -EIO;
		}
		close(fd);
		return 0;
	}
	/* No /dev/kmsg: the syslog buffer. */
	n = accel_read_klog(&buf);
	if (n)
		return n;
	for (l = strtok(buf, "\n"); l; l = strtok(NULL, "\n"))
		if (strstr(l, "accelsim") &&
		    (write_all(out, l, strlen(l)) || write_all(out, "\n", 1))) {
			free(buf);
			return -EIO;
		}
	free(buf);
	return 0;
}

static void collect_kmsg(struct accel_dump *d, struct accel_dump_section *s)
{
	char *buf, eb[128];
	size_t len;
	int ret;

	ret = timed_read(child_kmsg, NULL, d->o.timeout_ms, &buf, &len);
	if (ret) {
		accel_dump_fail(s, "kernel log: %s",
				  timed_strerror(ret, eb, sizeof(eb)));
		return;
	}
	ret = accel_bundle_add(&d->b, ACCEL_BUNDLE_KMSG, buf, len);
	if (ret)
		accel_dump_fail(s, ACCEL_BUNDLE_KMSG ": %s", strerror(-ret));
	free(buf);
}

struct trace_arg {
	const char *dir;	/* the trace's folder: instance or root */
	char events[64][64];	/* event names of system accelsim */
	int nevents;
	double min_ts;		/* keep events at or after, s; < 0: all */
};

static int child_trace(void *arg, int out)
{
	struct trace_arg *ta = arg;
	char path[4096], ev[64], *buf, *l, *nl;
	size_t len;
	double ts;
	int ret, i;

	snprintf(path, sizeof(path), "%s/trace", ta->dir);
	ret = accel_read_file(path, &buf, &len);
	if (ret)
		return ret;
	for (l = buf; l && *l; l = nl) {
		nl = strchr(l, '\n');
		if (nl)
			*nl++ = '\0';
		if (!accel_trace_line(l, ev, sizeof(ev), &ts))
			continue;
		if (ta->min_ts >= 0 && ts < ta->min_ts)
			continue;
		for (i = 0; i < ta->nevents; i++)
			if (!strcmp(ev, ta->events[i]))
				break;
		if (i == ta->nevents)
			continue;
		if (write_all(out, l, strlen(l)) || write_all(out, "\n", 1)) {
			free(buf);
			return -EIO;
		}
	}
	free(buf);
	return 0;
}

/*
 * The ring buffer's state: "buffer_size_kb: VALUE", then the stats file
 * of each CPU (per_cpu/cpuN/stats: entries, overrun, oldest event ts, now
 * ts, dropped events, ...).
 */
static int child_reach(void *arg, int out)
{
	const char *dir = arg;
	char path[4200];
	struct dirent *de;
	size_t len;
	char *buf;
	DIR *dh;

	snprintf(path, sizeof(path), "%s/buffer_size_kb", dir);
	if (!accel_read_file(path, &buf, &len)) {
		if (write_all(out, "buffer_size_kb: ", 16) ||
		    write_all(out, buf, len)) {
			free(buf);
			return -EIO;
		}
		free(buf);
	}
	snprintf(path, sizeof(path), "%s/per_cpu", dir);
	dh = opendir(path);
	if (!dh)
		return 0;
	while ((de = readdir(dh)) != NULL) {
		if (strncmp(de->d_name, "cpu", 3))
			continue;
		snprintf(path, sizeof(path), "%s/per_cpu/%s/stats", dir,
			 de->d_name);
		if (accel_read_file(path, &buf, &len))
			continue;
		if (write_all(out, buf, len)) {
			free(buf);
			closedir(dh);
			return -EIO;
		}
		free(buf);
	}
	closedir(dh);
	return 0;
}

/* Fill the reach of d->trace from the ring buffer of dir (best effort). */
static void trace_reach(struct accel_dump *d, const char *dir)
{
	struct accel_dump_trace *t = &d->trace;
	long long entries = 0;
	char *buf, *l, *nl, *v;
	size_t len;
	double x;

	t->buffer_kb = -1;
	t->now_s = t->oldest_s = -1;
	t->overwritten = t->dropped = -1;
	if (timed_read(child_reach, (void *)dir, d->o.timeout_ms, &buf, &len))
		return;
	for (l = buf; l && *l; l = nl) {
		nl = strchr(l, '\n');
		if (nl)
			*nl++ = '\0';
		v = strchr(l, ':');
		if (!v)
			continue;
		*v++ = '\0';
		x = strtod(v, NULL);
		if (!strcmp(l, "buffer_size_kb")) {
			t->buffer_kb = (long long)x;
		} else if (!strcmp(l, "entries")) {
			entries = (long long)x;
		} else if (!strcmp(l, "overrun")) {
			t->overwritten = (t->overwritten < 0 ? 0 :
					  t->overwritten) + (long long)x;
		} else if (!strcmp(l, "dropped events")) {
			t->dropped = (t->dropped < 0 ? 0 : t->dropped) +
				     (long long)x;
		} else if (!strcmp(l, "now ts")) {
			if (x > t->now_s)
				t->now_s = x;
		} else if (!strcmp(l, "oldest event ts") && entries > 0) {
			if (t->oldest_s < 0 || x < t->oldest_s)
				t->oldest_s = x;
		}
	}
	free(buf);
}

static void collect_trace(struct accel_dump *d, struct accel_dump_section *s)
{
	struct trace_arg ta = { .min_ts = -1 };
	char dir[4096], src[4096], *buf, *l, *nl, eb[128], ev[64];
	struct accel_dump_trace *t = &d->trace;
	struct dirent *de;
	struct timespec now;
	double ts, mono;
	size_t len;
	DIR *dh;
	int ret;

	snprintf(dir, sizeof(dir), "%s/events/accelsim", d->o.tracefs);
	dh = opendir(dir);
	if (!dh) {
		accel_dump_fail(s, "%s: %s", dir, strerror(errno));
		return;
	}
	while ((de = readdir(dh)) != NULL && ta.nevents < 64) {
		if (de->d_name[0] == '.' || de->d_type != DT_DIR ||
		    strlen(de->d_name) >= sizeof(ta.events[0]))
			continue;
		strcpy(ta.events[ta.nevents++], de->d_name);
	}
	closedir(dh);
	/* The flight recorder when the driver keeps one, else the top. */
	t->flight = !accel_flight_dir(d->o.tracefs, src, sizeof(src)) &&
		    snprintf(dir, sizeof(dir), "%s/trace", src) > 0 &&
		    !access(dir, F_OK);
	if (!t->flight)
		snprintf(src, sizeof(src), "%s", d->o.tracefs);
	ta.dir = src;
	trace_reach(d, src);
	if (d->o.since_s >= 0) {
		/*
		 * The since_s seconds before the dump began: the sections
		 * before this one may have taken a while. Counted on the trace
		 * clock (its now, less the time since the dump began), else
		 * on the monotonic clock, which the default trace clock
		 * ("local") follows from boot.
		 */
		clock_gettime(CLOCK_MONOTONIC, &now);
		mono = (double)now.tv_sec + now.tv_nsec / 1e9;
		ta.min_ts = (t->now_s >= 0 ? t->now_s - (mono - d->t0) : d->t0) -
			    d->o.since_s;
	}
	ret = timed_read(child_trace, &ta, d->o.timeout_ms, &buf, &len);
	if (ret) {
		accel_dump_fail(s, "%s/trace: %s", src,
				  timed_strerror(ret, eb, sizeof(eb)));
		return;
	}
	t->collected = true;
	t->first_s = t->last_s = -1;
	for (l = buf; l && *l; l = nl) {
		nl = strchr(l, '\n');
		if (nl)
			*nl = '\0';
		if (accel_trace_line(l, ev, sizeof(ev), &ts)) {
			if (!t->events++)
				t->first_s = ts;
			t->last_s = ts;
		}
		if (nl)
			*nl++ = '\n';
	}
	ret = accel_bundle_add(&d->b, ACCEL_BUNDLE_TRACE, buf, len);
	if (ret)
		accel_dump_fail(s, ACCEL_BUNDLE_TRACE ": %s", strerror(-ret));
	free(buf);
}

/* /proc/PID/status of every pid in the spa rows collected in b. */
static void collect_procs(struct accel_dump *d, struct accel_dump_section *s)
{
	unsigned int pids[4096];
	char path[4096], name[64];
	size_t np = 0, i, j, k;
	struct accel_err err;

	for (i = 0; i < d->b.nfiles; i++) {
		const struct accel_bundle_file *f = &d->b.files[i];
		const char *view = f->path + sizeof(ACCEL_BUNDLE_DEBUGFS) - 1;
		struct accel_spa spa;
		size_t pl = strlen(f->path);

		/* debugfs/afuN/spa */
		if (strncmp(f->path, ACCEL_BUNDLE_DEBUGFS "afu",
			    sizeof(ACCEL_BUNDLE_DEBUGFS) + 2) || pl < 4 ||
		    strcmp(f->path + pl - 4, "/spa"))
			continue;
		if (accel_parse_spa(f->data, f->len, view, &spa, &err)) {
			accel_dump_fail(s, "%s", err.msg);
			continue;
		}
		for (j = 0; j < spa.n; j++) {
			if (spa.pe[j].kernel || !spa.pe[j].pid)
				continue;
			for (k = 0; k < np && pids[k] != spa.pe[j].pid; k++)
				;
			if (k == np && np < 4096)
				pids[np++] = spa.pe[j].pid;
		}
		accel_spa_free(&spa);
	}
	for (k = 0; k < np; k++) {
		snprintf(path, sizeof(path), "%s/%u/status", d->o.proc,
			 pids[k]);
		snprintf(name, sizeof(name), ACCEL_BUNDLE_PROC "%u/status",
			 pids[k]);
		if (access(path, F_OK)) {
			/* The process exited: say so in the bundle. */
			static const char note[] = "# the process has exited\n";

			accel_bundle_add(&d->b, name, note, sizeof(note) - 1);
			continue;
		}
		collect_file(d, s, path, name, name);
	}
}

/* The idxd devices under the platform root ($ACCEL_PLATFORM_ROOT). */
static void collect_idxd(struct accel_dump *d, struct accel_dump_section *s)
{
	struct accel_idxd x;
	json_object *o;
	const char *txt;
	int ret;

	ret = accel_idxd_load(&x, accel_platform_root(NULL));
	if (ret) {
		accel_dump_fail(s, "idxd: %s", strerror(-ret));
		return;
	}
	o = accel_idxd_json(&x);
	json_object_object_add(o, "bus", json_object_new_boolean(x.has_bus));
	txt = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
					     JSON_C_TO_STRING_NOSLASHESCAPE);
	ret = accel_bundle_add(&d->b, ACCEL_BUNDLE_IDXD, txt, strlen(txt));
	if (ret)
		accel_dump_fail(s, "idxd: %s", strerror(-ret));
	json_object_put(o);
	accel_idxd_free(&x);
}

/* The collector of each section; the snapshot waits for accel_dump_write. */
static void (*const collectors[ACCEL_SEC_NR])(struct accel_dump *d,
					     struct accel_dump_section *s) = {
	[ACCEL_SEC_DEBUGFS] = collect_debugfs,
	[ACCEL_SEC_KMSG] = collect_kmsg,
	[ACCEL_SEC_TRACE] = collect_trace,
	[ACCEL_SEC_PARAMS] = collect_params,
	[ACCEL_SEC_PROC] = collect_procs,
	[ACCEL_SEC_SYSFS] = collect_sysfs,
	[ACCEL_SEC_IDXD] = collect_idxd,
};

void accel_dump_collect(struct accel_dump *d, enum accel_bundle_sec sec)
{
	if (sec < ACCEL_SEC_NR && collectors[sec])
		collectors[sec](d, &d->sec[sec]);
}
