// SPDX-License-Identifier: MIT
/*
 * libaccel: the per-device "spa" view, one row per process element.
 */
#include <errno.h>
#include <stdlib.h>

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
	C_IRQS, C_WORK, C_BYTES, C_NR };

/* "bytes" came later than the rest: a view without it still parses. */
static const char *const cols[C_NR] = {
	"pe", "pasid", "pid", "comm", "state", "kernel", "faults", "tlbis",
	"irqs", "work", "?bytes",
};

static int pe_row(struct ptab *t, const int *c, void *row)
{
	struct accel_pe *p = row;
	uint32_t k;

	if (ptab_u32(t, c[C_PE], "pe", &p->pe) ||
	    ptab_u32(t, c[C_PASID], "pasid", &p->pasid) ||
	    ptab_u32(t, c[C_PID], "pid", &p->pid) ||
	    ptab_str(t, c[C_COMM], "comm", p->comm, sizeof(p->comm)) ||
	    ptab_str(t, c[C_STATE], "state", p->state_str,
		     sizeof(p->state_str)) ||
	    ptab_u32(t, c[C_KERNEL], "kernel", &k) ||
	    ptab_u64(t, c[C_FAULTS], "faults", &p->faults) ||
	    ptab_u64(t, c[C_TLBIS], "tlbis", &p->tlbis) ||
	    ptab_u64(t, c[C_IRQS], "irqs", &p->irqs) ||
	    ptab_u64(t, c[C_WORK], "work", &p->work) ||
	    (c[C_BYTES] >= 0 && ptab_u64(t, c[C_BYTES], "bytes", &p->bytes)))
		return -EINVAL;
	if (k > 1)
		return ptab_error(t, "bad kernel '%u' (0 or 1)", k);
	p->kernel = k;
	p->has_bytes = c[C_BYTES] >= 0;
	p->state = (enum accel_pe_state)ptab_enum(p->state_str, pe_states,
						  ARRAY_SIZE(pe_states));
	return 0;
}

int accel_parse_spa(const char *buf, size_t len, const char *name,
		    struct accel_spa *out, struct accel_err *err)
{
	return ptab_rows(buf, len, name, cols, C_NR, sizeof(*out->pe), pe_row,
			 (void **)&out->pe, &out->n, err);
}
