// SPDX-License-Identifier: MIT
/*
 * libaccel: the per-device "atc" view, the device's address translation
 * cache: one row per valid entry, in cache order.
 */
#include <string.h>

#include "parse_table.h"

#define C(type, field) PTAB_COL(struct accel_atc_entry, type, field)

static const struct ptab_col cols[] = {
	C(U32, set), C(U32, way), C(U32, pasid), C(U32, pe),
	C(HEX64, vaddr), C(STR, perm), C(U32, hits), C(U64, age_ms),
};

static int check(struct ptab *t, const void *row)
{
	const struct accel_atc_entry *e = row;

	if (strcmp(e->perm, "r-") && strcmp(e->perm, "rw"))
		return ptab_error(t, "bad perm '%s' (r- or rw)", e->perm);
	return 0;
}

/* accel_parse_atc(), accel_atc_free() */
PTAB_ROWS_VIEW(atc, accel_atc, e, check)
