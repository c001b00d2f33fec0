// SPDX-License-Identifier: MIT
/*
 * libaccel: the per-device "faults" view, the pending faults.
 */
#include "parse_table.h"

static const char *const fault_states[] = {
	[ACCEL_FAULT_UNKNOWN] = "unknown",
	[ACCEL_FAULT_PENDING] = "pending",
	[ACCEL_FAULT_RESOLVING] = "resolving",
	[ACCEL_FAULT_HELD] = "held",
};

#define C(type, field) PTAB_COL(struct accel_fault, type, field)

/* The JSON rows leave out dev: a device's faults are all its own. */
static const struct ptab_col cols[] = {
	C(U64, id),
	{ "dev", PTAB_U32, PTAB_AT(struct accel_fault, dev), .key = "" },
	C(U32, pe), C(U32, pasid), C(HEX64, address), C(ACCESS, access),
	PTAB_STATE_COL(struct accel_fault, fault_states),
	C(U64, age_ns),
};

/* accel_parse_faults(), accel_faults_free() */
PTAB_ROWS_VIEW(faults, accel_faults, f, NULL)

const char *accel_fault_state_name(enum accel_fault_state s)
{
	return ptab_name(fault_states, ARRAY_SIZE(fault_states), s);
}

const char *accel_access_name(enum accel_access a)
{
	return a == ACCEL_ACCESS_WRITE ? "write" : "read";
}
