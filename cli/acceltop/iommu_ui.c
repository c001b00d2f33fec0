// SPDX-License-Identifier: MIT
/*
 * acceltop --iommu on the screen: the IOMMU panel above the footer, a
 * row per IOMMU unit and descriptor type (iommu.c), or the line saying
 * why the panel is off.
 */
#include <curses.h>
#include <string.h>

#include "accel_format.h"
#include "acceltop.h"

#define MAX_ROWS 8

int at_iommu_height(void)
{
	struct at_iommu_row rows[MAX_ROWS];

	if (at_iommu_why())
		return 1;
	if (!at_iommu_on())
		return 0;
	return 2 + (int)at_iommu_rows(rows, MAX_ROWS);
}

void at_iommu_draw(int y)
{
	struct at_iommu_row rows[MAX_ROWS];
	char a[ACCEL_FMT_LEN], b[ACCEL_FMT_LEN], tb[16];
	size_t i, n;

	if (at_iommu_why()) {
		mvprintw(y, 0, "IOMMU panel off: %.*s", COLS > 17 ? COLS - 17 : 0,
			 at_iommu_why());
		return;
	}
	if (!at_iommu_on())
		return;
	n = at_iommu_rows(rows, MAX_ROWS);
	mvhline(y, 0, ACS_HLINE, COLS);
	attron(A_BOLD);
	mvprintw(y, 2, " IOMMU invalidations (refresh, since start) ");
	attroff(A_BOLD);
	attron(A_REVERSE);
	mvprintw(y + 1, 0, "%-8s %-16s %10s %10s %10s %10s %10s%*s", "UNIT",
		 "TYPE", "DESCS", "DESCS/S", "TOTAL", "P50", "P99",
		 COLS > 80 ? COLS - 80 : 0, "");
	attroff(A_REVERSE);
	if (!n)
		mvprintw(y + 2, 0, "(no invalidations since start)");
	for (i = 0; i < n; i++) {
		const struct at_iommu_row *r = &rows[i];

		mvprintw(y + 2 + (int)i, 0,
			 "%-8s %-16s %10llu %10.1f %10llu %10s %10s", r->unit,
			 at_iommu_type(r->type, tb, sizeof(tb)),
			 (unsigned long long)r->descs, r->rate,
			 (unsigned long long)r->total,
			 r->has_lat ? accel_fmt_ns(r->p50_ns, a, sizeof(a)) : "-",
			 r->has_lat ? accel_fmt_ns(r->p99_ns, b, sizeof(b)) : "-");
	}
}
