// SPDX-License-Identifier: MIT
/*
 * libaccel: the per-device "irqs" view, one row per IRQ range.
 */
#include "parse_table.h"

#define C(type, field) PTAB_COL(struct accel_irq, type, field)

static const struct ptab_col cols[] = {
	C(U32, pe), C(U32, pasid), C(U32, hwirq), C(U32, count),
	C(U32, eventfds),
	{ "fired", PTAB_U64, PTAB_AT(struct accel_irq, fired),
	  .key = "irqs_fired" },
};

static int check(struct ptab *t, const void *row)
{
	const struct accel_irq *r = row;

	if (r->eventfds > r->count)
		return ptab_error(t, "eventfds %u > count %u", r->eventfds,
				  r->count);
	return 0;
}

/* accel_parse_irqs(), accel_irqs_free() */
PTAB_ROWS_VIEW(irqs, accel_irqs, r, check)
