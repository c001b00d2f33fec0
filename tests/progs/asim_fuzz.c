// SPDX-License-Identifier: MIT
/*
 * asim_fuzz: random ioctl/read/write/poll/mmap calls on /dev/accelsim/afuN
 * from several threads while another thread closes, reopens and dup2()s the
 * file descriptors and remaps the buffers the work descriptors point at.
 *
 * Usage: asim_fuzz [--seed S] [--calls N] [--threads T] [--dev N]
 *
 * Calls are: ioctl numbers in and around ours (type byte 0xc9..0xcb and
 * random ones, random nr/size/direction), the real ioctl numbers with random
 * struct bytes, mutated valid structs and random sizes, argument pointers
 * that are NULL, unmapped, PROT_NONE, read-only, straddling the end of a
 * mapping or in the kernel half; read()/write() of random sizes; poll();
 * mmap() of the device. Each thread has its own PRNG seeded from S, so the
 * sequence each thread issues is reproducible with --seed (the interleaving
 * is not). Every errno is counted; an errno the driver never documents
 * (see allowed_errno()) fails the run (exit 3). At the end a fresh context
 * must still copy data correctly (exit 4 otherwise).
 *
 * The engine writes wherever a SUBMIT points it, as SVA hardware would, so
 * every SUBMIT this process hands the driver is checked first: a
 * destination in its own memory outside the reserved region (a bit flip or
 * random bytes landing on a stack, the heap or a library) is pointed at the
 * read-only page instead ("redirected" in the summary). The region sits
 * between PROT_NONE guards as long as a SUBMIT can be, so work running off
 * its end faults there. Buffers in the region are remapped, never unmapped.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "asim.h"

#define NSLOTS		8	/* device fds shared by the threads */
#define NEFDS		4	/* eventfds for IRQ_SET_FD */
#define NBUFS		16	/* buffers in the reserved region */
#define BUFSZ		(64 * 1024)
#define REGION		(NBUFS * BUFSZ * 2)
#define GUARD_LO	(64UL << 20)	/* beyond a flip of a low address bit */
#define GUARD_HI	(ACCELSIM_MAX_LEN + BUFSZ)	/* the longest work */
#define GUARDED		(GUARD_LO + REGION + GUARD_HI)
#define MAXERR		134
#define MAXTHREADS	32

enum op_kind {
	K_IOCTL_RANDOM,		/* random number around our type */
	K_IOCTL_REAL_RANDOM,	/* real number, random struct bytes */
	K_IOCTL_SIZE,		/* real nr and type, random size/direction */
	K_IOCTL_MUTATED,	/* a mostly valid struct with one mutation */
	K_READ,
	K_WRITE,
	K_POLL,
	K_MMAP,
	K_CHAOS,		/* close/reopen/dup2/remap/fork */
	K_NR
};

static const char *const kind_names[K_NR] = {
	"ioctl_random", "ioctl_real_random", "ioctl_size", "ioctl_mutated",
	"read", "write", "poll", "mmap", "chaos",
};

static const unsigned long real_cmds[] = {
	ACCELSIM_IOCTL_ATTACH, ACCELSIM_IOCTL_GET_INFO, ACCELSIM_IOCTL_SUBMIT,
	ACCELSIM_IOCTL_TERMINATE, ACCELSIM_IOCTL_IRQ_ALLOC,
	ACCELSIM_IOCTL_IRQ_FREE, ACCELSIM_IOCTL_IRQ_SET_FD,
};

#define NREAL (sizeof(real_cmds) / sizeof(real_cmds[0]))

static atomic_int slots[NSLOTS];
static atomic_int efds[NEFDS];
static unsigned char *region;		/* REGION bytes, reserved */
static unsigned char *guarded;		/* the region and its guards */
static atomic_long redirected;		/* SUBMITs kept off our memory */
static unsigned char *rodata;		/* one read-only page */
static unsigned int devnum;
static char devpath[64];
static atomic_long calls_left;
static atomic_long calls_done;
static atomic_int stop;

struct tstats {
	unsigned long kind_calls[K_NR];
	unsigned long ok;
	unsigned long err[MAXERR];
	unsigned long unexpected;
	int first_unexpected_errno;
	int first_unexpected_kind;
};

struct thread {
	pthread_t tid;
	uint64_t rng;
	int chaos;
	struct tstats st;
};

