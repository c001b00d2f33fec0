// SPDX-License-Identifier: MIT
/*
 * asim_ioctl: malformed and out-of-order ioctls must fail with the right
 * errno and leave the context usable.
 *
 *   asim_ioctl [-d DEV] GROUP...
 *
 * Groups: order attach submit terminate unknown read info fork. Each check
 * prints "ok GROUP: what" or "not ok GROUP: what: got E want E". After
 * each group a FILL on the same context must still complete (except after
 * terminate, which checks the terminated state instead). Exits 1 if any
 * check failed.
 */
#include <sys/mman.h>
#include <sys/wait.h>

#include "asim.h"

static unsigned int dev;
static int failures;

static const char *ename(int e)
{
	return e ? strerrorname_np(e) : "0";
}

static void check(const char *group, const char *what, int got, int want)
{
	if (got == want) {
		printf("ok %s: %s\n", group, what);
	} else {
		printf("not ok %s: %s: got %s want %s\n", group, what,
		       ename(got), ename(want));
		failures++;
	}
}

/* errno of an ioctl, 0 on success. */
static int io(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) < 0 ? errno : 0;
}

static int ctx_attached(void)
{
	int fd = asim_open(dev);
	int err = asim_attach(fd, NULL, NULL);

	if (err)
		asim_die("attach: %s", strerror(-err));
	return fd;
}

/* A FILL on the context completes and writes the bytes. */
static void check_usable(const char *group, int fd)
{
	struct accelsim_event_work_done done;
	unsigned char *buf;
	uint64_t id = 0;
	int err, ok;

	buf = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED)
		asim_die("mmap: %s", strerror(errno));
	err = asim_submit(fd, ACCELSIM_OP_FILL, 0, 0, (uintptr_t)buf + 100,
			  5000, 9, 0xa5, &id);
	check(group, "context still usable: submit", -err, 0);
	if (err)
		return;
	err = asim_wait_done(fd, id, &done, 0);
	check(group, "context still usable: event", -err, 0);
	ok = !err && done.status == ACCELSIM_STATUS_OK && done.bytes == 5000 &&
	     buf[99] == 0 && buf[100] == 0xa5 && buf[5099] == 0xa5 &&
	     buf[5100] == 0;
	check(group, "context still usable: data", ok ? 0 : EIO, 0);
	munmap(buf, 8192);
}

static struct accelsim_ioctl_submit good_submit(void *buf)
{
	struct accelsim_ioctl_submit s;

	memset(&s, 0, sizeof(s));
	s.op = ACCELSIM_OP_FILL;
	s.dst = (uintptr_t)buf;
	s.len = 64;
	return s;
}

static void group_order(void)
{
	struct accelsim_ioctl_terminate t;
	struct accelsim_ioctl_info info;
	struct asim_event ev;
	char buf[64];
	struct accelsim_ioctl_submit s = good_submit(buf);
	int fd = asim_open(dev);

	check("order", "SUBMIT before ATTACH", io(fd, ACCELSIM_IOCTL_SUBMIT, &s),
	      EINVAL);
	memset(&t, 0, sizeof(t));
	check("order", "TERMINATE before ATTACH",
	      io(fd, ACCELSIM_IOCTL_TERMINATE, &t), EINVAL);
	check("order", "read before ATTACH",
	      read(fd, &ev, sizeof(ev)) < 0 ? errno : 0, EINVAL);
	memset(&info, 0xff, sizeof(info));
	check("order", "GET_INFO before ATTACH",
	      io(fd, ACCELSIM_IOCTL_GET_INFO, &info), 0);
	check("order", "GET_INFO before ATTACH: not attached",
	      info.flags & ACCELSIM_INFO_ATTACHED ? EIO : 0, 0);
	check("order", "ATTACH", -asim_attach(fd, NULL, NULL), 0);
	check("order", "second ATTACH", -asim_attach(fd, NULL, NULL), EBUSY);
	check_usable("order", fd);
	close(fd);
}

