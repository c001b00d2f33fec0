// SPDX-License-Identifier: MIT
/*
 * asim_bind: the per-mm binding and its invalidations, timed.
 *
 *   asim_bind [-d DEV] attach -m MB
 *	a thread faults in MB MiB with one MADV_POPULATE_WRITE, which holds
 *	this mm's mmap_lock (for reading) throughout; 50 ms into it the
 *	first ATTACH registers the mm's notifier, which needs the mmap_lock
 *	for writing, so it waits for the rest of the populate. Prints
 *	"populate_us U", "attach_us U", and "attach_start T" and
 *	"attach_end T" (CLOCK_MONOTONIC, in us).
 *   asim_bind [-d DEV] submit -t SEC
 *	attach once, print "ready", then for SEC seconds or until SIGUSR1
 *	drop a page (MADV_DONTNEED) and SUBMIT a write TOUCH of it, which
 *	faults, and wait for its completion: each round trip (SUBMIT, fault
 *	raise, resolution and ack, completion) is timed. Prints "submits N",
 *	a "done_at T" line per completion (CLOCK_MONOTONIC, in us),
 *	"op_us_median U", "op_us_max U".
 *   asim_bind [-d DEV] munmap [-x DEV2] -n LOOPS
 *	attach (to DEV2 too with -x), then LOOPS times munmap a page and map
 *	it again: a TLBI each. Prints "munmap_us_total U", the time spent in
 *	munmap.
 *
 * Exits 2 on an error.
 */
#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>
#include <time.h>

#include "asim.h"

static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Print "NAME_us_median" and "NAME_us_max" of @n samples, sorted here. */
static void print_dist(const char *name, uint64_t *v, size_t n)
{
	if (!n)
		asim_die("%s: no samples", name);
	qsort(v, n, sizeof(*v), cmp_u64);
	printf("%s_us_median %llu\n", name, (unsigned long long)v[n / 2]);
	printf("%s_us_max %llu\n", name, (unsigned long long)v[n - 1]);
}

static uint64_t *samples(size_t *cap, uint64_t *v, size_t n)
{
	if (n < *cap)
		return v;
	*cap = *cap ? *cap * 2 : 1024;
	v = realloc(v, *cap * sizeof(*v));
	if (!v)
		asim_die("out of memory");
	return v;
}

struct populate {
	char *p;
	size_t len;
	volatile int started;
	uint64_t us;
};

/* Fault every page in under one hold of the mmap_lock (for reading). */
static void *populate_fn(void *arg)
{
	struct populate *pop = arg;
	uint64_t t0 = now_us();

	pop->started = 1;
	if (madvise(pop->p, pop->len, MADV_POPULATE_WRITE))
		asim_die("MADV_POPULATE_WRITE: %s", strerror(errno));
	pop->us = now_us() - t0;
	return NULL;
}

