// SPDX-License-Identifier: GPL-2.0
/*
 * accelsim: the flight recorder. From module load to unload the driver's
 * events are enabled in a tracefs instance of its own, instances/accelsim,
 * whatever the top-level trace does, so a support bundle (accelctl dump)
 * holds the events that led to a problem. It is best effort: when it
 * cannot be set up the driver loads and works as before, and says why.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/module.h>
#include <linux/security.h>
#include <linux/trace.h>
#include <linux/trace_events.h>

#include "accelsim.h"
#include "compat.h"

static bool flight_recorder = true;
module_param(flight_recorder, bool, 0444);
MODULE_PARM_DESC(flight_recorder,
		 "Record the driver's events in tracefs instance "
		 ACCELSIM_FLIGHT_INSTANCE " from load (default 1)");

/* Set by module init, put by module exit; nothing else touches it. */
static struct trace_array *accelsim_flight;

void accelsim_flight_init(void)
{
	struct trace_array *tr;
	int err;

	if (!flight_recorder) {
		pr_info("flight recorder off: flight_recorder=0\n");
		return;
	}
	/* Nobody could read it: do not pay for it. */
	if (security_locked_down(LOCKDOWN_TRACEFS)) {
		pr_info("flight recorder off: tracefs is locked down\n");
		return;
	}
	tr = accelsim_trace_array_get(ACCELSIM_FLIGHT_INSTANCE, "accelsim");
	if (IS_ERR_OR_NULL(tr)) {
		pr_info("flight recorder off: no tracefs instance %s\n",
			ACCELSIM_FLIGHT_INSTANCE);
		return;
	}
	err = trace_array_set_clr_event(tr, "accelsim", NULL, true);
	if (err) {
		pr_info("flight recorder off: cannot enable its events (%d)\n",
			err);
		trace_array_put(tr);
		trace_array_destroy(tr);
		return;
	}
	accelsim_flight = tr;
	pr_info("flight recorder on: tracefs instances/%s\n",
		ACCELSIM_FLIGHT_INSTANCE);
}

void accelsim_flight_exit(void)
{
	if (!accelsim_flight)
		return;
	trace_array_put(accelsim_flight);
	/*
	 * -EBUSY: a reader has the instance open (trace_pipe). It keeps it,
	 * and the module's events leave it with the module; rmdir removes
	 * it afterwards, and a new load takes it over.
	 */
	if (trace_array_destroy(accelsim_flight))
		pr_info("flight recorder: instance %s in use, left in place\n",
			ACCELSIM_FLIGHT_INSTANCE);
	accelsim_flight = NULL;
}
