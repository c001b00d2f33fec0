// SPDX-License-Identifier: MIT
/*
 * bench_read: the cost of reading debugfs views (figure 7).
 *
 *   bench_read REPS FILE...
 *
 * Each rep reads every FILE in turn, whole, with 1 MiB read() calls, so
 * the files are measured alternately under the same load. Prints, per
 * file, the median time of one whole read, its size and its lines.
 */
#include <fcntl.h>
#include <string.h>

#include "bench.h"

#define BUF (1ul << 20)

static uint64_t read_whole(const char *path, char *buf, uint64_t *bytes,
			   uint64_t *lines)
{
	uint64_t t0 = bench_now(), t;
	ssize_t n, i;
	int fd;

	*bytes = 0;
	*lines = 0;
	fd = open(path, O_RDONLY);
	if (fd < 0)
		asim_die("open %s: %s", path, strerror(errno));
	while ((n = read(fd, buf, BUF)) > 0) {
		*bytes += (uint64_t)n;
		for (i = 0; i < n; i++)
			*lines += buf[i] == '\n';
	}
	if (n < 0)
		asim_die("read %s: %s", path, strerror(errno));
	close(fd);
	t = bench_now() - t0;
	return t;
}

int main(int argc, char **argv)
{
	unsigned long reps, r;
	uint64_t *v, bytes = 0, lines = 0;
	int nf, f;
	char *buf;

	if (argc < 3) {
		fprintf(stderr, "usage: bench_read REPS FILE...\n");
		return 2;
	}
	reps = bench_arg(argv[1], "reps");
	nf = argc - 2;
	if (!reps)
		asim_die("REPS must be at least 1");
	v = calloc(reps * (unsigned long)nf, sizeof(*v));
	buf = malloc(BUF);
	if (!v || !buf)
		asim_die("out of memory");
	for (r = 0; r < reps; r++)
		for (f = 0; f < nf; f++)
			v[(unsigned long)f * reps + r] =
				read_whole(argv[f + 2], buf, &bytes, &lines);
	printf("[");
	for (f = 0; f < nf; f++) {
		read_whole(argv[f + 2], buf, &bytes, &lines);
		printf("%s{\"file\":\"%s\",\"median_ns\":%llu,\"bytes\":%llu,"
		       "\"lines\":%llu}", f ? "," : "", argv[f + 2],
		       (unsigned long long)bench_median(v + (unsigned long)f * reps,
							reps),
		       (unsigned long long)bytes, (unsigned long long)lines);
	}
	printf("]\n");
	return 0;
}
