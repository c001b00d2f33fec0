// SPDX-License-Identifier: MIT
/*
 * accelctl list: every device's SPA rows, with the state of the process
 * that owns each context (from /proc/PID/status).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "accel_dev.h"
#include "accel_json.h"
#include "accel_views.h"
#include "accelctl.h"
#include "ctx.h"

static const char list_doc[] =
"One row per context (SPA entry) of every device, or of DEV: device, PE, "
"PASID, pid, comm and SPA state, the counters, and the owning process's "
"state from /proc (\"gone\" once it has exited, \"-\" for kernel "
"contexts).";

int ctx_proc_state(unsigned int pid, char *state, size_t size)
{
	char path[4096], *buf, *p;
	size_t len;

	snprintf(state, size, "gone");
	snprintf(path, sizeof(path), "%s/%u/status", ctl.proc, pid);
	if (accel_read_file(path, &buf, &len))
		return -ENOENT;
	p = strstr(buf, "\nState:");
	if (p) {
		p += 7;
		p += strspn(p, " \t");
		snprintf(state, size, "%.*s", (int)strcspn(p, "\n"), p);
		/* "S (sleeping)" -> "sleeping" reads better in a table */
		p = strchr(state, '(');
		if (p) {
			memmove(state, p + 1, strlen(p + 1) + 1);
			state[strcspn(state, ")")] = '\0';
		}
	}
	free(buf);
	return 0;
}

int ctx_load_spa(unsigned int dev, struct accel_spa *spa,
		 struct accel_err *err)
{
	return accel_load_spa(ctl.root, dev, spa, err);
}

const struct argp_option ctx_dev_options[] = {
	{ "device", 'd', "DEV", 0, "only device DEV (afuN or N)", 0 },
	{ 0 }
};

error_t ctx_dev_opt(int key, char *arg, struct argp_state *state)
{
	struct ctx_sel *sel = state->input;

	if (key != 'd')
		return cli_arg_default(key, state);
	sel->has_dev = true;
	return ctl_arg_dev(state, arg, &sel->dev);
}

static const struct argp list_argp = CTL_LEAF_ARGP(ctx_dev_options,
						   ctx_dev_opt, NULL,
						   list_doc);

int ctx_devices(const struct ctx_sel *sel, unsigned int *ids)
{
	int n;

	n = accel_list_devices(ctl.root, ids, ACCEL_MAX_DEVS);
	if (n < 0) {
		ctl_fail(EXIT_NODRIVER, "%s: %s", ctl.root, strerror(-n));
		return -1;
	}
	if (!sel->has_dev)
		return n;
	if (!accel_dev_exists(ctl.root, sel->dev)) {
		ctl_fail(EXIT_NODRIVER, "device afu%u not found under %s",
			 sel->dev, ctl.root);
		return -1;
	}
	ids[0] = sel->dev;
	return 1;
}

int ctx_begin(const struct ctx_sel *sel, unsigned int *ids, json_object **arr)
{
	int ret, n;

	*arr = NULL;
	ret = ctl_check_root();
	if (ret)
		return -ret;
	n = ctx_devices(sel, ids);
	if (n < 0)
		return -EXIT_NODRIVER;
	if (ctl.json)
		*arr = json_object_new_array();
	return n;
}

int cmd_list(int argc, char **argv)
{
	struct ctx_sel sel = { 0 };
	unsigned int ids[ACCEL_MAX_DEVS];
	json_object *arr;
	int ret, n, i, bad = 0;
	size_t j;

	ret = ctl_parse(&list_argp, "list", argc, argv, NULL, &sel);
	if (ret)
		return ret;
	n = ctx_begin(&sel, ids, &arr);
	if (n < 0)
		return -n;
	if (!arr)
		printf("%-6s %5s %7s %7s %-16s %-11s %8s %8s %6s %8s %s\n",
		       "DEV", "PE", "PASID", "PID", "COMM", "STATE", "FAULTS",
		       "TLBIS", "IRQS", "WORK", "PROCESS");
	for (i = 0; i < n; i++) {
		struct accel_spa spa = { 0 };
		struct accel_err err;

		ret = ctx_load_spa(ids[i], &spa, &err);
		if (ret) {
			if (ret != -ENOENT) {
				ctl_warn("%s", err.msg);
				bad = 1;
			}
			continue;
		}
		for (j = 0; j < spa.n; j++) {
			const struct accel_pe *pe = &spa.pe[j];
			char pst[64] = "-";

			if (!pe->kernel)
				ctx_proc_state(pe->pid, pst, sizeof(pst));
			if (arr) {
				json_object *o = json_object_new_object();

				ctl_json_dev(o, ids[i]);
				accel_json_u64(o, "pe", pe->pe);
				accel_json_u64(o, "pasid", pe->pasid);
				accel_json_u64(o, "pid", pe->pid);
				accel_json_str(o, "comm", pe->comm);
				accel_json_str(o, "state", pe->state_str);
				json_object_object_add(o, "kernel",
					json_object_new_boolean(pe->kernel));
				accel_json_u64(o, "faults", pe->faults);
				accel_json_u64(o, "tlbis", pe->tlbis);
				accel_json_u64(o, "irqs_fired", pe->irqs);
				accel_json_u64(o, "work_done", pe->work);
				accel_json_str(o, "process", pst);
				json_object_array_add(arr, o);
				continue;
			}
			printf("afu%-3u %5u %7u %7u %-16s %-11s %8llu %8llu "
			       "%6llu %8llu %s\n", ids[i], pe->pe, pe->pasid,
			       pe->pid, pe->comm, pe->state_str,
			       (unsigned long long)pe->faults,
			       (unsigned long long)pe->tlbis,
			       (unsigned long long)pe->irqs,
			       (unsigned long long)pe->work, pst);
		}
		accel_spa_free(&spa);
	}
	if (arr) {
		json_object *top = json_object_new_object();

		json_object_object_add(top, "contexts", arr);
		ret = ctl_json_emit(top);
		if (ret)
			return ret;
	}
	return bad ? EXIT_ERROR : EXIT_OK;
}
