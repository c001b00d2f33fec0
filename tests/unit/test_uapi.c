// SPDX-License-Identifier: MIT
/*
 * Unit tests: UAPI wrappers. Without the driver, the ioctls are checked
 * to pass errno through (/dev/null answers ENOTTY); the event decoder is
 * checked on built buffers.
 */
#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "unit.h"
#include "accel_uapi.h"

static void test_open_missing(void **state)
{
	assert_int_equal(accel_open("/nonexistent", 0), -ENOENT);
}

static void test_ioctls_pass_errno(void **state)
{
	struct accelsim_ioctl_submit s;
	struct accelsim_ioctl_info info;
	uint32_t pasid = 7, pe = 7, hw = 7;
	int fd = open("/dev/null", O_RDWR);

	assert_true(fd >= 0);
	assert_int_equal(accel_attach(fd, &pasid, &pe), -ENOTTY);
	assert_int_equal(pasid, 7);	/* untouched on failure */
	assert_int_equal(accel_get_info(fd, &info), -ENOTTY);
	memset(&s, 0, sizeof(s));
	s.reserved[0] = 5;
	assert_int_equal(accel_submit(fd, &s), -ENOTTY);
	assert_int_equal(s.reserved[0], 0);	/* cleared by the wrapper */
	assert_int_equal(accel_terminate(fd), -ENOTTY);
	assert_int_equal(accel_irq_alloc(fd, 4, &hw), -ENOTTY);
	assert_int_equal(hw, 7);
	assert_int_equal(accel_irq_free(fd, 0), -ENOTTY);
	assert_int_equal(accel_irq_set_fd(fd, 0, -1), -ENOTTY);
	assert_int_equal(accel_close(fd), 0);
	assert_int_equal(accel_attach(fd, NULL, NULL), -EBADF);
	assert_int_equal(accel_close(fd), -EBADF);
}

/*
 * The ioctl numbers use type 0xDA, numbers 0x00-0x1F, which no one has
 * registered in the kernel's ioctl-number.rst; never 0xCA, ocxl's (and
 * cxl's and cxlflash's) type. Each number is distinct and carries its
 * struct's size and direction.
 */
static void test_ioctl_numbers(void **state)
{
	static const struct {
		unsigned long cmd;
		unsigned int dir;
		size_t size;
	} cmds[] = {
		{ ACCELSIM_IOCTL_ATTACH, _IOC_READ | _IOC_WRITE,
		  sizeof(struct accelsim_ioctl_attach) },
		{ ACCELSIM_IOCTL_GET_INFO, _IOC_READ,
		  sizeof(struct accelsim_ioctl_info) },
		{ ACCELSIM_IOCTL_SUBMIT, _IOC_READ | _IOC_WRITE,
		  sizeof(struct accelsim_ioctl_submit) },
		{ ACCELSIM_IOCTL_TERMINATE, _IOC_WRITE,
		  sizeof(struct accelsim_ioctl_terminate) },
		{ ACCELSIM_IOCTL_IRQ_ALLOC, _IOC_READ | _IOC_WRITE,
		  sizeof(struct accelsim_ioctl_irq_alloc) },
		{ ACCELSIM_IOCTL_IRQ_FREE, _IOC_WRITE,
		  sizeof(struct accelsim_ioctl_irq_free) },
		{ ACCELSIM_IOCTL_IRQ_SET_FD, _IOC_WRITE,
		  sizeof(struct accelsim_ioctl_irq_set_fd) },
	};
	size_t i, j;

	assert_int_equal(ACCELSIM_MAGIC, 0xDA);
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		assert_int_equal(_IOC_TYPE(cmds[i].cmd), 0xDA);
		assert_int_not_equal(_IOC_TYPE(cmds[i].cmd), 0xCA);
		assert_int_equal(_IOC_NR(cmds[i].cmd), i);
		assert_int_equal(_IOC_DIR(cmds[i].cmd), cmds[i].dir);
		assert_int_equal(_IOC_SIZE(cmds[i].cmd), cmds[i].size);
		for (j = 0; j < i; j++)
			assert_int_not_equal(cmds[i].cmd, cmds[j].cmd);
	}
}