static uint64_t rnd(struct thread *t)
{
	/* xorshift64* */
	t->rng ^= t->rng >> 12;
	t->rng ^= t->rng << 25;
	t->rng ^= t->rng >> 27;
	return t->rng * 2685821657736338717ULL;
}

static uint64_t below(struct thread *t, uint64_t n)
{
	return n ? rnd(t) % n : 0;
}

/*
 * Errnos the driver or the VFS may return for these calls. Anything else
 * (for example EIO, ENOSYS or an out-of-range value) is a defect.
 */
static int allowed_errno(int e)
{
	switch (e) {
	case EINVAL: case ENOTTY: case EBUSY: case ENOSPC: case EAGAIN:
	case EPERM: case EFAULT: case EBADF: case ENODEV: case ESRCH:
	case ENOENT: case EINTR: case ENOMEM: case EACCES:
		return 1;
	default:
		return 0;
	}
}

static void count(struct thread *t, int kind, long ret)
{
	t->st.kind_calls[kind]++;
	atomic_fetch_add(&calls_done, 1);
	if (ret >= 0) {
		t->st.ok++;
		return;
	}
	if (errno >= 0 && errno < MAXERR)
		t->st.err[errno]++;
	if (!allowed_errno(errno)) {
		if (!t->st.unexpected) {
			t->st.first_unexpected_errno = errno;
			t->st.first_unexpected_kind = kind;
		}
		t->st.unexpected++;
	}
}

static int pick_fd(struct thread *t)
{
	unsigned int r = below(t, 100);

	if (r < 2)
		return -1;
	if (r < 4)
		return atomic_load(&efds[below(t, NEFDS)]);
	return atomic_load(&slots[below(t, NSLOTS)]);
}

/* A buffer address in the reserved region (mapped or PROT_NONE). */
static unsigned char *region_addr(struct thread *t)
{
	return region + below(t, REGION);
}

/*
 * A pointer the kernel may write through: somewhere it can do no harm to
 * this process (the region, the read-only page, nothing, or kernel space).
 */
static void *wptr(struct thread *t, void *good, size_t len)
{
	switch (below(t, 10)) {
	case 0: return NULL;
	case 1: return (void *)(uintptr_t)(0xffff800000000000ULL + (below(t, 1ULL << 40) << 3));
	case 2: return (void *)(uintptr_t)0xffffffffff600000ULL;	/* vsyscall */
	case 3: return rodata;
	case 4: return (void *)(uintptr_t)(0x0000800000000000ULL + below(t, 1 << 20));
	case 5: return (void *)(uintptr_t)below(t, 65536);	/* below mmap_min_addr */
	case 6: return region + BUFSZ - below(t, len + 1);	/* straddles */
	case 7: return region_addr(t);
	default: return good;
	}
}

/* A device address for work: mapped, PROT_NONE, remapped, kernel, junk. */
static uint64_t dev_addr(struct thread *t, int writes)
{
	switch (below(t, 12)) {
	case 0: return 0;
	case 1: return 0xffff888000000000ULL + below(t, 1ULL << 32);
	case 2: return 0xffffffff81000000ULL + below(t, 1 << 24);
	case 3: return 0x0000800000000000ULL - below(t, 8192);
	case 4: return writes ? (uint64_t)(uintptr_t)rodata : rnd(t) & 0x00007fffffffffffULL;
	case 5: return (uint64_t)(uintptr_t)rodata;
	case 6: return rnd(t);
	default: return (uint64_t)(uintptr_t)region_addr(t);
	}
}

static uint64_t rand_len(struct thread *t)
{
	switch (below(t, 10)) {
	case 0: return 0;
	case 1: return rnd(t);
	case 2: return ACCELSIM_MAX_LEN + below(t, 3) - 1;
	case 3: return BUFSZ + below(t, BUFSZ);
	default: return 1 + below(t, 8192);
	}
}

static void fill_random(struct thread *t, void *p, size_t n)
{
	unsigned char *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		b[i] = rnd(t);
}

static int real_size(unsigned long cmd)
{
	return _IOC_SIZE(cmd);
}

