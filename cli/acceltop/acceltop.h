/* SPDX-License-Identifier: MIT */
/*
 * acceltop: live view of accelsim devices. Shared declarations.
 *
 *   acceltop.c  command line, dispatch to batch or UI mode
 *   source.c    source selection (bpf-btf, bpf-tp, tracefs, debugfs)
 *   bpf.c       BPF source: the accelsim_lat skeleton and its maps
 *   tracefs.c   tracefs source: libtracefs event stream, pairing
 *   debugfs.c   debugfs source and the structural views (info, spa)
 *   model.c     samples -> per-refresh rates, percentiles, rows
 *   keys.c      per-key counts of a sample, indexed by key
 *   collect.c   collector thread: sampling off the UI thread
 *   batch.c     batch text and JSON lines
 *   ui.c        ncurses screen, keys, panels
 */
#ifndef ACCELTOP_H
#define ACCELTOP_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "accel.h"
#include "accel_views.h"
#include "exit.h"
#include "util.h"

enum at_source_kind {
	AT_SRC_AUTO,
	AT_SRC_BPF_BTF,
	AT_SRC_BPF_TP,
	AT_SRC_TRACEFS,
	AT_SRC_DEBUGFS,
};

const char *at_source_name(enum at_source_kind k);
int at_source_parse(const char *s, enum at_source_kind *k);

/* Event counts and latency histograms (ns) of a device or a PASID. */
struct at_counts {
	uint64_t faults;
	uint64_t faults_restart;
	uint64_t faults_address_error;
	uint64_t tlbis;
	uint64_t irqs;
	uint64_t work_submitted;
	uint64_t work_done;
	uint64_t bytes;
	struct accel_hist fault_lat;
	struct accel_hist tlbi_lat;
};

void at_counts_add(struct at_counts *dst, const struct at_counts *src);
/* d = a - b, fieldwise; a counter that went backwards counts a. */
void at_counts_delta(const struct at_counts *a, const struct at_counts *b,
		     struct at_counts *d);

/* Counts of one key: a PASID, or a context (AT_CTX_KEY). */
struct at_keyed {
	uint64_t key;
	bool live;			/* false: a freed PASID's final counts */
	uint32_t pid;			/* of a freed PASID, if known, else 0 */
	struct at_counts c;
};

/* A context's key: its PE and its PASID (a PE is reused by others). */
#define AT_CTX_KEY(pe, pasid) (((uint64_t)(pe) << 32) | (uint32_t)(pasid))
#define AT_KEY_PE(k) ((uint32_t)((k) >> 32))
#define AT_KEY_PASID(k) ((uint32_t)(k))

/* Keys and their counts, indexed by key (keys.c). */
struct at_keytab {
	struct at_keyed *keyed;
	size_t n, cap;
	uint32_t *slot;			/* index + 1 of keyed, by hash */
	size_t nslot;
};

/* One device in a sample. */
struct at_dev_sample {
	unsigned int id;
	char name[16];
	bool have_info;
	struct accel_info info;
	struct accel_spa spa;		/* rows of the spa view */
	bool have_stats;
	struct accel_stats stats;	/* the stats view, every source */
	struct at_counts total;		/* since the source started */
	/*
	 * Per PASID (event sources: every event, TLBIs included) and per
	 * context (events that carry a PE; the debugfs source: the spa
	 * counters, whose tlbis are the PASID's TLBIs the context got).
	 */
	struct at_keytab pasids, ctxs;
	char err[256];			/* a view that could not be read */
};

/*
 * Why events, or freed PASIDs' final counts, were not counted (JSON
 * "drops"; "dropped" is their sum). The first six are the BPF programs'
 * (enum accel_lat_drop, in the same order).
 */
enum at_drop {
	AT_DROP_MAP_FULL,	/* a BPF stats map had no free entry */
	AT_DROP_MAP_BUSY,	/* a BPF map bucket was locked (nested program) */
	AT_DROP_MAP_NOMEM,	/* another BPF map update failure */
	AT_DROP_ENTRY_GONE,	/* a BPF entry deleted while being created */
	AT_DROP_START_LOST,	/* a fault or TLBI start not kept: no latency */
	AT_DROP_RETIRED_LOST,	/* BPF ring buffer full: a freed PASID's counts */
	AT_DROP_KEYS_FULL,	/* acceltop's (device, PASID) table full */
	AT_DROP_NR
};

extern const char *const at_drop_names[AT_DROP_NR];

/* Everything one collection returns. */
struct at_sample {
	double t;			/* CLOCK_MONOTONIC seconds */
	struct at_dev_sample *dev;
	size_t ndev;
	bool pasid_counts;		/* pasids filled (event sources) */
	bool has_ctx_lat;		/* per-key histograms are meaningful */
	/* Events or freed PASIDs not attributed, in all and by cause. */
	uint64_t dropped;
	uint64_t drops[AT_DROP_NR];
	char note[384];			/* source-wide warning, if any */
};

