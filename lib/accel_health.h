/* SPDX-License-Identifier: MIT */
/*
 * libaccel: thresholds of the health check (accelstat --check) and their
 * config file, /etc/accel/health.conf by default.
 *
 * Config file syntax, one setting per line:
 *
 *   # comment
 *   fault_age_warn = 1s
 *   fault_age_crit = 5s
 *   spa_usage_crit = off	# never CRITICAL on SPA usage
 *   window = 5m
 *
 * Keys are <threshold>_warn and <threshold>_crit for every threshold in
 * accel_health_defs. A value above warn (value > warn) is WARNING, above
 * crit CRITICAL; "off" disables a level. These are the Nagios plugin
 * range semantics the perfdata states: a threshold "10" is the range
 * 0..10, and a value outside it alerts, so "zombies_warn = 0" warns on the
 * first zombie and the status and the perfdata always agree. "window" is
 * the span the windowed thresholds (fault_error_rate, fault_p99,
 * tlbi_p99) judge.
 *
 * accel_health_judge() is the one verdict on a device: accelstat --check
 * and accelctl inspect both call it.
 */
#ifndef ACCEL_HEALTH_H
#define ACCEL_HEALTH_H

#include <stddef.h>

#include "accel_dev.h"
#include "accel_views.h"

#define ACCEL_HEALTH_CONF "/etc/accel/health.conf"

/* The default window of the windowed thresholds, and its limit (s). */
#define ACCEL_HEALTH_WINDOW_DEFAULT 300.0
#define ACCEL_HEALTH_WINDOW_MAX (7 * 86400.0)

enum accel_hkey {
	ACCEL_H_FAULT_AGE,		/* oldest pending fault age, ns */
	ACCEL_H_FAULT_ERROR_RATE,	/* address_error / acked, percent */
	ACCEL_H_FAULT_P99,		/* p99 fault latency, ns */
	ACCEL_H_TLBI_P99,		/* p99 TLBI latency, ns */
	ACCEL_H_SPA_USAGE,		/* SPA entries used / max_pe, percent */
	ACCEL_H_IRQ_USAGE,		/* IRQs used / irq_budget, percent */
	ACCEL_H_ZOMBIES,		/* zombie PEs, count */
	ACCEL_H_NR
};

enum accel_hkind {
	ACCEL_HK_DURATION,		/* "1s", "500ms", "20us", ns */
	ACCEL_HK_PERCENT,		/* "80" or "80%" */
	ACCEL_HK_COUNT,			/* "3" */
};

struct accel_hdef {
	const char *name;		/* "fault_age" */
	enum accel_hkind kind;
	const char *what;		/* "oldest pending fault age" */
	const char *def_warn;		/* default, in config syntax */
	const char *def_crit;
	bool windowed;			/* judged over the recent window */
};

extern const struct accel_hdef accel_health_defs[ACCEL_H_NR];

/* Thresholds in base units (ns, percent, count); INFINITY when off. */
struct accel_health {
	double warn[ACCEL_H_NR];
	double crit[ACCEL_H_NR];
	double window;			/* seconds; 0: off (since load) */
};

void accel_health_defaults(struct accel_health *h);

/* Threshold by name, or -1. */
int accel_health_key(const char *name);

/*
 * Set one level (crit 0: warn, 1: crit) of threshold key from text.
 * Returns 0, or -EINVAL with a message in msg.
 */
int accel_health_set(struct accel_health *h, const char *key,
		     const char *value, int crit, char *msg, size_t size);

/*
 * The window from text: seconds, or a number with unit s, m, min or h
 * ("300", "5m"); "off" or 0 turns it off. Returns 0, or -EINVAL with a
 * message in msg.
 */
int accel_health_set_window(struct accel_health *h, const char *value,
			    char *msg, size_t size);

/* "key=value[,key=value...]" as given to --warn and --crit. */
int accel_health_set_list(struct accel_health *h, const char *list,
			  int crit, char *msg, size_t size);

/* Parse a config file held in buf; errors name "name:line". */
int accel_health_parse_conf(const char *buf, size_t len, const char *name,
			    struct accel_health *h, struct accel_err *err);

/*
 * Read and parse path. A missing file is an error only when required;
 * returns 0, 1 when the file was missing and not required, or a negative
 * errno with err set.
 */
int accel_health_load_conf(const char *path, int required,
			   struct accel_health *h, struct accel_err *err);

/* Check warn <= crit for every threshold; -EINVAL with msg otherwise. */
int accel_health_validate(const struct accel_health *h, char *msg,
			  size_t size);

