// SPDX-License-Identifier: GPL-2.0
/*
 * accelsim_lat: fault and TLBI latency histograms and per-PASID counters
 * for accelsim devices, computed in the kernel.
 *
 * Fault latency is fault -> fault_ack, TLBI latency tlbi_start -> tlbi_done,
 * both paired by the events' id and timed with bpf_ktime_get_ns(). Every
 * figure is kept per device (dev_stats, per CPU) and per (device, PASID)
 * (pasid_stats); those of the events that carry a PE (all but the TLBIs,
 * which invalidate a PASID's translations on a device whatever its
 * contexts) also per (device, PE, PASID) (ctx_stats). When the driver
 * frees a PASID, its pasid_stats entries are sent to the retired ring
 * buffer and deleted, and its generation (pasid_gen) is bumped: acceltop
 * then takes and deletes its ctx_stats entries, which no program touches
 * any more. So the maps stay bounded.
 *
 * The driver traces pasid_free after every event of the binding being
 * freed and before the number can be allocated again (doc/contract.md),
 * so no program holds a pasid_stats entry while on_pasid_free() deletes
 * it, and no event is counted into an entry of another binding. Each
 * way an event can still go uncounted has its own counter in drops[].
 *
 * The programs run on the engine's critical path (each fault is a round
 * trip between the engine and the fault worker), so the per-event work is
 * kept to array slots and one hash lookup per keyed map: the raise times
 * are a direct-mapped array indexed by the fault (TLBI) id, the device
 * totals a per-CPU array, and an ack records its latency and its count in
 * one pass over the entries.
 *
 * Two program sets with the same logic: tp_btf/ (needs the module's BTF,
 * reads the TP_PROTO arguments) and tracepoint/accelsim/ (context structs
 * written from the events' format files). The loader enables one set with
 * bpf_program__set_autoload().
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "accel_events.h"
#include "accelsim_lat.h"

/* The errnos map updates return (vmlinux.h has no macros). */
#define EBUSY	16
#define EEXIST	17
#define E2BIG	7

/*
 * The raise (start) time of a fault (TLBI) in flight, in slot id %
 * ACCEL_LAT_MAX_PENDING of an array. The driver numbers faults (TLBIs)
 * from one counter for all devices, incremented at each, so the ids in
 * flight at once are distinct and consecutive ones use consecutive slots:
 * a slot is reused only by the fault raised ACCEL_LAT_MAX_PENDING later.
 * Unlike the LRU hash this replaces (a hashed, locked update at the fault,
 * a locked delete at the ack), an array slot is plain stores and loads,
 * without a lock or an allocation, on either CPU. A slot overwritten while
 * its fault is still in flight (more than ACCEL_LAT_MAX_PENDING pending,
 * or a fault never acked: what the LRU evicted, silently too) loses that
 * fault's latency: its ack finds another id there. The ack is
 * ordered after its fault by the driver (the fault is queued under its
 * locks before the worker acks it), so it sees the fault's stores.
 */
struct start {
	__u64 id;		/* 0: free (ids start at 1) */
	__u64 ts;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, ACCEL_LAT_MAX_PENDING);
	__type(key, __u32);
	__type(value, struct start);
} fault_start SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, ACCEL_LAT_MAX_PENDING);
	__type(key, __u32);
	__type(value, struct start);
} tlbi_start SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, ACCEL_LAT_MAX_PASIDS);
	__type(key, struct accel_lat_key);
	__type(value, struct accel_lat_counts);
} pasid_stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, ACCEL_LAT_MAX_CTXS);
	__type(key, struct accel_lat_ctx_key);
	__type(value, struct accel_lat_counts);
} ctx_stats SEC(".maps");