static void group_attach(void)
{
	uint32_t spasid = 0, ppasid = 0;
	struct accelsim_ioctl_attach a;
	int fd = asim_open(dev), pfd;
	unsigned int i;
	char what[64];

	/* Every flag bit but the known ones is rejected, alone or not. */
	for (i = 0; i < 32; i++) {
		if (ACCELSIM_ATTACH_FLAGS & (1U << i))
			continue;
		memset(&a, 0, sizeof(a));
		a.flags = 1U << i;
		snprintf(what, sizeof(what), "flag bit %u set", i);
		check("attach", what, io(fd, ACCELSIM_IOCTL_ATTACH, &a),
		      EINVAL);
	}
	memset(&a, 0, sizeof(a));
	a.flags = ACCELSIM_ATTACH_PRIVATE_PASID | (1U << 31);
	check("attach", "PRIVATE_PASID with an unknown bit",
	      io(fd, ACCELSIM_IOCTL_ATTACH, &a), EINVAL);
	memset(&a, 0, sizeof(a));
	a.reserved0 = 1;
	check("attach", "reserved0 set", io(fd, ACCELSIM_IOCTL_ATTACH, &a),
	      EINVAL);
	for (i = 0; i < 4; i++) {
		memset(&a, 0, sizeof(a));
		a.reserved[i] = 1ULL << 63;
		snprintf(what, sizeof(what), "reserved[%u] set", i);
		check("attach", what, io(fd, ACCELSIM_IOCTL_ATTACH, &a),
		      EINVAL);
	}
	/* Rejected ATTACHes must not have attached anything. */
	check("attach", "valid ATTACH after rejected ones",
	      -asim_attach(fd, &spasid, NULL), 0);
	/* The known flag: a PASID of its own, not the process's. */
	pfd = asim_open(dev);
	check("attach", "ATTACH with PRIVATE_PASID",
	      -asim_attach_flags(pfd, ACCELSIM_ATTACH_PRIVATE_PASID, &ppasid,
				 NULL), 0);
	check("attach", "PRIVATE_PASID gives another PASID",
	      ppasid && ppasid != spasid ? 0 : EIO, 0);
	check_usable("attach private", pfd);
	close(pfd);
	check_usable("attach", fd);
	close(fd);
}

static void group_submit(void)
{
	struct accelsim_ioctl_submit s;
	int fd = ctx_attached();
	char buf[8192];
	unsigned int i;
	char what[64];

	for (i = 0; i < 4; i++) {
		s = good_submit(buf);
		s.reserved[i] = 1;
		snprintf(what, sizeof(what), "reserved[%u] set", i);
		check("submit", what, io(fd, ACCELSIM_IOCTL_SUBMIT, &s),
		      EINVAL);
	}
	s = good_submit(buf);
	s.op = 0;
	check("submit", "op 0", io(fd, ACCELSIM_IOCTL_SUBMIT, &s), EINVAL);
	s.op = ACCELSIM_OP_TOUCH + 1;
	check("submit", "op past TOUCH", io(fd, ACCELSIM_IOCTL_SUBMIT, &s),
	      EINVAL);
	s.op = 0xffffffff;
	check("submit", "op 0xffffffff", io(fd, ACCELSIM_IOCTL_SUBMIT, &s),
	      EINVAL);
	s = good_submit(buf);
	s.len = 0;
	check("submit", "len 0", io(fd, ACCELSIM_IOCTL_SUBMIT, &s), EINVAL);
	s.len = ACCELSIM_MAX_LEN + 1;
	check("submit", "len MAX_LEN+1", io(fd, ACCELSIM_IOCTL_SUBMIT, &s),
	      EINVAL);
	s.len = UINT64_MAX;
	check("submit", "len 2^64-1", io(fd, ACCELSIM_IOCTL_SUBMIT, &s),
	      EINVAL);
	s = good_submit(buf);
	s.dst = UINT64_MAX - 10;
	s.len = 100;
	check("submit", "dst range wraps", io(fd, ACCELSIM_IOCTL_SUBMIT, &s),
	      EINVAL);
	s = good_submit(buf);
	s.op = ACCELSIM_OP_COPY;
	s.src = UINT64_MAX - 4095;
	s.len = 8192;
	check("submit", "src range wraps", io(fd, ACCELSIM_IOCTL_SUBMIT, &s),
	      EINVAL);
	s = good_submit(buf);
	s.flags = 1U << 7;
	check("submit", "unknown flag", io(fd, ACCELSIM_IOCTL_SUBMIT, &s),
	      EINVAL);
	s.flags = ACCELSIM_SUBMIT_IRQ;
	check("submit", "IRQ flag without an IRQ range",
	      io(fd, ACCELSIM_IOCTL_SUBMIT, &s), EINVAL);
	s.flags = ACCELSIM_SUBMIT_WRITE;
	check("submit", "WRITE flag on FILL", io(fd, ACCELSIM_IOCTL_SUBMIT, &s),
	      EINVAL);
	s = good_submit(buf);
	s.pattern = 0x1ff;
	check("submit", "pattern above bit 7",
	      io(fd, ACCELSIM_IOCTL_SUBMIT, &s), EINVAL);
	s = good_submit(buf);
	s.hwirq = 3;
	check("submit", "hwirq without IRQ flag",
	      io(fd, ACCELSIM_IOCTL_SUBMIT, &s), EINVAL);
	s = good_submit(buf);
	s.src = (uintptr_t)buf;
	check("submit", "src on FILL", io(fd, ACCELSIM_IOCTL_SUBMIT, &s),
	      EINVAL);
	check_usable("submit", fd);
	close(fd);
}

