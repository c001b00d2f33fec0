// SPDX-License-Identifier: MIT
/*
 * asim_isolation: work submitted by process A only touches A's memory.
 *
 *   asim_isolation [-d DEV] unmapped|same
 *
 * Process B (a child) maps a buffer, fills it with a known byte, attaches
 * its own context and has the device touch the buffer (so B's translations
 * sit in the device's ATC), then sends the address to A over a pipe.
 *
 * unmapped: A does not have that address mapped (checked with mincore()).
 *   A's COPY/FILL/COMPARE/TOUCH with B's address as source or destination
 *   must end with status FAULT at that address after a FAULT_ERROR event
 *   with err -EFAULT (the fault acked ADDRESS_ERROR); A's own buffers must
 *   not receive B's bytes.
 * same: A maps its own buffer at the same address with other content. The
 *   engine must use A's pages: a COPY from it gives A's bytes, a FILL of it
 *   changes A's page only.
 *
 * In both, B then checks its buffer is unchanged, both with the CPU and by
 * a device COPY of it in B's own context. Prints "ok MODE: what" or
 * "not ok MODE: what" per check; exits 0 when all pass, 1 otherwise, 2 on
 * setup errors.
 */
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "asim.h"

#define LEN	(64 * 1024)
#define B_BYTE	0x5b
#define A_BYTE	0xa5
#define A_DST	0xaa

static unsigned int dev;
static int failures;
static unsigned char *a_buf;	/* A's own buffer, mapped before the fork */

static void check(const char *mode, int cond, const char *what)
{
	printf("%sok %s: %s\n", cond ? "" : "not ", mode, what);
	if (!cond)
		failures++;
}

static int all_bytes(const unsigned char *p, size_t n, unsigned char v)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != v)
			return 0;
	return 1;
}

static int any_byte(const unsigned char *p, size_t n, unsigned char v)
{
	return memchr(p, v, n) != NULL;
}

struct result {
	struct accelsim_event_work_done done;
	int fault_errors;	/* FAULT_ERROR events of this work */
	int64_t fault_err;	/* err of the first one */
	uint64_t fault_addr;
};

/* Submit one descriptor and collect its events. Returns 0 or -errno. */
static int run_op(int fd, uint32_t op, uint32_t flags, uint64_t src,
		  uint64_t dst, uint64_t len, uint32_t pattern, struct result *r)
{
	struct asim_event ev;
	uint64_t id = 0;
	ssize_t n;
	int err;

	memset(r, 0, sizeof(*r));
	err = asim_submit(fd, op, flags, src, dst, len, 7, pattern, &id);
	if (err)
		return err;
	for (;;) {
		n = asim_read_event(fd, &ev);
		if (n < 0)
			return (int)n;
		if (ev.hdr.type == ACCELSIM_EVENT_FAULT_ERROR &&
		    ev.body.fault_error.work_id == id) {
			if (!r->fault_errors++) {
				r->fault_err = ev.body.fault_error.err;
				r->fault_addr = ev.body.fault_error.addr;
			}
		}
		if (ev.hdr.type == ACCELSIM_EVENT_WORK_DONE &&
		    ev.body.work_done.id == id) {
			r->done = ev.body.work_done;
			return 0;
		}
	}
}

static void full_read(int fd, void *buf, size_t n)
{
	if (read(fd, buf, n) != (ssize_t)n)
		asim_die("pipe read: %s", strerror(errno));
}

static void full_write(int fd, const void *buf, size_t n)
{
	if (write(fd, buf, n) != (ssize_t)n)
		asim_die("pipe write: %s", strerror(errno));
}

/*
 * Process B: map, fill, attach, warm the ATC, send the address; on 'c'
 * report whether the buffer is intact (CPU view and device view).
 */
