// SPDX-License-Identifier: MIT
/*
 * asim_irq: IRQ ranges of accelsim.ko. Run in the guest as root; prints
 * "ok GROUP: what" or "not ok GROUP: what (detail)" per check and exits 1
 * if any failed.
 *
 *   asim_irq budget DEV   exhaust the budget (ENOSPC), free, allocate
 *                         again; info irqs_used and the irqs view at each
 *                         step; bad arguments fail with EINVAL
 *   asim_irq count DEV N  N SUBMITs with ACCELSIM_SUBMIT_IRQ signal an
 *                         eventfd exactly N times; inject/irq once more;
 *                         unbound IRQs still count in the irqs view
 *   asim_irq inflight DEV  a range freed while a work item that will raise
 *                         it is parked on a held fault keeps its hwirqs
 *                         until the work ends, and stays mute
 *   asim_irq teardown DEV N  N times: a range of the whole budget, every
 *                         hwirq bound to an eventfd, freed with IRQ_FREE
 *                         while SUBMIT_IRQ work on it completes, so that
 *                         the last use ends while IRQ_FREE drops the
 *                         eventfds (run under KASAN); then the budget is
 *                         whole again
 *   asim_irq efault DEV   IRQ_ALLOC whose argument is read-only memory
 *                         fails EFAULT and allocates nothing
 */
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>

#include "asim.h"

static int failed;

static void check(const char *group, const char *what, int ok,
		  const char *fmt, ...)
{
	va_list ap;

	if (ok) {
		printf("ok %s: %s\n", group, what);
		return;
	}
	failed = 1;
	printf("not ok %s: %s (", group, what);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(")\n");
}

static int irq_alloc(int fd, uint32_t count, uint32_t *hwirq)
{
	struct accelsim_ioctl_irq_alloc a;

	memset(&a, 0, sizeof(a));
	a.count = count;
	if (ioctl(fd, ACCELSIM_IOCTL_IRQ_ALLOC, &a) < 0)
		return -errno;
	*hwirq = a.hwirq;
	return 0;
}

static int irq_free(int fd, uint32_t hwirq)
{
	struct accelsim_ioctl_irq_free f;

	memset(&f, 0, sizeof(f));
	f.hwirq = hwirq;
	return ioctl(fd, ACCELSIM_IOCTL_IRQ_FREE, &f) < 0 ? -errno : 0;
}

static int irq_set_fd(int fd, uint32_t hwirq, int efd)
{
	struct accelsim_ioctl_irq_set_fd s;

	memset(&s, 0, sizeof(s));
	s.hwirq = hwirq;
	s.fd = efd;
	return ioctl(fd, ACCELSIM_IOCTL_IRQ_SET_FD, &s) < 0 ? -errno : 0;
}

static char *slurp(unsigned int dev, const char *name)
{
	static char buf[65536];
	char path[128];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/sys/kernel/debug/accelsim/afu%u/%s",
		 dev, name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		asim_die("open %s: %s", path, strerror(errno));
	n = read(fd, buf, sizeof(buf) - 1);
	if (n < 0)
		asim_die("read %s: %s", path, strerror(errno));
	close(fd);
	buf[n] = '\0';
	return buf;
}

/* Column 11 (irqs_used) of the info row. */
static unsigned int irqs_used(unsigned int dev)
{
	char *row = strchr(slurp(dev, "info"), '\n') + 1;
	unsigned int v[9];
	char name[32], ver[32], state[32];

	if (sscanf(row, "%31s %31s %u %u %u %u %31s %u %u %u %u", name, ver,
		   &v[0], &v[1], &v[2], &v[3], state, &v[4], &v[5], &v[6],
		   &v[7]) != 11)
		asim_die("bad info row: %s", row);
	return v[7];
}

/* Column irqs (9th) of the spa row of @pe, or -1. */
static long long spa_irqs(unsigned int dev, uint32_t pe)
{
	char *line = strchr(slurp(dev, "spa"), '\n');
	unsigned int rpe;
	long long irqs;

	while (line && line[1]) {
		line++;
		if (sscanf(line, "%u %*u %*u %*s %*s %*u %*u %*u %lld", &rpe,
			   &irqs) == 2 && rpe == pe)
			return irqs;
		line = strchr(line, '\n');
	}
	return -1;
}

