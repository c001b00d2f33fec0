// SPDX-License-Identifier: MIT
/*
 * accelctl run: the workload of one context. Each iteration prepares the
 * buffers (fresh, never-touched mappings with --fresh), submits the
 * descriptors with a bounded window, collects the completions (latency is
 * submit to completion read), checks the data, and with --churn unmaps and
 * remaps the destination piece by piece so the driver must invalidate the
 * device's translations (TLBIs).
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <unistd.h>

#include "accel_uapi.h"
#include "accelctl.h"
#include "run.h"

#define PAGE 4096ull
#define EVENT_TIMEOUT_MS 60000

struct ctx {
	const struct run_cfg *cfg;
	struct run_result *res;
	struct run_progress *prog;
	unsigned int idx;
	int fd, efd;
	uint32_t hwirq;
	uint64_t len, chunk, nchunks;
	char *src, *dst;
	uint64_t *t_submit;		/* per chunk */
	uint32_t *expect;		/* expected status per chunk */
	uint64_t *expect_addr;		/* MISMATCH: first differing byte */
	uint64_t inflight, completed;
};

static void fatal(struct ctx *c, int err, const char *what)
{
	if (c->res->fatal)
		return;
	c->res->fatal = err ? err : -EIO;
	snprintf(c->res->fatal_msg, sizeof(c->res->fatal_msg), "context %u: "
		 "%s: %s", c->idx, what, strerror(-c->res->fatal));
}

static char *map(uint64_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	/* 4 KiB pages, so every page of a fresh buffer faults on its own. */
	madvise(p, len, MADV_NOHUGEPAGE);
	return p;
}

static void fill_pattern(char *p, uint64_t len, uint64_t seed)
{
	uint64_t *w = (uint64_t *)p, v = seed * 0x9e3779b97f4a7c15ull + 1;
	uint64_t i;

	for (i = 0; i < len / 8; i++) {
		v ^= v << 13;
		v ^= v >> 7;
		v ^= v << 17;
		w[i] = v;
	}
}

static int prepare(struct ctx *c, uint64_t iter)
{
	uint32_t op = c->cfg->op;
	bool need_src = op == ACCELSIM_OP_COPY || op == ACCELSIM_OP_COMPARE;
	uint64_t k;

	if (!c->dst) {
		c->dst = map(c->len);
		if (!c->dst)
			return -errno;
	}
	if (need_src && !c->src) {
		c->src = map(c->len);
		if (!c->src)
			return -errno;
	}
	if (need_src)
		fill_pattern(c->src, c->len, iter * 1000003 + c->idx);
	for (k = 0; k < c->nchunks; k++) {
		c->expect[k] = ACCELSIM_STATUS_OK;
		c->expect_addr[k] = 0;
	}
	if (op == ACCELSIM_OP_COMPARE) {
		memcpy(c->dst, c->src, c->len);
		/* Odd iterations: one differing byte in one chunk. */
		if (iter & 1) {
			uint64_t off = (iter * 7919 + c->idx * 104729) % c->len;

			c->dst[off] ^= 0x5a;
			c->expect[off / c->chunk] = ACCELSIM_STATUS_MISMATCH;
			c->expect_addr[off / c->chunk] = off;
		}
	} else if (!c->cfg->fresh && op != ACCELSIM_OP_TOUCH) {
		/* Stale data from the last iteration must not pass. */
		memset(c->dst, 0, c->len);
	}
	return 0;
}

static uint8_t fill_byte(const struct ctx *c, uint64_t iter)
{
	return (uint8_t)((0x5a + iter * 3 + c->idx) | 1);
}

static int submit(struct ctx *c, uint64_t k, uint64_t iter)
{
	struct accelsim_ioctl_submit s;
	uint64_t off = k * c->chunk;
	int ret;

	memset(&s, 0, sizeof(s));
	s.op = c->cfg->op;
	s.dst = (uint64_t)(uintptr_t)(c->dst + off);
	s.len = off + c->chunk > c->len ? c->len - off : c->chunk;
	s.tag = k;
	if (s.op == ACCELSIM_OP_COPY || s.op == ACCELSIM_OP_COMPARE)
		s.src = (uint64_t)(uintptr_t)(c->src + off);
	if (s.op == ACCELSIM_OP_FILL)
		s.pattern = fill_byte(c, iter);
	if (s.op == ACCELSIM_OP_TOUCH)
		s.flags |= ACCELSIM_SUBMIT_WRITE;
	if (c->cfg->irq) {
		s.flags |= ACCELSIM_SUBMIT_IRQ;
		s.hwirq = c->hwirq;
	}
	c->t_submit[k] = cli_now_ns();
	ret = accel_submit(c->fd, &s);
	if (!ret)
		c->inflight++;
	return ret;
}

