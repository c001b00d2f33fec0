/* SPDX-License-Identifier: MIT */
/*
 * libaccel: the driver's control plane, the one place that knows its
 * paths and its write grammar (accelsim(4), doc/contract.md). The
 * controls are sysfs attributes of the accelsim bus, so they work under
 * lockdown=integrity, which refuses every writable debugfs file:
 *
 *   ROOT/new_device                "ID [MAX_PE [IRQ_BUDGET]]"
 *   ROOT/del_device                "ID"
 *   ROOT/devices/afuN/inject/FILE  the fault-injection controls
 *   ROOT/devices/afuN/kctx         "create [SIZE]", "destroy PE",
 *                                  "submit PE OP SRC DST LEN [PATTERN]"
 *
 * ROOT is accel_sysfs_root(): $ACCEL_SYSFS, else ACCEL_SYSFS_DEFAULT.
 * Every write returns 0 or a negative errno (open or write); when done is
 * not NULL it is filled with the control written (relative to the device,
 * or to ROOT for the bus controls) and the text, for the tools' messages.
 */
#ifndef ACCEL_CONTROL_H
#define ACCEL_CONTROL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ACCEL_SYSFS_DEFAULT "/sys/bus/accelsim"
#define ACCEL_SECURITYFS_DEFAULT "/sys/kernel/security"

/* The bus root: override, else $ACCEL_SYSFS, else the default. */
const char *accel_sysfs_root(const char *override);

/* What a control write wrote. */
struct accel_ctl_done {
	char file[48];		/* "inject/hold_faults", "kctx", "new_device" */
	char text[160];		/* the text written, without a newline */
};

/*
 * The path of afuDEV's control file (e.g. "inject/irq", "kctx"), or with
 * dev < 0 of a bus control ("new_device") or, for file "", the device's
 * directory. -ENAMETOOLONG if it does not fit.
 */
int accel_ctl_path(const char *root, int dev, const char *file, char *buf,
		   size_t size);

/* Write text to the control at path in one write(). 0 or -errno. */
int accel_ctl_write(const char *path, const char *text);

/* Device add and delete. max_pe and irq_budget 0: the driver's default. */
int accel_dev_add(const char *root, unsigned int id, uint32_t max_pe,
		  uint32_t irq_budget, struct accel_ctl_done *done);
int accel_dev_del(const char *root, unsigned int id,
		  struct accel_ctl_done *done);

/* The inject/ verbs of afuDEV. Durations in ns. */
int accel_inject_fault(const char *root, unsigned int dev, uint32_t pasid,
		       uint64_t addr, bool write, struct accel_ctl_done *done);
int accel_inject_afu_error(const char *root, unsigned int dev, uint32_t pe,
			   uint64_t code, struct accel_ctl_done *done);
int accel_inject_irq(const char *root, unsigned int dev, uint32_t hwirq,
		     struct accel_ctl_done *done);
int accel_inject_hold_faults(const char *root, unsigned int dev, bool on,
			     struct accel_ctl_done *done);
int accel_inject_release_faults(const char *root, unsigned int dev,
				struct accel_ctl_done *done);
int accel_inject_tlbi_delay(const char *root, unsigned int dev, uint64_t ns,
			    struct accel_ctl_done *done);
int accel_inject_fault_delay(const char *root, unsigned int dev, uint64_t ns,
			     struct accel_ctl_done *done);
int accel_inject_fail_attach(const char *root, unsigned int dev, uint32_t n,
			     uint32_t err, struct accel_ctl_done *done);
int accel_inject_hang_terminate(const char *root, unsigned int dev, bool on,
				struct accel_ctl_done *done);

/* The inject/ knobs that read back, NULL-terminated. */
extern const char *const accel_inject_knobs[];

/* The path of knob (one of accel_inject_knobs) of afuDEV, as above. */
int accel_knob_path(const char *root, unsigned int dev, const char *knob,
		    char *buf, size_t size);

/*
 * Read knob (one of accel_inject_knobs) of afuDEV into a malloc()ed,
 * NUL-terminated *buf. 0 or -errno (-ENOENT: no such knob or device).
 */
int accel_knob_read(const char *root, unsigned int dev, const char *knob,
		    char **buf, size_t *len);

/*
 * Kernel contexts of afuDEV. size 0: the driver's default buffer. op:
 * "copy", "fill", "compare" or "touch"; src and dst are buffer offsets.
 */
int accel_kctx_create(const char *root, unsigned int dev, uint64_t size,
		      struct accel_ctl_done *done);
int accel_kctx_submit(const char *root, unsigned int dev, uint32_t pe,
		      const char *op, uint64_t src, uint64_t dst, uint64_t len,
		      uint32_t pattern, struct accel_ctl_done *done);
int accel_kctx_destroy(const char *root, unsigned int dev, uint32_t pe,
		       struct accel_ctl_done *done);

/*
 * The kernel's lockdown mode, the bracketed word of
 * $ACCEL_SECURITYFS/lockdown (default ACCEL_SECURITYFS_DEFAULT): "none",
 * "integrity" or "confidentiality". 0, or -errno when it cannot be read
 * (securityfs not mounted, no lockdown LSM).
 */
int accel_lockdown_mode(char *mode, size_t size);

/*
 * Why the kernel refused an access with err (a negative errno), as a few
 * words for a one-line error: for -EPERM and -EACCES "refused by kernel
 * lockdown (MODE)" when lockdown is raised, else "permission denied (need
 * root)"; otherwise strerror(). Returns buf.
 */
const char *accel_refusal(int err, char *buf, size_t size);

#endif /* ACCEL_CONTROL_H */
