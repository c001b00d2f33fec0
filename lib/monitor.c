// SPDX-License-Identifier: MIT
/*
 * libaccel: the events of accelctl monitor (accel_monitor.h) and their
 * JSON form. Fields are read by name with libtraceevent from the format
 * file of the running kernel, so a field that moves or a kernel that lacks
 * one changes nothing here: a missing field is left out.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <traceevent/event-parse.h>

#include "accel_monitor.h"
#include "accel_json.h"

struct accel_mon_rec {
	char device[64];
	bool has_pasid;
	uint32_t pasid;
	bool has_addr;
	uint64_t addr;
};

static bool num(struct tep_event *e, struct tep_record *r, const char *name,
		uint64_t *v)
{
	struct tep_format_field *f = tep_find_field(e, name);
	unsigned long long x;

	if (!f || (f->flags & (TEP_FIELD_IS_ARRAY | TEP_FIELD_IS_DYNAMIC)) ||
	    tep_read_number_field(f, r->data, &x))
		return false;
	*v = x;
	return true;
}

/* A string field (__string, char array): false if absent. */
static bool str(struct tep_event *e, struct tep_record *r, const char *name,
		char *buf, size_t size)
{
	struct tep_format_field *f = tep_find_field(e, name);
	const char *p;
	int len = 0;

	if (!f || !(f->flags & (TEP_FIELD_IS_ARRAY | TEP_FIELD_IS_DYNAMIC |
				TEP_FIELD_IS_STRING)))
		return false;
	p = tep_get_field_raw(NULL, e, name, r, &len, 0);
	if (!p || len <= 0)
		return false;
	snprintf(buf, size, "%.*s", (int)strnlen(p, (size_t)len), p);
	return true;
}

static void dec_accelsim(struct tep_event *e, struct tep_record *r,
			 struct accel_mon_rec *out)
{
	uint64_t v;

	if (num(e, r, "dev", &v))
		snprintf(out->device, sizeof(out->device), "afu%" PRIu64, v);
	if (num(e, r, "pasid", &v)) {
		out->has_pasid = true;
		out->pasid = (uint32_t)v;
	}
	/* A fault's address, or the first address a TLBI covers. */
	out->has_addr = num(e, r, "addr", &out->addr) ||
			num(e, r, "start", &out->addr);
}

/* iommu:io_page_fault: device, driver, iova, flags. No PASID. */
static void dec_io_page_fault(struct tep_event *e, struct tep_record *r,
			      struct accel_mon_rec *out)
{
	str(e, r, "device", out->device, sizeof(out->device));
	out->has_addr = num(e, r, "iova", &out->addr);
}

/*
 * intel_iommu:prq_report: the page request descriptor's words. Its first
 * word has the requester id (bits 16-31), PASID-present (bit 8) and the
 * PASID (bits 32-51); its second the page address (bits 12-63), as the
 * VT-d specification's page request descriptor lays them out.
 */
static void dec_prq_report(struct tep_event *e, struct tep_record *r,
			   struct accel_mon_rec *out)
{
	uint64_t dw0, dw1;

	if (!str(e, r, "dev", out->device, sizeof(out->device)))
		out->device[0] = 0;
	if (num(e, r, "dw0", &dw0)) {
		if (!out->device[0]) {
			unsigned int rid = (dw0 >> 16) & 0xffff;

			snprintf(out->device, sizeof(out->device),
				 "%02x:%02x.%u", rid >> 8, (rid >> 3) & 0x1f,
				 rid & 7);
		}
		if (dw0 & (1ULL << 8)) {
			out->has_pasid = true;
			out->pasid = (dw0 >> 32) & 0xfffff;
		}
	}
	if (num(e, r, "dw1", &dw1)) {
		out->has_addr = true;
		out->addr = dw1 & ~0xfffULL;
	}
}

/* intel_iommu:qi_submit: the unit that queued the descriptor. */
static void dec_qi_submit(struct tep_event *e, struct tep_record *r,
			  struct accel_mon_rec *out)
{
	str(e, r, "iommu", out->device, sizeof(out->device));
}

