// SPDX-License-Identifier: MIT
/*
 * acceltop: the tracefs source. The driver's events are enabled in a
 * private tracefs instance (trace_clock mono) and read with
 * tracefs_iterate_raw_events(), decoded with libtraceevent. Latencies go
 * into the same log2 histograms the BPF programs keep: the driver's own
 * lat_ns of fault_ack and tlbi_done, or for an event format without it,
 * fault/fault_ack and tlbi_start/tlbi_done paired by id.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event-parse.h>
#include <tracefs.h>

#include <accelsim.h>

#include "accel_events.h"
#include "acceltop.h"

#define PENDING 16384		/* in-flight faults or TLBIs remembered */
#define MAX_KEYS 8192		/* (device, PASID) pairs and contexts */

struct pend {
	uint64_t id;
	uint64_t ts;
	uint32_t dev, pe, pasid;
	bool used;
};

/* A (device, PASID) pair (pe AT_NONE) or a context (device, PE, PASID). */
struct tkey {
	uint32_t dev, pe, pasid;
	uint32_t pid;			/* pasid_free's */
	bool retired;			/* the PASID was freed */
	struct at_counts c;
};

struct tfs_src {
	struct tracefs_instance *inst;
	struct tep_handle *tep;
	int ids[ACCEL_TP_NR];		/* event ids, -1 when absent */
	char missing[256];
	bool no_irq;			/* no irq_fire event */
	struct pend fault[PENDING], tlbi[PENDING];
	struct tkey *keys;
	size_t nkeys;
	struct at_counts devs[ACCEL_MAX_DEVS];
	bool dev_seen[ACCEL_MAX_DEVS];
	uint64_t dropped;
	char name[64];
};

static struct at_counts *key_counts(struct tfs_src *t, uint32_t dev,
				    uint32_t pe, uint32_t pasid)
{
	size_t i;

	/*
	 * One entry per key: a PASID number the driver hands out again after
	 * freeing it goes on counting where its freed bindings left off, so
	 * the table grows with the keys seen, not with the PASIDs freed.
	 */
	for (i = 0; i < t->nkeys; i++) {
		if (t->keys[i].dev == dev && t->keys[i].pasid == pasid &&
		    t->keys[i].pe == pe) {
			t->keys[i].retired = false;
			return &t->keys[i].c;
		}
	}
	if (t->nkeys >= MAX_KEYS) {
		/* Make room: drop the oldest freed PASID, and say so. */
		for (i = 0; i < t->nkeys && !t->keys[i].retired; i++)
			;
		t->dropped++;
		if (i == t->nkeys)
			return NULL;
		memmove(&t->keys[i], &t->keys[i + 1],
			(t->nkeys - i - 1) * sizeof(*t->keys));
		t->nkeys--;
	}
	t->keys[t->nkeys].dev = dev;
	t->keys[t->nkeys].pe = pe;
	t->keys[t->nkeys].pasid = pasid;
	t->keys[t->nkeys].pid = 0;
	t->keys[t->nkeys].retired = false;
	memset(&t->keys[t->nkeys].c, 0, sizeof(struct at_counts));
	return &t->keys[t->nkeys++].c;
}

/*
 * A freed PASID and its contexts keep their final counts until room is
 * needed.
 */
static void retire_pasid(struct tfs_src *t, uint32_t pasid, uint32_t pid)
{
	size_t i;

	for (i = 0; i < t->nkeys; i++)
		if (t->keys[i].pasid == pasid) {
			t->keys[i].retired = true;
			t->keys[i].pid = pid;
		}
}

static unsigned int slot_of(uint64_t lat)
{
	unsigned int b = 0;

	while (lat > 1 && b < ACCEL_HIST_BUCKETS - 1) {
		lat >>= 1;
		b++;
	}
	return b;
}

static void hist_put(struct accel_hist *h, unsigned int b)
{
	h->bucket[b]++;
	h->count++;
}

