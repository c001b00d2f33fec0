// SPDX-License-Identifier: MIT
/*
 * asim_dbgfuzz: write garbage to every writable control of the accelsim bus
 * in sysfs (new_device, del_device, and each devices/afuN/ file but the
 * driver core's uevent and power/; found at run time, so new controls are
 * covered without a change here), and to any writable file left under the
 * debugfs tree (there should be none): empty, huge, out of range,
 * negative, hex, overflowing, embedded NULs, split over two write() calls,
 * many words, random bytes, bad buffers, and well-formed commands aimed at
 * live targets (PASIDs, PEs and hwirqs read from the debugfs spa and irqs
 * views).
 *
 * Usage: asim_dbgfuzz [--seed S] [--rounds N] [--root DIR] [--debugfs DIR]
 *                     [--only SUBSTR]
 *
 * --root is the bus (default /sys/bus/accelsim), --debugfs the views
 * (default /sys/kernel/debug/accelsim). --only limits the run to the files
 * whose path contains SUBSTR.
 *
 * Every rejected write must fail with an errno from allowed_errno(); any
 * other errno fails the run (exit 3). A write that is accepted may change
 * state, so it is undone at once: a knob (a file that also reads) gets its
 * old value back, a device made through new_device is removed, kernel
 * contexts made through kctx are destroyed, devices removed through
 * del_device are made again. At the end every knob must read its old value
 * and the device set must be the one found at the start (exit 4 otherwise).
 * One line per file: "file PATH writes N ok N" then "errno NAME N" lines.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAXFILES	64
#define MAXERR		134
#define MAXDEV		256
#define MAXT		64

struct target {
	char path[512];
	const char *name;	/* basename */
	char view[512];		/* kctx: the debugfs view listing them */
	int readable;		/* a knob: read back and restore */
	char orig[256];		/* its value at the start */
	unsigned long writes, ok, err[MAXERR];
};

static struct target files[MAXFILES];
static int nfiles;
static const char *root = "/sys/bus/accelsim";
static const char *dbgroot = "/sys/kernel/debug/accelsim";
static const char *only;
static uint64_t rng;
static unsigned long unexpected;
static int bad_errno = -1;
static const char *bad_file = "?";

/* devices at the start, with what new_device needs to make them again */
static int dev_present[MAXDEV];
static unsigned int dev_pe[MAXDEV], dev_irqs[MAXDEV];
static int kctx_initial[65536];

/* live targets */
static unsigned int pasids[MAXT], pes[MAXT], hwirqs[MAXT];
static int npasids, npes, nhwirqs;

static uint64_t rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 2685821657736338717ULL;
}

static uint64_t below(uint64_t n)
{
	return n ? rnd() % n : 0;
}

static int allowed_errno(int e)
{
	switch (e) {
	case EINVAL: case ENOENT: case ERANGE: case EEXIST: case EFAULT:
	case EBUSY: case ENOSPC: case ENODEV: case E2BIG:
		return 1;
	default:
		return 0;
	}
}

static ssize_t read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	ssize_t n, len = 0;

	if (fd < 0)
		return -1;
	while (len < (ssize_t)size - 1 &&
	       (n = read(fd, buf + len, size - 1 - len)) > 0)
		len += n;
	close(fd);
	buf[len] = '\0';
	return len;
}

/* One write() of len bytes; returns 0 or errno. */
static int write_once(const char *path, const void *buf, size_t len)
{
	int fd = open(path, O_WRONLY);
	int e = 0;

	if (fd < 0)
		return errno;
	if (write(fd, buf, len) < 0)
		e = errno;
	close(fd);
	return e;
}

static int write_str(const char *path, const char *s)
{
	return write_once(path, s, strlen(s));
}

/* The driver core's own files of a bus or device: not our controls. */
static int core_file(const char *name)
{
	return !strcmp(name, "uevent") || !strcmp(name, "drivers_probe") ||
	       !strcmp(name, "drivers_autoprobe") || !strcmp(name, "power") ||
	       !strcmp(name, "subsystem") || !strcmp(name, "driver") ||
	       !strcmp(name, "drivers");
}