static void group_terminate(void)
{
	struct accelsim_ioctl_terminate t;
	struct accelsim_ioctl_info info;
	struct asim_event ev;
	char buf[64];
	struct accelsim_ioctl_submit s = good_submit(buf);
	int fd = ctx_attached();

	memset(&t, 0, sizeof(t));
	t.flags = 1;
	check("terminate", "flags set", io(fd, ACCELSIM_IOCTL_TERMINATE, &t),
	      EINVAL);
	memset(&t, 0, sizeof(t));
	t.reserved[2] = 1;
	check("terminate", "reserved[2] set",
	      io(fd, ACCELSIM_IOCTL_TERMINATE, &t), EINVAL);
	check_usable("terminate", fd);
	memset(&t, 0, sizeof(t));
	check("terminate", "TERMINATE", io(fd, ACCELSIM_IOCTL_TERMINATE, &t),
	      0);
	check("terminate", "SUBMIT after TERMINATE",
	      io(fd, ACCELSIM_IOCTL_SUBMIT, &s), EINVAL);
	check("terminate", "ATTACH after TERMINATE",
	      -asim_attach(fd, NULL, NULL), EBUSY);
	memset(&info, 0, sizeof(info));
	check("terminate", "GET_INFO after TERMINATE",
	      io(fd, ACCELSIM_IOCTL_GET_INFO, &info), 0);
	check("terminate", "GET_INFO after TERMINATE: not attached",
	      info.flags & ACCELSIM_INFO_ATTACHED ? EIO : 0, 0);
	check("terminate", "read after TERMINATE is end of file",
	      read(fd, &ev, sizeof(ev)) == 0 ? 0 : EIO, 0);
	check("terminate", "second TERMINATE",
	      io(fd, ACCELSIM_IOCTL_TERMINATE, &t), 0);
	close(fd);
}

static void group_unknown(void)
{
	char raw[256];
	int fd = ctx_attached();

	memset(raw, 0, sizeof(raw));
	check("unknown", "unused number",
	      io(fd, _IO(ACCELSIM_MAGIC, 0x40), raw), ENOTTY);
	check("unknown", "ATTACH number with another size",
	      io(fd, _IOWR(ACCELSIM_MAGIC, _IOC_NR(ACCELSIM_IOCTL_ATTACH),
			 char[8]), raw), ENOTTY);
	check("unknown", "other magic", io(fd, _IOWR('x',
		_IOC_NR(ACCELSIM_IOCTL_ATTACH), struct accelsim_ioctl_attach),
		raw), ENOTTY);
	/* ocxl's type and ATTACH number, where these ioctls used to be. */
	check("unknown", "the old 0xCA type",
	      io(fd, _IOWR(0xCA, 0x10, struct accelsim_ioctl_attach), raw),
	      ENOTTY);
	check("unknown", "SUBMIT number with wrong direction",
	      io(fd, _IOW(ACCELSIM_MAGIC, _IOC_NR(ACCELSIM_IOCTL_SUBMIT),
			 struct accelsim_ioctl_submit),
		 raw), ENOTTY);
	check_usable("unknown", fd);
	close(fd);
}

