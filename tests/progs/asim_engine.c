// SPDX-License-Identifier: MIT
/*
 * asim_engine [-d DEV] [-s MIB] MODE: the engine and the fault path under
 * conditions the other programs do not make. Prints "ok ..." or "not ok
 * ..." lines and key=value results; exits 1 on a failed check.
 *
 * atc    A page the device read, then wrote, has one ATC entry: the
 *        writable translation replaces the read-only one even when a free
 *        way comes before it in the set. Then an mprotect() of that page
 *        drops exactly one entry, and a device write to it faults.
 * uffd   A COPY from a range registered with userfaultfd (missing mode),
 *        whose handler thread answers with UFFDIO_COPY, completes OK with
 *        the handler's data.
 * uffd-hang  A COPY from a userfaultfd range whose faults nobody answers;
 *        prints "submitted" and waits to be killed.
 * flood  Submit until EAGAIN (work_done events nobody reads fill the
 *        queue), print "ready pasid=P pe=E submitted=N" and wait for
 *        SIGUSR1; then read every event and print how many of each kind
 *        ("events total=... work_done=... fault_error=... afu_error=...").
 *        The caller injects errors meanwhile.
 * group  A device write (TOUCH) of 24 untouched pages, of which the CPU
 *        wrote page 5 and page 21 first: prints "ready pasid=P pe=E
 *        buf=0x...", submits, waits for completion and prints "done
 *        status=S". With inject hold_faults the caller sees each fault
 *        group (pages 0-4, 6-20, 22-23) held in turn and releases it.
 * stall  Process A runs a TOUCH of MIB MiB (default 32, in VMAS VMAs, default
 *        4) and mprotect()s that range while it runs; process B, on the
 *        same device, runs a one-page TOUCH 200 ms into A's mprotect().
 *        With a slow TLBI (inject tlbi-delay D) A's mprotect() takes
 *        VMAS * D, its mmap_lock write-held and its mm invalidated; B's
 *        work must not. Prints "mprotect" as A starts it, then
 *        "a_mprotect_ms=...", B's "b_status=... b_ms=..." and A's status.
 */
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <linux/userfaultfd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

#include "asim.h"

#define PAGE 4096UL
#define ATC_WAYS 4U		/* ACCELSIM_ATC_WAYS */
#define GOLDEN_RATIO_32 0x61C88647u

static unsigned int dev;
static int failed;