void at_sample_free(struct at_sample *s);

/* A source of samples. */
struct at_source {
	enum at_source_kind kind;
	const char *root;		/* debugfs root */
	const char *tracefs;		/* tracefs root */
	char why[512];			/* why faster sources were not used */
	void *priv;
	/* Read pending events (tracefs); may be NULL. */
	int (*poll)(struct at_source *src);
	/* Fill *s with totals. 0 or -errno with the message in s->note. */
	int (*sample)(struct at_source *src, struct at_sample *s);
	void (*close)(struct at_source *src);
};

/*
 * Open the source asked for. With AT_SRC_AUTO try bpf-btf (if module BTF),
 * bpf-tp, tracefs, then debugfs, and record in src->why each reason a
 * source was skipped. Returns 0, or EXIT_* with a message in err.
 */
int at_source_open(struct at_source *src, enum at_source_kind want,
		   char *err, size_t errlen);
void at_source_close(struct at_source *src);

int at_bpf_open(struct at_source *src, bool btf, char *err, size_t len);
int at_tracefs_open(struct at_source *src, char *err, size_t len);
int at_debugfs_open(struct at_source *src, char *err, size_t len);

/*
 * The structural part of a sample, common to every source: the devices
 * under root with their info and spa views. Returns 0 or -errno with msg.
 */
int at_load_devices(const char *root, struct at_sample *s, char *err,
		    size_t len);
struct at_dev_sample *at_sample_dev(struct at_sample *s, unsigned int id);
/*
 * Views read since start: at_load_devices() reads the driver's gen view
 * of each device and then only the views whose count moved (the others
 * come from what it parsed last). ACCEL_DEBUG_READS=1 prints them on
 * standard error at exit (the host tests count them).
 */
struct at_reads {
	unsigned long gen, info, spa, stats;
};

const struct at_reads *at_view_reads(void);
void at_view_cache_free(void);
/*
 * For a driver without the irq_fire event: IRQs fired from the debugfs
 * counters (stats per device, spa per context and summed by PASID).
 */
void at_irqs_from_debugfs(const char *root, struct at_sample *s);
/* The counts of key, added (zeroed) if absent: NULL on ENOMEM. */
struct at_keyed *at_key(struct at_keytab *t, uint64_t key);
/* The counts of key, or NULL (t may be NULL). */
struct at_keyed *at_find_key(const struct at_keytab *t, uint64_t key);
void at_keys_free(struct at_keytab *t);

/* Model: one refresh computed from two samples. */
struct at_lat {
	bool valid;
	double p50, p99;		/* ns */
};

/* One interval's rates and latency percentiles, of a device or a key. */
struct at_figures {
	double faults_s, tlbis_s, irqs_s, mb_s;
	struct at_lat fault, tlbi;
};

/* What the table's rows are: contexts, PASIDs or processes. */
enum at_group {
	AT_GROUP_CONTEXT,
	AT_GROUP_PASID,
	AT_GROUP_PROCESS,
	AT_GROUP_NR
};

extern const char *const at_group_names[AT_GROUP_NR];
int at_group_parse(const char *s, enum at_group *g);

/* pe of a PASID or process row, pasid of a process row. */
#define AT_NONE 0xffffffffU

struct at_row {
	unsigned int dev;		/* index in at_view.dev */
	uint32_t pe, pasid, pid;	/* AT_NONE: not of this level */
	unsigned int nctx, npasid;	/* contexts and PASIDs in the row */
	char comm[32];
	char state[16];
	bool kernel;
	/* The row's counts since start (or zero)... */
	const struct at_counts *total;
	/* ...and this interval's figures. */
	const struct at_figures *fig;
	/*
	 * Its TLBIs: a TLBI invalidates a PASID on a device and its event
	 * carries no PE, so a context's are its PASID's (every context of
	 * the PASID gets each one, as the driver's spa tlbis counts them).
	 * For PASID and process rows, and with debugfs, total and fig.
	 */
	const struct at_counts *ttotal;
	const struct at_figures *tfig;
};

/* The figures of one key or group, shared by the rows that have it. */
struct at_key_view {
	bool done;
	struct at_counts total;		/* since start */
	struct at_counts delta;		/* this interval */
	struct at_figures fig;		/* this interval */
};

