/* SPDX-License-Identifier: MIT */
/*
 * accelctl run: the workload of one context (run_ctx.c) and the driver of
 * all of them (run.c).
 */
#ifndef ACCELCTL_RUN_H
#define ACCELCTL_RUN_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct run_cfg {
	unsigned int dev;
	uint32_t contexts;
	uint32_t op;			/* enum accelsim_op */
	uint64_t size;			/* bytes per iteration, all contexts */
	uint64_t chunk;			/* bytes per descriptor */
	bool fresh, churn, irq, fork;
	uint64_t iterations;		/* 0: until duration */
	double duration;		/* seconds, 0: iterations */
	uint32_t window;		/* descriptors in flight per context */
};

/* What one context did; summed into the report. */
struct run_result {
	uint32_t pasid, pe;
	int attached;			/* 1 once ATTACH succeeded */
	uint64_t iterations;
	uint64_t work;			/* completions */
	uint64_t bytes;			/* bytes the completions report */
	uint64_t errors;		/* unexpected status or event */
	uint64_t mismatches;		/* data integrity failures */
	uint64_t irqs_expected, irqs_received;
	uint64_t churns;		/* munmap + remap cycles */
	int fatal;			/* negative errno that stopped it */
	char fatal_msg[160];
	uint64_t nlat;
	uint64_t lat[];			/* submit -> completion, ns */
};

/* Shared progress, updated by every context. */
struct run_progress {
	atomic_uint_least64_t bytes;
	atomic_uint_least64_t iterations;
	atomic_int stop;		/* set by the driver: time is up */
	atomic_int done;		/* contexts finished */
	atomic_int ready;		/* contexts attached (or failed) */
	atomic_int release;		/* contexts may close their fds */
};

/* Latency samples kept per context. */
#define RUN_MAX_LAT 200000

/*
 * Run context idx: open, attach, loop, then wait for prog->release before
 * closing the fd (so the driver can read the SPA rows while they exist).
 */
void run_context(const struct run_cfg *cfg, unsigned int idx,
		 struct run_progress *prog, struct run_result *res);

#endif /* ACCELCTL_RUN_H */
