// SPDX-License-Identifier: MIT
/*
 * asim_chaos: the debugfs side of the soak (tests/stress/run), one role per
 * process, each running for SECONDS alongside asim_stress -x.
 *
 *   asim_chaos inject  -T SECONDS [-d DEV]... [-D DEV]... [-o FILE]
 *   asim_chaos views   -T SECONDS [-d DEV]... [-D DEV]... [-o FILE]
 *   asim_chaos devices -T SECONDS -D DEV... [-o FILE]
 *
 * inject: at random, injects a fault on a live PASID (an unmapped address,
 *   so the ack is ADDRESS_ERROR), an AFU error on a live PE, an IRQ on a
 *   live hwirq, holds faults for 10-100 ms (sometimes releasing them
 *   midway), sets fault_delay_ns and tlbi_delay_ns (0-0.5 ms), makes the
 *   next ATTACH fail with EREMOTEIO, or hangs terminates for 50-300 ms.
 *   At the end every knob is set back to 0 on every device.
 * views: reads every readable debugfs file of the driver in a loop and
 *   checks the known views: the header, and as many columns in each row
 *   as in the header.
 * devices: adds each -D device (small SPA and IRQ budget), lets it live
 *   0.2-1.5 s under load, and deletes it, over and over.
 *
 * -d devices stay for the whole run: any error on them is a failure. -D
 * devices come and go: ENOENT, ENODEV and EIO on them are expected. A
 * target gone between reading a view and writing its id (ENOENT) is
 * counted as "missed". -o FILE gets the counters as one line of
 * name=value pairs, rewritten every second; they are also printed at the
 * end. Exits 1 on a failure (named on stderr), 2 on bad usage.
 */
#include <dirent.h>
#include <sys/stat.h>
#include <time.h>

#include "asim.h"

#define DFS "/sys/kernel/debug/accelsim"
#define BUS "/sys/bus/accelsim"

static unsigned int devs[32], ndevs, nstay;
static const char *outfile;
static int failed;

static const char *names[16];
static unsigned long long values[16];
static unsigned int ncounters;

static unsigned long long *counter(const char *name)
{
	unsigned int i;

	for (i = 0; i < ncounters; i++)
		if (!strcmp(names[i], name))
			return &values[i];
	names[ncounters] = name;
	return &values[ncounters++];
}

static void write_counters(FILE *out)
{
	unsigned int i;

	for (i = 0; i < ncounters; i++)
		fprintf(out, "%s%s=%llu", i ? " " : "", names[i], values[i]);
	fputc('\n', out);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void save_counters(void)
{
	static double next;
	char tmp[4096];
	FILE *f;

	if (!outfile || now() < next)
		return;
	next = now() + 1;
	snprintf(tmp, sizeof(tmp), "%s.tmp", outfile);
	f = fopen(tmp, "w");
	if (!f)
		asim_die("%s: %s", tmp, strerror(errno));
	write_counters(f);
	if (fclose(f) || rename(tmp, outfile))
		asim_die("%s: %s", outfile, strerror(errno));
}

static void msleep(unsigned int ms)
{
	usleep(ms * 1000);
}

/* Errors a file of a device that may be deleted at any time can return. */
static int gone_errno(int err)
{
	return err == ENOENT || err == ENODEV || err == EIO;
}

static void fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "asim_chaos: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	failed = 1;
}

/* Write @s to the file; 0 or the errno. */
static int put(const char *path, const char *s)
{
	int fd, err = 0;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	if (write(fd, s, strlen(s)) < 0)
		err = errno;
	close(fd);
	return err;
}

/* Read a whole file into @buf (NUL-terminated); bytes or -errno. */
static ssize_t slurp(const char *path, char *buf, size_t size)
{
	size_t len = 0;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (len < size - 1) {
		n = read(fd, buf + len, size - 1 - len);
		if (n < 0) {
			n = -errno;
			close(fd);
			return n;
		}
		if (!n)
			break;
		len += n;
	}
	close(fd);
	buf[len] = '\0';
	return len;
}

/* ---- inject ---- */

static char view[1 << 20];

