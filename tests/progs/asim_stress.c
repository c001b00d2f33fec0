// SPDX-License-Identifier: MIT
/*
 * asim_stress: processes attaching, working and exiting concurrently.
 *
 *   asim_stress [-d DEV]... [-D DEV]... [-p PROCS] [-T SECONDS] [-g]
 *               [-x] [-o FILE]
 *
 * Keeps PROCS children alive for SECONDS, each of which opens every
 * device, attaches, submits a few COPYs of untouched memory (so the engine
 * faults), and then at random either waits for every completion and checks
 * the data, terminates with work in flight, or just exits with work in
 * flight. -g ("gone") tolerates ENODEV, for runs during which a device is
 * deleted. Prints "children=N failed=F" and exits 1 if any child failed.
 *
 * -x (the soak of tests/stress) makes each child run up to three sessions,
 * each on one device picked at random among -d (devices that stay) and -D
 * (devices that may come and go: ENOENT, ENODEV, a full SPA or budget and
 * ABORTED work are then expected). A session allocates an IRQ range bound
 * to an eventfd; submits verified COPY and FILL work on fresh memory (some
 * raising the IRQ), a COPY from memory the device translated and that was
 * then unmapped (it must fail with status FAULT at that address: a stale
 * translation would let it succeed), and work on memory that is
 * munmap()ed, mprotect()ed or madvise()d while the device works on it.
 * It ends by exiting with work in flight, terminating, or reaping every
 * completion, checking the data and the IRQ count, and freeing the range.
 * The parent also SIGKILLs a random child every 20-400 ms. Attaches failing
 * with EREMOTEIO (inject/fail_attach) and TERMINATE failing with EBUSY
 * (inject/hang_terminate) are expected. -o FILE gets the counters as one
 * line of name=value pairs, rewritten every second; they are also printed
 * at the end.
 */
#include <poll.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>

#include "asim.h"

static unsigned int devs[16], ndevs, vdevs[16], nvdevs;
static int gone_ok, soak;

enum {
	C_CHILDREN, C_KILLS, C_FAILED, C_SESSIONS, C_ATTACHES, C_ATTACH_INJECTED,
	C_GONE, C_BUSY, C_SUBMITS, C_VERIFIED, C_STALE_FAULTS, C_CHURN_WORK,
	C_WORK_FAULT, C_WORK_ABORTED, C_FAULT_EVENTS, C_AFU_EVENTS,
	C_IRQ_ALLOCS, C_IRQ_FREES, C_IRQ_SIGNALS, C_MUNMAPS, C_MPROTECTS,
	C_MADVISES, C_TERMINATES, C_TERMINATE_BUSY, C_INFLIGHT_EXITS,
	NR_COUNTERS
};

static const char *const counter_names[NR_COUNTERS] = {
	"children", "kills", "failed", "sessions", "attaches",
	"attach_injected", "gone", "busy", "submits", "verified",
	"stale_faults", "churn_work", "work_fault", "work_aborted",
	"fault_events", "afu_events", "irq_allocs", "irq_frees",
	"irq_signals", "munmaps", "mprotects", "madvises", "terminates",
	"terminate_busy", "inflight_exits",
};

/* Shared with the children (MAP_SHARED), so SIGKILLed ones count too. */
static uint64_t *counters;

static void count(int c, uint64_t n)
{
	if (counters)
		__atomic_fetch_add(&counters[c], n, __ATOMIC_RELAXED);
}

static unsigned int cur_dev;

static int child_fail(const char *what, int err)
{
	if (gone_ok && err == ENODEV)
		_exit(0);
	if (soak)
		fprintf(stderr, "asim_stress[%d]: afu%u: %s: %s\n", getpid(),
			cur_dev, what, strerror(err));
	else
		fprintf(stderr, "asim_stress[%d]: %s: %s\n", getpid(), what,
			strerror(err));
	_exit(1);
}