/* The binding generation of each PASID number freed: +1 at pasid_free. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, ACCEL_LAT_MAX_GENS);
	__type(key, __u32);
	__type(value, __u32);
} pasid_gen SEC(".maps");

/*
 * Device totals, indexed by the device id: a per-CPU array, so an event
 * adds to its own CPU's copy (no hash, no cache line shared with the
 * other CPU's events); acceltop sums the copies. A device id past the
 * array is counted as DROP_MAP_FULL.
 */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, ACCEL_LAT_DEV_IDS);
	__type(key, __u32);
	__type(value, struct accel_lat_counts);
} dev_stats SEC(".maps");

/* Final counts of each freed PASID, so userspace misses none. */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, ACCEL_LAT_RETIRED_BYTES);
} retired SEC(".maps");

/* Initial value of new entries (too big for the BPF stack). */
struct accel_lat_counts zero_counts;

/* Events (or freed PASIDs' final counts) not counted, by cause. */
__u64 drops[ACCEL_LAT_DROP_NR];

static __always_inline void drop(enum accel_lat_drop why)
{
	__sync_fetch_and_add(&drops[why], 1);
}

/* Count a failed map update by its cause. */
static __always_inline void drop_update(long err)
{
	if (err == -E2BIG)
		drop(ACCEL_LAT_DROP_MAP_FULL);
	else if (err == -EBUSY)
		drop(ACCEL_LAT_DROP_MAP_BUSY);
	else
		drop(ACCEL_LAT_DROP_MAP_NOMEM);
}

/*
 * Get or create the entry of @key in @map: an update that finds the key
 * there (-EEXIST) is fine, a lookup that then finds nothing means the
 * entry was deleted in between. *@created says the first lookup found
 * none (the caller then fills the key fields, once).
 */
static __always_inline void *get_or_create(void *map, const void *key,
					   bool *created)
{
	void *c;
	long err;

	*created = false;
	c = bpf_map_lookup_elem(map, key);
	if (c)
		return c;
	*created = true;
	err = bpf_map_update_elem(map, key, &zero_counts, BPF_NOEXIST);
	if (err && err != -EEXIST) {
		drop_update(err);
		return NULL;
	}
	c = bpf_map_lookup_elem(map, key);
	if (!c)
		drop(ACCEL_LAT_DROP_ENTRY_GONE);
	return c;
}

static __always_inline __u32 log2_u64(__u64 v)
{
	__u32 r = 0, shift;

	shift = (v > 0xffffffffULL) << 5;
	v >>= shift;
	r |= shift;
	shift = (v > 0xffff) << 4;
	v >>= shift;
	r |= shift;
	shift = (v > 0xff) << 3;
	v >>= shift;
	r |= shift;
	shift = (v > 0xf) << 2;
	v >>= shift;
	r |= shift;
	shift = (v > 0x3) << 1;
	v >>= shift;
	r |= shift;
	r |= (v >> 1);
	return r;
}

/* This CPU's totals of @dev (dev, pasid and pe of the entry stay 0). */
static __always_inline struct accel_lat_counts *get_dev(__u32 dev)
{
	struct accel_lat_counts *c;

	c = bpf_map_lookup_elem(&dev_stats, &dev);
	if (!c)
		drop(ACCEL_LAT_DROP_MAP_FULL);
	return c;
}

static __always_inline struct accel_lat_counts *get_pasid(__u32 dev,
							   __u32 pasid)
{
	struct accel_lat_key key = { .dev = dev, .pasid = pasid };
	struct accel_lat_counts *c;
	bool created;

	c = get_or_create(&pasid_stats, &key, &created);
	if (c && created) {
		c->dev = dev;
		c->pasid = pasid;
		c->pe = ACCEL_LAT_PE_NONE;
	}
	return c;
}

