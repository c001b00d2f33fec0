/* SPDX-License-Identifier: MIT */
/*
 * libaccel: one device's views loaded together, and the figures derived
 * from them (what accelstat, acceltop and dump bundles show).
 */
#ifndef ACCEL_DEV_H
#define ACCEL_DEV_H

#include <stdbool.h>
#include <stdint.h>

#include "accel_views.h"

struct accel_dev {
	unsigned int id;		/* N of afuN */
	char name[16];			/* "afuN" */
	struct accel_info info;
	struct accel_spa spa;
	struct accel_pasids pasids;
	struct accel_faults faults;
	struct accel_irqs irqs;
	struct accel_stats stats;
	struct accel_atc atc;		/* when has_atc */
	bool has_atc;			/* the driver has the atc view */
	unsigned int missing;		/* ACCEL_MISSING_* views left empty */
	struct accel_gen gen;		/* accel_dev_reload(): read at these */
};

/*
 * Views a partial load (accel_bundle_load_dev_partial) could not parse
 * and left empty: their figures are unknown, not zero.
 */
enum {
	ACCEL_MISSING_SPA = 1u << 1,
	ACCEL_MISSING_PASIDS = 1u << 2,
	ACCEL_MISSING_FAULTS = 1u << 3,
	ACCEL_MISSING_IRQS = 1u << 4,
	ACCEL_MISSING_STATS = 1u << 5,
};

/* The views flagged in missing, by name: "spa, faults" ("" for none). */
char *accel_dev_missing_str(unsigned int missing, char *buf, size_t size);

/*
 * Read and parse root/afuN/{info,spa,pasids,faults,irqs,stats}, and atc
 * when the driver has it (has_atc). Every other view is required. Returns 0, or a negative errno with err->msg naming the file
 * ("afu0/spa:3: ..." or "afu0/faults: No such file or directory").
 */
int accel_dev_load(const char *root, unsigned int id, struct accel_dev *d,
		   struct accel_err *err);
void accel_dev_free(struct accel_dev *d);

/*
 * As accel_dev_load(), for a tool that loads the same device again and
 * again (accelstat -i): read root/afuN/gen first, then only the views
 * whose generation moved since prev was loaded (prev: the last load of
 * the same device by this function, or NULL); the others are copied from
 * prev. faults and atc, whose rows carry an age, are kept only when
 * empty. d->gen records the counts d was read at.
 */
int accel_dev_reload(const char *root, unsigned int id,
		     const struct accel_dev *prev, struct accel_dev *d,
		     struct accel_err *err);

/* Views read by this library since start (ACCEL_DEBUG_READS). */
struct accel_dev_reads {
	unsigned long gen, info, spa, pasids, faults, irqs, stats, atc;
};

void accel_dev_reads(struct accel_dev_reads *r);

/*
 * One view of device id, read and parsed alone: root/afuN/info, spa or
 * stats. Returns 0, or a negative errno with err->msg naming the file, as
 * accel_dev_load().
 */
int accel_load_info(const char *root, unsigned int id,
		    struct accel_info *info, struct accel_err *err);
int accel_load_spa(const char *root, unsigned int id, struct accel_spa *spa,
		   struct accel_err *err);
int accel_load_stats(const char *root, unsigned int id,
		     struct accel_stats *st, struct accel_err *err);

/*
 * root/afuN/gen: each view's generation (accel_views.h). -ENOENT from a
 * driver without the view; on any error *gen is left empty (no count, so
 * every view is read).
 */
int accel_load_gen(const char *root, unsigned int id, struct accel_gen *gen,
		   struct accel_err *err);

/* Whether device id's directory has vanished from root (it was removed). */
bool accel_dev_gone(const char *root, unsigned int id);

/* Whether device id's directory is under root (can be accessed). */
bool accel_dev_exists(const char *root, unsigned int id);

/* Derived figures; latencies in ns, has_* false when a histogram is empty. */
struct accel_summary {
	uint32_t spa_used;		/* rows in spa */
	double spa_used_pct;		/* spa_used / max_pe */
	uint32_t zombies;		/* spa rows in state zombie */
	uint32_t kernel_contexts;
	uint32_t pasids_live, pasids_draining, pasids_free_pending;
	uint32_t faults_pending;	/* rows in faults */
	uint32_t faults_held;
	uint64_t oldest_fault_age_ns;	/* 0 with no pending fault */
	uint32_t irqs_used;		/* info irqs_used */
	double irq_used_pct;		/* irqs_used / irq_budget */
	uint32_t atc_used;		/* rows in atc (has_atc) */
	double atc_used_pct;		/* atc_used / atc_entries */
	bool has_atc_hits;		/* the ATC was looked up */
	double atc_hit_pct;		/* atc_hits / (hits + misses) */
	uint64_t faults_acked;		/* restart + address_error */
	double fault_error_pct;		/* address_error / acked * 100 */
	bool has_fault_lat, has_tlbi_lat;
	double fault_p50_ns, fault_p90_ns, fault_p99_ns;
	double tlbi_p50_ns, tlbi_p90_ns, tlbi_p99_ns;
};

void accel_dev_summarize(const struct accel_dev *d, struct accel_summary *s);

/* Percentiles 50/90/99 of h, into p[3]; false when h is empty. */
bool accel_hist_p50_90_99(const struct accel_hist *h, double p[3]);

#endif /* ACCEL_DEV_H */