/* Count ev of pasid on dev, and of context pe unless AT_NONE. */
static void count(struct tfs_src *t, uint32_t dev, uint32_t pe,
		  uint32_t pasid, enum accel_tp ev, uint64_t v, bool ok)
{
	struct at_counts *c[3] = { NULL, NULL, NULL };
	unsigned int i;

	if (dev < ACCEL_MAX_DEVS) {
		c[0] = &t->devs[dev];
		t->dev_seen[dev] = true;
	}
	c[1] = key_counts(t, dev, AT_NONE, pasid);
	if (pe != AT_NONE)
		c[2] = key_counts(t, dev, pe, pasid);
	for (i = 0; i < 3; i++) {
		if (!c[i])
			continue;
		switch (ev) {
		case ACCEL_TP_FAULT:
			c[i]->faults++;
			break;
		case ACCEL_TP_FAULT_ACK:
			if (v)
				c[i]->faults_address_error++;
			else
				c[i]->faults_restart++;
			break;
		case ACCEL_TP_TLBI_DONE:
			c[i]->tlbis++;
			break;
		case ACCEL_TP_IRQ_FIRE:
			c[i]->irqs++;
			break;
		case ACCEL_TP_WORK_SUBMIT:
			c[i]->work_submitted++;
			break;
		case ACCEL_TP_WORK_DONE:
			/* As the driver's stats: bytes of every completion,
			 * work_done only those with status OK or MISMATCH.
			 */
			c[i]->work_done += ok;
			c[i]->bytes += v;
			break;
		default:
			break;
		}
	}
}

/* Count latency @lat of a fault or TLBI of @pasid (and @pe) on @dev. */
static void lat_put(struct tfs_src *t, uint32_t dev, uint32_t pe,
		    uint32_t pasid, uint64_t lat, bool tlbi)
{
	unsigned int b = slot_of(lat);
	struct at_counts *c;

	if (dev < ACCEL_MAX_DEVS) {
		c = &t->devs[dev];
		t->dev_seen[dev] = true;
		hist_put(tlbi ? &c->tlbi_lat : &c->fault_lat, b);
	}
	c = key_counts(t, dev, AT_NONE, pasid);
	if (c)
		hist_put(tlbi ? &c->tlbi_lat : &c->fault_lat, b);
	if (pe == AT_NONE)
		return;
	c = key_counts(t, dev, pe, pasid);
	if (c)
		hist_put(tlbi ? &c->tlbi_lat : &c->fault_lat, b);
}

static void pair_end(struct tfs_src *t, struct pend *tab, uint64_t id,
		     uint64_t ts, bool tlbi)
{
	struct pend *p = &tab[id % PENDING];

	if (!p->used || p->id != id)
		return;		/* raised before we started, or evicted */
	p->used = false;
	lat_put(t, p->dev, p->pe, p->pasid, ts >= p->ts ? ts - p->ts : 0,
		tlbi);
}

/*
 * The end of a fault or TLBI. Its event carries the latency the driver
 * measured (lat_ns), the one in its stats histograms: take it, so the
 * figures agree whatever the events' timestamps or the order the CPUs'
 * buffers are read in. An older event format without it: pair by id.
 */
static void on_end(struct tfs_src *t, const struct accel_tp_rec *f,
		   uint64_t ts, struct pend *tab, bool tlbi)
{
	struct pend *p = &tab[f->id % PENDING];

	if (!f->has_lat) {
		pair_end(t, tab, f->id, ts, tlbi);
		return;
	}
	if (p->used && p->id == f->id)
		p->used = false;
	lat_put(t, f->dev, f->has_pe ? f->pe : AT_NONE, f->pasid, f->lat_ns,
		tlbi);
}

static void pair_start(struct pend *tab, uint64_t id, uint64_t ts,
		       uint32_t dev, uint32_t pe, uint32_t pasid)
{
	struct pend *p = &tab[id % PENDING];

	p->id = id;
	p->ts = ts;
	p->dev = dev;
	p->pe = pe;
	p->pasid = pasid;
	p->used = true;
}

