// SPDX-License-Identifier: MIT
/*
 * libaccel: the per-device "gen" view, each view's generation: a count
 * that changes whenever a row of that view changes (accelsim(4)).
 */
#include <errno.h>
#include <string.h>

#include "parse_table.h"

const char *const accel_gen_view_names[ACCEL_GEN_NR] = {
	[ACCEL_GEN_INFO] = "info",
	[ACCEL_GEN_SPA] = "spa",
	[ACCEL_GEN_PASIDS] = "pasids",
	[ACCEL_GEN_FAULTS] = "faults",
	[ACCEL_GEN_IRQS] = "irqs",
	[ACCEL_GEN_STATS] = "stats",
	[ACCEL_GEN_ATC] = "atc",
	[ACCEL_GEN_KCTX] = "kctx",
};

static const char *const cols[] = { "view", "gen" };

int accel_parse_gen(const char *buf, size_t len, const char *name,
		    struct accel_gen *out, struct accel_err *err)
{
	struct accel_gen g;
	struct ptab t;
	unsigned int i;
	int c[2], ret;

	memset(out, 0, sizeof(*out));
	memset(&g, 0, sizeof(g));
	ret = ptab_open(&t, buf, len, name, cols, c, ARRAY_SIZE(cols), err);
	if (ret)
		return ret;
	while ((ret = ptab_next(&t)) > 0) {
		uint64_t v;

		if (ptab_u64(&t, c[1], "gen", &v))
			return -EINVAL;
		for (i = 0; i < ACCEL_GEN_NR; i++)
			if (ptab_is(&t, c[0], accel_gen_view_names[i]))
				break;
		if (i == ACCEL_GEN_NR)
			continue;	/* a view added later */
		if (g.has & (1u << i))
			return ptab_error(&t, "view %s twice",
					  accel_gen_view_names[i]);
		g.gen[i] = v;
		g.has |= 1u << i;
	}
	if (ret < 0)
		return ret;
	*out = g;
	return 0;
}

bool accel_gen_same(const struct accel_gen *a, const struct accel_gen *b,
		    enum accel_gen_view v)
{
	unsigned int bit = 1u << v;

	return (a->has & bit) && (b->has & bit) && a->gen[v] == b->gen[v];
}
