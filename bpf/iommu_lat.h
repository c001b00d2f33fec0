/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * iommu_lat: types shared by the BPF programs (iommu_lat.bpf.c) and
 * libaccel (lib/iommu_lat.c). Per Intel IOMMU unit (dmar0, ...): the
 * invalidation descriptors the kernel queued, by type (one per
 * intel_iommu:qi_submit event, as trace-cmd records them), and the time
 * each qi_submit_sync() call took to complete, by the type of its first
 * descriptor, as log2 histograms: slot B counts latencies in
 * [2^B, 2^(B+1)) ns, slot 0 also holds 0 ns.
 */
#ifndef IOMMU_LAT_H
#define IOMMU_LAT_H

#define IOMMU_LAT_SLOTS		64
/* Descriptor types: the low 4 bits of qw0. */
#define IOMMU_LAT_TYPES		16
#define IOMMU_LAT_MAX_UNITS	64
/* sizeof(((struct intel_iommu *)0)->name) on 6.1 and 6.12. */
#define IOMMU_LAT_NAME_LEN	16
/* qi_submit_sync() calls in flight (per task). */
#define IOMMU_LAT_MAX_PENDING	4096

struct iommu_lat_key {
	char name[IOMMU_LAT_NAME_LEN];
};

/* Counters since the programs were attached, of one unit. */
struct iommu_lat_unit {
	__u64 descs[IOMMU_LAT_TYPES];		/* qi_submit events */
	__u64 submits[IOMMU_LAT_TYPES];		/* timed calls, first type */
	__u64 lat_sum_ns[IOMMU_LAT_TYPES];
	__u64 lat[IOMMU_LAT_TYPES][IOMMU_LAT_SLOTS];
};

/* Why an event or a latency was not counted: indexes of drops[]. */
enum iommu_lat_drop {
	IOMMU_LAT_DROP_MAP_FULL,	/* units map full (or update failed) */
	IOMMU_LAT_DROP_START_LOST,	/* qi_submit_sync entry not stored */
	IOMMU_LAT_DROP_NR
};

#endif /* IOMMU_LAT_H */