static void check(const char *what, int ok, long long got)
{
	if (!ok)
		failed = 1;
	printf("%sok %s (%lld)\n", ok ? "" : "not ", what, got);
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Run one descriptor and wait for it; returns its status. */
static unsigned int run(int fd, uint32_t op, uint32_t flags, void *src,
			void *dst, size_t len)
{
	struct accelsim_event_work_done done;
	uint64_t id = 0;
	int err;

	err = asim_submit(fd, op, flags, (uintptr_t)src, (uintptr_t)dst, len,
			  0, 0, &id);
	if (err)
		asim_die("SUBMIT: %s", strerror(-err));
	if (asim_wait_done(fd, id, &done, 1))
		asim_die("wait: %s", strerror(errno));
	return done.status;
}

/*
 * The ATC set of a page, as kernel/atc.c's accelsim_atc_set(): the low
 * bits of the page number XORed with hash_32() of the PASID.
 */
static unsigned int atc_set(uint32_t pasid, uintptr_t addr, uint32_t sets)
{
	return (unsigned int)(((addr / PAGE) ^ (pasid * GOLDEN_RATIO_32)) &
			      (sets - 1));
}

static int mode_atc(void)
{
	struct accelsim_ioctl_info info = { 0 };
	size_t pages, len, i;
	char *buf, *p, *x = NULL;
	uint32_t pasid = 0, sets;
	long long inv;
	int fd;

	fd = asim_open(dev);
	if (asim_attach(fd, &pasid, NULL))
		asim_die("attach: %s", strerror(errno));
	if (ioctl(fd, ACCELSIM_IOCTL_GET_INFO, &info))
		asim_die("GET_INFO: %s", strerror(errno));
	sets = info.atc_entries / ATC_WAYS;
	pages = sets + 1;
	len = pages * PAGE;
	buf = mmap(NULL, len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED)
		asim_die("mmap: %s", strerror(errno));
	memset(buf, 1, len);	/* mapped writable: no device fault */
	p = buf;
	for (i = 1; i < pages && !x; i++)
		if (atc_set(pasid, (uintptr_t)(buf + i * PAGE), sets) ==
		    atc_set(pasid, (uintptr_t)p, sets))
			x = buf + i * PAGE;
	if (!x)
		asim_die("no page shares the set of the first");
	printf("pasid=%u sets=%u set=%u p=%p x=%p\n", pasid, sets,
	       atc_set(pasid, (uintptr_t)p, sets), (void *)p, (void *)x);

	/* X, then P read-only, fill two ways of the set in this order. */
	check("read of x", run(fd, ACCELSIM_OP_TOUCH, 0, NULL, x, PAGE) ==
	      ACCELSIM_STATUS_OK, 0);
	check("read of p", run(fd, ACCELSIM_OP_TOUCH, 0, NULL, p, PAGE) ==
	      ACCELSIM_STATUS_OK, 0);
	/* X's way is free again, before P's. */
	inv = asim_stat(dev, "atc_invalidations");
	if (madvise(x, PAGE, MADV_DONTNEED))
		asim_die("madvise: %s", strerror(errno));
	inv = asim_stat(dev, "atc_invalidations") - inv;
	check("madvise of x drops its entry", inv == 1, inv);
	/* P's writable translation: one entry, not a second one. */
	check("write of p", run(fd, ACCELSIM_OP_TOUCH, ACCELSIM_SUBMIT_WRITE,
				NULL, p, PAGE) == ACCELSIM_STATUS_OK, 0);
	inv = asim_stat(dev, "atc_invalidations");
	if (mprotect(p, PAGE, PROT_READ))
		asim_die("mprotect: %s", strerror(errno));
	inv = asim_stat(dev, "atc_invalidations") - inv;
	check("mprotect of p drops one entry, no duplicate", inv == 1, inv);
	check("device write to read-only p faults",
	      run(fd, ACCELSIM_OP_TOUCH, ACCELSIM_SUBMIT_WRITE, NULL, p,
		  PAGE) == ACCELSIM_STATUS_FAULT, 0);
	check("device read of read-only p is OK",
	      run(fd, ACCELSIM_OP_TOUCH, 0, NULL, p, PAGE) ==
	      ACCELSIM_STATUS_OK, 0);
	close(fd);
	return failed;
}

struct uffd_handler {
	int uffd;
	char *page;		/* the data UFFDIO_COPY provides */
	int handled;
};

static void *uffd_thread(void *arg)
{
	struct uffd_handler *h = arg;
	struct uffdio_copy copy;
	struct uffd_msg msg;
	struct pollfd pfd;

	for (;;) {
		pfd.fd = h->uffd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, -1) < 0)
			asim_die("poll uffd: %s", strerror(errno));
		if (read(h->uffd, &msg, sizeof(msg)) != sizeof(msg))
			continue;
		if (msg.event != UFFD_EVENT_PAGEFAULT)
			continue;
		memset(&copy, 0, sizeof(copy));
		copy.dst = msg.arg.pagefault.address & ~(PAGE - 1);
		copy.src = (uintptr_t)h->page;
		copy.len = PAGE;
		/*
		 * Count first: UFFDIO_COPY wakes the faulting side, which may
		 * read the count before this thread runs again.
		 */
		__atomic_add_fetch(&h->handled, 1, __ATOMIC_SEQ_CST);
		if (ioctl(h->uffd, UFFDIO_COPY, &copy) && errno != EEXIST)
			asim_die("UFFDIO_COPY: %s", strerror(errno));
	}
	return NULL;
}