const struct accel_mon_event accel_mon_events[] = {
	{ "accelsim", "fault", ACCEL_MON_FAULT, dec_accelsim },
	{ "accelsim", "fault_ack", ACCEL_MON_FAULT, dec_accelsim },
	{ "accelsim", "tlbi_start", ACCEL_MON_INVAL, dec_accelsim },
	{ "accelsim", "tlbi_done", ACCEL_MON_INVAL, dec_accelsim },
	{ "iommu", "io_page_fault", ACCEL_MON_FAULT, dec_io_page_fault },
	{ "intel_iommu", "prq_report", ACCEL_MON_FAULT, dec_prq_report },
	{ "intel_iommu", "qi_submit", ACCEL_MON_INVAL, dec_qi_submit },
};

const size_t accel_mon_nevents = sizeof(accel_mon_events) /
				 sizeof(accel_mon_events[0]);

const char *const accel_mon_sources[] = {
	"accelsim", "iommu", "intel_iommu", ACCEL_MON_KMSG
};

const size_t accel_mon_nsources = sizeof(accel_mon_sources) /
				  sizeof(accel_mon_sources[0]);

/* Calls fn on each word of the comma-separated list; stops on true. */
static bool any_word(const char *list, bool (*fn)(const char *w, size_t n,
						  const void *arg),
		     const void *arg)
{
	const char *p = list, *c;
	size_t n;

	while (*p) {
		c = strchr(p, ',');
		n = c ? (size_t)(c - p) : strlen(p);
		if (n && fn(p, n, arg))
			return true;
		if (!c)
			break;
		p = c + 1;
	}
	return false;
}

static bool word_is(const char *w, size_t n, const char *s)
{
	return strlen(s) == n && !strncmp(w, s, n);
}

static bool word_names(const char *w, size_t n, const void *arg)
{
	const struct accel_mon_event *m = arg;
	size_t sl = strlen(m->system);

	if (word_is(w, n, m->system) || word_is(w, n, m->event))
		return true;
	return n > sl && !strncmp(w, m->system, sl) && w[sl] == ':' &&
	       word_is(w + sl + 1, n - sl - 1, m->event);
}

bool accel_mon_wanted(const struct accel_mon_event *m, const char *list,
		      bool inval)
{
	if (m->kind == ACCEL_MON_INVAL && !inval)
		return false;
	return !list || any_word(list, word_names, m);
}

static bool word_kmsg(const char *w, size_t n, const void *arg)
{
	(void)arg;
	return word_is(w, n, ACCEL_MON_KMSG);
}

bool accel_mon_kmsg_wanted(const char *list)
{
	return !list || any_word(list, word_kmsg, NULL);
}

static bool word_unknown(const char *w, size_t n, const void *arg)
{
	size_t i;

	(void)arg;
	if (word_kmsg(w, n, NULL))
		return false;
	for (i = 0; i < accel_mon_nevents; i++)
		if (word_names(w, n, &accel_mon_events[i]))
			return false;
	return true;
}

static bool first_unknown(const char *w, size_t n, const void *arg)
{
	const struct { char *buf; size_t size; } *b = arg;

	if (!word_unknown(w, n, NULL))
		return false;
	snprintf(b->buf, b->size, "%.*s", (int)n, w);
	return true;
}

int accel_mon_check_list(const char *list, char *bad, size_t size)
{
	struct { char *buf; size_t size; } b = { bad, size };

	if (!*list) {
		snprintf(bad, size, "%s", "");
		return -EINVAL;
	}
	return any_word(list, first_unknown, &b) ? -EINVAL : 0;
}

void accel_mon_ts(json_object *o, uint64_t ns)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%" PRIu64 ".%09" PRIu64,
		 ns / UINT64_C(1000000000), ns % UINT64_C(1000000000));
	json_object_object_add(o, "ts", json_object_new_double_s(
				       (double)ns / 1e9, buf));
}

static void add_addr(json_object *o, const char *key, uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%" PRIx64, v);
	accel_json_str(o, key, buf);
}

/*
 * Text: a scratch buffer that the event fills only when printed (as
 * prq_report's buff) holds whatever the ring buffer held before.
 */
static bool printable(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return false;
	return true;
}

/*
 * Every field of the record but the common ones, by its format: numbers,
 * and text that is printable.
 */