/* A valid-looking struct for cmd, then maybe one field or byte mutated. */
static void mutated(struct thread *t, unsigned long cmd, void *buf)
{
	memset(buf, 0, 128);
	switch (cmd) {
	case ACCELSIM_IOCTL_SUBMIT: {
		struct accelsim_ioctl_submit *s = buf;

		s->op = 1 + below(t, 4);
		s->len = below(t, 4) ? 1 + below(t, BUFSZ) : rand_len(t);
		s->dst = dev_addr(t, 1);
		if (s->op == ACCELSIM_OP_COPY || s->op == ACCELSIM_OP_COMPARE)
			s->src = dev_addr(t, 0);
		if (s->op == ACCELSIM_OP_FILL)
			s->pattern = below(t, 256);
		if (s->op == ACCELSIM_OP_TOUCH && below(t, 2))
			s->flags = ACCELSIM_SUBMIT_WRITE;
		if (!below(t, 8)) {
			s->flags |= ACCELSIM_SUBMIT_IRQ;
			s->hwirq = below(t, 8);
		}
		s->tag = rnd(t);
		break;
	}
	case ACCELSIM_IOCTL_IRQ_ALLOC: {
		struct accelsim_ioctl_irq_alloc *a = buf;

		a->count = below(t, 3) ? 1 + below(t, 8) : (uint32_t)rnd(t);
		break;
	}
	case ACCELSIM_IOCTL_IRQ_FREE: {
		struct accelsim_ioctl_irq_free *f = buf;

		f->hwirq = below(t, 3) ? below(t, 32) : (uint32_t)rnd(t);
		break;
	}
	case ACCELSIM_IOCTL_IRQ_SET_FD: {
		struct accelsim_ioctl_irq_set_fd *f = buf;

		f->hwirq = below(t, 32);
		switch (below(t, 4)) {
		case 0: f->fd = -1; break;
		case 1: f->fd = (int)rnd(t); break;
		case 2: f->fd = atomic_load(&slots[below(t, NSLOTS)]); break;
		default: f->fd = atomic_load(&efds[below(t, NEFDS)]); break;
		}
		break;
	}
	default:
		break;
	}
	if (!below(t, 4))
		((unsigned char *)buf)[below(t, real_size(cmd))] ^= 1u << below(t, 8);
}

static int in_guarded(uint64_t addr)
{
	return addr >= (uintptr_t)guarded && addr < (uintptr_t)guarded + GUARDED;
}

/*
 * Is the page of @addr mapped in this process, outside the guarded area
 * and the read-only page (which the device cannot write)?
 */
static int own_memory(uint64_t addr)
{
	unsigned char vec;

	if (addr >= 0x0000800000000000ULL || in_guarded(addr) ||
	    (addr & ~4095ULL) == (uintptr_t)rodata)
		return 0;
	return !mincore((void *)(uintptr_t)(addr & ~4095ULL), 4096, &vec);
}

/*
 * Before a SUBMIT: the device may write at dst, so dst must not be this
 * process's own memory. A pointer argument other than our buffer could
 * hold anything (the region holds what the engine copied there), so it is
 * replaced by the read-only page, which holds zeros.
 */
static void *keep_off_self(unsigned long cmd, void *arg, void *buf)
{
	struct accelsim_ioctl_submit *s = buf;

	if (cmd != ACCELSIM_IOCTL_SUBMIT)
		return arg;
	if (arg != buf)
		return in_guarded((uintptr_t)arg) || own_memory((uintptr_t)arg) ?
			rodata : arg;
	if (own_memory(s->dst)) {
		s->dst = (uintptr_t)rodata;
		atomic_fetch_add(&redirected, 1);
	}
	return arg;
}

