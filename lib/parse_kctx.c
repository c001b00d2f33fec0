// SPDX-License-Identifier: MIT
/*
 * libaccel: the per-device "kctx" view, the kernel contexts.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "parse_table.h"

void accel_kctxs_free(struct accel_kctxs *k)
{
	free(k->k);
	k->k = NULL;
	k->n = 0;
}

static const char *const cols[] = { "pe", "size" };

int accel_parse_kctx(const char *buf, size_t len, const char *name,
		     struct accel_kctxs *out, struct accel_err *err)
{
	struct accel_kctxs ks = { NULL, 0 };
	int c[2], ret;
	size_t cap = 0;
	struct ptab t;

	memset(out, 0, sizeof(*out));
	ret = ptab_begin(&t, buf, len, name, err);
	if (ret)
		return ret;
	if (ptab_cols(&t, cols, c, ARRAY_SIZE(cols)))
		return -EINVAL;
	while ((ret = ptab_next(&t)) > 0) {
		struct accel_kctx *k;

		k = ptab_push((void **)&ks.k, &ks.n, &cap, sizeof(*k));
		if (!k) {
			ret = -ENOMEM;
			accel_err_set(err, name, t.line, "out of memory");
			break;
		}
		if (ptab_u32(&t, c[0], "pe", &k->pe) ||
		    ptab_u64(&t, c[1], "size", &k->size)) {
			ret = -EINVAL;
			break;
		}
	}
	if (ret < 0) {
		accel_kctxs_free(&ks);
		return ret;
	}
	*out = ks;
	return 0;
}
