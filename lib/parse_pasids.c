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
	if ((unsigned int)s >= sizeof(pasid_states) / sizeof(pasid_states[0]))
		return "unknown";
	return pasid_states[s];
}

void accel_pasids_free(struct accel_pasids *p)
{
	free(p->p);
	p->p = NULL;
	p->n = 0;
}

int accel_parse_pasids(const char *buf, size_t len, const char *name,
		       struct accel_pasids *out, struct accel_err *err)
{
	struct accel_pasids ps = { NULL, 0 };
	int pasid, pid, refs, outstanding, state, ret;
	size_t cap = 0;
	struct ptab t;

	memset(out, 0, sizeof(*out));
	ret = ptab_begin(&t, buf, len, name, err);
	if (ret)
		return ret;
	if ((pasid = ptab_col(&t, "pasid")) < 0 ||
	    (pid = ptab_col(&t, "pid")) < 0 ||
	    (refs = ptab_col(&t, "refs")) < 0 ||
	    (outstanding = ptab_col(&t, "outstanding")) < 0 ||
	    (state = ptab_col(&t, "state")) < 0)
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
		if (ptab_u32(&t, pasid, "pasid", &p->pasid) ||
		    ptab_u32(&t, pid, "pid", &p->pid) ||
		    ptab_u32(&t, refs, "refs", &p->refs) ||
		    ptab_u64(&t, outstanding, "outstanding",
			     &p->outstanding) ||
		    ptab_str(&t, state, "state", p->state_str,
			     sizeof(p->state_str))) {
			ret = -EINVAL;
			break;
		}
		p->state = ACCEL_PASID_UNKNOWN;
		for (i = 1; i < sizeof(pasid_states) / sizeof(pasid_states[0]);
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
