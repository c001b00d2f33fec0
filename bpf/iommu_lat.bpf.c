// SPDX-License-Identifier: GPL-2.0
/*
 * iommu_lat: Intel IOMMU invalidation counts and latencies, per unit.
 *
 * Counts: one per intel_iommu:qi_submit event, the tracepoint
 * qi_submit_sync() fires for each descriptor it queues (not for the wait
 * descriptor it appends), so they equal what trace-cmd records. Latency:
 * fentry/fexit of qi_submit_sync(), keyed by the calling task, filed
 * under the type of the call's first descriptor (as the kernel's own
 * INTEL_IOMMU_DEBUGFS latency counters are).
 *
 * Two program sets: tp_btf/qi_submit (needs vmlinux BTF, reads the
 * TP_PROTO arguments and iommu->name) and tracepoint/intel_iommu/qi_submit
 * (the record as the format file lays it out, 6.1 and 6.12 alike). The
 * loader enables one of them, and the fentry/fexit pair when
 * qi_submit_sync is in the kernel's BTF, with bpf_program__set_autoload().
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#include "iommu_lat.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, IOMMU_LAT_MAX_UNITS);
	__type(key, struct iommu_lat_key);
	__type(value, struct iommu_lat_unit);
} units SEC(".maps");

struct start {
	__u64 ts;
	__u32 type;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, IOMMU_LAT_MAX_PENDING);
	__type(key, __u64);
	__type(value, struct start);
} starts SEC(".maps");

/* Initial value of new entries (too big for the BPF stack). */
struct iommu_lat_unit zero_unit;

__u64 drops[IOMMU_LAT_DROP_NR];

static __always_inline struct iommu_lat_unit *get_unit(struct iommu_lat_key *key)
{
	struct iommu_lat_unit *u;

	u = bpf_map_lookup_elem(&units, key);
	if (u)
		return u;
	bpf_map_update_elem(&units, key, &zero_unit, BPF_NOEXIST);
	u = bpf_map_lookup_elem(&units, key);
	if (!u)
		__sync_fetch_and_add(&drops[IOMMU_LAT_DROP_MAP_FULL], 1);
	return u;
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

static __always_inline int count_desc(struct iommu_lat_key *key, __u64 qw0)
{
	struct iommu_lat_unit *u = get_unit(key);

	if (u)
		__sync_fetch_and_add(&u->descs[qw0 & (IOMMU_LAT_TYPES - 1)], 1);
	return 0;
}

SEC("tp_btf/qi_submit")
int BPF_PROG(btf_qi_submit, struct intel_iommu *iommu, u64 qw0, u64 qw1,
	     u64 qw2, u64 qw3)
{
	struct iommu_lat_key key = {};

	bpf_probe_read_kernel_str(key.name, sizeof(key.name), iommu->name);
	return count_desc(&key, qw0);
}

/* events/intel_iommu/qi_submit/format, the same on 6.1 and 6.12. */
struct tp_qi_submit {
	__u64 common;
	__u64 qw0;
	__u64 qw1;
	__u64 qw2;
	__u64 qw3;
	__u32 iommu_loc;	/* __data_loc char[]: length << 16 | offset */
};

SEC("tracepoint/intel_iommu/qi_submit")
int tp_qi_submit(struct tp_qi_submit *ctx)
{
	struct iommu_lat_key key = {};
	__u32 off = ctx->iommu_loc & 0xffff;

	bpf_probe_read_kernel_str(key.name, sizeof(key.name), (void *)ctx + off);
	return count_desc(&key, ctx->qw0);
}

SEC("fentry/qi_submit_sync")
int BPF_PROG(qi_submit_sync_entry, struct intel_iommu *iommu,
	     struct qi_desc *desc, unsigned int count, unsigned long options)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct start s = { .ts = bpf_ktime_get_ns() };

	s.type = BPF_CORE_READ(desc, qw0) & (IOMMU_LAT_TYPES - 1);
	if (bpf_map_update_elem(&starts, &id, &s, BPF_ANY))
		__sync_fetch_and_add(&drops[IOMMU_LAT_DROP_START_LOST], 1);
	return 0;
}

SEC("fexit/qi_submit_sync")
int BPF_PROG(qi_submit_sync_exit, struct intel_iommu *iommu,
	     struct qi_desc *desc, unsigned int count, unsigned long options,
	     int ret)
{
	__u64 id = bpf_get_current_pid_tgid(), lat;
	struct iommu_lat_key key = {};
	struct iommu_lat_unit *u;
	struct start *s;
	__u32 slot, type, idx;

	s = bpf_map_lookup_elem(&starts, &id);
	if (!s)
		return 0;	/* entered before we attached, or evicted */
	lat = bpf_ktime_get_ns() - s->ts;
	type = s->type & (IOMMU_LAT_TYPES - 1);
	bpf_map_delete_elem(&starts, &id);
	bpf_probe_read_kernel_str(key.name, sizeof(key.name), iommu->name);
	u = get_unit(&key);
	if (!u)
		return 0;
	slot = log2_u64(lat) & (IOMMU_LAT_SLOTS - 1);
	__sync_fetch_and_add(&u->submits[type], 1);
	__sync_fetch_and_add(&u->lat_sum_ns[type], lat);
	/*
	 * One bounded index into the flattened histograms: clang merges
	 * [type][slot] into one shift-or the verifier cannot bound, so the
	 * mask comes after an optimisation barrier.
	 */
	idx = type * IOMMU_LAT_SLOTS + slot;
	asm volatile("" : "+r"(idx));
	idx &= IOMMU_LAT_TYPES * IOMMU_LAT_SLOTS - 1;
	__sync_fetch_and_add(&u->lat[0][0] + idx, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
