// SPDX-License-Identifier: MIT
/*
 * libaccel: the per-device "spa" view, one row per process element.
 */
#include "parse_table.h"

static const char *const pe_states[] = {
	[ACCEL_PE_UNKNOWN] = "unknown",
	[ACCEL_PE_ACTIVE] = "active",
	[ACCEL_PE_TERMINATING] = "terminating",
	[ACCEL_PE_ZOMBIE] = "zombie",
};

#define C(type, field) PTAB_COL(struct accel_pe, type, field)

/* "bytes" came later than the rest: a view without it still parses. */
static const struct ptab_col cols[] = {
	C(U32, pe), C(U32, pasid), C(U32, pid), C(STR, comm),
	PTAB_STATE_COL(struct accel_pe, pe_states),
	C(FLAG, kernel), C(U64, faults), C(U64, tlbis),
	{ "irqs", PTAB_U64, PTAB_AT(struct accel_pe, irqs),
	  .key = "irqs_fired" },
	{ "work", PTAB_U64, PTAB_AT(struct accel_pe, work),
	  .key = "work_done" },
	{ "?bytes", PTAB_U64, PTAB_AT(struct accel_pe, bytes),
	  .has = offsetof(struct accel_pe, has_bytes) },
};

/* accel_parse_spa(), accel_spa_free() */
PTAB_ROWS_VIEW(spa, accel_spa, pe, NULL)

const char *accel_pe_state_name(enum accel_pe_state s)
{
	return ptab_name(pe_states, ARRAY_SIZE(pe_states), s);
}
