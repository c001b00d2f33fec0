// SPDX-License-Identifier: MIT
/*
 * libaccel: the control plane (accel_control.h): every control write of
 * the tools, their paths under the accelsim bus in sysfs, and the cause
 * of a refusal.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "accel.h"
#include "accel_control.h"
#include "accel_views.h"

const char *const accel_inject_knobs[] = {
	"hold_faults", "fault_delay_ns", "tlbi_delay_ns", "fail_attach",
	"hang_terminate", NULL
};

const char *accel_sysfs_root(const char *override)
{
	const char *env;

	if (override && *override)
		return override;
	env = getenv("ACCEL_SYSFS");
	if (env && *env)
		return env;
	return ACCEL_SYSFS_DEFAULT;
}

int accel_ctl_path(const char *root, int dev, const char *file, char *buf,
		   size_t size)
{
	int n;

	if (dev < 0)
		n = snprintf(buf, size, "%s/%s", root, file);
	else
		n = snprintf(buf, size, "%s/devices/afu%d%s%s", root, dev,
			     *file ? "/" : "", file);
	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

int accel_ctl_write(const char *path, const char *text)
{
	size_t len = strlen(text);
	ssize_t w;
	int fd, ret = 0;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	do {
		w = write(fd, text, len);
	} while (w < 0 && errno == EINTR);
	if (w < 0)
		ret = -errno;
	else if ((size_t)w != len)
		ret = -EIO;
	if (close(fd) && !ret)
		ret = -errno;
	return ret;
}

/* Write text to file of afuDEV (dev < 0: a bus control); fill done. */
static int ctl_do(const char *root, int dev, const char *file,
		  const char *text, struct accel_ctl_done *done)
{
	char path[4096];
	int ret;

	if (done) {
		snprintf(done->file, sizeof(done->file), "%s", file);
		snprintf(done->text, sizeof(done->text), "%s", text);
	}
	ret = accel_ctl_path(root, dev, file, path, sizeof(path));
	return ret ? ret : accel_ctl_write(path, text);
}

int accel_bus_devices(const char *root, unsigned int *ids, size_t max)
{
	char path[4096];
	int ret;

	ret = accel_ctl_path(root, -1, "devices", path, sizeof(path));
	return ret ? ret : accel_list_devices(path, ids, max);
}

const char *accel_dev_add_hint(char *buf, size_t size)
{
	snprintf(buf, size, "echo 0 > %s/new_device", accel_sysfs_root(NULL));
	return buf;
}

int accel_dev_add(const char *root, unsigned int id, uint32_t max_pe,
		  uint32_t irq_budget, struct accel_ctl_done *done)
{
	char text[64];
	int n;

	if (irq_budget && !max_pe)
		return -EINVAL;
	n = snprintf(text, sizeof(text), "%u", id);
	if (max_pe)
		n += snprintf(text + n, sizeof(text) - n, " %" PRIu32, max_pe);
	if (irq_budget)
		snprintf(text + n, sizeof(text) - n, " %" PRIu32, irq_budget);
	return ctl_do(root, -1, "new_device", text, done);
}

int accel_dev_del(const char *root, unsigned int id,
		  struct accel_ctl_done *done)
{
	char text[32];

	snprintf(text, sizeof(text), "%u", id);
	return ctl_do(root, -1, "del_device", text, done);
}

/* The controls that take one number, and those that take two. */
static int ctl_u64(const char *root, unsigned int dev, const char *file,
		   uint64_t v, struct accel_ctl_done *done)
{
	char text[32];

	snprintf(text, sizeof(text), "%" PRIu64, v);
	return ctl_do(root, (int)dev, file, text, done);
}

static int ctl_u64_pair(const char *root, unsigned int dev, const char *file,
			uint64_t a, uint64_t b, struct accel_ctl_done *done)
{
	char text[64];

	snprintf(text, sizeof(text), "%" PRIu64 " %" PRIu64, a, b);
	return ctl_do(root, (int)dev, file, text, done);
}

/* The on/off controls: "1" or "0". */
static int ctl_flag(const char *root, unsigned int dev, const char *file,
		    bool on, struct accel_ctl_done *done)
{
	return ctl_do(root, (int)dev, file, on ? "1" : "0", done);
}

int accel_inject_fault(const char *root, unsigned int dev, uint32_t pasid,
		       uint64_t addr, bool write, struct accel_ctl_done *done)
{
	char text[96];

	snprintf(text, sizeof(text), "%" PRIu32 " 0x%" PRIx64 " %s", pasid,
		 addr, write ? "write" : "read");
	return ctl_do(root, (int)dev, "inject/fault", text, done);
}

int accel_inject_afu_error(const char *root, unsigned int dev, uint32_t pe,
			   uint64_t code, struct accel_ctl_done *done)
{
	return ctl_u64_pair(root, dev, "inject/afu_error", pe, code, done);
}

