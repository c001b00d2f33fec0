/* SPDX-License-Identifier: MIT */
/*
 * accelstat: shared declarations of the tool's modes.
 */
#ifndef ACCELSTAT_H
#define ACCELSTAT_H

#include <stdbool.h>
#include <stdio.h>

#include "accel.h"
#include "accel_bundle.h"
#include "accel_dev.h"
#include "accel_health.h"
#include "exit.h"
#include "util.h"

/* --check exit codes (Nagios plugin API). */
enum {
	CHECK_OK = 0,
	CHECK_WARNING = 1,
	CHECK_CRITICAL = 2,
	CHECK_UNKNOWN = 3,
};

#define MAX_THRESHOLD_ARGS 32

/* Where --check keeps its readings (--state-dir, $ACCEL_STATE_DIR). */
#define ACCEL_STATE_DIR_DEFAULT "/var/lib/accel"

struct stat_opts {
	const char *root;		/* resolved debugfs root */
	const char *bundle_path;	/* --bundle FILE, or NULL */
	struct accel_bundle *bundle;	/* opened --bundle, or NULL */
	bool has_dev;
	unsigned int dev;
	bool contexts, pasids, faults, irqs, atc;
	bool json;
	bool idxd;			/* --idxd: the idxd devices instead */
	const char *sysroot;		/* --sysroot, NULL: env or "" */
	bool iommu;			/* --iommu: IOMMU invalidations */
	double iommu_secs;		/* its window */
	bool interval_set;
	double interval;		/* seconds */
	long count;			/* reports; 0: until interrupted */
	bool check;
	bool prom;
	const char *output;		/* -o for --prometheus */
	const char *config;		/* --config, NULL: default, optional */
	const char *window;		/* --window, NULL: config or default */
	const char *state_dir;		/* --state-dir, NULL: env or default */
	const char *warn[MAX_THRESHOLD_ARGS];
	const char *crit[MAX_THRESHOLD_ARGS];
	unsigned int nwarn, ncrit;
};

/* A device whose views could not be read or parsed. */
struct stat_bad {
	unsigned int id;
	char name[16];			/* "afuN" */
	char msg[1024];			/* what failed, file:line */
};

struct stat_snap {
	struct accel_dev *dev;
	struct accel_summary *sum;
	size_t n;
	struct stat_bad *bad;		/* stat_load_all() only */
	size_t nbad;
};

/* stat_load results */
enum {
	LOAD_OK = 0,
	LOAD_NODRIVER,		/* root missing; msg has the hint */
	LOAD_NODEV,		/* -d device absent */
	LOAD_ERROR,		/* bad or unreadable view; msg has file:line */
};

/*
 * Load every device (or the -d one). msg gets one line on failure. A
 * device whose views fail to load fails the whole load (LOAD_ERROR, msg
 * naming file:line).
 */
int stat_load(const struct stat_opts *o, struct stat_snap *s, char *msg,
	      size_t size, bool *module_missing);
/*
 * As stat_load, for the next report of -i: with prev (the last snapshot,
 * or NULL), only the views whose generation moved are read again
 * (accel_dev_reload()).
 */
int stat_load_since(const struct stat_opts *o, const struct stat_snap *prev,
		    struct stat_snap *s, char *msg, size_t size,
		    bool *module_missing);
/*
 * As stat_load, but a device whose views fail to load is set aside in
 * s->bad (with its message) and the others are still loaded: one
 * malformed device must not hide the others from --check and
 * --prometheus.
 */
int stat_load_all(const struct stat_opts *o, struct stat_snap *s, char *msg,
		  size_t size, bool *module_missing);
void stat_snap_free(struct stat_snap *s);
/* --bundle: load one device of o->bundle; the text snapshot's header. */
int stat_bundle_load_dev(const struct stat_opts *o, unsigned int id,
			 struct accel_dev *d, char *msg, size_t size);
void stat_bundle_header(const struct stat_opts *o);

/* Run the mode o selects; stat_bundle runs it on o->bundle_path. */
int stat_run(const struct stat_opts *o);
int stat_bundle(struct stat_opts *o);

int stat_snapshot(const struct stat_opts *o, const struct stat_snap *s);
int stat_interval(const struct stat_opts *o);
int stat_check(const struct stat_opts *o);
int stat_prometheus(const struct stat_opts *o);
/* Write a Prometheus label value, escaped (prom.c). */
void stat_prom_label(FILE *f, const char *v);

/*
 * idxd.c: --idxd as text or JSON (accelsim: why accelsim is not shown,
 * or NULL), its Prometheus metrics written to f, and whether the machine
 * has idxd devices. The int ones return an exit code.
 */
int stat_idxd(const struct stat_opts *o);
int stat_idxd_show(const struct stat_opts *o, const char *accelsim);
int stat_idxd_prom(const struct stat_opts *o, FILE *f);
bool stat_idxd_present(const struct stat_opts *o);

/*
 * iommu.c: --iommu SEC as text or JSON, and its Prometheus metrics
 * written to f. Exit codes; 3 when the counts' source is missing.
 */
int stat_iommu(const struct stat_opts *o);
int stat_iommu_prom(const struct stat_opts *o, FILE *f);

/* --check's state directory, locked while open (window.c). */
struct check_state {
	const char *dir;
	int fd;				/* the locked directory; -1: none */
	char err[512];			/* why there is no window, or "" */
};

/* Open and lock the state directory; -1 with cs->err set on failure. */
int check_state_open(const struct stat_opts *o, struct check_state *cs);
void check_state_close(struct check_state *cs);
/*
 * Judge device d over h->window: replace the windowed figures of s with
 * those since the newest saved reading a window old, and save this
 * reading. Returns the span judged in seconds, or -1 when s stays as it
 * was (since the device was created). A failure to save sets cs->err.
 */
double check_window_dev(struct check_state *cs, const struct stat_opts *o,
			const struct accel_health *h,
			const struct accel_dev *d, struct accel_summary *s);

/* Print "accelstat: msg" on stderr. */
void stat_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* ACCELSTAT_H */