static void add_target(const char *path, const struct stat *st)
{
	struct target *t;
	char dev[64];

	if (!(st->st_mode & 0222) || nfiles >= MAXFILES ||
	    (only && !strstr(path, only)))
		return;
	t = &files[nfiles++];
	snprintf(t->path, sizeof(t->path), "%s", path);
	t->name = strrchr(t->path, '/') + 1;
	t->readable = (st->st_mode & 0444) && strcmp(t->name, "kctx");
	if (t->readable && read_file(path, t->orig, sizeof(t->orig)) < 0)
		t->readable = 0;
	/* .../afuN/kctx: the view is DEBUGFS/afuN/kctx */
	if (!strcmp(t->name, "kctx") &&
	    sscanf(strstr(t->path, "/afu") ?: "", "/%63[^/]", dev) == 1)
		snprintf(t->view, sizeof(t->view), "%s/%s/kctx", dbgroot, dev);
}

/* dir and below; follow: stat() the entries (the devices/ symlinks). */
static void scan_dir(const char *dir, int follow)
{
	struct dirent **ents;
	char path[512];
	struct stat st;
	int n, i;

	n = scandir(dir, &ents, NULL, alphasort);
	for (i = 0; i < n; i++) {
		if (ents[i]->d_name[0] == '.' || core_file(ents[i]->d_name))
			goto next;
		snprintf(path, sizeof(path), "%s/%s", dir, ents[i]->d_name);
		if (follow ? stat(path, &st) : lstat(path, &st))
			goto next;
		if (S_ISDIR(st.st_mode))
			scan_dir(path, follow && !strcmp(ents[i]->d_name,
							 "devices"));
		else if (S_ISREG(st.st_mode))
			add_target(path, &st);
next:
		free(ents[i]);
	}
	if (n >= 0)
		free(ents);
}

static void read_devices(int *present)
{
	char path[600], buf[4096];
	struct dirent *d;
	unsigned int id;
	DIR *dir;

	snprintf(path, sizeof(path), "%s/devices", root);
	dir = opendir(path);

	memset(present, 0, sizeof(int) * MAXDEV);
	if (!dir)
		return;
	while ((d = readdir(dir))) {
		if (sscanf(d->d_name, "afu%u", &id) != 1 || id >= MAXDEV)
			continue;
		present[id] = 1;
		if (present != dev_present)
			continue;
		snprintf(path, sizeof(path), "%s/%s/info", dbgroot, d->d_name);
		if (read_file(path, buf, sizeof(buf)) > 0) {
			char *l2 = strchr(buf, '\n');

			if (l2 && sscanf(l2 + 1, "%*s %*s %u %*u %u",
					 &dev_pe[id], &dev_irqs[id]) == 2)
				continue;
		}
		dev_pe[id] = 512;
		dev_irqs[id] = 2048;
	}
	closedir(dir);
}

/* PASIDs and PEs from every afuN/spa, hwirqs from every afuN/irqs. */
static void read_targets(void)
{
	char path[600], buf[16384], *l;
	struct dirent *d;
	DIR *dir = opendir(dbgroot);
	unsigned int a, b;

	if (!dir)
		return;
	while ((d = readdir(dir))) {
		if (strncmp(d->d_name, "afu", 3))
			continue;
		snprintf(path, sizeof(path), "%s/%s/spa", dbgroot, d->d_name);
		if (read_file(path, buf, sizeof(buf)) > 0)
			for (l = strchr(buf, '\n'); l && *++l; l = strchr(l, '\n'))
				if (sscanf(l, "%u %u", &a, &b) == 2 && npes < MAXT) {
					pes[npes++] = a;
					pasids[npasids++] = b;
				}
		snprintf(path, sizeof(path), "%s/%s/irqs", dbgroot, d->d_name);
		if (read_file(path, buf, sizeof(buf)) > 0)
			for (l = strchr(buf, '\n'); l && *++l; l = strchr(l, '\n'))
				if (sscanf(l, "%*u %*u %u %u", &a, &b) == 2 && nhwirqs < MAXT)
					hwirqs[nhwirqs++] = a + below(b ? b : 1);
	}
	closedir(dir);
}

