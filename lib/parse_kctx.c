// SPDX-License-Identifier: MIT
/*
 * libaccel: the per-device "kctx" view, the kernel contexts.
 */
#include "parse_table.h"

static const struct ptab_col cols[] = {
	PTAB_COL(struct accel_kctx, U32, pe),
	PTAB_COL(struct accel_kctx, U64, size),
};

/* accel_parse_kctx(), accel_kctxs_free() */
PTAB_ROWS_VIEW(kctx, accel_kctxs, k, NULL)