static void group_read(void)
{
	struct accelsim_event_work_done done;
	struct asim_event ev;
	char buf[64], small[sizeof(struct accelsim_event_header) + 8];
	uint64_t id = 0;
	int fd = ctx_attached();
	ssize_t n;

	check("read", "non-blocking read with nothing queued",
	      (fcntl(fd, F_SETFL, O_NONBLOCK), read(fd, &ev, sizeof(ev)) < 0 ?
	       errno : 0), EAGAIN);
	fcntl(fd, F_SETFL, 0);
	check("read", "submit", -asim_submit(fd, ACCELSIM_OP_FILL, 0, 0,
					     (uintptr_t)buf, sizeof(buf), 77,
					     1, &id), 0);
	/* Let it complete, then read with a short buffer. */
	usleep(200000);
	check("read", "short buffer",
	      read(fd, small, sizeof(small)) < 0 ? errno : 0, EINVAL);
	n = read(fd, &ev, sizeof(ev));
	check("read", "event stayed queued",
	      n == (ssize_t)(sizeof(ev.hdr) + sizeof(ev.body.work_done)) &&
	      ev.hdr.type == ACCELSIM_EVENT_WORK_DONE &&
	      ev.hdr.version == 1 && !ev.hdr.reserved &&
	      ev.body.work_done.id == id && ev.body.work_done.tag == 77 ?
	      0 : EIO, 0);
	done = ev.body.work_done;
	check("read", "reserved fields of the event are zero",
	      done.reserved0 || done.reserved[0] || done.reserved[1] ?
	      EIO : 0, 0);
	check_usable("read", fd);
	close(fd);
}

static void group_info(void)
{
	struct accelsim_ioctl_info info;
	uint32_t pasid = 0, pe = 0;
	int fd = asim_open(dev), err;

	err = asim_attach(fd, &pasid, &pe);
	check("info", "ATTACH", -err, 0);
	memset(&info, 0xff, sizeof(info));
	check("info", "GET_INFO", io(fd, ACCELSIM_IOCTL_GET_INFO, &info), 0);
	check("info", "version, flags, pasid, pe, page size",
	      info.version == ACCELSIM_API_VERSION &&
	      info.flags == ACCELSIM_INFO_ATTACHED && info.pasid == pasid &&
	      info.pe == pe && info.dev == dev && info.page_size == 4096 &&
	      info.max_pe >= 1 && info.pasid_bits >= 1 &&
	      info.atc_entries > 0 ? 0 : EIO, 0);
	check("info", "reserved fields zeroed",
	      memchr(info.reserved, 0xff, sizeof(info.reserved)) ? EIO : 0,
	      0);
	check_usable("info", fd);
	close(fd);
}

static void group_fork(void)
{
	int fd = ctx_attached(), status;
	char buf[64];
	pid_t pid;

	pid = fork();
	if (pid < 0)
		asim_die("fork: %s", strerror(errno));
	if (!pid) {
		/* Another mm: it may not queue work into the parent's. */
		int err = asim_submit(fd, ACCELSIM_OP_FILL, 0, 0,
				      (uintptr_t)buf, sizeof(buf), 0, 1,
				      NULL);

		_exit(err == -EPERM ? 0 : 1);
	}
	waitpid(pid, &status, 0);
	check("fork", "SUBMIT from a forked child",
	      WIFEXITED(status) && !WEXITSTATUS(status) ? EPERM : EIO, EPERM);
	check_usable("fork", fd);
	close(fd);
}

int main(int argc, char **argv)
{
	int opt, i;

	while ((opt = getopt(argc, argv, "d:")) != -1) {
		if (opt != 'd')
			asim_die("usage: asim_ioctl [-d DEV] GROUP...");
		dev = strtoul(optarg, NULL, 0);
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = optind; i < argc; i++) {
		if (!strcmp(argv[i], "order"))
			group_order();
		else if (!strcmp(argv[i], "attach"))
			group_attach();
		else if (!strcmp(argv[i], "submit"))
			group_submit();
		else if (!strcmp(argv[i], "terminate"))
			group_terminate();
		else if (!strcmp(argv[i], "unknown"))
			group_unknown();
		else if (!strcmp(argv[i], "read"))
			group_read();
		else if (!strcmp(argv[i], "info"))
			group_info();
		else if (!strcmp(argv[i], "fork"))
			group_fork();
		else
			asim_die("unknown group %s", argv[i]);
	}
	return failures ? 1 : 0;
}
