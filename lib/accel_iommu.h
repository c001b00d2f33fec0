/* SPDX-License-Identifier: MIT */
/*
 * libaccel: Intel IOMMU invalidations, per IOMMU unit (dmar0, ...), from
 * BPF (bpf/iommu_lat.bpf.c): the descriptors queued, by type (one per
 * intel_iommu:qi_submit event, so the counts equal trace-cmd's), and the
 * time each qi_submit_sync() call took, filed under its first
 * descriptor's type, as log2 histograms. Works without
 * INTEL_IOMMU_DEBUGFS.
 *
 * A reading is cumulative since the source was opened; the tools show
 * the difference of two readings (accel_iommu_delta()) over a window.
 */
#ifndef ACCEL_IOMMU_H
#define ACCEL_IOMMU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <json-c/json.h>

#include "accel_views.h"

/* Descriptor types: the low 4 bits of qw0 (the kernel's QI_*_TYPE). */
#define ACCEL_IOMMU_TYPES	16
#define ACCEL_IOMMU_MAX_UNITS	64
#define ACCEL_IOMMU_NAME_LEN	16

enum accel_iommu_type {
	ACCEL_QI_CC = 1,		/* context cache */
	ACCEL_QI_IOTLB = 2,
	ACCEL_QI_DIOTLB = 3,		/* device TLB */
	ACCEL_QI_IEC = 4,		/* interrupt entry cache */
	ACCEL_QI_IWD = 5,		/* invalidation wait */
	ACCEL_QI_EIOTLB = 6,		/* PASID-based IOTLB */
	ACCEL_QI_PC = 7,		/* PASID cache */
	ACCEL_QI_DEIOTLB = 8,		/* PASID-based device TLB */
	ACCEL_QI_PGRP_RESP = 9,		/* page group response */
	ACCEL_QI_PSTRM_RESP = 10,	/* page stream response */
};

/* A descriptor's type, from its first quadword. */
unsigned int accel_iommu_desc_type(uint64_t qw0);

/*
 * The name of a type in the tools' output ("iotlb", "pasid_iotlb", ...);
 * an undefined one is NULL.
 */
const char *accel_iommu_type_name(unsigned int type);

/* A type by its name (accel_iommu_type_name()): 0..15, or -1. */
int accel_iommu_type_of(const char *name);

struct accel_iommu_unit {
	char name[ACCEL_IOMMU_NAME_LEN];	/* "dmar0" */
	uint64_t descs[ACCEL_IOMMU_TYPES];	/* qi_submit events */
	uint64_t submits[ACCEL_IOMMU_TYPES];	/* timed qi_submit_sync() */
	uint64_t lat_sum_ns[ACCEL_IOMMU_TYPES];
	struct accel_hist lat[ACCEL_IOMMU_TYPES];
};

/* Where the figures came from. */
enum accel_iommu_src_kind {
	ACCEL_IOMMU_SRC_BTF,		/* tp_btf/qi_submit */
	ACCEL_IOMMU_SRC_TP,		/* tracepoint/intel_iommu/qi_submit */
	ACCEL_IOMMU_SRC_FIXTURE,	/* $ACCEL_IOMMU_FIXTURE (tests) */
};

struct accel_iommu_snap {
	size_t n;
	struct accel_iommu_unit unit[ACCEL_IOMMU_MAX_UNITS];
	bool has_lat;		/* qi_submit_sync() timed */
	uint64_t drops;		/* events or latencies not counted */
	double secs;		/* the window of a delta */
};

/*
 * The unit named @name in @s, added (zeroed) if new and there is room;
 * NULL when full.
 */
struct accel_iommu_unit *accel_iommu_unit_get(struct accel_iommu_snap *s,
					      const char *name);

/*
 * @out = @now - @then, unit by name and type (a unit only in @now
 * counts from zero); units sorted by name. @out->secs is left to the
 * caller.
 */
void accel_iommu_delta(const struct accel_iommu_snap *now,
		       const struct accel_iommu_snap *then,
		       struct accel_iommu_snap *out);

/* Descriptors of all types, and timed submissions, in @s. */
uint64_t accel_iommu_total(const struct accel_iommu_snap *s);

/*
 * A fixture reading (tests, $ACCEL_IOMMU_FIXTURE): lines
 *   UNIT TYPE DESCS SUBMITS LAT_SUM_NS [SLOT:COUNT,...]
 *   nolatency
 * ('#' starts a comment). 0, or -EINVAL with the line in @err.
 */
int accel_iommu_parse(const char *text, struct accel_iommu_snap *s,
		      char *err, size_t len);

/*
 * The BPF source (lib/iommu_bpf.c), or the fixture file that
 * $ACCEL_IOMMU_FIXTURE names (tests: its first reading is empty, the
 * later ones are the file's); $ACCEL_IOMMU_SOURCE=bpf-tp loads the
 * program set of a kernel without BTF.
 */
struct accel_iommu_src;

/*
 * Load and attach the programs. 0, or a negative errno with why in @why
 * (no tracepoint intel_iommu:qi_submit, no BTF, not root, lockdown, ...).
 * On success, a source that counts but cannot time (qi_submit_sync not
 * in the kernel's BTF, or not attachable) says so in
 * accel_iommu_missing(). @tracefs: the tracefs root (NULL: default).
 */
int accel_iommu_open(struct accel_iommu_src **out, const char *tracefs,
		     char *why, size_t len);

/* The cumulative reading since the open. 0 or a negative errno. */
int accel_iommu_read(struct accel_iommu_src *src, struct accel_iommu_snap *s);

/* What the source does not measure, and why ("" if nothing). */
const char *accel_iommu_missing(const struct accel_iommu_src *src);

enum accel_iommu_src_kind accel_iommu_kind(const struct accel_iommu_src *src);

/* "bpf-btf", "bpf-tp" or "fixture". */
const char *accel_iommu_kind_name(enum accel_iommu_src_kind kind);

void accel_iommu_close(struct accel_iommu_src *src);

/*
 * Output of a delta (accel_iommu_delta(), secs set). The text: one row
 * per unit and type with descriptors, a rate, submissions, p50 and p99,
 * then each non-empty latency histogram. @missing: what is not measured
 * ("" or NULL: nothing).
 */
void accel_iommu_text(FILE *f, const struct accel_iommu_snap *s,
		      const char *source, const char *missing);

/*
 * The "iommu" object: {"source", "window_ns", "latency_measured",
 * "missing" (an array of @missing), "drops", "units": [{"device",
 * "invalidations": [{"type", "code", "descriptors", "descriptors_per_s",
 * "submissions", "lat_sum_ns", "p50_lat_ns", "p99_lat_ns" (null: none
 * timed), "latency"}]}]}: a type with neither descriptors nor
 * submissions is left out.
 */
json_object *accel_iommu_json(const struct accel_iommu_snap *s,
			      const char *source, const char *missing);

/* The Prometheus families accel_iommu_* (text format, HELP and TYPE). */
void accel_iommu_prom(FILE *f, const struct accel_iommu_snap *s);

#endif /* ACCEL_IOMMU_H */
