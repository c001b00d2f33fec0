// SPDX-License-Identifier: MIT
/*
 * libaccel: the per-device "spa" view, one row per process element.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "parse_table.h"

static const char *const pe_states[] = {
	[ACCEL_PE_UNKNOWN] = "unknown",
	[ACCEL_PE_ACTIVE] = "active",
	[ACCEL_PE_TERMINATING] = "terminating",
	[ACCEL_PE_ZOMBIE] = "zombie",
};

const char *accel_pe_state_name(enum accel_pe_state s)
{
	if ((unsigned int)s >= ARRAY_SIZE(pe_states))
		return "unknown";
	return pe_states[s];
}

void accel_spa_free(struct accel_spa *s)
{
	free(s->pe);
	s->pe = NULL;
	s->n = 0;
}

enum { C_PE, C_PASID, C_PID, C_COMM, C_STATE, C_KERNEL, C_FAULTS, C_TLBIS,
	C_IRQS, C_WORK, C_NR };

static const char *const cols[C_NR] = {
	"pe", "pasid", "pid", "comm", "state", "kernel", "faults", "tlbis",
	"irqs", "work",
};

int accel_parse_spa(const char *buf, size_t len, const char *name,
		    struct accel_spa *out, struct accel_err *err)
{
	struct accel_spa spa = { NULL, 0 };
	int c[C_NR], bytes, ret;
	size_t cap = 0;
	struct ptab t;

	memset(out, 0, sizeof(*out));
	ret = ptab_begin(&t, buf, len, name, err);
	if (ret)
		return ret;
	if (ptab_cols(&t, cols, c, C_NR))
		return -EINVAL;
	bytes = ptab_optcol(&t, "bytes");
	while ((ret = ptab_next(&t)) > 0) {
		struct accel_pe *p;
		uint32_t k;
		unsigned int i;

		p = ptab_push((void **)&spa.pe, &spa.n, &cap, sizeof(*p));
		if (!p) {
			ret = -ENOMEM;
			accel_err_set(err, name, t.line, "out of memory");
			break;
		}
		if (ptab_u32(&t, c[C_PE], "pe", &p->pe) ||
		    ptab_u32(&t, c[C_PASID], "pasid", &p->pasid) ||
		    ptab_u32(&t, c[C_PID], "pid", &p->pid) ||
		    ptab_str(&t, c[C_COMM], "comm", p->comm, sizeof(p->comm)) ||
		    ptab_str(&t, c[C_STATE], "state", p->state_str,
			     sizeof(p->state_str)) ||
		    ptab_u32(&t, c[C_KERNEL], "kernel", &k) ||
		    ptab_u64(&t, c[C_FAULTS], "faults", &p->faults) ||
		    ptab_u64(&t, c[C_TLBIS], "tlbis", &p->tlbis) ||
		    ptab_u64(&t, c[C_IRQS], "irqs", &p->irqs) ||
		    ptab_u64(&t, c[C_WORK], "work", &p->work) ||
		    (bytes >= 0 && ptab_u64(&t, bytes, "bytes", &p->bytes))) {
			ret = -EINVAL;
			break;
		}
		if (k > 1) {
			ret = ptab_error(&t, "bad kernel '%u' (0 or 1)", k);
			break;
		}
		p->kernel = k;
		p->has_bytes = bytes >= 0;
		p->state = ACCEL_PE_UNKNOWN;
		for (i = 1; i < ARRAY_SIZE(pe_states); i++)
			if (!strcmp(p->state_str, pe_states[i]))
				p->state = (enum accel_pe_state)i;
	}
	if (ret < 0) {
		accel_spa_free(&spa);
		return ret;
	}
	*out = spa;
	return 0;
}