static void check_irqs(const char *group, const char *what,
		       unsigned int dev, const char *want)
{
	char *got = slurp(dev, "irqs");

	check(group, what, !strcmp(got, want), "got '%s' want '%s'", got,
	      want);
}

static void group_budget(unsigned int dev)
{
	struct accelsim_ioctl_info info;
	struct accelsim_ioctl_irq_alloc a;
	uint32_t pasid, pe, h1, h2, h3, budget;
	char want[512];
	int fd, fd2, efd, err;

	fd = asim_open(dev);
	check("budget", "ALLOC before ATTACH", irq_alloc(fd, 1, &h1) == -EINVAL,
	      "");
	if (asim_attach(fd, &pasid, &pe))
		asim_die("attach: %s", strerror(errno));
	memset(&info, 0, sizeof(info));
	if (ioctl(fd, ACCELSIM_IOCTL_GET_INFO, &info) < 0)
		asim_die("GET_INFO: %s", strerror(errno));
	budget = info.irq_budget;
	if (budget < 8)
		asim_die("budget %u too small for the test", budget);

	check_irqs("budget", "irqs empty at start", dev,
		   "pe pasid hwirq count eventfds fired\n");
	check("budget", "count 0", irq_alloc(fd, 0, &h1) == -EINVAL, "");
	check("budget", "count above budget",
	      irq_alloc(fd, budget + 1, &h1) == -EINVAL, "");
	memset(&a, 0, sizeof(a));
	a.count = 1;
	a.reserved[2] = 1;
	check("budget", "ALLOC reserved set",
	      ioctl(fd, ACCELSIM_IOCTL_IRQ_ALLOC, &a) < 0 && errno == EINVAL,
	      "");

	err = irq_alloc(fd, 4, &h1);
	check("budget", "allocate 4", !err && h1 == 0, "err %d hwirq %u",
	      err, h1);
	check("budget", "irqs_used 4", irqs_used(dev) == 4, "%u",
	      irqs_used(dev));
	snprintf(want, sizeof(want),
		 "pe pasid hwirq count eventfds fired\n%u %u 0 4 0 0\n", pe,
		 pasid);
	check_irqs("budget", "irqs has the range", dev, want);

	err = irq_alloc(fd, budget - 4, &h2);
	check("budget", "allocate the rest", !err && h2 == 4,
	      "err %d hwirq %u", err, h2);
	check("budget", "irqs_used is the budget", irqs_used(dev) == budget,
	      "%u", irqs_used(dev));
	err = irq_alloc(fd, 1, &h3);
	check("budget", "budget exhausted: ENOSPC", err == -ENOSPC, "%d", err);

	/* Another context cannot touch them. */
	fd2 = asim_open(dev);
	if (asim_attach(fd2, NULL, NULL))
		asim_die("attach 2: %s", strerror(errno));
	check("budget", "ENOSPC for another context too",
	      irq_alloc(fd2, 1, &h3) == -ENOSPC, "");
	check("budget", "FREE of another context's range",
	      irq_free(fd2, h1) == -EINVAL, "");
	efd = eventfd(0, EFD_CLOEXEC);
	check("budget", "SET_FD on another context's IRQ",
	      irq_set_fd(fd2, h1, efd) == -EINVAL, "");
	err = asim_submit(fd2, ACCELSIM_OP_FILL, ACCELSIM_SUBMIT_IRQ, 0,
			  (uintptr_t)want, 8, 0, 0, NULL);
	check("budget", "SUBMIT with another context's IRQ", err == -EINVAL,
	      "%d", err);
	check("budget", "FREE of a hwirq inside a range",
	      irq_free(fd, h1 + 1) == -EINVAL, "");
	check("budget", "SET_FD with a non-eventfd",
	      irq_set_fd(fd, h1, fd) == -EINVAL, "");
	check("budget", "SET_FD fd -2", irq_set_fd(fd, h1, -2) == -EINVAL,
	      "");
	check("budget", "SET_FD", irq_set_fd(fd, h1 + 3, efd) == 0, "");
	snprintf(want, sizeof(want),
		 "pe pasid hwirq count eventfds fired\n%u %u 0 4 1 0\n%u %u 4 %u 0 0\n",
		 pe, pasid, pe, pasid, budget - 4);
	check_irqs("budget", "irqs with both ranges, one eventfd", dev, want);

	check("budget", "free the first range", irq_free(fd, h1) == 0, "");
	check("budget", "FREE twice", irq_free(fd, h1) == -EINVAL, "");
	check("budget", "irqs_used after free", irqs_used(dev) == budget - 4,
	      "%u", irqs_used(dev));
	snprintf(want, sizeof(want),
		 "pe pasid hwirq count eventfds fired\n%u %u 4 %u 0 0\n", pe,
		 pasid, budget - 4);
	check_irqs("budget", "irqs after free", dev, want);
	check("budget", "5 do not fit in 4", irq_alloc(fd, 5, &h3) == -ENOSPC,
	      "");
	err = irq_alloc(fd2, 4, &h3);
	check("budget", "allocate again, other context", !err && h3 == 0,
	      "err %d hwirq %u", err, h3);
	check("budget", "irqs_used full again", irqs_used(dev) == budget, "%u",
	      irqs_used(dev));
	check("budget", "ENOSPC again", irq_alloc(fd, 1, &h1) == -ENOSPC, "");

	/* Closing frees the ranges of the context. */
	close(fd2);
	check("budget", "close frees the range", irqs_used(dev) == budget - 4,
	      "%u", irqs_used(dev));
	check("budget", "free the rest", irq_free(fd, h2) == 0, "");
	check("budget", "irqs_used 0", irqs_used(dev) == 0, "%u",
	      irqs_used(dev));
	check_irqs("budget", "irqs empty at end", dev,
		   "pe pasid hwirq count eventfds fired\n");
	err = irq_alloc(fd, budget, &h1);
	check("budget", "whole budget in one range", !err && h1 == 0,
	      "err %d", err);
	close(fd);
	check("budget", "close: irqs_used 0", irqs_used(dev) == 0, "%u",
	      irqs_used(dev));
	close(efd);
}