static __always_inline struct accel_lat_counts *get_ctx(__u32 dev, __u32 pe,
							 __u32 pasid)
{
	struct accel_lat_ctx_key key = { .dev = dev, .pe = pe,
					 .pasid = pasid };
	struct accel_lat_counts *c;
	bool created;
	__u32 *gen;

	gen = bpf_map_lookup_elem(&pasid_gen, &pasid);
	if (gen)
		key.gen = *gen;

	c = get_or_create(&ctx_stats, &key, &created);
	if (c && created) {
		c->dev = dev;
		c->pasid = pasid;
		c->pe = pe;
	}
	return c;
}

enum accel_lat_what {
	W_FAULT,
	W_RESTART,
	W_ADDRESS_ERROR,
	W_TLBI,
	W_IRQ,
	W_SUBMIT,
	W_DONE,		/* status OK or MISMATCH, as the driver's stats */
	W_FAILED,	/* another status: its bytes only */
};

static __always_inline void bump(struct accel_lat_counts *c, enum accel_lat_what w,
				 __u64 bytes)
{
	switch (w) {
	case W_FAULT:
		__sync_fetch_and_add(&c->faults, 1);
		break;
	case W_RESTART:
		__sync_fetch_and_add(&c->faults_restart, 1);
		break;
	case W_ADDRESS_ERROR:
		__sync_fetch_and_add(&c->faults_address_error, 1);
		break;
	case W_TLBI:
		__sync_fetch_and_add(&c->tlbis, 1);
		break;
	case W_IRQ:
		__sync_fetch_and_add(&c->irqs, 1);
		break;
	case W_SUBMIT:
		__sync_fetch_and_add(&c->work_submitted, 1);
		break;
	case W_DONE:
		__sync_fetch_and_add(&c->work_done, 1);
		__sync_fetch_and_add(&c->bytes, bytes);
		break;
	case W_FAILED:
		__sync_fetch_and_add(&c->bytes, bytes);
		break;
	}
}

static __always_inline void record_lat(struct accel_lat_counts *c, bool tlbi,
				       __u64 lat, __u32 slot)
{
	/* Bound the index here, where the verifier sees it. */
	slot &= ACCEL_LAT_SLOTS - 1;
	if (tlbi) {
		__sync_fetch_and_add(&c->tlbi_lat[slot], 1);
		__sync_fetch_and_add(&c->tlbi_lat_sum_ns, lat);
	} else {
		__sync_fetch_and_add(&c->fault_lat[slot], 1);
		__sync_fetch_and_add(&c->fault_lat_sum_ns, lat);
	}
}

/*
 * Count an event of @pasid on @dev, and of context @pe unless PE_NONE;
 * with @lat (the ack of a fault or TLBI whose start was seen), record its
 * latency in the same entries: one lookup of each.
 */
static __always_inline void count_lat(__u32 dev, __u32 pe, __u32 pasid,
				      enum accel_lat_what w, __u64 bytes,
				      bool has_lat, bool tlbi, __u64 lat)
{
	struct accel_lat_counts *c;
	__u32 slot = log2_u64(lat);	/* 0..63 */

	c = get_dev(dev);
	if (c) {
		bump(c, w, bytes);
		if (has_lat)
			record_lat(c, tlbi, lat, slot);
	}
	c = get_pasid(dev, pasid);
	if (c) {
		bump(c, w, bytes);
		if (has_lat)
			record_lat(c, tlbi, lat, slot);
	}
	if (pe == ACCEL_LAT_PE_NONE)
		return;
	c = get_ctx(dev, pe, pasid);
	if (c) {
		bump(c, w, bytes);
		if (has_lat)
			record_lat(c, tlbi, lat, slot);
	}
}

static __always_inline void count(__u32 dev, __u32 pe, __u32 pasid,
				  enum accel_lat_what w, __u64 bytes)
{
	count_lat(dev, pe, pasid, w, bytes, false, false, 0);
}

/* The start slot of @id (never NULL: the index is in the array). */
static __always_inline struct start *start_slot(void *map, __u64 id)
{
	__u32 k = (__u32)id & (ACCEL_LAT_MAX_PENDING - 1);

	return bpf_map_lookup_elem(map, &k);
}