static int on_record(struct tep_event *e, struct tep_record *r, int cpu,
		     void *data)
{
	struct tfs_src *t = data;
	struct accel_tp_rec f;
	enum accel_tp ev;
	uint32_t pe;

	for (ev = 0; ev < ACCEL_TP_NR; ev++)
		if (t->ids[ev] == e->id)
			break;
	if (ev == ACCEL_TP_NR)
		return 0;
	accel_tp_read(e, r, &f);
	if (ev == ACCEL_TP_PASID_FREE) {
		retire_pasid(t, f.pasid, f.pid);
		return 0;
	}
	/* The TLBIs carry no PE: they count per PASID only. */
	pe = f.has_pe ? f.pe : AT_NONE;
	switch (ev) {
	case ACCEL_TP_FAULT:
		count(t, f.dev, pe, f.pasid, ev, 0, true);
		pair_start(t->fault, f.id, r->ts, f.dev, pe, f.pasid);
		break;
	case ACCEL_TP_FAULT_ACK:
		on_end(t, &f, r->ts, t->fault, false);
		count(t, f.dev, pe, f.pasid, ev, f.resp, true);
		break;
	case ACCEL_TP_TLBI_START:
		pair_start(t->tlbi, f.id, r->ts, f.dev, pe, f.pasid);
		break;
	case ACCEL_TP_TLBI_DONE:
		on_end(t, &f, r->ts, t->tlbi, true);
		count(t, f.dev, pe, f.pasid, ev, 0, true);
		break;
	case ACCEL_TP_WORK_DONE:
		count(t, f.dev, pe, f.pasid, ev, f.bytes,
		      f.status == ACCELSIM_STATUS_OK ||
		      f.status == ACCELSIM_STATUS_MISMATCH);
		break;
	default:
		count(t, f.dev, pe, f.pasid, ev, 0, true);
		break;
	}
	return 0;
}

static int tfs_poll(struct at_source *src)
{
	struct tfs_src *t = src->priv;

	return tracefs_iterate_raw_events(t->tep, t->inst, NULL, 0, on_record,
					  t);
}

static int tfs_sample(struct at_source *src, struct at_sample *s)
{
	struct tfs_src *t = src->priv;
	size_t i;
	int ret;

	tfs_poll(src);
	ret = at_load_devices(src->root, s, s->note, sizeof(s->note));
	if (ret)
		return ret;
	s->has_ctx_lat = true;
	s->pasid_counts = true;
	if (t->missing[0])
		snprintf(s->note, sizeof(s->note),
			 "events not counted: %s%s", t->missing,
			 t->no_irq ? "; IRQs from debugfs counters" : "");
	for (i = 0; i < s->ndev; i++)
		if (s->dev[i].id < ACCEL_MAX_DEVS)
			s->dev[i].total = t->devs[s->dev[i].id];
	for (i = 0; i < t->nkeys; i++) {
		const struct tkey *tk = &t->keys[i];
		struct at_dev_sample *d = at_sample_dev(s, tk->dev);
		struct at_keyed *k;

		if (!d)
			continue;
		if (tk->pe == AT_NONE)
			k = at_key(&d->pasids, tk->pasid);
		else
			k = at_key(&d->ctxs, AT_CTX_KEY(tk->pe, tk->pasid));
		if (!k)
			continue;
		at_counts_add(&k->c, &tk->c);
		if (!tk->retired)
			k->live = true;
		else if (tk->pid)
			k->pid = tk->pid;
	}
	if (t->no_irq)
		at_irqs_from_debugfs(src->root, s);
	s->drops[AT_DROP_KEYS_FULL] = t->dropped;
	s->dropped = t->dropped;
	return 0;
}

static void tfs_close(struct at_source *src)
{
	struct tfs_src *t = src->priv;

	if (!t)
		return;
	if (t->inst) {
		tracefs_trace_off(t->inst);
		tracefs_instance_destroy(t->inst);
		tracefs_instance_free(t->inst);
	}
	tep_free(t->tep);
	free(t->keys);
	free(t);
	src->priv = NULL;
}