/* Write @hwirq to inject/irq; returns 0 or the errno. */
static int inject_errno(unsigned int dev, uint32_t hwirq)
{
	char path[128], buf[32];
	int fd, n, err = 0;

	snprintf(path, sizeof(path),
		 "/sys/bus/accelsim/devices/afu%u/inject/irq", dev);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		asim_die("open %s: %s", path, strerror(errno));
	n = snprintf(buf, sizeof(buf), "%u\n", hwirq);
	if (write(fd, buf, n) != n)
		err = errno;
	close(fd);
	return err;
}

static void inject(unsigned int dev, uint32_t hwirq, int want_errno)
{
	int err = inject_errno(dev, hwirq);

	check("count", want_errno ? "inject/irq unallocated: ENOENT" :
	      "inject/irq", err == want_errno, "errno %d", err);
}

static uint64_t efd_read(int efd)
{
	uint64_t v = 0;

	if (read(efd, &v, sizeof(v)) != sizeof(v))
		return errno == EAGAIN ? 0 : UINT64_MAX;
	return v;
}

/* Sum the eventfd until it reaches @n (or 5 s pass), then 50 ms more. */
static uint64_t efd_collect(int efd, uint64_t n)
{
	uint64_t total = 0;
	int i;

	for (i = 0; i < 500 && total < n; i++) {
		total += efd_read(efd);
		if (total < n)
			usleep(10000);
	}
	usleep(50000);
	return total + efd_read(efd);
}

static int submit_irq(int fd, char *buf, uint32_t hwirq, uint64_t *id)
{
	struct accelsim_ioctl_submit s;

	memset(&s, 0, sizeof(s));
	s.op = ACCELSIM_OP_FILL;
	s.flags = ACCELSIM_SUBMIT_IRQ;
	s.hwirq = hwirq;
	s.dst = (uintptr_t)buf;
	s.len = 4096;
	s.pattern = 0x5a;
	if (ioctl(fd, ACCELSIM_IOCTL_SUBMIT, &s) < 0)
		return -errno;
	*id = s.id;
	return 0;
}

