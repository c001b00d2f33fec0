// SPDX-License-Identifier: MIT
/*
 * bench_tlbi: the cost of munmap and remap of a 2 MiB region (figure 3).
 *
 *   bench_tlbi ctx|none ITERS [DEV]
 *
 * Each iteration maps 2 MiB of 4 KiB pages at a fixed address and touches
 * every page from the CPU. With ctx, the process holds an attached context
 * on afuDEV (default 0) and the engine then reads the whole region (a
 * TOUCH descriptor), so the device's ATC holds entries for it. Timed:
 * munmap of the region and the mmap that maps it again. The invalidation
 * of the ATC entries (the TLBI) happens inside that munmap when a context
 * is attached. Prints the median and mean time per iteration.
 */
#include <string.h>
#include <sys/mman.h>

#include "bench.h"

#define REGION (2ul << 20)
#define PAGE 4096ul

int main(int argc, char **argv)
{
	unsigned long iters, i, k;
	struct accelsim_event_work_done done;
	uint64_t *v, sum = 0, id = 0, t0;
	unsigned int dev = 0;
	int ctx, fd = -1, err;
	volatile char *p;
	void *q;

	if (argc < 3 || argc > 4 || (strcmp(argv[1], "ctx") &&
				     strcmp(argv[1], "none"))) {
		fprintf(stderr, "usage: bench_tlbi ctx|none ITERS [DEV]\n");
		return 2;
	}
	ctx = !strcmp(argv[1], "ctx");
	iters = bench_arg(argv[2], "iterations");
	if (argc == 4)
		dev = (unsigned int)bench_arg(argv[3], "device");
	if (!iters)
		asim_die("ITERS must be at least 1");
	v = calloc(iters, sizeof(*v));
	if (!v)
		asim_die("out of memory");
	if (ctx) {
		fd = asim_open(dev);
		err = asim_attach(fd, NULL, NULL);
		if (err)
			asim_die("ATTACH: %s", strerror(-err));
	}
	q = mmap(NULL, REGION, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (q == MAP_FAILED)
		asim_die("mmap: %s", strerror(errno));
	for (i = 0; i < iters; i++) {
		madvise(q, REGION, MADV_NOHUGEPAGE);
		p = q;
		for (k = 0; k < REGION; k += PAGE)
			p[k] = (char)k;
		if (ctx) {
			err = asim_submit(fd, ACCELSIM_OP_TOUCH, 0, 0,
					  (uint64_t)(uintptr_t)q, REGION, i, 0,
					  &id);
			if (!err)
				err = asim_wait_done(fd, id, &done, 0);
			if (err)
				asim_die("TOUCH: %s", strerror(-err));
			if (done.status != ACCELSIM_STATUS_OK)
				asim_die("TOUCH: status %u", done.status);
		}
		t0 = bench_now();
		if (munmap(q, REGION))
			asim_die("munmap: %s", strerror(errno));
		q = mmap(q, REGION, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
		v[i] = bench_now() - t0;
		if (q == MAP_FAILED)
			asim_die("remap: %s", strerror(errno));
		sum += v[i];
	}
	printf("{\"mode\":\"%s\",\"iters\":%lu,\"mean_ns\":%llu,"
	       "\"median_ns\":%llu}\n", argv[1], iters,
	       (unsigned long long)(sum / iters),
	       (unsigned long long)bench_median(v, iters));
	if (fd >= 0)
		close(fd);
	return 0;
}
