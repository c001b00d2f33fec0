/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * accelsim_lat: types shared by the BPF programs (accelsim_lat.bpf.c) and
 * acceltop. Latencies go into log2 histograms: slot B counts latencies in
 * [2^B, 2^(B+1)) ns, slot 0 also holds 0 ns (as the driver's stats view).
 */
#ifndef ACCELSIM_LAT_H
#define ACCELSIM_LAT_H

#define ACCEL_LAT_SLOTS		64
/* Device numbers scanned when a PASID is freed (devices afu0..afu63). */
#define ACCEL_LAT_MAX_DEVS	64
/* (device, PASID) pairs tracked at once. */
#define ACCEL_LAT_MAX_PASIDS	4096
/* (device, PE, PASID) contexts tracked at once. */
#define ACCEL_LAT_MAX_CTXS	4096
/* PASID numbers whose binding generation is remembered (LRU). */
#define ACCEL_LAT_MAX_GENS	16384
/* The pe of a per-PASID record (pasid_stats, and its retired records). */
#define ACCEL_LAT_PE_NONE	0xffffffffU
/*
 * Faults and TLBIs in flight (raised or started, not yet acked or done):
 * the slots of the start arrays, indexed by id modulo this (a power of 2).
 */
#define ACCEL_LAT_MAX_PENDING	16384
/* Device ids of the per-CPU device totals (the driver's ids 0..255). */
#define ACCEL_LAT_DEV_IDS	256

/* The key of the per-PASID map; pasid 0xffffffff is a global TLBI. */
struct accel_lat_key {
	__u32 dev;
	__u32 pasid;
};

/*
 * The key of the per-context map: the events that carry a PE (fault,
 * fault_ack, irq_fire, work_submit, work_done) count there too. The
 * PASID is part of the key, so a PE freed and reused by another PASID
 * starts a new entry; so is the PASID's binding generation (pasid_gen,
 * bumped at each pasid_free), so no event of a later binding of the same
 * number counts in the entry of a freed one. acceltop deletes an entry
 * once its generation is past (the programs cannot walk the map at
 * pasid_free: callbacks need the BPF JIT), keeping its counts.
 */
struct accel_lat_ctx_key {
	__u32 dev;
	__u32 pe;
	__u32 pasid;
	__u32 gen;
};

/*
 * Why an event (or a freed PASID's final counts) was not counted: the
 * index in the programs' drops[] counters, one per kind of failure.
 */
enum accel_lat_drop {
	ACCEL_LAT_DROP_MAP_FULL,	/* a stats map had no free entry */
	ACCEL_LAT_DROP_MAP_BUSY,	/* bucket locked: a nested program */
	ACCEL_LAT_DROP_MAP_NOMEM,	/* any other update failure */
	ACCEL_LAT_DROP_ENTRY_GONE,	/* deleted between update and lookup */
	ACCEL_LAT_DROP_START_LOST,	/* fault or TLBI start not stored */
	ACCEL_LAT_DROP_RETIRED_LOST,	/* freed PASID: ring buffer full */
	ACCEL_LAT_DROP_NR
};

/* Ring buffer of the final counts of freed PASIDs. */
#define ACCEL_LAT_RETIRED_BYTES	(256 * 1024)

/*
 * Counters since the programs were attached (values of both maps, and the
 * records of the retired ring buffer).
 */
struct accel_lat_counts {
	__u32 dev;			/* the entry's key */
	__u32 pasid;
	__u32 pe;			/* ACCEL_LAT_PE_NONE: pasid_stats */
	__u32 pid;			/* retired records: pasid_free's pid */
	__u64 faults;			/* fault events */
	__u64 faults_restart;		/* fault_ack resp 0 */
	__u64 faults_address_error;	/* fault_ack resp 1 */
	__u64 tlbis;			/* tlbi_done events */
	__u64 irqs;			/* irq_fire events */
	__u64 work_submitted;
	__u64 work_done;
	__u64 bytes;			/* work_done bytes */
	__u64 fault_lat_sum_ns;		/* paired faults only */
	__u64 tlbi_lat_sum_ns;		/* paired TLBIs only */
	__u64 fault_lat[ACCEL_LAT_SLOTS];
	__u64 tlbi_lat[ACCEL_LAT_SLOTS];
};

#endif /* ACCELSIM_LAT_H */
