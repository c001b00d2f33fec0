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
 *
 * Keys are <threshold>_warn and <threshold>_crit for every threshold in
 * accel_health_defs. A value above warn (value > warn) is WARNING, above
 * crit CRITICAL; "off" disables a level. These are the Nagios plugin
 * range semantics the perfdata states: a threshold "10" is the range
 * 0..10, and a value outside it alerts, so "zombies_warn = 0" warns on the
 * first zombie and the status and the perfdata always agree.
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
};

extern const struct accel_hdef accel_health_defs[ACCEL_H_NR];

/* Thresholds in base units (ns, percent, count); INFINITY when off. */
struct accel_health {
	double warn[ACCEL_H_NR];
	double crit[ACCEL_H_NR];
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

#endif /* ACCEL_HEALTH_H */