static const char *const numbers[] = {
	"0", "1", "2", "-1", "-0", "+1", "255", "256", "133", "134", "512",
	"32768", "32769", "65536", "65537", "4294967295", "4294967296",
	"9223372036854775807", "9223372036854775808", "18446744073709551615",
	"18446744073709551616", "99999999999999999999999999", "1000000000",
	"1000000001", "10000000000", "10000000001", "0x10", "0xffffffff",
	"0x", "010", "1e3", "1.5", " 1", "1 ", "1\n", "\n", "   ", "0b1",
	"-4294967296", "-9223372036854775808", "nan", "write", "read",
};

#define NNUM (sizeof(numbers) / sizeof(numbers[0]))

static const char *num(void)
{
	return numbers[below(NNUM)];
}

static unsigned int pick(const unsigned int *v, int n, unsigned int dflt)
{
	return n ? v[below(n)] : dflt;
}

/* A well-formed command for the file, aimed at a live target mostly. */
static int structured(const struct target *t, char *b, size_t size)
{
	const char *acc[] = { "read", "write", "", "exec" };
	const char *n = t->name;

	if (!strcmp(n, "fault"))
		return snprintf(b, size, "%u %llx %s",
				below(4) ? pick(pasids, npasids, 1) : (unsigned int)rnd(),
				below(2) ? (unsigned long long)below(1ULL << 47) :
					   (unsigned long long)rnd(),
				acc[below(4)]);
	if (!strcmp(n, "afu_error"))
		return snprintf(b, size, "%u %llu",
				below(4) ? pick(pes, npes, 0) : (unsigned int)below(70000),
				(unsigned long long)rnd());
	if (!strcmp(n, "irq"))
		return snprintf(b, size, "%u",
				below(2) ? pick(hwirqs, nhwirqs, 0) : (unsigned int)below(70000));
	if (!strcmp(n, "new_device"))
		return snprintf(b, size, "%u %u %u", (unsigned int)below(300),
				(unsigned int)below(40000), (unsigned int)below(70000));
	if (!strcmp(n, "del_device"))
		return snprintf(b, size, "%u", (unsigned int)below(300));
	if (!strcmp(n, "fail_attach"))
		return snprintf(b, size, "%u %u", (unsigned int)below(3),
				(unsigned int)below(140));
	if (!strcmp(n, "kctx")) {
		switch (below(3)) {
		case 0:
			return snprintf(b, size, "create %llu",
					(unsigned long long)(below(2) ? 4096 * below(20) : rnd()));
		case 1:
			return snprintf(b, size, "destroy %u", (unsigned int)below(600));
		default:
			return snprintf(b, size, "submit %u %u %llu %llu %llu",
					(unsigned int)below(600), (unsigned int)below(6),
					(unsigned long long)below(1 << 22),
					(unsigned long long)below(1 << 22),
					(unsigned long long)below(1 << 22));
		}
	}
	return snprintf(b, size, "%s", num());
}

/* Undo what an accepted write may have done. */
static void undo(struct target *t)
{
	int present[MAXDEV], i;
	char buf[8192], *l;
	unsigned int pe;

	if (t->readable) {
		if (write_str(t->path, t->orig) &&
		    !strcmp(t->name, "fail_attach"))
			write_str(t->path, "0 1");	/* "0 0" reads, cannot be written */
	}
	if (!strcmp(t->name, "kctx") && read_file(t->view, buf, sizeof(buf)) > 0) {
		for (l = strchr(buf, '\n'); l && *++l; l = strchr(l, '\n'))
			if (sscanf(l, "%u", &pe) == 1 && pe < 65536 && !kctx_initial[pe]) {
				char cmd[32];

				snprintf(cmd, sizeof(cmd), "destroy %u", pe);
				write_str(t->path, cmd);
			}
	}
	if (!strcmp(t->name, "new_device") || !strcmp(t->name, "del_device")) {
		read_devices(present);
		for (i = 0; i < MAXDEV; i++) {
			char cmd[64];

			if (present[i] && !dev_present[i]) {
				snprintf(cmd, sizeof(cmd), "%d", i);
				snprintf(buf, sizeof(buf), "%s/del_device", root);
				write_str(buf, cmd);
			} else if (!present[i] && dev_present[i]) {
				snprintf(cmd, sizeof(cmd), "%d %u %u", i, dev_pe[i], dev_irqs[i]);
				snprintf(buf, sizeof(buf), "%s/new_device", root);
				write_str(buf, cmd);
				/* the live targets on it are gone */
				npasids = npes = nhwirqs = 0;
				read_targets();
			}
		}
	}
}

