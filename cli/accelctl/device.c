// SPDX-License-Identifier: MIT
/*
 * accelctl device add|del|list: the bus's new_device and del_device
 * controls (libaccel's accel_dev_add/del), and a table of every device's
 * info row.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accel_dev.h"
#include "accel_json.h"
#include "accel_views.h"
#include "accelctl.h"

#define DEV_MAX_PE_MAX 32768
#define DEV_IRQ_BUDGET_MAX 65536

#define STR(x) #x
#define XSTR(x) STR(x)

static const struct argp_option add_options[] = {
	{ "max-pe", 'm', "N", 0, "process elements, 1.." XSTR(DEV_MAX_PE_MAX)
	  " (driver default when absent)", 0 },
	{ "irq-budget", 'q', "N", 0, "IRQs, 1.." XSTR(DEV_IRQ_BUDGET_MAX)
	  " (driver default when absent; needs --max-pe)", 0 },
	{ 0 }
};

struct add_args {
	uint32_t max_pe, irqs;
};

static error_t add_opt(int key, char *arg, struct argp_state *state)
{
	struct add_args *a = state->input;

	switch (key) {
	case 'm':
		return ctl_arg_count(state, arg, "--max-pe", DEV_MAX_PE_MAX,
				     &a->max_pe);
	case 'q':
		return ctl_arg_count(state, arg, "--irq-budget",
				     DEV_IRQ_BUDGET_MAX, &a->irqs);
	}
	return cli_arg_default(key, state);
}

static const struct argp add_argp = CTL_LEAF_ARGP(add_options, add_opt,
	"[ID]", "Create afuID (ID: N or afuN; default: the lowest unused "
	"number).");
static const struct argp del_argp = CTL_LEAF_ARGP(NULL, NULL, "ID",
	"Remove afuID; its live contexts are terminated.");
static const struct argp list_argp = CTL_LEAF_ARGP(NULL, NULL, NULL,
	"One row per device with its info columns.");

static int report(const char *what, unsigned int id, int err)
{
	if (err == -EEXIST)
		return ctl_fail(EXIT_ERROR, "afu%u already exists", id);
	if (err == -ENOENT && !strcmp(what, "del"))
		return ctl_fail(EXIT_NODRIVER, "afu%u does not exist", id);
	if (err) {
		char why[128];

		return ctl_fail(EXIT_ERROR, "device %s afu%u: %s", what, id,
				accel_refusal(err, why, sizeof(why)));
	}
	if (ctl.json) {
		json_object *o = json_object_new_object();

		accel_json_str(o, "action", what);
		ctl_json_dev(o, id);
		return ctl_json_emit(o);
	}
	printf("afu%u %s\n", id, strcmp(what, "add") ? "deleted" : "added");
	return EXIT_OK;
}

static int dev_add(int argc, char **argv)
{
	unsigned int ids[ACCEL_MAX_DEVS], id = 0;
	struct add_args a = { 0, 0 };
	int ret, n, i, first;

	ret = ctl_parse(&add_argp, "device add", argc, argv, &first, &a);
	if (ret)
		return ret;
	if (argc - first > 1)
		return ctl_usage_err("device", "too many arguments");
	if (a.irqs && !a.max_pe)
		return ctl_usage_err("device", "--irq-budget needs --max-pe");
	if (first < argc && ctl_parse_dev(argv[first], &id))
		return ctl_usage_err("device", "bad device '%s' (afuN or N)",
				     argv[first]);
	ret = ctl_check_sysfs();
	if (ret)
		return ret;
	if (first >= argc) {
		n = accel_bus_devices(ctl.sysfs, ids, ACCEL_MAX_DEVS);
		for (i = 0; i < n && ids[i] == id; i++)
			id++;
	}
	return report("add", id, accel_dev_add(ctl.sysfs, id, a.max_pe,
						 a.irqs, NULL));
}

static int dev_del(int argc, char **argv)
{
	unsigned int id;
	int ret, first;

	ret = ctl_parse(&del_argp, "device del", argc, argv, &first, NULL);
	if (ret)
		return ret;
	if (argc - first != 1)
		return ctl_usage_err("device", "device del needs one ID");
	if (ctl_parse_dev(argv[first], &id))
		return ctl_usage_err("device", "bad device '%s' (afuN or N)",
				     argv[first]);
	ret = ctl_check_sysfs();
	if (ret)
		return ret;
	return report("del", id, accel_dev_del(ctl.sysfs, id, NULL));
}

static json_object *info_json(const struct accel_info *in)
{
	json_object *o = json_object_new_object();

	ctl_json_dev_name(o, in->dev);
	accel_json_str(o, "version", in->version);
	accel_json_u64(o, "max_pe", in->max_pe);
	accel_json_u64(o, "pasid_bits", in->pasid_bits);
	accel_json_u64(o, "irq_budget", in->irq_budget);
	accel_json_u64(o, "atc_entries", in->atc_entries);
	accel_json_str(o, "state", in->state_str);
	accel_json_u64(o, "contexts", in->contexts);
	accel_json_u64(o, "pasids", in->pasids);
	accel_json_u64(o, "pending_faults", in->pending_faults);
	accel_json_u64(o, "irqs_used", in->irqs_used);
	accel_json_u64(o, "zombies", in->zombies);
	return o;
}

static int dev_list(int argc, char **argv)
{
	unsigned int ids[ACCEL_MAX_DEVS];
	json_object *arr = NULL;
	int ret, n, i, bad = 0;

	ret = ctl_parse(&list_argp, "device list", argc, argv, NULL, NULL);
	if (ret)
		return ret;
	ret = ctl_check_root();
	if (ret)
		return ret;
	n = accel_list_devices(ctl.root, ids, ACCEL_MAX_DEVS);
	if (n < 0)
		return ctl_fail(EXIT_NODRIVER, "%s: %s", ctl.root,
				strerror(-n));
	if (ctl.json)
		arr = json_object_new_array();
	else
		printf("%-6s %-8s %6s %5s %6s %4s %-8s %8s %6s %6s %9s %7s\n",
		       "DEV", "VERSION", "MAX_PE", "PBITS", "IRQS", "ATC",
		       "STATE", "CONTEXTS", "PASIDS", "FAULTS", "IRQS_USED",
		       "ZOMBIES");
	for (i = 0; i < n; i++) {
		struct accel_info in;
		struct accel_err err;

		ret = accel_load_info(ctl.root, ids[i], &in, &err);
		if (ret) {
			/* A device removed while listing is not an error. */
			if (ret == -ENOENT)
				continue;
			ctl_warn("%s", err.msg);
			bad = 1;
			continue;
		}
		if (arr) {
			json_object_array_add(arr, info_json(&in));
			continue;
		}
		printf("%-6s %-8s %6u %5u %6u %4u %-8s %8u %6u %6u %9u %7u\n",
		       in.dev, in.version, in.max_pe, in.pasid_bits,
		       in.irq_budget, in.atc_entries, in.state_str,
		       in.contexts, in.pasids, in.pending_faults, in.irqs_used,
		       in.zombies);
	}
	if (arr) {
		json_object *top = json_object_new_object();

		json_object_object_add(top, "devices", arr);
		ret = ctl_json_emit(top);
		return ret ? ret : bad ? EXIT_ERROR : EXIT_OK;
	}
	return bad ? EXIT_ERROR : EXIT_OK;
}