static size_t put_event(unsigned char *buf, uint16_t type, const void *body,
			uint32_t size)
{
	struct accelsim_event_header h = { type, 1, size, 0 };

	memcpy(buf, &h, sizeof(h));
	memcpy(buf + sizeof(h), body, size);
	return sizeof(h) + size;
}

static void test_event_decode(void **state)
{
	struct accelsim_event_work_done wd = { .id = 9, .tag = 42,
		.bytes = 4096, .status = ACCELSIM_STATUS_OK };
	struct accelsim_event_afu_error ae = { .code = 0xdead };
	unsigned char buf[256], big[64];
	struct accel_event ev;
	size_t len = 0, off = 0;

	len += put_event(buf + len, ACCELSIM_EVENT_WORK_DONE, &wd,
			 sizeof(wd));
	len += put_event(buf + len, ACCELSIM_EVENT_AFU_ERROR, &ae,
			 sizeof(ae));
	/* an unknown future event type is returned for skipping */
	memset(big, 0xab, sizeof(big));
	len += put_event(buf + len, 77, big, 24);
	assert_int_equal(accel_event_next(buf, len, &off, &ev), 1);
	assert_int_equal(ev.type, ACCELSIM_EVENT_WORK_DONE);
	assert_int_equal(ev.u.work_done.tag, 42);
	assert_int_equal(ev.u.work_done.bytes, 4096);
	assert_int_equal(accel_event_next(buf, len, &off, &ev), 1);
	assert_int_equal(ev.type, ACCELSIM_EVENT_AFU_ERROR);
	assert_int_equal(ev.u.afu_error.code, 0xdead);
	assert_int_equal(accel_event_next(buf, len, &off, &ev), 1);
	assert_int_equal(ev.type, 77);
	assert_int_equal(ev.u.afu_error.code, 0);
	assert_int_equal(accel_event_next(buf, len, &off, &ev), 0);
	assert_int_equal(off, len);
}

static void test_event_malformed(void **state)
{
	struct accelsim_event_work_done wd = { .id = 1 };
	struct accelsim_event_header h;
	unsigned char buf[256];
	struct accel_event ev;
	size_t len, off;

	len = put_event(buf, ACCELSIM_EVENT_WORK_DONE, &wd, sizeof(wd));
	off = 0;	/* truncated body */
	assert_int_equal(accel_event_next(buf, len - 1, &off, &ev), -EPROTO);
	assert_int_equal(off, 0);
	off = 0;	/* truncated header */
	assert_int_equal(accel_event_next(buf, 5, &off, &ev), -EPROTO);
	memcpy(&h, buf, sizeof(h));
	h.version = 2;	/* unknown version */
	memcpy(buf, &h, sizeof(h));
	off = 0;
	assert_int_equal(accel_event_next(buf, len, &off, &ev), -EPROTO);
	h.version = 1;
	h.reserved = 1;	/* reserved must be zero */
	memcpy(buf, &h, sizeof(h));
	assert_int_equal(accel_event_next(buf, len, &off, &ev), -EPROTO);
	h.reserved = 0;
	h.size = 8;	/* known type, body too short */
	memcpy(buf, &h, sizeof(h));
	assert_int_equal(accel_event_next(buf, len, &off, &ev), -EPROTO);
}

static void test_read_events(void **state)
{
	unsigned char buf[ACCEL_EVENT_MAX];
	int p[2];

	assert_int_equal(pipe(p), 0);
	assert_int_equal(write(p[1], "abcd", 4), 4);
	close(p[1]);
	assert_int_equal(accel_read_events(p[0], buf, sizeof(buf)), 4);
	assert_int_equal(accel_read_events(p[0], buf, sizeof(buf)), 0);
	close(p[0]);
	assert_int_equal(accel_read_events(p[0], buf, sizeof(buf)), -EBADF);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_missing),
		cmocka_unit_test(test_ioctls_pass_errno),
		cmocka_unit_test(test_ioctl_numbers),
		cmocka_unit_test(test_event_decode),
		cmocka_unit_test(test_event_malformed),
		cmocka_unit_test(test_read_events),
	};

	return cmocka_run_group_tests_name("uapi", tests, NULL, NULL);
}