/* Column @col of a random data row of afuDEV/FILE, or -1. */
static long long pick(unsigned int dev, const char *file, unsigned int col)
{
	char path[128], *line, *save, *rows[4096];
	unsigned int n = 0, c;
	long long v = -1;

	snprintf(path, sizeof(path), DFS "/afu%u/%s", dev, file);
	if (slurp(path, view, sizeof(view)) < 0)
		return -1;
	line = strtok_r(view, "\n", &save);	/* the header */
	while ((line = strtok_r(NULL, "\n", &save)) && n < 4096)
		rows[n++] = line;
	if (!n)
		return -1;
	line = rows[rand() % n];
	for (c = 0; c < col && line; c++) {
		line = strchr(line, ' ');
		if (line)
			line++;
	}
	if (line)
		v = strtoll(line, NULL, 10);
	return v;
}

static void inject_result(unsigned int k, const char *what, int err,
			  const char *ok_name)
{
	if (!err)
		(*counter(ok_name))++;
	else if (k >= nstay && gone_errno(err))
		(*counter("gone"))++;
	else if (err == ENOENT)
		(*counter("missed"))++;	/* the target went meanwhile */
	else
		fail("afu%u inject/%s: %s", devs[k], what, strerror(err));
}

static int knob(unsigned int dev, const char *name, const char *val)
{
	char path[128];

	snprintf(path, sizeof(path), BUS "/devices/afu%u/inject/%s", dev, name);
	return put(path, val);
}

static void inject_once(void)
{
	unsigned int k = rand() % ndevs, dev = devs[k];
	char path[128], s[96];
	long long v;
	int err;

	switch (rand() % 10) {
	case 0:
	case 1:
	case 2:
		/* Low addresses are never mapped in the (PIE) workers. */
		v = pick(dev, "spa", 1);
		if (v < 0)
			return;
		snprintf(s, sizeof(s), "%lld 0x%x %s", v,
			 0x10000 + (rand() % 1000) * 4096,
			 rand() % 2 ? "write" : "read");
		snprintf(path, sizeof(path), BUS "/devices/afu%u/inject/fault", dev);
		inject_result(k, "fault", put(path, s), "faults");
		break;
	case 3:
	case 4:
		v = pick(dev, "spa", 0);
		if (v < 0)
			return;
		snprintf(s, sizeof(s), "%lld %d", v, 1 + rand() % 100);
		snprintf(path, sizeof(path), BUS "/devices/afu%u/inject/afu_error",
			 dev);
		inject_result(k, "afu_error", put(path, s), "afu_errors");
		break;
	case 5:
		v = pick(dev, "irqs", 2);
		if (v < 0)
			return;
		snprintf(s, sizeof(s), "%lld", v);
		snprintf(path, sizeof(path), BUS "/devices/afu%u/inject/irq", dev);
		inject_result(k, "irq", put(path, s), "irqs");
		break;
	case 6:
		err = knob(dev, "hold_faults", "1");
		inject_result(k, "hold_faults", err, "holds");
		if (err)
			return;
		msleep(10 + rand() % 90);
		if (rand() % 2) {
			inject_result(k, "release_faults",
				      knob(dev, "release_faults", "1"),
				      "releases");
			msleep(rand() % 50);
		}
		inject_result(k, "hold_faults", knob(dev, "hold_faults", "0"),
			      "releases");
		break;
	case 7:
		snprintf(s, sizeof(s), "%d", rand() % 500000);
		inject_result(k, "fault_delay_ns",
			      knob(dev, "fault_delay_ns", s), "delays");
		snprintf(s, sizeof(s), "%d", rand() % 500000);
		inject_result(k, "tlbi_delay_ns",
			      knob(dev, "tlbi_delay_ns", s), "delays");
		break;
	case 8:
		inject_result(k, "fail_attach",
			      knob(dev, "fail_attach", "1 121"),
			      "fail_attaches");
		break;
	default:
		err = knob(dev, "hang_terminate", "1");
		inject_result(k, "hang_terminate", err, "hangs");
		if (err)
			return;
		msleep(50 + rand() % 250);
		inject_result(k, "hang_terminate",
			      knob(dev, "hang_terminate", "0"), "unhangs");
		break;
	}
}

