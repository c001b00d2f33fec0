// SPDX-License-Identifier: MIT
/*
 * libaccel: the per-device "faults" view, the pending faults.
 */
#include <errno.h>
#include <stdlib.h>

#include "parse_table.h"

static const char *const fault_states[] = {
	[ACCEL_FAULT_UNKNOWN] = "unknown",
	[ACCEL_FAULT_PENDING] = "pending",
	[ACCEL_FAULT_RESOLVING] = "resolving",
	[ACCEL_FAULT_HELD] = "held",
};

const char *accel_fault_state_name(enum accel_fault_state s)
{
	if ((unsigned int)s >= ARRAY_SIZE(fault_states))
		return "unknown";
	return fault_states[s];
}

const char *accel_access_name(enum accel_access a)
{
	return a == ACCEL_ACCESS_WRITE ? "write" : "read";
}

void accel_faults_free(struct accel_faults *f)
{
	free(f->f);
	f->f = NULL;
	f->n = 0;
}

enum { C_ID, C_DEV, C_PE, C_PASID, C_ADDRESS, C_ACCESS, C_STATE, C_AGE,
	C_NR };

static const char *const cols[C_NR] = {
	"id", "dev", "pe", "pasid", "address", "access", "state", "age_ns",
};

static int fault_row(struct ptab *t, const int *c, void *row)
{
	struct accel_fault *f = row;

	if (ptab_u64(t, c[C_ID], "id", &f->id) ||
	    ptab_u32(t, c[C_DEV], "dev", &f->dev) ||
	    ptab_u32(t, c[C_PE], "pe", &f->pe) ||
	    ptab_u32(t, c[C_PASID], "pasid", &f->pasid) ||
	    ptab_hex64(t, c[C_ADDRESS], "address", &f->address) ||
	    ptab_str(t, c[C_STATE], "state", f->state_str,
		     sizeof(f->state_str)) ||
	    ptab_u64(t, c[C_AGE], "age_ns", &f->age_ns))
		return -EINVAL;
	if (ptab_is(t, c[C_ACCESS], "read")) {
		f->access = ACCEL_ACCESS_READ;
	} else if (ptab_is(t, c[C_ACCESS], "write")) {
		f->access = ACCEL_ACCESS_WRITE;
	} else {
		char q[160];

		ptab_quote(t->f[c[C_ACCESS]].s, t->f[c[C_ACCESS]].len, q,
			   sizeof(q));
		return ptab_error(t, "bad access '%s' (read or write)", q);
	}
	f->state = (enum accel_fault_state)ptab_enum(f->state_str, fault_states,
						     ARRAY_SIZE(fault_states));
	return 0;
}

int accel_parse_faults(const char *buf, size_t len, const char *name,
		       struct accel_faults *out, struct accel_err *err)
{
	return ptab_rows(buf, len, name, cols, C_NR, sizeof(*out->f),
			 fault_row, (void **)&out->f, &out->n, err);
}
