// SPDX-License-Identifier: MIT
/*
 * asim_stress: processes attaching, working and exiting concurrently.
 *
 *   asim_stress [-d DEV]... [-p PROCS] [-T SECONDS] [-g]
 *
 * Keeps PROCS children alive for SECONDS, each of which opens every
 * device, attaches, submits a few COPYs of untouched memory (so the engine
 * faults), and then at random either waits for every completion and checks
 * the data, terminates with work in flight, or just exits with work in
 * flight. -g ("gone") tolerates ENODEV, for runs during which a device is
 * deleted. Prints "children=N failed=F" and exits 1 if any child failed.
 */
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>

#include "asim.h"

static unsigned int devs[16], ndevs;
static int gone_ok;

static int child_fail(const char *what, int err)
{
	if (gone_ok && err == ENODEV)
		_exit(0);
	fprintf(stderr, "asim_stress[%d]: %s: %s\n", getpid(), what,
		strerror(err));
	_exit(1);
}

static void child(unsigned int seed)
{
	struct accelsim_event_work_done done;
	unsigned char *src[4], *dst[4];
	uint64_t id[16][4], len[4];
	int fds[16], err;
	unsigned int i, d, nwork, mode;

	srand(seed);
	nwork = 1 + rand() % 4;
	mode = rand() % 4;
	for (i = 0; i < nwork; i++) {
		len[i] = (1 + rand() % 64) * 4096 - rand() % 64;
		src[i] = mmap(NULL, len[i], PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		dst[i] = mmap(NULL, len[i], PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (src[i] == MAP_FAILED || dst[i] == MAP_FAILED)
			child_fail("mmap", errno);
		/* Touch every other page of the source, leave the rest. */
		for (uint64_t j = 0; j < len[i]; j += 8192)
			src[i][j] = (unsigned char)(j >> 13) + i + 1;
	}
	for (d = 0; d < ndevs; d++) {
		char path[64];

		snprintf(path, sizeof(path), "/dev/accelsim/afu%u", devs[d]);
		fds[d] = open(path, O_RDWR);
		if (fds[d] < 0)
			child_fail("open", errno == ENOENT ? ENODEV : errno);
		err = asim_attach(fds[d], NULL, NULL);
		if (err)
			child_fail("attach", -err);
		for (i = 0; i < nwork; i++) {
			err = asim_submit(fds[d], ACCELSIM_OP_COPY, 0,
					  (uintptr_t)src[i],
					  (uintptr_t)dst[i], len[i], i, 0,
					  &id[d][i]);
			if (err)
				child_fail("submit", -err);
		}
	}
	if (mode == 0)
		_exit(0);	/* exit with work in flight */
	if (mode == 1) {
		struct accelsim_ioctl_terminate t;

		memset(&t, 0, sizeof(t));
		for (d = 0; d < ndevs; d++)
			if (ioctl(fds[d], ACCELSIM_IOCTL_TERMINATE, &t) < 0)
				child_fail("terminate", errno);
		_exit(0);
	}
	/* Completions may come in any order: match them by id. */
	for (d = 0; d < ndevs; d++) {
		unsigned int seen = 0;
		struct asim_event ev;
		ssize_t n;

		while (seen < nwork) {
			n = asim_read_event(fds[d], &ev);
			if (n < 0)
				child_fail("read", (int)-n);
			if (ev.hdr.type != ACCELSIM_EVENT_WORK_DONE)
				child_fail("unexpected event", EIO);
			done = ev.body.work_done;
			for (i = 0; i < nwork; i++)
				if (id[d][i] == done.id)
					break;
			if (i == nwork)
				child_fail("unknown work id", EIO);
			if (done.status != ACCELSIM_STATUS_OK ||
			    done.bytes != len[i] || done.tag != i)
				child_fail("completion status", EIO);
			if (memcmp(src[i], dst[i], len[i]))
				child_fail("data", EIO);
			seen++;
		}
	}
	_exit(0);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	unsigned int procs = 16, running = 0, children = 0, failed = 0;
	double secs = 30, end;
	int opt, status;
	pid_t pid;

	while ((opt = getopt(argc, argv, "d:p:T:g")) != -1) {
		switch (opt) {
		case 'd':
			if (ndevs < 16)
				devs[ndevs++] = strtoul(optarg, NULL, 0);
			break;
		case 'p':
			procs = strtoul(optarg, NULL, 0);
			break;
		case 'T':
			secs = strtod(optarg, NULL);
			break;
		case 'g':
			gone_ok = 1;
			break;
		default:
			asim_die("usage: asim_stress [-d DEV]... [-p N] [-T S] [-g]");
		}
	}
	if (!ndevs)
		devs[ndevs++] = 0;
	end = now() + secs;
	for (;;) {
		while (running < procs && now() < end) {
			pid = fork();
			if (pid < 0)
				asim_die("fork: %s", strerror(errno));
			if (!pid)
				child(children * 7919 + getpid());
			running++;
			children++;
		}
		if (!running)
			break;
		pid = wait(&status);
		if (pid < 0)
			asim_die("wait: %s", strerror(errno));
		running--;
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			failed++;
	}
	printf("children=%u failed=%u\n", children, failed);
	return failed ? 1 : 0;
}
