// SPDX-License-Identifier: MIT
/*
 * edu_dma BDF ADDR: point QEMU's edu device (PCI 1234:11e8) at ADDR and
 * start one DMA of 4 bytes from ADDR into the device (QEMU's
 * docs/specs/edu.txt: 0x80 source, 0x88 destination, 0x90 count, 0x98
 * command, bit 0 start, bit 1 direction; the device's buffer at 0x40000).
 * Enables memory decoding and bus mastering in the config space first.
 * With the IOMMU translating and ADDR not mapped for the device, the DMA
 * faults and the IOMMU driver logs it (DMAR). Waits for the command to
 * finish; exit 0 once it has.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define EDU_DMA_SRC 0x80
#define EDU_DMA_DST 0x88
#define EDU_DMA_CNT 0x90
#define EDU_DMA_CMD 0x98
#define EDU_DMA_START 1
#define EDU_BUF 0x40000

static void die(const char *what)
{
	fprintf(stderr, "edu_dma: %s: %s\n", what, strerror(errno));
	exit(1);
}

int main(int argc, char **argv)
{
	volatile uint64_t *r;
	char path[256];
	uint16_t cmd;
	uint64_t addr;
	int fd, i;

	if (argc != 3) {
		fprintf(stderr, "usage: edu_dma BDF ADDR\n");
		return 2;
	}
	addr = strtoull(argv[2], NULL, 0);
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/config", argv[1]);
	fd = open(path, O_RDWR);
	if (fd < 0 || pread(fd, &cmd, 2, 4) != 2)
		die(path);
	cmd |= 0x6;	/* memory space, bus master */
	if (pwrite(fd, &cmd, 2, 4) != 2)
		die("config write");
	close(fd);
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/resource0",
		 argv[1]);
	fd = open(path, O_RDWR | O_SYNC);
	if (fd < 0)
		die(path);
	r = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (r == MAP_FAILED)
		die("mmap resource0");
	r[EDU_DMA_SRC / 8] = addr;
	r[EDU_DMA_DST / 8] = EDU_BUF;
	r[EDU_DMA_CNT / 8] = 4;
	r[EDU_DMA_CMD / 8] = EDU_DMA_START;
	for (i = 0; i < 1000 && (r[EDU_DMA_CMD / 8] & EDU_DMA_START); i++)
		usleep(1000);
	if (r[EDU_DMA_CMD / 8] & EDU_DMA_START) {
		fprintf(stderr, "edu_dma: the DMA did not finish\n");
		return 1;
	}
	printf("dma from 0x%llx done\n", (unsigned long long)addr);
	return 0;
}