static int mode_uffd(void)
{
	size_t pages = 4, len = pages * PAGE, i;
	struct uffdio_register reg;
	struct uffdio_api api;
	struct uffd_handler h;
	pthread_t t;
	unsigned int st;
	char *src, *dst;
	int fd, bad = 0;

	h.uffd = (int)syscall(SYS_userfaultfd, O_CLOEXEC);
	if (h.uffd < 0)
		asim_die("userfaultfd: %s", strerror(errno));
	memset(&api, 0, sizeof(api));
	api.api = UFFD_API;
	if (ioctl(h.uffd, UFFDIO_API, &api))
		asim_die("UFFDIO_API: %s", strerror(errno));
	src = mmap(NULL, len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	dst = mmap(NULL, len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	h.page = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (src == MAP_FAILED || dst == MAP_FAILED || h.page == MAP_FAILED)
		asim_die("mmap: %s", strerror(errno));
	memset(h.page, 0x5a, PAGE);
	memset(dst, 0, len);
	memset(&reg, 0, sizeof(reg));
	reg.range.start = (uintptr_t)src;
	reg.range.len = len;
	reg.mode = UFFDIO_REGISTER_MODE_MISSING;
	if (ioctl(h.uffd, UFFDIO_REGISTER, &reg))
		asim_die("UFFDIO_REGISTER: %s", strerror(errno));
	h.handled = 0;
	if (pthread_create(&t, NULL, uffd_thread, &h))
		asim_die("pthread_create failed");

	fd = asim_open(dev);
	if (asim_attach(fd, NULL, NULL))
		asim_die("attach: %s", strerror(errno));
	st = run(fd, ACCELSIM_OP_COPY, 0, src, dst, len);
	printf("done status=%u uffd_faults=%d\n", st,
	       __atomic_load_n(&h.handled, __ATOMIC_SEQ_CST));
	check("copy from the userfaultfd range: status OK",
	      st == ACCELSIM_STATUS_OK, st);
	for (i = 0; i < len; i++)
		bad += dst[i] != 0x5a;
	check("the copy has the handler's data", !bad, bad);
	check("the handler provided every page",
	      __atomic_load_n(&h.handled, __ATOMIC_SEQ_CST) == (int)pages,
	      __atomic_load_n(&h.handled, __ATOMIC_SEQ_CST));
	close(fd);
	return failed;
}

/*
 * A COPY from a userfaultfd range nobody answers: its fault waits for the
 * handler, and so does everything that waits for the fault. Waits to be
 * killed.
 */
static int mode_uffd_hang(void)
{
	struct uffdio_register reg;
	struct uffdio_api api;
	char *src, *dst;
	int uffd, fd, err;

	uffd = (int)syscall(SYS_userfaultfd, O_CLOEXEC);
	if (uffd < 0)
		asim_die("userfaultfd: %s", strerror(errno));
	memset(&api, 0, sizeof(api));
	api.api = UFFD_API;
	if (ioctl(uffd, UFFDIO_API, &api))
		asim_die("UFFDIO_API: %s", strerror(errno));
	src = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	dst = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (src == MAP_FAILED || dst == MAP_FAILED)
		asim_die("mmap: %s", strerror(errno));
	memset(dst, 0, PAGE);
	memset(&reg, 0, sizeof(reg));
	reg.range.start = (uintptr_t)src;
	reg.range.len = PAGE;
	reg.mode = UFFDIO_REGISTER_MODE_MISSING;
	if (ioctl(uffd, UFFDIO_REGISTER, &reg))
		asim_die("UFFDIO_REGISTER: %s", strerror(errno));
	fd = asim_open(dev);
	if (asim_attach(fd, NULL, NULL))
		asim_die("attach: %s", strerror(errno));
	err = asim_submit(fd, ACCELSIM_OP_COPY, 0, (uintptr_t)src,
			  (uintptr_t)dst, PAGE, 0, 0, NULL);
	if (err)
		asim_die("SUBMIT: %s", strerror(-err));
	printf("submitted\n");
	for (;;)
		pause();
	return 0;
}

static int mode_flood(void)
{
	unsigned long total = 0, kind[4] = { 0 };
	struct asim_event ev;
	struct pollfd pfd;
	uint32_t pasid = 0, pe = 0;
	unsigned long n = 0;
	sigset_t set;
	char *page;
	int fd, err, sig;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	page = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED)
		asim_die("mmap: %s", strerror(errno));
	memset(page, 1, PAGE);
	fd = asim_open(dev);
	if (asim_attach(fd, &pasid, &pe))
		asim_die("attach: %s", strerror(errno));
	for (;;) {
		err = asim_submit(fd, ACCELSIM_OP_TOUCH, 0, 0,
				  (uintptr_t)page, PAGE, n, 0, NULL);
		if (err == -EAGAIN)
			break;
		if (err)
			asim_die("SUBMIT: %s", strerror(-err));
		n++;
	}
	printf("ready pasid=%u pe=%u submitted=%lu\n", pasid, pe, n);
	fflush(stdout);
	if (sigwait(&set, &sig))
		asim_die("sigwait failed");

	/* Every event, until none comes for half a second. */
	for (;;) {
		pfd.fd = fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, 500) <= 0)
			break;
		if (asim_read_event(fd, &ev) < 0)
			asim_die("read: %s", strerror(errno));
		total++;
		if (ev.hdr.type < 4)
			kind[ev.hdr.type]++;
	}
	printf("events total=%lu work_done=%lu fault_error=%lu afu_error=%lu\n",
	       total, kind[ACCELSIM_EVENT_WORK_DONE],
	       kind[ACCELSIM_EVENT_FAULT_ERROR],
	       kind[ACCELSIM_EVENT_AFU_ERROR]);
	close(fd);
	return 0;
}