static void group_count(unsigned int dev, unsigned int n)
{
	struct accelsim_event_work_done done;
	uint32_t pasid, pe, h;
	uint64_t id = 0, v;
	char want[256], *buf;
	unsigned int i;
	int fd, efd, err;

	buf = mmap(NULL, 16 * 4096, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED)
		asim_die("mmap: %s", strerror(errno));
	fd = asim_open(dev);
	if (asim_attach(fd, &pasid, &pe))
		asim_die("attach: %s", strerror(errno));
	if (irq_alloc(fd, 2, &h))
		asim_die("IRQ_ALLOC: %s", strerror(errno));
	efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (efd < 0 || irq_set_fd(fd, h + 1, efd))
		asim_die("eventfd/SET_FD: %s", strerror(errno));
	printf("hwirq %u pe %u pasid %u\n", h, pe, pasid);

	err = submit_irq(fd, buf, h + 2, &id);
	check("count", "SUBMIT with a hwirq outside the range", err == -EINVAL,
	      "%d", err);
	for (i = 0; i < n; i++) {
		err = submit_irq(fd, buf + (i % 16) * 4096, h + 1, &id);
		if (err == -EAGAIN) {
			/* Queue full: drain the completions read so far. */
			if (asim_wait_done(fd, id, &done, 1))
				asim_die("wait: %s", strerror(errno));
			i--;
			continue;
		}
		if (err)
			asim_die("SUBMIT %u: %s", i, strerror(-err));
	}
	if (asim_wait_done(fd, id, &done, 1))
		asim_die("wait: %s", strerror(errno));
	v = efd_collect(efd, n);
	check("count", "eventfd counts N completions", v == n,
	      "got %llu want %u", (unsigned long long)v, n);
	snprintf(want, sizeof(want),
		 "pe pasid hwirq count eventfds fired\n%u %u %u 2 1 %u\n", pe,
		 pasid, h, n);
	check_irqs("count", "irqs fired is N", dev, want);

	inject(dev, h + 1, 0);
	v = efd_collect(efd, 1);
	check("count", "inject/irq signals the eventfd once", v == 1,
	      "got %llu", (unsigned long long)v);
	inject(dev, h, 0);
	inject(dev, h + 2, ENOENT);
	check("count", "unbound IRQ does not signal", efd_read(efd) == 0, "");

	check("count", "unbind with fd -1", irq_set_fd(fd, h + 1, -1) == 0, "");
	if (submit_irq(fd, buf, h + 1, &id) ||
	    asim_wait_done(fd, id, &done, 1))
		asim_die("SUBMIT unbound: %s", strerror(errno));
	usleep(50000);
	check("count", "unbound eventfd not signalled", efd_read(efd) == 0,
	      "");
	snprintf(want, sizeof(want),
		 "pe pasid hwirq count eventfds fired\n%u %u %u 2 0 %u\n", pe,
		 pasid, h, n + 3);
	check_irqs("count", "irqs fired counts injected and unbound", dev,
		   want);
	check("count", "spa irqs counts the IRQs fired for the PE",
	      spa_irqs(dev, pe) == n + 3, "%lld", spa_irqs(dev, pe));
	close(efd);
	close(fd);
}

static void knob(unsigned int dev, const char *name, const char *val)
{
	char path[128];
	int fd;

	snprintf(path, sizeof(path), "/sys/bus/accelsim/devices/afu%u/inject/%s",
		 dev, name);
	fd = open(path, O_WRONLY);
	if (fd < 0 || write(fd, val, strlen(val)) != (ssize_t)strlen(val))
		asim_die("write %s: %s", path, strerror(errno));
	close(fd);
}

