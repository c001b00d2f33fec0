// SPDX-License-Identifier: MIT
/*
 * asim_copy: run one descriptor on untouched memory and check the result.
 *
 *   asim_copy [-d DEV] [-s SIZE[K|M]] [-o copy|fill|compare|touch] [-u]
 *
 * The source is a fresh MAP_SHARED mapping of a memfd whose content was
 * written with write(), so this mm never touched it; the destination is a
 * fresh anonymous mapping. Every page therefore faults on the device.
 * -u makes the source an address that was just unmapped: the work must
 * fail with status FAULT naming that address. -m makes the source the
 * first page of [vvar] (a VM_PFNMAP mapping the device cannot translate
 * even after the fault is resolved): the work must fail the same way.
 *
 * Prints "src=0x.. dst=0x..", any fault_error events, then
 * "done id=N status=S bytes=B addr=0x..". Exits 0 when the data (or, with
 * -u, the error) is as expected, 1 otherwise, 2 on setup errors.
 */
#include <sys/mman.h>

#include "asim.h"

static uint64_t parse_size(const char *s)
{
	char *end;
	uint64_t v = strtoull(s, &end, 0);

	if (*end == 'K' || *end == 'k')
		v <<= 10;
	else if (*end == 'M' || *end == 'm')
		v <<= 20;
	return v;
}

static unsigned char pattern_at(uint64_t i)
{
	return (unsigned char)((i * 131) ^ (i >> 12));
}

int main(int argc, char **argv)
{
	struct accelsim_event_work_done done;
	uint64_t size = 1 << 20, i, id = 0;
	unsigned int dev = 0;
	uint32_t op = ACCELSIM_OP_COPY, pasid = 0, pe = 0, want;
	unsigned char *src, *dst, buf[65536];
	int opt, fd, mfd, err, unmapped = 0, ok = 1;
	size_t n;

	while ((opt = getopt(argc, argv, "d:s:o:um")) != -1) {
		switch (opt) {
		case 'd':
			dev = strtoul(optarg, NULL, 0);
			break;
		case 's':
			size = parse_size(optarg);
			break;
		case 'o':
			if (!strcmp(optarg, "copy"))
				op = ACCELSIM_OP_COPY;
			else if (!strcmp(optarg, "fill"))
				op = ACCELSIM_OP_FILL;
			else if (!strcmp(optarg, "compare"))
				op = ACCELSIM_OP_COMPARE;
			else if (!strcmp(optarg, "touch"))
				op = ACCELSIM_OP_TOUCH;
			else
				asim_die("unknown op %s", optarg);
			break;
		case 'u':
			unmapped = 1;
			break;
		case 'm':
			unmapped = 2;
			break;
		default:
			asim_die("usage: asim_copy [-d DEV] [-s SIZE] [-o OP] [-u|-m]");
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!size)
		asim_die("size must be > 0");

	mfd = memfd_create("asim_src", 0);
	if (mfd < 0)
		asim_die("memfd_create: %s", strerror(errno));
	for (i = 0; i < size; i += n) {
		n = size - i < sizeof(buf) ? size - i : sizeof(buf);
		for (uint64_t j = 0; j < n; j++)
			buf[j] = pattern_at(i + j);
		if (write(mfd, buf, n) != (ssize_t)n)
			asim_die("write memfd: %s", strerror(errno));
	}
	src = mmap(NULL, size, PROT_READ, MAP_SHARED, mfd, 0);
	dst = mmap(NULL, size, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (src == MAP_FAILED || dst == MAP_FAILED)
		asim_die("mmap: %s", strerror(errno));
	if (unmapped && munmap(src, size))
		asim_die("munmap: %s", strerror(errno));
	if (unmapped == 2) {
		FILE *maps = fopen("/proc/self/maps", "r");
		char line[256];
		unsigned long lo = 0;

		if (!maps)
			asim_die("open /proc/self/maps: %s", strerror(errno));
		while (fgets(line, sizeof(line), maps))
			if (strstr(line, "[vvar]"))
				lo = strtoul(line, NULL, 16);
		fclose(maps);
		if (!lo)
			asim_die("no [vvar] mapping");
		src = (unsigned char *)lo;
		if (size > 4096)
			size = 4096;
	}
	printf("src=0x%llx dst=0x%llx\n", (unsigned long long)(uintptr_t)src,
	       (unsigned long long)(uintptr_t)dst);

	fd = asim_open(dev);
	err = asim_attach(fd, &pasid, &pe);
	if (err)
		asim_die("attach: %s", strerror(-err));
	printf("pasid=%u pe=%u\n", pasid, pe);

	err = asim_submit(fd, op, 0,
			  op == ACCELSIM_OP_COPY || op == ACCELSIM_OP_COMPARE ?
			  (uintptr_t)src : 0,
			  op == ACCELSIM_OP_COMPARE && !unmapped ?
			  (uintptr_t)src : (uintptr_t)dst,
			  size, 0x7a6, op == ACCELSIM_OP_FILL ? 0x5a : 0, &id);
	if (err)
		asim_die("submit: %s", strerror(-err));
	err = asim_wait_done(fd, id, &done, 1);
	if (err)
		asim_die("read: %s", strerror(-err));
	printf("done id=%llu status=%u bytes=%llu addr=0x%llx tag=0x%llx\n",
	       (unsigned long long)done.id, done.status,
	       (unsigned long long)done.bytes,
	       (unsigned long long)done.addr, (unsigned long long)done.tag);

	want = unmapped ? ACCELSIM_STATUS_FAULT : ACCELSIM_STATUS_OK;
	if (done.status != want || done.tag != 0x7a6) {
		printf("FAIL status %u want %u\n", done.status, want);
		ok = 0;
	}
	if (unmapped) {
		if (done.addr != (uintptr_t)src) {
			printf("FAIL addr 0x%llx want %p\n",
			       (unsigned long long)done.addr, (void *)src);
			ok = 0;
		}
	} else if (done.bytes != size) {
		printf("FAIL bytes %llu want %llu\n",
		       (unsigned long long)done.bytes,
		       (unsigned long long)size);
		ok = 0;
	} else if (op == ACCELSIM_OP_COPY || op == ACCELSIM_OP_FILL) {
		for (i = 0; i < size; i++) {
			unsigned char w = op == ACCELSIM_OP_COPY ?
					  pattern_at(i) : 0x5a;

			if (dst[i] != w) {
				printf("FAIL dst[%llu]=0x%02x want 0x%02x\n",
				       (unsigned long long)i, dst[i], w);
				ok = 0;
				break;
			}
		}
		if (ok)
			printf("data ok\n");
	}
	close(fd);
	return ok ? 0 : 1;
}