int at_tracefs_open(struct at_source *src, char *err, size_t len)
{
	static const char *const systems[] = { ACCEL_EVENT_SYSTEM, NULL };
	struct at_source tmp = *src;
	struct tfs_src *t;
	char path[4096];
	const char *dir;
	int i, ret;

	if (src->tracefs && (access(src->tracefs, F_OK) ||
			     tracefs_set_tracing_dir((char *)src->tracefs))) {
		snprintf(err, len, "cannot use tracefs at %s: %s",
			 src->tracefs, strerror(errno ? errno : EINVAL));
		return -ENOENT;
	}
	dir = tracefs_tracing_dir();
	if (!dir) {
		snprintf(err, len, "tracefs is not mounted");
		return -ENOENT;
	}
	if (accel_tp_dir(dir, path, sizeof(path)) || access(path, F_OK)) {
		snprintf(err, len, "%s: %s", path, strerror(errno));
		return -ENOENT;
	}
	t = calloc(1, sizeof(*t));
	if (t)
		t->keys = calloc(MAX_KEYS, sizeof(*t->keys));
	if (!t || !t->keys) {
		free(t);
		snprintf(err, len, "out of memory");
		return -ENOMEM;
	}
	tmp.priv = t;
	t->tep = tracefs_local_events_system(dir, systems);
	if (!t->tep) {
		snprintf(err, len, "cannot parse the accelsim event formats "
			 "under %s", path);
		ret = -EINVAL;
		goto fail;
	}
	accel_tracefs_reap(dir, "acceltop-");
	snprintf(t->name, sizeof(t->name), "acceltop-%d", (int)getpid());
	t->inst = tracefs_instance_create(t->name);
	if (!t->inst) {
		ret = errno ? -errno : -EPERM;
		snprintf(err, len, "cannot create tracefs instance %s: %s",
			 t->name, strerror(-ret));
		goto fail;
	}
	tracefs_instance_file_write(t->inst, "trace_clock", "mono");
	/*
	 * Linux 6.1 keeps one "expanded" flag for every trace buffer, and
	 * the first resize of any buffer sets it. Resizing ours while the
	 * top-level buffer still had its boot-time size of a page per CPU
	 * left that one so, and whoever traced there after us lost events.
	 * Any write to an event's enable file first expands the top-level
	 * buffer as the kernel means to, so our events are written off
	 * (they are off already) before the resize.
	 */
	tracefs_event_disable(t->inst, ACCEL_EVENT_SYSTEM, NULL);
	tracefs_instance_file_write(t->inst, "buffer_size_kb", "4096");
	for (i = 0; i < ACCEL_TP_NR; i++) {
		const char *name = accel_tp_names[i];
		struct tep_event *e;

		e = tep_find_event_by_name(t->tep, ACCEL_EVENT_SYSTEM, name);
		t->ids[i] = e ? e->id : -1;
		if (!e || tracefs_event_enable(t->inst, ACCEL_EVENT_SYSTEM,
					       name)) {
			size_t l = strlen(t->missing);

			t->ids[i] = -1;
			if (i == ACCEL_TP_IRQ_FIRE)
				t->no_irq = true;
			snprintf(t->missing + l, sizeof(t->missing) - l,
				 "%s%s (not in the driver)", l ? ", " : "",
				 name);
			if (i <= ACCEL_TP_FAULT_ACK) {
				ret = -ENOENT;
				snprintf(err, len, "cannot enable event %s/%s",
					 ACCEL_EVENT_SYSTEM, name);
				goto fail;
			}
		}
	}
	if (tracefs_trace_on(t->inst)) {
		ret = -EIO;
		snprintf(err, len, "cannot turn tracing on in instance %s",
			 t->name);
		goto fail;
	}
	src->priv = t;
	src->kind = AT_SRC_TRACEFS;
	src->poll = tfs_poll;
	src->sample = tfs_sample;
	src->close = tfs_close;
	return 0;
fail:
	tfs_close(&tmp);
	return ret;
}