struct at_dev_view {
	unsigned int id;
	char name[16];
	bool have_info;
	struct accel_info info;
	struct at_figures fig;		/* this interval */
	bool has_atc_hit;		/* the ATC was looked up this interval */
	double atc_hit_pct;		/* its hit rate this interval */
	struct at_lat fault_all, tlbi_all;	/* since start */
	struct at_counts total, delta;
	struct at_row *rows;		/* one per context */
	size_t nrows;
	struct at_row *pasid_rows;	/* one per PASID, freed ones too */
	size_t npasid_rows;
	struct at_row *proc_rows;	/* one per process */
	size_t nproc_rows;
	struct at_key_view *ctx_keys;	/* by index in the sample's ctxs */
	struct at_key_view *pasid_keys;	/* by index in pasid_rows */
	struct at_key_view *proc_keys;	/* by index in proc_rows */
	char err[256];
};

#define AT_HISTORY 120

struct at_view {
	unsigned long refresh;		/* 1, 2, ... */
	double interval;		/* s since the previous sample */
	double elapsed;			/* s since the first sample */
	enum at_source_kind source;
	bool pasid_counts, has_ctx_lat;
	uint64_t dropped;		/* since the source started */
	uint64_t drops[AT_DROP_NR];	/* the same by cause */
	struct at_dev_view *dev;
	size_t ndev;
	char note[384];
};

/* Compute v from the previous and current samples (prev may be NULL). */
void at_view_build(struct at_view *v, const struct at_sample *prev,
		   const struct at_sample *cur, const struct at_sample *first);
void at_view_free(struct at_view *v);

enum at_sort {
	AT_SORT_PE,
	AT_SORT_PASID,
	AT_SORT_PID,
	AT_SORT_COMM,
	AT_SORT_FAULTS,
	AT_SORT_FAULT_P99,
	AT_SORT_TLBIS,
	AT_SORT_TLBI_P99,
	AT_SORT_IRQS,
	AT_SORT_MBS,
	AT_SORT_NR
};

extern const char *const at_sort_names[AT_SORT_NR];
int at_sort_parse(const char *s, enum at_sort *k);
void at_rows_sort(struct at_row *rows, size_t n, enum at_sort k, bool rev);
/* Does the row match the filter (substring of comm, or pid/pasid/pe)? */
bool at_row_match(const struct at_row *r, const char *filter);

/* Collector thread: samples every delay seconds, never blocks the UI. */
struct at_collector;

struct at_collector *at_collector_start(struct at_source *src, double delay,
					int *notify_fd);
/*
 * Take the newest view if there is one (returns true and moves it into
 * *v, freeing the old one). Drain notify_fd before calling.
 */
bool at_collector_take(struct at_collector *c, struct at_view *v);
void at_collector_set_delay(struct at_collector *c, double delay);
void at_collector_stop(struct at_collector *c);

/* Options shared by the modes. */
struct at_opts {
	double delay;			/* -i, --interval */
	bool has_device;		/* -d: only device afuN, N = device */
	unsigned int device;
	long count;			/* -n, 0 = until quit */
	bool batch, json, color;
	enum at_source_kind source;
	const char *root;
	const char *tracefs;
	enum at_sort sort;
	bool reverse;
	const char *filter;
	enum at_group group;
	bool iommu;			/* --iommu: the IOMMU panel */
};

/* The rows of d at level g. */
struct at_row *at_dev_rows(const struct at_dev_view *d, enum at_group g,
			   size_t *n);

/* Batch output of one refresh. */
void at_batch_text(FILE *f, const struct at_view *v, const struct at_opts *o);
int at_batch_json(FILE *f, const struct at_view *v, const struct at_opts *o);
int at_run_batch(struct at_source *src, const struct at_opts *o);

/*
 * iommu.c: the --iommu panel (Intel IOMMU invalidations). at_iommu_open()
 * says on stderr why it is off, and acceltop goes on without it;
 * at_iommu_sample() takes a refresh at time t.
 */
struct at_iommu_row {
	char unit[16];
	unsigned int type;
	uint64_t descs;			/* in the refresh */
	double rate;			/* per second */
	uint64_t total;			/* since the start */
	bool has_lat;
	double p50_ns, p99_ns;		/* the refresh's submissions */
};

void at_iommu_open(const char *tracefs);
bool at_iommu_on(void);
const char *at_iommu_why(void);		/* NULL unless asked and off */
void at_iommu_sample(double t);
size_t at_iommu_rows(struct at_iommu_row *rows, size_t max);
const char *at_iommu_type(unsigned int t, char *buf, size_t len);
void at_iommu_text(FILE *f);
struct json_object;
void at_iommu_json(struct json_object *root);
void at_iommu_close(void);
/* iommu_ui.c: the panel's lines on the screen (one when off), drawn at y. */
int at_iommu_height(void);
void at_iommu_draw(int y);

/* The interactive screen. */
int at_run_ui(struct at_source *src, const struct at_opts *o);

/* Set by SIGINT, SIGTERM and SIGHUP (or -1 on quit): stop and clean up. */
extern volatile sig_atomic_t at_quit;

#endif /* ACCELTOP_H */
