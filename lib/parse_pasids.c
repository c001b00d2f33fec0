// SPDX-License-Identifier: MIT
/*
 * libaccel: the "pasids" view (per device, and the global one at the root).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

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

int accel_parse_pasids(const char *buf, size_t len, const char *name,
		       struct accel_pasids *out, struct accel_err *err)
{
	struct accel_pasids ps = { NULL, 0 };
	int c[C_NR], ret;
	size_t cap = 0;
	struct ptab t;

	memset(out, 0, sizeof(*out));
	ret = ptab_begin(&t, buf, len, name, err);
	if (ret)
		return ret;
	if (ptab_cols(&t, cols, c, C_NR))
		return -EINVAL;
	while ((ret = ptab_next(&t)) > 0) {
		struct accel_pasid *p;
		unsigned int i;

		p = ptab_push((void **)&ps.p, &ps.n, &cap, sizeof(*p));
		if (!p) {
			ret = -ENOMEM;
			accel_err_set(err, name, t.line, "out of memory");
			break;
		}
		if (ptab_u32(&t, c[C_PASID], "pasid", &p->pasid) ||
		    ptab_u32(&t, c[C_PID], "pid", &p->pid) ||
		    ptab_u32(&t, c[C_REFS], "refs", &p->refs) ||
		    ptab_u64(&t, c[C_OUTSTANDING], "outstanding",
			     &p->outstanding) ||
		    ptab_str(&t, c[C_STATE], "state", p->state_str,
			     sizeof(p->state_str))) {
			ret = -EINVAL;
			break;
		}
		p->state = ACCEL_PASID_UNKNOWN;
		for (i = 1; i < ARRAY_SIZE(pasid_states);
		     i++)
			if (!strcmp(p->state_str, pasid_states[i]))
				p->state = (enum accel_pasid_state)i;
	}
	if (ret < 0) {
		accel_pasids_free(&ps);
		return ret;
	}
	*out = ps;
	return 0;
}
