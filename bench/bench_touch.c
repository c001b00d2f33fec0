// SPDX-License-Identifier: MIT
/*
 * bench_touch: the CPU's own minor faults on fresh anonymous 4 KiB pages.
 *
 *   bench_touch lat PAGES        time each first touch (figure 1)
 *   bench_touch rate PAGES ITERS pages faulted in per second (figure 2)
 *
 * lat writes one byte to each page of a fresh MAP_PRIVATE|MAP_ANONYMOUS
 * mapping (MADV_NOHUGEPAGE), timing each write with clock_gettime. The
 * clock's own cost (the median of back-to-back reads) is subtracted from
 * each sample. Prints a log2 histogram of the same shape as the driver's
 * fault_lat_ns, and the exact median. rate maps, touches and unmaps the
 * same PAGES ITERS times, as accelctl run --fresh does, and prints pages/s.
 */
#include <string.h>
#include <sys/mman.h>

#include "bench.h"

#define PAGE 4096ul

static char *map_fresh(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		asim_die("mmap: %s", strerror(errno));
	madvise(p, len, MADV_NOHUGEPAGE);
	return p;
}

static uint64_t timer_cost(void)
{
	uint64_t v[1001];
	unsigned int i;

	for (i = 0; i < 1001; i++) {
		uint64_t t0 = bench_now();

		v[i] = bench_now() - t0;
	}
	return bench_median(v, 1001);
}

static int lat(unsigned long pages)
{
	uint64_t hist[BENCH_BUCKETS] = { 0 }, *v, cost, t0, d;
	volatile char *p;
	unsigned long i;

	v = calloc(pages, sizeof(*v));
	if (!v)
		asim_die("out of memory");
	cost = timer_cost();
	p = (volatile char *)map_fresh(pages * PAGE);
	for (i = 0; i < pages; i++) {
		t0 = bench_now();
		p[i * PAGE] = 1;
		d = bench_now() - t0;
		d = d > cost ? d - cost : 0;
		v[i] = d;
		hist[bench_bucket(d)]++;
	}
	munmap((void *)p, pages * PAGE);
	printf("{\"pages\":%lu,\"timer_ns\":%llu,\"p50_ns\":%llu,", pages,
	       (unsigned long long)cost,
	       (unsigned long long)bench_median(v, pages));
	bench_print_hist("hist", hist);
	printf("}\n");
	free(v);
	return 0;
}

static int rate(unsigned long pages, unsigned long iters)
{
	uint64_t t0 = bench_now(), el;
	volatile char *p;
	unsigned long i, k;

	for (k = 0; k < iters; k++) {
		p = (volatile char *)map_fresh(pages * PAGE);
		for (i = 0; i < pages; i++)
			p[i * PAGE] = 1;
		munmap((void *)p, pages * PAGE);
	}
	el = bench_now() - t0;
	printf("{\"pages\":%lu,\"elapsed_ns\":%llu,\"pages_per_s\":%.1f}\n",
	       pages * iters, (unsigned long long)el,
	       (double)(pages * iters) * 1e9 / (double)el);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "lat"))
		return lat(bench_arg(argv[2], "page count"));
	if (argc == 4 && !strcmp(argv[1], "rate"))
		return rate(bench_arg(argv[2], "page count"),
			    bench_arg(argv[3], "iterations"));
	fprintf(stderr, "usage: bench_touch lat PAGES | rate PAGES ITERS\n");
	return 2;
}
