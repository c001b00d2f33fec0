// SPDX-License-Identifier: MIT
/*
 * acceltop: the BPF source. One skeleton (accelsim_lat) holds two program
 * sets; only the one asked for is loaded: tp_btf (needs the module's BTF)
 * or tracepoint/accelsim (hand-written contexts). Events the driver does
 * not have are left out, and said so.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <tracefs.h>

#include "accel_events.h"
#include "acceltop.h"
#include "accelsim_lat.h"
#include "accelsim_lat.skel.h"

/*
 * (device, PASID) and (device, PE, PASID) keys whose freed bindings'
 * counts are kept. The driver hands a freed PASID number out again, so
 * the final counts of every binding of a key add up in one entry: the
 * table grows with the keys seen, not with the PASIDs freed. When it is
 * full, the key freed longest ago makes room (counted in drops keys_full).
 */
#define MAX_RETIRED 8192

struct retired {
	struct accel_lat_counts c;	/* sum over the key's freed bindings */
	uint64_t seq;			/* when the key was last freed */
};

struct bpf_src {
	struct accelsim_lat_bpf *skel;
	struct ring_buffer *rb;
	struct retired *retired;
	size_t nretired;
	struct accel_lat_ctx_key *stale;	/* ctx_stats keys to retire */
	struct accel_lat_counts *percpu;	/* a dev_stats value, per CPU */
	int ncpu;
	uint64_t seq;
	char missing[256];
	bool no_irq;			/* irq_fire not loaded */
	uint64_t keys_full;		/* keys made room for */
};

_Static_assert((int)ACCEL_LAT_DROP_NR == (int)AT_DROP_KEYS_FULL &&
	       (int)ACCEL_LAT_DROP_MAP_BUSY == (int)AT_DROP_MAP_BUSY &&
	       (int)ACCEL_LAT_DROP_RETIRED_LOST == (int)AT_DROP_RETIRED_LOST,
	       "acceltop's drops begin with the programs' own");

static void lat_counts_add(struct accel_lat_counts *d,
			   const struct accel_lat_counts *s)
{
	unsigned int i;

	d->faults += s->faults;
	d->faults_restart += s->faults_restart;
	d->faults_address_error += s->faults_address_error;
	d->tlbis += s->tlbis;
	d->irqs += s->irqs;
	d->work_submitted += s->work_submitted;
	d->work_done += s->work_done;
	d->bytes += s->bytes;
	d->fault_lat_sum_ns += s->fault_lat_sum_ns;
	d->tlbi_lat_sum_ns += s->tlbi_lat_sum_ns;
	for (i = 0; i < ACCEL_LAT_SLOTS; i++) {
		d->fault_lat[i] += s->fault_lat[i];
		d->tlbi_lat[i] += s->tlbi_lat[i];
	}
}

/* Keep the final counts of a freed (device, PASID) or context. */
static void retire(struct bpf_src *b, const struct accel_lat_counts *rec)
{
	struct retired *r = NULL;
	size_t i, old = 0;

	for (i = 0; i < b->nretired; i++) {
		if (b->retired[i].c.dev == rec->dev &&
		    b->retired[i].c.pasid == rec->pasid &&
		    b->retired[i].c.pe == rec->pe) {
			r = &b->retired[i];
			break;
		}
		if (b->retired[i].seq < b->retired[old].seq)
			old = i;
	}
	if (!r) {
		if (b->nretired < MAX_RETIRED) {
			r = &b->retired[b->nretired++];
		} else {
			r = &b->retired[old];
			b->keys_full++;
		}
		memset(r, 0, sizeof(*r));
		r->c.dev = rec->dev;
		r->c.pasid = rec->pasid;
		r->c.pe = rec->pe;
	}
	lat_counts_add(&r->c, rec);
	r->c.pid = rec->pid;
	r->seq = ++b->seq;
}

static int on_retired(void *ctx, void *data, size_t size)
{
	if (size >= sizeof(struct accel_lat_counts))
		retire(ctx, data);
	return 0;
}

/*
 * The context entries of freed PASIDs: their generation is past, no
 * program counts in them any more. Taken (and their counts kept) after
 * the walk of the map, as a deleted key would restart it.
 */