static void child(unsigned int seed)
{
	struct accelsim_event_work_done done;
	unsigned char *src[4], *dst[4];
	uint64_t id[16][4], len[4];
	int fds[16], err;
	unsigned int i, d, nwork, mode;

	srand(seed);
	nwork = 1 + rand() % 4;
	mode = rand() % 4;
	for (i = 0; i < nwork; i++) {
		len[i] = (1 + rand() % 64) * 4096 - rand() % 64;
		src[i] = mmap(NULL, len[i], PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		dst[i] = mmap(NULL, len[i], PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (src[i] == MAP_FAILED || dst[i] == MAP_FAILED)
			child_fail("mmap", errno);
		/* Touch every other page of the source, leave the rest. */
		for (uint64_t j = 0; j < len[i]; j += 8192)
			src[i][j] = (unsigned char)(j >> 13) + i + 1;
	}
	for (d = 0; d < ndevs; d++) {
		char path[64];

		snprintf(path, sizeof(path), "/dev/accelsim/afu%u", devs[d]);
		fds[d] = open(path, O_RDWR);
		if (fds[d] < 0)
			child_fail("open", errno == ENOENT ? ENODEV : errno);
		err = asim_attach(fds[d], NULL, NULL);
		if (err)
			child_fail("attach", -err);
		for (i = 0; i < nwork; i++) {
			err = asim_submit(fds[d], ACCELSIM_OP_COPY, 0,
					  (uintptr_t)src[i],
					  (uintptr_t)dst[i], len[i], i, 0,
					  &id[d][i]);
			if (err)
				child_fail("submit", -err);
		}
	}
	if (mode == 0)
		_exit(0);	/* exit with work in flight */
	if (mode == 1) {
		struct accelsim_ioctl_terminate t;

		memset(&t, 0, sizeof(t));
		for (d = 0; d < ndevs; d++)
			if (ioctl(fds[d], ACCELSIM_IOCTL_TERMINATE, &t) < 0)
				child_fail("terminate", errno);
		_exit(0);
	}
	/* Completions may come in any order: match them by id. */
	for (d = 0; d < ndevs; d++) {
		unsigned int seen = 0;
		struct asim_event ev;
		ssize_t n;

		while (seen < nwork) {
			n = asim_read_event(fds[d], &ev);
			if (n < 0)
				child_fail("read", (int)-n);
			if (ev.hdr.type != ACCELSIM_EVENT_WORK_DONE)
				child_fail("unexpected event", EIO);
			done = ev.body.work_done;
			for (i = 0; i < nwork; i++)
				if (id[d][i] == done.id)
					break;
			if (i == nwork)
				child_fail("unknown work id", EIO);
			if (done.status != ACCELSIM_STATUS_OK ||
			    done.bytes != len[i] || done.tag != i)
				child_fail("completion status", EIO);
			if (memcmp(src[i], dst[i], len[i]))
				child_fail("data", EIO);
			seen++;
		}
	}
	_exit(0);
}

/* ---- -x: the soak's sessions ---- */

enum work_kind { W_COPY, W_FILL, W_STALE, W_CHURN };

struct work {
	uint64_t id;
	enum work_kind kind;
	unsigned char *src, *dst;
	uint64_t len;
	int irq;
	int done;
};

#define MAX_WORK 8

/*
 * Regions the device may still access after munmap() are placed at
 * addresses this process never maps again, so that the engine can never
 * write into a later, unrelated mapping (which would be legal SVA
 * behaviour, and a false data mismatch here).
 */
static uintptr_t next_fixed = 0x100000000000UL;

static unsigned char *map_fresh(uint64_t len, int fixed)
{
	void *hint = NULL;
	int flags = MAP_PRIVATE | MAP_ANONYMOUS;
	void *p;

	if (fixed) {
		hint = (void *)next_fixed;
		next_fixed += 1UL << 22;
		flags |= MAP_FIXED_NOREPLACE;
	}
	p = mmap(hint, len, PROT_READ | PROT_WRITE, flags, -1, 0);
	if (p == MAP_FAILED)
		child_fail("mmap", errno);
	return p;
}

/*
 * A failure on a device that may vanish is not a failure of the driver
 * when it says the device is gone. An ioctl racing with the removal gets
 * ENODEV too (the driver reports the removal over what the terminated
 * context refused), so EINVAL here is a failure.
 */
static int vanished(int vanishing, int err)
{
	if (vanishing && (err == ENODEV || err == ENOENT)) {
		count(C_GONE, 1);
		return 1;
	}
	return 0;
}

static void bad_done(const char *what, const struct work *w,
		     const struct accelsim_event_work_done *d)
{
	fprintf(stderr,
		"asim_stress[%d]: afu%u: %s: work %llu src=%p dst=%p len=%llu: status %u bytes %llu addr 0x%llx\n",
		getpid(), cur_dev, what, (unsigned long long)d->id, (void *)w->src,
		(void *)w->dst, (unsigned long long)w->len, d->status,
		(unsigned long long)d->bytes, (unsigned long long)d->addr);
	_exit(1);
}

/*
 * Read events until every work item of @w is done; 0, or 1 if the device
 * went away. Checks each completion against what its kind expects.
 */
static int reap(int fd, struct work *w, unsigned int nw, int vanishing)
{
	struct accelsim_event_work_done *d;
	unsigned int left = 0, i, idle = 0;
	struct asim_event ev;
	struct pollfd pfd;
	ssize_t n;

	for (i = 0; i < nw; i++)
		left += !w[i].done;
	while (left) {
		pfd.fd = fd;
		pfd.events = POLLIN;
		n = poll(&pfd, 1, 1000);
		if (n < 0 && errno != EINTR)
			child_fail("poll", errno);
		if (n <= 0) {
			/* Faults can be held or delayed, not for minutes. */
			if (++idle > 600)
				child_fail("no completion for 600 s", ETIMEDOUT);
			continue;
		}
		idle = 0;
		n = asim_read_event(fd, &ev);
		if (n < 0) {
			if (vanished(vanishing, (int)-n))
				return 1;
			child_fail("read", (int)-n);
		}
		if (ev.hdr.type == ACCELSIM_EVENT_FAULT_ERROR) {
			count(C_FAULT_EVENTS, 1);
			continue;
		}
		if (ev.hdr.type == ACCELSIM_EVENT_AFU_ERROR) {
			count(C_AFU_EVENTS, 1);
			continue;
		}
		if (ev.hdr.type != ACCELSIM_EVENT_WORK_DONE)
			child_fail("unknown event type", EIO);
		d = &ev.body.work_done;
		for (i = 0; i < nw; i++)
			if (w[i].id == d->id && !w[i].done)
				break;
		if (i == nw)
			child_fail("completion of an unknown work id", EIO);
		w[i].done = 1;
		left--;
		if (d->tag != i)
			child_fail("completion tag", EIO);
		if (d->status == ACCELSIM_STATUS_ABORTED && vanishing) {
			count(C_WORK_ABORTED, 1);
			continue;
		}
		if (d->status == ACCELSIM_STATUS_FAULT)
			count(C_WORK_FAULT, 1);
		switch (w[i].kind) {
		case W_COPY:
			if (d->status != ACCELSIM_STATUS_OK ||
			    d->bytes != w[i].len)
				bad_done("COPY completion status", &w[i], d);
			if (memcmp(w[i].src, w[i].dst, w[i].len))
				bad_done("COPY data", &w[i], d);
			count(C_VERIFIED, 1);
			break;
		case W_FILL:
			if (d->status != ACCELSIM_STATUS_OK ||
			    d->bytes != w[i].len)
				bad_done("FILL completion status", &w[i], d);
			for (uint64_t j = 0; j < w[i].len; j++)
				if (w[i].dst[j] != (unsigned char)(i + 0x5a))
					bad_done("FILL data", &w[i], d);
			count(C_VERIFIED, 1);
			break;
		case W_STALE:
			/* The device translated it before munmap(). */
			if (d->status != ACCELSIM_STATUS_FAULT ||
			    d->addr < (uintptr_t)w[i].src ||
			    d->addr >= (uintptr_t)w[i].src + w[i].len)
				bad_done("COPY from unmapped memory did not fault there",
					 &w[i], d);
			count(C_STALE_FAULTS, 1);
			break;
		case W_CHURN:
			if (d->status != ACCELSIM_STATUS_OK &&
			    d->status != ACCELSIM_STATUS_FAULT)
				bad_done("churned work status", &w[i], d);
			count(C_CHURN_WORK, 1);
			break;
		}
	}
	return 0;
}

static int submit(int fd, struct work *w, unsigned int *nw, int vanishing,
		  enum work_kind kind, uint32_t op, uint32_t flags,
		  unsigned char *src, unsigned char *dst, uint64_t len,
		  int hwirq)
{
	struct accelsim_ioctl_submit s;
	struct work *x = &w[*nw];

	memset(&s, 0, sizeof(s));
	s.op = op;
	s.flags = flags;
	if (hwirq >= 0) {
		s.flags |= ACCELSIM_SUBMIT_IRQ;
		s.hwirq = hwirq;
	}
	s.src = (uintptr_t)src;
	s.dst = (uintptr_t)dst;
	s.len = len;
	s.tag = *nw;
	s.pattern = op == ACCELSIM_OP_FILL ? *nw + 0x5a : 0;
	if (ioctl(fd, ACCELSIM_IOCTL_SUBMIT, &s) < 0) {
		if (vanished(vanishing, errno))
			return 1;
		child_fail("submit", errno);
	}
	memset(x, 0, sizeof(*x));
	x->id = s.id;
	x->kind = kind;
	x->src = src;
	x->dst = dst;
	x->len = len;
	x->irq = hwirq >= 0;
	(*nw)++;
	count(C_SUBMITS, 1);
	return 0;
}

static uint64_t rand_len(void)
{
	return (1 + rand() % 32) * 4096 - rand() % 64;
}

/* One session on device @dev; returns nonzero if the child should exit. */
static int session(unsigned int dev, int vanishing)
{
	struct accelsim_ioctl_irq_alloc ia;
	struct accelsim_ioctl_irq_free ifr;
	struct accelsim_ioctl_irq_set_fd sf;
	struct accelsim_ioctl_terminate t;
	struct work w[MAX_WORK];
	unsigned int nw = 0, i, nirq = 0, ncopy;
	unsigned char *p, *q;
	int fd, efd = -1, hwirq = -1, err, mode;
	char path[64];
	uint64_t len;

	count(C_SESSIONS, 1);
	cur_dev = dev;
	snprintf(path, sizeof(path), "/dev/accelsim/afu%u", dev);
	fd = open(path, O_RDWR);
	if (fd < 0) {
		/* The node can outlive the cdev of a removed device: ENXIO. */
		if (vanished(vanishing, errno == ENXIO ? ENODEV : errno))
			return 0;
		child_fail("open", errno);
	}
	err = asim_attach(fd, NULL, NULL);
	if (err == -EREMOTEIO) {	/* inject/fail_attach */
		count(C_ATTACH_INJECTED, 1);
		close(fd);
		return 0;
	}
	if (err == -EBUSY && vanishing) {	/* a small SPA, full */
		count(C_BUSY, 1);
		close(fd);
		return 0;
	}
	if (err) {
		close(fd);
		if (vanished(vanishing, -err))
			return 0;
		child_fail("attach", -err);
	}
	count(C_ATTACHES, 1);

	memset(&ia, 0, sizeof(ia));
	ia.count = 1 + rand() % 4;
	if (ioctl(fd, ACCELSIM_IOCTL_IRQ_ALLOC, &ia) < 0) {
		if (errno == ENOSPC && vanishing)
			count(C_BUSY, 1);
		else if (vanished(vanishing, errno))
			goto out;
		else
			child_fail("IRQ_ALLOC", errno);
	} else {
		count(C_IRQ_ALLOCS, 1);
		hwirq = ia.hwirq;
		efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (efd < 0)
			child_fail("eventfd", errno);
		memset(&sf, 0, sizeof(sf));
		sf.hwirq = hwirq;
		sf.fd = efd;
		if (ioctl(fd, ACCELSIM_IOCTL_IRQ_SET_FD, &sf) < 0 &&
		    !vanished(vanishing, errno))
			child_fail("IRQ_SET_FD", errno);
	}

	/*
	 * Stale translations: the device writes a fixed region (so its ATC
	 * holds it), the region is unmapped, and a COPY from it must fault.
	 */
	len = rand_len();
	p = map_fresh(len, 1);
	if (submit(fd, w, &nw, vanishing, W_CHURN, ACCELSIM_OP_TOUCH,
		   ACCELSIM_SUBMIT_WRITE, NULL, p, len, -1) ||
	    reap(fd, w, nw, vanishing))
		goto out;
	if (munmap(p, len))
		child_fail("munmap", errno);
	count(C_MUNMAPS, 1);
	if (submit(fd, w, &nw, vanishing, W_STALE, ACCELSIM_OP_COPY, 0, p,
		   map_fresh(len, 0), len, -1))
		goto out;

	/* Verified work on fresh memory: source half touched, dst not. */
	ncopy = 1 + rand() % 3;
	for (i = 0; i < ncopy; i++) {
		int irq = hwirq >= 0 && rand() % 2 ? hwirq : -1;

		len = rand_len();
		p = map_fresh(len, 0);
		q = map_fresh(len, 0);
		for (uint64_t j = 0; j < len; j += 8192)
			p[j] = (unsigned char)(j >> 13) + i + 1;
		if (submit(fd, w, &nw, vanishing, W_COPY, ACCELSIM_OP_COPY, 0,
			   p, q, len, irq))
			goto out;
		nirq += irq >= 0;
	}
	len = rand_len();
	if (submit(fd, w, &nw, vanishing, W_FILL, ACCELSIM_OP_FILL, 0, NULL,
		   map_fresh(len, 0), len, hwirq))
		goto out;
	nirq += hwirq >= 0;

	/* Churn: change the mapping while the device writes it. */
	len = rand_len();
	p = map_fresh(len, 1);
	if (submit(fd, w, &nw, vanishing, W_CHURN, ACCELSIM_OP_TOUCH,
		   ACCELSIM_SUBMIT_WRITE, NULL, p, len, -1))
		goto out;
	switch (rand() % 4) {
	case 0:
		if (munmap(p, len))
			child_fail("munmap", errno);
		count(C_MUNMAPS, 1);
		break;
	case 1:
		if (mprotect(p, len, PROT_READ))
			child_fail("mprotect", errno);
		count(C_MPROTECTS, 1);
		break;
	case 2:
		if (mprotect(p, len, PROT_NONE) ||
		    mprotect(p, len, PROT_READ | PROT_WRITE))
			child_fail("mprotect", errno);
		count(C_MPROTECTS, 2);
		break;
	default:
		if (madvise(p, len, MADV_DONTNEED))
			child_fail("madvise", errno);
		count(C_MADVISES, 1);
		break;
	}

	mode = rand() % 8;
	if (mode == 0) {
		count(C_INFLIGHT_EXITS, 1);
		return 1;		/* exit with work in flight */
	}
	if (mode == 1 || mode == 2) {
		memset(&t, 0, sizeof(t));
		if (ioctl(fd, ACCELSIM_IOCTL_TERMINATE, &t) < 0) {
			if (errno == EBUSY)	/* inject/hang_terminate */
				count(C_TERMINATE_BUSY, 1);
			else if (!vanished(vanishing, errno))
				child_fail("terminate", errno);
		}
		count(C_TERMINATES, 1);
		goto out;
	}
	if (mode == 3 && hwirq >= 0) {
		/* Free the range with work that would raise it in flight. */
		memset(&ifr, 0, sizeof(ifr));
		ifr.hwirq = hwirq;
		if (ioctl(fd, ACCELSIM_IOCTL_IRQ_FREE, &ifr) < 0) {
			if (vanished(vanishing, errno))
				goto out;
			child_fail("IRQ_FREE", errno);
		}
		count(C_IRQ_FREES, 1);
		hwirq = -1;
		nirq = 0;
	}
	if (reap(fd, w, nw, vanishing))
		goto out;
	if (nirq) {
		/* The IRQ fires after the WORK_DONE is queued. */
		uint64_t fired = 0, v;
		int tries;

		for (tries = 0; tries < 1000 && fired < nirq; tries++) {
			if (read(efd, &v, sizeof(v)) == sizeof(v))
				fired += v;
			else
				usleep(10000);
		}
		if (fired < nirq && !vanishing)
			child_fail("fewer IRQs than completions asking one",
				   EIO);
		count(C_IRQ_SIGNALS, fired);
	}
	if (hwirq >= 0) {
		memset(&ifr, 0, sizeof(ifr));
		ifr.hwirq = hwirq;
		if (ioctl(fd, ACCELSIM_IOCTL_IRQ_FREE, &ifr) < 0) {
			if (!vanished(vanishing, errno))
				child_fail("IRQ_FREE", errno);
		} else {
			count(C_IRQ_FREES, 1);
		}
	}
out:
	close(fd);
	if (efd >= 0)
		close(efd);
	return 0;
}

static void soak_child(unsigned int seed)
{
	unsigned int s, n, k;

	srand(seed);
	n = 1 + rand() % 3;
	for (s = 0; s < n; s++) {
		k = rand() % (ndevs + nvdevs);
		if (k < ndevs ? session(devs[k], 0) :
		    session(vdevs[k - ndevs], 1))
			_exit(0);
	}
	_exit(0);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void write_counters(FILE *out)
{
	for (int c = 0; c < NR_COUNTERS; c++)
		fprintf(out, "%s%s=%llu", c ? " " : "", counter_names[c],
			(unsigned long long)__atomic_load_n(&counters[c],
							    __ATOMIC_RELAXED));
	fputc('\n', out);
}

static void save_counters(const char *file)
{
	char tmp[4096];
	FILE *f;

	if (!file)
		return;
	snprintf(tmp, sizeof(tmp), "%s.tmp", file);
	f = fopen(tmp, "w");
	if (!f)
		asim_die("%s: %s", tmp, strerror(errno));
	write_counters(f);
	if (fclose(f) || rename(tmp, file))
		asim_die("%s: %s", file, strerror(errno));
}

#define MAX_CHILDREN 256

int main(int argc, char **argv)
{
	unsigned int procs = 16, running = 0, children = 0, failed = 0;
	pid_t pids[MAX_CHILDREN] = { 0 }, killed[MAX_CHILDREN] = { 0 };
	double secs = 30, end, next_kill = 0, next_save = 0;
	const char *outfile = NULL;
	int opt, status;
	unsigned int i;
	pid_t pid;

	while ((opt = getopt(argc, argv, "d:D:p:T:gxo:")) != -1) {
		switch (opt) {
		case 'd':
			if (ndevs < 16)
				devs[ndevs++] = strtoul(optarg, NULL, 0);
			break;
		case 'D':
			if (nvdevs < 16)
				vdevs[nvdevs++] = strtoul(optarg, NULL, 0);
			break;
		case 'p':
			procs = strtoul(optarg, NULL, 0);
			break;
		case 'T':
			secs = strtod(optarg, NULL);
			break;
		case 'g':
			gone_ok = 1;
			break;
		case 'x':
			soak = 1;
			break;
		case 'o':
			outfile = optarg;
			break;
		default:
			asim_die("usage: asim_stress [-d DEV]... [-D DEV]... [-p N] [-T S] [-g] [-x] [-o FILE]");
		}
	}
	if (!procs || procs > MAX_CHILDREN)
		asim_die("asim_stress: -p must be 1..%d", MAX_CHILDREN);
	if (!ndevs && !nvdevs)
		devs[ndevs++] = 0;
	counters = mmap(NULL, NR_COUNTERS * sizeof(*counters),
			PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1,
			0);
	if (counters == MAP_FAILED)
		asim_die("mmap: %s", strerror(errno));
	srand(getpid());
	end = now() + secs;
	for (;;) {
		while (running < procs && now() < end) {
			pid = fork();
			if (pid < 0)
				asim_die("fork: %s", strerror(errno));
			if (!pid) {
				if (soak)
					soak_child(children * 7919 + getpid());
				child(children * 7919 + getpid());
			}
			for (i = 0; pids[i]; i++)
				;
			pids[i] = pid;
			running++;
			children++;
			count(C_CHILDREN, 1);
		}
		if (!running)
			break;
		if (soak && now() < end) {
			if (now() >= next_kill) {
				/* SIGKILL a random child, wherever it is. */
				unsigned int k = rand() % procs;

				if (pids[k] && !killed[k] &&
				    !kill(pids[k], SIGKILL)) {
					killed[k] = pids[k];
					count(C_KILLS, 1);
				}
				next_kill = now() + (20 + rand() % 380) / 1e3;
			}
			if (now() >= next_save) {
				save_counters(outfile);
				next_save = now() + 1;
			}
			pid = waitpid(-1, &status, WNOHANG);
			if (!pid) {
				usleep(5000);
				continue;
			}
		} else {
			pid = wait(&status);
		}
		if (pid < 0)
			asim_die("wait: %s", strerror(errno));
		for (i = 0; i < MAX_CHILDREN && pids[i] != pid; i++)
			;
		running--;
		if (i < MAX_CHILDREN && killed[i] == pid &&
		    WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) {
			/* killed by us: not a failure */
		} else if (!WIFEXITED(status) || WEXITSTATUS(status)) {
			failed++;
			count(C_FAILED, 1);
			if (soak && WIFSIGNALED(status))
				fprintf(stderr, "asim_stress: child %d killed by signal %d (%s)\n",
					pid, WTERMSIG(status),
					strsignal(WTERMSIG(status)));
			else if (soak)
				fprintf(stderr, "asim_stress: child %d exited with status %d\n",
					pid, WEXITSTATUS(status));
		}
		if (i < MAX_CHILDREN) {
			pids[i] = 0;
			killed[i] = 0;
		}
	}
	if (soak) {
		save_counters(outfile);
		write_counters(stdout);
	} else {
		printf("children=%u failed=%u\n", children, failed);
	}
	return failed ? 1 : 0;
}