static void do_ioctl(struct thread *t, int kind)
{
	unsigned char buf[16384] __attribute__((aligned(16)));
	unsigned long cmd;
	unsigned int type, nr, size, dir;
	void *arg;
	long ret;
	int fd = pick_fd(t);

	switch (kind) {
	case K_IOCTL_RANDOM:
		switch (below(t, 4)) {
		case 0: type = ACCELSIM_MAGIC - 1; break;
		case 1: type = ACCELSIM_MAGIC + 1; break;
		case 2: type = below(t, 256); break;
		default: type = ACCELSIM_MAGIC; break;
		}
		nr = below(t, 2) ? below(t, 0x30) : below(t, 256);
		size = below(t, 2) ? below(t, 128) : below(t, 1 << 14);
		dir = below(t, 4);
		cmd = _IOC(dir, type, nr, size);
		if (!below(t, 16))
			cmd = rnd(t) & 0xffffffff;
		fill_random(t, buf, size < sizeof(buf) ? size : sizeof(buf));
		arg = below(t, 4) ? (void *)buf : wptr(t, buf, size);
		break;
	case K_IOCTL_SIZE:
		cmd = real_cmds[below(t, NREAL)];
		size = below(t, 2) ? real_size(cmd) + below(t, 17) - 8 : below(t, 1 << 14);
		dir = below(t, 2) ? _IOC_DIR(cmd) : below(t, 4);
		cmd = _IOC(dir, ACCELSIM_MAGIC, _IOC_NR(cmd), size & 0x3fff);
		memset(buf, 0, sizeof(buf));
		arg = buf;
		break;
	case K_IOCTL_REAL_RANDOM:
		cmd = real_cmds[below(t, NREAL)];
		fill_random(t, buf, real_size(cmd));
		if (below(t, 2))	/* zero the reserved tail more often */
			memset(buf + below(t, real_size(cmd)), 0,
			       real_size(cmd) - below(t, real_size(cmd)) / 2);
		arg = below(t, 3) ? (void *)buf : wptr(t, buf, real_size(cmd));
		break;
	default: /* K_IOCTL_MUTATED */
		cmd = real_cmds[below(t, NREAL)];
		if (below(t, 3) == 0)
			cmd = ACCELSIM_IOCTL_SUBMIT;
		mutated(t, cmd, buf);
		arg = below(t, 10) ? (void *)buf : wptr(t, buf, real_size(cmd));
		break;
	}
	arg = keep_off_self(cmd, arg, buf);
	ret = ioctl(fd, cmd, arg);
	count(t, kind, ret);
}

static void do_rw(struct thread *t, int kind)
{
	unsigned char buf[4096] __attribute__((aligned(16)));
	size_t len;
	void *p;
	long ret;
	int fd = pick_fd(t);

	switch (below(t, 6)) {
	case 0: len = 0; break;
	case 1: len = below(t, 48); break;
	case 2: len = rnd(t); break;
	case 3: len = sizeof(struct accelsim_event_header) +
		      sizeof(struct accelsim_event_work_done) + below(t, 3) - 1;
		break;
	default: len = below(t, sizeof(buf)); break;
	}
	p = below(t, 3) ? (void *)buf : wptr(t, buf, len);
	if (p == buf && len > sizeof(buf))
		len = sizeof(buf);
	if (kind == K_READ) {
		ret = read(fd, p, len);
	} else {
		fill_random(t, buf, len < sizeof(buf) ? len : sizeof(buf));
		ret = write(fd, p, len);
	}
	count(t, kind, ret);
}

static void do_poll(struct thread *t)
{
	struct pollfd p = { .fd = pick_fd(t), .events = (short)rnd(t) };
	long ret = poll(&p, 1, 0);

	count(t, K_POLL, ret);
}

static void do_mmap(struct thread *t)
{
	size_t len = 4096 * (1 + below(t, 4));
	int prot = below(t, 8);
	void *p = mmap(NULL, len, prot, below(t, 2) ? MAP_SHARED : MAP_PRIVATE,
		       pick_fd(t), 4096 * below(t, 4));

	count(t, K_MMAP, p == MAP_FAILED ? -1 : 0);
	if (p != MAP_FAILED)
		munmap(p, len);
}

static int open_dev(void)
{
	return open(devpath, O_RDWR | O_NONBLOCK | O_CLOEXEC);
}

