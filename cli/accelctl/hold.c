// SPDX-License-Identifier: MIT
/*
 * accelctl hold: attach contexts and keep them until a signal arrives
 * (SIGINT, SIGTERM, SIGHUP). Prints each context's PASID and PE first.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "accel_json.h"
#include "accel_uapi.h"
#include "accelctl.h"

#define HOLD_MAX 1024

static int hold_usage(FILE *out)
{
	fprintf(out,
		"Usage: accelctl hold [-d DEV] [-n N] [--irqs N] [--json]\n"
		"\n"
		"Attach N contexts (default 1) to DEV (default afu0) and hold\n"
		"them until SIGINT, SIGTERM or SIGHUP. Every context of the\n"
		"process shares its PASID. Prints pid, device, PASID and PE of\n"
		"each context once attached; with --irqs, each context also\n"
		"allocates a range of N IRQs and prints its first hwirq.\n");
	return out == stdout ? EXIT_OK : EXIT_USAGE;
}

struct hold_args {
	unsigned int dev;
	uint32_t n;
	uint32_t irqs;
};

static int hold_opt(int c, const char *arg, void *data)
{
	struct hold_args *a = data;

	if (c == 'd' && ctl_parse_dev(arg, &a->dev)) {
		ctl_usage_err("hold", "bad device '%s' (afuN or N)", arg);
		return -1;
	}
	if (c == 'n' && (ctl_parse_u32(arg, &a->n) || !a->n ||
			 a->n > HOLD_MAX)) {
		ctl_usage_err("hold", "bad count '%s' (1..%d)", arg, HOLD_MAX);
		return -1;
	}
	if (c == 'i' && (ctl_parse_u32(arg, &a->irqs) || !a->irqs ||
			 a->irqs > 65536)) {
		ctl_usage_err("hold", "bad IRQ count '%s' (1..65536)", arg);
		return -1;
	}
	return 0;
}

int cmd_hold(int argc, char **argv)
{
	static const struct option o[] = {
		{ "device", required_argument, NULL, 'd' },
		{ "contexts", required_argument, NULL, 'n' },
		{ "irqs", required_argument, NULL, 'i' },
		{ NULL, 0, NULL, 0 }
	};
	struct hold_args a = { 0, 1, 0 };
	json_object *arr = NULL;
	uint32_t pasid, pe, hwirq = 0, i;
	int fds[HOLD_MAX];
	sigset_t set;
	int ret, sig;

	ret = ctl_getopt(argc, argv, "hold", o, "d:n:i:", hold_opt, &a,
			 hold_usage);
	if (ret)
		return ret < 0 ? EXIT_OK : ret;
	if (optind < argc)
		return ctl_usage_err("hold", "unexpected argument '%s'",
				     argv[optind]);
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, NULL);
	if (ctl.json)
		arr = json_object_new_array();
	for (i = 0; i < a.n; i++) {
		fds[i] = accel_open(ctl.devdir, a.dev);
		if (fds[i] < 0) {
			ret = fds[i];
			json_object_put(arr);
			return ctl_fail(ret == -ENOENT ? EXIT_NODRIVER :
					EXIT_ERROR, "open %s/afu%u: %s",
					ctl.devdir, a.dev, strerror(-ret));
		}
		ret = accel_attach(fds[i], &pasid, &pe);
		if (ret) {
			json_object_put(arr);
			return ctl_fail(EXIT_ERROR, "attach afu%u: %s", a.dev,
					strerror(-ret));
		}
		if (a.irqs) {
			ret = accel_irq_alloc(fds[i], a.irqs, &hwirq);
			if (ret) {
				json_object_put(arr);
				return ctl_fail(EXIT_ERROR, "IRQ_ALLOC afu%u: %s",
						a.dev, strerror(-ret));
			}
		}
		if (arr) {
			json_object *j = json_object_new_object();

			accel_json_u64(j, "pid", (uint64_t)getpid());
			accel_json_u64(j, "dev", a.dev);
			accel_json_u64(j, "pasid", pasid);
			accel_json_u64(j, "pe", pe);
			if (a.irqs) {
				accel_json_u64(j, "hwirq", hwirq);
				accel_json_u64(j, "irqs", a.irqs);
			}
			json_object_array_add(arr, j);
		} else {
			printf("pid %d dev afu%u pasid %u pe %u", (int)getpid(),
			       a.dev, pasid, pe);
			if (a.irqs)
				printf(" hwirq %u irqs %u", hwirq, a.irqs);
			printf("\n");
		}
	}
	if (arr) {
		json_object *top = json_object_new_object();

		json_object_object_add(top, "contexts", arr);
		if (ctl_json_emit(top))
			return EXIT_ERROR;
	}
	fflush(stdout);
	if (sigwait(&set, &sig))
		sig = 0;
	for (i = 0; i < a.n; i++)
		close(fds[i]);
	if (!ctl.json)
		fprintf(stderr, "accelctl: hold: %s, contexts released\n",
			sig ? strsignal(sig) : "signal");
	return EXIT_OK;
}
