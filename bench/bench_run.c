// SPDX-License-Identifier: MIT
/*
 * bench_run: run a command REPS times and time it (figure 6).
 *
 *   bench_run REPS CMD [ARGS...]
 *
 * Runs CMD with standard output and error on /dev/null, one run after the
 * other, and prints the median wall time of one run (fork to reap) and
 * the mean CPU time (user + system, from the children's rusage). Fails if
 * any run of CMD fails.
 */
#include <fcntl.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "bench.h"

int main(int argc, char **argv)
{
	unsigned long reps, r;
	struct rusage ru;
	uint64_t *v, t0, cpu;
	int status, null;
	pid_t pid;

	if (argc < 3) {
		fprintf(stderr, "usage: bench_run REPS CMD [ARGS...]\n");
		return 2;
	}
	reps = bench_arg(argv[1], "reps");
	v = calloc(reps ? reps : 1, sizeof(*v));
	null = open("/dev/null", O_WRONLY);
	if (!reps || !v || null < 0)
		asim_die("bad REPS or no /dev/null");
	for (r = 0; r < reps; r++) {
		t0 = bench_now();
		pid = fork();
		if (pid < 0)
			asim_die("fork: %s", strerror(errno));
		if (pid == 0) {
			dup2(null, 1);
			dup2(null, 2);
			execvp(argv[2], argv + 2);
			_exit(127);
		}
		if (waitpid(pid, &status, 0) < 0)
			asim_die("waitpid: %s", strerror(errno));
		v[r] = bench_now() - t0;
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			asim_die("%s failed (status 0x%x)", argv[2], status);
	}
	getrusage(RUSAGE_CHILDREN, &ru);
	cpu = (uint64_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000ull +
	      (uint64_t)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000ull;
	printf("{\"reps\":%lu,\"median_ns\":%llu,\"cpu_mean_ns\":%llu}\n",
	       reps, (unsigned long long)bench_median(v, reps),
	       (unsigned long long)(cpu / reps));
	return 0;
}