/* Format a threshold value of key in its unit ("1.00s", "80%", "off"). */
char *accel_health_fmt(int key, double v, char *buf, size_t size);

/* Verdicts, in increasing severity (the Nagios plugin codes). */
enum accel_hstatus {
	ACCEL_HEALTH_OK,
	ACCEL_HEALTH_WARNING,
	ACCEL_HEALTH_CRITICAL,
	ACCEL_HEALTH_UNKNOWN,
};

/* "OK", "WARNING", "CRITICAL" or "UNKNOWN". */
const char *accel_health_status_name(enum accel_hstatus st);

/* The verdict on one device. */
struct accel_hverdict {
	enum accel_hstatus status;	/* the worst of what follows */
	bool offline;			/* state not online: WARNING */
	double value[ACCEL_H_NR];	/* measured; NAN: nothing to judge */
	enum accel_hstatus level[ACCEL_H_NR];
	double limit[ACCEL_H_NR];	/* the threshold reached, if any */
};

/*
 * Judge device d (summarised in s) against h: each threshold whose value
 * is above crit is CRITICAL, else above warn is WARNING; a latency with
 * no sample is not judged (NAN), nor is a value whose view a partial
 * load left empty (d->missing: the figure is unknown, not zero); the
 * address-error rate is 0 while no fault was acked; a device that is not
 * online is WARNING. Returns
 * v->status.
 */
enum accel_hstatus accel_health_judge(const struct accel_health *h,
				      const struct accel_dev *d,
				      const struct accel_summary *s,
				      struct accel_hverdict *v);

/*
 * The recent window (accelstat --check). The driver's histograms and
 * counters are cumulative since the device was created, so the check keeps
 * readings of them (a state file) and judges the windowed thresholds on
 * the difference between now and the newest reading at least a window
 * old. Times are seconds of one clock (CLOCK_BOOTTIME); the state's key
 * names the device's incarnation (boot, debugfs directory), so readings of
 * a device since deleted, a module since reloaded or a previous boot are
 * never subtracted.
 */
struct accel_hreading {
	double t;			/* when, seconds */
	uint64_t acked;			/* faults acked, restart + error */
	uint64_t address_error;		/* faults acked address_error */
	struct accel_hist fault_lat, tlbi_lat;
};

struct accel_hstate {
	char key[512];			/* opaque, one line */
	struct accel_hreading *r;	/* oldest first */
	size_t n;
};

/* A reading's share of the window that still counts as a window old. */
#define ACCEL_HWINDOW_SLACK 0.05
/* At most this many readings per window: closer ones are not kept. */
#define ACCEL_HWINDOW_READINGS 16

/*
 * The key of device dev's incarnation under the debugfs root: the boot id
 * ($ACCEL_PROCFS or /proc), the inode number and change time of the
 * device's directory (new whenever the device is created: a module load,
 * the bus's new_device), and the root's real path.
 */
void accel_hstate_key(const char *root, const char *dev, char *key,
		      size_t size);

/* The reading of device d at time t. */
void accel_hreading_of(const struct accel_dev *d, double t,
		       struct accel_hreading *r);

/*
 * Parse a state file held in buf. A state of another format version is
 * -EINVAL, as is any malformed line (err names "name:line").
 */
int accel_hstate_parse(const char *buf, size_t len, const char *name,
		       struct accel_hstate *st, struct accel_err *err);

/* The state as text (malloc'ed, NUL-terminated), or NULL on ENOMEM. */
char *accel_hstate_format(const struct accel_hstate *st);

void accel_hstate_free(struct accel_hstate *st);

/*
 * The baseline of a window ending at cur: the newest reading of st at
 * least window * (1 - ACCEL_HWINDOW_SLACK) older than cur, whose counters
 * do not exceed cur's (they would after a reset). NULL when there is none:
 * judge since the device was created.
 */
const struct accel_hreading *accel_hstate_base(const struct accel_hstate *st,
					       const struct accel_hreading *cur,
					       double window);

/*
 * Add cur to st and drop what no later window needs: readings older than
 * the newest one a window old, and readings newer than cur (another
 * clock). cur is not added when the newest reading is less than
 * window / ACCEL_HWINDOW_READINGS old. Returns 0 or -ENOMEM.
 */
int accel_hstate_add(struct accel_hstate *st, const struct accel_hreading *cur,
		     double window);

/*
 * Replace the windowed figures of s (fault_error_pct, the fault and TLBI
 * latency percentiles, faults_acked) with those of cur minus base.
 */
void accel_health_window(struct accel_summary *s,
			 const struct accel_hreading *cur,
			 const struct accel_hreading *base);

#endif /* ACCEL_HEALTH_H */
