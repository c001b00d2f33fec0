// SPDX-License-Identifier: MIT
/*
 * bench_copy: engine copy against memcpy on warm pages (figure 5).
 *
 *   bench_copy SIZE ROUNDS REPS [DEV]
 *
 * Maps SIZE bytes of source and destination (4 KiB pages), writes both
 * from the CPU (warm: present in the page tables), and has the engine copy
 * them once so nothing faults later. Then, ROUNDS times, alternating: the
 * engine copies SIZE REPS times (descriptors of 64 KiB, 16 in flight),
 * and memcpy copies SIZE REPS times. Prints one pair of rates per round.
 */
#include <string.h>
#include <sys/mman.h>

#include "bench.h"

#define CHUNK (64ul << 10)
#define WINDOW 16u

static char *map_warm(size_t len, int byte)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		asim_die("mmap: %s", strerror(errno));
	madvise(p, len, MADV_NOHUGEPAGE);
	memset(p, byte, len);
	return p;
}

/* Copy src to dst @reps times through the engine; returns elapsed ns. */
static uint64_t engine_copy(int fd, char *src, char *dst, size_t size,
			    unsigned long reps)
{
	size_t n = size / CHUNK, k, total = n * reps, sent = 0, got = 0;
	struct asim_event ev;
	uint64_t t0 = bench_now();
	ssize_t r;
	int err;

	while (got < total) {
		while (sent < total && sent - got < WINDOW) {
			k = sent % n;
			err = asim_submit(fd, ACCELSIM_OP_COPY, 0,
					  (uint64_t)(uintptr_t)(src + k * CHUNK),
					  (uint64_t)(uintptr_t)(dst + k * CHUNK),
					  CHUNK, sent, 0, NULL);
			if (err)
				asim_die("SUBMIT: %s", strerror(-err));
			sent++;
		}
		r = asim_read_event(fd, &ev);
		if (r < 0)
			asim_die("read: %s", strerror((int)-r));
		if (ev.hdr.type != ACCELSIM_EVENT_WORK_DONE ||
		    ev.body.work_done.status != ACCELSIM_STATUS_OK)
			asim_die("copy failed (event %u)", ev.hdr.type);
		got++;
	}
	return bench_now() - t0;
}

static uint64_t cpu_copy(char *src, char *dst, size_t size,
			 unsigned long reps)
{
	uint64_t t0 = bench_now();
	unsigned long i;

	for (i = 0; i < reps; i++) {
		memcpy(dst, src, size);
		/* Keep the compiler from dropping or merging the copies. */
		__asm__ volatile("" : : "r"(dst) : "memory");
	}
	return bench_now() - t0;
}

int main(int argc, char **argv)
{
	unsigned long size, rounds, reps, r;
	unsigned int dev = 0;
	char *src, *dst;
	uint64_t te, tc;
	int fd, err;

	if (argc < 4 || argc > 5) {
		fprintf(stderr, "usage: bench_copy SIZE ROUNDS REPS [DEV]\n");
		return 2;
	}
	size = bench_arg(argv[1], "size");
	rounds = bench_arg(argv[2], "rounds");
	reps = bench_arg(argv[3], "reps");
	if (argc == 5)
		dev = (unsigned int)bench_arg(argv[4], "device");
	if (size < CHUNK || size % CHUNK || !rounds || !reps)
		asim_die("SIZE must be a multiple of %lu; ROUNDS, REPS >= 1",
			 CHUNK);
	fd = asim_open(dev);
	err = asim_attach(fd, NULL, NULL);
	if (err)
		asim_die("ATTACH: %s", strerror(-err));
	src = map_warm(size, 0x5a);
	dst = map_warm(size, 0);
	engine_copy(fd, src, dst, size, 1);
	if (memcmp(src, dst, size))
		asim_die("engine copy: destination differs");
	cpu_copy(src, dst, size, 1);
	printf("{\"size\":%lu,\"reps\":%lu,\"rounds\":[", size, reps);
	for (r = 0; r < rounds; r++) {
		memset(dst, 0, size);
		te = engine_copy(fd, src, dst, size, reps);
		if (memcmp(src, dst, size))
			asim_die("engine copy: destination differs");
		tc = cpu_copy(src, dst, size, reps);
		printf("%s{\"engine_bps\":%.1f,\"memcpy_bps\":%.1f}",
		       r ? "," : "", (double)size * reps * 1e9 / (double)te,
		       (double)size * reps * 1e9 / (double)tc);
	}
	printf("]}\n");
	close(fd);
	return 0;
}