static void proc_b(int rd, int wr)
{
	unsigned char *buf, *copy, cmd, res[2];
	struct result r;
	uint64_t addr;
	int fd;

	buf = mmap(NULL, LEN, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	copy = mmap(NULL, LEN, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED || copy == MAP_FAILED)
		asim_die("B: mmap: %s", strerror(errno));
	memset(buf, B_BYTE, LEN);
	fd = asim_open(dev);
	if (asim_attach(fd, NULL, NULL))
		asim_die("B: attach failed");
	if (run_op(fd, ACCELSIM_OP_TOUCH, 0, 0, (uintptr_t)buf, LEN, 0, &r) ||
	    r.done.status != ACCELSIM_STATUS_OK)
		asim_die("B: touch of its own buffer failed");
	addr = (uintptr_t)buf;
	full_write(wr, &addr, sizeof(addr));
	for (;;) {
		full_read(rd, &cmd, 1);
		if (cmd != 'c')
			break;
		memset(copy, 0, LEN);
		res[0] = all_bytes(buf, LEN, B_BYTE);
		res[1] = !run_op(fd, ACCELSIM_OP_COPY, 0, (uintptr_t)buf,
				 (uintptr_t)copy, LEN, 0, &r) &&
			 r.done.status == ACCELSIM_STATUS_OK &&
			 all_bytes(copy, LEN, B_BYTE);
		full_write(wr, res, 2);
	}
	close(fd);
	_exit(0);
}

static void b_intact(const char *mode, int to_b, int from_b, const char *after)
{
	unsigned char res[2];
	char what[160];

	full_write(to_b, "c", 1);
	full_read(from_b, res, 2);
	snprintf(what, sizeof(what), "B's buffer unchanged (CPU) after %s", after);
	check(mode, res[0], what);
	snprintf(what, sizeof(what), "B's device still reads B's bytes after %s", after);
	check(mode, res[1], what);
}

/* The work must fault at addr, acked ADDRESS_ERROR (err -EFAULT). */
static void expect_fault(const char *mode, const char *what, int err,
			 const struct result *r, uint64_t addr)
{
	char w[160];

	snprintf(w, sizeof(w), "%s: submitted", what);
	check(mode, err == 0, w);
	snprintf(w, sizeof(w), "%s: status FAULT", what);
	check(mode, r->done.status == ACCELSIM_STATUS_FAULT, w);
	snprintf(w, sizeof(w), "%s: fault at B's address", what);
	check(mode, r->done.addr == addr && r->fault_addr == addr, w);
	snprintf(w, sizeof(w), "%s: FAULT_ERROR err -EFAULT", what);
	check(mode, r->fault_errors == 1 && r->fault_err == -EFAULT, w);
	snprintf(w, sizeof(w), "%s: no byte processed", what);
	check(mode, r->done.bytes == 0, w);
}

static void mode_unmapped(int fd, uint64_t baddr, int to_b, int from_b)
{
	const char *m = "unmapped";
	unsigned char *own, vec[LEN / 4096];
	struct result r;
	int err;

	check(m, mincore((void *)(uintptr_t)baddr, LEN, vec) < 0 && errno == ENOMEM,
	      "B's address is not mapped in A");
	own = a_buf;
	memset(own, A_DST, LEN);

	err = run_op(fd, ACCELSIM_OP_COPY, 0, baddr, (uintptr_t)own, LEN, 0, &r);
	expect_fault(m, "COPY from B's address", err, &r, baddr);
	check(m, all_bytes(own, LEN, A_DST) && !any_byte(own, LEN, B_BYTE),
	      "COPY from B's address: A got none of B's bytes");

	err = run_op(fd, ACCELSIM_OP_COPY, 0, (uintptr_t)own, baddr, LEN, 0, &r);
	expect_fault(m, "COPY to B's address", err, &r, baddr);
	b_intact(m, to_b, from_b, "COPY to B's address");

	err = run_op(fd, ACCELSIM_OP_FILL, 0, 0, baddr, LEN, 0x11, &r);
	expect_fault(m, "FILL of B's address", err, &r, baddr);
	b_intact(m, to_b, from_b, "FILL of B's address");

	err = run_op(fd, ACCELSIM_OP_COMPARE, 0, baddr, (uintptr_t)own, LEN, 0, &r);
	expect_fault(m, "COMPARE from B's address", err, &r, baddr);

	memset(own, B_BYTE, LEN);	/* equal to B's bytes: a compare would pass */
	err = run_op(fd, ACCELSIM_OP_COMPARE, 0, (uintptr_t)own, baddr, LEN, 0, &r);
	expect_fault(m, "COMPARE against B's address", err, &r, baddr);

	err = run_op(fd, ACCELSIM_OP_TOUCH, 0, 0, baddr, LEN, 0, &r);
	expect_fault(m, "TOUCH read of B's address", err, &r, baddr);

	err = run_op(fd, ACCELSIM_OP_TOUCH, ACCELSIM_SUBMIT_WRITE, 0, baddr, LEN, 0, &r);
	expect_fault(m, "TOUCH write of B's address", err, &r, baddr);
	b_intact(m, to_b, from_b, "TOUCH write of B's address");
}

static void mode_same(int fd, uint64_t baddr, int to_b, int from_b)
{
	const char *m = "same";
	unsigned char *mine, *other, vec[LEN / 4096];
	struct result r;
	int err;

	check(m, mincore((void *)(uintptr_t)baddr, LEN, vec) < 0 && errno == ENOMEM,
	      "B's address is not mapped in A before");
	mine = mmap((void *)(uintptr_t)baddr, LEN, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	check(m, mine == (void *)(uintptr_t)baddr, "A maps its own buffer at B's address");
	if (mine != (void *)(uintptr_t)baddr)
		return;
	memset(mine, A_BYTE, LEN);
	other = mmap(NULL, LEN, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (other == MAP_FAILED)
		asim_die("A: mmap");
	memset(other, A_DST, LEN);

	err = run_op(fd, ACCELSIM_OP_COPY, 0, baddr, (uintptr_t)other, LEN, 0, &r);
	check(m, !err && r.done.status == ACCELSIM_STATUS_OK && r.done.bytes == LEN,
	      "COPY from the shared address completes");
	check(m, all_bytes(other, LEN, A_BYTE), "COPY read A's bytes");
	check(m, !any_byte(other, LEN, B_BYTE), "COPY read none of B's bytes");

	memset(other, B_BYTE, LEN);
	err = run_op(fd, ACCELSIM_OP_COMPARE, 0, baddr, (uintptr_t)other, LEN, 0, &r);
	check(m, !err && r.done.status == ACCELSIM_STATUS_MISMATCH && r.done.bytes == 0 &&
	      r.done.addr == baddr, "COMPARE of A's page with B's bytes mismatches at once");

	err = run_op(fd, ACCELSIM_OP_FILL, 0, 0, baddr, LEN, 0x33, &r);
	check(m, !err && r.done.status == ACCELSIM_STATUS_OK, "FILL of the shared address completes");
	check(m, all_bytes(mine, LEN, 0x33), "FILL changed A's page");
	b_intact(m, to_b, from_b, "A's FILL at the shared address");

	err = run_op(fd, ACCELSIM_OP_COPY, 0, (uintptr_t)other, baddr, LEN, 0, &r);
	check(m, !err && r.done.status == ACCELSIM_STATUS_OK, "COPY to the shared address completes");
	check(m, all_bytes(mine, LEN, B_BYTE) && all_bytes(other, LEN, B_BYTE),
	      "COPY wrote A's page");
	memset(mine, A_BYTE, LEN);
	err = run_op(fd, ACCELSIM_OP_TOUCH, ACCELSIM_SUBMIT_WRITE, 0, baddr, LEN, 0, &r);
	check(m, !err && r.done.status == ACCELSIM_STATUS_OK && all_bytes(mine, LEN, A_BYTE),
	      "TOUCH write of the shared address leaves A's bytes");
	b_intact(m, to_b, from_b, "A's COPY to the shared address");
	munmap(other, LEN);
	munmap(mine, LEN);
}

int main(int argc, char **argv)
{
	int to_b[2], from_b[2], opt, fd, st;
	uint64_t baddr;
	const char *mode;
	pid_t pid;

	while ((opt = getopt(argc, argv, "d:")) != -1) {
		if (opt != 'd')
			goto usage;
		dev = strtoul(optarg, NULL, 0);
	}
	if (optind + 1 != argc)
		goto usage;
	mode = argv[optind];
	if (strcmp(mode, "unmapped") && strcmp(mode, "same"))
		goto usage;
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* mapped before the fork, so B's buffer lands elsewhere */
	a_buf = mmap(NULL, LEN, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (a_buf == MAP_FAILED)
		asim_die("mmap: %s", strerror(errno));
	if (pipe(to_b) || pipe(from_b))
		asim_die("pipe: %s", strerror(errno));
	pid = fork();
	if (pid < 0)
		asim_die("fork: %s", strerror(errno));
	if (pid == 0) {
		close(to_b[1]);
		close(from_b[0]);
		proc_b(to_b[0], from_b[1]);
	}
	close(to_b[0]);
	close(from_b[1]);
	full_read(from_b[0], &baddr, sizeof(baddr));
	printf("B pid %d buffer 0x%llx\n", (int)pid, (unsigned long long)baddr);

	/* A attaches only now: its own context, its own PASID */
	fd = asim_open(dev);
	if (asim_attach(fd, NULL, NULL))
		asim_die("A: attach failed");
	if (!strcmp(mode, "unmapped"))
		mode_unmapped(fd, baddr, to_b[1], from_b[0]);
	else
		mode_same(fd, baddr, to_b[1], from_b[0]);
	close(fd);
	full_write(to_b[1], "q", 1);
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st))
		asim_die("B failed");
	printf("%d failed\n", failures);
	return failures ? 1 : 0;
usage:
	fprintf(stderr, "usage: asim_isolation [-d DEV] unmapped|same\n");
	return 2;
}
