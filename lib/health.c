// SPDX-License-Identifier: MIT
/*
 * libaccel: the health verdict on a device, from its summary and the
 * thresholds (accel_health.h). The one place that decides what is OK,
 * WARNING or CRITICAL; accelstat --check and accelctl inspect both call it.
 */
#include <math.h>

#include "accel_health.h"

const char *accel_health_status_name(enum accel_hstatus st)
{
	static const char *const names[] = {
		[ACCEL_HEALTH_OK] = "OK",
		[ACCEL_HEALTH_WARNING] = "WARNING",
		[ACCEL_HEALTH_CRITICAL] = "CRITICAL",
		[ACCEL_HEALTH_UNKNOWN] = "UNKNOWN",
	};

	return (unsigned int)st <= ACCEL_HEALTH_UNKNOWN ? names[st] : "?";
}

enum accel_hstatus accel_health_judge(const struct accel_health *h,
				      const struct accel_dev *d,
				      const struct accel_summary *s,
				      struct accel_hverdict *v)
{
	int k;

	v->value[ACCEL_H_FAULT_AGE] = (double)s->oldest_fault_age_ns;
	v->value[ACCEL_H_FAULT_ERROR_RATE] = s->fault_error_pct;
	v->value[ACCEL_H_FAULT_P99] = s->has_fault_lat ? s->fault_p99_ns : NAN;
	v->value[ACCEL_H_TLBI_P99] = s->has_tlbi_lat ? s->tlbi_p99_ns : NAN;
	v->value[ACCEL_H_SPA_USAGE] = s->spa_used_pct;
	v->value[ACCEL_H_IRQ_USAGE] = s->irq_used_pct;
	v->value[ACCEL_H_ZOMBIES] = s->zombies;
	/* A view missing from a partial load: unknown, never zero. */
	if (d->missing & ACCEL_MISSING_FAULTS)
		v->value[ACCEL_H_FAULT_AGE] = NAN;
	if (d->missing & ACCEL_MISSING_STATS) {
		v->value[ACCEL_H_FAULT_ERROR_RATE] = NAN;
		v->value[ACCEL_H_FAULT_P99] = NAN;
		v->value[ACCEL_H_TLBI_P99] = NAN;
	}
	if (d->missing & ACCEL_MISSING_SPA)
		v->value[ACCEL_H_SPA_USAGE] = NAN;

	v->offline = d->info.state != ACCEL_DEV_ONLINE;
	v->status = v->offline ? ACCEL_HEALTH_WARNING : ACCEL_HEALTH_OK;
	for (k = 0; k < ACCEL_H_NR; k++) {
		double x = v->value[k];

		v->level[k] = ACCEL_HEALTH_OK;
		v->limit[k] = NAN;
		if (isnan(x))
			continue;
		if (x > h->crit[k]) {
			v->level[k] = ACCEL_HEALTH_CRITICAL;
			v->limit[k] = h->crit[k];
		} else if (x > h->warn[k]) {
			v->level[k] = ACCEL_HEALTH_WARNING;
			v->limit[k] = h->warn[k];
		}
		if (v->level[k] > v->status)
			v->status = v->level[k];
	}
	return v->status;
}
