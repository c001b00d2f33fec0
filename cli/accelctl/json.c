// SPDX-License-Identifier: MIT
/*
 * accelctl: the one output path for data and errors. In JSON mode data and
 * errors both go to stdout as JSON objects (bpftool's convention), so a
 * script reads one stream; otherwise errors are one line on stderr.
 */
#include <stdarg.h>
#include <stdio.h>

#include "accel_json.h"
#include "accelctl.h"

void ctl_json_dev(json_object *o, unsigned int id)
{
	char name[24];

	snprintf(name, sizeof(name), "afu%u", id);
	accel_json_str(o, "device", name);
	accel_json_u64(o, "device_id", id);
}

void ctl_json_dev_name(json_object *o, const char *name)
{
	unsigned int id;

	accel_json_str(o, "device", name);
	if (sscanf(name, "afu%u", &id) == 1)
		accel_json_u64(o, "device_id", id);
}

/* obj with "schema_version" first, unless it has its own (doctor). */
static json_object *versioned(json_object *obj)
{
	json_object *v;

	if (!json_object_is_type(obj, json_type_object) ||
	    json_object_object_get_ex(obj, "schema_version", NULL))
		return obj;
	v = json_object_new_object();
	accel_json_u64(v, "schema_version", CTL_JSON_SCHEMA_VERSION);
	json_object_object_foreach(obj, key, val)
		json_object_object_add(v, key, json_object_get(val));
	json_object_put(obj);
	return v;
}

int ctl_json_emit(json_object *obj)
{
	int ret;

	obj = versioned(obj);
	ret = accel_json_print(stdout, obj, ctl.pretty);

	json_object_put(obj);
	if (cli_stdout_flush("accelctl"))
		return EXIT_OUTPUT;
	return ret ? EXIT_ERROR : EXIT_OK;
}

static void vfail(const char *fmt, va_list ap)
{
	char msg[1024];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (ctl.json) {
		json_object *o = json_object_new_object();

		accel_json_str(o, "error", msg);
		accel_json_print(stdout, o, ctl.pretty);
		json_object_put(o);
		fflush(stdout);
	} else {
		fprintf(stderr, "accelctl: %s\n", msg);
	}
}

int ctl_fail(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(fmt, ap);
	va_end(ap);
	return code;
}

void ctl_usage_report(const char *prog, const char *msg)
{
	ctl_fail(EXIT_USAGE, "%s", msg);
	if (!ctl.json)
		fprintf(stderr, "Try '%s --help'.\n", prog);
}

int ctl_usage_err(const char *cmd, const char *fmt, ...)
{
	char msg[1024], prog[64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(prog, sizeof(prog), "accelctl%s%s", cmd ? " " : "",
		 cmd ? cmd : "");
	ctl_usage_report(prog, msg);
	return EXIT_USAGE;
}

void ctl_warn(const char *fmt, ...)
{
	va_list ap;

	fputs("accelctl: warning: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
