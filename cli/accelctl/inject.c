// SPDX-License-Identifier: MIT
/*
 * accelctl inject: the inject/ controls of a device. Every argument is
 * validated before anything is written; a refusal by the driver is shown
 * with the errno text of the failed write.
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

/* Build the text written for act from the operands; usage error or 0. */
static int build(const struct inject_act *a, int n, char **op, char *text,
		 size_t size)
{
	uint32_t u32, u32b;
	uint64_t u64;
	double ns;
	int on;

	if (!strcmp(a->name, "fault")) {
		if (ctl_parse_u32(op[0], &u32))
			return ctl_usage_err("inject", "bad PASID '%s'", op[0]);
		if (ctl_parse_u64(op[1], &u64))
			return ctl_usage_err("inject", "bad address '%s' "
					     "(0x hex or decimal)", op[1]);
		if (n > 2 && strcmp(op[2], "read") && strcmp(op[2], "write"))
			return ctl_usage_err("inject", "bad access '%s' "
					     "(read or write)", op[2]);
		snprintf(text, size, "%u 0x%llx %s", u32,
			 (unsigned long long)u64, n > 2 ? op[2] : "read");
	} else if (!strcmp(a->name, "afu-error")) {
		if (ctl_parse_u32(op[0], &u32))
			return ctl_usage_err("inject", "bad PE '%s'", op[0]);
		u64 = 1;
		if (n > 1 && ctl_parse_u64(op[1], &u64))
			return ctl_usage_err("inject", "bad code '%s'", op[1]);
		snprintf(text, size, "%u %llu", u32, (unsigned long long)u64);
	} else if (!strcmp(a->name, "irq")) {
		if (ctl_parse_u32(op[0], &u32))
			return ctl_usage_err("inject", "bad HWIRQ '%s'", op[0]);
		snprintf(text, size, "%u", u32);
	} else if (!strcmp(a->name, "hold-faults")) {
		on = 1;
		if (n && parse_onoff(op[0], &on))
			return ctl_usage_err("inject", "bad value '%s' (on or "
					     "off)", op[0]);
		snprintf(text, size, "%d", on);
	} else if (!strcmp(a->name, "release-faults")) {
		snprintf(text, size, "1");
	} else if (!strcmp(a->name, "tlbi-delay") ||
		   !strcmp(a->name, "fault-delay")) {
		if (accel_parse_duration(op[0], &ns) || ns > 1.8e19)
			return ctl_usage_err("inject", "bad duration '%s' "
					     "(e.g. 500us, 2ms, 0)", op[0]);
		snprintf(text, size, "%llu", (unsigned long long)ns);
	} else if (!strcmp(a->name, "fail-attach")) {
		if (ctl_parse_u32(op[0], &u32))
			return ctl_usage_err("inject", "bad count '%s'", op[0]);
		u32b = 5;	/* EIO */
		if (n > 1 && parse_errno(op[1], &u32b))
			return ctl_usage_err("inject", "bad errno '%s' "
					     "(1..133 or a name like EIO)",
					     op[1]);
		snprintf(text, size, "%u %u", u32, u32b);
	} else if (!strcmp(a->name, "hang-terminate")) {
		if (parse_onoff(op[0], &on))
			return ctl_usage_err("inject", "bad value '%s' (on or "
					     "off)", op[0]);
		snprintf(text, size, "%d", on);
	}
	return 0;
}

static const char *const knobs[] = {
	"hold_faults", "fault_delay_ns", "tlbi_delay_ns", "fail_attach",
	"hang_terminate", NULL
};

static int show(const char *dir, unsigned int dev)
{
	json_object *o = ctl.json ? json_object_new_object() : NULL;
	char path[4200], *buf;
	int i, ret, bad = 0;
	size_t len;

	if (o)
		accel_json_u64(o, "dev", dev);
	for (i = 0; knobs[i]; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, knobs[i]);
		ret = accel_read_file(path, &buf, &len);
		if (ret) {
			if (ret != -ENOENT) {
				ctl_warn("inject/%s: %s", knobs[i],
					 strerror(-ret));
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
	const struct inject_act *a, *found = NULL;
	char dir[4096], path[4200], text[128];
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
	for (a = acts; a->name; a++) {
		if (!strcmp(a->name, argv[optind])) {
			found = a;
			matches = 1;
			break;
		}
		if (!strncmp(a->name, argv[optind], len)) {
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
				     "got %d", a->name, a->min, a->max, n);
	if (a->file) {
		ret = build(a, n, argv + optind + 1, text, sizeof(text));
		if (ret)
			return ret;
	}
	ret = ctl_check_root();
	if (ret)
		return ret;
	snprintf(dir, sizeof(dir), "%s/afu%u/inject", ctl.root, dev);
	if (access(dir, F_OK)) {
		snprintf(path, sizeof(path), "%s/afu%u", ctl.root, dev);
		if (access(path, F_OK))
			return ctl_fail(EXIT_NODRIVER, "device afu%u not found "
					"under %s", dev, ctl.root);
		return ctl_fail(EXIT_ERROR, "afu%u has no inject/ directory",
				dev);
	}
	if (!a->file)
		return show(dir, dev);
	snprintf(path, sizeof(path), "%s/%s", dir, a->file);
	if (access(path, F_OK))
		return ctl_fail(EXIT_ERROR, "the driver has no inject/%s "
				"control", a->file);
	ret = ctl_write_ctl(path, text);
	if (ret)
		return ctl_fail(EXIT_ERROR, "inject %s: afu%u/inject/%s "
				"refused '%s': %s", a->name, dev, a->file, text,
				strerror(-ret));
	if (ctl.json) {
		json_object *j = json_object_new_object();

		accel_json_str(j, "action", a->name);
		accel_json_u64(j, "dev", dev);
		accel_json_str(j, "file", a->file);
		accel_json_str(j, "written", text);
		return ctl_json_emit(j);
	}
	printf("afu%u: inject/%s <- %s\n", dev, a->file, text);
	return EXIT_OK;
}
