// SPDX-License-Identifier: MIT
/*
 * libaccel: the per-device "info" view, one header and one row.
 */
#include <errno.h>
#include <string.h>

#include "parse_table.h"

/* "MAJOR.MINOR.PATCH", each part a small decimal number. */
static int parse_version(const char *s, unsigned int v[3])
{
	unsigned int i;

	for (i = 0; i < 3; i++) {
		uint64_t x;
		size_t n = strspn(s, "0123456789");

		if (accel_strict_u64(s, n, &x) || x > 65535)
			return -EINVAL;
		v[i] = (unsigned int)x;
		s += n;
		if (i < 2 && *s++ != '.')
			return -EINVAL;
	}
	return *s ? -EINVAL : 0;
}

int accel_parse_info(const char *buf, size_t len, const char *name,
		     struct accel_info *out, struct accel_err *err)
{
	static const char *const cols[] = {
		"dev", "version", "max_pe", "pasid_bits", "irq_budget",
		"atc_entries", "state", "contexts", "pasids",
		"pending_faults", "irqs_used", "zombies",
	};
	int c[ARRAY_SIZE(cols)];
	struct accel_info info;
	unsigned int v[3];
	struct ptab t;
	int ret;

	memset(out, 0, sizeof(*out));
	memset(&info, 0, sizeof(info));
	ret = ptab_open(&t, buf, len, name, cols, c, ARRAY_SIZE(cols), err);
	if (ret)
		return ret;
	ret = ptab_next(&t);
	if (ret < 0)
		return ret;
	if (ret == 0) {
		accel_err_set(err, name, 0, "no data row after the header");
		return -EINVAL;
	}
	if (ptab_str(&t, c[0], "dev", info.dev, sizeof(info.dev)) ||
	    ptab_str(&t, c[1], "version", info.version,
		     sizeof(info.version)))
		return -EINVAL;
	if (parse_version(info.version, v))
		return ptab_error(&t, "bad version '%s'", info.version);
	if (v[0] != ACCEL_VIEWS_MAJOR)
		return ptab_error(&t, "unsupported view version %s (this "
				  "library reads %d.x)", info.version,
				  ACCEL_VIEWS_MAJOR);
	info.ver_major = v[0];
	info.ver_minor = v[1];
	info.ver_patch = v[2];
	if (ptab_u32(&t, c[2], "max_pe", &info.max_pe) ||
	    ptab_u32(&t, c[3], "pasid_bits", &info.pasid_bits) ||
	    ptab_u32(&t, c[4], "irq_budget", &info.irq_budget) ||
	    ptab_u32(&t, c[5], "atc_entries", &info.atc_entries) ||
	    ptab_str(&t, c[6], "state", info.state_str,
		     sizeof(info.state_str)) ||
	    ptab_u32(&t, c[7], "contexts", &info.contexts) ||
	    ptab_u32(&t, c[8], "pasids", &info.pasids) ||
	    ptab_u32(&t, c[9], "pending_faults", &info.pending_faults) ||
	    ptab_u32(&t, c[10], "irqs_used", &info.irqs_used) ||
	    ptab_u32(&t, c[11], "zombies", &info.zombies))
		return -EINVAL;
	if (!strcmp(info.state_str, "online"))
		info.state = ACCEL_DEV_ONLINE;
	else if (!strcmp(info.state_str, "removing"))
		info.state = ACCEL_DEV_REMOVING;
	else
		info.state = ACCEL_DEV_UNKNOWN;
	ret = ptab_next(&t);
	if (ret < 0)
		return ret;
	if (ret > 0)
		return ptab_error(&t, "more than one data row");
	*out = info;
	return 0;
}