static void xread(int fd, char *c)
{
	if (read(fd, c, 1) != 1)
		asim_die("pipe read: %s", strerror(errno));
}

static void xwrite(int fd, char c)
{
	if (write(fd, &c, 1) != 1)
		asim_die("pipe write: %s", strerror(errno));
}

/* Process B: a one-page TOUCH, timed, 200 ms after A's "go". */
static void stall_b(int rd, int wr)
{
	unsigned int st;
	double t0, t1;
	char *page, c;
	int fd;

	page = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED)
		asim_die("mmap: %s", strerror(errno));
	memset(page, 1, PAGE);
	fd = asim_open(dev);
	if (asim_attach(fd, NULL, NULL))
		asim_die("B attach: %s", strerror(errno));
	xwrite(wr, 'r');
	xread(rd, &c);
	usleep(200000);
	t0 = now_ms();
	st = run(fd, ACCELSIM_OP_TOUCH, ACCELSIM_SUBMIT_WRITE, NULL, page,
		 PAGE);
	t1 = now_ms();
	printf("b_status=%u b_ms=%.1f\n", st, t1 - t0);
	fflush(stdout);
	close(fd);
	_exit(st != ACCELSIM_STATUS_OK);
}

static int mode_stall(unsigned long mib, unsigned int vmas)
{
	struct accelsim_event_work_done done;
	size_t len = mib << 20, part;
	int to_b[2], to_a[2], fd, status, err, i;
	double t0, t1;
	uint64_t id = 0;
	char *buf, c;
	pid_t b;

	/* Fork before either attaches: no invalidation of a bound mm. */
	if (pipe(to_b) || pipe(to_a))
		asim_die("pipe: %s", strerror(errno));
	fflush(stdout);
	b = fork();
	if (b < 0)
		asim_die("fork: %s", strerror(errno));
	if (!b)
		stall_b(to_b[0], to_a[1]);

	buf = mmap(NULL, len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED)
		asim_die("mmap: %s", strerror(errno));
	memset(buf, 1, len);
	/*
	 * vmas VMAs (every other part executable too): the mprotect() below
	 * invalidates each in turn, with the mmap_lock write-held
	 * throughout, so a TLBI delay D stalls A for vmas * D.
	 */
	part = len / vmas & ~(size_t)4095;
	if (!part)
		asim_die("%lu MiB cannot make %u VMAs", mib, vmas);
	for (i = 1; i < (int)vmas; i += 2)
		if (mprotect(buf + i * part, part,
			     PROT_READ | PROT_WRITE | PROT_EXEC))
			asim_die("mprotect: %s", strerror(errno));
	fd = asim_open(dev);
	if (asim_attach(fd, NULL, NULL))
		asim_die("A attach: %s", strerror(errno));
	xread(to_a[0], &c);

	/* A's work runs through buf while buf's invalidation is slow. */
	err = asim_submit(fd, ACCELSIM_OP_TOUCH, 0, 0, (uintptr_t)buf, len, 0,
			  0, &id);
	if (err)
		asim_die("SUBMIT: %s", strerror(-err));
	xwrite(to_b[1], 'g');
	printf("mprotect\n");
	t0 = now_ms();
	if (mprotect(buf, len, PROT_READ))
		asim_die("mprotect: %s", strerror(errno));
	t1 = now_ms();
	printf("a_mprotect_ms=%.1f\n", t1 - t0);
	if (asim_wait_done(fd, id, &done, 1))
		asim_die("wait: %s", strerror(errno));
	printf("a_status=%u a_bytes=%llu\n", done.status,
	       (unsigned long long)done.bytes);
	fflush(stdout);
	if (waitpid(b, &status, 0) != b)
		asim_die("waitpid: %s", strerror(errno));
	check("A's work completes OK", done.status == ACCELSIM_STATUS_OK,
	      done.status);
	check("B's work completes OK", WIFEXITED(status) &&
	      !WEXITSTATUS(status), status);
	close(fd);
	return failed;
}

