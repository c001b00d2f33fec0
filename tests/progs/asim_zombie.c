// SPDX-License-Identifier: MIT
/*
 * asim_zombie: TERMINATE on a device that does not confirm it
 * (inject/hang_terminate set). Attaches to afuDEV, allocates 4 IRQs,
 * TERMINATEs and prints "terminate: ERRNO-NAME" and "zombie pe PE pasid
 * PASID hwirq HWIRQ" for a zombie.
 *
 *   asim_zombie close DEV   then closes the context and exits
 *   asim_zombie retry DEV   then TERMINATEs every 50 ms until it succeeds
 *                           (up to 30 s) and prints "terminated"
 *   asim_zombie irqfree DEV then IRQ_FREEs the range, prints "irq_free:
 *                           ERRNO-NAME", closes the context and exits
 *
 *   asim_zombie alloc DEV COUNT  attaches another context, asks for COUNT
 *                           IRQs and prints "alloc: ERRNO-NAME" or
 *                           "alloc: 0 hwirq HWIRQ"
 */
#include "asim.h"

static int terminate(int fd)
{
	struct accelsim_ioctl_terminate t;

	memset(&t, 0, sizeof(t));
	return ioctl(fd, ACCELSIM_IOCTL_TERMINATE, &t) < 0 ? -errno : 0;
}

static const char *ename(int err)
{
	return err ? strerrorname_np(-err) : "0";
}

static int irq_alloc(unsigned int dev, uint32_t count)
{
	struct accelsim_ioctl_irq_alloc a;
	int fd, err;

	fd = asim_open(dev);
	if (asim_attach(fd, NULL, NULL))
		asim_die("attach: %s", strerror(errno));
	memset(&a, 0, sizeof(a));
	a.count = count;
	err = ioctl(fd, ACCELSIM_IOCTL_IRQ_ALLOC, &a) < 0 ? -errno : 0;
	if (err)
		printf("alloc: %s\n", ename(err));
	else
		printf("alloc: 0 hwirq %u\n", a.hwirq);
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	struct accelsim_ioctl_irq_alloc a;
	struct accelsim_ioctl_irq_free f;
	uint32_t pasid = 0, pe = 0;
	int fd, err, i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 4 && !strcmp(argv[1], "alloc"))
		return irq_alloc(strtoul(argv[2], NULL, 0),
				 strtoul(argv[3], NULL, 0));
	if (argc != 3)
		asim_die("usage: asim_zombie close|retry|irqfree DEV | alloc DEV COUNT");
	fd = asim_open(strtoul(argv[2], NULL, 0));
	if (asim_attach(fd, &pasid, &pe))
		asim_die("attach: %s", strerror(errno));
	memset(&a, 0, sizeof(a));
	a.count = 4;
	if (ioctl(fd, ACCELSIM_IOCTL_IRQ_ALLOC, &a) < 0)
		asim_die("IRQ_ALLOC: %s", strerror(errno));
	err = terminate(fd);
	printf("terminate: %s\n", err == -EBUSY ? "EBUSY" :
	       err ? strerror(-err) : "0");
	if (err != -EBUSY)
		return 1;
	printf("zombie pe %u pasid %u hwirq %u\n", pe, pasid, a.hwirq);
	if (!strcmp(argv[1], "irqfree")) {
		memset(&f, 0, sizeof(f));
		f.hwirq = a.hwirq;
		err = ioctl(fd, ACCELSIM_IOCTL_IRQ_FREE, &f) < 0 ? -errno : 0;
		printf("irq_free: %s\n", ename(err));
	}
	if (!strcmp(argv[1], "close") || !strcmp(argv[1], "irqfree")) {
		close(fd);
		return 0;
	}
	for (i = 0; i < 600; i++) {
		err = terminate(fd);
		if (!err) {
			printf("terminated\n");
			return 0;
		}
		if (err != -EBUSY)
			asim_die("TERMINATE: %s", strerror(-err));
		usleep(50000);
	}
	printf("still a zombie\n");
	return 1;
}