static void group_inflight(unsigned int dev)
{
	struct accelsim_event_work_done done;
	uint32_t pasid, pe, h, h2;
	uint64_t id;
	char want[256], *buf;
	int fd, efd, err, i;

	buf = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED)
		asim_die("mmap: %s", strerror(errno));
	fd = asim_open(dev);
	if (asim_attach(fd, &pasid, &pe) || irq_alloc(fd, 3, &h))
		asim_die("attach/IRQ_ALLOC: %s", strerror(errno));
	efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (efd < 0 || irq_set_fd(fd, h + 2, efd))
		asim_die("eventfd/SET_FD: %s", strerror(errno));

	knob(dev, "hold_faults", "1");
	/* Never touched: the engine faults on it and the fault is held. */
	if (submit_irq(fd, buf, h + 2, &id))
		asim_die("SUBMIT: %s", strerror(errno));
	for (i = 0; i < 500 && !strstr(slurp(dev, "faults"), " held "); i++)
		usleep(10000);
	check("inflight", "fault held", !!strstr(slurp(dev, "faults"), " held "),
	      "%s", slurp(dev, "faults"));
	err = irq_free(fd, h);
	check("inflight", "FREE with work in flight", err == 0, "%d", err);
	check("inflight", "FREE again", irq_free(fd, h) == -EINVAL, "");
	check("inflight", "hwirqs stay allocated", irqs_used(dev) == 3, "%u",
	      irqs_used(dev));
	snprintf(want, sizeof(want),
		 "pe pasid hwirq count eventfds fired\n%u %u %u 3 0 0\n", pe,
		 pasid, h);
	check_irqs("inflight", "irqs keeps the range, eventfd dropped", dev,
		   want);
	err = irq_alloc(fd, 1, &h2);
	check("inflight", "a new range does not reuse them",
	      !err && (h2 < h || h2 >= h + 3), "err %d hwirq %u", err, h2);
	if (!err)
		irq_free(fd, h2);
	err = inject_errno(dev, h + 2);
	check("inflight", "inject/irq on a freed range: ENOENT",
	      err == ENOENT, "errno %d", err);

	knob(dev, "hold_faults", "0");
	if (asim_wait_done(fd, id, &done, 1))
		asim_die("wait: %s", strerror(errno));
	check("inflight", "work completed", done.status == ACCELSIM_STATUS_OK,
	      "status %u", done.status);
	for (i = 0; i < 500 && irqs_used(dev); i++)
		usleep(10000);
	check("inflight", "hwirqs released after the work", irqs_used(dev) == 0,
	      "%u", irqs_used(dev));
	check_irqs("inflight", "irqs empty", dev,
		   "pe pasid hwirq count eventfds fired\n");
	check("inflight", "freed range stayed mute", efd_read(efd) == 0, "");
	close(efd);
	close(fd);
}

/* Wait up to 5 s for irqs_used to drop to 0; returns the last value. */
static unsigned int irqs_used_drained(unsigned int dev)
{
	unsigned int used = irqs_used(dev);
	int i;

	for (i = 0; i < 500 && used; i++) {
		usleep(10000);
		used = irqs_used(dev);
	}
	return used;
}

/*
 * IRQ_FREE of a range with users drops its eventfds after irq_lock is
 * released, while the last user (a work item completing on the engine)
 * may release and free the range. The range spans the whole budget with
 * every hwirq bound, so dropping the eventfds takes long, and a few
 * SUBMIT_IRQ work items are queued just before each IRQ_FREE so that the
 * last one ends meanwhile. Their number varies from round to round to
 * move the last completion across that window.
 */
