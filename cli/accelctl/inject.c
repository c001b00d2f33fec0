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

static int show(unsigned int dev)
{
	json_object *o = ctl.json ? json_object_new_object() : NULL;
	const char *const *knobs = accel_inject_knobs;
	char *buf, why[128], file[64];
	int i, ret, bad = 0;
	size_t len;

	if (o)
		ctl_json_dev(o, dev);
	for (i = 0; knobs[i]; i++) {
		ret = accel_knob_read(ctl.sysfs, dev, knobs[i], &buf, &len);
		if (ret) {
			if (ret != -ENOENT) {
				ctl_warn("%s: %s", accel_knob_control(knobs[i],
					 file, sizeof(file)),
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
	const struct accel_inject_act *a, *found = NULL;
	struct accel_inject_req r = { 0 };
	struct accel_ctl_done done;
	char why[128];
	unsigned int dev = 0;
	int ret, n, matches = 0, first;
	size_t len;

	ret = ctl_parse(&inject_argp, "inject", argc, argv, &first, &dev);
	if (ret)
		return ret;
	if (first >= argc)
		return ctl_help(&inject_argp, "inject", stderr);
	len = strlen(argv[first]);
	for (a = accel_inject_acts; a->verb; a++) {
		if (!strcmp(a->verb, argv[first])) {
			found = a;
			matches = 1;
			break;
		}
		if (!strncmp(a->verb, argv[first], len)) {
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
				     "got %d", a->verb, a->min, a->max, n);
	if (a->file && accel_inject_parse(a, n, argv + first + 1, &r, why,
					  sizeof(why)))
		return ctl_usage_err("inject", "%s", why);
	ret = ctl_check_sysfs_dev(dev);
	if (ret)
		return ret;
	if (accel_inject_check(ctl.sysfs, dev, a, why, sizeof(why)))
		return ctl_fail(EXIT_ERROR, "%s", why);
	if (!a->file)
		return show(dev);
	ret = accel_inject(ctl.sysfs, dev, a, &r, &done);
	if (ret)
		return ctl_fail(EXIT_ERROR, "inject %s: afu%u/%s refused '%s': %s",
				a->verb, dev, done.file, done.text,
				accel_refusal(ret, why, sizeof(why)));
	if (ctl.json) {
		json_object *j = json_object_new_object();

		accel_json_str(j, "action", a->verb);
		ctl_json_dev(j, dev);
		accel_json_str(j, "file", a->file);
		accel_json_str(j, "written", done.text);
		return ctl_json_emit(j);
	}
	printf("afu%u: %s <- %s\n", dev, done.file, done.text);
	return EXIT_OK;
}