int accel_inject_irq(const char *root, unsigned int dev, uint32_t hwirq,
		     struct accel_ctl_done *done)
{
	return ctl_u64(root, dev, "inject/irq", hwirq, done);
}

int accel_inject_hold_faults(const char *root, unsigned int dev, bool on,
			     struct accel_ctl_done *done)
{
	return ctl_flag(root, dev, ACCEL_CTL_HOLD_FAULTS, on, done);
}

int accel_inject_release_faults(const char *root, unsigned int dev,
				struct accel_ctl_done *done)
{
	return ctl_do(root, (int)dev, "inject/release_faults", "1", done);
}

int accel_inject_tlbi_delay(const char *root, unsigned int dev, uint64_t ns,
			    struct accel_ctl_done *done)
{
	return ctl_u64(root, dev, "inject/tlbi_delay_ns", ns, done);
}

int accel_inject_fault_delay(const char *root, unsigned int dev, uint64_t ns,
			     struct accel_ctl_done *done)
{
	return ctl_u64(root, dev, "inject/fault_delay_ns", ns, done);
}

int accel_inject_fail_attach(const char *root, unsigned int dev, uint32_t n,
			     uint32_t err, struct accel_ctl_done *done)
{
	return ctl_u64_pair(root, dev, "inject/fail_attach", n, err, done);
}

int accel_inject_hang_terminate(const char *root, unsigned int dev, bool on,
				struct accel_ctl_done *done)
{
	return ctl_flag(root, dev, "inject/hang_terminate", on, done);
}

const char *accel_knob_control(const char *knob, char *buf, size_t size)
{
	snprintf(buf, size, "inject/%s", knob);
	return buf;
}

int accel_knob_path(const char *root, unsigned int dev, const char *knob,
		    char *buf, size_t size)
{
	char file[64];

	accel_knob_control(knob, file, sizeof(file));
	return accel_ctl_path(root, (int)dev, file, buf, size);
}

int accel_knob_read(const char *root, unsigned int dev, const char *knob,
		    char **buf, size_t *len)
{
	char path[4096];
	int ret;

	ret = accel_knob_path(root, dev, knob, path, sizeof(path));
	return ret ? ret : accel_read_file(path, buf, len);
}

int accel_kctx_create(const char *root, unsigned int dev, uint64_t size,
		      struct accel_ctl_done *done)
{
	char text[64];

	if (size)
		snprintf(text, sizeof(text), "create %" PRIu64, size);
	else
		snprintf(text, sizeof(text), "create");
	return ctl_do(root, (int)dev, "kctx", text, done);
}

int accel_kctx_submit(const char *root, unsigned int dev, uint32_t pe,
		      const char *op, uint64_t src, uint64_t dst, uint64_t len,
		      uint32_t pattern, struct accel_ctl_done *done)
{
	char text[160];

	if (!op || strspn(op, "abcdefghijklmnopqrstuvwxyz") != strlen(op) ||
	    strlen(op) > 16)
		return -EINVAL;
	snprintf(text, sizeof(text), "submit %" PRIu32 " %s 0x%" PRIx64
		 " 0x%" PRIx64 " %" PRIu64 " %" PRIu32, pe, op, src, dst, len,
		 pattern);
	return ctl_do(root, (int)dev, "kctx", text, done);
}

int accel_kctx_destroy(const char *root, unsigned int dev, uint32_t pe,
		       struct accel_ctl_done *done)
{
	char text[32];

	snprintf(text, sizeof(text), "destroy %" PRIu32, pe);
	return ctl_do(root, (int)dev, "kctx", text, done);
}

int accel_lockdown_mode(char *mode, size_t size)
{
	const char *env = getenv("ACCEL_SECURITYFS");
	char path[4096], *buf, *l, *r;
	size_t len;
	int ret;

	snprintf(path, sizeof(path), "%s/lockdown",
		 env && *env ? env : ACCEL_SECURITYFS_DEFAULT);
	ret = accel_read_file(path, &buf, &len);
	if (ret)
		return ret;
	l = strchr(buf, '[');
	r = l ? strchr(l, ']') : NULL;
	if (!r) {
		free(buf);
		return -EINVAL;
	}
	*r = '\0';
	snprintf(mode, size, "%s", l + 1);
	free(buf);
	return 0;
}

const char *accel_refusal(int err, char *buf, size_t size)
{
	char mode[32];

	if (err != -EPERM && err != -EACCES) {
		snprintf(buf, size, "%s", strerror(-err));
		return buf;
	}
	/*
	 * Lockdown refuses with EPERM; EACCES is a file's mode, which root
	 * passes, so it is lockdown's too only for root.
	 */
	if ((err == -EPERM || geteuid() == 0) &&
	    !accel_lockdown_mode(mode, sizeof(mode)) && strcmp(mode, "none"))
		snprintf(buf, size, "refused by kernel lockdown (%s)", mode);
	else
		snprintf(buf, size, "permission denied (need root)");
	return buf;
}
