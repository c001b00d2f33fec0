// SPDX-License-Identifier: MIT
/*
 * asim_exit [DEV]: the context's process exits while a forked child (with
 * its own address space) still holds the file. The child's blocked read()
 * must be woken with ESRCH, poll() must report POLLERR and SUBMIT must fail
 * with ESRCH (the PE is stopped). Prints "read: ESRCH", "poll: POLLERR"
 * and "submit: ESRCH" (or what it got). The original process
 * exits at once with status 0; the child's status says whether both were
 * as expected, so check the output.
 */
#include <poll.h>

#include "asim.h"

int main(int argc, char **argv)
{
	struct asim_event ev;
	struct pollfd pfd;
	int fd, ok = 1;
	pid_t pid;
	ssize_t n;

	fd = asim_open(argc > 1 ? strtoul(argv[1], NULL, 0) : 0);
	if (asim_attach(fd, NULL, NULL))
		asim_die("attach: %s", strerror(errno));
	setvbuf(stdout, NULL, _IOLBF, 0);

	pid = fork();
	if (pid < 0)
		asim_die("fork: %s", strerror(errno));
	/* The original process, whose mm is bound, exits at once. */
	if (pid > 0)
		_exit(0);
	/* The child has a copy of the mm, not the bound one. */
	n = read(fd, &ev, sizeof(ev));
	if (n < 0 && errno == ESRCH) {
		printf("read: ESRCH\n");
	} else {
		printf("read: %zd %s\n", n, n < 0 ? strerror(errno) : "");
		ok = 0;
	}
	pfd.fd = fd;
	pfd.events = POLLIN;
	if (poll(&pfd, 1, 1000) == 1 && (pfd.revents & POLLERR)) {
		printf("poll: POLLERR\n");
	} else {
		printf("poll: revents 0x%x\n", pfd.revents);
		ok = 0;
	}
	n = asim_submit(fd, ACCELSIM_OP_FILL, 0, 0, (uintptr_t)&ev,
			sizeof(ev), 0, 0, NULL);
	if (n == -ESRCH) {
		printf("submit: ESRCH\n");
	} else {
		printf("submit: %zd %s\n", n, n < 0 ? strerror(-n) : "");
		ok = 0;
	}
	close(fd);
	return ok ? 0 : 1;
}
