// SPDX-License-Identifier: MIT
/*
 * accelctl hold: attach contexts and keep them until a signal arrives
 * (SIGINT, SIGTERM, SIGHUP). Prints each context's PASID and PE first.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "accel_json.h"
#include "accel_uapi.h"
#include "accelctl.h"

#define HOLD_MAX 1024

static const struct argp_option hold_options[] = {
	{ "device", 'd', "DEV", 0, "device (afuN or N; default afu0)", 0 },
	{ "contexts", 'c', "N", 0, "contexts to attach (default 1)", 0 },
	{ "irqs", 'q', "N", 0, "IRQs to allocate per context", 0 },
	{ 0 }
};

static const char hold_doc[] =
"Attach N contexts (default 1) to DEV (default afu0) and hold them until "
"SIGINT, SIGTERM or SIGHUP. Every context of the process shares its PASID. "
"Prints pid, device, PASID and PE of each context once attached; with "
"--irqs, each context also allocates a range of N IRQs and prints its first "
"hwirq.";

struct hold_args {
	unsigned int dev;
	uint32_t n;
	uint32_t irqs;
};

static error_t hold_opt(int key, char *arg, struct argp_state *state)
{
	struct hold_args *a = state->input;

	switch (key) {
	case 'd':
		return ctl_arg_dev(state, arg, &a->dev);
	case 'c':
		return ctl_arg_count(state, arg, "context count", HOLD_MAX, &a->n);
	case 'q':
		return ctl_arg_count(state, arg, "IRQ count", 65536, &a->irqs);
	}
	return cli_arg_default(key, state);
}

static const struct argp hold_argp = CTL_LEAF_ARGP(hold_options, hold_opt,
						   NULL, hold_doc);

int cmd_hold(int argc, char **argv)
{
	struct hold_args a = { 0, 1, 0 };
	json_object *arr = NULL;
	uint32_t pasid, pe, hwirq = 0, i;
	int fds[HOLD_MAX];
	sigset_t set;
	int ret, sig;

	ret = ctl_parse(&hold_argp, "hold", argc, argv, NULL, &a);
	if (ret)
		return ret;
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
			ctl_json_dev(j, a.dev);
			accel_json_u64(j, "pasid", pasid);
			accel_json_u64(j, "pe", pe);
			if (a.irqs) {
				accel_json_u64(j, "hwirq", hwirq);
				accel_json_u64(j, "irqs_allocated", a.irqs);
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
