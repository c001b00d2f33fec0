// SPDX-License-Identifier: MIT
/*
 * bench_hold: attach many contexts and keep them (figures 6, 7 and 8).
 *
 *   bench_hold DEV N PROCS
 *
 * PROCS processes attach N contexts to afuDEV between them (one fd each;
 * the contexts of one process share its PASID). Prints "ready N" once
 * every context is attached, then holds them until SIGTERM or SIGINT, and
 * exits once every process has closed its contexts.
 */
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "bench.h"

static void child(unsigned int dev, unsigned long n, int ready)
{
	struct rlimit rl = { n + 64, n + 64 };
	unsigned long i;
	char c = 1;
	int fd, err;

	if (setrlimit(RLIMIT_NOFILE, &rl))
		asim_die("setrlimit %lu: %s", n + 64, strerror(errno));
	for (i = 0; i < n; i++) {
		fd = asim_open(dev);
		err = asim_attach(fd, NULL, NULL);
		if (err)
			asim_die("ATTACH %lu: %s", i, strerror(-err));
	}
	if (write(ready, &c, 1) != 1)
		_exit(1);
	for (;;)
		pause();
}

int main(int argc, char **argv)
{
	unsigned long n, procs, p, each, got = 0;
	sigset_t set;
	pid_t *pids;
	unsigned int dev;
	int pfd[2], sig, status, rc = 0;
	char c;

	if (argc != 4) {
		fprintf(stderr, "usage: bench_hold DEV N PROCS\n");
		return 2;
	}
	dev = (unsigned int)bench_arg(argv[1], "device");
	n = bench_arg(argv[2], "count");
	procs = bench_arg(argv[3], "processes");
	if (!n || !procs || procs > n)
		asim_die("need 1 <= PROCS <= N");
	pids = calloc(procs, sizeof(*pids));
	if (!pids || pipe(pfd))
		asim_die("setup: %s", strerror(errno));
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, NULL);
	for (p = 0; p < procs; p++) {
		each = n / procs + (p < n % procs);
		pids[p] = fork();
		if (pids[p] < 0)
			asim_die("fork: %s", strerror(errno));
		if (pids[p] == 0) {
			sigprocmask(SIG_UNBLOCK, &set, NULL);
			close(pfd[0]);
			child(dev, each, pfd[1]);
		}
	}
	close(pfd[1]);
	while (got < procs && read(pfd[0], &c, 1) == 1)
		got++;
	if (got < procs) {
		fprintf(stderr, "bench_hold: only %lu of %lu processes "
			"attached\n", got, procs);
		rc = 1;
	} else {
		printf("ready %lu\n", n);
		fflush(stdout);
		do {
			if (sigwait(&set, &sig))
				break;
		} while (sig == SIGCHLD);
	}
	for (p = 0; p < procs; p++)
		kill(pids[p], SIGKILL);
	for (p = 0; p < procs; p++)
		waitpid(pids[p], &status, 0);
	return rc;
}
