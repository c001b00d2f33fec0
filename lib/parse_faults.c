// SPDX-License-Identifier: MIT
/*
 * libaccel: the per-device "faults" view, the pending faults.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "parse_table.h"

static const char *const fault_states[] = {
	[ACCEL_FAULT_UNKNOWN] = "unknown",
	[ACCEL_FAULT_PENDING] = "pending",
	[ACCEL_FAULT_RESOLVING] = "resolving",
	[ACCEL_FAULT_HELD] = "held",
};

const char *accel_fault_state_name(enum accel_fault_state s)
{
	if ((unsigned int)s >= sizeof(fault_states) / sizeof(fault_states[0]))
		return "unknown";
	return fault_states[s];
}

const char *accel_access_name(enum accel_access a)
{
	return a == ACCEL_ACCESS_WRITE ? "write" : "read";
}

void accel_faults_free(struct accel_faults *f)
{
	free(f->f);
	f->f = NULL;
	f->n = 0;
}

int accel_parse_faults(const char *buf, size_t len, const char *name,
		       struct accel_faults *out, struct accel_err *err)
{
	int id, dev, pe, pasid, address, access, state, age, ret;
	struct accel_faults fs = { NULL, 0 };
	size_t cap = 0;
	struct ptab t;

	memset(out, 0, sizeof(*out));
	ret = ptab_begin(&t, buf, len, name, err);
	if (ret)
		return ret;
	if ((id = ptab_col(&t, "id")) < 0 ||
	    (dev = ptab_col(&t, "dev")) < 0 ||
	    (pe = ptab_col(&t, "pe")) < 0 ||
	    (pasid = ptab_col(&t, "pasid")) < 0 ||
	    (address = ptab_col(&t, "address")) < 0 ||
	    (access = ptab_col(&t, "access")) < 0 ||
	    (state = ptab_col(&t, "state")) < 0 ||
	    (age = ptab_col(&t, "age_ns")) < 0)
		return -EINVAL;
	while ((ret = ptab_next(&t)) > 0) {
		struct accel_fault *f;
		unsigned int i;

		f = ptab_push((void **)&fs.f, &fs.n, &cap, sizeof(*f));
		if (!f) {
			ret = -ENOMEM;
			accel_err_set(err, name, t.line, "out of memory");
			break;
		}
		if (ptab_u64(&t, id, "id", &f->id) ||
		    ptab_u32(&t, dev, "dev", &f->dev) ||
		    ptab_u32(&t, pe, "pe", &f->pe) ||
		    ptab_u32(&t, pasid, "pasid", &f->pasid) ||
		    ptab_hex64(&t, address, "address", &f->address) ||
		    ptab_str(&t, state, "state", f->state_str,
			     sizeof(f->state_str)) ||
		    ptab_u64(&t, age, "age_ns", &f->age_ns)) {
			ret = -EINVAL;
			break;
		}
		if (ptab_is(&t, access, "read")) {
			f->access = ACCEL_ACCESS_READ;
		} else if (ptab_is(&t, access, "write")) {
			f->access = ACCEL_ACCESS_WRITE;
		} else {
			char q[160];

			ptab_quote(t.f[access].s, t.f[access].len, q,
				   sizeof(q));
			ret = ptab_error(&t, "bad access '%s' (read or write)",
					 q);
			break;
		}
		f->state = ACCEL_FAULT_UNKNOWN;
		for (i = 1; i < sizeof(fault_states) / sizeof(fault_states[0]);
		     i++)
			if (!strcmp(f->state_str, fault_states[i]))
				f->state = (enum accel_fault_state)i;
	}
	if (ret < 0) {
		accel_faults_free(&fs);
		return ret;
	}
	*out = fs;
	return 0;
}
