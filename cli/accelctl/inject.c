// SPDX-License-Identifier: MIT
/*
 * accelctl inject: the inject/ controls of a device, written through
 * libaccel (accel_control.h). Every argument is validated before anything
 * is written; a refusal by the driver is shown with its cause (the errno
 * text, kernel lockdown, or missing permissions).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "accel_format.h"
#include "accel_json.h"
#include "accel_views.h"
#include "accelctl.h"

static int inject_usage(FILE *out)
{
	fprintf(out,
		"Usage: accelctl inject [-d DEV] ACTION [ARGS...]\n"
		"\n"
		"Actions (DEV defaults to afu0):\n"
		"  fault PASID ADDR [read|write]  raise a translation fault\n"
		"  afu-error PE [CODE]            post an AFU error event\n"
		"  irq HWIRQ                      fire an allocated IRQ\n"
		"  hold-faults [on|off]           hold new faults (off releases"
		" all)\n"
		"  release-faults                 release the held faults\n"
		"  tlbi-delay DURATION            delay each TLBI completion\n"
		"  fault-delay DURATION           delay each fault resolution\n"
		"  fail-attach N [ERRNO]          fail the next N ATTACHes "
		"(ERRNO: 1..133\n"
		"                                 or a name such as EIO; "
		"default EIO)\n"
		"  hang-terminate on|off          the device never confirms "
		"terminates\n"
		"  show                           the knobs' current values\n"
		"\n"
		"DURATION: a number with unit ns, us, ms or s (\"0\" clears).\n"
		"Options: -d, --device DEV   -j, --json   -h, --help\n");
	return out == stdout ? EXIT_OK : EXIT_USAGE;
}

static int show(unsigned int dev)
{
	json_object *o = ctl.json ? json_object_new_object() : NULL;
	const char *const *knobs = accel_inject_knobs;
	char *buf, why[128], file[64];
	int i, ret, bad = 0;
	size_t len;

	if (o)
		accel_json_u64(o, "dev", dev);
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

static int dev_opt(int c, const char *arg, void *data)
{
	if (ctl_parse_dev(arg, data)) {
		ctl_usage_err("inject", "bad device '%s' (afuN or N)", arg);
		return -1;
	}
	return 0;
}

int cmd_inject(int argc, char **argv)
{
	static const struct option o[] = {
		{ "device", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 }
	};
	const struct accel_inject_act *a, *found = NULL;
	struct accel_inject_req r = { 0 };
	struct accel_ctl_done done;
	char why[128];
	unsigned int dev = 0;
	int ret, n, matches = 0;
	size_t len;

	ret = ctl_getopt(argc, argv, "inject", o, "d:", dev_opt, &dev,
			 inject_usage);
	if (ret)
		return ret < 0 ? EXIT_OK : ret;
	if (optind >= argc)
		return inject_usage(stderr);
	len = strlen(argv[optind]);
	for (a = accel_inject_acts; a->verb; a++) {
		if (!strcmp(a->verb, argv[optind])) {
			found = a;
			matches = 1;
			break;
		}
		if (!strncmp(a->verb, argv[optind], len)) {
			found = a;
			matches++;
		}
	}
	if (matches != 1)
		return ctl_usage_err("inject", "%s inject action '%s'",
				     matches ? "ambiguous" : "unknown",
				     argv[optind]);
	a = found;
	n = argc - optind - 1;
	if (n < a->min || n > a->max)
		return ctl_usage_err("inject", "%s takes %d..%d operand(s), "
				     "got %d", a->verb, a->min, a->max, n);
	if (a->file && accel_inject_parse(a, n, argv + optind + 1, &r, why,
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
		accel_json_u64(j, "dev", dev);
		accel_json_str(j, "file", a->file);
		accel_json_str(j, "written", done.text);
		return ctl_json_emit(j);
	}
	printf("afu%u: %s <- %s\n", dev, done.file, done.text);
	return EXIT_OK;
}