static int mode_group(void)
{
	size_t pages = 24, len = pages * PAGE;
	uint32_t pasid = 0, pe = 0;
	char *buf;
	int fd;

	buf = mmap(NULL, len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED)
		asim_die("mmap: %s", strerror(errno));
	madvise(buf, len, MADV_NOHUGEPAGE);
	buf[5 * PAGE] = 1;
	buf[21 * PAGE] = 1;
	fd = asim_open(dev);
	if (asim_attach(fd, &pasid, &pe))
		asim_die("attach: %s", strerror(errno));
	printf("ready pasid=%u pe=%u buf=%p\n", pasid, pe, (void *)buf);
	printf("done status=%u\n", run(fd, ACCELSIM_OP_TOUCH,
					ACCELSIM_SUBMIT_WRITE, NULL, buf, len));
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long mib = 32, vmas = 4;
	int c;

	while ((c = getopt(argc, argv, "d:s:v:")) != -1) {
		switch (c) {
		case 'd':
			dev = strtoul(optarg, NULL, 0);
			break;
		case 's':
			mib = strtoul(optarg, NULL, 0);
			break;
		case 'v':
			vmas = strtoul(optarg, NULL, 0);
			if (vmas < 1 || vmas > 64)
				asim_die("VMAS: 1..64");
			break;
		default:
			asim_die("usage: asim_engine [-d DEV] [-s MIB] [-v VMAS] atc|uffd|uffd-hang|flood|group|stall");
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (optind != argc - 1)
		asim_die("usage: asim_engine [-d DEV] [-s MIB] [-v VMAS] atc|uffd|uffd-hang|flood|group|stall");
	if (!strcmp(argv[optind], "atc"))
		return mode_atc();
	if (!strcmp(argv[optind], "uffd"))
		return mode_uffd();
	if (!strcmp(argv[optind], "uffd-hang"))
		return mode_uffd_hang();
	if (!strcmp(argv[optind], "flood"))
		return mode_flood();
	if (!strcmp(argv[optind], "group"))
		return mode_group();
	if (!strcmp(argv[optind], "stall"))
		return mode_stall(mib, (unsigned int)vmas);
	asim_die("unknown mode '%s'", argv[optind]);
	return 2;
}
