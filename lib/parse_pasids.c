// SPDX-License-Identifier: MIT
/*
 * libaccel: the "pasids" view (per device, and the global one at the root).
 */
#include "parse_table.h"

static const char *const pasid_states[] = {
	[ACCEL_PASID_UNKNOWN] = "unknown",
	[ACCEL_PASID_LIVE] = "live",
	[ACCEL_PASID_DRAINING] = "draining",
	[ACCEL_PASID_FREE_PENDING] = "free-pending",
};

#define C(type, field) PTAB_COL(struct accel_pasid, type, field)

static const struct ptab_col cols[] = {
	C(U32, pasid), C(U32, pid), C(U32, refs), C(U64, outstanding),
	PTAB_STATE_COL(struct accel_pasid, pasid_states),
	{ "?kind", PTAB_STR, PTAB_AT(struct accel_pasid, kind),
	  .has = offsetof(struct accel_pasid, has_kind) },
};

/* accel_parse_pasids(), accel_pasids_free() */
PTAB_ROWS_VIEW(pasids, accel_pasids, p, NULL)

const char *accel_pasid_state_name(enum accel_pasid_state s)
{
	return ptab_name(pasid_states, ARRAY_SIZE(pasid_states), s);
}
