// SPDX-License-Identifier: MIT
/*
 * accelctl inject: the inject/ controls of a device, written through
 * libaccel (accel_control.h). Every argument is validated before anything
 * is written; a refusal by the driver is shown with its cause (the errno
 * text, kernel lockdown, or missing permissions).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "accel_format.h"
#include "accel_json.h"
#include "accel_views.h"
#include "accelctl.h"

static const struct argp_option inject_options[] = {
	{ "device", 'd', "DEV", 0, "device (afuN or N; default afu0)", 0 },
	{ 0 }
};

static const char inject_doc[] =
"Fault injection through the inject/ controls of DEV.\n"
"\n"
"Actions:\n"
"  fault PASID ADDR [read|write]  raise a translation fault\n"
"  afu-error PE [CODE]            post an AFU error event\n"
"  irq HWIRQ                      fire an allocated IRQ\n"
"  hold-faults [on|off]           hold new faults (off releases all)\n"
"  release-faults                 release the held faults\n"
"  tlbi-delay DURATION            delay each TLBI completion\n"
"  fault-delay DURATION           delay each fault resolution\n"
"  fail-attach N [ERRNO]          fail the next N ATTACHes (ERRNO: 1..133\n"
"                                 or a name such as EIO; default EIO)\n"
"  hang-terminate on|off          the device never confirms terminates\n"
"  show                           the knobs' current values\n"
"\n"
"DURATION: a number with unit ns, us, ms or s (\"0\" clears). Actions may "
"be abbreviated to any unambiguous prefix.";

struct inject_act {
	const char *name;	/* command word */
	const char *file;	/* inject/ file */
	int min, max;		/* operands */
};

static const struct inject_act acts[] = {
	{ "fault", "fault", 2, 3 },
	{ "afu-error", "afu_error", 1, 2 },
	{ "irq", "irq", 1, 1 },
	{ "hold-faults", "hold_faults", 0, 1 },
	{ "release-faults", "release_faults", 0, 0 },
	{ "tlbi-delay", "tlbi_delay_ns", 1, 1 },
	{ "fault-delay", "fault_delay_ns", 1, 1 },
	{ "fail-attach", "fail_attach", 1, 2 },
	{ "hang-terminate", "hang_terminate", 1, 1 },
	{ "show", NULL, 0, 0 },
	{ NULL, NULL, 0, 0 }
};

static int parse_onoff(const char *s, int *v)
{
	if (!strcmp(s, "on") || !strcmp(s, "1")) {
		*v = 1;
		return 0;
	}
	if (!strcmp(s, "off") || !strcmp(s, "0")) {
		*v = 0;
		return 0;
	}
	return -EINVAL;
}

