// SPDX-License-Identifier: MIT
/*
 * libaccel: the per-device "irqs" view, one row per IRQ range.
 */
#include <errno.h>
#include <stdlib.h>

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

static int irq_row(struct ptab *t, const int *c, void *row)
{
	struct accel_irq *r = row;

	if (ptab_u32(t, c[C_PE], "pe", &r->pe) ||
	    ptab_u32(t, c[C_PASID], "pasid", &r->pasid) ||
	    ptab_u32(t, c[C_HWIRQ], "hwirq", &r->hwirq) ||
	    ptab_u32(t, c[C_COUNT], "count", &r->count) ||
	    ptab_u32(t, c[C_EVENTFDS], "eventfds", &r->eventfds) ||
	    ptab_u64(t, c[C_FIRED], "fired", &r->fired))
		return -EINVAL;
	if (r->eventfds > r->count)
		return ptab_error(t, "eventfds %u > count %u", r->eventfds,
				  r->count);
	return 0;
}

int accel_parse_irqs(const char *buf, size_t len, const char *name,
		     struct accel_irqs *out, struct accel_err *err)
{
	return ptab_rows(buf, len, name, cols, C_NR, sizeof(*out->r), irq_row,
			 (void **)&out->r, &out->n, err);
}