static void do_attach(unsigned int dev, unsigned int mb)
{
	struct populate pop = { .len = (size_t)mb << 20 };
	uint64_t t0, us;
	pthread_t th;
	int fd;

	pop.p = mmap(NULL, pop.len, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (pop.p == MAP_FAILED)
		asim_die("mmap: %s", strerror(errno));
	madvise(pop.p, pop.len, MADV_NOHUGEPAGE);
	fd = asim_open(dev);
	if (pthread_create(&th, NULL, populate_fn, &pop))
		asim_die("pthread_create failed");
	while (!pop.started)
		usleep(1000);
	usleep(50000);
	/* The first ATTACH registers the notifier: mmap_lock for writing. */
	t0 = now_us();
	if (asim_attach(fd, NULL, NULL))
		asim_die("attach: %s", strerror(errno));
	us = now_us() - t0;
	pthread_join(th, NULL);
	printf("populate_us %llu\n", (unsigned long long)pop.us);
	printf("attach_us %llu\n", (unsigned long long)us);
	printf("attach_start %llu\n", (unsigned long long)t0);
	printf("attach_end %llu\n", (unsigned long long)(t0 + us));
	close(fd);
}

static volatile sig_atomic_t stop;

static void on_usr1(int sig)
{
	(void)sig;
	stop = 1;
}

static void do_submit(unsigned int dev, unsigned int sec)
{
	struct sigaction sa = { .sa_handler = on_usr1, .sa_flags = SA_RESTART };
	struct accelsim_event_work_done done;
	size_t n = 0, cap = 0, i;
	uint64_t *v = NULL, *at = NULL, end, t0, id = 0;
	char *buf;
	int fd;

	buf = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED)
		asim_die("mmap: %s", strerror(errno));
	buf[0] = 1;
	fd = asim_open(dev);
	if (asim_attach(fd, NULL, NULL))
		asim_die("attach: %s", strerror(errno));
	if (sigaction(SIGUSR1, &sa, NULL))
		asim_die("sigaction: %s", strerror(errno));
	printf("ready\n");
	fflush(stdout);
	end = now_us() + (uint64_t)sec * 1000000;
	while (!stop && now_us() < end) {
		/* A fresh page: the TOUCH faults, and the fault is resolved. */
		if (madvise(buf, 4096, MADV_DONTNEED))
			asim_die("madvise: %s", strerror(errno));
		t0 = now_us();
		if (asim_submit(fd, ACCELSIM_OP_TOUCH, ACCELSIM_SUBMIT_WRITE,
				0, (uintptr_t)buf, 4096, 0, 0, &id))
			asim_die("SUBMIT: %s", strerror(errno));
		if (asim_wait_done(fd, id, &done, 0))
			asim_die("wait: %s", strerror(errno));
		if (n == cap) {
			at = realloc(at, (cap ? cap * 2 : 1024) * sizeof(*at));
			if (!at)
				asim_die("out of memory");
		}
		v = samples(&cap, v, n);
		at[n] = now_us();
		v[n] = at[n] - t0;
		n++;
		if (done.status != ACCELSIM_STATUS_OK)
			asim_die("TOUCH: status %u", done.status);
	}
	printf("submits %zu\n", n);
	for (i = 0; i < n; i++)
		printf("done_at %llu\n", (unsigned long long)at[i]);
	print_dist("op", v, n);
	close(fd);
	free(at);
	free(v);
}

static void do_munmap(unsigned int dev, int dev2, unsigned int loops)
{
	uint64_t t0, total = 0;
	int fd, fd2 = -1;
	unsigned int i;
	char *p;

	fd = asim_open(dev);
	if (asim_attach(fd, NULL, NULL))
		asim_die("attach: %s", strerror(errno));
	if (dev2 >= 0) {
		fd2 = asim_open(dev2);
		if (asim_attach(fd2, NULL, NULL))
			asim_die("attach: %s", strerror(errno));
	}
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		asim_die("mmap: %s", strerror(errno));
	for (i = 0; i < loops; i++) {
		p[0] = 1;
		t0 = now_us();
		if (munmap(p, 4096))
			asim_die("munmap: %s", strerror(errno));
		total += now_us() - t0;
		if (mmap(p, 4096, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != p)
			asim_die("mmap: %s", strerror(errno));
	}
	printf("munmap_us_total %llu\n", (unsigned long long)total);
	if (fd2 >= 0)
		close(fd2);
	close(fd);
}

int main(int argc, char **argv)
{
	unsigned int dev = 0, mb = 256, sec = 5, loops = 10;
	const char *mode;
	int c, dev2 = -1;

	while ((c = getopt(argc, argv, "+d:")) != -1) {
		if (c != 'd')
			goto usage;
		dev = strtoul(optarg, NULL, 0);
	}
	if (optind >= argc)
		goto usage;
	mode = argv[optind];
	optind++;
	while ((c = getopt(argc, argv, "m:t:n:x:")) != -1) {
		switch (c) {
		case 'm':
			mb = strtoul(optarg, NULL, 0);
			break;
		case 't':
			sec = strtoul(optarg, NULL, 0);
			break;
		case 'n':
			loops = strtoul(optarg, NULL, 0);
			break;
		case 'x':
			dev2 = (int)strtoul(optarg, NULL, 0);
			break;
		default:
			goto usage;
		}
	}
	if (!strcmp(mode, "attach"))
		do_attach(dev, mb);
	else if (!strcmp(mode, "submit"))
		do_submit(dev, sec);
	else if (!strcmp(mode, "munmap"))
		do_munmap(dev, dev2, loops);
	else
		goto usage;
	return 0;
usage:
	asim_die("usage: asim_bind [-d DEV] attach [-m MB] | "
		 "submit [-t SEC] | munmap [-x DEV2] [-n LOOPS]");
	return 2;
}
