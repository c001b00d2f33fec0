// SPDX-License-Identifier: MIT
/*
 * libaccel: the inject actions (accel_control.h): the table of verbs with
 * their operands and inject/ files, the operands' grammar, and the one
 * entry that carries an action out through control.c's writers.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "accel_control.h"
#include "accel_format.h"

const struct accel_inject_act accel_inject_acts[] = {
	{ "fault", "fault", 2, 3, ACCEL_INJ_FAULT },
	{ "afu-error", "afu_error", 1, 2, ACCEL_INJ_AFU_ERROR },
	{ "irq", "irq", 1, 1, ACCEL_INJ_IRQ },
	{ "hold-faults", "hold_faults", 0, 1, ACCEL_INJ_HOLD_FAULTS },
	{ "release-faults", "release_faults", 0, 0, ACCEL_INJ_RELEASE_FAULTS },
	{ "tlbi-delay", "tlbi_delay_ns", 1, 1, ACCEL_INJ_TLBI_DELAY },
	{ "fault-delay", "fault_delay_ns", 1, 1, ACCEL_INJ_FAULT_DELAY },
	{ "fail-attach", "fail_attach", 1, 2, ACCEL_INJ_FAIL_ATTACH },
	{ "hang-terminate", "hang_terminate", 1, 1, ACCEL_INJ_HANG_TERMINATE },
	{ "show", NULL, 0, 0, ACCEL_INJ_SHOW },
	{ NULL, NULL, 0, 0, ACCEL_INJ_SHOW }
};

static int parse_onoff(const char *s, bool *v)
{
	if (!strcmp(s, "on") || !strcmp(s, "1")) {
		*v = true;
		return 0;
	}
	if (!strcmp(s, "off") || !strcmp(s, "0")) {
		*v = false;
		return 0;
	}
	return -EINVAL;
}

/* An errno 1..133, by number or by name ("EIO"). */
static int parse_errno(const char *s, uint32_t *e)
{
	const char *name;
	uint32_t i;

	if (!accel_parse_u32(s, e))
		return *e >= 1 && *e <= 133 ? 0 : -EINVAL;
	for (i = 1; i <= 133; i++) {
		name = strerrorname_np((int)i);
		if (name && !strcmp(name, s)) {
			*e = i;
			return 0;
		}
	}
	return -EINVAL;
}

/* Fill why and return -EINVAL. */
static int bad(char *why, size_t size, const char *what, const char *op,
	       const char *hint)
{
	snprintf(why, size, "bad %s '%s'%s%s%s", what, op, hint ? " (" : "",
		 hint ? hint : "", hint ? ")" : "");
	return -EINVAL;
}

int accel_inject_parse(const struct accel_inject_act *a, int n,
		       char *const *op, struct accel_inject_req *r,
		       char *why, size_t size)
{
	double ns;

	switch (a->kind) {
	case ACCEL_INJ_FAULT:
		if (accel_parse_u32(op[0], &r->u32))
			return bad(why, size, "PASID", op[0], NULL);
		if (accel_parse_u64(op[1], &r->u64))
			return bad(why, size, "address", op[1],
				   "0x hex or decimal");
		if (n > 2 && strcmp(op[2], "read") && strcmp(op[2], "write"))
			return bad(why, size, "access", op[2], "read or write");
		r->write = n > 2 && !strcmp(op[2], "write");
		break;
	case ACCEL_INJ_AFU_ERROR:
		if (accel_parse_u32(op[0], &r->u32))
			return bad(why, size, "PE", op[0], NULL);
		r->u64 = 1;
		if (n > 1 && accel_parse_u64(op[1], &r->u64))
			return bad(why, size, "code", op[1], NULL);
		break;
	case ACCEL_INJ_IRQ:
		if (accel_parse_u32(op[0], &r->u32))
			return bad(why, size, "HWIRQ", op[0], NULL);
		break;
	case ACCEL_INJ_HOLD_FAULTS:
		r->on = true;
		if (n && parse_onoff(op[0], &r->on))
			return bad(why, size, "value", op[0], "on or off");
		break;
	case ACCEL_INJ_TLBI_DELAY:
	case ACCEL_INJ_FAULT_DELAY:
		if (accel_parse_duration(op[0], &ns) || ns > 1.8e19)
			return bad(why, size, "duration", op[0],
				   "e.g. 500us, 2ms, 0");
		r->u64 = (uint64_t)ns;
		break;
	case ACCEL_INJ_FAIL_ATTACH:
		if (accel_parse_u32(op[0], &r->u32))
			return bad(why, size, "count", op[0], NULL);
		r->u32b = EIO;
		if (n > 1 && parse_errno(op[1], &r->u32b))
			return bad(why, size, "errno", op[1],
				   "1..133 or a name like EIO");
		break;
	case ACCEL_INJ_HANG_TERMINATE:
		if (parse_onoff(op[0], &r->on))
			return bad(why, size, "value", op[0], "on or off");
		break;
	default:
		break;
	}
	return 0;
}

int accel_inject_check(const char *root, unsigned int dev,
		       const struct accel_inject_act *a, char *why,
		       size_t size)
{
	char path[4200], file[64];

	accel_ctl_path(root, (int)dev, "inject", path, sizeof(path));
	if (access(path, F_OK)) {
		snprintf(why, size, "afu%u has no inject/ directory", dev);
		return -ENOENT;
	}
	if (!a->file)
		return 0;
	accel_knob_control(a->file, file, sizeof(file));
	accel_ctl_path(root, (int)dev, file, path, sizeof(path));
	if (access(path, F_OK)) {
		snprintf(why, size, "the driver has no %s control", file);
		return -ENOENT;
	}
	return 0;
}

int accel_inject(const char *root, unsigned int dev,
		 const struct accel_inject_act *a,
		 const struct accel_inject_req *r, struct accel_ctl_done *done)
{
	switch (a->kind) {
	case ACCEL_INJ_FAULT:
		return accel_inject_fault(root, dev, r->u32, r->u64, r->write,
					  done);
	case ACCEL_INJ_AFU_ERROR:
		return accel_inject_afu_error(root, dev, r->u32, r->u64, done);
	case ACCEL_INJ_IRQ:
		return accel_inject_irq(root, dev, r->u32, done);
	case ACCEL_INJ_HOLD_FAULTS:
		return accel_inject_hold_faults(root, dev, r->on, done);
	case ACCEL_INJ_RELEASE_FAULTS:
		return accel_inject_release_faults(root, dev, done);
	case ACCEL_INJ_TLBI_DELAY:
		return accel_inject_tlbi_delay(root, dev, r->u64, done);
	case ACCEL_INJ_FAULT_DELAY:
		return accel_inject_fault_delay(root, dev, r->u64, done);
	case ACCEL_INJ_FAIL_ATTACH:
		return accel_inject_fail_attach(root, dev, r->u32, r->u32b,
						done);
	case ACCEL_INJ_HANG_TERMINATE:
		return accel_inject_hang_terminate(root, dev, r->on, done);
	default:
		return -EINVAL;
	}
}
