// SPDX-License-Identifier: MIT
/*
 * asim_tlbi [-d DEV] [-n LOOPS] [-p PAGES]: invalidate memory the engine has
 * translated, LOOPS times each with madvise(MADV_DONTNEED), mprotect and
 * munmap (then mmap again at the same address). Before each, a write TOUCH
 * fills the ATC; after each, the device's atc_invalidations must have grown
 * by at least PAGES and the engine's next access must fault again (the
 * PE's faults column in spa grows). Prints "ok OP: ..." or "not ok ..."
 * lines and "tlbis N" (the operations done); exits 1 on a failed check.
 */
#include <sys/mman.h>

#include "asim.h"

static unsigned int dev;
static int failed;

/* Column 7 (faults) or 8 (tlbis) of the spa row of @pe. */
static long long pe_col(uint32_t pe, int tlbis)
{
	char path[128], line[512];
	long long faults, t, ret = -1;
	unsigned int rpe;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/kernel/debug/accelsim/afu%u/spa",
		 dev);
	f = fopen(path, "r");
	if (!f)
		asim_die("open %s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%u %*u %*u %*s %*s %*u %lld %lld", &rpe,
			   &faults, &t) == 3 && rpe == pe)
			ret = tlbis ? t : faults;
	fclose(f);
	return ret;
}

/* Write TOUCH of [buf, buf + len); returns the completion status. */
static unsigned int touch(int fd, char *buf, size_t len)
{
	struct accelsim_event_work_done done;
	uint64_t id = 0;

	if (asim_submit(fd, ACCELSIM_OP_TOUCH, ACCELSIM_SUBMIT_WRITE, 0,
			(uintptr_t)buf, len, 0, 0, &id))
		asim_die("SUBMIT: %s", strerror(errno));
	if (asim_wait_done(fd, id, &done, 0))
		asim_die("wait: %s", strerror(errno));
	return done.status;
}

static void check(const char *op, const char *what, int ok, long long got)
{
	if (!ok)
		failed = 1;
	printf("%sok %s: %s (%lld)\n", ok ? "" : "not ", op, what, got);
}

int main(int argc, char **argv)
{
	unsigned int loops = 10, pages = 4, i, k, ops = 0;
	long long inv, faults, tlbis;
	uint32_t pe = 0;
	size_t len;
	char *buf;
	int fd, c;

	while ((c = getopt(argc, argv, "d:n:p:")) != -1) {
		switch (c) {
		case 'd':
			dev = strtoul(optarg, NULL, 0);
			break;
		case 'n':
			loops = strtoul(optarg, NULL, 0);
			break;
		case 'p':
			pages = strtoul(optarg, NULL, 0);
			break;
		default:
			asim_die("usage: asim_tlbi [-d DEV] [-n LOOPS] [-p PAGES]");
		}
	}
	len = (size_t)pages * 4096;
	buf = mmap(NULL, len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED)
		asim_die("mmap: %s", strerror(errno));
	fd = asim_open(dev);
	if (asim_attach(fd, NULL, &pe))
		asim_die("attach: %s", strerror(errno));

	tlbis = pe_col(pe, 1);
	for (i = 0; i < loops; i++) {
		for (k = 0; k < 3; k++) {
			const char *op = k == 0 ? "madvise" :
					 k == 1 ? "mprotect" : "munmap";

			if (touch(fd, buf, len) != ACCELSIM_STATUS_OK)
				asim_die("TOUCH before %s failed", op);
			inv = asim_stat(dev, "atc_invalidations");
			if (k == 0 && madvise(buf, len, MADV_DONTNEED))
				asim_die("madvise: %s", strerror(errno));
			if (k == 1 && mprotect(buf, len, PROT_READ))
				asim_die("mprotect: %s", strerror(errno));
			if (k == 2 && (munmap(buf, len) ||
				       mmap(buf, len, PROT_READ | PROT_WRITE,
					    MAP_PRIVATE | MAP_ANONYMOUS |
					    MAP_FIXED, -1, 0) != buf))
				asim_die("munmap/mmap: %s", strerror(errno));
			ops++;
			inv = asim_stat(dev, "atc_invalidations") - inv;
			check(op, "ATC entries invalidated", inv >= pages, inv);
			faults = pe_col(pe, 0);
			if (k == 1) {
				check(op, "write to read-only faults: status FAULT",
				      touch(fd, buf, len) ==
				      ACCELSIM_STATUS_FAULT, 0);
				if (mprotect(buf, len, PROT_READ | PROT_WRITE))
					asim_die("mprotect: %s",
						 strerror(errno));
				ops++;
				faults = pe_col(pe, 0) - faults;
				check(op, "next access faults", faults >= 1,
				      faults);
				continue;
			}
			check(op, "next access OK",
			      touch(fd, buf, len) == ACCELSIM_STATUS_OK, 0);
			faults = pe_col(pe, 0) - faults;
			check(op, "next access faults again", faults >= pages,
			      faults);
		}
	}
	tlbis = pe_col(pe, 1) - tlbis;
	check("spa", "tlbis counts the invalidations of the PE", tlbis >= ops,
	      tlbis);
	printf("tlbis %u\n", ops);
	close(fd);
	return failed;
}