static const struct argp dev_argp;

static int dev_help(int argc, char **argv)
{
	return ctl_help(&dev_argp, "device", stdout);
}

static const struct ctl_cmd dev_cmds[] = {
	{ "add", dev_add, "create a device" },
	{ "del", dev_del, "remove a device" },
	{ "list", dev_list, "list devices" },
	{ "help", dev_help, "this help" },
	{ NULL, NULL, NULL }
};

static const struct argp_option dev_options[] = {
	{ "help", 'h', NULL, 0, "this help", -1 },
	{ 0 }
};

/* -h; ARGP_KEY_ARG, the command, ends the parse. */
static error_t dev_opt(int key, char *arg, struct argp_state *state)
{
	if (key == 'h')
		cli_arg_help(state, ARGP_HELP_STD_HELP);
	return cli_arg_default(key, state);
}

static char *dev_help_filter(int key, const char *text, void *input)
{
	if (key == ARGP_KEY_HELP_PRE_DOC)
		return ctl_help_cmds(text, dev_cmds);
	return (char *)text;
}

static const struct argp dev_argp = {
	.options = dev_options,
	.parser = dev_opt,
	.args_doc = "COMMAND [ARGS...]",
	.doc = "Add, delete and list devices. Commands may be abbreviated to "
	       "any unambiguous prefix; 'accelctl device COMMAND --help' for "
	       "details.\v"
	       "add [ID] [--max-pe N] [--irq-budget N]: create afuID (ID: N or "
	       "afuN; default: the lowest unused number). --max-pe 1.."
	       XSTR(DEV_MAX_PE_MAX) ", --irq-budget 1.."
	       XSTR(DEV_IRQ_BUDGET_MAX)
	       " (driver defaults when absent).\n"
	       "del ID: remove afuID; its live contexts are terminated.\n"
	       "list [--json]: one row per device with its info columns.",
	.help_filter = dev_help_filter,
};

int cmd_device(int argc, char **argv)
{
	int ret, first = argc;

	ret = cli_argp_parse(&dev_argp, "accelctl device", argc, argv,
			     ARGP_IN_ORDER, &first, NULL);
	if (ret)
		return ret;
	if (first >= argc)
		return ctl_help(&dev_argp, "device", stderr);
	return ctl_dispatch(dev_cmds, "device command", argc - first,
			    argv + first);
}