static void completion(struct ctx *c, const struct accelsim_event_work_done *w)
{
	struct run_result *r = c->res;
	uint64_t k = w->tag;

	if (c->inflight)
		c->inflight--;
	c->completed++;
	r->work++;
	r->bytes += w->bytes;
	atomic_fetch_add(&c->prog->bytes, w->bytes);
	if (k >= c->nchunks) {
		r->errors++;
		return;
	}
	if (r->nlat < RUN_MAX_LAT)
		r->lat[r->nlat++] = cli_now_ns() - c->t_submit[k];
	if (w->status != c->expect[k]) {
		if (c->expect[k] == ACCELSIM_STATUS_MISMATCH ||
		    w->status == ACCELSIM_STATUS_MISMATCH)
			r->mismatches++;
		else
			r->errors++;
	} else if (w->status == ACCELSIM_STATUS_MISMATCH) {
		/* The first difference, as a source or destination address. */
		uint64_t s = (uint64_t)(uintptr_t)c->src + c->expect_addr[k];
		uint64_t d = (uint64_t)(uintptr_t)c->dst + c->expect_addr[k];

		if (w->addr != s && w->addr != d)
			r->mismatches++;
	}
}

/* Read events until at most keep descriptors are in flight. */
static int reap(struct ctx *c, uint64_t keep)
{
	unsigned char buf[64 * ACCEL_EVENT_MAX];
	struct accel_event ev;
	size_t off;
	long n;
	int ret;

	while (c->inflight > keep) {
		struct pollfd p = { .fd = c->fd, .events = POLLIN };

		ret = poll(&p, 1, EVENT_TIMEOUT_MS);
		if (ret < 0 && errno == EINTR)
			continue;
		if (ret == 0)
			return -ETIMEDOUT;
		n = accel_read_events(c->fd, buf, sizeof(buf));
		if (n == -EAGAIN)
			continue;
		if (n <= 0)
			return n ? (int)n : -ENODEV;
		off = 0;
		while ((ret = accel_event_next(buf, (size_t)n, &off, &ev)) > 0) {
			if (ev.type == ACCELSIM_EVENT_WORK_DONE)
				completion(c, &ev.u.work_done);
			else
				c->res->errors++;	/* fault or AFU error */
		}
		if (ret < 0)
			return ret;
	}
	return 0;
}

static void verify(struct ctx *c, uint64_t iter)
{
	uint64_t off, n;

	if (c->cfg->op == ACCELSIM_OP_COPY) {
		for (off = 0; off < c->len; off += c->chunk) {
			n = off + c->chunk > c->len ? c->len - off : c->chunk;
			if (memcmp(c->dst + off, c->src + off, n))
				c->res->mismatches++;
		}
	} else if (c->cfg->op == ACCELSIM_OP_FILL) {
		uint8_t b = fill_byte(c, iter);

		for (off = 0; off < c->len; off++)
			if ((uint8_t)c->dst[off] != b) {
				c->res->mismatches++;
				break;
			}
	}
}