static void inject(double end)
{
	static const char *const reset[][2] = {
		{ "hold_faults", "0" }, { "fault_delay_ns", "0" },
		{ "tlbi_delay_ns", "0" }, { "hang_terminate", "0" },
		{ "fail_attach", "0 121" },
	};
	unsigned int k, i;
	int err;

	counter("faults");
	counter("afu_errors");
	counter("irqs");
	counter("holds");
	counter("releases");
	counter("delays");
	counter("fail_attaches");
	counter("hangs");
	counter("unhangs");
	counter("missed");
	counter("gone");
	while (now() < end && !failed) {
		inject_once();
		save_counters();
		msleep(2 + rand() % 18);
	}
	for (k = 0; k < ndevs; k++)
		for (i = 0; i < sizeof(reset) / sizeof(reset[0]); i++) {
			err = knob(devs[k], reset[i][0], reset[i][1]);
			if (err && !(k >= nstay && gone_errno(err)))
				fail("afu%u inject/%s: %s", devs[k],
				     reset[i][0], strerror(err));
		}
}

/* ---- views ---- */

static const char *const headers[][2] = {
	{ "info", "dev version max_pe pasid_bits irq_budget atc_entries state contexts pasids pending_faults irqs_used zombies" },
	{ "spa", "pe pasid pid comm state kernel faults tlbis irqs work bytes" },
	{ "pasids", "pasid pid refs outstanding state kind" },
	{ "faults", "id dev pe pasid address access state age_ns" },
	{ "irqs", "pe pasid hwirq count eventfds fired" },
	{ "stats", "name bucket value" },
	{ "kctx", "pe size" },
};

static unsigned int fields(const char *line, const char *end)
{
	unsigned int n = 1;

	for (; line < end; line++)
		n += *line == ' ';
	return n;
}

/* The header names the columns; every row has as many, single-spaced. */
static void check_view(const char *path, const char *name, char *buf)
{
	const char *hdr = NULL, *p, *nl, *dbl;
	unsigned int i, cols;

	for (i = 0; i < sizeof(headers) / sizeof(headers[0]); i++)
		if (!strcmp(headers[i][0], name))
			hdr = headers[i][1];
	if (!hdr)
		return;
	if (strncmp(buf, hdr, strlen(hdr)) ||
	    (buf[strlen(hdr)] != '\n' && buf[strlen(hdr)] != ' ')) {
		fail("%s: bad header", path);
		return;
	}
	nl = strchr(buf, '\n');
	if (!nl) {
		fail("%s: no newline after the header", path);
		return;
	}
	cols = fields(buf, nl);
	for (p = nl + 1; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		if (!nl) {
			fail("%s: last row has no newline", path);
			return;
		}
		dbl = strstr(p, "  ");
		if (fields(p, nl) != cols || (dbl && dbl < nl) ||
		    *p == ' ' || nl[-1] == ' ') {
			fail("%s: row \"%.*s\" does not match the header", path,
			     (int)(nl - p), p);
			return;
		}
		(*counter("rows"))++;
	}
}

static int stays(const char *dirname)
{
	unsigned int k, id;

	if (sscanf(dirname, "afu%u", &id) != 1)
		return 1;
	for (k = 0; k < nstay; k++)
		if (devs[k] == id)
			return 1;
	return 0;
}

static void read_dir(const char *dir, int stay)
{
	char path[512];
	struct dirent *e;
	struct stat st;
	ssize_t n;
	int cstay;
	DIR *d;

	d = opendir(dir);
	if (!d) {
		if (!stay && gone_errno(errno))
			return;
		fail("%s: %s", dir, strerror(errno));
		return;
	}
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		cstay = stay && stays(e->d_name);
		if (stat(path, &st)) {
			if (!cstay && gone_errno(errno))
				continue;
			fail("%s: %s", path, strerror(errno));
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			read_dir(path, cstay);
			continue;
		}
		if (!(st.st_mode & 0400))
			continue;
		n = slurp(path, view, sizeof(view));
		if (n < 0) {
			if (!cstay && gone_errno((int)-n))
				continue;
			fail("%s: %s", path, strerror((int)-n));
			continue;
		}
		(*counter("reads"))++;
		check_view(path, e->d_name, view);
	}
	closedir(d);
}

