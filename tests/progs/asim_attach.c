// SPDX-License-Identifier: MIT
/*
 * asim_attach: attach to one or more accelsim devices from one or more
 * threads and report the PASID and PE of each context.
 *
 *   asim_attach [-d DEV]... [-t THREADS] [-w] [-b MIB] [-c KIB] [-P]
 *
 * -d DEV      device number (repeatable; default 0)
 * -P          attach each context with a private PASID of its own
 *             (ACCELSIM_ATTACH_PRIVATE_PASID), not the process's shared one
 * -t THREADS  attach from this many threads (each opens every device)
 * -b MIB      then submit a COPY of MIB MiB of untouched memory on each
 *             context without waiting for it (work in flight)
 * -c KIB      then, on each context, the Nth thread (from 1) runs N rounds
 *             of: a COPY of KIB KiB of untouched memory (faults) that
 *             fires an IRQ at completion, waited for, and the unmapping
 *             of both buffers (TLBIs); prints "work dev= pe= rounds="
 * -w          print "ready" and wait for a signal: SIGTERM exits (closing
 *             the contexts), SIGUSR1 first probes every context and prints
 *             the errno of GET_INFO, SUBMIT and read ("probe ..."), so a
 *             test can check what a removed device returns.
 */
#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "asim.h"

#define MAX_CTX 256

static unsigned int devs[16], ndevs;
static int fds[MAX_CTX];
static unsigned int nfds;
static unsigned long copy_mib, work_kib;
static unsigned int next_thread;
static uint32_t attach_flags;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static volatile sig_atomic_t got_sig;

static void on_sig(int sig)
{
	got_sig = sig;
}

/* @rounds COPYs of work_kib KiB of fresh memory on fd, each with an IRQ. */
static void work(int fd, unsigned int dev, uint32_t pe, unsigned int rounds)
{
	struct accelsim_ioctl_irq_alloc a = { .count = 1 };
	struct accelsim_event_work_done done;
	size_t len = work_kib << 10;
	unsigned int r;
	int err;

	if (ioctl(fd, ACCELSIM_IOCTL_IRQ_ALLOC, &a) < 0)
		asim_die("irq alloc afu%u: %s", dev, strerror(errno));
	for (r = 0; r < rounds; r++) {
		struct accelsim_ioctl_submit s;
		char *src = mmap(NULL, len, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		char *dst = mmap(NULL, len, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (src == MAP_FAILED || dst == MAP_FAILED)
			asim_die("mmap: %s", strerror(errno));
		memset(&s, 0, sizeof(s));
		s.op = ACCELSIM_OP_COPY;
		s.flags = ACCELSIM_SUBMIT_IRQ;
		s.hwirq = a.hwirq;
		s.src = (uintptr_t)src;
		s.dst = (uintptr_t)dst;
		s.len = len;
		s.tag = r + 1;
		if (ioctl(fd, ACCELSIM_IOCTL_SUBMIT, &s) < 0)
			asim_die("submit afu%u: %s", dev, strerror(errno));
		err = asim_wait_done(fd, s.id, &done, 0);
		if (err)
			asim_die("wait afu%u: %s", dev, strerror(-err));
		if (done.status != ACCELSIM_STATUS_OK)
			asim_die("copy afu%u: status %u", dev, done.status);
		munmap(src, len);
		munmap(dst, len);
	}
	pthread_mutex_lock(&lock);
	printf("work dev=%u pe=%u rounds=%u\n", dev, pe, rounds);
	pthread_mutex_unlock(&lock);
}

static void *attach_thread(void *arg)
{
	uint32_t pasid = 0, pe = 0;
	unsigned int i, nth;
	int fd, err;

	(void)arg;
	pthread_mutex_lock(&lock);
	nth = ++next_thread;
	pthread_mutex_unlock(&lock);
	for (i = 0; i < ndevs; i++) {
		fd = asim_open(devs[i]);
		err = asim_attach_flags(fd, attach_flags, &pasid, &pe);
		if (err)
			asim_die("attach afu%u: %s", devs[i], strerror(-err));
		pthread_mutex_lock(&lock);
		printf("attach dev=%u tid=%ld pasid=%u pe=%u\n", devs[i],
		       (long)syscall(SYS_gettid), pasid, pe);
		if (nfds < MAX_CTX)
			fds[nfds++] = fd;
		pthread_mutex_unlock(&lock);
		if (copy_mib) {
			size_t len = copy_mib << 20;
			char *src = mmap(NULL, len, PROT_READ | PROT_WRITE,
					 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			char *dst = mmap(NULL, len, PROT_READ | PROT_WRITE,
					 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

			if (src == MAP_FAILED || dst == MAP_FAILED)
				asim_die("mmap: %s", strerror(errno));
			err = asim_submit(fd, ACCELSIM_OP_COPY, 0,
					  (uintptr_t)src, (uintptr_t)dst, len,
					  1, 0, NULL);
			if (err)
				asim_die("submit: %s", strerror(-err));
		}
		if (work_kib)
			work(fd, devs[i], pe, nth);
	}
	return NULL;
}

static void probe(void)
{
	struct accelsim_ioctl_info info;
	struct asim_event ev;
	unsigned int i;
	int e_info, e_submit, e_read;
	char buf[4096];

	for (i = 0; i < nfds; i++) {
		memset(&info, 0, sizeof(info));
		e_info = ioctl(fds[i], ACCELSIM_IOCTL_GET_INFO, &info) < 0 ?
			 errno : 0;
		e_submit = -asim_submit(fds[i], ACCELSIM_OP_FILL, 0, 0,
					(uintptr_t)buf, sizeof(buf), 0, 0,
					NULL);
		e_read = asim_read_event(fds[i], &ev) < 0 ? errno : 0;
		printf("probe fd=%d info=%s submit=%s read=%s\n", fds[i],
		       e_info ? strerrorname_np(e_info) : "0",
		       e_submit ? strerrorname_np(e_submit) : "0",
		       e_read ? strerrorname_np(e_read) : "0");
	}
}

int main(int argc, char **argv)
{
	unsigned int nthreads = 1, i;
	pthread_t th[64];
	int opt, wait = 0;

	while ((opt = getopt(argc, argv, "d:t:wb:c:P")) != -1) {
		switch (opt) {
		case 'd':
			if (ndevs < 16)
				devs[ndevs++] = strtoul(optarg, NULL, 0);
			break;
		case 't':
			nthreads = strtoul(optarg, NULL, 0);
			if (!nthreads || nthreads > 64)
				asim_die("threads: 1..64");
			break;
		case 'w':
			wait = 1;
			break;
		case 'b':
			copy_mib = strtoul(optarg, NULL, 0);
			break;
		case 'c':
			work_kib = strtoul(optarg, NULL, 0);
			break;
		case 'P':
			attach_flags = ACCELSIM_ATTACH_PRIVATE_PASID;
			break;
		default:
			asim_die("usage: asim_attach [-d DEV]... [-t N] [-b MIB] [-c KIB] [-w] [-P]");
		}
	}
	if (!ndevs)
		devs[ndevs++] = 0;
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGTERM, on_sig);
	signal(SIGUSR1, on_sig);

	for (i = 0; i < nthreads; i++)
		if (pthread_create(&th[i], NULL, attach_thread, NULL))
			asim_die("pthread_create");
	for (i = 0; i < nthreads; i++)
		pthread_join(th[i], NULL);

	if (wait) {
		printf("ready\n");
		while (!got_sig)
			pause();
		if (got_sig == SIGUSR1)
			probe();
	}
	for (i = 0; i < nfds; i++)
		close(fds[i]);
	return 0;
}
