// SPDX-License-Identifier: MIT
/*
 * libaccel: values read back from the inject/ knobs, one line each.
 */
#include <errno.h>
#include <string.h>

#include "parse_table.h"

/* The single line of a knob, split into fields; nf must match. */
static int knob_line(struct ptab *t, const char *buf, size_t len,
		     const char *name, struct accel_err *err,
		     unsigned int nf)
{
	int ret;

	/* The value line is parsed as a "header" of nf fields. */
	ret = ptab_begin(t, buf, len, name, err);
	if (ret)
		return ret;
	if (t->ncols != nf)
		return ptab_error(t, "expected %u value%s, got %u", nf,
				  nf == 1 ? "" : "s", t->ncols);
	if (t->pos < t->len)
		return ptab_error(t, "extra data after the value");
	t->nf = t->ncols;
	memcpy(t->f, t->col, sizeof(t->f[0]) * t->ncols);
	return 0;
}

int accel_parse_knob_u64(const char *buf, size_t len, const char *name,
			 uint64_t *out, struct accel_err *err)
{
	struct ptab t;
	uint64_t v;
	int ret;

	ret = knob_line(&t, buf, len, name, err, 1);
	if (ret)
		return ret;
	if (ptab_u64(&t, 0, "value", &v))
		return -EINVAL;
	*out = v;
	return 0;
}

int accel_parse_knob_bool(const char *buf, size_t len, const char *name,
			  bool *out, struct accel_err *err)
{
	struct ptab t;
	int ret;

	ret = knob_line(&t, buf, len, name, err, 1);
	if (ret)
		return ret;
	if (ptab_is(&t, 0, "0"))
		*out = false;
	else if (ptab_is(&t, 0, "1"))
		*out = true;
	else
		return ptab_error(&t, "bad flag (0 or 1)");
	return 0;
}

int accel_parse_fail_attach(const char *buf, size_t len, const char *name,
			    uint32_t *count, uint32_t *errnum,
			    struct accel_err *err)
{
	uint32_t n, e;
	struct ptab t;
	int ret;

	ret = knob_line(&t, buf, len, name, err, 2);
	if (ret)
		return ret;
	if (ptab_u32(&t, 0, "count", &n) || ptab_u32(&t, 1, "errno", &e))
		return -EINVAL;
	if (e > 133)
		return ptab_error(&t, "bad errno '%u' (0..133)", e);
	*count = n;
	*errnum = e;
	return 0;
}