/* Close, reopen, dup, remap, fork: the other threads race with these. */
static void do_chaos(struct thread *t)
{
	unsigned int s = below(t, NSLOTS), b;
	int fd, old;
	long ret = 0;
	void *p;

	switch (below(t, 10)) {
	case 0: case 1: case 2:	/* close and reopen a slot */
		old = atomic_exchange(&slots[s], -1);
		if (old >= 0)
			ret = close(old);
		fd = open_dev();
		if (fd < 0) {
			ret = -1;
			break;
		}
		old = atomic_exchange(&slots[s], fd);
		if (old >= 0)
			close(old);
		break;
	case 3: case 4:		/* dup one slot's fd over another */
		old = atomic_load(&slots[below(t, NSLOTS)]);
		fd = atomic_load(&slots[s]);
		if (old < 0 || fd < 0 || old == fd)
			break;
		ret = dup2(old, fd);
		break;
	case 5:			/* dup into a new number */
		fd = dup(atomic_load(&slots[below(t, NSLOTS)]));
		if (fd < 0) {
			ret = -1;
			break;
		}
		old = atomic_exchange(&slots[s], fd);
		if (old >= 0)
			close(old);
		break;
	case 6: case 7:		/* remap or protect a buffer with work in flight */
		b = below(t, NBUFS * 2);
		switch (below(t, 3)) {
		case 0:
			p = mmap(region + b * BUFSZ, BUFSZ, PROT_NONE,
				 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
			break;
		case 1:
			p = mmap(region + b * BUFSZ, BUFSZ, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
			break;
		default:
			p = mprotect(region + b * BUFSZ, BUFSZ,
				     below(t, 2) ? PROT_READ : PROT_READ | PROT_WRITE) ?
				MAP_FAILED : region;
			break;
		}
		ret = p == MAP_FAILED ? -1 : 0;
		break;
	case 8:			/* a new eventfd */
		fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		if (fd < 0) {
			ret = -1;
			break;
		}
		old = atomic_exchange(&efds[below(t, NEFDS)], fd);
		if (old >= 0)
			close(old);
		break;
	default: {		/* a forked child uses the inherited fds */
		pid_t pid;
		int st;

		if (below(t, 8))
			break;
		pid = fork();
		if (pid == 0) {
			struct accelsim_ioctl_submit sub;
			struct accelsim_ioctl_info inf;
			int i;

			for (i = 0; i < NSLOTS; i++) {
				memset(&sub, 0, sizeof(sub));
				sub.op = ACCELSIM_OP_FILL;
				sub.dst = (uintptr_t)region;
				sub.len = 64;
				ioctl(atomic_load(&slots[i]), ACCELSIM_IOCTL_SUBMIT, &sub);
				ioctl(atomic_load(&slots[i]), ACCELSIM_IOCTL_GET_INFO, &inf);
			}
			_exit(0);
		}
		if (pid < 0) {
			ret = -1;
			break;
		}
		ret = waitpid(pid, &st, 0) < 0 ? -1 : 0;
		break;
	}
	}
	count(t, K_CHAOS, ret);
}

static void *worker(void *arg)
{
	struct thread *t = arg;

	while (!atomic_load(&stop)) {
		unsigned int r;

		if (atomic_fetch_sub(&calls_left, 1) <= 0)
			break;
		if (t->chaos) {
			do_chaos(t);
			continue;
		}
		r = below(t, 100);
		if (r < 15)
			do_ioctl(t, K_IOCTL_RANDOM);
		else if (r < 30)
			do_ioctl(t, K_IOCTL_REAL_RANDOM);
		else if (r < 38)
			do_ioctl(t, K_IOCTL_SIZE);
		else if (r < 70)
			do_ioctl(t, K_IOCTL_MUTATED);
		else if (r < 85)
			do_rw(t, K_READ);
		else if (r < 92)
			do_rw(t, K_WRITE);
		else if (r < 97)
			do_poll(t);
		else
			do_mmap(t);
	}
	return NULL;
}

/* After the storm a fresh context must still attach and copy correctly. */
static int sanity(void)
{
	struct accelsim_event_work_done done;
	unsigned char *src, *dst;
	uint64_t id = 0;
	int fd, ret, i;

	src = mmap(NULL, 2 * BUFSZ, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (src == MAP_FAILED)
		return -1;
	dst = src + BUFSZ;
	for (i = 0; i < BUFSZ; i++)
		src[i] = i * 7 + 3;
	fd = open(devpath, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -2;
	ret = asim_attach(fd, NULL, NULL);
	if (ret)
		return -3;
	ret = asim_submit(fd, ACCELSIM_OP_COPY, 0, (uintptr_t)src,
			  (uintptr_t)dst, BUFSZ, 42, 0, &id);
	if (ret)
		return -4;
	if (asim_wait_done(fd, id, &done, 1) || done.status != ACCELSIM_STATUS_OK ||
	    done.tag != 42 || done.bytes != BUFSZ)
		return -5;
	if (memcmp(src, dst, BUFSZ))
		return -6;
	close(fd);
	munmap(src, 2 * BUFSZ);
	return 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: asim_fuzz [--seed S] [--calls N] [--threads T] [--dev N]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "calls", required_argument, NULL, 'n' },
		{ "threads", required_argument, NULL, 't' },
		{ "dev", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 },
	};
	static struct thread th[MAXTHREADS + 1];
	struct tstats tot;
	struct timespec t0, t1;
	uint64_t seed;
	long calls = 100000;
	int nthreads = 4, i, k, c, ret;
	char *end;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	seed = (uint64_t)t0.tv_nsec ^ ((uint64_t)getpid() << 32);
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			errno = 0;
			seed = strtoull(optarg, &end, 0);
			if (errno || *end || end == optarg)
				usage();
			break;
		case 'n':
			calls = strtol(optarg, &end, 0);
			if (*end || calls < 1)
				usage();
			break;
		case 't':
			nthreads = strtol(optarg, &end, 0);
			if (*end || nthreads < 1 || nthreads > MAXTHREADS)
				usage();
			break;
		case 'd':
			devnum = strtoul(optarg, &end, 0);
			if (*end)
				usage();
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	printf("seed %llu\n", (unsigned long long)seed);
	fflush(stdout);
	signal(SIGPIPE, SIG_IGN);
	snprintf(devpath, sizeof(devpath), "/dev/accelsim/afu%u", devnum);

	guarded = mmap(NULL, GUARDED, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	rodata = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (guarded == MAP_FAILED || rodata == MAP_FAILED)
		asim_die("mmap: %s", strerror(errno));
	region = guarded + GUARD_LO;
	/* the second half starts PROT_NONE */
	if (mprotect(region, REGION / 2, PROT_READ | PROT_WRITE))
		asim_die("mprotect: %s", strerror(errno));
	for (i = 0; i < NSLOTS; i++) {
		int fd = open_dev();

		if (fd < 0)
			asim_die("open %s: %s", devpath, strerror(errno));
		atomic_store(&slots[i], fd);
	}
	for (i = 0; i < NEFDS; i++)
		atomic_store(&efds[i], eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));

	atomic_store(&calls_left, calls);
	for (i = 0; i <= nthreads; i++) {
		th[i].rng = (seed + 0x9e3779b97f4a7c15ULL * (i + 1)) | 1;
		th[i].chaos = i == nthreads;
	}
	/* chaos runs beside the workers and stops when they are done */
	for (i = 0; i < nthreads; i++)
		if (pthread_create(&th[i].tid, NULL, worker, &th[i]))
			asim_die("pthread_create");
	{
		struct thread *t = &th[nthreads];

		while (atomic_load(&calls_left) > 0) {
			do_chaos(t);
			usleep(200);
		}
	}
	for (i = 0; i < nthreads; i++)
		pthread_join(th[i].tid, NULL);
	atomic_store(&stop, 1);

	for (i = 0; i < NSLOTS; i++)
		close(atomic_load(&slots[i]));
	for (i = 0; i < NEFDS; i++)
		close(atomic_load(&efds[i]));
	clock_gettime(CLOCK_MONOTONIC, &t1);

	memset(&tot, 0, sizeof(tot));
	for (i = 0; i <= nthreads; i++) {
		for (k = 0; k < K_NR; k++)
			tot.kind_calls[k] += th[i].st.kind_calls[k];
		for (k = 0; k < MAXERR; k++)
			tot.err[k] += th[i].st.err[k];
		tot.ok += th[i].st.ok;
		if (th[i].st.unexpected && !tot.unexpected) {
			tot.first_unexpected_errno = th[i].st.first_unexpected_errno;
			tot.first_unexpected_kind = th[i].st.first_unexpected_kind;
		}
		tot.unexpected += th[i].st.unexpected;
	}
	printf("calls %ld\n", atomic_load(&calls_done));
	printf("threads %d\n", nthreads);
	printf("seconds %.1f\n", (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	for (k = 0; k < K_NR; k++)
		printf("kind %s %lu\n", kind_names[k], tot.kind_calls[k]);
	printf("result ok %lu\n", tot.ok);
	printf("redirected %ld\n", atomic_load(&redirected));
	for (k = 1; k < MAXERR; k++)
		if (tot.err[k])
			printf("result %s %lu\n", strerrorname_np(k) ?: "?", tot.err[k]);
	if (tot.unexpected) {
		printf("unexpected %lu (first: %s from %s)\n", tot.unexpected,
		       strerrorname_np(tot.first_unexpected_errno) ?: "?",
		       kind_names[tot.first_unexpected_kind]);
		return 3;
	}
	ret = sanity();
	if (ret) {
		printf("sanity copy failed (step %d)\n", -ret);
		return 4;
	}
	printf("sanity copy ok\n");
	return 0;
}