static void retire_ctxs(struct bpf_src *b, struct accel_lat_ctx_key *stale,
			size_t n, struct accel_lat_counts *val)
{
	int fd = bpf_map__fd(b->skel->maps.ctx_stats);
	size_t i;

	for (i = 0; i < n; i++)
		if (!bpf_map_lookup_and_delete_elem(fd, &stale[i], val))
			retire(b, val);
}

/* Between samples: take freed PASIDs' records before the buffer fills. */
static int bpf_poll(struct at_source *src)
{
	struct bpf_src *b = src->priv;

	return ring_buffer__consume(b->rb);
}

static char libbpf_msg[1024];

static int libbpf_log(enum libbpf_print_level level, const char *fmt,
		      va_list ap)
{
	char line[512];
	size_t n = strlen(libbpf_msg);

	if (getenv("ACCELTOP_BPF_DEBUG")) {
		vfprintf(stderr, fmt, ap);
		return 0;
	}
	if (level == LIBBPF_DEBUG)
		return 0;
	vsnprintf(line, sizeof(line), fmt, ap);
	/* Keep the last warning: it says why the load failed. */
	if (n + strlen(line) >= sizeof(libbpf_msg))
		libbpf_msg[0] = '\0';
	strncat(libbpf_msg, line, sizeof(libbpf_msg) - strlen(libbpf_msg) - 1);
	return 0;
}

static void last_line(char *buf, size_t len)
{
	char *p, *nl;

	/* The last non-empty line of the libbpf log, without "libbpf: ". */
	while ((nl = strrchr(libbpf_msg, '\n')) && !nl[1])
		*nl = '\0';
	p = strrchr(libbpf_msg, '\n');
	p = p ? p + 1 : libbpf_msg;
	if (!strncmp(p, "libbpf: ", 8))
		p += 8;
	snprintf(buf, len, "%s", p);
}

static void to_counts(const struct accel_lat_counts *l, struct at_counts *c)
{
	unsigned int b;

	memset(c, 0, sizeof(*c));
	c->faults = l->faults;
	c->faults_restart = l->faults_restart;
	c->faults_address_error = l->faults_address_error;
	c->tlbis = l->tlbis;
	c->irqs = l->irqs;
	c->work_submitted = l->work_submitted;
	c->work_done = l->work_done;
	c->bytes = l->bytes;
	for (b = 0; b < ACCEL_LAT_SLOTS && b < ACCEL_HIST_BUCKETS; b++) {
		c->fault_lat.bucket[b] = l->fault_lat[b];
		c->fault_lat.count += l->fault_lat[b];
		c->tlbi_lat.bucket[b] = l->tlbi_lat[b];
		c->tlbi_lat.count += l->tlbi_lat[b];
	}
}

