// SPDX-License-Identifier: MIT
/*
 * libaccel: the per-device "kctx" view, the kernel contexts.
 */
#include <errno.h>
#include <stdlib.h>

#include "parse_table.h"

void accel_kctxs_free(struct accel_kctxs *k)
{
	free(k->k);
	k->k = NULL;
	k->n = 0;
}

enum { C_PE, C_SIZE, C_NR };

static const char *const cols[C_NR] = { "pe", "size" };

static int kctx_row(struct ptab *t, const int *c, void *row)
{
	struct accel_kctx *k = row;

	if (ptab_u32(t, c[C_PE], "pe", &k->pe) ||
	    ptab_u64(t, c[C_SIZE], "size", &k->size))
		return -EINVAL;
	return 0;
}

int accel_parse_kctx(const char *buf, size_t len, const char *name,
		     struct accel_kctxs *out, struct accel_err *err)
{
	return ptab_rows(buf, len, name, cols, C_NR, sizeof(*out->k), kctx_row,
			 (void **)&out->k, &out->n, err);
}