/*
 * Would this payload remove a device that was there at the start? Parsed
 * as the driver does: one word between spaces, tabs and newlines, an
 * optional '+' and decimal digits that fit in a u32 (an overflow or a sign
 * is EINVAL, never wrapped to another id).
 */
static int hits_initial_device(const struct target *t, const char *p)
{
	uint64_t acc = 0;
	int digits = 0;

	if (strcmp(t->name, "del_device"))
		return 0;
	while (*p == ' ' || *p == '\t' || *p == '\n')
		p++;
	if (*p == '+')
		p++;
	for (; *p >= '0' && *p <= '9'; p++, digits++) {
		acc = acc * 10 + (uint64_t)(*p - '0');
		if (acc > UINT32_MAX)
			return 0;
	}
	while (*p == ' ' || *p == '\t' || *p == '\n')
		p++;
	if (!digits || *p)
		return 0;
	return acc < MAXDEV && dev_present[acc];
}

static void fuzz_one(struct target *t)
{
	static char big[70000];
	char b[512];
	size_t len = 0, i;
	const char *p = b;
	int e = 0, split = 0, fd;

	switch (below(13)) {
	case 0:		/* empty */
		len = 0;
		break;
	case 1:		/* huge */
		len = 256 + below(sizeof(big) - 256);
		for (i = 0; i < len; i++)
			big[i] = below(4) ? '0' + below(10) : ' ';
		p = big;
		break;
	case 2: case 3:	/* numbers: range edges, negative, hex, overflow */
		len = snprintf(b, sizeof(b), "%s", num());
		break;
	case 4:		/* embedded NUL */
		len = snprintf(b, sizeof(b), "%s", num());
		b[len] = '\0';
		len += 1 + snprintf(b + len + 1, sizeof(b) - len - 1, "%s", num());
		break;
	case 5:		/* split over two write() calls */
		len = structured(t, b, sizeof(b));
		split = 1 + below(len ? len : 1);
		break;
	case 6:		/* many words */
		for (i = 0; i < 40 && len < sizeof(b) - 40; i++)
			len += snprintf(b + len, sizeof(b) - len, "%s ", num());
		break;
	case 7:		/* random bytes */
		len = below(sizeof(b));
		for (i = 0; i < len; i++)
			b[i] = rnd();
		break;
	case 8:		/* two numbers, edges */
		len = snprintf(b, sizeof(b), "%s %s", num(), num());
		break;
	case 9:		/* a bad buffer */
		len = 1 + below(16);
		p = below(2) ? NULL : (const char *)0xffff888000000000ULL;
		break;
	default:	/* well formed, often aimed at a live target */
		len = structured(t, b, sizeof(b));
		break;
	}
	if (p == b && len < sizeof(b))
		b[len] = '\0';
	if (p == b && hits_initial_device(t, b))
		return;
	if (p == b && split && (size_t)split < len) {
		/* each write() is parsed on its own */
		char c1[512];

		snprintf(c1, sizeof(c1), "%.*s", split, b);
		if (hits_initial_device(t, c1) || hits_initial_device(t, b + split))
			return;
	}
	t->writes++;
	fd = open(t->path, O_WRONLY);
	if (fd < 0) {
		e = errno;
	} else if (split && (size_t)split < len) {
		if (write(fd, p, split) < 0)
			e = errno;
		else if (write(fd, p + split, len - split) < 0)
			e = errno;
	} else if (write(fd, p, len) < 0) {
		e = errno;
	}
	if (fd >= 0)
		close(fd);
	/* a split write may have been half accepted: undo in every case */
	undo(t);
	if (!e) {
		t->ok++;
		return;
	}
	if (e < MAXERR)
		t->err[e]++;
	if (!allowed_errno(e)) {
		if (!unexpected) {
			bad_errno = e;
			bad_file = t->path;
		}
		unexpected++;
	}
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "rounds", required_argument, NULL, 'n' },
		{ "root", required_argument, NULL, 'r' },
		{ "debugfs", required_argument, NULL, 'd' },
		{ "only", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	char buf[8192], *l;
	unsigned long rounds = 300, r, total = 0;
	int c, i, k, fail = 0, present[MAXDEV];
	unsigned int pe;
	char *end;

	rng = (uint64_t)getpid() * 0x9e3779b97f4a7c15ULL ^ (uint64_t)time(NULL);
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			errno = 0;
			rng = strtoull(optarg, &end, 0);
			if (errno || *end || end == optarg)
				goto usage;
			break;
		case 'n':
			rounds = strtoul(optarg, &end, 0);
			if (*end || !rounds)
				goto usage;
			break;
		case 'r':
			root = optarg;
			break;
		case 'd':
			dbgroot = optarg;
			break;
		case 'o':
			only = optarg;
			break;
		default:
			goto usage;
		}
	}
	if (optind != argc)
		goto usage;
	printf("seed %llu\n", (unsigned long long)rng);
	rng |= 1;

	read_devices(dev_present);
	scan_dir(root, 1);
	scan_dir(dbgroot, 0);
	if (!nfiles) {
		fprintf(stderr, "no writable file under %s\n", root);
		return 2;
	}
	for (i = 0; i < nfiles; i++)
		if (!strcmp(files[i].name, "kctx") &&
		    read_file(files[i].view, buf, sizeof(buf)) > 0)
			for (l = strchr(buf, '\n'); l && *++l; l = strchr(l, '\n'))
				if (sscanf(l, "%u", &pe) == 1 && pe < 65536)
					kctx_initial[pe] = 1;
	read_targets();
	printf("targets pasids %d pes %d hwirqs %d\n", npasids, npes, nhwirqs);

	for (r = 0; r < rounds; r++)
		for (i = 0; i < nfiles; i++)
			fuzz_one(&files[i]);

	for (i = 0; i < nfiles; i++) {
		struct target *t = &files[i];

		total += t->writes;
		printf("file %s writes %lu ok %lu\n", t->path +
		       (strncmp(t->path, root, strlen(root)) ? 0 :
			strlen(root) + 1), t->writes, t->ok);
		for (k = 1; k < MAXERR; k++)
			if (t->err[k])
				printf("errno %s %s %lu\n", t->name, strerrorname_np(k) ?: "?",
				       t->err[k]);
		if (t->readable) {
			read_file(t->path, buf, sizeof(buf));
			if (strcmp(buf, t->orig) &&
			    !(strcmp(t->name, "fail_attach") == 0 && !strcmp(buf, "0 1\n"))) {
				printf("knob %s reads '%.*s', was '%.*s'\n", t->path,
				       (int)strcspn(buf, "\n"), buf,
				       (int)strcspn(t->orig, "\n"), t->orig);
				fail = 1;
			}
		}
	}
	read_devices(present);
	if (memcmp(present, dev_present, sizeof(present))) {
		printf("device set changed\n");
		fail = 1;
	}
	printf("writes %lu files %d\n", total, nfiles);
	if (unexpected) {
		printf("unexpected %lu (first: %s on %s)\n", unexpected,
		       strerrorname_np(bad_errno) ?: "?", bad_file);
		return 3;
	}
	return fail ? 4 : 0;
usage:
	fprintf(stderr, "usage: asim_dbgfuzz [--seed S] [--rounds N] [--root DIR] [--debugfs DIR] [--only SUBSTR]\n");
	return 2;
}