static void views(double end)
{
	counter("passes");
	counter("reads");
	counter("rows");
	while (now() < end && !failed) {
		read_dir(DFS, 1);
		(*counter("passes"))++;
		save_counters();
		msleep(5 + rand() % 20);
	}
}

/* ---- devices ---- */

static unsigned long long stat_of(unsigned int dev, const char *name)
{
	char path[128], *p;
	size_t len = strlen(name);

	snprintf(path, sizeof(path), DFS "/afu%u/stats", dev);
	if (slurp(path, view, sizeof(view)) < 0)
		return 0;
	for (p = view; p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, name, len) && !strncmp(p + len, " - ", 3))
			return strtoull(p + len + 3, NULL, 10);
	return 0;
}

static void devices(double end)
{
	unsigned int k;
	char s[64];
	int err;

	counter("adds");
	counter("dels");
	counter("attaches");
	counter("faults");
	while (now() < end && !failed) {
		for (k = 0; k < ndevs; k++) {
			snprintf(s, sizeof(s), "%u %d %d", devs[k],
				 4 + rand() % 13, 8 + rand() % 25);
			err = put(BUS "/new_device", s);
			if (err) {
				fail("new_device %s: %s", s, strerror(err));
				return;
			}
			(*counter("adds"))++;
		}
		msleep(200 + rand() % 1300);
		for (k = 0; k < ndevs; k++) {
			/* What the device did, before it goes. */
			*counter("attaches") += stat_of(devs[k], "attaches");
			*counter("faults") += stat_of(devs[k], "faults_raised");
			snprintf(s, sizeof(s), "%u", devs[k]);
			err = put(BUS "/del_device", s);
			if (err) {
				fail("del_device %s: %s", s, strerror(err));
				return;
			}
			(*counter("dels"))++;
		}
		save_counters();
		msleep(50 + rand() % 250);
	}
}

int main(int argc, char **argv)
{
	unsigned int stay[16], nv = 0, vd[16];
	const char *role;
	double secs = 10;
	int opt;

	if (argc < 2)
		asim_die("usage: asim_chaos inject|views|devices -T SECONDS [-d DEV]... [-D DEV]... [-o FILE]");
	role = argv[1];
	optind = 2;
	while ((opt = getopt(argc, argv, "T:d:D:o:")) != -1) {
		switch (opt) {
		case 'T':
			secs = strtod(optarg, NULL);
			break;
		case 'd':
			if (nstay < 16)
				stay[nstay++] = strtoul(optarg, NULL, 0);
			break;
		case 'D':
			if (nv < 16)
				vd[nv++] = strtoul(optarg, NULL, 0);
			break;
		case 'o':
			outfile = optarg;
			break;
		default:
			asim_die("usage: asim_chaos inject|views|devices -T SECONDS [-d DEV]... [-D DEV]... [-o FILE]");
		}
	}
	for (unsigned int i = 0; i < nstay; i++)
		devs[ndevs++] = stay[i];
	for (unsigned int i = 0; i < nv; i++)
		devs[ndevs++] = vd[i];
	srand(getpid());
	if (!strcmp(role, "inject")) {
		if (!ndevs)
			asim_die("asim_chaos inject: no device (-d, -D)");
		inject(now() + secs);
	} else if (!strcmp(role, "views")) {
		views(now() + secs);
	} else if (!strcmp(role, "devices")) {
		if (nstay || !nv)
			asim_die("asim_chaos devices: only -D devices come and go");
		devices(now() + secs);
	} else {
		asim_die("asim_chaos: unknown role '%s'", role);
	}
	if (outfile) {
		char tmp[4096];
		FILE *f;

		snprintf(tmp, sizeof(tmp), "%s.tmp", outfile);
		f = fopen(tmp, "w");
		if (!f || (write_counters(f), fclose(f)) ||
		    rename(tmp, outfile))
			asim_die("%s: %s", outfile, strerror(errno));
	}
	write_counters(stdout);
	return failed;
}
