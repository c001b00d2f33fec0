// SPDX-License-Identifier: MIT
/*
 * bench_faultin: the engines' aggregate fault-in rate (figure 10).
 *
 *   bench_faultin DEVS PROCS PAGES ITERS
 *
 * PROCS processes, process P attached to afu(P % DEVS), each map PAGES
 * fresh 4 KiB pages ITERS times and have the engine write every page (TOUCH
 * descriptors of 256 KiB, up to 16 in flight, as accelctl run --fresh -o
 * touch), so every page faults in through the driver. The processes attach
 * first and start together; the time runs from their start to the last
 * one's end. Prints the pages faulted in and their rate.
 */
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "bench.h"

#define PAGE 4096ul
#define CHUNK (256ul << 10)
#define WINDOW 16ul

/* One iteration: fresh pages, every chunk touched by the engine. */
static void touch_fresh(int fd, unsigned long len, unsigned long iter)
{
	unsigned long nchunks = (len + CHUNK - 1) / CHUNK, next = 0, done = 0;
	unsigned long off;
	struct asim_event ev;
	uint64_t id;
	ssize_t n;
	char *q;
	int err;

	q = mmap(NULL, len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (q == MAP_FAILED)
		asim_die("mmap: %s", strerror(errno));
	madvise(q, len, MADV_NOHUGEPAGE);
	while (done < nchunks) {
		while (next < nchunks && next - done < WINDOW) {
			off = next * CHUNK;
			err = asim_submit(fd, ACCELSIM_OP_TOUCH,
					  ACCELSIM_SUBMIT_WRITE, 0,
					  (uint64_t)(uintptr_t)(q + off),
					  off + CHUNK > len ? len - off : CHUNK,
					  iter, 0, &id);
			if (err)
				asim_die("SUBMIT: %s", strerror(-err));
			next++;
		}
		n = asim_read_event(fd, &ev);
		if (n < 0)
			asim_die("read: %s", strerror((int)-n));
		if (ev.hdr.type != ACCELSIM_EVENT_WORK_DONE)
			continue;
		if (ev.body.work_done.status != ACCELSIM_STATUS_OK)
			asim_die("TOUCH: status %u", ev.body.work_done.status);
		done++;
	}
	munmap(q, len);
}

static void child(unsigned int dev, unsigned long pages, unsigned long iters,
		  int ready, int go)
{
	unsigned long i;
	char c = 1;
	int fd, err;

	fd = asim_open(dev);
	err = asim_attach(fd, NULL, NULL);
	if (err)
		asim_die("ATTACH afu%u: %s", dev, strerror(-err));
	if (write(ready, &c, 1) != 1)
		_exit(1);
	/* The parent closes its end of go: read returns 0, all start. */
	if (read(go, &c, 1) != 0)
		_exit(1);
	for (i = 0; i < iters; i++)
		touch_fresh(fd, pages * PAGE, i);
	close(fd);
	_exit(0);
}

int main(int argc, char **argv)
{
	unsigned long devs, procs, pages, iters, p, got = 0, ok = 0;
	int rfd[2], gfd[2], status;
	uint64_t t0, el;
	pid_t *pids;
	char c;

	if (argc != 5) {
		fprintf(stderr, "usage: bench_faultin DEVS PROCS PAGES ITERS\n");
		return 2;
	}
	devs = bench_arg(argv[1], "device count");
	procs = bench_arg(argv[2], "processes");
	pages = bench_arg(argv[3], "page count");
	iters = bench_arg(argv[4], "iterations");
	if (!devs || !procs || !pages || !iters)
		asim_die("DEVS, PROCS, PAGES and ITERS must be at least 1");
	pids = calloc(procs, sizeof(*pids));
	if (!pids || pipe(rfd) || pipe(gfd))
		asim_die("setup: %s", strerror(errno));
	for (p = 0; p < procs; p++) {
		pids[p] = fork();
		if (pids[p] < 0)
			asim_die("fork: %s", strerror(errno));
		if (pids[p] == 0) {
			close(rfd[0]);
			close(gfd[1]);
			child((unsigned int)(p % devs), pages, iters, rfd[1],
			      gfd[0]);
		}
	}
	close(rfd[1]);
	close(gfd[0]);
	while (got < procs && read(rfd[0], &c, 1) == 1)
		got++;
	t0 = bench_now();
	close(gfd[1]);
	for (p = 0; p < procs; p++)
		if (waitpid(pids[p], &status, 0) == pids[p] &&
		    WIFEXITED(status) && !WEXITSTATUS(status))
			ok++;
	el = bench_now() - t0;
	if (got < procs || ok < procs) {
		fprintf(stderr, "bench_faultin: %lu of %lu processes attached, "
			"%lu finished\n", got, procs, ok);
		return 1;
	}
	printf("{\"devs\":%lu,\"procs\":%lu,\"pages\":%lu,\"elapsed_ns\":%llu,"
	       "\"pages_per_s\":%.1f}\n", devs, procs, pages * iters * procs,
	       (unsigned long long)el,
	       (double)(pages * iters * procs) * 1e9 / (double)el);
	return 0;
}
