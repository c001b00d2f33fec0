// SPDX-License-Identifier: MIT
/*
 * asim_atc: fill the device's ATC with known pages, then change the
 * mappings one step at a time, for driver_atc.bats to check the atc view
 * and the TLBIs between the steps.
 *
 * Maps PAGES pages of source and of destination, attaches, has the engine
 * COPY source to destination (the source pages are translated read-only,
 * the destination ones writable) and prints
 *   ready pasid=P pe=E src=0xS dst=0xD len=L
 * Each SIGUSR1 then takes the next step and prints its name:
 *   mprotect  the destination becomes read-only
 *   munmap    the source is unmapped
 * With -r FIRST:COUNT the steps change pages FIRST to FIRST + COUNT - 1
 * of each buffer only, not the whole buffers. SIGTERM ends it (closing
 * the context).
 */
#include <signal.h>
#include <sys/mman.h>

#include "asim.h"

static volatile sig_atomic_t got_usr1, got_term;

static void on_sig(int sig)
{
	if (sig == SIGUSR1)
		got_usr1 = 1;
	else
		got_term = 1;
}

static char *map_pages(size_t len)
{
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		asim_die("mmap: %s", strerror(errno));
	return p;
}

int main(int argc, char **argv)
{
	unsigned int dev = 0, pages = 2, step = 0, first = 0, count = 0;
	struct accelsim_event_work_done done;
	uint32_t pasid = 0, pe = 0;
	sigset_t mask, old;
	char *src, *dst;
	uint64_t id = 0;
	size_t len;
	int fd, c, err;

	while ((c = getopt(argc, argv, "d:p:r:")) != -1) {
		switch (c) {
		case 'd':
			dev = strtoul(optarg, NULL, 0);
			break;
		case 'p':
			pages = strtoul(optarg, NULL, 0);
			break;
		case 'r':
			if (sscanf(optarg, "%u:%u", &first, &count) != 2)
				asim_die("-r FIRST:COUNT");
			break;
		default:
			asim_die("usage: asim_atc [-d DEV] [-p PAGES] [-r FIRST:COUNT]");
		}
	}
	if (!count)
		count = pages;
	if (first + count > pages)
		asim_die("-r: past the %u pages", pages);
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGUSR1, on_sig);
	signal(SIGTERM, on_sig);
	sigemptyset(&mask);
	sigaddset(&mask, SIGUSR1);
	sigaddset(&mask, SIGTERM);

	len = (size_t)pages * 4096;
	src = map_pages(len);
	dst = map_pages(len);
	memset(src, 0x5a, len);
	memset(dst, 0, len);
	fd = asim_open(dev);
	err = asim_attach(fd, &pasid, &pe);
	if (err)
		asim_die("attach: %s", strerror(-err));
	err = asim_submit(fd, ACCELSIM_OP_COPY, 0, (uintptr_t)src,
			  (uintptr_t)dst, len, 0, 0, &id);
	if (err)
		asim_die("submit: %s", strerror(-err));
	if (asim_wait_done(fd, id, &done, 1) ||
	    done.status != ACCELSIM_STATUS_OK)
		asim_die("copy did not complete");
	printf("ready pasid=%u pe=%u src=%p dst=%p len=%zu\n", pasid, pe,
	       (void *)src, (void *)dst, len);

	sigprocmask(SIG_BLOCK, &mask, &old);
	while (!got_term) {
		while (!got_usr1 && !got_term)
			sigsuspend(&old);
		if (got_term)
			break;
		got_usr1 = 0;
		step++;
		if (step == 1) {
			if (mprotect(dst + (size_t)first * 4096,
				     (size_t)count * 4096, PROT_READ))
				asim_die("mprotect: %s", strerror(errno));
			printf("mprotect\n");
		} else if (step == 2) {
			if (munmap(src + (size_t)first * 4096,
				   (size_t)count * 4096))
				asim_die("munmap: %s", strerror(errno));
			printf("munmap\n");
		}
	}
	close(fd);
	return 0;
}