static int bpf_sample(struct at_source *src, struct at_sample *s)
{
	struct bpf_src *b = src->priv;
	struct accel_lat_counts *val;
	struct accel_lat_key key, next, *kp = NULL;
	struct accel_lat_ctx_key ckey, cnext, *ckp = NULL, *stale = b->stale;
	size_t i, nstale = 0;
	int cpu;
	int fd, gfd, ret;

	ret = at_load_devices(src->root, s, s->note, sizeof(s->note));
	if (ret)
		return ret;
	s->has_ctx_lat = true;
	s->pasid_counts = true;
	if (b->missing[0])
		snprintf(s->note, sizeof(s->note),
			 "events not counted: %s%s", b->missing,
			 b->no_irq ? "; IRQs from debugfs counters" : "");
	/*
	 * Freed PASIDs' records first. A PASID freed while the maps are read
	 * below shows in neither this time (record still queued, entry
	 * gone) or in both (record read here, entry still seen) and is right
	 * again in the next sample; once the device is idle, a sample is
	 * exact.
	 */
	ring_buffer__consume(b->rb);
	val = malloc(sizeof(*val));
	if (!val)
		return -ENOMEM;
	/* The device totals: a per-CPU array by device id, summed here. */
	fd = bpf_map__fd(b->skel->maps.dev_stats);
	for (i = 0; i < s->ndev; i++) {
		__u32 id = s->dev[i].id;

		if (id >= ACCEL_LAT_DEV_IDS ||
		    bpf_map_lookup_elem(fd, &id, b->percpu))
			continue;
		memset(val, 0, sizeof(*val));
		for (cpu = 0; cpu < b->ncpu; cpu++)
			lat_counts_add(val, &b->percpu[cpu]);
		to_counts(val, &s->dev[i].total);
	}
	fd = bpf_map__fd(b->skel->maps.pasid_stats);
	while (!bpf_map_get_next_key(fd, kp, &next)) {
		struct at_dev_sample *d = at_sample_dev(s, next.dev);
		struct at_keyed *k;

		key = next;
		kp = &key;
		if (!d || bpf_map_lookup_elem(fd, &key, val))
			continue;
		k = at_key(&d->pasids, key.pasid);
		if (k) {
			to_counts(val, &k->c);
			k->live = true;
		}
	}
	fd = bpf_map__fd(b->skel->maps.ctx_stats);
	gfd = bpf_map__fd(b->skel->maps.pasid_gen);
	while (!bpf_map_get_next_key(fd, ckp, &cnext)) {
		struct at_dev_sample *d = at_sample_dev(s, cnext.dev);
		struct at_keyed *k;
		__u32 gen = 0;

		ckey = cnext;
		ckp = &ckey;
		bpf_map_lookup_elem(gfd, &ckey.pasid, &gen);
		if (gen != ckey.gen) {
			if (nstale < ACCEL_LAT_MAX_CTXS)
				stale[nstale++] = ckey;
			continue;
		}
		if (!d || bpf_map_lookup_elem(fd, &ckey, val))
			continue;
		k = at_key(&d->ctxs, AT_CTX_KEY(ckey.pe, ckey.pasid));
		if (k) {
			to_counts(val, &k->c);
			k->live = true;
		}
	}
	retire_ctxs(b, stale, nstale, val);
	free(val);
	for (i = 0; i < b->nretired; i++) {
		const struct accel_lat_counts *r = &b->retired[i].c;
		struct at_dev_sample *d = at_sample_dev(s, r->dev);
		struct at_keyed *k;
		struct at_counts c;

		if (!d)
			continue;
		if (r->pe == ACCEL_LAT_PE_NONE)
			k = at_key(&d->pasids, r->pasid);
		else
			k = at_key(&d->ctxs, AT_CTX_KEY(r->pe, r->pasid));
		if (!k)
			continue;
		to_counts(r, &c);
		at_counts_add(&k->c, &c);
		if (!k->live)
			k->pid = r->pid;
	}
	if (b->no_irq)
		at_irqs_from_debugfs(src->root, s);
	for (i = 0; i < ACCEL_LAT_DROP_NR; i++)
		s->drops[i] = b->skel->bss->drops[i];
	s->drops[AT_DROP_KEYS_FULL] = b->keys_full;
	s->dropped = 0;
	for (i = 0; i < AT_DROP_NR; i++)
		s->dropped += s->drops[i];
	return 0;
}

static void bpf_close(struct at_source *src)
{
	struct bpf_src *b = src->priv;

	if (!b)
		return;
	ring_buffer__free(b->rb);
	accelsim_lat_bpf__destroy(b->skel);
	free(b->retired);
	free(b->stale);
	free(b->percpu);
	free(b);
	src->priv = NULL;
}

/*
 * Whether accelsim/<event> is in the running driver with the record layout
 * the tracepoint/ programs read (lib's accel_events.h). With no tracefs to
 * ask, or none we may read, try them all: the load will tell.
 */
static enum accel_event_state event_state(const struct at_source *src,
					  const char *event, char *why,
					  size_t len)
{
	const char *dir = src->tracefs ? src->tracefs : tracefs_tracing_dir();
	enum accel_event_state st;

	if (!dir)
		return ACCEL_EVENT_OK;
	st = accel_event_check(dir, event, why, len);
	return st == ACCEL_EVENT_UNREADABLE ? ACCEL_EVENT_OK : st;
}

