// SPDX-License-Identifier: MIT
/*
 * libaccel: the driver's flight recorder (its tracefs instance) and the
 * lines of a tracefs "trace" file, for the support bundle's writer and
 * reader. No libtraceevent here: accelctl and accelstat do not link it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accel_events.h"

int accel_flight_dir(const char *tracing_dir, char *buf, size_t size)
{
	int n = snprintf(buf, size, "%s/instances/" ACCEL_FLIGHT_INSTANCE,
			 tracing_dir);

	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

bool accel_trace_line(const char *l, char *ev, size_t size, double *ts)
{
	const char *p, *c, *t;
	size_t n;

	if (*l == '#')
		return false;
	p = strchr(l, ']');
	if (!p)
		return false;
	/* "...] flags  123.456789: event: fields" */
	c = strstr(p, ": ");
	if (!c)
		return false;
	for (t = c; t > p && t[-1] != ' '; t--)
		;
	*ts = strtod(t, NULL);
	c += 2;
	n = strcspn(c, ":");
	if (!n || n >= size || c[n] != ':')
		return false;
	snprintf(ev, size, "%.*s", (int)n, c);
	return true;
}