/*
 * The latency of @id, and free its slot: false when its start was not
 * seen (started before we attached, or its slot reused).
 */
static __always_inline bool lat_end(void *map, __u64 id, __u64 *lat)
{
	struct start *s = start_slot(map, id);

	if (!s || s->id != id)
		return false;
	*lat = bpf_ktime_get_ns() - s->ts;
	s->id = 0;
	return true;
}

static __always_inline void lat_start(void *map, __u64 id)
{
	struct start *s = start_slot(map, id);

	if (!s) {
		drop(ACCEL_LAT_DROP_START_LOST);
		return;
	}
	s->ts = bpf_ktime_get_ns();
	s->id = id;
}

static __always_inline int on_fault(__u64 id, __u32 dev, __u32 pe,
				    __u32 pasid)
{
	count(dev, pe, pasid, W_FAULT, 0);
	lat_start(&fault_start, id);
	return 0;
}

static __always_inline int on_fault_ack(__u64 id, __u32 dev, __u32 pe,
					__u32 pasid, __u32 resp)
{
	__u64 lat = 0;
	bool has_lat = lat_end(&fault_start, id, &lat);

	count_lat(dev, pe, pasid, resp ? W_ADDRESS_ERROR : W_RESTART, 0,
		  has_lat, false, lat);
	return 0;
}

/* TLBIs carry no PE: they count per device and PASID only. */
static __always_inline int on_tlbi_start(__u64 id, __u32 dev, __u32 pasid)
{
	lat_start(&tlbi_start, id);
	return 0;
}

static __always_inline int on_tlbi_done(__u64 id, __u32 dev, __u32 pasid)
{
	__u64 lat = 0;
	bool has_lat = lat_end(&tlbi_start, id, &lat);

	count_lat(dev, ACCEL_LAT_PE_NONE, pasid, W_TLBI, 0, has_lat, true,
		  lat);
	return 0;
}

/* Status values of work_done (kernel/uapi/accelsim.h). */
#define STATUS_OK	0
#define STATUS_MISMATCH	2

static __always_inline int on_work_done(__u32 dev, __u32 pe, __u32 pasid,
					__u32 status, __u64 bytes)
{
	count(dev, pe, pasid, status == STATUS_OK || status == STATUS_MISMATCH ?
	      W_DONE : W_FAILED, bytes);
	return 0;
}

static __always_inline int on_pasid_free(__u32 pasid, __u32 pid)
{
	struct accel_lat_key key = { .pasid = pasid };
	struct accel_lat_counts *c;
	__u32 dev, *gen, one = 1;

	for (dev = 0; dev < ACCEL_LAT_MAX_DEVS; dev++) {
		key.dev = dev;
		c = bpf_map_lookup_elem(&pasid_stats, &key);
		if (!c)
			continue;
		c->pid = pid;
		if (bpf_ringbuf_output(&retired, c, sizeof(*c), 0))
			drop(ACCEL_LAT_DROP_RETIRED_LOST);
		bpf_map_delete_elem(&pasid_stats, &key);
	}
	/*
	 * The next binding of the number counts its contexts apart. An
	 * update that fails leaves the generation as it was: the next
	 * binding's contexts would add to this one's, so it is a drop.
	 */
	gen = bpf_map_lookup_elem(&pasid_gen, &pasid);
	if (gen)
		__sync_fetch_and_add(gen, 1);
	else if (bpf_map_update_elem(&pasid_gen, &pasid, &one, BPF_NOEXIST))
		drop(ACCEL_LAT_DROP_MAP_NOMEM);
	return 0;
}

/* tp_btf: the TP_PROTO arguments (kernel/accelsim_trace.h). */

SEC("tp_btf/fault")
int BPF_PROG(btf_fault, u64 id, u32 dev, u32 pe, u32 pasid, u64 addr,
	     u32 access)
{
	return on_fault(id, dev, pe, pasid);
}

