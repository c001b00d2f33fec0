// SPDX-License-Identifier: MIT
/*
 * asim_private: one process with a shared and a private context, for
 * driver_private.bats to check the two PASIDs, their faults, TLBIs and
 * life cycles between the steps.
 *
 *   asim_private [-d DEV] [-p PAGES]
 *
 * Opens two contexts on DEV: P attached with a private PASID
 * (ACCELSIM_ATTACH_PRIVATE_PASID), then S with the address space's shared
 * PASID. GET_INFO must report API version 2 or later on both and
 * ACCELSIM_INFO_PRIVATE_PASID on P only. A third context attached after
 * them (and closed) must get S's PASID: the private one never stands in
 * for the shared one, whichever came first. Then the engine write-TOUCHes
 * buffer A (PAGES pages, untouched until then, so it faults) on S and
 * buffer B on P, and it prints
 *   ready shared=PS shared_pe=ES private=PP private_pe=EP a=0xA b=0xB len=L
 * Each SIGUSR1 then takes the next step and prints its name:
 *   munmap  A and B are unmapped
 *   fault   a COPY of untouched memory is submitted on P, not waited for
 *           (its fault carries P's PASID; inject/hold_faults holds it)
 *   close   P is closed (S stays attached)
 *   shared  a write TOUCH of untouched memory on S completes OK
 * SIGTERM ends it (closing S).
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

/* Attach @fd with @flags; GET_INFO must agree on the PASID and the kind. */
static void attach(int fd, uint32_t flags, uint32_t *pasid, uint32_t *pe)
{
	struct accelsim_ioctl_info info;
	uint32_t want;
	int err;

	err = asim_attach_flags(fd, flags, pasid, pe);
	if (err)
		asim_die("attach (flags 0x%x): %s", flags, strerror(-err));
	memset(&info, 0, sizeof(info));
	if (ioctl(fd, ACCELSIM_IOCTL_GET_INFO, &info) < 0)
		asim_die("GET_INFO: %s", strerror(errno));
	want = ACCELSIM_INFO_ATTACHED;
	if (flags & ACCELSIM_ATTACH_PRIVATE_PASID)
		want |= ACCELSIM_INFO_PRIVATE_PASID;
	if (info.version < 2 || info.flags != want || info.pasid != *pasid ||
	    info.pe != *pe)
		asim_die("GET_INFO: version %u flags 0x%x pasid %u pe %u, want flags 0x%x pasid %u pe %u",
			 info.version, info.flags, info.pasid, info.pe, want,
			 *pasid, *pe);
}

/* A write TOUCH of [buf, buf + len) on @fd must complete OK. */
static void touch(int fd, char *buf, size_t len)
{
	struct accelsim_event_work_done done;
	uint64_t id = 0;
	int err;

	err = asim_submit(fd, ACCELSIM_OP_TOUCH, ACCELSIM_SUBMIT_WRITE, 0,
			  (uintptr_t)buf, len, 0, 0, &id);
	if (err)
		asim_die("submit TOUCH: %s", strerror(-err));
	if (asim_wait_done(fd, id, &done, 1) ||
	    done.status != ACCELSIM_STATUS_OK)
		asim_die("TOUCH did not complete OK");
}

int main(int argc, char **argv)
{
	uint32_t spasid = 0, spe = 0, ppasid = 0, ppe = 0, s2pasid = 0, s2pe;
	unsigned int dev = 0, pages = 4, step = 0;
	int sfd, pfd, s2fd, c, err;
	sigset_t mask, old;
	char *a, *b, *src, *dst;
	size_t len;

	while ((c = getopt(argc, argv, "d:p:")) != -1) {
		switch (c) {
		case 'd':
			dev = strtoul(optarg, NULL, 0);
			break;
		case 'p':
			pages = strtoul(optarg, NULL, 0);
			break;
		default:
			asim_die("usage: asim_private [-d DEV] [-p PAGES]");
		}
	}
	if (!pages || pages > 16)
		asim_die("pages: 1..16");
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGUSR1, on_sig);
	signal(SIGTERM, on_sig);
	sigemptyset(&mask);
	sigaddset(&mask, SIGUSR1);
	sigaddset(&mask, SIGTERM);

	len = (size_t)pages * 4096;
	a = map_pages(len);
	b = map_pages(len);
	sfd = asim_open(dev);
	pfd = asim_open(dev);
	s2fd = asim_open(dev);
	attach(pfd, ACCELSIM_ATTACH_PRIVATE_PASID, &ppasid, &ppe);
	attach(sfd, 0, &spasid, &spe);
	attach(s2fd, 0, &s2pasid, &s2pe);
	if (spasid == ppasid || s2pasid != spasid)
		asim_die("PASIDs: private %u, shared %u, then shared %u",
			 ppasid, spasid, s2pasid);
	close(s2fd);
	touch(sfd, a, len);
	touch(pfd, b, len);
	printf("ready shared=%u shared_pe=%u private=%u private_pe=%u a=%p b=%p len=%zu\n",
	       spasid, spe, ppasid, ppe, (void *)a, (void *)b, len);

	sigprocmask(SIG_BLOCK, &mask, &old);
	while (!got_term) {
		while (!got_usr1 && !got_term)
			sigsuspend(&old);
		if (got_term)
			break;
		got_usr1 = 0;
		step++;
		if (step == 1) {
			if (munmap(a, len) || munmap(b, len))
				asim_die("munmap: %s", strerror(errno));
			printf("munmap\n");
		} else if (step == 2) {
			src = map_pages(len);
			dst = map_pages(len);
			err = asim_submit(pfd, ACCELSIM_OP_COPY, 0,
					  (uintptr_t)src, (uintptr_t)dst, len,
					  0, 0, NULL);
			if (err)
				asim_die("submit COPY: %s", strerror(-err));
			printf("fault\n");
		} else if (step == 3) {
			close(pfd);
			printf("close\n");
		} else if (step == 4) {
			touch(sfd, map_pages(len), len);
			printf("shared\n");
		}
	}
	close(sfd);
	return 0;
}
