// SPDX-License-Identifier: MIT
/*
 * bench_storm: a storm of mprotect and munmap on the process's own memory
 * (figure 9, the noisy neighbour).
 *
 *   bench_storm ctx|none PAGES [DEV]
 *
 * Each loop maps PAGES fresh 4 KiB pages, writes each, mprotects the
 * region read-only and back to read-write, and unmaps it. With ctx the
 * process first attaches a context to afuDEV (default 0), so each
 * mprotect and munmap invalidates its PASID's translations on that device
 * (a TLBI through the driver's MMU notifier); with none it runs the same
 * loop unattached: the same CPU load, no context. Prints "ready" once
 * attached (or at once with none), loops until SIGTERM or SIGINT, then
 * prints the loops done and their rate.
 */
#include <signal.h>
#include <string.h>
#include <sys/mman.h>

#include "bench.h"

#define PAGE 4096ul

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	unsigned long pages, k, loops = 0;
	unsigned int dev = 0;
	uint64_t t0, el;
	volatile char *p;
	int fd = -1, err;
	void *q;

	if (argc < 3 || argc > 4 || (strcmp(argv[1], "ctx") &&
				     strcmp(argv[1], "none"))) {
		fprintf(stderr, "usage: bench_storm ctx|none PAGES [DEV]\n");
		return 2;
	}
	pages = bench_arg(argv[2], "page count");
	if (argc == 4)
		dev = (unsigned int)bench_arg(argv[3], "device");
	if (!pages)
		asim_die("PAGES must be at least 1");
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	if (!strcmp(argv[1], "ctx")) {
		fd = asim_open(dev);
		err = asim_attach(fd, NULL, NULL);
		if (err)
			asim_die("ATTACH: %s", strerror(-err));
	}
	printf("ready\n");
	fflush(stdout);
	t0 = bench_now();
	while (!stop) {
		q = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (q == MAP_FAILED)
			asim_die("mmap: %s", strerror(errno));
		madvise(q, pages * PAGE, MADV_NOHUGEPAGE);
		p = q;
		for (k = 0; k < pages; k++)
			p[k * PAGE] = (char)k;
		if (mprotect(q, pages * PAGE, PROT_READ) ||
		    mprotect(q, pages * PAGE, PROT_READ | PROT_WRITE))
			asim_die("mprotect: %s", strerror(errno));
		if (munmap(q, pages * PAGE))
			asim_die("munmap: %s", strerror(errno));
		loops++;
	}
	el = bench_now() - t0;
	printf("{\"mode\":\"%s\",\"pages\":%lu,\"loops\":%lu,"
	       "\"elapsed_ns\":%llu,\"loops_per_s\":%.1f}\n", argv[1], pages,
	       loops, (unsigned long long)el,
	       el ? (double)loops * 1e9 / (double)el : 0.0);
	if (fd >= 0)
		close(fd);
	return 0;
}