SEC("tp_btf/fault_ack")
int BPF_PROG(btf_fault_ack, u64 id, u32 dev, u32 pe, u32 pasid, u64 addr,
	     u32 resp, u64 lat_ns)
{
	return on_fault_ack(id, dev, pe, pasid, resp);
}

SEC("tp_btf/tlbi_start")
int BPF_PROG(btf_tlbi_start, u64 id, u32 dev, u32 pasid, u64 start, u64 end)
{
	return on_tlbi_start(id, dev, pasid);
}

SEC("tp_btf/tlbi_done")
int BPF_PROG(btf_tlbi_done, u64 id, u32 dev, u32 pasid, u64 start, u64 end,
	     u32 entries, u64 lat_ns)
{
	return on_tlbi_done(id, dev, pasid);
}

SEC("tp_btf/irq_fire")
int BPF_PROG(btf_irq_fire, u32 dev, u32 pe, u32 pasid, u32 hwirq)
{
	count(dev, pe, pasid, W_IRQ, 0);
	return 0;
}

SEC("tp_btf/work_submit")
int BPF_PROG(btf_work_submit, u64 id, u32 dev, u32 pe, u32 pasid, u32 op,
	     u64 len, u64 tag)
{
	count(dev, pe, pasid, W_SUBMIT, 0);
	return 0;
}

SEC("tp_btf/work_done")
int BPF_PROG(btf_work_done, u64 id, u32 dev, u32 pe, u32 pasid, u32 status,
	     u64 bytes)
{
	return on_work_done(dev, pe, pasid, status, bytes);
}

SEC("tp_btf/pasid_free")
int BPF_PROG(btf_pasid_free, u32 pasid, u32 pid)
{
	return on_pasid_free(pasid, pid);
}

/*
 * tracepoint/: the records as events/accelsim/<event>/format lays them out,
 * from lib/accel_events.h (acceltop checks the running driver's format
 * files against the same structs before it loads these programs).
 */
SEC("tracepoint/accelsim/fault")
int tp_fault(struct accel_tp_fault *ctx)
{
	return on_fault(ctx->id, ctx->dev, ctx->pe, ctx->pasid);
}

SEC("tracepoint/accelsim/fault_ack")
int tp_fault_ack(struct accel_tp_fault_ack *ctx)
{
	return on_fault_ack(ctx->id, ctx->dev, ctx->pe, ctx->pasid,
			    ctx->resp);
}

SEC("tracepoint/accelsim/tlbi_start")
int tp_tlbi_start(struct accel_tp_tlbi *ctx)
{
	return on_tlbi_start(ctx->id, ctx->dev, ctx->pasid);
}

SEC("tracepoint/accelsim/tlbi_done")
int tp_tlbi_done(struct accel_tp_tlbi *ctx)
{
	return on_tlbi_done(ctx->id, ctx->dev, ctx->pasid);
}

SEC("tracepoint/accelsim/irq_fire")
int tp_irq_fire(struct accel_tp_irq *ctx)
{
	count(ctx->dev, ctx->pe, ctx->pasid, W_IRQ, 0);
	return 0;
}

SEC("tracepoint/accelsim/work_submit")
int tp_work_submit(struct accel_tp_work_submit *ctx)
{
	count(ctx->dev, ctx->pe, ctx->pasid, W_SUBMIT, 0);
	return 0;
}

SEC("tracepoint/accelsim/work_done")
int tp_work_done(struct accel_tp_work_done *ctx)
{
	return on_work_done(ctx->dev, ctx->pe, ctx->pasid, ctx->status,
			    ctx->bytes);
}

SEC("tracepoint/accelsim/pasid_free")
int tp_pasid_free(struct accel_tp_pasid *ctx)
{
	return on_pasid_free(ctx->pasid, ctx->pid);
}

char LICENSE[] SEC("license") = "GPL";