static void churn(struct ctx *c)
{
	uint64_t off, n;
	void *p;

	for (off = 0; off < c->len; off += c->chunk) {
		n = off + c->chunk > c->len ? c->len - off : c->chunk;
		if (munmap(c->dst + off, n))
			continue;
		p = mmap(c->dst + off, n, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
		if (p == MAP_FAILED) {
			fatal(c, -errno, "remap");
			return;
		}
		c->res->churns++;
	}
}

static int setup(struct ctx *c)
{
	int ret;

	c->fd = accel_open(ctl.devdir, c->cfg->dev);
	if (c->fd < 0) {
		fatal(c, c->fd, "open");
		return c->fd;
	}
	ret = accel_attach(c->fd, &c->res->pasid, &c->res->pe);
	if (ret) {
		fatal(c, ret, "ATTACH");
		return ret;
	}
	c->res->attached = 1;
	if (!c->cfg->irq)
		return 0;
	ret = accel_irq_alloc(c->fd, 1, &c->hwirq);
	if (ret) {
		fatal(c, ret, "IRQ_ALLOC");
		return ret;
	}
	c->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (c->efd < 0) {
		fatal(c, -errno, "eventfd");
		return -errno;
	}
	ret = accel_irq_set_fd(c->fd, c->hwirq, c->efd);
	if (ret)
		fatal(c, ret, "IRQ_SET_FD");
	return ret;
}

/* Count the IRQs signalled on the eventfd; wait up to ms for expected. */
static void count_irqs(struct ctx *c, int ms)
{
	uint64_t v;

	for (;;) {
		struct pollfd p = { .fd = c->efd, .events = POLLIN };

		if (read(c->efd, &v, sizeof(v)) == sizeof(v))
			c->res->irqs_received += v;
		if (c->res->irqs_received >= c->res->irqs_expected || ms <= 0)
			return;
		if (poll(&p, 1, 10) == 0)
			ms -= 10;
	}
}

static void iterate(struct ctx *c)
{
	const struct run_cfg *cfg = c->cfg;
	uint64_t iter, k;
	int ret;

	for (iter = 0; !atomic_load(&c->prog->stop); iter++) {
		if (cfg->iterations && iter >= cfg->iterations)
			break;
		ret = prepare(c, iter);
		if (ret) {
			fatal(c, ret, "mmap");
			return;
		}
		c->completed = 0;
		for (k = 0; k < c->nchunks; k++) {
			ret = reap(c, cfg->window - 1);
			if (!ret) {
				ret = submit(c, k, iter);
				if (ret == -EAGAIN) {
					ret = reap(c, 0);
					if (!ret)
						ret = submit(c, k, iter);
				}
			}
			if (ret) {
				fatal(c, ret, ret == -ETIMEDOUT ?
				      "waiting for completions" : "SUBMIT");
				return;
			}
		}
		ret = reap(c, 0);
		if (ret) {
			fatal(c, ret, "waiting for completions");
			return;
		}
		if (cfg->irq) {
			c->res->irqs_expected += c->nchunks;
			count_irqs(c, 0);
		}
		verify(c, iter);
		c->res->iterations++;
		atomic_fetch_add(&c->prog->iterations, 1);
		if (cfg->churn)
			churn(c);
		if (cfg->fresh) {
			munmap(c->dst, c->len);
			c->dst = NULL;
			if (c->src)
				munmap(c->src, c->len);
			c->src = NULL;
		}
		if (c->res->fatal)
			return;
	}
}

void run_context(const struct run_cfg *cfg, unsigned int idx,
		 struct run_progress *prog, struct run_result *res)
{
	struct ctx c = {
		.cfg = cfg, .res = res, .prog = prog, .idx = idx,
		.fd = -1, .efd = -1,
	};
	pid_t parent = getppid();

	c.len = (cfg->size / cfg->contexts + PAGE - 1) / PAGE * PAGE;
	if (!c.len)
		c.len = PAGE;
	c.chunk = cfg->chunk < c.len ? cfg->chunk : c.len;
	c.nchunks = (c.len + c.chunk - 1) / c.chunk;
	c.t_submit = calloc(c.nchunks, sizeof(*c.t_submit));
	c.expect = calloc(c.nchunks, sizeof(*c.expect));
	c.expect_addr = calloc(c.nchunks, sizeof(*c.expect_addr));
	if (!c.t_submit || !c.expect || !c.expect_addr)
		fatal(&c, -ENOMEM, "allocation");
	else
		setup(&c);
	atomic_fetch_add(&prog->ready, 1);
	if (!res->fatal)
		iterate(&c);
	if (cfg->irq && c.efd >= 0)
		count_irqs(&c, 1000);
	atomic_fetch_add(&prog->done, 1);
	/*
	 * Keep the context until the driver has read the SPA rows (a forked
	 * context whose parent died gives up).
	 */
	while (!atomic_load(&prog->release) &&
	       (!cfg->fork || getppid() == parent))
		usleep(1000);
	if (c.efd >= 0)
		close(c.efd);
	if (c.fd >= 0)
		close(c.fd);
	if (c.dst)
		munmap(c.dst, c.len);
	if (c.src)
		munmap(c.src, c.len);
	free(c.t_submit);
	free(c.expect);
	free(c.expect_addr);
}
