// SPDX-License-Identifier: MIT
/*
 * libaccel: the running driver's tracepoint formats, checked against the
 * record layout of accel_events.h with libtraceevent's format parser.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <traceevent/event-parse.h>

#include "accel_events.h"
#include "accel_views.h"

/* In the order of enum accel_tp. */
const char *const accel_tp_names[ACCEL_TP_NR] = {
	"fault", "fault_ack", "tlbi_start", "tlbi_done", "irq_fire",
	"work_submit", "work_done", "pasid_free"
};

int accel_tp_dir(const char *tracing_dir, char *buf, size_t size)
{
	int n = snprintf(buf, size, "%s/events/" ACCEL_EVENT_SYSTEM,
			 tracing_dir);

	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

static uint64_t field(struct tep_event *e, struct tep_record *r,
		      const char *name)
{
	unsigned long long v = 0;

	tep_get_field_val(NULL, e, name, r, &v, 0);
	return v;
}

void accel_tp_read(struct tep_event *e, struct tep_record *r,
		   struct accel_tp_rec *out)
{
	out->id = field(e, r, "id");
	out->dev = (uint32_t)field(e, r, "dev");
	out->pasid = (uint32_t)field(e, r, "pasid");
	out->has_pe = tep_find_field(e, "pe") != NULL;
	out->pe = (uint32_t)field(e, r, "pe");
	out->pid = (uint32_t)field(e, r, "pid");
	out->resp = field(e, r, "resp");
	out->status = field(e, r, "status");
	out->bytes = field(e, r, "bytes");
	out->has_lat = tep_find_field(e, "lat_ns") != NULL;
	out->lat_ns = out->has_lat ? field(e, r, "lat_ns") : 0;
}

#define FIELD(ev, type, f) { ev, #f, offsetof(struct type, f), \
			     sizeof(((struct type *)0)->f) }

/* Every field the BPF programs read, by event. */
static const struct {
	const char *event, *field;
	size_t offset, size;
} fields[] = {
	FIELD("fault", accel_tp_fault, id),
	FIELD("fault", accel_tp_fault, dev),
	FIELD("fault", accel_tp_fault, pe),
	FIELD("fault", accel_tp_fault, pasid),
	FIELD("fault_ack", accel_tp_fault_ack, id),
	FIELD("fault_ack", accel_tp_fault_ack, dev),
	FIELD("fault_ack", accel_tp_fault_ack, pe),
	FIELD("fault_ack", accel_tp_fault_ack, pasid),
	FIELD("fault_ack", accel_tp_fault_ack, resp),
	FIELD("tlbi_start", accel_tp_tlbi, id),
	FIELD("tlbi_start", accel_tp_tlbi, dev),
	FIELD("tlbi_start", accel_tp_tlbi, pasid),
	FIELD("tlbi_done", accel_tp_tlbi, id),
	FIELD("tlbi_done", accel_tp_tlbi, dev),
	FIELD("tlbi_done", accel_tp_tlbi, pasid),
	FIELD("irq_fire", accel_tp_irq, dev),
	FIELD("irq_fire", accel_tp_irq, pe),
	FIELD("irq_fire", accel_tp_irq, pasid),
	FIELD("work_submit", accel_tp_work_submit, dev),
	FIELD("work_submit", accel_tp_work_submit, pe),
	FIELD("work_submit", accel_tp_work_submit, pasid),
	FIELD("work_done", accel_tp_work_done, dev),
	FIELD("work_done", accel_tp_work_done, pe),
	FIELD("work_done", accel_tp_work_done, pasid),
	FIELD("work_done", accel_tp_work_done, status),
	FIELD("work_done", accel_tp_work_done, bytes),
	FIELD("pasid_free", accel_tp_pasid, pasid),
	FIELD("pasid_free", accel_tp_pasid, pid),
};

enum accel_event_state accel_event_check(const char *tracing_dir,
					 const char *event, char *why,
					 size_t len)
{
	enum accel_event_state st = ACCEL_EVENT_OK;
	struct tep_format_field *f;
	struct tep_handle *tep;
	struct tep_event *ev;
	char path[512], *fmt;
	size_t flen, i;
	int ret;

	snprintf(path, sizeof(path), "%s/events/" ACCEL_EVENT_SYSTEM "/%s/format",
		 tracing_dir, event);
	ret = accel_read_file(path, &fmt, &flen);
	if (ret == -ENOENT)
		return ACCEL_EVENT_MISSING;
	if (ret)
		return ACCEL_EVENT_UNREADABLE;
	tep = tep_alloc();
	if (!tep || tep_parse_event(tep, fmt, flen, ACCEL_EVENT_SYSTEM) ||
	    !(ev = tep_find_event_by_name(tep, ACCEL_EVENT_SYSTEM, event))) {
		snprintf(why, len, "accelsim/%s: unparsable format file",
			 event);
		st = ACCEL_EVENT_CHANGED;
		goto out;
	}
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		if (strcmp(fields[i].event, event))
			continue;
		f = tep_find_field(ev, fields[i].field);
		if (f && (size_t)f->offset == fields[i].offset &&
		    (size_t)f->size == fields[i].size)
			continue;
		snprintf(why, len, "accelsim/%s: field %s is not at offset "
			 "%zu size %zu", event, fields[i].field,
			 fields[i].offset, fields[i].size);
		st = ACCEL_EVENT_CHANGED;
		break;
	}
out:
	tep_free(tep);
	free(fmt);
	return st;
}

void accel_tracefs_reap(const char *tracing_dir, const char *prefix)
{
	size_t plen = strlen(prefix);
	char path[4096], *end;
	struct dirent *de;
	long pid;
	DIR *d;

	snprintf(path, sizeof(path), "%s/instances", tracing_dir);
	d = opendir(path);
	if (!d)
		return;
	while ((de = readdir(d))) {
		if (strncmp(de->d_name, prefix, plen))
			continue;
		errno = 0;
		pid = strtol(de->d_name + plen, &end, 10);
		if (errno || *end || end == de->d_name + plen || pid <= 0 ||
		    pid > INT32_MAX || !kill((pid_t)pid, 0) || errno != ESRCH)
			continue;
		snprintf(path, sizeof(path), "%s/instances/%s", tracing_dir,
			 de->d_name);
		rmdir(path);
	}
	closedir(d);
}
