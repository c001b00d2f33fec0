// SPDX-License-Identifier: MIT
/*
 * libaccel: the "pasids" view (per device, and the global one at the root).
 */
#include <errno.h>
#include <stdlib.h>

#include "parse_table.h"

static const char *const pasid_states[] = {
	[ACCEL_PASID_UNKNOWN] = "unknown",
	[ACCEL_PASID_LIVE] = "live",
	[ACCEL_PASID_DRAINING] = "draining",
	[ACCEL_PASID_FREE_PENDING] = "free-pending",
};

const char *accel_pasid_state_name(enum accel_pasid_state s)
{
	if ((unsigned int)s >= ARRAY_SIZE(pasid_states))
		return "unknown";
	return pasid_states[s];
}

void accel_pasids_free(struct accel_pasids *p)
{
	free(p->p);
	p->p = NULL;
	p->n = 0;
}

enum { C_PASID, C_PID, C_REFS, C_OUTSTANDING, C_STATE, C_NR };

static const char *const cols[C_NR] = {
	"pasid", "pid", "refs", "outstanding", "state",
};

static int pasid_row(struct ptab *t, const int *c, void *row)
{
	struct accel_pasid *p = row;

	if (ptab_u32(t, c[C_PASID], "pasid", &p->pasid) ||
	    ptab_u32(t, c[C_PID], "pid", &p->pid) ||
	    ptab_u32(t, c[C_REFS], "refs", &p->refs) ||
	    ptab_u64(t, c[C_OUTSTANDING], "outstanding", &p->outstanding) ||
	    ptab_str(t, c[C_STATE], "state", p->state_str,
		     sizeof(p->state_str)))
		return -EINVAL;
	p->state = (enum accel_pasid_state)ptab_enum(p->state_str, pasid_states,
						     ARRAY_SIZE(pasid_states));
	return 0;
}

int accel_parse_pasids(const char *buf, size_t len, const char *name,
		       struct accel_pasids *out, struct accel_err *err)
{
	return ptab_rows(buf, len, name, cols, C_NR, sizeof(*out->p),
			 pasid_row, (void **)&out->p, &out->n, err);
}