static void group_teardown(unsigned int dev, unsigned int rounds)
{
	struct accelsim_event_work_done done;
	struct accelsim_ioctl_info info;
	unsigned int r, i, k, bad_free = 0, bad_used = 0, bad_done = 0;
	uint32_t budget, h;
	uint64_t id = 0;
	char *buf;
	int fd, efd, err;

	buf = mmap(NULL, 16 * 4096, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (buf == MAP_FAILED)
		asim_die("mmap: %s", strerror(errno));
	memset(buf, 1, 16 * 4096);
	fd = asim_open(dev);
	if (asim_attach(fd, NULL, NULL))
		asim_die("attach: %s", strerror(errno));
	memset(&info, 0, sizeof(info));
	if (ioctl(fd, ACCELSIM_IOCTL_GET_INFO, &info) < 0)
		asim_die("GET_INFO: %s", strerror(errno));
	budget = info.irq_budget;
	efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (efd < 0)
		asim_die("eventfd: %s", strerror(errno));

	for (r = 0; r < rounds; r++) {
		err = irq_alloc(fd, budget, &h);
		if (err)
			asim_die("round %u: IRQ_ALLOC %u: %s", r, budget,
				 strerror(-err));
		for (i = 0; i < budget; i++)
			if (irq_set_fd(fd, h + i, efd))
				asim_die("round %u: SET_FD %u: %s", r, h + i,
					 strerror(errno));
		k = 1 + r % 8;
		for (i = 0; i < k; i++)
			if (submit_irq(fd, buf + (i % 16) * 4096,
				       h + budget - 1 - i, &id))
				asim_die("round %u: SUBMIT: %s", r,
					 strerror(errno));
		if (irq_free(fd, h))
			bad_free++;
		if (asim_wait_done(fd, id, &done, 1))
			asim_die("round %u: wait: %s", r, strerror(errno));
		if (done.status != ACCELSIM_STATUS_OK)
			bad_done++;
		if (irqs_used_drained(dev))
			bad_used++;
	}
	check("teardown", "IRQ_FREE with work in flight", !bad_free,
	      "%u of %u rounds failed", bad_free, rounds);
	check("teardown", "work completed", !bad_done,
	      "%u of %u rounds not OK", bad_done, rounds);
	check("teardown", "the budget is whole again after each round",
	      !bad_used, "%u of %u rounds left hwirqs used", bad_used,
	      rounds);
	check_irqs("teardown", "irqs empty", dev,
		   "pe pasid hwirq count eventfds fired\n");
	err = irq_alloc(fd, budget, &h);
	check("teardown", "the whole budget allocates again", !err,
	      "%d", err);
	close(efd);
	close(fd);
	check("teardown", "close: irqs_used 0", irqs_used(dev) == 0, "%u",
	      irqs_used(dev));
}

/*
 * IRQ_ALLOC whose argument is in a read-only mapping: the kernel reads it
 * but cannot write the hwirq back, so the call fails EFAULT, and the range
 * it allocated must be freed, not left to the context (the caller cannot
 * name it).
 */
static void group_efault(unsigned int dev)
{
	struct accelsim_ioctl_irq_alloc *a;
	uint32_t pasid, pe, h;
	int fd, err;

	a = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (a == MAP_FAILED)
		asim_die("mmap: %s", strerror(errno));
	memset(a, 0, sizeof(*a));
	a->count = 4;
	if (mprotect(a, 4096, PROT_READ))
		asim_die("mprotect: %s", strerror(errno));
	fd = asim_open(dev);
	if (asim_attach(fd, &pasid, &pe))
		asim_die("attach: %s", strerror(errno));
	check("efault", "irqs_used 0 before", irqs_used(dev) == 0, "%u",
	      irqs_used(dev));
	err = ioctl(fd, ACCELSIM_IOCTL_IRQ_ALLOC, a) < 0 ? errno : 0;
	check("efault", "IRQ_ALLOC into read-only memory: EFAULT",
	      err == EFAULT, "errno %d", err);
	check("efault", "irqs_used unchanged", irqs_used(dev) == 0, "%u",
	      irqs_used(dev));
	check_irqs("efault", "irqs view unchanged", dev,
		   "pe pasid hwirq count eventfds fired\n");
	err = irq_alloc(fd, 4, &h);
	check("efault", "the same 4 allocate again", !err && h == 0,
	      "err %d hwirq %u", err, h);
	check("efault", "irqs_used 4", irqs_used(dev) == 4, "%u",
	      irqs_used(dev));
	close(fd);
	munmap(a, 4096);
}

int main(int argc, char **argv)
{
	unsigned int dev;

	if (argc < 3)
		asim_die("usage: asim_irq budget|inflight|efault DEV | count|teardown DEV N");
	dev = strtoul(argv[2], NULL, 0);
	if (!strcmp(argv[1], "budget"))
		group_budget(dev);
	else if (!strcmp(argv[1], "inflight"))
		group_inflight(dev);
	else if (!strcmp(argv[1], "efault"))
		group_efault(dev);
	else if (!strcmp(argv[1], "teardown") && argc == 4)
		group_teardown(dev, strtoul(argv[3], NULL, 0));
	else if (!strcmp(argv[1], "count") && argc == 4)
		group_count(dev, strtoul(argv[3], NULL, 0));
	else
		asim_die("unknown group %s", argv[1]);
	return failed;
}