static json_object *all_fields(struct tep_event *e, struct tep_record *r)
{
	json_object *o = json_object_new_object();
	struct tep_format_field **fs = tep_event_fields(e), **f;
	unsigned long long v;
	char buf[512];

	if (!o || !fs) {
		free(fs);
		return o;
	}
	for (f = fs; *f; f++) {
		const char *name = (*f)->name;

		if ((*f)->flags & (TEP_FIELD_IS_ARRAY | TEP_FIELD_IS_DYNAMIC)) {
			/* Text only: char arrays and __string. */
			if (((*f)->flags & TEP_FIELD_IS_STRING ||
			     (*f)->elementsize == 1) &&
			    str(e, r, name, buf, sizeof(buf)) && printable(buf))
				accel_json_str(o, name, buf);
			continue;
		}
		if (tep_read_number_field(*f, r->data, &v))
			continue;
		if ((*f)->flags & TEP_FIELD_IS_SIGNED) {
			int64_t s = (int64_t)v;

			if ((*f)->size == 4)
				s = (int32_t)v;
			else if ((*f)->size == 2)
				s = (int16_t)v;
			else if ((*f)->size == 1)
				s = (int8_t)v;
			json_object_object_add(o, name,
					       json_object_new_int64(s));
		} else {
			accel_json_u64(o, name, v);
		}
	}
	free(fs);
	return o;
}

json_object *accel_mon_record(const struct accel_mon_event *m,
			      struct tep_event *e, struct tep_record *r)
{
	struct accel_mon_rec d = { .device = "" };
	json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	m->decode(e, r, &d);
	accel_mon_ts(o, r->ts);
	accel_json_str(o, "source", m->system);
	accel_json_str(o, "event", m->event);
	accel_json_str(o, "kind", m->kind == ACCEL_MON_FAULT ? "fault" :
		       "invalidation");
	if (d.device[0])
		accel_json_str(o, "device", d.device);
	if (d.has_pasid)
		accel_json_u64(o, "pasid", d.pasid);
	if (d.has_addr)
		add_addr(o, "address", d.addr);
	json_object_object_add(o, "fields", all_fields(e, r));
	return o;
}

json_object *accel_mon_kmsg(const char *rec, size_t len)
{
	unsigned int bus, slot, fn, reason, pasid = 0;
	unsigned long long usec, addr;
	unsigned int prio;
	char line[1024], type[32], why[256] = "", dev[16];
	const char *msg, *p;
	bool has_pasid;
	json_object *o;
	int n = 0;

	snprintf(line, sizeof(line), "%.*s", (int)len, rec);
	line[strcspn(line, "\n")] = 0;
	msg = strchr(line, ';');
	/* The kernel's own lines only (facility 0), not a user's echo. */
	if (!msg || sscanf(line, "%u,%*u,%llu", &prio, &usec) != 2 ||
	    prio >> 3)
		return NULL;
	msg++;
	p = strstr(msg, "DMAR: [");
	if (!p)
		return NULL;
	p += strlen("DMAR: [");
	/* "DMA Read NO_PASID]" or "DMA Write PASID 0x5]" */
	if (sscanf(p, "DMA %31s NO_PASID] %n", type, &n) == 1 && n) {
		has_pasid = false;
	} else if (n = 0, sscanf(p, "DMA %31s PASID 0x%x] %n", type, &pasid,
				 &n) == 2 && n) {
		has_pasid = true;
	} else {
		return NULL;
	}
	p += n;
	n = 0;
	if (sscanf(p, "Request device [%x:%x.%x] fault addr 0x%llx "
		   "[fault reason 0x%x] %n", &bus, &slot, &fn, &addr, &reason,
		   &n) != 5)
		return NULL;
	if (n)
		snprintf(why, sizeof(why), "%s", p + n);
	o = json_object_new_object();
	if (!o)
		return NULL;
	accel_mon_ts(o, (uint64_t)usec * 1000);
	accel_json_str(o, "source", ACCEL_MON_KMSG);
	accel_json_str(o, "event", "dmar_fault");
	accel_json_str(o, "kind", "fault");
	snprintf(dev, sizeof(dev), "%02x:%02x.%x", bus & 0xff, slot & 0x1f,
		 fn & 7);
	accel_json_str(o, "device", dev);
	if (has_pasid)
		accel_json_u64(o, "pasid", pasid);
	add_addr(o, "address", addr);
	accel_json_str(o, "access", type);
	accel_json_u64(o, "reason", reason);
	if (why[0])
		accel_json_str(o, "reason_text", why);
	accel_json_str(o, "message", msg);
	return o;
}