int at_bpf_open(struct at_source *src, bool btf, char *err, size_t len)
{
	struct bpf_program *prog[2];
	struct bpf_src *b;
	unsigned int i;
	int ret;

	if (btf && access(ACCEL_MODULE_BTF, F_OK)) {
		snprintf(err, len, "no module BTF (%s missing)",
			 ACCEL_MODULE_BTF);
		return -ENOENT;
	}
	b = calloc(1, sizeof(*b));
	if (b) {
		b->retired = calloc(MAX_RETIRED, sizeof(*b->retired));
		b->stale = calloc(ACCEL_LAT_MAX_CTXS, sizeof(*b->stale));
		b->ncpu = libbpf_num_possible_cpus();
		if (b->ncpu > 0)
			b->percpu = calloc((size_t)b->ncpu,
					   sizeof(*b->percpu));
		if (!b->retired || !b->stale || !b->percpu) {
			free(b->retired);
			free(b->stale);
			free(b->percpu);
			free(b);
			b = NULL;
		}
	}
	if (!b) {
		snprintf(err, len, "out of memory");
		return -ENOMEM;
	}
	libbpf_msg[0] = '\0';
	libbpf_set_print(libbpf_log);
	b->skel = accelsim_lat_bpf__open();
	if (!b->skel) {
		ret = -errno;
		snprintf(err, len, "cannot open BPF object: %s",
			 strerror(errno));
		free(b->retired);
		free(b->stale);
		free(b->percpu);
		free(b);
		return ret;
	}
	for (i = 0; i < ACCEL_TP_NR; i++) {
		const char *event = accel_tp_names[i];
		char why[128], name[64];
		enum accel_event_state st = event_state(src, event, why,
							sizeof(why));
		bool have = st == ACCEL_EVENT_OK;

		/* The programs of event are btf_<event> and tp_<event>. */
		snprintf(name, sizeof(name), "btf_%s", event);
		prog[0] = bpf_object__find_program_by_name(b->skel->obj, name);
		snprintf(name, sizeof(name), "tp_%s", event);
		prog[1] = bpf_object__find_program_by_name(b->skel->obj, name);
		ret = -ENOENT;
		if (!prog[0] || !prog[1]) {
			snprintf(err, len, "the BPF object has no programs for "
				 "%s", event);
			goto fail;
		}
		bpf_program__set_autoload(prog[0], btf && have);
		bpf_program__set_autoload(prog[1], !btf && have);
		if (!have && i <= ACCEL_TP_FAULT_ACK) {
			if (st == ACCEL_EVENT_MISSING)
				snprintf(why, sizeof(why), "the driver has no "
					 "%s/%s tracepoint",
					 ACCEL_EVENT_SYSTEM, event);
			snprintf(err, len, "%s", why);
			goto fail;
		}
		if (!have && i == ACCEL_TP_IRQ_FIRE)
			b->no_irq = true;
		if (!have) {
			size_t l = strlen(b->missing);

			snprintf(b->missing + l, sizeof(b->missing) - l,
				 "%s%s (%s)", l ? ", " : "", event,
				 st == ACCEL_EVENT_CHANGED ? "format changed" :
				 "not in the driver");
		}
	}
	ret = accelsim_lat_bpf__load(b->skel);
	if (!ret)
		ret = accelsim_lat_bpf__attach(b->skel);
	if (!ret) {
		b->rb = ring_buffer__new(bpf_map__fd(b->skel->maps.retired),
					 on_retired, b, NULL);
		if (!b->rb)
			ret = -errno;
	}
	if (ret) {
		char why[512];

		last_line(why, sizeof(why));
		snprintf(err, len, "cannot load or attach BPF programs: %s%s%s",
			 strerror(-ret), why[0] ? ": " : "", why);
		goto fail;
	}
	libbpf_set_print(NULL);
	src->priv = b;
	src->kind = btf ? AT_SRC_BPF_BTF : AT_SRC_BPF_TP;
	src->sample = bpf_sample;
	src->poll = bpf_poll;
	src->close = bpf_close;
	return 0;
fail:
	accelsim_lat_bpf__destroy(b->skel);
	free(b->retired);
	free(b->stale);
	free(b->percpu);
	free(b);
	libbpf_set_print(NULL);
	return ret;
}
