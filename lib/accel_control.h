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

/*
 * The device numbers N of every afuN on the bus (ROOT/devices), sorted,
 * as accel_list_devices(). The count, or a negative errno.
 */
int accel_bus_devices(const char *root, unsigned int *ids, size_t max);

/* How to create a device, for a hint: "echo 0 > ROOT/new_device". */
const char *accel_dev_add_hint(char *buf, size_t size);

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

/* The control that holds new faults (the "held" of the faults view). */
#define ACCEL_CTL_HOLD_FAULTS "inject/hold_faults"

/*
 * The inject actions, one table for the tools: each verb (the word on
 * accelctl's command line), its operand count and the inject/ file it
 * writes. "show" writes nothing: it reads the knobs back.
 */
enum accel_inject_kind {
	ACCEL_INJ_FAULT,		/* PASID ADDR [read|write] */
	ACCEL_INJ_AFU_ERROR,		/* PE [CODE], CODE default 1 */
	ACCEL_INJ_IRQ,			/* HWIRQ */
	ACCEL_INJ_HOLD_FAULTS,		/* [on|off|1|0], default on */
	ACCEL_INJ_RELEASE_FAULTS,
	ACCEL_INJ_TLBI_DELAY,		/* DURATION (accel_parse_duration) */
	ACCEL_INJ_FAULT_DELAY,		/* DURATION */
	ACCEL_INJ_FAIL_ATTACH,		/* N [ERRNO], 1..133 or a name */
	ACCEL_INJ_HANG_TERMINATE,	/* on|off|1|0 */
	ACCEL_INJ_SHOW,
};

struct accel_inject_act {
	const char *verb;		/* "hold-faults" */
	const char *file;		/* "hold_faults" under inject/; NULL */
	int min, max;			/* operands */
	enum accel_inject_kind kind;
};

/* The actions in the order of accelctl's help, ending with a NULL verb. */
extern const struct accel_inject_act accel_inject_acts[];

/* An action's operands, parsed. */
struct accel_inject_req {
	uint32_t u32, u32b;		/* PASID, PE, HWIRQ, N; ERRNO */
	uint64_t u64;			/* ADDR, CODE, ns */
	bool on;
	bool write;
};

/*
 * Parse the n operands op of act (n within act->min..max) into r. 0, or
 * -EINVAL with why saying which operand is bad ("bad PASID 'x'").
 */
int accel_inject_parse(const struct accel_inject_act *act, int n,
		       char *const *op, struct accel_inject_req *r,
		       char *why, size_t size);

/*
 * Whether afuDEV has act's control (for show: its inject/ directory). 0,
 * or -ENOENT with why: "afuN has no inject/ directory", "the driver has
 * no inject/FILE control".
 */
int accel_inject_check(const char *root, unsigned int dev,
		       const struct accel_inject_act *act, char *why,
		       size_t size);

/* Carry out act (not show) on afuDEV with r, as its accel_inject_* verb. */
int accel_inject(const char *root, unsigned int dev,
		 const struct accel_inject_act *act,
		 const struct accel_inject_req *r, struct accel_ctl_done *done);

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

/* The control of knob, relative to the device ("inject/KNOB"). Returns buf. */
const char *accel_knob_control(const char *knob, char *buf, size_t size);

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
