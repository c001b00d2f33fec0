// SPDX-License-Identifier: MIT
/*
 * libaccel: the per-device "irqs" view, one row per IRQ range.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "parse_table.h"

void accel_irqs_free(struct accel_irqs *r)
{
	free(r->r);
	r->r = NULL;
	r->n = 0;
}

enum { C_PE, C_PASID, C_HWIRQ, C_COUNT, C_EVENTFDS, C_FIRED, C_NR };

static const char *const cols[C_NR] = {
	"pe", "pasid", "hwirq", "count", "eventfds", "fired",
};

int accel_parse_irqs(const char *buf, size_t len, const char *name,
		     struct accel_irqs *out, struct accel_err *err)
{
	struct accel_irqs rs = { NULL, 0 };
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
		struct accel_irq *r;

		r = ptab_push((void **)&rs.r, &rs.n, &cap, sizeof(*r));
		if (!r) {
			ret = -ENOMEM;
			accel_err_set(err, name, t.line, "out of memory");
			break;
		}
		if (ptab_u32(&t, c[C_PE], "pe", &r->pe) ||
		    ptab_u32(&t, c[C_PASID], "pasid", &r->pasid) ||
		    ptab_u32(&t, c[C_HWIRQ], "hwirq", &r->hwirq) ||
		    ptab_u32(&t, c[C_COUNT], "count", &r->count) ||
		    ptab_u32(&t, c[C_EVENTFDS], "eventfds", &r->eventfds) ||
		    ptab_u64(&t, c[C_FIRED], "fired", &r->fired)) {
			ret = -EINVAL;
			break;
		}
		if (r->eventfds > r->count) {
			ret = ptab_error(&t, "eventfds %u > count %u",
					 r->eventfds, r->count);
			break;
		}
	}
	if (ret < 0) {
		accel_irqs_free(&rs);
		return ret;
	}
	*out = rs;
	return 0;
}
