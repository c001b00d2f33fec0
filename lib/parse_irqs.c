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

int accel_parse_irqs(const char *buf, size_t len, const char *name,
		     struct accel_irqs *out, struct accel_err *err)
{
	struct accel_irqs rs = { NULL, 0 };
	int pe, pasid, hwirq, count, eventfds, fired, ret;
	size_t cap = 0;
	struct ptab t;

	memset(out, 0, sizeof(*out));
	ret = ptab_begin(&t, buf, len, name, err);
	if (ret)
		return ret;
	if ((pe = ptab_col(&t, "pe")) < 0 ||
	    (pasid = ptab_col(&t, "pasid")) < 0 ||
	    (hwirq = ptab_col(&t, "hwirq")) < 0 ||
	    (count = ptab_col(&t, "count")) < 0 ||
	    (eventfds = ptab_col(&t, "eventfds")) < 0 ||
	    (fired = ptab_col(&t, "fired")) < 0)
		return -EINVAL;
	while ((ret = ptab_next(&t)) > 0) {
		struct accel_irq *r;

		r = ptab_push((void **)&rs.r, &rs.n, &cap, sizeof(*r));
		if (!r) {
			ret = -ENOMEM;
			accel_err_set(err, name, t.line, "out of memory");
			break;
		}
		if (ptab_u32(&t, pe, "pe", &r->pe) ||
		    ptab_u32(&t, pasid, "pasid", &r->pasid) ||
		    ptab_u32(&t, hwirq, "hwirq", &r->hwirq) ||
		    ptab_u32(&t, count, "count", &r->count) ||
		    ptab_u32(&t, eventfds, "eventfds", &r->eventfds) ||
		    ptab_u64(&t, fired, "fired", &r->fired)) {
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