static int parse_errno(const char *s, uint32_t *e)
{
	const char *name;
	uint32_t i;

	if (!ctl_parse_u32(s, e))
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

/* The parsed operands of an action. */
struct inject_req {
	uint32_t u32, u32b;
	uint64_t u64;
	int on;
	bool write;
};

/* Parse the operands of act into r; usage error or 0. */
static int build(const struct inject_act *a, int n, char **op,
		 struct inject_req *r)
{
	double ns;

	if (!strcmp(a->name, "fault")) {
		if (ctl_parse_u32(op[0], &r->u32))
			return ctl_usage_err("inject", "bad PASID '%s'", op[0]);
		if (ctl_parse_u64(op[1], &r->u64))
			return ctl_usage_err("inject", "bad address '%s' "
					     "(0x hex or decimal)", op[1]);
		if (n > 2 && strcmp(op[2], "read") && strcmp(op[2], "write"))
			return ctl_usage_err("inject", "bad access '%s' "
					     "(read or write)", op[2]);
		r->write = n > 2 && !strcmp(op[2], "write");
	} else if (!strcmp(a->name, "afu-error")) {
		if (ctl_parse_u32(op[0], &r->u32))
			return ctl_usage_err("inject", "bad PE '%s'", op[0]);
		r->u64 = 1;
		if (n > 1 && ctl_parse_u64(op[1], &r->u64))
			return ctl_usage_err("inject", "bad code '%s'", op[1]);
	} else if (!strcmp(a->name, "irq")) {
		if (ctl_parse_u32(op[0], &r->u32))
			return ctl_usage_err("inject", "bad HWIRQ '%s'", op[0]);
	} else if (!strcmp(a->name, "hold-faults")) {
		r->on = 1;
		if (n && parse_onoff(op[0], &r->on))
			return ctl_usage_err("inject", "bad value '%s' (on or "
					     "off)", op[0]);
	} else if (!strcmp(a->name, "tlbi-delay") ||
		   !strcmp(a->name, "fault-delay")) {
		if (accel_parse_duration(op[0], &ns) || ns > 1.8e19)
			return ctl_usage_err("inject", "bad duration '%s' "
					     "(e.g. 500us, 2ms, 0)", op[0]);
		r->u64 = (uint64_t)ns;
	} else if (!strcmp(a->name, "fail-attach")) {
		if (ctl_parse_u32(op[0], &r->u32))
			return ctl_usage_err("inject", "bad count '%s'", op[0]);
		r->u32b = 5;	/* EIO */
		if (n > 1 && parse_errno(op[1], &r->u32b))
			return ctl_usage_err("inject", "bad errno '%s' "
					     "(1..133 or a name like EIO)",
					     op[1]);
	} else if (!strcmp(a->name, "hang-terminate")) {
		if (parse_onoff(op[0], &r->on))
			return ctl_usage_err("inject", "bad value '%s' (on or "
					     "off)", op[0]);
	}
	return 0;
}

/* Carry out act on afuDEV through libaccel. 0 or -errno. */
static int inject(const struct inject_act *a, unsigned int dev,
		  const struct inject_req *r, struct accel_ctl_done *done)
{
	const char *root = ctl.sysfs;

	if (!strcmp(a->name, "fault"))
		return accel_inject_fault(root, dev, r->u32, r->u64, r->write,
					  done);
	if (!strcmp(a->name, "afu-error"))
		return accel_inject_afu_error(root, dev, r->u32, r->u64, done);
	if (!strcmp(a->name, "irq"))
		return accel_inject_irq(root, dev, r->u32, done);
	if (!strcmp(a->name, "hold-faults"))
		return accel_inject_hold_faults(root, dev, r->on, done);
	if (!strcmp(a->name, "release-faults"))
		return accel_inject_release_faults(root, dev, done);
	if (!strcmp(a->name, "tlbi-delay"))
		return accel_inject_tlbi_delay(root, dev, r->u64, done);
	if (!strcmp(a->name, "fault-delay"))
		return accel_inject_fault_delay(root, dev, r->u64, done);
	if (!strcmp(a->name, "fail-attach"))
		return accel_inject_fail_attach(root, dev, r->u32, r->u32b,
						done);
	return accel_inject_hang_terminate(root, dev, r->on, done);
}

static int show(unsigned int dev)
{
	json_object *o = ctl.json ? json_object_new_object() : NULL;
	const char *const *knobs = accel_inject_knobs;
	char *buf, why[128];
	int i, ret, bad = 0;
	size_t len;

	if (o)
		accel_json_u64(o, "dev", dev);
	for (i = 0; knobs[i]; i++) {
		ret = accel_knob_read(ctl.sysfs, dev, knobs[i], &buf, &len);
		if (ret) {
			if (ret != -ENOENT) {
				ctl_warn("inject/%s: %s", knobs[i],
					 accel_refusal(ret, why, sizeof(why)));
				bad = 1;
			}
			continue;
		}
		buf[strcspn(buf, "\n")] = '\0';
		if (o)
			accel_json_str(o, knobs[i], buf);
		else
			printf("%-15s %s\n", knobs[i], buf);
		free(buf);
	}
	if (o) {
		ret = ctl_json_emit(o);
		if (ret)
			return ret;
	}
	return bad ? EXIT_ERROR : EXIT_OK;
}

static error_t dev_opt(int key, char *arg, struct argp_state *state)
{
	if (key == 'd')
		return ctl_arg_dev(state, arg, state->input);
	return cli_arg_default(key, state);
}

static const struct argp inject_argp = CTL_LEAF_ARGP(inject_options, dev_opt,
						     "ACTION [ARGS...]",
						     inject_doc);

int cmd_inject(int argc, char **argv)
{
	const struct inject_act *a, *found = NULL;
	struct inject_req r = { 0 };
	struct accel_ctl_done done;
	char path[4200], file[64], why[128];
	unsigned int dev = 0;
	int ret, n, matches = 0, first;
	size_t len;

	ret = ctl_parse(&inject_argp, "inject", argc, argv, &first, &dev);
	if (ret)
		return ret;
	if (first >= argc)
		return ctl_help(&inject_argp, "inject", stderr);
	len = strlen(argv[first]);
	for (a = acts; a->name; a++) {
		if (!strcmp(a->name, argv[first])) {
			found = a;
			matches = 1;
			break;
		}
		if (!strncmp(a->name, argv[first], len)) {
			found = a;
			matches++;
		}
	}
	if (matches != 1)
		return ctl_usage_err("inject", "%s inject action '%s'",
				     matches ? "ambiguous" : "unknown",
				     argv[first]);
	a = found;
	n = argc - first - 1;
	if (n < a->min || n > a->max)
		return ctl_usage_err("inject", "%s takes %d..%d operand(s), "
				     "got %d", a->name, a->min, a->max, n);
	if (a->file) {
		ret = build(a, n, argv + first + 1, &r);
		if (ret)
			return ret;
	}
	ret = ctl_check_sysfs_dev(dev);
	if (ret)
		return ret;
	accel_ctl_path(ctl.sysfs, (int)dev, "inject", path, sizeof(path));
	if (access(path, F_OK))
		return ctl_fail(EXIT_ERROR, "afu%u has no inject/ directory",
				dev);
	if (!a->file)
		return show(dev);
	snprintf(file, sizeof(file), "inject/%s", a->file);
	accel_ctl_path(ctl.sysfs, (int)dev, file, path, sizeof(path));
	if (access(path, F_OK))
		return ctl_fail(EXIT_ERROR, "the driver has no inject/%s "
				"control", a->file);
	ret = inject(a, dev, &r, &done);
	if (ret)
		return ctl_fail(EXIT_ERROR, "inject %s: afu%u/inject/%s "
				"refused '%s': %s", a->name, dev, a->file,
				done.text, accel_refusal(ret, why, sizeof(why)));
	if (ctl.json) {
		json_object *j = json_object_new_object();

		accel_json_str(j, "action", a->name);
		accel_json_u64(j, "dev", dev);
		accel_json_str(j, "file", a->file);
		accel_json_str(j, "written", done.text);
		return ctl_json_emit(j);
	}
	printf("afu%u: inject/%s <- %s\n", dev, a->file, done.text);
	return EXIT_OK;
}
